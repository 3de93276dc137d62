package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
)

// The clinic's bookings across therapists (DESIGN.md's role table:
// bookings, an admin sees all of the clinic's, a therapist their own).
// The scope is a parameter of the query, as for every read of bookings.

// ClinicBooking is a booking as the clinic's list of bookings shows it:
// who, what, with whom, where and when, and no health data.
type ClinicBooking struct {
	Booking   booking.Booking
	Service   string // the service's name
	Therapist string // the therapist's name
	Location  string // the location's name
	// Zone is the location's time zone, and Date the day the visit starts
	// on its wall clock.
	Zone *time.Location
	Date clinic.Date
}

// ClinicBookingList is the bookings of a span of days, by start.
type ClinicBookingList struct {
	Bookings []ClinicBooking
	// More is set when the span holds more than MaxClinicBookings
	// bookings, of which the list has the first.
	More bool
}

// MaxClinicBookings bounds the bookings one list holds: several weeks of
// a busy clinic, so that a page stays small.
const MaxClinicBookings = 2000

// ClinicBookings returns the bookings of every status whose start falls,
// on the wall clock of their location, on one of the days dates
// first, first+1, …, first+days-1, by start. An empty therapist reaches the
// whole clinic's bookings; a therapist's id narrows them to theirs.
// ErrNotFound: there is no clinic.
func (db *DB) ClinicBookings(ctx context.Context, therapist string, first clinic.Date, days int) (*ClinicBookingList, error) {
	out := &ClinicBookingList{}
	err := db.read(ctx, func(q querier) error {
		c, err := db.clinicAt(ctx, q)
		if err != nil {
			return err
		}
		// The span's instants in the zones furthest east and west of the
		// clinic's locations hold every location's days.
		var from, to time.Time
		for _, zone := range c.zones {
			f, t := clinic.Wall{Date: first}.In(zone), clinic.Wall{Date: first.AddDays(days)}.In(zone)
			if from.IsZero() || f.Before(from) {
				from = f
			}
			if to.Before(t) {
				to = t
			}
		}
		last := first.AddDays(days - 1)
		scanned := 0
		return each(ctx, q, bookingSelect+`
			WHERE ($1 = '' OR therapist_id = $1) AND starts_at >= $2 AND starts_at < $3
			ORDER BY starts_at, id LIMIT $4`, []any{therapist, from.UTC(), to.UTC(), MaxClinicBookings + 1},
			func(r scanner) error {
				// The query's LIMIT counts rows before the days are
				// picked: reaching it means rows may be cut off, whatever
				// the days kept.
				if scanned++; scanned > MaxClinicBookings {
					out.More = true
					return nil
				}
				b, err := scanBooking(r)
				if err != nil {
					return err
				}
				cb := c.clinicBooking(b)
				if cb.Date.Before(first) || last.Before(cb.Date) {
					return nil
				}
				out.Bookings = append(out.Bookings, cb)
				return nil
			})
	})
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: clinic bookings: %w", err)
	}
	return out, nil
}

// clinicBooking returns b with the names the clinic gives its service,
// therapist and location, and its day in the location's zone. A name the
// clinic no longer has is shown as its id.
func (c *clinicSnapshot) clinicBooking(b *booking.Booking) ClinicBooking {
	cb := ClinicBooking{Booking: *b, Service: b.Service, Therapist: b.Therapist, Location: b.Location, Zone: time.UTC}
	if s := c.services[b.Service]; s != nil {
		cb.Service = s.Name
	}
	if t := c.byID[b.Therapist]; t != nil {
		cb.Therapist = t.Name
	}
	if l := c.locations[b.Location]; l != nil {
		cb.Location = l.Name
	}
	if z := c.zones[b.Location]; z != nil {
		cb.Zone = z
	}
	cb.Date = clinic.DateOf(b.Start.In(cb.Zone))
	return cb
}

// ClinicZone returns the time zone in which pages of the whole clinic
// count their days: that of its first location by id (UTC when it has
// none), or ErrNotFound when there is no clinic.
func (db *DB) ClinicZone(ctx context.Context) (*time.Location, error) {
	c, err := db.clinicNow(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: clinic zone: %w", err)
	}
	ids := make([]string, 0, len(c.zones))
	for id := range c.zones {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return time.UTC, nil
	}
	return c.zones[slices.Min(ids)], nil
}
