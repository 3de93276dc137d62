package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"unknot/internal/mail"
	"unknot/internal/program"
)

// ProgramScope is whose plans a home-program query reaches. Only plans
// shared with the clinic now are ever reached; Therapist, when set (a
// clinic therapist's id), narrows that to the plans booked with that
// therapist. Empty reaches every plan shared with the clinic.
type ProgramScope struct {
	Therapist string
}

// inScope is the condition on the plan a (an assessments row) of a scope
// whose therapist is the query's $2.
const inScope = `EXISTS (SELECT 1 FROM shares s WHERE s.assessment_id = a.id AND s.withdrawn_at IS NULL)
	AND ($2 = '' OR EXISTS (SELECT 1 FROM bookings b WHERE b.assessment_id = a.id AND b.therapist_id = $2))`

// PlanProgram is one version of a plan's home program: what it holds,
// whose it is (the clinic's therapist, by id and by name as it was then),
// who saved it (a staff account's email) and when.
type PlanProgram struct {
	Version     int
	Program     program.Program
	TherapistID string
	Therapist   string
	ChangedBy   string
	At          time.Time
}

// ClientPlan is what the therapist's side needs to adjust a client's home
// program: the saved self-check, the client's name and the therapist of
// their latest booking (within the scope), the current program (nil when
// none) and every version saved, oldest first.
type ClientPlan struct {
	Assessment  *Assessment
	ShareID     int64  // the live share that lets the clinic see it
	Client      string // "" when the plan was shared without a booking in scope
	TherapistID string
	Therapist   string
	Program     *PlanProgram
	History     []PlanProgram
}

// ClientProgram returns the plan assessmentID with its home program, or
// ErrNotFound when there is no such plan or it is outside scope (not
// shared with the clinic now, or not booked with the scope's therapist).
func (db *DB) ClientProgram(ctx context.Context, scope ProgramScope, assessmentID int64) (*ClientPlan, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: client program: %w", err)
	}
	defer tx.Rollback()
	c, err := clientPlan(ctx, tx, scope, assessmentID, "")
	if err != nil {
		return nil, err
	}
	if c.History, err = programHistory(ctx, tx, assessmentID); err != nil {
		return nil, fmt.Errorf("store: client program: %w", err)
	}
	c.Program = currentProgram(c.History)
	return c, nil
}

// clientPlan reads the plan assessmentID within scope, with lock (empty,
// or FOR UPDATE) on its row, and the client and therapist of its latest
// booking.
func clientPlan(ctx context.Context, q querier, scope ProgramScope, assessmentID int64, lock string) (*ClientPlan, error) {
	var (
		a               Assessment
		answers, result string
		shareID         int64
	)
	err := q.QueryRowContext(ctx, `
		SELECT a.id, a.token_hash, a.answers, a.result, a.urgency, a.created_at,
			(SELECT max(s.id) FROM shares s WHERE s.assessment_id = a.id AND s.withdrawn_at IS NULL)
		FROM assessments a WHERE a.id = $1 AND `+inScope+lock,
		assessmentID, scope.Therapist).Scan(&a.ID, &a.TokenHash, &answers, &result, &a.Urgency, &a.CreatedAt, &shareID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: client plan: %w", err)
	}
	a.Answers, a.Result, a.CreatedAt = json.RawMessage(answers), json.RawMessage(result), a.CreatedAt.UTC()
	c := &ClientPlan{Assessment: &a, ShareID: shareID}
	err = q.QueryRowContext(ctx, `
		SELECT b.name, b.therapist_id, t.name FROM bookings b JOIN therapists t ON t.id = b.therapist_id
		WHERE b.assessment_id = $1 AND ($2 = '' OR b.therapist_id = $2)
		ORDER BY b.starts_at DESC, b.id DESC LIMIT 1`,
		assessmentID, scope.Therapist).Scan(&c.Client, &c.TherapistID, &c.Therapist)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: client plan: therapist: %w", err)
	}
	return c, nil
}

// programHistory returns every version of the home program of the plan
// assessmentID, oldest first.
func programHistory(ctx context.Context, q querier, assessmentID int64) ([]PlanProgram, error) {
	return programVersions(ctx, q, assessmentID, "ORDER BY version")
}

// latestProgram returns the version of the plan's home program that is
// followed (the last), or nil: all a plan's pages need of its history.
func latestProgram(ctx context.Context, q querier, assessmentID int64) (*PlanProgram, error) {
	last, err := programVersions(ctx, q, assessmentID, "ORDER BY version DESC LIMIT 1")
	return currentProgram(last), err
}

// programVersions returns the versions of the home program of the plan
// assessmentID, in the order (and limit) that order gives.
func programVersions(ctx context.Context, q querier, assessmentID int64, order string) ([]PlanProgram, error) {
	var out []PlanProgram
	err := each(ctx, q, `
		SELECT version, program, therapist_id, therapist, changed_by, changed_at
		FROM program_changes WHERE assessment_id = $1 `+order,
		[]any{assessmentID}, func(r scanner) error {
			var (
				p   PlanProgram
				raw string
			)
			if err := r.Scan(&p.Version, &raw, &p.TherapistID, &p.Therapist, &p.ChangedBy, &p.At); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(raw), &p.Program); err != nil {
				return fmt.Errorf("program version %d: %w", p.Version, err)
			}
			p.At = p.At.UTC()
			out = append(out, p)
			return nil
		})
	return out, err
}

// currentProgram is the last of a plan's program versions, or nil.
func currentProgram(history []PlanProgram) *PlanProgram {
	if len(history) == 0 {
		return nil
	}
	return &history[len(history)-1]
}

// Followed returns the program of p and the name of its therapist, or nil
// and "" when p is nil (the plan has no home program).
func (p *PlanProgram) Followed() (*program.Program, string) {
	if p == nil {
		return nil, ""
	}
	return &p.Program, p.Therapist
}

// ProgramRecipient is the person a program's letter goes to: the client
// of the plan's latest booking that still has an address.
type ProgramRecipient struct {
	Name, Email string
	Therapist   string // the name of the therapist whose program it is
}

// ProgramSave is a change of a plan's home program.
type ProgramSave struct {
	Scope        ProgramScope
	AssessmentID int64
	Therapist    string // the id of the clinic's therapist whose program it is
	By           string // the staff account that saves it
	// Check returns the program to save, checked against the plan as it
	// is inside the transaction (a re-check may have replaced its result
	// since the form was shown). Its error, such as valid.Errors, comes
	// back from SaveProgram as it is, and nothing is saved.
	Check func(a *Assessment) (program.Program, error)
	// Mail writes the letter that tells the person; it runs inside the
	// transaction, and only when the plan has a client with an address.
	Mail func(to ProgramRecipient) (*mail.Message, error)
	Now  time.Time // zero means now
}

// SaveProgram saves a new version of a plan's home program (the current
// one is the highest) and the letter to the person, in one transaction,
// or nothing. It returns ErrNotFound when the plan is outside the scope or
// gone, or the therapist unknown.
func (db *DB) SaveProgram(ctx context.Context, ps ProgramSave) (*PlanProgram, error) {
	at := timeOrNow(ps.Now)
	var saved *PlanProgram
	// Two saves of one plan take turns, and so do a save and a deletion.
	lock := db.onPostgres(" FOR UPDATE OF a")
	err := db.write(ctx, func(tx *sql.Tx) error {
		c, err := clientPlan(ctx, tx, ps.Scope, ps.AssessmentID, lock)
		if err != nil {
			return err
		}
		p := PlanProgram{TherapistID: ps.Therapist, ChangedBy: ps.By, At: at}
		err = tx.QueryRowContext(ctx, `SELECT name FROM therapists WHERE id = $1`, ps.Therapist).Scan(&p.Therapist)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("unknown therapist %q: %w", ps.Therapist, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if p.Program, err = ps.Check(c.Assessment); err != nil {
			return err
		}
		raw, err := json.Marshal(p.Program)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM program_changes WHERE assessment_id = $1`,
			ps.AssessmentID).Scan(&p.Version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO program_changes (assessment_id, version, therapist_id, therapist, changed_by, program, changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			ps.AssessmentID, p.Version, p.TherapistID, p.Therapist, p.ChangedBy, string(raw), at); err != nil {
			return err
		}
		to := ProgramRecipient{Therapist: p.Therapist}
		err = tx.QueryRowContext(ctx, `
			SELECT name, email FROM bookings WHERE assessment_id = $1 AND email <> '' ORDER BY id DESC LIMIT 1`,
			ps.AssessmentID).Scan(&to.Name, &to.Email)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case ps.Mail != nil:
			m, err := ps.Mail(to)
			if err != nil {
				return fmt.Errorf("program mail: %w", err)
			}
			if err := enqueueMail(ctx, tx, m, at); err != nil {
				return err
			}
		}
		saved = &p
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: save program: %w", err)
	}
	return saved, nil
}

// deletePrograms removes the home program of the plan assessmentID and its
// history (DeletePlan).
func deletePrograms(ctx context.Context, tx *sql.Tx, assessmentID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM program_changes WHERE assessment_id = $1`, assessmentID); err != nil {
		return fmt.Errorf("delete the home program of plan %d: %w", assessmentID, err)
	}
	return nil
}
