-- +goose Up
-- People on the free report's list, and nothing more about them than the
-- double opt-in needs: a first name to greet them, the address, where they
-- stand and when things happened.
CREATE TABLE subscribers (
    id              INTEGER PRIMARY KEY,
    email           TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    confirmed_at    DATETIME,
    unsubscribed_at DATETIME
);

-- One row per sign-up mail sent: the hash of the token its links carry
-- (confirm, download, unsubscribe, export, delete). purpose 'confirm' links
-- can confirm for 7 days; the rows also count the mails of the last day.
CREATE TABLE subscriber_links (
    token_hash    BLOB PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('confirm', 'report')),
    created_at    DATETIME NOT NULL
);
CREATE INDEX subscriber_links_by_subscriber ON subscriber_links (subscriber_id, created_at);

-- +goose Down
DROP TABLE subscriber_links;
DROP TABLE subscribers;
