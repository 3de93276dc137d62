package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
)

// The therapist's day (issue 9): their bookings by day and week, the
// outcome of a visit, private visit notes, time off blocked from the desk
// and a private calendar feed. Every query that reads a booking takes the
// therapist as a parameter and matches it, so that a therapist never
// reaches another's bookings: who may see what is decided here.

// DayVisit is one booking on a therapist's schedule.
type DayVisit struct {
	Booking booking.Booking
	Service string // the service's name
	// Shared is whether the client's self-check is shared with the clinic
	// now (given with this booking or another, and not withdrawn).
	Shared bool
	// HasNotes is whether the therapist wrote a visit note on it.
	HasNotes bool
}

// Schedule is a therapist's bookings over a span of time, with where they
// work.
type Schedule struct {
	Therapist clinic.Therapist
	Location  clinic.Location
	Zone      *time.Location // the location's
	Visits    []DayVisit     // those not cancelled, by start
}

// TherapistSchedule returns the bookings of therapist that start in
// [from, to) and hold their time, or ErrNotFound when there is no such
// therapist.
func (db *DB) TherapistSchedule(ctx context.Context, therapist string, from, to time.Time) (*Schedule, error) {
	var s *Schedule
	err := db.read(ctx, func(q querier) error {
		c, err := db.clinicAt(ctx, q)
		if err != nil {
			return err
		}
		t, ok := c.byID[therapist]
		if !ok {
			return ErrNotFound
		}
		s = &Schedule{Therapist: *t, Location: *c.locations[t.Location], Zone: c.zones[t.Location]}
		return each(ctx, q, `
			SELECT `+bookingColumns+`,
				EXISTS (SELECT 1 FROM shares s WHERE s.assessment_id = bookings.assessment_id AND s.withdrawn_at IS NULL),
				EXISTS (SELECT 1 FROM visit_notes n WHERE n.booking_id = bookings.id)
			FROM bookings
			WHERE therapist_id = $1 AND starts_at >= $2 AND starts_at < $3 AND status <> 'cancelled'
			ORDER BY starts_at, id`, []any{therapist, from.UTC(), to.UTC()},
			func(r scanner) error {
				var shared, notes bool
				b, err := scanBooking(withExtra{r, []any{&shared, &notes}})
				if err != nil {
					return err
				}
				v := c.dayVisit(b)
				v.Shared, v.HasNotes = shared, notes
				s.Visits = append(s.Visits, v)
				return nil
			})
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: therapist schedule: %w", err)
	}
	return s, nil
}

// dayVisit returns b with its service's name. Bookings refer to their
// service, so the clinic has it.
func (c *clinicSnapshot) dayVisit(b *booking.Booking) DayVisit {
	return DayVisit{Booking: *b, Service: c.services[b.Service].Name}
}

// withExtra scans a booking's columns (scanBooking) followed by extra
// columns into extra.
type withExtra struct {
	r     scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra...)...) }

// VisitNote is one saved version of a therapist's private note on a visit.
type VisitNote struct {
	Body      string
	WrittenAt time.Time
}

// DeskVisit is one booking as its therapist sees it.
type DeskVisit struct {
	Visit
	Shared bool        // see DayVisit
	Notes  []VisitNote // newest first: the first is the note as it stands
}

// TherapistVisit returns booking id of therapist, with its notes, or
// ErrNotFound when there is none, or it is another therapist's.
func (db *DB) TherapistVisit(ctx context.Context, therapist string, id int64) (*DeskVisit, error) {
	var v DeskVisit
	err := db.read(ctx, func(q querier) error {
		b, err := scanBooking(withExtra{q.QueryRowContext(ctx, `
			SELECT `+bookingColumns+`,
				EXISTS (SELECT 1 FROM shares s WHERE s.assessment_id = bookings.assessment_id AND s.withdrawn_at IS NULL)
			FROM bookings WHERE id = $1 AND therapist_id = $2`, id, therapist), []any{&v.Shared}})
		if err != nil {
			return err
		}
		visit, err := db.visitOf(ctx, q, b)
		if err != nil {
			return err
		}
		v.Visit = *visit
		return each(ctx, q, `SELECT body, written_at FROM visit_notes WHERE booking_id = $1 ORDER BY id DESC`,
			[]any{id}, func(r scanner) error {
				var n VisitNote
				err := r.Scan(&n.Body, &n.WrittenAt)
				n.WrittenAt = n.WrittenAt.UTC()
				v.Notes = append(v.Notes, n)
				return err
			})
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: therapist visit: %w", err)
	}
	return &v, nil
}

// PlanVisitNote is a therapist's note on a visit booked with a plan, as
// the person's export gives it (their right of access): every saved
// version, with the visit's start and the therapist's name, never their
// account.
type PlanVisitNote struct {
	Visit     time.Time // the visit's start
	Therapist string    // the clinic's name for the therapist; "" if they left the clinic
	Text      string
	WrittenAt time.Time
}

// planVisitNotes returns the notes on the visits booked with the plan
// assessmentID, oldest first.
func planVisitNotes(ctx context.Context, q querier, assessmentID int64) ([]PlanVisitNote, error) {
	var out []PlanVisitNote
	err := each(ctx, q, `
		SELECT b.starts_at, coalesce(t.name, ''), n.body, n.written_at
		FROM visit_notes n
		JOIN bookings b ON b.id = n.booking_id
		LEFT JOIN therapists t ON t.id = n.therapist_id
		WHERE b.assessment_id = $1
		ORDER BY n.id`, []any{assessmentID}, func(r scanner) error {
		var n PlanVisitNote
		if err := r.Scan(&n.Visit, &n.Therapist, &n.Text, &n.WrittenAt); err != nil {
			return err
		}
		n.Visit, n.WrittenAt = n.Visit.UTC(), n.WrittenAt.UTC()
		out = append(out, n)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: visit notes of plan %d: %w", assessmentID, err)
	}
	return out, nil
}

// MarkVisit records outcome (booking.Attended or booking.NoShow) for
// booking id of therapist at now, as booking.Mark allows, raising its
// sequence so that calendars take the change; the same outcome again
// changes nothing. It returns ErrNotFound when the booking is not the
// therapist's, and booking.Mark's errors when it refuses.
func (db *DB) MarkVisit(ctx context.Context, therapist string, id int64, outcome booking.Status, now time.Time) (*booking.Booking, error) {
	at := timeOrNow(now)
	lock := db.onPostgres(" FOR UPDATE")
	var b *booking.Booking
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		b, err = scanBooking(tx.QueryRowContext(ctx, bookingSelect+` WHERE id = $1 AND therapist_id = $2`+lock, id, therapist))
		if err != nil {
			return err
		}
		status, err := booking.Mark(b, outcome, at)
		if err != nil || status == b.Status {
			return err
		}
		b.Status, b.Sequence, b.UpdatedAt = status, b.Sequence+1, at
		_, err = tx.ExecContext(ctx, `
			UPDATE bookings SET status = $2, sequence = $3, updated_at = $4, remind_at = NULL WHERE id = $1`,
			b.ID, b.Status, b.Sequence, b.UpdatedAt)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: mark visit: %w", err)
	}
	return b, nil
}

// SaveVisitNote saves body as therapist's note on booking id at now,
// keeping the earlier versions. It returns ErrNotFound when the booking is
// not the therapist's. Check body first (the web layer caps its length).
func (db *DB) SaveVisitNote(ctx context.Context, therapist string, id int64, body string, now time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO visit_notes (booking_id, therapist_id, body, written_at)
			SELECT id, therapist_id, $3, $4 FROM bookings WHERE id = $1 AND therapist_id = $2`,
			id, therapist, body, timeOrNow(now))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, ErrNotFound)
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: save visit note: %w", err)
	}
	return nil
}

// BlockedTime is time off a therapist blocked, with why.
type BlockedTime struct {
	clinic.TimeOff
	Reason string
}

// TimeOffClash is the error of BlockTimeOff when the time off would cover
// bookings: they are named, so that the therapist can move them first.
type TimeOffClash struct {
	Visits []DayVisit // by start; Shared and HasNotes are not read
}

func (e *TimeOffClash) Error() string {
	return fmt.Sprintf("time off overlaps %d booking(s): %v", len(e.Visits), ErrConflict)
}

// Unwrap makes a TimeOffClash an ErrConflict.
func (e *TimeOffClash) Unwrap() error { return ErrConflict }

// timeOffClash returns the bookings of therapist that hold time within off
// (wall-clock times in zone), as a *TimeOffClash, or nil when there are
// none.
func (c *clinicSnapshot) timeOffClash(ctx context.Context, q querier, therapist string, zone *time.Location, off clinic.TimeOff) (*TimeOffClash, error) {
	clash := &TimeOffClash{}
	err := each(ctx, q, bookingSelect+`
		WHERE therapist_id = $1 AND status <> 'cancelled' AND starts_at < $3 AND ends_at > $2
		ORDER BY starts_at, id`, []any{therapist, off.From.In(zone).UTC(), off.To.In(zone).UTC()},
		func(r scanner) error {
			b, err := scanBooking(r)
			if err == nil {
				clash.Visits = append(clash.Visits, c.dayVisit(b))
			}
			return err
		})
	if err != nil || len(clash.Visits) == 0 {
		return nil, err
	}
	return clash, nil
}

// BlockTimeOff adds off (wall-clock times in the therapist's location's
// zone) to therapist's time off, at now, so that no slot is offered in it.
// It returns a *TimeOffClash when the time off overlaps any booking of
// theirs that holds its time, and ErrNotFound when there is no such
// therapist; then nothing is written. Check off as the clinic file's time
// off is checked first (to after from).
func (db *DB) BlockTimeOff(ctx context.Context, therapist string, off BlockedTime, now time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		c, err := db.clinicAt(ctx, tx)
		if err != nil {
			return err
		}
		t, ok := c.byID[therapist]
		if !ok {
			return ErrNotFound
		}
		// Bookings of the therapist are written one at a time while this
		// runs (CreateBooking takes the same lock).
		if err := db.lockTherapist(ctx, tx, therapist); err != nil {
			return err
		}
		clash, err := c.timeOffClash(ctx, tx, therapist, c.zones[t.Location], off.TimeOff)
		if err != nil {
			return err
		}
		if clash != nil {
			return clash
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO therapist_time_off (therapist_id, from_wall, to_wall, reason) VALUES ($1, $2, $3, $4)`,
			therapist, off.From.String(), off.To.String(), off.Reason); err != nil {
			return err
		}
		// A new version of the clinic: every instance rereads it, and slot
		// searches see the time off at once (clinicNow).
		_, err = tx.ExecContext(ctx, `UPDATE clinic SET updated_at = $1 WHERE id = 1`, timeOrNow(now))
		return err
	})
	var clash *TimeOffClash
	switch {
	case errors.As(err, &clash):
		return clash
	case errors.Is(err, ErrNotFound):
		return ErrNotFound
	case err != nil:
		return fmt.Errorf("store: block time off: %w", err)
	}
	return nil
}

// TimeOffSince returns therapist's time off that ends after the wall
// time since (in their location's zone), in order, with its reasons.
func (db *DB) TimeOffSince(ctx context.Context, therapist string, since clinic.Wall) ([]BlockedTime, error) {
	var out []BlockedTime
	err := each(ctx, db.rdb, `
		SELECT from_wall, to_wall, reason FROM therapist_time_off
		WHERE therapist_id = $1 AND to_wall > $2 ORDER BY from_wall, to_wall`,
		[]any{therapist, since.String()}, func(r scanner) error {
			var from, to, reason string
			if err := r.Scan(&from, &to, &reason); err != nil {
				return err
			}
			f, err1 := clinic.ParseWall(from)
			t, err2 := clinic.ParseWall(to)
			if err := errors.Join(err1, err2); err != nil {
				return err
			}
			out = append(out, BlockedTime{TimeOff: clinic.TimeOff{From: f, To: t}, Reason: reason})
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: time off since: %w", err)
	}
	return out, nil
}

// SetTherapistFeed makes tokenHash the one link to therapist's calendar
// feed, at now: a link made before stops working. It returns ErrNotFound
// when there is no such therapist.
func (db *DB) SetTherapistFeed(ctx context.Context, therapist string, tokenHash []byte, now time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO therapist_feeds (therapist_id, token_hash, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (therapist_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
			therapist, tokenHash, timeOrNow(now))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: set therapist feed: %w", err)
	}
	return nil
}

// RevokeTherapistFeed ends therapist's calendar feed link, if any, and
// reports whether there was one.
func (db *DB) RevokeTherapistFeed(ctx context.Context, therapist string) (bool, error) {
	revoked := false
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM therapist_feeds WHERE therapist_id = $1`, therapist)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		revoked = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: revoke therapist feed: %w", err)
	}
	return revoked, nil
}

// TherapistFeedSince returns when therapist's live calendar feed link was
// made, or nil when there is none.
func (db *DB) TherapistFeedSince(ctx context.Context, therapist string) (*time.Time, error) {
	var at sql.NullTime
	err := db.queryRow(ctx, `SELECT created_at FROM therapist_feeds WHERE therapist_id = $1`, therapist).Scan(&at)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: therapist feed: %w", err)
	}
	return utcPtr(at), nil
}

// FeedTherapist returns the id of the therapist whose calendar feed link
// has tokenHash, or ErrNotFound.
func (db *DB) FeedTherapist(ctx context.Context, tokenHash []byte) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT therapist_id FROM therapist_feeds WHERE token_hash = $1`, tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: feed therapist: %w", err)
	}
	return id, nil
}
