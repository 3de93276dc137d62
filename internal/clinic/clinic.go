// Package clinic holds what a clinic is made of: the organisation and its
// rules for booking, its locations with their time zones, the services it
// offers and its therapists with their weekly hours and time off. It reads
// and checks the clinic file of the booking contract (shared/contract/
// BOOKING.md) and does no I/O; the store keeps a clinic, package booking
// computes its free slots.
package clinic

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// File is a clinic file: everything `unknot clinic import` sets up, and what
// `unknot clinic export` prints.
type File struct {
	Clinic     Clinic      `json:"clinic"`
	Locations  []Location  `json:"locations"`
	Services   []Service   `json:"services"`
	Therapists []Therapist `json:"therapists"`
}

// Clinic is the organisation and the rules its bookings follow.
type Clinic struct {
	Name          string `json:"name"`
	Phone         string `json:"phone,omitempty"`
	Email         string `json:"email"`
	Website       string `json:"website,omitempty"`
	InsuranceNote string `json:"insurance_note,omitempty"`
	// Address is where the clinic receives post and is found, for its
	// handouts and emails; without one they show the first location's.
	Address string `json:"address,omitempty"`
	// CancelHours is how many hours before its start a booking can still
	// be cancelled or moved online.
	CancelHours int `json:"cancel_hours"`
	// MinNoticeMinutes is how soon from now the first slot may start.
	MinNoticeMinutes int `json:"min_notice_minutes"`
	// HorizonDays is how many days after today the last slot may start.
	HorizonDays int `json:"horizon_days"`
	// SlotStepMinutes is how far apart candidate starts are, counted from
	// each whole local hour: one of StepMinutes.
	SlotStepMinutes int `json:"slot_step_minutes"`
}

// Contact is what the clinic's handouts and emails say about it: its name,
// how to reach it and where it is.
type Contact struct {
	Name, Phone, Email, Website, Address string
}

// ContactOf returns the clinic's contact: its own address, or else the
// address of the first of locations (which are in order of id).
func ContactOf(c Clinic, locations []Location) Contact {
	addr := c.Address
	if addr == "" && len(locations) > 0 {
		addr = locations[0].Address
	}
	return Contact{Name: c.Name, Phone: c.Phone, Email: c.Email, Website: c.Website, Address: addr}
}

// Line is the contact on one line, its given parts in order, name first,
// separated by " · ", an address written on several lines joined with
// commas; empty when nothing is given.
func (c Contact) Line() string {
	var parts []string
	for _, s := range []string{c.Name, c.Address, c.Phone, c.Email, c.Website} {
		if s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", ", ")), " "); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// StepMinutes are the slot steps a clinic may choose: each divides an hour.
var StepMinutes = []int{5, 10, 15, 20, 30, 60}

// MinNotice is the clinic's minimum notice as a duration.
func (c Clinic) MinNotice() time.Duration { return time.Duration(c.MinNoticeMinutes) * time.Minute }

// Location is a place where therapists work, with the time zone its hours
// are kept in.
type Location struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Address  string `json:"address"`
	TimeZone string `json:"time_zone"` // IANA, such as "Europe/Berlin"
	Phone    string `json:"phone,omitempty"`
}

// Mode is how a visit takes place.
type Mode string

// Modes of a visit.
const (
	InPerson Mode = "in_person"
	Virtual  Mode = "virtual"
)

// Consultation is the style of a service that is a talk rather than a
// massage; every other style is a massage style of the library.
const Consultation = "consultation"

// Service is something a client can book.
type Service struct {
	ID                  string `json:"id"`
	Name                string `json:"name"`
	Style               string `json:"style"` // a massage style id of the library, or Consultation
	Minutes             int    `json:"minutes"`
	BufferBeforeMinutes int    `json:"buffer_before_minutes"`
	BufferAfterMinutes  int    `json:"buffer_after_minutes"`
	Price               string `json:"price"` // a decimal, such as "95.00"
	Currency            string `json:"currency"`
	Modes               []Mode `json:"modes"`
}

// Length is how long the service takes, without buffers.
func (s Service) Length() time.Duration { return time.Duration(s.Minutes) * time.Minute }

// BufferBefore is the time kept free before the service.
func (s Service) BufferBefore() time.Duration {
	return time.Duration(s.BufferBeforeMinutes) * time.Minute
}

// BufferAfter is the time kept free after the service.
func (s Service) BufferAfter() time.Duration {
	return time.Duration(s.BufferAfterMinutes) * time.Minute
}

// Offers reports whether the service can take place in mode m.
func (s Service) Offers(m Mode) bool { return slices.Contains(s.Modes, m) }

// Therapist is someone clients book, with where and when they work.
type Therapist struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Email       string    `json:"email"`
	Credentials string    `json:"credentials"`
	Licence     string    `json:"licence,omitempty"`
	Bio         string    `json:"bio,omitempty"`
	Specialties []string  `json:"specialties"`
	Languages   []string  `json:"languages,omitempty"`
	Location    string    `json:"location"` // a Location's ID
	Services    []string  `json:"services"` // Service IDs
	Modes       []Mode    `json:"modes"`
	VideoURL    string    `json:"video_url,omitempty"` // for virtual visits
	Hours       Week      `json:"hours"`
	TimeOff     []TimeOff `json:"time_off,omitempty"`
}

// Offers reports whether the therapist gives service in mode m.
func (t *Therapist) Offers(service string, m Mode) bool {
	return slices.Contains(t.Modes, m) && slices.Contains(t.Services, service)
}

// Week is a therapist's working hours, by day of the week (Week[time.Monday]
// are Monday's), each day a list of ranges that do not overlap, in order.
type Week [7][]Range

// Range is a span of one day's wall clock, [From, To).
type Range struct {
	From, To Clock
}

// dayNames are the days of a Week as the clinic file names them, in the
// order of time.Weekday.
var dayNames = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// MarshalJSON writes the week as the clinic file does, Monday first:
// {"mon": [["09:00", "12:00"]], …}.
func (w Week) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i := range 7 {
		day := (i + 1) % 7 // Monday first
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, dayNames[day]...)
		b = append(b, `":[`...)
		for j, r := range w[day] {
			if j > 0 {
				b = append(b, ',')
			}
			b = fmt.Appendf(b, `["%s","%s"]`, r.From, r.To)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

// TimeOff is a span of wall-clock time when a therapist does not work,
// [From, To), in their location's zone.
type TimeOff struct {
	From Wall `json:"from"`
	To   Wall `json:"to"`
}
