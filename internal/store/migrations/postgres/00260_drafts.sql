-- +goose Up
-- Self-checks in progress, for people who answer without JavaScript: each
-- step is posted and kept here for a short while, so that Back and reload
-- lose nothing and no answer has to travel in a URL. Found by the hash of
-- the cookie's token; expired drafts are deleted as new ones are saved.
CREATE TABLE drafts (
    token_hash BYTEA PRIMARY KEY,
    answers    TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX drafts_expires_at ON drafts (expires_at);

-- +goose Down
DROP TABLE drafts;
