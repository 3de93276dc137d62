-- +goose Up
-- Saved self-check results, found again by the hash of their private link's
-- token. Nothing here names a person: only the answers and what came of them.
-- answers and result are TEXT, not JSONB, so they come back byte for byte.
CREATE TABLE assessments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE,
    answers    TEXT NOT NULL,
    result     TEXT NOT NULL,
    urgency    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE assessments;
