-- +goose Up
-- Comments under articles. body is the plain text as written, body_html
-- what comments.Render made of it then. role is '' for a visitor.
-- notify_email is kept only while the commenter wants an email when someone
-- replies; it is never shown and is cleared on unsubscribe.
CREATE TABLE comments (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article          TEXT NOT NULL,
    parent_id        BIGINT REFERENCES comments (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    body             TEXT NOT NULL,
    body_html        TEXT NOT NULL,
    role             TEXT NOT NULL DEFAULT '',
    user_id          BIGINT REFERENCES users (id) ON DELETE SET NULL,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'approved')),
    notify_email     TEXT,
    notify_confirmed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX comments_article ON comments (article, status, id);
CREATE INDEX comments_status ON comments (status, id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_notify_email ON comments (notify_email, created_at) WHERE notify_email IS NOT NULL;

-- Links in emails about a comment's reply notifications, by the hash of
-- their token: 'confirm' (expires) and 'unsubscribe' (does not).
CREATE TABLE comment_tokens (
    token_hash BYTEA PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'unsubscribe')),
    expires_at TIMESTAMPTZ
);
CREATE INDEX comment_tokens_comment ON comment_tokens (comment_id);

-- "Was this helpful?" answers: no name, no address, no IP.
CREATE TABLE feedback (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article    TEXT NOT NULL,
    helpful    BOOLEAN NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX feedback_article ON feedback (article);

-- +goose Down
DROP TABLE feedback;
DROP TABLE comment_tokens;
DROP TABLE comments;
