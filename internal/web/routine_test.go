package web

import (
	"bytes"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
)

func TestTodayShowsTheRoutineAndLogsItWhenDone(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	resp, body := get(t, ts.URL+plan+"/today")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET today: %d", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q", cc)
	}
	first, _ := library.Default().Exercise("deep_breathing") // the day's first step: described for screen readers
	for _, want := range []string{"Day 1: today", `action="` + plan + `/today/done"`, `name="day" value="1"`,
		`name="done" value="neck_rotation" checked`, `id="routine-data"`, `"segments":`, `"kind":"ready"`,
		`data-speed="1"`, mustAsset(t, "routine.js"), "/exercises/neck_rotation.svg", `"movement":`,
		`id="p-picture" class="player-picture" src="/exercises/deep_breathing.svg" alt="` + html.EscapeString(first.Movement) + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("today has no %s", want)
		}
	}
	if strings.Contains(body, "Done for today") {
		t.Error("finished before anything was done")
	}

	resp, _ = postForm(t, ts.URL+plan+"/today/done", url.Values{"day": {"1"}, "done": {"neck_rotation", "shoulder_rolls", "neck_rotation"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != plan+"/today#finished" {
		t.Fatalf("POST done: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := get(t, ts.URL+plan+"/today"); !strings.Contains(body, "Done for today") {
		t.Error("the routine page does not say today's routine is done")
	}
	// The diary has the routine, with the exercises done once each.
	rows := diaryRows(t, ts.URL+plan)
	if len(rows) != 2 {
		t.Fatalf("diary CSV has %d rows, want a header and one entry", len(rows))
	}
	if got := rows[1]; got[3] != "" || got[5] != "neck_rotation;shoulder_rolls" || got[6] != "true" || got[7] != "1" {
		t.Errorf("logged %q", got)
	}
}

// diaryRows reads the diary of a plan back from its CSV export.
func diaryRows(t *testing.T, plan string) [][]string {
	t.Helper()
	resp, body := get(t, plan+"/diary.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("diary.csv: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestTodayDoneRejectsBadInput(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	tests := []struct {
		form  url.Values
		field string
	}{
		{url.Values{"done": {"neck_rotation"}}, "day"},
		{url.Values{"day": {"8"}}, "day"},
		{url.Values{"day": {"one"}}, "day"},
		{url.Values{"day": {"1"}, "done": {"neck_rotation", "handstand"}}, "done[1]"},
	}
	for _, tt := range tests {
		resp, body := postForm(t, ts.URL+plan+"/today/done", tt.form)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", tt.form, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, `role="alert"`) || !strings.Contains(body, tt.field+":") {
			t.Errorf("%v: the page does not name %s", tt.form, tt.field)
		}
	}
	if rows := diaryRows(t, ts.URL+plan); len(rows) != 1 {
		t.Errorf("rejected input was logged: %d rows", len(rows))
	}
}

func TestTodaySpeedIsForTestsAndChecked(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	if _, body := get(t, ts.URL+plan+"/today?speed=20"); !strings.Contains(body, `data-speed="20"`) {
		t.Error("speed=20 is not passed to the timer")
	}
	for _, bad := range []string{"0", "101", "fast"} {
		resp, body := get(t, ts.URL+plan+"/today?speed="+bad)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "speed:") {
			t.Errorf("speed=%s: %d", bad, resp.StatusCode)
		}
	}
}

func TestTodayWithoutAPlanSaysToSeeADoctor(t *testing.T) {
	ts := newTestServer(t, Config{})
	form := deskWorker()
	form.Set("symptoms.fever_or_chills", "yes")
	plan := newPlan(t, ts.URL, form)
	_, body := get(t, ts.URL+plan+"/today")
	if !strings.Contains(body, care.LevelOf(care.Urgent).Title) || strings.Contains(body, "/today/done") {
		t.Error("an urgent result offers a routine")
	}
	if resp, _ := postForm(t, ts.URL+plan+"/today/done", url.Values{"day": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("POST done without a plan: %d, want a redirect to the result", resp.StatusCode)
	}
	if rows := diaryRows(t, ts.URL+plan); len(rows) != 1 {
		t.Error("a routine was logged for an urgent result")
	}
	if resp, _ := get(t, ts.URL+plan+"/calendar.ics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("calendar of an urgent result: %d, want 404", resp.StatusCode)
	}
}

func TestPlanPageLinksTheTools(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	_, body := get(t, ts.URL+plan)
	for _, want := range []string{plan + "/today", plan + "/handout.pdf", plan + "/progress.pdf", plan + "/diary.csv", plan + "/calendar.ics"} {
		if !strings.Contains(body, `"`+want+`"`) {
			t.Errorf("plan page has no link to %s", want)
		}
	}
	if !strings.Contains(body, `name="start"`) || !strings.Contains(body, `name="days" value="mon" checked`) {
		t.Error("plan page has no working-hours form for the calendar")
	}
}

func TestExportsArePDFAndICS(t *testing.T) {
	ts := newTestServer(t, Config{BaseURL: "https://unknot.example"})
	plan := newPlan(t, ts.URL, deskWorker())
	for _, file := range []string{"handout.pdf", "progress.pdf"} {
		resp, body := get(t, ts.URL+plan+"/"+file)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("%s: %d %s", file, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	resp, body := get(t, ts.URL+plan+"/calendar.ics?start=08:30&end=16:30&days=mon,tue&days=wed")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("calendar: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cal, err := ics.ParseCalendar(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	var linked bool
	for _, ev := range cal.Events() {
		if d := ev.GetProperty(ics.ComponentPropertyDescription); d != nil && strings.Contains(d.Value, "https://unknot.example"+plan+"/today") {
			linked = true
		}
	}
	if len(cal.Events()) == 0 || !linked {
		t.Errorf("%d events; link to the routine missing", len(cal.Events()))
	}
	token := strings.TrimPrefix(plan, "/plan/")
	for _, ev := range cal.Events() {
		if strings.Contains(ev.Id(), token[:8]) {
			t.Errorf("UID %s gives the private token away", ev.Id())
		}
	}
	for query, field := range map[string]string{"start=25:00": "start", "start=10:00&end=09:00": "end", "days=someday": "days", "end=5pm": "end"} {
		resp, body := get(t, ts.URL+plan+"/calendar.ics?"+query)
		if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(body, field+": ") {
			t.Errorf("%s: %d %q, want 400 naming %s", query, resp.StatusCode, body, field)
		}
	}
}

func TestRoutineAndExportsOfUnknownPlans(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/today", "/handout.pdf", "/progress.pdf", "/diary.csv", "/calendar.ics"} {
		if resp, _ := get(t, ts.URL+"/plan/"+strings.Repeat("A", 43)+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s of an unknown plan: %d", path, resp.StatusCode)
		}
	}
	if resp, _ := postForm(t, ts.URL+"/plan/nope/today/done", url.Values{"day": {"1"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST done to an unknown plan: %d", resp.StatusCode)
	}
}

func TestTodayShowsAnotherDay(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	_, body := get(t, ts.URL+plan+"/today?day=4")
	for _, want := range []string{"Day 4 of your program", `name="day" value="4"`, `aria-current="page">4<`, `href="` + plan + `/today?day=1" aria-label="Day 1 (today)"`} {
		if !strings.Contains(body, want) {
			t.Errorf("day 4 has no %s", want)
		}
	}
	// No pain logged yet and it is day 1: day 5's strength work waits.
	_, body = get(t, ts.URL+plan+"/today?day=5")
	if !strings.Contains(body, "wait until your pain is 4 or less") || strings.Contains(body, `value="wall_angel"`) {
		t.Error("day 5 in the relief phase offers strength work or does not say why it is left out")
	}
	for _, bad := range []string{"0", "8", "x"} {
		if resp, body := get(t, ts.URL+plan+"/today?day="+bad); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "day:") {
			t.Errorf("day=%s: %d", bad, resp.StatusCode)
		}
	}
}

// FuzzCalendarSettings: whatever the query, the settings either come with
// errors or are valid.
func FuzzCalendarSettings(f *testing.F) {
	f.Add("09:00", "17:00", "mon,tue,wed")
	f.Add("25:00", "7:00", "someday")
	f.Add("", "08:00", "")
	f.Fuzz(func(t *testing.T, start, end, days string) {
		q := url.Values{"start": {start}, "end": {end}, "days": {days}}
		s, errs := calendarSettings(diary.DefaultSettings(), q)
		if len(errs) == 0 {
			if v := s.Validate(); len(v) > 0 {
				t.Fatalf("%v: accepted settings that are not valid: %v", q, v)
			}
		}
	})
}
