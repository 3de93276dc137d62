package web

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"unknot/internal/export"
)

func TestCalendarSubscription(t *testing.T) {
	ts := newTestServer(t, Config{BaseURL: "https://unknot.example"})
	plan := newPlan(t, ts.URL, deskWorker())
	_, body := get(t, ts.URL+plan)
	feed := "https://unknot.example" + plan + "/calendar.ics?breaks=60"
	for _, want := range []string{
		`href="webcal://unknot.example` + plan + `/calendar.ics?breaks=60"`, // html/template lets webcal: through
		`value="` + feed + `"`,
		`data-copy="cal-url" hidden`, // shown by copy.js; the field works without it
		`action="` + plan + `/calendar"`,
		`name="breaks" value="30"`,
		`name="breaks" value="none"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the plan's tools have no %s", want)
		}
	}
	if strings.Contains(body, "ZgotmplZ") {
		t.Error("a link was filtered out by html/template")
	}

	resp, body := get(t, ts.URL+plan+"/calendar?breaks=30&start=08:00&end=16:00&days=mon&days=wed")
	if resp.StatusCode != 200 {
		t.Fatalf("calendar page: %d", resp.StatusCode)
	}
	body = html.UnescapeString(body)
	want := "webcal://unknot.example" + plan + "/calendar.ics?" + url.Values{"breaks": {"30"}, "start": {"08:00"}, "end": {"16:00"}, "days": {"mon,wed"}}.Encode()
	if !strings.Contains(body, `href="`+want+`"`) || !strings.Contains(body, "every 30 minutes") {
		t.Errorf("the calendar page does not subscribe to %s:\n%s", want, body)
	}
	if !strings.Contains(body, `name="days" value="wed" checked`) || strings.Contains(body, `name="days" value="tue" checked`) {
		t.Error("the form does not keep the days picked")
	}

	// The feed itself follows the choice: fewer breaks, or none.
	breaks := func(q string) int {
		t.Helper()
		resp, body := get(t, ts.URL+plan+"/calendar.ics?"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, body)
		}
		return strings.Count(body, "-break-")
	}
	every30, hourly, none := breaks("breaks=30"), breaks("breaks=60"), breaks("breaks=none")
	if none != 0 || hourly == 0 || every30 <= hourly {
		t.Errorf("breaks in the feed: %d every 30 min, %d hourly, %d with none", every30, hourly, none)
	}

	// Bad values: the page shows each at its field, the feed says 400.
	resp, body = get(t, ts.URL+plan+"/calendar?breaks=15&start=25:00&end=07:00&days=someday")
	if resp.StatusCode != 400 {
		t.Fatalf("bad calendar choices: %d", resp.StatusCode)
	}
	for _, f := range []string{"breaks", "start", "days"} {
		if !strings.Contains(body, `id="e-`+f+`"`) || !strings.Contains(body, `href="#cal-`+f+`"`) {
			t.Errorf("no error at the field %s", f)
		}
	}
	if strings.Contains(body, "webcal://") {
		t.Error("a link was offered for bad choices")
	}
	if resp, body := get(t, ts.URL+plan+"/calendar.ics?breaks=45"); resp.StatusCode != 400 || !strings.HasPrefix(body, "breaks: ") {
		t.Errorf("breaks=45: %d %q", resp.StatusCode, body)
	}
}

// FuzzCalendarBreaks: whatever the query, breaks is one of the choices,
// none, the plan's own (0), or an error.
func FuzzCalendarBreaks(f *testing.F) {
	for _, s := range []string{"", "30", "60", "none", "0", "45", "-1", " 60 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, errs := calendarBreaks(url.Values{"breaks": {v}})
		ok := n == 0 || n == export.NoBreaks || n == 30 || n == 60
		if len(errs) == 0 && !ok || len(errs) > 0 && n != 0 {
			t.Fatalf("breaks=%q: %d %v", v, n, errs)
		}
	})
}

func TestWebcal(t *testing.T) {
	for in, want := range map[string]string{
		"https://a.example/plan/x/calendar.ics": "webcal://a.example/plan/x/calendar.ics",
		"http://127.0.0.1:8080/p":               "webcal://127.0.0.1:8080/p",
	} {
		if got := webcal(in); got != want {
			t.Errorf("webcal(%q) = %q", in, got)
		}
	}
}
