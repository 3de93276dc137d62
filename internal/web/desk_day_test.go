package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/logs"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// deskServer serves unknot with the demo clinic, whose therapist Ana
// (ana@demo-clinic.example) works in Berlin.
func deskServer(t testing.TB) (*httptest.Server, *store.DB, *time.Location) {
	t.Helper()
	ts, db := startTestServer(t, Config{})
	if err := db.ImportClinic(t.Context(), clinic.Demo()); err != nil {
		t.Fatal(err)
	}
	berlin, err := clinic.Zone("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return ts, db, berlin
}

// seedVisit books an hour of trigger point therapy (Ana's) or Swedish
// massage (Ben's) with therapist at start for a client called name.
func seedVisit(t testing.TB, db *store.DB, therapist, name string, start time.Time) *booking.Booking {
	t.Helper()
	service := map[string]string{"ana": "trigger-60", "ben": "swedish-60"}[therapist]
	_, hash := secret.NewToken()
	b, _, err := db.CreateBooking(t.Context(), store.NewBooking{
		Booking: booking.Booking{
			Service: service, Therapist: therapist, Location: "mitte", Mode: clinic.InPerson,
			Start: start, End: start.Add(time.Hour), Name: name, Email: "client@example.com",
			Note: "my left shoulder has hurt since March",
		},
		TokenHash: hash,
		Now:       start.Add(-72 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// todayAt is hh:mm today in zone.
func todayAt(zone *time.Location, hh, mm int) time.Time {
	n := time.Now().In(zone)
	return time.Date(n.Year(), n.Month(), n.Day(), hh, mm, 0, 0, zone)
}

func TestDeskDayAndWeek(t *testing.T) {
	ts, db, berlin := deskServer(t)
	mine := seedVisit(t, db, "ana", "Kim Mine", todayAt(berlin, 9, 0))
	seedVisit(t, db, "ben", "Lou Others", todayAt(berlin, 9, 0))
	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)

	resp, body := send(t, ana, "GET", ts.URL+"/staff/day", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /staff/day: %d", resp.StatusCode)
	}
	for _, want := range []string{"Today, ", "Kim Mine", "Trigger point therapy, 60 minutes", "09:00–10:00",
		"Invalidenstraße 1", "No self-check shared", fmt.Sprintf(`href="/staff/visits/%d"`, mine.ID), "Europe/Berlin"} {
		if !strings.Contains(body, want) {
			t.Errorf("today's page lacks %q", want)
		}
	}
	if strings.Contains(body, "Lou Others") {
		t.Error("today's page shows another therapist's client")
	}
	_, week := send(t, ana, "GET", ts.URL+"/staff/week", nil)
	if !strings.Contains(week, "Kim Mine") || strings.Contains(week, "Lou Others") || !strings.Contains(week, "Week of ") {
		t.Error("this week's page does not show Ana's visit alone")
	}
	monday := mondayOf(clinic.DateOf(mine.Start.In(berlin)))
	for path, want := range map[string]string{
		"/staff/week?week=" + monday.AddDays(3).String(): "Week of " + longDate(monday),
		"/staff/day?date=" + monday.AddDays(-1).String(): `href="/staff/day?date=` + monday.AddDays(-2).String() + `" rel="prev"`,
		"/staff/week?week=" + monday.AddDays(7).String(): `href="/staff/week?week=` + monday.String() + `" rel="prev"`,
	} {
		resp, body := send(t, ana, "GET", ts.URL+path, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d, lacks %q", path, resp.StatusCode, want)
		}
	}
	for path, field := range map[string]string{
		"/staff/day?date=2027-02-30":  "date",
		"/staff/day?date=yesterday":   "date",
		"/staff/week?week=3027-01-01": "week",
		"/staff/week?week=2027-1-1":   "week",
	} {
		resp, body := send(t, ana, "GET", ts.URL+path, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, field+": ") {
			t.Errorf("GET %s: %d, want 400 naming %s", path, resp.StatusCode, field)
		}
	}
}

// The desk is a therapist's: a visitor is sent to sign in, an account
// that is none of the clinic's therapists is refused, and a therapist
// finds no other therapist's visit, to read, mark or annotate.
func TestDeskRefusesOthers(t *testing.T) {
	ts, db, berlin := deskServer(t)
	bens := seedVisit(t, db, "ben", "Lou Others", todayAt(berlin, 9, 0).Add(-48*time.Hour))
	if resp, _ := get(t, ts.URL+"/staff/day"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/login" {
		t.Errorf("signed out: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	coach := staffClient(t, ts, db, "coach@example.com", staff.Coach)
	for _, path := range []string{"/staff/day", "/staff/week", "/staff/calendar-feed", "/staff/time-off"} {
		if resp, _ := send(t, coach, "GET", ts.URL+path, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a coach at %s: %d, want 403", path, resp.StatusCode)
		}
	}
	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)
	visit := fmt.Sprintf("%s/staff/visits/%d", ts.URL, bens.ID)
	for _, try := range []struct {
		method, url string
		form        url.Values
	}{
		{"GET", visit, nil},
		{"POST", visit + "/outcome", url.Values{"outcome": {"no_show"}}},
		{"POST", visit + "/notes", url.Values{"note": {"seen"}}},
		{"GET", ts.URL + "/staff/visits/abc", nil},
	} {
		if resp, body := send(t, ana, try.method, try.url, try.form); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "Lou Others") {
			t.Errorf("%s %s as Ana: %d, want 404", try.method, try.url, resp.StatusCode)
		}
	}
	v, err := db.TherapistVisit(t.Context(), "ben", bens.ID)
	if err != nil || v.Booking.Status != booking.Confirmed || len(v.Notes) != 0 {
		t.Errorf("Ben's visit after Ana's tries: %+v, %v", v, err)
	}
}

func TestDeskMarksVisitsAndKeepsNotes(t *testing.T) {
	ts, db, berlin := deskServer(t)
	past := seedVisit(t, db, "ana", "Kim Past", todayAt(berlin, 9, 0).Add(-48*time.Hour))
	ahead := seedVisit(t, db, "ana", "Kim Ahead", todayAt(berlin, 9, 0).Add(48*time.Hour))
	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)
	visit := func(b *booking.Booking) string { return fmt.Sprintf("%s/staff/visits/%d", ts.URL, b.ID) }

	_, body := send(t, ana, "GET", visit(past), nil)
	if !strings.Contains(body, `value="attended"`) || !strings.Contains(body, "my left shoulder has hurt") {
		t.Error("a past visit's page offers no outcome or lacks the client's note")
	}
	_, body = send(t, ana, "GET", visit(ahead), nil)
	if strings.Contains(body, `value="attended"`) {
		t.Error("a visit ahead offers an outcome")
	}
	if resp, body := send(t, ana, "POST", visit(ahead)+"/outcome", url.Values{"outcome": {"attended"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "has not started") {
		t.Errorf("marking a visit ahead: %d", resp.StatusCode)
	}
	if resp, body := send(t, ana, "POST", visit(past)+"/outcome", url.Values{"outcome": {"cancelled"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "attended or no-show") {
		t.Errorf("marking a visit cancelled: %d", resp.StatusCode)
	}
	resp, _ := send(t, ana, "POST", visit(past)+"/outcome", url.Values{"outcome": {"no_show"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("marking a past visit: %d", resp.StatusCode)
	}
	_, body = send(t, ana, "GET", ts.URL+resp.Header.Get("Location"), nil)
	if !strings.Contains(body, "marked no-show") {
		t.Error("the visit page does not say it is marked no-show")
	}

	long := strings.Repeat("é", maxVisitNote+1)
	if resp, body := send(t, ana, "POST", visit(past)+"/notes", url.Values{"note": {long}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Keep the note to 4000 characters") || !strings.Contains(body, long) {
		t.Errorf("a note too long: %d, want 400 with the note kept in the form", resp.StatusCode)
	}
	if resp, _ := send(t, ana, "POST", visit(past)+"/notes", url.Values{"note": {"bell\a"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a note with a control character: %d", resp.StatusCode)
	}
	for _, note := range []string{"Trapezius tight <left>", "Trapezius tight <left>; better after heat"} {
		if resp, _ := send(t, ana, "POST", visit(past)+"/notes", url.Values{"note": {note}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving a note: %d", resp.StatusCode)
		}
	}
	_, body = send(t, ana, "GET", visit(past), nil)
	if !strings.Contains(body, "Earlier versions (2)") || !strings.Contains(body, "better after heat</textarea>") || !strings.Contains(body, "&lt;left&gt;") {
		t.Error("the visit page does not show the note and its history, escaped")
	}
	v, err := db.TherapistVisit(t.Context(), "ana", past.ID)
	if err != nil || v.Booking.Status != booking.NoShow || len(v.Notes) != 2 {
		t.Errorf("stored: %+v, %v", v, err)
	}
	_, day := send(t, ana, "GET", ts.URL+"/staff/day?date="+clinic.DateOf(past.Start.In(berlin)).String(), nil)
	if !strings.Contains(day, "no-show") || !strings.Contains(day, "has your notes") {
		t.Error("the day does not show the outcome and the notes")
	}
}

func TestDeskTimeOff(t *testing.T) {
	ts, db, berlin := deskServer(t)
	// A Monday four to ten days ahead: Ana works 09:00–12:00 and
	// 13:00–17:00.
	monday := mondayOf(clinic.DateOf(time.Now().In(berlin)).AddDays(3)).AddDays(7)
	seedVisit(t, db, "ana", "Kim Booked", clinic.Wall{Date: monday, Clock: 10 * 60}.In(berlin))
	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)
	day := monday.String()
	slotsAt := func(hour string) bool {
		_, slots := get(t, ts.URL+"/api/v1/slots?service=trigger-60&therapist=ana&from="+day+"&to="+day)
		return strings.Contains(slots, `"`+day+"T"+hour)
	}
	if !slotsAt("13:00") {
		t.Fatal("no slot at 13:00 before the time off")
	}
	for _, tt := range []struct {
		from, to, reason string
		status           int
		says             string
	}{
		{"", day + "T12:00", "", http.StatusBadRequest, "is required"},
		{day + " 09:00", day + "T12:00", "", http.StatusBadRequest, "is not YYYY-MM-DDTHH:MM"},
		{day + "T12:00", day + "T12:00", "", http.StatusBadRequest, "is not after"},
		{day + "T12:00", day + "T13:00", strings.Repeat("x", maxTimeOffReason+1), http.StatusBadRequest, "at most 200 characters"},
		{day + "T09:00", day + "T10:30", "dentist", http.StatusConflict, "<strong>Kim Booked</strong> · Trigger point therapy, 60 minutes"},
	} {
		resp, body := send(t, ana, "POST", ts.URL+"/staff/time-off", url.Values{"from": {tt.from}, "to": {tt.to}, "reason": {tt.reason}})
		if resp.StatusCode != tt.status || !strings.Contains(body, tt.says) {
			t.Errorf("time off %s–%s: %d, want %d saying %q", tt.from, tt.to, resp.StatusCode, tt.status, tt.says)
		}
	}
	if got, _ := db.TimeOffSince(t.Context(), "ana", clinic.Wall{Date: clinic.DateOf(time.Now())}); len(got) != 0 {
		t.Fatalf("refused time off was written: %+v", got)
	}
	resp, _ := send(t, ana, "POST", ts.URL+"/staff/time-off", url.Values{"from": {day + "T11:00"}, "to": {day + "T14:00"}, "reason": {"dentist"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good time off: %d", resp.StatusCode)
	}
	_, body := send(t, ana, "GET", ts.URL+resp.Header.Get("Location"), nil)
	if !strings.Contains(body, day+"T11:00 to "+day+"T14:00 · dentist") {
		t.Error("the time off page does not list the new time off")
	}
	if slotsAt("13:") || !slotsAt("14:00") {
		t.Error("slots do not follow the time off")
	}
}

// feedLink makes a new calendar link on the feed page and returns it.
func feedLink(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	resp, body := send(t, c, "POST", base+"/staff/calendar-feed", url.Values{})
	m := regexp.MustCompile(`value="(http[^"]+/visits\.ics)"`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("new feed link: %d, no link shown", resp.StatusCode)
	}
	return m[1]
}

func TestDeskCalendarFeed(t *testing.T) {
	ts, db, berlin := deskServer(t)
	past := seedVisit(t, db, "ana", "Kim Past", todayAt(berlin, 9, 0).Add(-48*time.Hour))
	seedVisit(t, db, "ana", "Kim Ahead", todayAt(berlin, 9, 0).Add(48*time.Hour))
	seedVisit(t, db, "ana", "Kim Long Ago", todayAt(berlin, 9, 0).Add(-60*24*time.Hour))
	seedVisit(t, db, "ben", "Lou Others", todayAt(berlin, 9, 0).Add(48*time.Hour))
	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)
	if _, body := send(t, ana, "GET", ts.URL+"/staff/calendar-feed", nil); !strings.Contains(body, "You have no calendar link") || !strings.Contains(body, "No self-check, diary, note or other health information") {
		t.Error("the feed page does not say there is no link, or what the feed leaves out")
	}
	link := feedLink(t, ana, ts.URL)
	token := strings.TrimSuffix(link[strings.Index(link, "/feeds/")+len("/feeds/"):], "/visits.ics")
	if !secret.Valid(token) || strings.Contains(logs.Redact("GET "+link), token) {
		t.Errorf("the feed's token %q is not a secret token that logs redact", token)
	}
	if _, body := send(t, ana, "GET", ts.URL+"/staff/calendar-feed", nil); strings.Contains(body, token) {
		t.Error("the feed page shows the link again")
	}

	fetch := func(etag string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", link, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, string(data)
	}
	resp, body := fetch("")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
		resp.Header.Get("Cache-Control") != "private, max-age=300" {
		t.Fatalf("feed: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("feed has %d events, want Ana's two of the last 30 days and ahead", len(events))
	}
	first := events[0]
	if got := first.GetProperty(ics.ComponentPropertySummary).Value; got != "Trigger point therapy, 60 minutes: Kim Past" {
		t.Errorf("summary = %q", got)
	}
	if start, err := first.GetStartAt(); err != nil || !start.Equal(past.Start) {
		t.Errorf("start = %v, %v; want %v", start, err, past.Start)
	}
	for _, leak := range []string{"shoulder", "client@example.com", "Lou Others"} {
		if strings.Contains(body, leak) {
			t.Errorf("the feed holds %q", leak)
		}
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := fetch(etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("unchanged feed with its ETag: %d, want 304", resp.StatusCode)
	}
	if _, err := db.MarkVisit(t.Context(), "ana", past.ID, booking.Attended, time.Now()); err != nil {
		t.Fatal(err)
	}
	if resp, body := fetch(etag); resp.StatusCode != http.StatusOK || !strings.Contains(body, "SEQUENCE:1") {
		t.Errorf("the feed after a change: %d, want the changed visit", resp.StatusCode)
	}

	old := link
	link = feedLink(t, ana, ts.URL)
	if resp, _ := fetch(""); resp.StatusCode != http.StatusOK {
		t.Errorf("the new link: %d", resp.StatusCode)
	}
	link = old
	if resp, _ := fetch(""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the regenerated link: %d, want 404", resp.StatusCode)
	}
	link = strings.Replace(old, token, "short", 1)
	if resp, _ := fetch(""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a malformed link: %d, want 404", resp.StatusCode)
	}
	if resp, _ := send(t, ana, "POST", ts.URL+"/staff/calendar-feed/revoke", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if at, _ := db.TherapistFeedSince(t.Context(), "ana"); at != nil {
		t.Error("the feed link is still live after revoking")
	}
}

// BenchmarkDeskWeek serves a therapist's week with 60 visits (issue 9:
// under 20 ms on the server), over loopback, with its session.
func BenchmarkDeskWeek(b *testing.B) {
	ts, db, berlin := deskServer(b)
	monday := mondayOf(clinic.DateOf(time.Now().In(berlin)))
	for i := range 60 {
		day := monday.AddDays(i / 12)
		start := clinic.Wall{Date: day, Clock: clinic.Clock(6*60 + (i%12)*75)}.In(berlin)
		seedVisit(b, db, "ana", fmt.Sprintf("Client %d", i), start)
	}
	ana := staffClient(b, ts, db, "ana@demo-clinic.example", staff.Therapist)
	url := ts.URL + "/staff/week?week=" + monday.String()
	b.ResetTimer()
	for b.Loop() {
		resp, err := ana.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Client 59") {
			b.Fatalf("week: %d", resp.StatusCode)
		}
	}
}

// A week is Monday to Sunday on the clinic's wall clock, across a
// daylight-saving change (Berlin's clocks jump on 28 March 2027).
func TestDeskWeekAcrossDST(t *testing.T) {
	ts, db, berlin := deskServer(t)
	at := func(s string) time.Time {
		w, err := clinic.ParseWall(s)
		if err != nil {
			t.Fatal(err)
		}
		return w.In(berlin)
	}
	seedVisit(t, db, "ana", "Sunday Late", at("2027-03-28T22:30"))
	seedVisit(t, db, "ana", "Monday Early", at("2027-03-29T00:15"))
	ana := staffClient(t, ts, db, "ana@demo-clinic.example", staff.Therapist)
	_, body := send(t, ana, "GET", ts.URL+"/staff/week?week=2027-03-25", nil)
	sunday := body[strings.Index(body, `id="d-2027-03-28"`):]
	if !strings.Contains(body, "Week of Monday 22 March 2027") || !strings.Contains(sunday, "Sunday Late") ||
		!strings.Contains(sunday, "22:30–23:30") || strings.Contains(body, "Monday Early") {
		t.Error("the week of the change does not end with Sunday's last visit on Berlin's clock")
	}
	_, body = send(t, ana, "GET", ts.URL+"/staff/day?date=2027-03-29", nil)
	if !strings.Contains(body, "Monday Early") || !strings.Contains(body, "00:15–01:15") || strings.Contains(body, "Sunday Late") {
		t.Error("the Monday after the change does not hold its own visit alone")
	}
}
