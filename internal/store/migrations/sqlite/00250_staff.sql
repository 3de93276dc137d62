-- +goose Up
-- Staff accounts: coaches and therapists (role staff) and whoever runs the
-- clinic (role admin). Passwords are argon2id PHC strings, never the
-- password itself.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    created_at    DATETIME NOT NULL
);

-- Staff sessions, found by the hash of the cookie's token, so that a copy
-- of the database cannot be used to sign in.
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    data       BLOB NOT NULL,
    expires_at DATETIME NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE users;
