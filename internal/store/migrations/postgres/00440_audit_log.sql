-- +goose Up
-- Every view of a client's health data by the clinic's staff: who
-- (the account, with its email and the clinic therapist it acted as, kept
-- as they were then, so that the record outlives a renamed or removed
-- account), whose (the share and the self-check, never the private link),
-- what (the kind of view), when and from where (the client address as the
-- server decided it). Rows are only ever added: the trigger refuses any
-- change, deletion or truncation, and nothing here holds health data, so
-- the record stays when the person deletes their plan.
CREATE TABLE audit_log (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    account_id     BIGINT NOT NULL,
    account_email  TEXT NOT NULL,
    therapist_name TEXT NOT NULL,
    share_id       BIGINT NOT NULL,
    assessment_id  BIGINT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('client_view', 'client_diary_csv', 'client_program')),
    client_ip      TEXT NOT NULL
);
CREATE INDEX audit_log_by_account ON audit_log (account_id, id);
CREATE INDEX audit_log_by_share ON audit_log (share_id, id);
CREATE INDEX audit_log_by_assessment ON audit_log (assessment_id, id);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
