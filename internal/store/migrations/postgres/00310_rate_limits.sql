-- +goose Up
-- Rate limits that every instance shares (store.DB.AllowRate): one row
-- per limit and client key, holding the limit's theoretical arrival time
-- (GCRA) in nanoseconds since 1970. UNLOGGED: the counts are worth losing
-- in a crash rather than paying for WAL on every write request; tat is
-- deliberately not indexed, so each check's update stays a HOT update,
-- and the minute's sweep of expired rows scans a table as small as the
-- number of recently active clients.
CREATE UNLOGGED TABLE rate_limits (
    bucket TEXT   NOT NULL,
    key    BYTEA  NOT NULL,
    tat    BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);

-- +goose Down
DROP TABLE rate_limits;
