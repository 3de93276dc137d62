-- +goose Up
-- A therapist's private notes on a visit. Each save adds a row, so the
-- history is kept and the newest row is the note as it stands. Notes stay
-- with the clinic's record of the visit when its client deletes their
-- data (DESIGN.md), and go only with the booking itself.
CREATE TABLE visit_notes (
    id           INTEGER PRIMARY KEY,
    booking_id   INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    therapist_id TEXT NOT NULL,
    body         TEXT NOT NULL,
    written_at   DATETIME NOT NULL
);
CREATE INDEX visit_notes_by_booking ON visit_notes (booking_id, id);

-- A therapist's private calendar feed: the SHA-256 of its link's token,
-- at most one live link per therapist. Regenerating replaces the row;
-- revoking deletes it.
CREATE TABLE therapist_feeds (
    therapist_id TEXT PRIMARY KEY REFERENCES therapists (id) ON DELETE CASCADE,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL
);

-- Why a therapist blocked time off from their desk ("" for time off the
-- clinic file set).
ALTER TABLE therapist_time_off ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- A therapist's day and week, and their calendar feed, read bookings by
-- therapist and start.
CREATE INDEX bookings_by_therapist_start ON bookings (therapist_id, starts_at);

-- +goose Down
DROP INDEX bookings_by_therapist_start;
ALTER TABLE therapist_time_off DROP COLUMN reason;
DROP TABLE therapist_feeds;
DROP TABLE visit_notes;
