-- +goose Up
-- The diary of a saved plan: its settings, pain entries and weekly
-- re-checks. Everything hangs off the assessment and goes with it.
CREATE TABLE plan_settings (
    assessment_id BIGINT PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
    time_zone     TEXT NOT NULL,
    work_start    INTEGER NOT NULL, -- minutes after midnight
    work_end      INTEGER NOT NULL,
    work_days     TEXT NOT NULL     -- "mon,tue,wed,thu,fri"
);

CREATE TABLE diary_entries (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    at            TIMESTAMPTZ NOT NULL,
    pain          INTEGER NOT NULL, -- 0-10, or -1 for no score
    regions       TEXT NOT NULL,    -- comma-separated region codes
    note          TEXT NOT NULL,
    done          TEXT NOT NULL,    -- comma-separated exercise ids
    routine       BOOLEAN NOT NULL,
    day           INTEGER NOT NULL
);
CREATE INDEX diary_entries_by_plan ON diary_entries (assessment_id, at);

CREATE TABLE rechecks (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    at            TIMESTAMPTZ NOT NULL,
    symptoms      TEXT NOT NULL,    -- JSON, the contract's symptoms object
    pain_now      INTEGER NOT NULL,
    urgency       TEXT NOT NULL
);
CREATE INDEX rechecks_by_plan ON rechecks (assessment_id, at);

-- +goose Down
DROP TABLE rechecks;
DROP TABLE diary_entries;
DROP TABLE plan_settings;
