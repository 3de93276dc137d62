-- +goose Up
-- Accounts hold one or more roles (staff.AllRoles); the former role
-- "staff" is now "coach", in accounts and on the replies they published.
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'therapist', 'coach')),
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles (user_id, role)
    SELECT id, CASE role WHEN 'staff' THEN 'coach' ELSE role END FROM users;
ALTER TABLE users DROP COLUMN role;
UPDATE comments SET role = 'coach' WHERE role = 'staff';

-- A therapist's account is tied to the clinic's therapist with the same
-- email; the tie goes when the therapist leaves the clinic file.
ALTER TABLE users ADD COLUMN therapist_id TEXT REFERENCES therapists (id) ON DELETE SET NULL;

-- Invitations of therapists by an admin: a one-time link, found by the
-- SHA-256 of its token, that lets them set a password until expires_at.
CREATE TABLE invitations (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    email        TEXT NOT NULL,
    therapist_id TEXT NOT NULL REFERENCES therapists (id) ON DELETE CASCADE,
    invited_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    used_at      DATETIME
);
CREATE INDEX invitations_by_therapist ON invitations (therapist_id);

-- +goose Down
DROP TABLE invitations;
ALTER TABLE users DROP COLUMN therapist_id;
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'staff' CHECK (role IN ('staff', 'admin'));
UPDATE users SET role = 'admin' WHERE id IN (SELECT user_id FROM user_roles WHERE role = 'admin');
DROP TABLE user_roles;
UPDATE comments SET role = 'staff' WHERE role = 'coach';
