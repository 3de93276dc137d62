package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// What a row of the audit log records as viewed.
const (
	AuditClientView = "client_view"      // the client page: result, diary chart and entries
	AuditClientCSV  = "client_diary_csv" // the client's whole diary as CSV
	// AuditClientProgram is the home program's page, which shows the
	// self-check's urgency, pain and what the answers rule out.
	AuditClientProgram = "client_program"
)

// AuditEntry is one view of a client's health data by the clinic's staff:
// who (the account, its email and the therapist it acted as), whose (the
// share and its self-check, never the private link), what, when and from
// which client address.
type AuditEntry struct {
	ID            int64
	At            time.Time
	AccountID     int64
	AccountEmail  string
	TherapistName string
	ShareID       int64
	AssessmentID  int64
	Action        string // AuditClientView, AuditClientCSV or AuditClientProgram
	ClientIP      string
}

// auditInsert appends a row to the audit log.
const auditInsert = `
	INSERT INTO audit_log (at, account_id, account_email, therapist_name, share_id, assessment_id, action, client_ip)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`

// RecordView appends e to the audit log, setting its ID, and returns once
// the row is committed, so that a view's data goes out only after its
// record. Views arriving together share one commit (writeGrouped): on
// PostgreSQL each commit waits for its log to reach the disk, and that
// wait, not the insert, is what the audit adds to a view. The log is
// append-only: the database refuses any change to a row once written.
func (db *DB) RecordView(ctx context.Context, e *AuditEntry) error {
	if e.Action != AuditClientView && e.Action != AuditClientCSV && e.Action != AuditClientProgram {
		return fmt.Errorf("store: record view: unknown action %q", e.Action)
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	// Prepared once: it runs on every view of a client's data.
	_, err := db.stmts(ctx, auditInsert)
	if err == nil {
		err = db.writeGrouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
			return db.txQueryRow(ctx, tx, auditInsert,
				e.At, e.AccountID, e.AccountEmail, e.TherapistName, e.ShareID, e.AssessmentID, e.Action, e.ClientIP).Scan(&e.ID)
		})
	}
	if err != nil {
		return fmt.Errorf("store: record view of share %d: %w", e.ShareID, err)
	}
	return nil
}

// AuditFilter picks a page of the audit log: rows of one account and of
// one share when those are not 0, older than the row Before when it is
// not 0, at most Limit.
type AuditFilter struct {
	AccountID int64
	ShareID   int64
	Before    int64
	Limit     int
}

// AuditLog returns a page of the audit log as f picks it, newest first,
// and whether older rows remain.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, bool, error) {
	var out []AuditEntry
	err := each(ctx, db.rdb, `
		SELECT id, at, account_id, account_email, therapist_name, share_id, assessment_id, action, client_ip
		FROM audit_log
		WHERE (CAST($1 AS BIGINT) = 0 OR account_id = $1)
			AND (CAST($2 AS BIGINT) = 0 OR share_id = $2)
			AND (CAST($3 AS BIGINT) = 0 OR id < $3)
		ORDER BY id DESC
		LIMIT $4`,
		[]any{f.AccountID, f.ShareID, f.Before, f.Limit + 1}, func(r scanner) error {
			var e AuditEntry
			if err := r.Scan(&e.ID, &e.At, &e.AccountID, &e.AccountEmail, &e.TherapistName, &e.ShareID, &e.AssessmentID, &e.Action, &e.ClientIP); err != nil {
				return err
			}
			e.At = e.At.UTC()
			out = append(out, e)
			return nil
		})
	if err != nil {
		return nil, false, fmt.Errorf("store: audit log: %w", err)
	}
	more := len(out) > f.Limit
	if more {
		out = out[:f.Limit]
	}
	return out, more, nil
}

// PlanView is a view of a person's data by the clinic, as their own
// export lists it: when, what, and the therapist's name, nothing else
// about the staff.
type PlanView struct {
	At        time.Time `json:"at"`
	What      string    `json:"what"`
	Therapist string    `json:"therapist"`
}

// planViews returns the views of the data of the self-check a, oldest
// first. Only views since a was saved count: the audit log keeps the
// rows of deleted plans, and SQLite may give a new plan the id of one
// deleted before it.
func planViews(ctx context.Context, q querier, a *Assessment) ([]PlanView, error) {
	var out []PlanView
	err := each(ctx, q, `SELECT at, action, therapist_name FROM audit_log WHERE assessment_id = $1 AND at >= $2 ORDER BY id`,
		[]any{a.ID, a.CreatedAt.UTC()}, func(r scanner) error {
			var v PlanView
			if err := r.Scan(&v.At, &v.What, &v.Therapist); err != nil {
				return err
			}
			v.At = v.At.UTC()
			out = append(out, v)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: views of plan %d: %w", a.ID, err)
	}
	return out, nil
}
