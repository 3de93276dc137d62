package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/mail"
)

// SlotQuery asks for what a slot search needs.
type SlotQuery struct {
	Service   string      // the service's ID
	Therapist string      // only this therapist; "" for all who give the service
	Mode      clinic.Mode // only therapists who give it this way; "" for any
	// From and To bound the bookings loaded: those whose blocked time
	// overlaps [From, To). Cover the dates searched in every zone.
	From, To time.Time
}

// SlotSearch is what booking.Slots needs for one service.
type SlotSearch struct {
	Clinic  clinic.Clinic
	Service clinic.Service
	// Therapists are those who give the service (in the mode asked for),
	// in order of id, and Calendars theirs, in the same order.
	Therapists []clinic.Therapist
	Calendars  []booking.Calendar
}

// SlotSearch loads the clinic's rules, the service, and the calendar of
// each therapist who gives it as q asks.
// It returns ErrNotFound when there is no clinic or no such service.
func (db *DB) SlotSearch(ctx context.Context, q SlotQuery) (*SlotSearch, error) {
	var s SlotSearch
	err := func() error {
		c, err := db.clinicNow(ctx)
		if err != nil {
			return err
		}
		svc, ok := c.services[q.Service]
		if !ok {
			return ErrNotFound
		}
		s.Clinic, s.Service = c.rules, *svc
		if q.Mode != "" && !s.Service.Offers(q.Mode) {
			return nil
		}
		index := map[string]int{}
		ids := []any{}
		for _, t := range c.therapists {
			if q.Therapist != "" && t.ID != q.Therapist || !slices.Contains(t.Services, q.Service) ||
				q.Mode != "" && !t.Offers(q.Service, q.Mode) {
				continue
			}
			index[t.ID] = len(s.Calendars)
			ids = append(ids, t.ID)
			s.Therapists = append(s.Therapists, t)
			s.Calendars = append(s.Calendars, booking.Calendar{
				Therapist: t.ID, Location: t.Location, Zone: c.zones[t.Location], Hours: t.Hours, TimeOff: t.TimeOff,
			})
		}
		if len(ids) == 0 {
			return nil
		}
		// Only the bookings of the therapists found that may matter.
		in := make([]string, len(ids))
		for i := range ids {
			in[i] = "$" + strconv.Itoa(i+3)
		}
		return each(ctx, db.rdb, `
			SELECT therapist_id, blocked_from, blocked_to FROM bookings
			WHERE status <> 'cancelled' AND blocked_to > $1 AND blocked_from < $2
				AND therapist_id IN (`+strings.Join(in, ", ")+`)`,
			append([]any{q.From.UTC(), q.To.UTC()}, ids...),
			func(r scanner) error {
				var (
					id   string
					busy booking.Interval
				)
				if err := r.Scan(&id, &busy.Start, &busy.End); err != nil {
					return err
				}
				if i, ok := index[id]; ok {
					s.Calendars[i].Busy = append(s.Calendars[i].Busy, busy)
				}
				return nil
			})
	}()
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: slot search: %w", err)
	}
	return &s, nil
}

// ErrKeyReused is returned when an idempotency key comes again with a
// different request.
var ErrKeyReused = errors.New("store: idempotency key used for another request")

// IdempotencyWindow is how long an idempotency key is remembered.
const IdempotencyWindow = 24 * time.Hour

// BookingMail writes the mails that a change to b sends (the client's
// and the therapist's). It runs inside the store's transaction, so that
// the change and its mail are written together or not at all: it must be
// quick and do no I/O.
type BookingMail func(b *booking.Booking) ([]*mail.Message, error)

// NewBooking is a booking to make.
type NewBooking struct {
	// Booking is what the client asked for: Service, Therapist, Location,
	// Mode, Start, End, the service's buffers, and the client's details.
	// Its status, sequence and times are set by CreateBooking.
	Booking booking.Booking
	// TokenHash is the hash of the private link that manages the booking.
	TokenHash []byte
	// IdempotencyKey, if not empty, makes a repeat of the request with
	// the same RequestHash within IdempotencyWindow answer with the same
	// booking instead of making another.
	IdempotencyKey string
	RequestHash    []byte
	// AssessmentID, if not 0, links the booking to the client's saved
	// self-check, and SharePlan shares that self-check and its diary with
	// the clinic until the person withdraws it (see WithdrawShare).
	AssessmentID int64
	SharePlan    bool
	Mail         BookingMail // may be nil
	Now          time.Time   // zero means now
}

// CreateBooking makes a confirmed booking, its private link and its mail in
// one transaction, or returns ErrConflict when its blocked time overlaps
// that of another booking of the therapist that holds its time: never are
// two such bookings both kept, however requests interleave. On SQLite the
// check and the insert run in one transaction on the single writer; on
// PostgreSQL an exclusion constraint decides.
//
// A request whose idempotency key was used before returns the booking made
// then, with made false and TokenHash as one more link to it, or
// ErrKeyReused when the request differs. Only a success remembers its key.
func (db *DB) CreateBooking(ctx context.Context, nb NewBooking) (b *booking.Booking, made bool, err error) {
	at := timeOrNow(nb.Now)
	if db.dialect == SQLite {
		// Prepared once, before the writer is taken: parsing them took a
		// tenth of a booking's time on the single writer.
		if _, err := db.stmts(ctx, isFreeSQL, insertBookingSQL, insertBookingTokenSQL, insertMail); err != nil {
			return nil, false, fmt.Errorf("store: create booking: %w", err)
		}
	}
	err = db.writeBooking(ctx, func(tx *sql.Tx) error {
		made = false
		if nb.IdempotencyKey != "" {
			id, err := db.earlierRequest(ctx, tx, nb.IdempotencyKey, nb.RequestHash, at)
			if err != nil || id != 0 {
				if err == nil {
					b, err = db.addBookingLink(ctx, tx, id, nb.TokenHash, at)
				}
				return err
			}
		}
		b = new(booking.Booking)
		*b = nb.Booking
		b.ID, b.Status, b.Sequence = 0, booking.Confirmed, 0
		b.Start, b.End = b.Start.UTC(), b.End.UTC()
		b.CreatedAt, b.UpdatedAt = at, at
		if err := db.lockTherapist(ctx, tx, b.Therapist); err != nil {
			return err
		}
		if err := db.checkFree(ctx, tx, b); err != nil {
			return err
		}
		if err := db.checkNotOff(ctx, tx, b); err != nil {
			return err
		}
		blocked := b.Blocked()
		err := db.txQueryRow(ctx, tx, insertBookingSQL,
			b.Service, b.Therapist, b.Location, b.Mode, b.Start, b.End,
			minutes(b.BufferBefore), minutes(b.BufferAfter), blocked.Start, blocked.End, b.Status,
			b.Name, b.Email, b.Phone, b.Note, b.Sequence, at,
			sql.NullInt64{Int64: nb.AssessmentID, Valid: nb.AssessmentID != 0}, reminderAt(b.Start, at)).Scan(&b.ID)
		if err != nil {
			return overlapConflict(err)
		}
		if nb.SharePlan && nb.AssessmentID != 0 {
			if err := sharePlan(ctx, tx, nb.AssessmentID, b.ID, at); err != nil {
				return err
			}
		}
		if err := db.insertBookingToken(ctx, tx, b.ID, nb.TokenHash, at); err != nil {
			return err
		}
		if nb.IdempotencyKey != "" {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO booking_requests (idempotency_key, request_hash, booking_id, created_at)
				VALUES ($1, $2, $3, $4)`, nb.IdempotencyKey, nb.RequestHash, b.ID, at); err != nil {
				return err
			}
		}
		made = true
		return db.queueBookingMail(ctx, tx, b, nb.Mail, at)
	})
	switch {
	case errors.Is(err, ErrConflict) || errors.Is(err, ErrKeyReused):
		return nil, false, err
	case err != nil:
		return nil, false, fmt.Errorf("store: create booking: %w", err)
	}
	return b, made, nil
}

// LooksFree returns ErrConflict when b's time, with its buffers, is
// already held by another booking of its therapist, as a read sees it now.
// When many race for one time, most can be told so without waiting for
// the writer; only CreateBooking decides that the time is free. A request
// with an idempotency key may repeat the booking that holds the time, so
// it should go to CreateBooking straight away.
func (db *DB) LooksFree(ctx context.Context, b *booking.Booking) error {
	probe := *b
	probe.ID = 0
	st, err := db.readStmt(ctx, isFreeSQL)
	if err == nil {
		err = isFree(st.QueryRowContext(ctx, freeArgs(&probe)...))
	}
	if err != nil && !errors.Is(err, ErrConflict) {
		return fmt.Errorf("store: looks free: %w", err)
	}
	return err
}

const insertBookingSQL = `
	INSERT INTO bookings (service_id, therapist_id, location_id, mode, starts_at, ends_at,
		buffer_before_minutes, buffer_after_minutes, blocked_from, blocked_to, status,
		name, email, phone, note, sequence, created_at, updated_at, assessment_id, remind_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19)
	RETURNING id`

// earlierRequest returns the booking made by an earlier request with key
// within IdempotencyWindow, 0 when there was none, or ErrKeyReused when
// that request was not the same. On PostgreSQL it first waits for any
// transaction still working on the same key, so that a repeat sent while
// the first is running answers with its booking; SQLite's single writer
// already makes them take turns.
func (db *DB) earlierRequest(ctx context.Context, tx *sql.Tx, key string, requestHash []byte, at time.Time) (int64, error) {
	if db.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "booking:"+key); err != nil {
			return 0, err
		}
	}
	var (
		hash  []byte
		id    int64
		since time.Time
	)
	err := tx.QueryRowContext(ctx, `
		SELECT request_hash, booking_id, created_at FROM booking_requests WHERE idempotency_key = $1`,
		key).Scan(&hash, &id, &since)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case err != nil:
		return 0, err
	case !since.After(at.Add(-IdempotencyWindow)):
		// Forgotten: the key is free for a new request.
		_, err := tx.ExecContext(ctx, `DELETE FROM booking_requests WHERE idempotency_key = $1`, key)
		return 0, err
	case !bytes.Equal(hash, requestHash):
		return 0, ErrKeyReused
	}
	return id, nil
}

// addBookingLink adds the link tokenHash to booking id and returns the
// booking.
func (db *DB) addBookingLink(ctx context.Context, tx *sql.Tx, id int64, tokenHash []byte, at time.Time) (*booking.Booking, error) {
	b, err := scanBooking(tx.QueryRowContext(ctx, bookingSelect+` WHERE id = $1`, id))
	if err != nil {
		return nil, err
	}
	return b, db.insertBookingToken(ctx, tx, id, tokenHash, at)
}

const insertBookingTokenSQL = `INSERT INTO booking_tokens (token_hash, booking_id, created_at) VALUES ($1, $2, $3)`

func (db *DB) insertBookingToken(ctx context.Context, tx *sql.Tx, id int64, tokenHash []byte, at time.Time) error {
	if len(tokenHash) == 0 {
		return errors.New("no token hash for the booking's link")
	}
	if _, err := db.txExec(ctx, tx, insertBookingTokenSQL, tokenHash, id, at); err != nil {
		if conflict(err) {
			return fmt.Errorf("token hash already used: %w", ErrConflict)
		}
		return err
	}
	return nil
}

// checkFree returns ErrConflict when b's blocked time overlaps that of
// another booking of its therapist that holds its time. It runs on SQLite
// only, inside the write transaction, where the single writer makes the
// check and the write that follows one step; on PostgreSQL the exclusion
// constraint checks as the row is written.
func (db *DB) checkFree(ctx context.Context, tx *sql.Tx, b *booking.Booking) error {
	if db.dialect != SQLite {
		return nil
	}
	return isFree(db.txQueryRow(ctx, tx, isFreeSQL, freeArgs(b)...))
}

// checkNotOff returns ErrConflict when b falls in its therapist's time
// off as the database holds it now, within tx and under the therapist's
// lock: time off blocked at the desk (BlockTimeOff, under the same lock)
// after the booking was checked against the clinic in memory is seen
// here, so the two never both succeed.
func (db *DB) checkNotOff(ctx context.Context, tx *sql.Tx, b *booking.Booking) error {
	c, err := db.clinicAt(ctx, tx)
	if err != nil {
		return err
	}
	t, ok := c.byID[b.Therapist]
	if !ok {
		return fmt.Errorf("therapist %q is gone: %w", b.Therapist, ErrConflict)
	}
	zone := c.zones[t.Location]
	for _, off := range t.TimeOff {
		if b.Start.Before(off.To.In(zone)) && b.End.After(off.From.In(zone)) {
			return fmt.Errorf("the therapist is off from %s to %s: %w", off.From, off.To, ErrConflict)
		}
	}
	return nil
}

// isFreeSQL finds whether another booking of a therapist that holds its
// time overlaps a blocked time: freeArgs are its arguments.
const isFreeSQL = `
	SELECT EXISTS (SELECT 1 FROM bookings
		WHERE therapist_id = $1 AND status <> 'cancelled' AND id <> $2
			AND blocked_from < $4 AND blocked_to > $3)`

// freeArgs are isFreeSQL's arguments for b.
func freeArgs(b *booking.Booking) []any {
	blocked := b.Blocked()
	return []any{b.Therapist, b.ID, blocked.Start.UTC(), blocked.End.UTC()}
}

// isFree reads the answer to isFreeSQL: ErrConflict when the time is
// taken.
func isFree(row *sql.Row) error {
	var taken bool
	if err := row.Scan(&taken); err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("the time is taken: %w", ErrConflict)
	}
	return nil
}

// lockTherapist makes the writes of one therapist's bookings take turns on
// PostgreSQL, until tx ends. Without it, two overlapping bookings written
// at once each wait for the other at the exclusion constraint, and under
// load chains of them deadlock faster than retries clear them; with it,
// the constraint (still the guard) meets a decided row and answers at
// once. Every transaction takes an idempotency key's lock, if any, before
// this one, so the locks are always taken in the same order. SQLite's
// single writer already makes every write take its turn.
func (db *DB) lockTherapist(ctx context.Context, tx *sql.Tx, therapist string) error {
	if db.dialect != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "therapist:"+therapist); err != nil {
		return fmt.Errorf("lock the therapist's bookings: %w", err)
	}
	return nil
}

// writeBooking runs fn in a write transaction, and again when PostgreSQL
// aborted it to end a deadlock: two overlapping bookings written at once
// each wait for the other at the exclusion constraint, and PostgreSQL
// gives up one of them (SQLSTATE 40P01). Run again, it meets the other's
// outcome: a conflict if that one was kept, a free time if not. fn must
// be safe to run again after a rollback.
func (db *DB) writeBooking(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.write(ctx, fn)
		var perr *pgconn.PgError
		if attempt < 5 && errors.As(err, &perr) && perr.Code == "40P01" {
			continue
		}
		return err
	}
}

// overlapConflict maps PostgreSQL's exclusion violation (SQLSTATE 23P01)
// to ErrConflict.
func overlapConflict(err error) error {
	var perr *pgconn.PgError
	if errors.As(err, &perr) && perr.Code == "23P01" {
		return fmt.Errorf("the time is taken: %w", ErrConflict)
	}
	return err
}

// queueBookingMail queues the mail that compose writes for b.
func (db *DB) queueBookingMail(ctx context.Context, tx *sql.Tx, b *booking.Booking, compose BookingMail, at time.Time) error {
	if compose == nil {
		return nil
	}
	msgs, err := compose(b)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		args, err := mailArgs(m, at)
		if err != nil {
			return err
		}
		if _, err := db.txExec(ctx, tx, insertMail, args...); err != nil {
			return fmt.Errorf("store: enqueue mail: %w", err)
		}
	}
	return nil
}

// Change is a change to a booking through its private link.
type Change struct {
	TokenHash []byte      // of the link
	Mail      BookingMail // may be nil
	Now       time.Time   // zero means now
}

// RescheduleBooking moves the booking whose link is c.TokenHash to start,
// keeping its length and buffers, raising its sequence, and queues its
// mail, in one transaction. It returns ErrNotFound for an unknown link,
// booking.ErrTooLate when booking.CheckChange refuses, and ErrConflict
// when the new time overlaps another booking, under the same guard as
// CreateBooking (its own old time does not count).
func (db *DB) RescheduleBooking(ctx context.Context, c Change, start time.Time) (*booking.Booking, error) {
	b, err := db.changeBooking(ctx, c, false, func(tx *sql.Tx, b *booking.Booking) error {
		length := b.End.Sub(b.Start)
		b.Start = start.UTC()
		b.End = b.Start.Add(length)
		if err := db.checkFree(ctx, tx, b); err != nil {
			return err
		}
		if err := db.checkNotOff(ctx, tx, b); err != nil {
			return err
		}
		blocked := b.Blocked()
		_, err := tx.ExecContext(ctx, `
			UPDATE bookings SET starts_at = $2, ends_at = $3, blocked_from = $4, blocked_to = $5,
				sequence = $6, updated_at = $7, remind_at = $8
			WHERE id = $1`, b.ID, b.Start, b.End, blocked.Start, blocked.End, b.Sequence, b.UpdatedAt,
			reminderAt(b.Start, b.UpdatedAt))
		return overlapConflict(err)
	})
	if err != nil {
		return nil, fmt.Errorf("store: reschedule booking: %w", err)
	}
	return b, nil
}

// CancelBooking cancels the booking whose link is c.TokenHash, which frees
// its time, raises its sequence and queues its mail, in one transaction.
// Cancelling a cancelled booking returns it unchanged. It returns
// ErrNotFound for an unknown link and booking.ErrTooLate when
// booking.CheckChange refuses.
func (db *DB) CancelBooking(ctx context.Context, c Change) (*booking.Booking, error) {
	b, err := db.changeBooking(ctx, c, true, func(tx *sql.Tx, b *booking.Booking) error {
		return cancelBooking(ctx, tx, b)
	})
	if err != nil {
		return nil, fmt.Errorf("store: cancel booking: %w", err)
	}
	return b, nil
}

// cancelBooking writes b as cancelled, which frees its time, with the
// sequence and update time applyChange gave it.
func cancelBooking(ctx context.Context, tx *sql.Tx, b *booking.Booking) error {
	b.Status = booking.Cancelled
	_, err := tx.ExecContext(ctx, `
		UPDATE bookings SET status = $2, sequence = $3, updated_at = $4, remind_at = NULL WHERE id = $1`,
		b.ID, b.Status, b.Sequence, b.UpdatedAt)
	return err
}

// ForgetVisitClient deletes the client's details from the booking whose
// link is c.TokenHash, in one transaction: its name becomes DeletedClient,
// its email, phone and note are emptied, and its reminder, idempotency
// records, link to a self-check and any share given with it go. The
// clinic keeps its record of the visit (time, service, therapist, status),
// and the booking's links keep opening it. A confirmed visit still ahead
// is cancelled first, as CancelBooking does, even when it is too late to
// cancel online: nobody is left to come. Its mail (c.Mail) sees the
// booking without the client's details. It returns ErrNotFound for an
// unknown link.
func (db *DB) ForgetVisitClient(ctx context.Context, c Change) error {
	at := timeOrNow(c.Now)
	err := db.writeBooking(ctx, func(tx *sql.Tx) error {
		b, err := db.lockBooking(ctx, tx, c.TokenHash)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM shares WHERE booking_id = $1`, b.ID); err != nil {
			return err
		}
		if err := forgetClients(ctx, tx, "id = $1", b.ID); err != nil {
			return err
		}
		if b.Status != booking.Confirmed || !b.Start.After(at) {
			return nil
		}
		*b = WithoutClient(*b)
		return db.applyChange(ctx, tx, b, c.Mail, at, func(tx *sql.Tx, b *booking.Booking) error {
			return cancelBooking(ctx, tx, b)
		})
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: forget visit client: %w", err)
	}
	return nil
}

// changeBooking locks the booking whose link is c.TokenHash, checks that
// it may still be changed, and applies change to it (applyChange). When
// cancel is set, a booking already cancelled is returned as it is.
func (db *DB) changeBooking(ctx context.Context, c Change, cancel bool, change func(tx *sql.Tx, b *booking.Booking) error) (*booking.Booking, error) {
	at := timeOrNow(c.Now)
	var b *booking.Booking
	err := db.writeBooking(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = db.lockBooking(ctx, tx, c.TokenHash)
		if err != nil || cancel && b.Status == booking.Cancelled {
			return err
		}
		rules, err := clinicRules(ctx, tx)
		if err != nil {
			return err
		}
		if err := booking.CheckChange(rules, b, at); err != nil {
			return err
		}
		if err := db.lockTherapist(ctx, tx, b.Therapist); err != nil {
			return err
		}
		return db.applyChange(ctx, tx, b, c.Mail, at, change)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// lockBooking reads the booking whose link is tokenHash for a change
// within tx, locking its row on PostgreSQL, or returns ErrNotFound.
func (db *DB) lockBooking(ctx context.Context, tx *sql.Tx, tokenHash []byte) (*booking.Booking, error) {
	lock := db.onPostgres(" FOR UPDATE")
	return scanBooking(tx.QueryRowContext(ctx, bookingSelect+`
		WHERE id = (SELECT booking_id FROM booking_tokens WHERE token_hash = $1)`+lock, tokenHash))
}

// applyChange raises b's sequence, sets its update time to at, calls
// change with it, and then queues the mail compose writes for it.
func (db *DB) applyChange(ctx context.Context, tx *sql.Tx, b *booking.Booking, compose BookingMail, at time.Time,
	change func(tx *sql.Tx, b *booking.Booking) error) error {
	b.Sequence++
	b.UpdatedAt = at
	if err := change(tx, b); err != nil {
		return err
	}
	return db.queueBookingMail(ctx, tx, b, compose, at)
}

// BookingByLink returns the booking whose private link has tokenHash, or
// ErrNotFound.
func (db *DB) BookingByLink(ctx context.Context, tokenHash []byte) (*booking.Booking, error) {
	b, err := scanBooking(db.queryRow(ctx, bookingSelect+`
		WHERE id = (SELECT booking_id FROM booking_tokens WHERE token_hash = $1)`, tokenHash))
	if err != nil {
		return nil, fmt.Errorf("store: booking by link: %w", err)
	}
	return b, nil
}

// bookingColumns are the columns of a booking that scanBooking reads, in
// its order.
const bookingColumns = `id, service_id, therapist_id, location_id, mode, starts_at, ends_at,
		buffer_before_minutes, buffer_after_minutes, status, name, email, phone, note,
		sequence, created_at, updated_at`

const bookingSelect = `
	SELECT ` + bookingColumns + `
	FROM bookings`

func scanBooking(row scanner) (*booking.Booking, error) {
	var (
		b             booking.Booking
		before, after int
	)
	err := row.Scan(&b.ID, &b.Service, &b.Therapist, &b.Location, &b.Mode, &b.Start, &b.End,
		&before, &after, &b.Status, &b.Name, &b.Email, &b.Phone, &b.Note,
		&b.Sequence, &b.CreatedAt, &b.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	b.BufferBefore, b.BufferAfter = time.Duration(before)*time.Minute, time.Duration(after)*time.Minute
	b.Start, b.End, b.CreatedAt, b.UpdatedAt = b.Start.UTC(), b.End.UTC(), b.CreatedAt.UTC(), b.UpdatedAt.UTC()
	return &b, nil
}

// reminderAt is the remind_at of a booking starting at start, made or
// moved at now: NULL when it gets no reminder (booking.ReminderAt).
func reminderAt(start, now time.Time) sql.NullTime {
	at, ok := booking.ReminderAt(start, now)
	return sql.NullTime{Time: at.UTC(), Valid: ok}
}

// minutes is d in whole minutes, as the store keeps buffers.
func minutes(d time.Duration) int { return int(d / time.Minute) }
