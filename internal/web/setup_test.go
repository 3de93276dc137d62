package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"unknot/internal/staff"
)

// storedClinic is the clinic as the database holds it, as JSON.
func storedClinic(t *testing.T, bs *bookingServer) string {
	t.Helper()
	f, err := bs.db.ExportClinic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(f)
	return string(b)
}

// anaHours is the hours form of the booking clinic's Ana with mon set.
func anaHours(mon string) url.Values {
	v := url.Values{"time_off": {"2030-01-01T00:00 to 2030-01-02T00:00"}}
	for _, d := range []string{"tue", "wed", "thu", "fri", "sat", "sun"} {
		v.Set("hours."+d, "00:00-24:00")
	}
	v.Set("hours.mon", mon)
	return v
}

func TestSetupRefusesWhoMayNot(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	coach := staffClient(t, bs.Server, bs.db, "coach@example.com", staff.Coach)
	ana := staffClient(t, bs.Server, bs.db, "ana@clinic.example", staff.Therapist)
	untied := staffClient(t, bs.Server, bs.db, "new@example.com", staff.Therapist)
	before := storedClinic(t, bs)
	for _, c := range []struct {
		name   string
		client *http.Client
		method string
		path   string
		form   url.Values
		want   int
	}{
		{"coach sees no setup", coach, "GET", "/staff/setup", nil, http.StatusForbidden},
		{"therapist sees no setup", ana, "GET", "/staff/setup/clinic", nil, http.StatusForbidden},
		{"therapist edits another's hours", ana, "POST", "/staff/setup/therapists/ben/hours", anaHours("09:00-10:00"), http.StatusForbidden},
		{"therapist edits her own through the admin's page", ana, "POST", "/staff/setup/therapists/ana/hours", anaHours("09:00-10:00"), http.StatusForbidden},
		{"therapist removes a service", ana, "POST", "/staff/setup/services/talk-30/remove", url.Values{}, http.StatusForbidden},
		{"a coach has no hours", coach, "GET", "/staff/hours", nil, http.StatusForbidden},
		{"a therapist's account tied to none of the clinic's therapists has no hours", untied, "GET", "/staff/hours", nil, http.StatusNotFound},
		{"nor can it post them", untied, "POST", "/staff/hours", anaHours("09:00-10:00"), http.StatusNotFound},
		{"signed out", noRedirect, "POST", "/staff/setup/clinic", url.Values{}, http.StatusSeeOther},
	} {
		resp, _ := send(t, c.client, c.method, bs.URL+c.path, c.form)
		if resp.StatusCode != c.want {
			t.Errorf("%s: %s %s = %d, want %d", c.name, c.method, c.path, resp.StatusCode, c.want)
		}
	}
	if after := storedClinic(t, bs); after != before {
		t.Errorf("a refused request changed the clinic:\n%s", after)
	}
}

func TestTherapistEditsOwnHours(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	ana := staffClient(t, bs.Server, bs.db, "ana@clinic.example", staff.Therapist)
	resp, body := send(t, ana, "GET", bs.URL+"/staff/hours", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Hours and time off: Ana") || !strings.Contains(body, `value="00:00-24:00"`) {
		t.Fatalf("GET /staff/hours = %d\n%s", resp.StatusCode, body)
	}
	before := storedClinic(t, bs)
	// Overlapping ranges: the form again, the values kept, the problem
	// at the day, and nothing saved.
	resp, body = send(t, ana, "POST", bs.URL+"/staff/hours", anaHours("09:00-12:00, 11:00-13:00"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-hours.mon">overlaps mon[0] (09:00-12:00)`) ||
		!strings.Contains(body, `value="09:00-12:00, 11:00-13:00"`) {
		t.Fatalf("overlapping hours = %d\n%s", resp.StatusCode, body)
	}
	for _, bad := range []struct{ mon, off, want string }{
		{"9-12", "", `id="e-hours.mon">&#34;9-12&#34; is not a range such as 09:00-12:00`},
		{"12:00-09:00", "", `id="e-hours.mon">&#34;09:00&#34; is not after &#34;12:00&#34;`},
		{"09:00-12:00", "2030-01-02T00:00 to 2030-01-01T00:00", `id="e-time_off">&#34;2030-01-01T00:00&#34; is not after &#34;2030-01-02T00:00&#34;`},
		{"09:00-12:00", "next week", `id="e-time_off">line 1: &#34;next week&#34; is not two times`},
	} {
		v := anaHours(bad.mon)
		if bad.off != "" {
			v.Set("time_off", bad.off)
		}
		resp, body = send(t, ana, "POST", bs.URL+"/staff/hours", v)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, bad.want) {
			t.Errorf("mon %q, time off %q = %d, want %s\n%s", bad.mon, bad.off, resp.StatusCode, bad.want, body)
		}
	}
	if after := storedClinic(t, bs); after != before {
		t.Fatalf("a refused edit changed the clinic:\n%s", after)
	}
	resp, _ = send(t, ana, "POST", bs.URL+"/staff/hours", anaHours("13:00-17:00, 08:00-12:00"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/hours?done=saved" {
		t.Fatalf("good hours = %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	f, err := bs.db.ExportClinic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ana1, ben := f.Therapists[0], f.Therapists[1]
	if mon := ana1.Hours[time.Monday]; len(mon) != 2 || mon[0].From.String() != "08:00" || mon[1].To.String() != "17:00" {
		t.Errorf("Ana's Monday = %v", mon)
	}
	if len(ana1.TimeOff) != 1 || ana1.TimeOff[0].From.String() != "2030-01-01T00:00" {
		t.Errorf("Ana's time off = %v", ana1.TimeOff)
	}
	if mon := ben.Hours[time.Monday]; len(mon) != 1 || mon[0].To.String() != "24:00" {
		t.Errorf("Ben's Monday changed: %v", mon)
	}
}

func TestAdminSetsUpTheClinic(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	admin := staffClient(t, bs.Server, bs.db, "admin@clinic.example", staff.Admin)
	resp, body := send(t, admin, "GET", bs.URL+"/staff/setup", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "/staff/setup/therapists/ben/hours") {
		t.Fatalf("GET /staff/setup = %d\n%s", resp.StatusCode, body)
	}
	before := storedClinic(t, bs)

	// A new location with a bad time zone and no name: each problem at its
	// field, the values kept, nothing saved.
	loc := url.Values{"id": {"kreuzberg"}, "name": {""}, "address": {"Oranienstraße 1"}, "time_zone": {"Europe/Kreuzberg"}}
	resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/locations/new", loc)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-name">is required`) ||
		!strings.Contains(body, `id="e-time_zone">`) || !strings.Contains(body, `value="Europe/Kreuzberg"`) {
		t.Fatalf("bad location = %d\n%s", resp.StatusCode, body)
	}
	// A number that is no number, and a bound the import checks too.
	details := url.Values{"name": {"Knot Clinic"}, "email": {"desk@clinic.example"}, "address": {"Torstraße 1, Berlin"},
		"cancel_hours": {"a day"}, "min_notice_minutes": {"60"}, "horizon_days": {"400"}, "slot_step_minutes": {"15"}}
	resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/clinic", details)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-cancel_hours">must be a whole number`) ||
		!strings.Contains(body, `id="e-horizon_days">must be between 1 and 365`) {
		t.Fatalf("bad details = %d\n%s", resp.StatusCode, body)
	}
	// A therapist offering a service that the page does not list.
	th := url.Values{"name": {"Ben"}, "email": {"ben@clinic.example"}, "credentials": {"LMT"}, "location": {"mitte"},
		"services": {"knot-60", "gone-90"}, "modes": {"virtual"}}
	resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/therapists/ben", th)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-services">&#34;gone-90&#34; is not a service`) ||
		!strings.Contains(body, `id="e-video_url">is required when modes has`) {
		t.Fatalf("bad therapist = %d\n%s", resp.StatusCode, body)
	}
	// Removing the location that both therapists work at.
	resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/locations/mitte/remove", url.Values{})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "<code>therapist Ana: location</code>") {
		t.Fatalf("removing a location in use = %d\n%s", resp.StatusCode, body)
	}
	if after := storedClinic(t, bs); after != before {
		t.Fatalf("refused edits changed the clinic:\n%s", after)
	}

	// Good edits are saved.
	details.Set("cancel_hours", "12")
	details.Set("horizon_days", "90")
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/clinic", details); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good details = %d\n%s", resp.StatusCode, body)
	}
	loc.Set("name", "Kreuzberg")
	loc.Set("time_zone", "Europe/Berlin")
	// "new" would name the page that adds a location, not this one.
	loc.Set("id", "new")
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/locations/new", loc); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "names the page that adds one") {
		t.Fatalf("a location with the id new = %d\n%s", resp.StatusCode, body)
	}
	loc.Set("id", "kreuzberg")
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/locations/new", loc); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good location = %d\n%s", resp.StatusCode, body)
	}
	svc := url.Values{"id": {"shiatsu-45"}, "name": {"Shiatsu"}, "style": {"shiatsu_acupressure"}, "minutes": {"45"},
		"buffer_before_minutes": {"0"}, "buffer_after_minutes": {"10"}, "price": {"70.00"}, "currency": {"EUR"}, "modes": {"in_person"}}
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/services/new", svc); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good service = %d\n%s", resp.StatusCode, body)
	}
	th.Set("location", "kreuzberg")
	th["services"] = []string{"knot-60", "shiatsu-45"}
	th.Set("video_url", "https://video.example/ben")
	th.Set("specialties", "shiatsu, trigger points")
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/therapists/ben", th); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good therapist = %d\n%s", resp.StatusCode, body)
	}
	f, err := bs.db.ExportClinic(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ben := f.Therapists[1]
	if f.Clinic.CancelHours != 12 || f.Clinic.Address != "Torstraße 1, Berlin" || len(f.Locations) != 2 || len(f.Services) != 3 ||
		ben.Location != "kreuzberg" || strings.Join(ben.Services, ",") != "knot-60,shiatsu-45" ||
		strings.Join(ben.Specialties, "|") != "shiatsu|trigger points" || ben.Hours[time.Monday] == nil {
		t.Errorf("after the edits: %+v", f)
	}
	// The id of what exists does not change, whatever the form says.
	th.Set("id", "benjamin")
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/therapists/ben", th); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("therapist with an id posted = %d\n%s", resp.StatusCode, body)
	}
	if f, _ = bs.db.ExportClinic(t.Context()); f.Therapists[1].ID != "ben" {
		t.Errorf("ids = %s, %s", f.Therapists[0].ID, f.Therapists[1].ID)
	}
}

func TestRemoveRefusedWithBookingsAhead(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	admin := staffClient(t, bs.Server, bs.db, "admin@clinic.example", staff.Admin)
	bs.book(t, bookBody(bs.hoursAhead(48), `"therapist": "ben"`))
	before := storedClinic(t, bs)
	resp, body := send(t, admin, "POST", bs.URL+"/staff/setup/therapists/ben/remove", url.Values{})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "therapist ben has bookings ahead: cancel or move them first") {
		t.Fatalf("removing a booked therapist = %d\n%s", resp.StatusCode, body)
	}
	if after := storedClinic(t, bs); after != before {
		t.Fatalf("a refused removal changed the clinic:\n%s", after)
	}
	// A service nobody booked goes, once no therapist offers it.
	ana := url.Values{"name": {"Ana"}, "email": {"ana@clinic.example"}, "credentials": {"RMT"}, "location": {"mitte"},
		"services": {"knot-60"}, "modes": {"in_person", "virtual"}, "video_url": {"https://video.example/ana"}}
	if resp, body = send(t, admin, "POST", bs.URL+"/staff/setup/therapists/ana", ana); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("Ana without talk-30 = %d\n%s", resp.StatusCode, body)
	}
	resp, _ = send(t, admin, "POST", bs.URL+"/staff/setup/services/talk-30/remove", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/setup?done=removed" {
		t.Fatalf("removing an unbooked service = %d", resp.StatusCode)
	}
	if f, _ := bs.db.ExportClinic(t.Context()); len(f.Services) != 1 {
		t.Errorf("services = %+v", f.Services)
	}
}
