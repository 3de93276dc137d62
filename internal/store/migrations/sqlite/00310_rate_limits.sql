-- +goose Up
-- Rate limits counted in the database (store.DB.AllowRate): one row per
-- limit and client key, holding the limit's theoretical arrival time
-- (GCRA) in nanoseconds since 1970. unknot serve counts in memory on
-- SQLite, which has one process only; the table keeps the schema the same
-- on both databases and serves the store's tests.
CREATE TABLE rate_limits (
    bucket TEXT    NOT NULL,
    key    BLOB    NOT NULL,
    tat    INTEGER NOT NULL,
    PRIMARY KEY (bucket, key)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE rate_limits;
