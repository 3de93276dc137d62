package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"unknot/internal/booking"
	"unknot/internal/clinic"
)

// A week of the clinic's bookings counts each booking's day on its own
// location's clock: a visit late on Sunday in New York is in the week
// although it is Monday in Berlin, and one late on the Sunday before is
// not although it is Monday in Berlin. Every status is listed with the
// names of service, therapist and location; a therapist's scope holds
// only theirs.
func TestClinicBookings(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.ClinicBookings(ctx, "", clinic.Date{Year: 2027, Month: 3, Day: 29}, 7); !errors.Is(err, ErrNotFound) {
			t.Fatalf("without a clinic: %v", err)
		}
		data := strings.Replace(testClinicJSON, `"time_zone": "Europe/Berlin"}]`,
			`"time_zone": "Europe/Berlin"}, {"id": "nyc", "name": "New York", "address": "1 Broadway", "time_zone": "America/New_York"}]`, 1)
		data = strings.Replace(data, `"location": "mitte", "services": ["trigger-60"]`, `"location": "nyc", "services": ["trigger-60"]`, 1)
		if err := db.ImportClinic(ctx, parseClinic(t, data)); err != nil {
			t.Fatal(err)
		}
		inNYC := func(start string) NewBooking {
			nb := newBooking(t, "ben", "trigger-60", start)
			nb.Booking.Location = "nyc"
			return nb
		}
		monday := book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T09:00:00+02:00"))
		cancelled := newBooking(t, "ana", "consult-30", "2027-03-30T10:00:00+02:00")
		book(t, db, cancelled)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: cancelled.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		sunday := book(t, db, newBooking(t, "ana", "trigger-60", "2027-04-04T22:30:00+02:00"))
		book(t, db, newBooking(t, "ben", "trigger-60", "2027-04-05T00:30:00+02:00")) // next week (Ana is off that day)
		benSunday := book(t, db, inNYC("2027-04-04T21:00:00-04:00"))                 // Monday in Berlin
		book(t, db, inNYC("2027-03-28T21:00:00-04:00"))                              // the Sunday before; Monday in Berlin

		week, err := db.ClinicBookings(ctx, "", clinic.Date{Year: 2027, Month: 3, Day: 29}, 7)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, b := range week.Bookings {
			ids = append(ids, b.Booking.ID)
		}
		if len(ids) != 4 || ids[0] != monday.ID || ids[2] != sunday.ID || ids[3] != benSunday.ID || week.More {
			t.Fatalf("the clinic's week = %v (more %v), want Monday, the cancelled, Ana's and Ben's Sundays", ids, week.More)
		}
		if b := week.Bookings[1]; b.Booking.Status != booking.Cancelled || b.Service != "Consultation" {
			t.Errorf("the cancelled booking = %+v", b)
		}
		first, ben := week.Bookings[0], week.Bookings[3]
		if first.Service != "Trigger point therapy" || first.Therapist != "Ana" || first.Location != "Mitte" || first.Zone.String() != "Europe/Berlin" ||
			first.Date != (clinic.Date{Year: 2027, Month: 3, Day: 29}) || first.Booking.Name != "Kim" {
			t.Errorf("Ana's Monday = %+v", first)
		}
		if ben.Therapist != "Ben" || ben.Location != "New York" || ben.Zone.String() != "America/New_York" || ben.Date != (clinic.Date{Year: 2027, Month: 4, Day: 4}) {
			t.Errorf("Ben's Sunday = %+v", ben)
		}

		anas, err := db.ClinicBookings(ctx, "ana", clinic.Date{Year: 2027, Month: 3, Day: 29}, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(anas.Bookings) != 3 {
			t.Fatalf("Ana's week = %+v, want her three", anas.Bookings)
		}
		for _, b := range anas.Bookings {
			if b.Booking.Therapist != "ana" {
				t.Errorf("Ana's week holds %+v", b)
			}
		}
		if zone, err := db.ClinicZone(ctx); err != nil || zone.String() != "Europe/Berlin" {
			t.Errorf("clinic zone = %v, %v; want the first location's", zone, err)
		}
	})
}
