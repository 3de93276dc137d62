package web

import (
	"context"
	"net/http"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// The clinic's bookings (DESIGN.md's role table: bookings, an admin sees
// all of the clinic's, a therapist their own): a week across therapists,
// each booking at its location's wall clock, with who, what, with whom,
// how and its status. No health data, so it is not audited.

// ClinicWeeks is the storage of the clinic's bookings page.
type ClinicWeeks interface {
	ClinicBookings(ctx context.Context, therapist string, first clinic.Date, days int) (*store.ClinicBookingList, error)
	ClinicZone(ctx context.Context) (*time.Location, error)
}

// bookingsPage is the data of desk_bookings.html.
type bookingsPage struct {
	User *store.User
	// Whole is set for the whole clinic's bookings; otherwise they are
	// those of the therapist named Therapist.
	Whole      bool
	Therapist  string
	Heading    string
	Prev, Next string // the weeks before and after
	This       string // this week's address; "" when shown
	Days       []bookingsDay
	More       bool // the week holds more than the page lists
	Max        int
}

// bookingsDay is one date of the week, by the wall clock of each
// booking's location.
type bookingsDay struct {
	Date     string // "Monday 29 March 2027"
	ISO      string
	Today    bool
	Bookings []bookingsRow
}

// bookingsRow is one booking of the list.
type bookingsRow struct {
	Start, End string // HH:MM at the location
	StartISO   string
	Zone       string // the location's zone
	Client     string
	Service    string
	Therapist  string
	Location   string
	Mode       string
	Status     booking.Status
	StatusSays string
}

// clinicBookings shows the week from Monday that holds ?week=YYYY-MM-DD:
// the whole clinic's bookings for an admin (staff.AllBookings), this
// week counted in the clinic's zone (store.ClinicZone); the signed-in
// therapist's own for anyone else, who must be tied to one of the
// clinic's therapists, this week counted in their location's zone.
func (s *Server) clinicBookings(w http.ResponseWriter, r *http.Request, u *store.User) {
	page := bookingsPage{User: u, Whole: staff.AllBookings(u.Roles), Max: store.MaxClinicBookings}
	therapist, zone := "", (*time.Location)(nil)
	if page.Whole {
		var err error
		if zone, err = s.store.ClinicZone(r.Context()); s.failed(w, r, err) {
			return
		}
	} else {
		th, ok := s.signedInTherapist(w, r, u)
		if !ok {
			return
		}
		therapist, page.Therapist, zone = th.ID, th.Name, th.Zone
	}
	now := time.Now()
	first, errs := deskDate(r, "week", zone, now)
	if len(errs) > 0 {
		s.badQuery(w, r, errs)
		return
	}
	first = mondayOf(first)
	today := clinic.DateOf(now.In(zone))
	list, err := s.store.ClinicBookings(r.Context(), therapist, first, 7)
	if s.failed(w, r, err) {
		return
	}
	const path = "/staff/bookings"
	page.Heading = "Bookings, week of " + longDate(first)
	page.Prev = path + "?week=" + first.AddDays(-7).String()
	page.Next = path + "?week=" + first.AddDays(7).String()
	if first != mondayOf(today) {
		page.This = path
	}
	page.More = list.More
	for i := range 7 {
		d := first.AddDays(i)
		page.Days = append(page.Days, bookingsDay{Date: longDate(d), ISO: d.String(), Today: d == today})
	}
	for _, b := range list.Bookings {
		start, end := b.Booking.Start.In(b.Zone), b.Booking.End.In(b.Zone)
		i := first.DaysUntil(b.Date)
		page.Days[i].Bookings = append(page.Days[i].Bookings, bookingsRow{
			Start: start.Format("15:04"), End: end.Format("15:04"), StartISO: start.Format(time.RFC3339), Zone: b.Zone.String(),
			Client: b.Booking.Name, Service: b.Service, Therapist: b.Therapist, Location: b.Location,
			Mode: modeSays(b.Booking.Mode), Status: b.Booking.Status, StatusSays: statusWords[b.Booking.Status],
		})
	}
	s.render(w, r, http.StatusOK, "desk_bookings.html", page)
}
