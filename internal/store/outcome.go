package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/outcome"
	"unknot/internal/valid"
)

// AddOutcome saves the measurement in, taken on its occasion at at, for
// the plan assessmentID, and returns it; bookingID (0: none) is the visit
// it came before. It is checked against the plan's history in the same
// transaction (a second starting point is refused), so a bad input
// returns its valid.Errors and writes nothing. A new activity name
// replaces its slot's activity, which keeps its scores (outcome.Resolve).
// ErrNotFound when the plan is gone.
func (db *DB) AddOutcome(ctx context.Context, assessmentID int64, in outcome.Input, at time.Time, bookingID int64) (*outcome.Measurement, error) {
	at = at.UTC().Truncate(time.Microsecond)
	m := &outcome.Measurement{At: at, Occasion: in.Occasion, BookingID: bookingID, Global: in.Global, Scores: []outcome.Score{}}
	err := db.write(ctx, func(tx *sql.Tx) error {
		// The plan's row is locked first on PostgreSQL, so that two
		// measurements of one plan are checked one after the other.
		lock := db.onPostgres(" FOR UPDATE")
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE id = $1`+lock, assessmentID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		h, err := outcomes(ctx, tx, assessmentID)
		if err != nil {
			return err
		}
		if errs := in.Validate(h); len(errs) > 0 {
			return errs
		}
		m.Pain = *in.Pain
		err = tx.QueryRowContext(ctx, `
			INSERT INTO outcome_measurements (assessment_id, at, occasion, booking_id, pain, global_change)
			VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			assessmentID, at, string(in.Occasion), sql.NullInt64{Int64: bookingID, Valid: bookingID != 0}, m.Pain, nullInt(in.Global),
		).Scan(&m.ID)
		if err != nil {
			return err
		}
		r := outcome.Resolve(h.Current(), in)
		for _, s := range r.Started {
			if _, err := tx.ExecContext(ctx, `
				UPDATE outcome_activities SET replaced_at = $1
				WHERE assessment_id = $2 AND slot = $3 AND replaced_at IS NULL`,
				at, assessmentID, s.Slot); err != nil {
				return err
			}
			var aid int64
			if err := tx.QueryRowContext(ctx, `
				INSERT INTO outcome_activities (assessment_id, slot, name, chosen_at)
				VALUES ($1, $2, $3, $4)
				RETURNING id`,
				assessmentID, s.Slot, s.Name, at).Scan(&aid); err != nil {
				return err
			}
			r.Kept = append(r.Kept, outcome.Score{Activity: aid, Score: s.Score})
		}
		for _, s := range r.Kept {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO outcome_scores (measurement_id, activity_id, score) VALUES ($1, $2, $3)`,
				m.ID, s.Activity, s.Score); err != nil {
				return err
			}
		}
		m.Scores = r.Kept
		return nil
	})
	var errs valid.Errors
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, err
	case errors.As(err, &errs):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("store: add outcome: %w", err)
	}
	return m, nil
}

// nullInt is p as a nullable column.
func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

// Outcomes returns the outcome history of the plan assessmentID, oldest
// first: every activity, replaced ones included, and every measurement
// with its scores. A plan with none has an empty history.
func (db *DB) Outcomes(ctx context.Context, assessmentID int64) (outcome.History, error) {
	var h outcome.History
	err := db.read(ctx, func(q querier) (err error) {
		h, err = outcomes(ctx, q, assessmentID)
		return err
	})
	return h, err
}

func outcomes(ctx context.Context, q querier, assessmentID int64) (outcome.History, error) {
	h := outcome.History{Activities: []outcome.Activity{}, Measurements: []outcome.Measurement{}}
	rows, err := q.QueryContext(ctx, `
		SELECT id, slot, name, chosen_at, replaced_at
		FROM outcome_activities
		WHERE assessment_id = $1
		ORDER BY chosen_at, slot, id`, assessmentID)
	if err != nil {
		return h, fmt.Errorf("store: outcome activities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			a        outcome.Activity
			replaced sql.NullTime
		)
		if err := rows.Scan(&a.ID, &a.Slot, &a.Name, &a.Chosen, &replaced); err != nil {
			return h, fmt.Errorf("store: outcome activities: %w", err)
		}
		a.Chosen = a.Chosen.UTC()
		if replaced.Valid {
			t := replaced.Time.UTC()
			a.Replaced = &t
		}
		h.Activities = append(h.Activities, a)
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("store: outcome activities: %w", err)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `
		SELECT m.id, m.at, m.occasion, m.booking_id, m.pain, m.global_change, s.activity_id, s.score
		FROM outcome_measurements m
		LEFT JOIN outcome_scores s ON s.measurement_id = m.id
		WHERE m.assessment_id = $1
		ORDER BY m.at, m.id, s.activity_id`, assessmentID)
	if err != nil {
		return h, fmt.Errorf("store: outcome measurements: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			m                           outcome.Measurement
			booking, global, act, score sql.NullInt64
		)
		if err := rows.Scan(&m.ID, &m.At, &m.Occasion, &booking, &m.Pain, &global, &act, &score); err != nil {
			return h, fmt.Errorf("store: outcome measurements: %w", err)
		}
		if n := len(h.Measurements); n == 0 || h.Measurements[n-1].ID != m.ID {
			m.At, m.BookingID, m.Scores = m.At.UTC(), booking.Int64, []outcome.Score{}
			if global.Valid {
				g := int(global.Int64)
				m.Global = &g
			}
			h.Measurements = append(h.Measurements, m)
		}
		if act.Valid {
			last := &h.Measurements[len(h.Measurements)-1]
			last.Scores = append(last.Scores, outcome.Score{Activity: act.Int64, Score: int(score.Int64)})
		}
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("store: outcome measurements: %w", err)
	}
	return h, nil
}

// VisitPlan is a booking's link to the plan its client made, for the
// measurement before the visit.
type VisitPlan struct {
	BookingID    int64
	AssessmentID int64 // 0 when the booking carries no plan
	Start        time.Time
	Status       string
}

// VisitPlanByLink returns the plan link of the booking whose private link
// has tokenHash, or ErrNotFound.
func (db *DB) VisitPlanByLink(ctx context.Context, tokenHash []byte) (*VisitPlan, error) {
	var (
		v    VisitPlan
		plan sql.NullInt64
	)
	err := db.rdb.QueryRowContext(ctx, `
		SELECT b.id, b.assessment_id, b.starts_at, b.status
		FROM bookings b JOIN booking_tokens t ON t.booking_id = b.id
		WHERE t.token_hash = $1`, tokenHash).Scan(&v.BookingID, &plan, &v.Start, &v.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: visit plan: %w", err)
	}
	v.AssessmentID, v.Start = plan.Int64, v.Start.UTC()
	return &v, nil
}
