-- +goose Up
-- Every view of a client's health data by the clinic's staff: who
-- (the account, with its email and the clinic therapist it acted as, kept
-- as they were then, so that the record outlives a renamed or removed
-- account), whose (the share and the self-check, never the private link),
-- what (the kind of view), when and from where (the client address as the
-- server decided it). Rows are only ever added: the triggers refuse any
-- change or deletion, and nothing here holds health data, so the record
-- stays when the person deletes their plan.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    at             DATETIME NOT NULL,
    account_id     INTEGER NOT NULL,
    account_email  TEXT NOT NULL,
    therapist_name TEXT NOT NULL,
    share_id       INTEGER NOT NULL,
    assessment_id  INTEGER NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('client_view', 'client_diary_csv', 'client_program')),
    client_ip      TEXT NOT NULL
);
CREATE INDEX audit_log_by_account ON audit_log (account_id, id);
CREATE INDEX audit_log_by_share ON audit_log (share_id, id);
CREATE INDEX audit_log_by_assessment ON audit_log (assessment_id, id);

-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd

-- The audit log names a client by their share's id, which must therefore
-- never name another person: SQLite gives a new row the highest id plus
-- one, so the id of a share deleted with its plan could come back. With
-- AUTOINCREMENT it never does (PostgreSQL's identity columns never reuse
-- an id). Nothing refers to shares by key, so the table is rebuilt.
CREATE TABLE shares_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    booking_id    INTEGER REFERENCES bookings (id) ON DELETE SET NULL,
    shared_at     DATETIME NOT NULL,
    withdrawn_at  DATETIME
);
INSERT INTO shares_new (id, assessment_id, booking_id, shared_at, withdrawn_at)
    SELECT id, assessment_id, booking_id, shared_at, withdrawn_at FROM shares;
DROP TABLE shares;
ALTER TABLE shares_new RENAME TO shares;
CREATE UNIQUE INDEX shares_live ON shares (assessment_id) WHERE withdrawn_at IS NULL;
CREATE INDEX shares_by_assessment ON shares (assessment_id);

-- +goose Down
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
