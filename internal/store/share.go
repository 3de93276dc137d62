package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/booking"
)

// Share is a self-check, with its diary, shared with the clinic: live
// until the person withdraws it.
type Share struct {
	ID          int64
	BookingID   int64 // the booking it was given with; 0 when none or gone
	SharedAt    time.Time
	WithdrawnAt *time.Time
}

// sharePlan shares the self-check assessmentID with the clinic, given with
// booking bookingID, unless it is shared already.
func sharePlan(ctx context.Context, tx *sql.Tx, assessmentID, bookingID int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO shares (assessment_id, booking_id, shared_at) VALUES ($1, $2, $3)
		ON CONFLICT (assessment_id) WHERE withdrawn_at IS NULL DO NOTHING`,
		assessmentID, bookingID, at)
	if err != nil {
		return fmt.Errorf("share the self-check: %w", err)
	}
	return nil
}

// WithdrawShare ends the sharing of the self-check saved under tokenHash
// with the clinic, at now, and reports whether it was shared. It returns
// ErrNotFound when there is no such self-check.
func (db *DB) WithdrawShare(ctx context.Context, tokenHash []byte, now time.Time) (bool, error) {
	withdrawn := false
	err := db.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM assessments WHERE token_hash = $1`, tokenHash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE shares SET withdrawn_at = $2 WHERE assessment_id = $1 AND withdrawn_at IS NULL`,
			id, now.UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		withdrawn = n > 0
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return false, ErrNotFound
	}
	if err != nil {
		return false, fmt.Errorf("store: withdraw share: %w", err)
	}
	return withdrawn, nil
}

// LiveShare returns the share of the self-check saved under tokenHash with
// the clinic while it lasts, or nil when it is not shared (never, or
// withdrawn). It returns ErrNotFound when there is no such self-check.
func (db *DB) LiveShare(ctx context.Context, tokenHash []byte) (*Share, error) {
	var (
		id, bookingID sql.NullInt64
		shared        sql.NullTime
	)
	err := db.rdb.QueryRowContext(ctx, `
		SELECT s.id, s.booking_id, s.shared_at
		FROM assessments a LEFT JOIN shares s ON s.assessment_id = a.id AND s.withdrawn_at IS NULL
		WHERE a.token_hash = $1`, tokenHash).Scan(&id, &bookingID, &shared)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: live share: %w", err)
	}
	if !id.Valid {
		return nil, nil
	}
	return &Share{ID: id.Int64, BookingID: bookingID.Int64, SharedAt: shared.Time.UTC()}, nil
}

// shares returns the shares of the self-check assessmentID, oldest first.
func shares(ctx context.Context, q querier, assessmentID int64) ([]Share, error) {
	var out []Share
	err := each(ctx, q, `
		SELECT id, booking_id, shared_at, withdrawn_at FROM shares WHERE assessment_id = $1 ORDER BY id`,
		[]any{assessmentID}, func(r scanner) error {
			var (
				s         Share
				bookingID sql.NullInt64
				withdrawn sql.NullTime
			)
			if err := r.Scan(&s.ID, &bookingID, &s.SharedAt, &withdrawn); err != nil {
				return err
			}
			s.BookingID, s.SharedAt, s.WithdrawnAt = bookingID.Int64, s.SharedAt.UTC(), utcPtr(withdrawn)
			out = append(out, s)
			return nil
		})
	return out, err
}

// planBookings returns the bookings made with the self-check assessmentID,
// oldest first.
func planBookings(ctx context.Context, q querier, assessmentID int64) ([]booking.Booking, error) {
	var out []booking.Booking
	err := each(ctx, q, bookingSelect+` WHERE assessment_id = $1 ORDER BY id`, []any{assessmentID},
		func(r scanner) error {
			b, err := scanBooking(r)
			if err == nil {
				out = append(out, *b)
			}
			return err
		})
	return out, err
}

// DeletedClient is the name a booking keeps once its client has deleted
// their data: the clinic keeps its record of the visit, not the person.
const DeletedClient = "deleted client"

// WithoutClient returns b without its client's details, as
// ForgetVisitClient leaves it.
func WithoutClient(b booking.Booking) booking.Booking {
	b.Name, b.Email, b.Phone, b.Note = DeletedClient, "", "", ""
	return b
}

// forgetPlanClient removes the self-check assessmentID's shares and, from
// the bookings made with it, the client (forgetClients).
func forgetPlanClient(ctx context.Context, tx *sql.Tx, assessmentID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM shares WHERE assessment_id = $1`, assessmentID)
	if err == nil {
		err = forgetClients(ctx, tx, "assessment_id = $1", assessmentID)
	}
	if err != nil {
		return fmt.Errorf("forget the client of plan %d: %w", assessmentID, err)
	}
	return nil
}

// forgetClients removes from the bookings that match where (a condition
// on bookings with one argument, arg) the client's name, address, phone
// and note, their reminders, their idempotency records and their link to
// a self-check: the clinic keeps the time, service and therapist of each
// visit.
func forgetClients(ctx context.Context, tx *sql.Tx, where string, arg any) error {
	for _, q := range []string{
		`DELETE FROM booking_requests WHERE booking_id IN (SELECT id FROM bookings WHERE ` + where + `)`,
		`UPDATE bookings SET name = '` + DeletedClient + `', email = '', phone = '', note = '',
			remind_at = NULL, assessment_id = NULL
		WHERE ` + where,
	} {
		if _, err := tx.ExecContext(ctx, q, arg); err != nil {
			return err
		}
	}
	return nil
}
