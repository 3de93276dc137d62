-- +goose Up
-- A worker's claim on the mail it is sending: ClaimMail writes a random
-- token in claim for the rows of one batch, the worker's heartbeat
-- (RenewMail) moves their due_at (the end of the lease) forward by that
-- token, and only the holder of the token may record a row as sent,
-- retried or failed. A worker that lost its lease (it stopped
-- heartbeating, and another worker took the rows over) can no longer
-- touch them.
ALTER TABLE outbox ADD COLUMN claim TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_claim ON outbox (claim) WHERE state = 'sending';

-- +goose Down
DROP INDEX outbox_claim;
ALTER TABLE outbox DROP COLUMN claim;
