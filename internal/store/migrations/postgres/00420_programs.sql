-- +goose Up
-- A plan's home program from a therapist (issue 9): every version ever
-- saved, with who saved it and when; the current program is the plan's
-- highest version. program is the JSON of program.Program; therapist_id
-- and therapist are the id and the name (as it was then) of the clinic's
-- therapist whose program it is, and changed_by the staff account that
-- saved it. The rows go with the plan when the person deletes it.
CREATE TABLE program_changes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    therapist_id  TEXT NOT NULL,
    therapist     TEXT NOT NULL,
    changed_by    TEXT NOT NULL,
    program       TEXT NOT NULL,
    changed_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (assessment_id, version)
);

-- +goose Down
DROP TABLE program_changes;
