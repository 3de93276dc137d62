-- +goose Up
-- Saved self-check results, found again by the hash of their private link's
-- token. Nothing here names a person: only the answers and what came of them.
CREATE TABLE assessments (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    answers    TEXT NOT NULL,
    result     TEXT NOT NULL,
    urgency    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE assessments;
