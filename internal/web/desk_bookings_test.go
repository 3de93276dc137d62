package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/staff"
)

// An admin's bookings page lists the whole clinic's week across
// therapists; a therapist's lists only their own; an account tied to no
// therapist has none (404); a bad week is 400 naming it; no note or
// other health data shows.
func TestDeskBookings(t *testing.T) {
	ts, db, berlin := deskServer(t)
	start := todayAt(berlin, 9, 0)
	seedVisit(t, db, "ana", "Kim Mine", start)
	seedVisit(t, db, "ben", "Lou Others", start.Add(time.Hour))
	seedVisit(t, db, "ana", "Nell Later", start.Add(7*24*time.Hour))
	monday := mondayOf(clinic.DateOf(start.In(berlin)))
	week := ts.URL + "/staff/bookings?week=" + monday.AddDays(2).String()

	admin := staffClient(t, ts, db, "admin@example.com", staff.Admin)
	resp, body := send(t, admin, "GET", week, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin: %d", resp.StatusCode)
	}
	mustContain(t, "the clinic's week", body, "Bookings, week of "+longDate(monday), "Every booking of the clinic",
		"Kim Mine", "Lou Others", "Ana Demo", "Ben Demo", "09:00–10:00", "10:00–11:00", "Europe/Berlin", "In person · Demo Clinic Mitte",
		"Trigger point therapy, 60 minutes", "booked", `href="/staff/bookings?week=`+monday.AddDays(7).String()+`" rel="next"`)
	mustNotContain(t, "the clinic's week", body, "Nell Later", "my left shoulder", "client@example.com")
	if k, l := strings.Index(body, "Kim Mine"), strings.Index(body, "Lou Others"); l < k {
		t.Error("the week is not in order of start")
	}
	if _, body := send(t, admin, "GET", ts.URL+"/staff/bookings?week="+monday.AddDays(7).String(), nil); !strings.Contains(body, "Nell Later") || strings.Contains(body, "Kim Mine") {
		t.Error("next week's page does not show next week's booking alone")
	}

	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)
	resp, body = send(t, ana, "GET", week, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Ana: %d", resp.StatusCode)
	}
	mustContain(t, "Ana's week", body, "Your bookings, Ana Demo", "Kim Mine")
	mustNotContain(t, "Ana's week", body, "Lou Others", "Ben Demo")

	untied := staffClient(t, ts, db, "nobody@example.com", staff.Therapist)
	if resp, _ := send(t, untied, "GET", week, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a therapist's account tied to no therapist: %d, want 404", resp.StatusCode)
	}
	for _, bad := range []string{"2027-02-30", "soon", "3027-01-01"} {
		if resp, body := send(t, admin, "GET", ts.URL+"/staff/bookings?week="+bad, nil); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "week: ") {
			t.Errorf("week=%s: %d, want 400 naming week", bad, resp.StatusCode)
		}
	}
}
