package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"unknot/internal/booking"
	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/outcome"
)

// querier is what both a pool and a transaction can run queries on.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// AddEntry saves e in the diary of the plan assessmentID, setting e.ID,
// or returns ErrNotFound when there is no such plan. e.At is kept in UTC
// to the microsecond.
func (db *DB) AddEntry(ctx context.Context, assessmentID int64, e *diary.Entry) error {
	return db.addEntry(ctx, `id = $1`, assessmentID, e)
}

// AddEntryByToken is AddEntry for the plan saved under tokenHash: one
// statement, with no read before it, for the API's busiest write.
func (db *DB) AddEntryByToken(ctx context.Context, tokenHash []byte, e *diary.Entry) error {
	return db.addEntry(ctx, `token_hash = $1`, tokenHash, e)
}

// addEntry writes e for the assessment that where (on the assessments
// table, $1 bound to key) selects. Entries logged at the same moment share
// one transaction (writeGrouped), the API's busiest write.
func (db *DB) addEntry(ctx context.Context, where string, key any, e *diary.Entry) error {
	saved := *e // the caller may stop waiting and reuse e
	at := saved.At.UTC().Truncate(time.Microsecond)
	var id int64
	err := db.writeGrouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO diary_entries (assessment_id, at, pain, regions, note, done, routine, day)
			SELECT id, $2, $3, $4, $5, $6, $7, $8 FROM assessments WHERE `+where+`
			RETURNING id`,
			key, at, saved.Pain, strings.Join(saved.Regions, ","), saved.Note, strings.Join(saved.Done, ","), saved.Routine, saved.Day,
		).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: add diary entry: %w", err)
	}
	e.ID, e.At = id, at
	return nil
}

// Entries returns the diary entries of the plan assessmentID with
// from ≤ At < to, oldest first. A zero from or to leaves that end open.
func (db *DB) Entries(ctx context.Context, assessmentID int64, from, to time.Time) ([]diary.Entry, error) {
	return entries(ctx, db.rdb, assessmentID, from, to)
}

func entries(ctx context.Context, q querier, assessmentID int64, from, to time.Time) ([]diary.Entry, error) {
	if from.IsZero() {
		from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rows, err := q.QueryContext(ctx, `
		SELECT id, at, pain, regions, note, done, routine, day
		FROM diary_entries
		WHERE assessment_id = $1 AND at >= $2 AND at < $3
		ORDER BY at, id`,
		assessmentID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: diary entries: %w", err)
	}
	return scanEntries(rows)
}

// scanEntries reads the rows of a query for diary entries' columns (id,
// at, pain, regions, note, done, routine, day) and closes them.
func scanEntries(rows *sql.Rows) ([]diary.Entry, error) {
	defer rows.Close()
	var out []diary.Entry
	for rows.Next() {
		var (
			e             diary.Entry
			regions, done string
		)
		if err := rows.Scan(&e.ID, &e.At, &e.Pain, &regions, &e.Note, &done, &e.Routine, &e.Day); err != nil {
			return nil, fmt.Errorf("store: diary entries: %w", err)
		}
		e.At = e.At.UTC()
		e.Regions, e.Done = splitList(regions), splitList(done)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: diary entries: %w", err)
	}
	return out, nil
}

// splitList reads a comma-separated list; "" is the empty list.
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// AddRecheck saves the weekly re-check r of the plan assessmentID, setting
// r.ID, and makes result (the self-check run again with the re-check's
// answers, whose urgency is r.Urgency) the plan's current result. Both
// happen or neither.
func (db *DB) AddRecheck(ctx context.Context, assessmentID int64, r *diary.Recheck, result json.RawMessage) error {
	if !json.Valid(result) {
		return errors.New("store: add re-check: result is not valid JSON")
	}
	symptoms, err := json.Marshal(r.Symptoms)
	if err != nil {
		return fmt.Errorf("store: add re-check: %w", err)
	}
	at := r.At.UTC().Truncate(time.Microsecond)
	err = db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE assessments SET result = $1, urgency = $2 WHERE id = $3`,
			string(result), r.Urgency, assessmentID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO rechecks (assessment_id, at, symptoms, pain_now, urgency)
			VALUES ($1, $2, $3, $4, $5)
			RETURNING id`,
			assessmentID, at, string(symptoms), r.PainNow, r.Urgency,
		).Scan(&r.ID)
	})
	if err != nil {
		return fmt.Errorf("store: add re-check: %w", err)
	}
	r.At = at
	return nil
}

// rechecks returns the re-checks of the plan assessmentID, oldest first.
func rechecks(ctx context.Context, q querier, assessmentID int64) ([]diary.Recheck, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, at, symptoms, pain_now, urgency
		FROM rechecks
		WHERE assessment_id = $1
		ORDER BY at, id`,
		assessmentID)
	if err != nil {
		return nil, fmt.Errorf("store: re-checks: %w", err)
	}
	defer rows.Close()
	var out []diary.Recheck
	for rows.Next() {
		var (
			r        diary.Recheck
			symptoms string
		)
		if err := rows.Scan(&r.ID, &r.At, &symptoms, &r.PainNow, &r.Urgency); err != nil {
			return nil, fmt.Errorf("store: re-checks: %w", err)
		}
		if err := json.Unmarshal([]byte(symptoms), &r.Symptoms); err != nil {
			return nil, fmt.Errorf("store: re-check %d: symptoms: %w", r.ID, err)
		}
		if r.EarlierSigns, err = earlierSigns(symptoms); err != nil {
			return nil, fmt.Errorf("store: re-check %d: symptoms: %w", r.ID, err)
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: re-checks: %w", err)
	}
	return out, nil
}

// planSettings returns the settings of the plan assessmentID, or
// diary.DefaultSettings when none were saved.
func planSettings(ctx context.Context, q querier, assessmentID int64) (diary.Settings, error) {
	var (
		s    diary.Settings
		days string
	)
	err := q.QueryRowContext(ctx, `
		SELECT time_zone, work_start, work_end, work_days
		FROM plan_settings
		WHERE assessment_id = $1`,
		assessmentID,
	).Scan(&s.TimeZone, &s.WorkStart, &s.WorkEnd, &days)
	if errors.Is(err, sql.ErrNoRows) {
		return diary.DefaultSettings(), nil
	}
	if err != nil {
		return s, fmt.Errorf("store: plan settings: %w", err)
	}
	if s.WorkDays, err = diary.ParseWeekdays(splitList(days)); err != nil {
		return s, fmt.Errorf("store: plan settings: %w", err)
	}
	return s, nil
}

// SavePlanSettings saves s as the settings of the plan assessmentID,
// replacing any saved before, or returns ErrNotFound when the plan is
// gone. s must be valid (see diary.Settings.Validate).
func (db *DB) SavePlanSettings(ctx context.Context, assessmentID int64, s diary.Settings) error {
	if errs := s.Validate(); len(errs) > 0 {
		return fmt.Errorf("store: save plan settings: %w", errs)
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO plan_settings (assessment_id, time_zone, work_start, work_end, work_days)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (assessment_id) DO UPDATE SET
				time_zone = excluded.time_zone,
				work_start = excluded.work_start,
				work_end = excluded.work_end,
				work_days = excluded.work_days`,
			assessmentID, s.TimeZone, int(s.WorkStart), int(s.WorkEnd), strings.Join(diary.WeekdayNames(s.WorkDays), ","))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save plan settings: %w", err)
	}
	return nil
}

// AdoptTimeZone sets the time zone of the plan saved under tokenHash to
// zone when none is set yet, keeping the other settings (or the defaults).
// The diary form sends the browser's zone this way, so that days are
// counted where the person lives from the first entry on. A zone already
// chosen is left alone.
func (db *DB) AdoptTimeZone(ctx context.Context, tokenHash []byte, zone string) error {
	def := diary.DefaultSettings()
	def.TimeZone = zone
	if errs := def.Validate(); len(errs) > 0 {
		return fmt.Errorf("store: adopt time zone: %w", errs)
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO plan_settings (assessment_id, time_zone, work_start, work_end, work_days)
			SELECT id, $2, $3, $4, $5 FROM assessments WHERE token_hash = $1
			ON CONFLICT (assessment_id) DO UPDATE SET time_zone = excluded.time_zone
			WHERE plan_settings.time_zone = ''`,
			tokenHash, zone, int(def.WorkStart), int(def.WorkEnd), strings.Join(diary.WeekdayNames(def.WorkDays), ","))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: adopt time zone: %w", err)
	}
	return nil
}

// PlanExport is everything kept about one plan, for the person to take
// away.
type PlanExport struct {
	Assessment *Assessment
	Settings   diary.Settings
	Entries    []diary.Entry
	Rechecks   []diary.Recheck
	// Bookings are those made with the plan, and Shares the times it was
	// shared with the clinic.
	Bookings []booking.Booking
	Shares   []Share
	// Views are the times the clinic's therapists looked at the shared
	// data (the audit log's rows about this plan).
	Views []PlanView
	// Reminder is what the person chose to be reminded of, with the
	// address it goes to; nil when none.
	Reminder *Reminder
	// Outcomes are the plan's activities and measurements (outcome.go).
	Outcomes outcome.History
	// ProgramHistory is every version of the home program a therapist
	// gave, oldest first, and Program the current one (the last), or nil.
	ProgramHistory []PlanProgram
	Program        *PlanProgram
	// VisitNotes are the therapists' notes on the visits booked with the
	// plan, every saved version, oldest first.
	VisitNotes []PlanVisitNote
}

// earlierSigns returns, sorted, the warning signs answered yes in a saved
// re-check's symptoms under names that care.Symptoms does not have: those
// of an earlier version of the self-check, kept as they were saved.
func earlierSigns(saved string) ([]string, error) {
	var answered map[string]bool
	if err := json.Unmarshal([]byte(saved), &answered); err != nil {
		return nil, err
	}
	known, err := json.Marshal(care.Symptoms{})
	if err != nil {
		return nil, err
	}
	var current map[string]bool
	if err := json.Unmarshal(known, &current); err != nil {
		return nil, err
	}
	var out []string
	for name, yes := range answered {
		if _, ok := current[name]; yes && !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out, nil
}

// ExportPlan returns everything kept about the plan saved under tokenHash,
// read in one transaction so that the parts agree, or ErrNotFound.
func (db *DB) ExportPlan(ctx context.Context, tokenHash []byte) (*PlanExport, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: export plan: %w", err)
	}
	defer tx.Rollback()
	a, err := assessmentByToken(ctx, tx, tokenHash)
	if err != nil {
		return nil, err
	}
	x := &PlanExport{Assessment: a}
	if x.Settings, err = planSettings(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if x.Entries, err = entries(ctx, tx, a.ID, time.Time{}, time.Time{}); err != nil {
		return nil, err
	}
	if x.Rechecks, err = rechecks(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if x.Bookings, err = planBookings(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if x.Shares, err = shares(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if x.Outcomes, err = outcomes(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if x.ProgramHistory, err = programHistory(ctx, tx, a.ID); err != nil {
		return nil, fmt.Errorf("store: export plan: %w", err)
	}
	x.Program = currentProgram(x.ProgramHistory)
	if x.Views, err = planViews(ctx, tx, a); err != nil {
		return nil, err
	}
	if x.VisitNotes, err = planVisitNotes(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	x.Reminder, err = scanReminder(tx.QueryRowContext(ctx, reminderSelect+` WHERE assessment_id = $1`, a.ID))
	if errors.Is(err, sql.ErrNoRows) {
		x.Reminder, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: export plan: reminder: %w", err)
	}
	return x, nil
}

// DeletePlan deletes the plan saved under tokenHash with its settings,
// diary, re-checks, outcomes, shares and home programs, in one transaction,
// or returns ErrNotFound. The bookings made with the plan stay as the
// clinic's record of the visits, with the client's name replaced by
// DeletedClient and their address, phone and note removed; the
// therapists' visit notes stay with them (DESIGN.md). On
// SQLite the freed space is overwritten and the write-ahead log emptied
// into the file, so the deleted answers and notes do not linger on disk.
func (db *DB) DeletePlan(ctx context.Context, tokenHash []byte) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if db.dialect == SQLite {
			if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
				return err
			}
		}
		// On PostgreSQL the plan's row is locked before anything else, so
		// that a second deletion waits here and then finds it gone, and
		// writes that got in first finish before their rows are deleted.
		lock := db.onPostgres(" FOR UPDATE")
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE token_hash = $1`+lock, tokenHash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := forgetPlanClient(ctx, tx, id); err != nil {
			return err
		}
		if err := deletePrograms(ctx, tx, id); err != nil {
			return err
		}
		// The foreign keys cascade; deleting the diary's rows by name
		// keeps this whole even where a database runs without them.
		for _, q := range []string{
			`DELETE FROM diary_entries WHERE assessment_id = $1`,
			`DELETE FROM rechecks WHERE assessment_id = $1`,
			`DELETE FROM outcome_scores WHERE measurement_id IN (SELECT id FROM outcome_measurements WHERE assessment_id = $1)`,
			`DELETE FROM outcome_measurements WHERE assessment_id = $1`,
			`DELETE FROM outcome_activities WHERE assessment_id = $1`,
			`DELETE FROM plan_settings WHERE assessment_id = $1`,
			`DELETE FROM assessments WHERE id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: delete plan: %w", err)
	}
	db.days.forget(tokenHash)
	if db.dialect == SQLite {
		// Best effort: with readers busy the log is emptied at the next
		// checkpoint instead, and the deletion itself has succeeded.
		db.wdb.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	return nil
}
