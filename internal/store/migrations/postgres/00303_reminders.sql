-- +goose Up
-- The reminders a person chose for their plan, sent by email: the daily
-- routine reminder and the weekly re-check reminder, at remind_at (minutes
-- after midnight) in time_zone. daily_due and weekly_due are when each is
-- next due, NULL when not chosen. The address is kept for these reminders
-- only and goes with the row: on unsubscribe, on removal, and when the plan
-- is deleted. Each mail is written when it is due (store.QueuePlanReminders),
-- with a fresh link of its own, so that no link waits in the outbox.
CREATE TABLE reminders (
    assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    email         TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    remind_at     INTEGER NOT NULL CHECK (remind_at >= 0 AND remind_at < 1440),
    daily_due     TIMESTAMPTZ,
    weekly_due    TIMESTAMPTZ,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    CHECK (daily_due IS NOT NULL OR weekly_due IS NOT NULL)
);
CREATE INDEX reminders_by_email ON reminders (email);
CREATE INDEX reminders_daily_due ON reminders (daily_due) WHERE daily_due IS NOT NULL;
CREATE INDEX reminders_weekly_due ON reminders (weekly_due) WHERE weekly_due IS NOT NULL;

-- The links in reminder mail, by the hash of their token: each manages
-- (shows, or stops) the reminders of one plan, and no more.
CREATE TABLE reminder_links (
    token_hash    BYTEA PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES reminders (assessment_id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX reminder_links_by_plan ON reminder_links (assessment_id);

-- +goose Down
DROP TABLE reminder_links;
DROP TABLE reminders;
