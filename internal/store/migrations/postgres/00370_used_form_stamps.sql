-- +goose Up
-- The signed stamps of comment forms that have made a comment, by their
-- SHA-256: each stamp makes one comment, on every instance alike. A stamp
-- is kept until it could no longer be good anyway, then deleted as new
-- ones are stored.
CREATE TABLE used_form_stamps (
    stamp_hash BYTEA PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX used_form_stamps_expires_at ON used_form_stamps (expires_at);

-- +goose Down
DROP TABLE used_form_stamps;
