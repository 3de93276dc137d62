-- +goose Up
-- A booking may carry the self-check its client made (assessment_id), and
-- remind_at is when its reminder is due: 24 hours before the start, or
-- NULL when none is due (booked less than a day ahead, cancelled, or
-- already sent). The reminder is written when it is due, with a fresh
-- private link, so that no link waits in the outbox.
ALTER TABLE bookings ADD COLUMN assessment_id INTEGER REFERENCES assessments (id) ON DELETE SET NULL;
ALTER TABLE bookings ADD COLUMN remind_at DATETIME;
CREATE INDEX bookings_by_assessment ON bookings (assessment_id) WHERE assessment_id IS NOT NULL;
CREATE INDEX bookings_reminders ON bookings (remind_at) WHERE remind_at IS NOT NULL;

-- Self-checks (and their diaries) shared with the clinic, until the person
-- withdraws them: a share is live while withdrawn_at is NULL, and a
-- self-check has at most one live share. booking_id is the booking the
-- share was given with, if any.
CREATE TABLE shares (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    booking_id    INTEGER REFERENCES bookings (id) ON DELETE SET NULL,
    shared_at     DATETIME NOT NULL,
    withdrawn_at  DATETIME
);
CREATE UNIQUE INDEX shares_live ON shares (assessment_id) WHERE withdrawn_at IS NULL;
CREATE INDEX shares_by_assessment ON shares (assessment_id);

-- +goose Down
DROP TABLE shares;
DROP INDEX bookings_reminders;
DROP INDEX bookings_by_assessment;
ALTER TABLE bookings DROP COLUMN remind_at;
ALTER TABLE bookings DROP COLUMN assessment_id;
