-- +goose Up
-- Outcomes of a saved plan (internal/outcome): the activities the person
-- finds hard, in their words, each in a slot (1-3) from when it was
-- chosen until it was replaced; the measurements with their occasion,
-- pain score and global rating of change; and each activity's score in a
-- measurement. Everything hangs off the assessment and goes with it.
CREATE TABLE outcome_activities (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    slot          INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 3),
    name          TEXT NOT NULL,
    chosen_at     TIMESTAMPTZ NOT NULL,
    replaced_at   TIMESTAMPTZ
);
-- One current activity per slot.
CREATE UNIQUE INDEX outcome_activities_current ON outcome_activities (assessment_id, slot) WHERE replaced_at IS NULL;

CREATE TABLE outcome_measurements (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    at            TIMESTAMPTZ NOT NULL,
    occasion      TEXT NOT NULL,    -- start, recheck or visit
    booking_id    BIGINT REFERENCES bookings (id) ON DELETE SET NULL,
    pain          INTEGER NOT NULL, -- 0-10
    global_change INTEGER           -- -7..7, none at the start
);
CREATE INDEX outcome_measurements_by_plan ON outcome_measurements (assessment_id, at);

CREATE TABLE outcome_scores (
    measurement_id BIGINT NOT NULL REFERENCES outcome_measurements (id) ON DELETE CASCADE,
    activity_id    BIGINT NOT NULL REFERENCES outcome_activities (id) ON DELETE CASCADE,
    score          INTEGER NOT NULL, -- 0-10
    PRIMARY KEY (measurement_id, activity_id)
);

-- +goose Down
DROP TABLE outcome_scores;
DROP TABLE outcome_measurements;
DROP TABLE outcome_activities;
