// Package booking holds the rules of booking a therapist: which start times
// are offered (Slots, Check), what a booking is and which statuses it goes
// through, and until when a client may cancel or move it online. It does no
// I/O. The store keeps bookings and is the guard against double booking:
// this package says what may be offered, the database makes sure that two
// bookings that overlap are never both kept.
package booking

import (
	"errors"
	"time"

	"unknot/internal/clinic"
)

// Status is where a booking stands.
type Status string

// Statuses of a booking (BOOKING.md, "Slots").
const (
	Confirmed Status = "confirmed" // booked; holds the therapist's time
	Cancelled Status = "cancelled" // called off; the time is free again
	Attended  Status = "attended"  // the visit took place
	NoShow    Status = "no_show"   // the client did not come
)

// Holds reports whether a booking with status s keeps its time from other
// bookings. Every status but Cancelled does: a past visit stays on the
// therapist's calendar whether or not the client came.
func (s Status) Holds() bool { return s != Cancelled }

// Booking is a visit booked with a therapist.
type Booking struct {
	ID        int64
	Service   string // the service's ID
	Therapist string // the therapist's ID
	Location  string // the therapist's location's ID when booked
	Mode      clinic.Mode
	Start     time.Time
	End       time.Time
	// BufferBefore and BufferAfter are the buffers of the service when the
	// booking was made: they keep counting if the service changes later.
	BufferBefore time.Duration
	BufferAfter  time.Duration
	Status       Status
	Name         string
	Email        string
	Phone        string
	Note         string
	// Sequence counts the changes to the booking's time or status, for the
	// SEQUENCE of its calendar invitations: 0 when made.
	Sequence  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Blocked is the time the booking keeps the therapist from other
// bookings: its own time with its buffers.
func (b *Booking) Blocked() Interval {
	return Interval{b.Start.Add(-b.BufferBefore), b.End.Add(b.BufferAfter)}
}

// Blocked is the time a booking of svc starting at start would keep the
// therapist from other bookings.
func Blocked(svc clinic.Service, start time.Time) Interval {
	return Interval{start.Add(-svc.BufferBefore()), start.Add(svc.Length() + svc.BufferAfter())}
}

// Interval is the span of time [Start, End). Intervals that only touch do
// not overlap: a visit may end when the next begins.
type Interval struct {
	Start, End time.Time
}

// Overlaps reports whether a and b share any instant.
func (a Interval) Overlaps(b Interval) bool { return a.Start.Before(b.End) && b.Start.Before(a.End) }

// ErrTooLate is returned when a booking can no longer be changed online:
// too little time is left before it, or it is over or cancelled.
var ErrTooLate = errors.New("booking: too late to change this booking online")

// CheckChange reports whether a client may cancel or move b online at now:
// only a confirmed booking, and only while at least the clinic's
// cancel_hours remain before its current start. Otherwise it returns
// ErrTooLate, and the client must call the clinic.
func CheckChange(c clinic.Clinic, b *Booking, now time.Time) error {
	if b.Status != Confirmed || now.After(b.Start.Add(-time.Duration(c.CancelHours)*time.Hour)) {
		return ErrTooLate
	}
	return nil
}

// ReminderLead is how long before its start a booking's reminder is sent.
const ReminderLead = 24 * time.Hour

// ReminderAt returns when the reminder of a visit starting at start is due,
// for a booking made or moved at now, and false when there is to be none:
// a visit booked less than ReminderLead ahead was booked with its
// confirmation fresh in mind.
func ReminderAt(start, now time.Time) (time.Time, bool) {
	at := start.Add(-ReminderLead)
	if at.Before(now) {
		return time.Time{}, false
	}
	return at, true
}
