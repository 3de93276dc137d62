-- +goose Up
-- The outbox: every email is written here in the same transaction as the
-- change that causes it, and a worker sends it. A row is due when state is
-- queued or sending and due_at has passed; for a row being sent, due_at is
-- the end of the sender's lease, so mail claimed by a worker that died is
-- tried again. Once sent, the bodies (which hold private links) are blanked
-- and the row stays as the record of what was sent.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    msg_key     TEXT NOT NULL, -- random; the Message-ID is made from it
    kind        TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    headers     TEXT NOT NULL,
    attachments TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    due_at      DATETIME NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    message_id  TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    sent_at     DATETIME
);
CREATE INDEX outbox_due ON outbox (due_at) WHERE state IN ('queued', 'sending');
CREATE INDEX outbox_recipient ON outbox (recipient);

-- The dev mailbox: where mail lands when no SMTP server is configured, to
-- be read at /dev/mailbox. One row per outbox message at most.
CREATE TABLE dev_mail (
    id          INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    sender      TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    headers     TEXT NOT NULL,
    attachments TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX dev_mail_recipient ON dev_mail (recipient);

-- +goose Down
DROP TABLE dev_mail;
DROP TABLE outbox;
