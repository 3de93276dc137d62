package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"unknot/internal/diary"
	"unknot/internal/mail"
	"unknot/internal/remind"
)

// ErrTooMany is returned when an address already gets the reminders of
// MaxRemindersPerAddress plans.
var ErrTooMany = errors.New("store: too many reminders for this address")

// MaxRemindersPerAddress is how many plans may send reminders to one
// address, so that a form cannot fill a stranger's inbox.
const MaxRemindersPerAddress = 3

// Reminder is what a person chose to be reminded of for their plan.
type Reminder struct {
	AssessmentID int64
	Email        string
	TimeZone     string      // IANA name
	At           diary.Clock // local time of day of both reminders
	// DailyDue and WeeklyDue are when the routine and re-check reminders
	// are next due; nil when not chosen.
	DailyDue, WeeklyDue *time.Time
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// Daily and Weekly report which reminders were chosen.
func (r *Reminder) Daily() bool  { return r.DailyDue != nil }
func (r *Reminder) Weekly() bool { return r.WeeklyDue != nil }

// Location is the reminder's time zone, UTC if it is no longer known.
func (r *Reminder) Location() *time.Location {
	loc, err := time.LoadLocation(r.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// ReminderChoice is what the settings form sends.
type ReminderChoice struct {
	Email         string // a checked address (mail.ParseAddress)
	TimeZone      string // a valid IANA name
	At            diary.Clock
	Daily, Weekly bool // at least one
}

// SetReminder saves choice as the reminders of the plan saved under
// tokenHash, replacing any chosen before, with the first of each due after
// now. It returns ErrNotFound without such a plan, and ErrTooMany when the
// address already gets the reminders of MaxRemindersPerAddress other plans.
func (db *DB) SetReminder(ctx context.Context, tokenHash []byte, choice ReminderChoice, now time.Time) (*Reminder, error) {
	if !choice.Daily && !choice.Weekly {
		return nil, errors.New("store: set reminder: choose the daily or the weekly reminder")
	}
	loc, err := time.LoadLocation(choice.TimeZone)
	if err != nil || choice.TimeZone == "" || choice.TimeZone == "Local" {
		return nil, fmt.Errorf("store: set reminder: time zone %q", choice.TimeZone)
	}
	if !choice.At.Valid() {
		return nil, fmt.Errorf("store: set reminder: time %d", choice.At)
	}
	now = timeOrNow(now)
	var r *Reminder
	err = db.write(ctx, func(tx *sql.Tx) error {
		a, err := assessmentByToken(ctx, tx, tokenHash)
		if err != nil {
			return err
		}
		var others int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reminders WHERE email = $1 AND assessment_id <> $2`,
			choice.Email, a.ID).Scan(&others); err != nil {
			return err
		}
		if others >= MaxRemindersPerAddress {
			return ErrTooMany
		}
		r = &Reminder{AssessmentID: a.ID, Email: choice.Email, TimeZone: choice.TimeZone, At: choice.At, CreatedAt: now, UpdatedAt: now}
		if choice.Daily {
			t := remind.NextDaily(choice.At, loc, now).UTC()
			r.DailyDue = &t
		}
		if choice.Weekly {
			t := remind.NextWeekly(a.CreatedAt, choice.At, loc, now).UTC()
			r.WeeklyDue = &t
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO reminders (assessment_id, email, time_zone, remind_at, daily_due, weekly_due, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
			ON CONFLICT (assessment_id) DO UPDATE SET
				email = excluded.email, time_zone = excluded.time_zone, remind_at = excluded.remind_at,
				daily_due = excluded.daily_due, weekly_due = excluded.weekly_due, updated_at = excluded.updated_at`,
			a.ID, r.Email, r.TimeZone, int(r.At), nullTime(r.DailyDue), nullTime(r.WeeklyDue), now)
		return err
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrTooMany) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: set reminder: %w", err)
	}
	return r, nil
}

// ReminderByToken returns the reminders of the plan saved under tokenHash,
// or ErrNotFound when it has none (or there is no such plan).
func (db *DB) ReminderByToken(ctx context.Context, tokenHash []byte) (*Reminder, error) {
	return db.reminderWhere(ctx, `assessment_id = (SELECT id FROM assessments WHERE token_hash = $1)`, tokenHash)
}

// ReminderByLink returns the reminders that the link of a reminder mail
// manages, or ErrNotFound (they were stopped, or the link is unknown).
func (db *DB) ReminderByLink(ctx context.Context, linkHash []byte) (*Reminder, error) {
	return db.reminderWhere(ctx, `assessment_id = (SELECT assessment_id FROM reminder_links WHERE token_hash = $1)`, linkHash)
}

const reminderSelect = `SELECT assessment_id, email, time_zone, remind_at, daily_due, weekly_due, created_at, updated_at FROM reminders`

func (db *DB) reminderWhere(ctx context.Context, where string, arg any) (*Reminder, error) {
	r, err := scanReminder(db.queryRow(ctx, reminderSelect+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: reminder: %w", err)
	}
	return r, nil
}

func scanReminder(row scanner) (*Reminder, error) {
	var (
		r             Reminder
		daily, weekly sql.NullTime
	)
	if err := row.Scan(&r.AssessmentID, &r.Email, &r.TimeZone, &r.At, &daily, &weekly, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.DailyDue, r.WeeklyDue = utcPtr(daily), utcPtr(weekly)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

// DeleteReminder stops the reminders of the plan saved under tokenHash and
// forgets their address. Stopping reminders that are not there is no error.
func (db *DB) DeleteReminder(ctx context.Context, tokenHash []byte) error {
	return db.deleteReminder(ctx, `assessment_id = (SELECT id FROM assessments WHERE token_hash = $1)`, tokenHash)
}

// UnsubscribeReminder stops the reminders that the link of a reminder mail
// manages and forgets their address, with every link sent for them. It
// returns ErrNotFound when the link is unknown (perhaps already used).
func (db *DB) UnsubscribeReminder(ctx context.Context, linkHash []byte) error {
	return db.deleteReminder(ctx, `assessment_id = (SELECT assessment_id FROM reminder_links WHERE token_hash = $1)`, linkHash, true)
}

func (db *DB) deleteReminder(ctx context.Context, where string, arg any, mustExist ...bool) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE `+where, arg)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 && len(mustExist) > 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("store: delete reminder: %w", err)
	}
	return err
}

// DueReminder is a plan's reminder being written.
type DueReminder struct {
	Reminder
	Due     []remind.Kind   // what to remind of now: Daily, Weekly or both
	Urgency string          // the plan's current urgency
	Result  json.RawMessage // the plan's current result
}

// PlanReminderMail writes the mail of a due reminder. It runs inside the
// store's transaction and returns the message and the hash of the fresh
// link it holds, which manages (and stops) the reminders; a nil message
// means the reminders stop (see remind.Stops), and the store forgets them.
type PlanReminderMail func(d *DueReminder) (m *mail.Message, linkHash []byte, err error)

// QueuePlanReminders writes the plan reminders due at now into the outbox,
// each with a fresh link, moves each on to its next due time, and returns
// how many it wrote. A reminder found more than remind.Late after its time
// (the server was down) is moved on without a mail. Like QueueReminders it
// writes mail only when due, so no link waits in the outbox, and the mail
// worker calls it before each claim.
func (db *DB) QueuePlanReminders(ctx context.Context, now time.Time, compose PlanReminderMail) (int, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var due bool
	if err := db.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM reminders WHERE daily_due <= $1 OR weekly_due <= $1)`, now).Scan(&due); err != nil {
		return 0, fmt.Errorf("store: queue plan reminders: %w", err)
	}
	if !due {
		return 0, nil
	}
	lock := db.onPostgres(" FOR UPDATE OF r SKIP LOCKED")
	sent := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		sent = 0
		type row struct {
			DueReminder
			created time.Time
		}
		var list []*row
		err := each(ctx, tx, `
			SELECT r.assessment_id, r.email, r.time_zone, r.remind_at, r.daily_due, r.weekly_due, r.created_at, r.updated_at,
				a.urgency, a.result, a.created_at
			FROM reminders r JOIN assessments a ON a.id = r.assessment_id
			WHERE r.daily_due <= $1 OR r.weekly_due <= $1
			ORDER BY r.assessment_id LIMIT $2`+lock,
			[]any{now, remindersPerRun}, func(s scanner) error {
				var (
					x             row
					daily, weekly sql.NullTime
					result        string
				)
				if err := s.Scan(&x.AssessmentID, &x.Email, &x.TimeZone, &x.At, &daily, &weekly, &x.CreatedAt, &x.UpdatedAt,
					&x.Urgency, &result, &x.created); err != nil {
					return err
				}
				x.DailyDue, x.WeeklyDue = utcPtr(daily), utcPtr(weekly)
				x.Result = json.RawMessage(result)
				list = append(list, &x)
				return nil
			})
		if err != nil {
			return err
		}
		// Links outlive their mail by remind.LinkLife, no longer.
		if _, err := tx.ExecContext(ctx, `DELETE FROM reminder_links WHERE created_at < $1`, now.Add(-remind.LinkLife)); err != nil {
			return err
		}
		for _, x := range list {
			due, send := remind.Due(x.DailyDue, x.WeeklyDue, now)
			if x.Due = send; len(send) > 0 {
				m, linkHash, err := compose(&x.DueReminder)
				if err != nil {
					return fmt.Errorf("reminder of plan %d: %w", x.AssessmentID, err)
				}
				if m == nil {
					if _, err := tx.ExecContext(ctx, `DELETE FROM reminders WHERE assessment_id = $1`, x.AssessmentID); err != nil {
						return err
					}
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO reminder_links (token_hash, assessment_id, created_at) VALUES ($1, $2, $3)`,
					linkHash, x.AssessmentID, now); err != nil {
					return err
				}
				// Due at once, whatever clock decided that the reminder is.
				if err := enqueueMail(ctx, tx, m, nowMicro()); err != nil {
					return err
				}
				sent++
			}
			loc := x.Location()
			for _, k := range due {
				switch k {
				case remind.Daily:
					t := remind.NextDaily(x.At, loc, now).UTC()
					x.DailyDue = &t
				case remind.Weekly:
					t := remind.NextWeekly(x.created, x.At, loc, now).UTC()
					x.WeeklyDue = &t
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE reminders SET daily_due = $1, weekly_due = $2 WHERE assessment_id = $3`,
				nullTime(x.DailyDue), nullTime(x.WeeklyDue), x.AssessmentID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: queue plan reminders: %w", err)
	}
	return sent, nil
}

// nullTime is t for a nullable column.
func nullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC().Truncate(time.Microsecond), Valid: true}
}
