-- +goose Up
-- The clinic's own address, for its handouts and emails (optional in the
-- clinic file; empty means the first location's).
ALTER TABLE clinic ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE clinic DROP COLUMN address;
