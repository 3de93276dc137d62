package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/mail"
)

// Offer is a service as a therapist gives it: what taking or showing a
// booking needs besides the booking itself. Service, Therapist and
// Location are nil when the database has no such entity.
type Offer struct {
	Clinic    clinic.Clinic
	Service   *clinic.Service
	Therapist *clinic.Therapist
	Location  *clinic.Location // the therapist's
	Zone      *time.Location   // the location's; nil with Location
}

// Calendar returns the therapist's calendar without bookings, for
// booking.Check. The offer must have a therapist and a location.
func (o *Offer) Calendar() *booking.Calendar {
	return &booking.Calendar{
		Therapist: o.Therapist.ID, Location: o.Location.ID, Zone: o.Zone,
		Hours: o.Therapist.Hours, TimeOff: o.Therapist.TimeOff,
	}
}

// Offer returns the clinic's rules, the service and the therapist with
// their location. It returns ErrNotFound only when there is no clinic; an
// unknown service or therapist is left nil.
func (db *DB) Offer(ctx context.Context, service, therapist string) (*Offer, error) {
	c, err := db.clinicNow(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: offer: %w", err)
	}
	return c.offer(service, therapist), nil
}

// offer returns service as therapist gives it. Its parts are copies: the
// caller may keep them.
func (c *clinicSnapshot) offer(service, therapist string) *Offer {
	o := Offer{Clinic: c.rules}
	if svc, ok := c.services[service]; ok {
		copied := *svc
		o.Service = &copied
	}
	if t, ok := c.byID[therapist]; ok {
		copied := *t
		o.Therapist = &copied
		l := *c.locations[t.Location]
		o.Location, o.Zone = &l, c.zones[t.Location]
	}
	return &o
}

// Visit is a booking with its offer: everything its page and its mail
// show.
type Visit struct {
	Booking *booking.Booking
	Offer
}

// VisitByLink returns the booking whose private link has tokenHash with
// its offer, or ErrNotFound.
func (db *DB) VisitByLink(ctx context.Context, tokenHash []byte) (*Visit, error) {
	var v *Visit
	err := db.read(ctx, func(q querier) error {
		b, err := scanBooking(q.QueryRowContext(ctx, bookingSelect+`
			WHERE id = (SELECT booking_id FROM booking_tokens WHERE token_hash = $1)`, tokenHash))
		if err != nil {
			return err
		}
		v, err = db.visitOf(ctx, q, b)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: visit by link: %w", err)
	}
	return v, nil
}

// visitOf loads the offer of b. The booking's service and therapist
// exist: bookings refer to them.
func (db *DB) visitOf(ctx context.Context, q querier, b *booking.Booking) (*Visit, error) {
	c, err := db.clinicAt(ctx, q)
	if err != nil {
		return nil, err
	}
	o := c.offer(b.Service, b.Therapist)
	if o.Service == nil || o.Therapist == nil {
		return nil, fmt.Errorf("booking %d: service %s or therapist %s is gone", b.ID, b.Service, b.Therapist)
	}
	return &Visit{Booking: b, Offer: *o}, nil
}

// ReminderMail writes the reminder of a visit, when it is due. It runs
// inside the store's transaction and returns the message and the hash of
// the fresh private link the message holds, which the store adds to the
// booking's links.
type ReminderMail func(v *Visit) (m *mail.Message, tokenHash []byte, err error)

// remindersPerRun bounds the reminders one QueueReminders writes, to keep
// its transaction short; the rest are written by the next run.
const remindersPerRun = 50

// QueueReminders writes the reminders that are due at now into the outbox,
// each with a fresh link, and returns how many it wrote. A reminder is due
// from its booking's remind_at; one whose visit has begun, or whose client
// left no address, is dropped. A reminder is written only when it is due,
// so that no private link waits in the outbox. The mail worker calls this
// before it claims mail, so that a reminder is sent as soon as it is
// written.
func (db *DB) QueueReminders(ctx context.Context, now time.Time, compose ReminderMail) (int, error) {
	now = now.UTC().Truncate(time.Microsecond)
	// Most runs find nothing: ask the read pool before taking the writer.
	var due bool
	if err := db.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM bookings WHERE remind_at <= $1)`, now).Scan(&due); err != nil {
		return 0, fmt.Errorf("store: queue reminders: %w", err)
	}
	if !due {
		return 0, nil
	}
	lock := db.onPostgres(" FOR UPDATE SKIP LOCKED")
	sent := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		sent = 0
		var list []*booking.Booking
		err := each(ctx, tx, bookingSelect+` WHERE remind_at <= $1 ORDER BY remind_at, id LIMIT $2`+lock,
			[]any{now, remindersPerRun}, func(r scanner) error {
				b, err := scanBooking(r)
				list = append(list, b)
				return err
			})
		if err != nil {
			return err
		}
		for _, b := range list {
			if _, err := tx.ExecContext(ctx, `UPDATE bookings SET remind_at = NULL WHERE id = $1`, b.ID); err != nil {
				return err
			}
			if b.Status != booking.Confirmed || !b.Start.After(now) || b.Email == "" {
				continue
			}
			v, err := db.visitOf(ctx, tx, b)
			if err != nil {
				return err
			}
			m, tokenHash, err := compose(v)
			if err != nil {
				return fmt.Errorf("booking %d: %w", b.ID, err)
			}
			if err := db.insertBookingToken(ctx, tx, b.ID, tokenHash, now); err != nil {
				return err
			}
			if err := enqueueMail(ctx, tx, m, now); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: queue reminders: %w", err)
	}
	return sent, nil
}
