package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
)

// The plan page of home care opens with today's session and the progress
// at a glance; urgent and emergency results have neither.
func TestPlanPageOpensWithToday(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, level := range []string{care.SeeProfessional, care.SelfCare} {
		r := assessAt(t, ts.URL, level)
		_, page := get(t, ts.URL+"/plan/"+r.Token)
		main := mainOf(t, page)
		start := strings.Index(main, `id="start-today"`)
		why := strings.Index(main, `id="why-title"`)
		if start < 0 || why < start || !strings.Contains(main, `href="/plan/`+r.Token+`/today" id="start-today"`) {
			t.Errorf("%s: Start (at %d) does not come before the rest (at %d)", level, start, why)
		}
		mustContain(t, level, main, `class="glance"`, "Day <strong>1</strong> of 7", "<details open><summary><h2 id=\"relief-title\">")
	}
	for _, level := range []string{care.Urgent, care.Emergency} {
		r := assessAt(t, ts.URL, level)
		_, page := get(t, ts.URL+"/plan/"+r.Token)
		mustNotContain(t, level, mainOf(t, page), "start-today", "glance", "/today")
	}
}

// Glance counts the days with home care in the last 7 and draws the pain
// of the last 14 days with a score.
func TestGlance(t *testing.T) {
	loc := time.FixedZone("x", 3600)
	y, m, d := time.Now().In(loc).Date()
	day := func(ago int) time.Time { return time.Date(y, m, d-ago, 0, 0, 0, 0, loc) }
	p := planPage{
		Result: care.Result{Version: care.Version, SelfCareAllowed: true, Plan: &care.Plan{Days: []care.Day{{Day: 1, Focus: "one"}, {Day: 2, Focus: "two"}}}},
		Progress: &diary.Progress{ProgramDay: 2, Daily: []diary.DayStat{
			{Date: day(20), MeanPain: 9, Scored: 1, Adherent: true},
			{Date: day(7), MeanPain: 6, Scored: 1, Adherent: true},
			{Date: day(3), Adherent: true},
			{Date: day(0), MeanPain: 2, Scored: 2, Adherent: true},
		}},
	}
	g := p.Glance()
	if !g.Show || g.Day != 2 || g.Focus != "two" || !g.Logged {
		t.Fatalf("glance %+v", g)
	}
	if g.CareDays != 2 || !g.DoneToday {
		t.Errorf("care days %d, done today %v; want 2 and true", g.CareDays, g.DoneToday)
	}
	if g.From != 6 || g.To != 2 || g.Scored != 2 || g.Points != "0.0,12.4 100.0,22.8" {
		t.Errorf("trend %d → %d over %d days, points %q", g.From, g.To, g.Scored, g.Points)
	}
	p.Result.SelfCareAllowed = false
	if p.Glance().Show {
		t.Error("a plan on hold shows today's session")
	}
}

// The service worker is served from /plan/ so that its scope covers the
// routine pages, and is never cached for a day.
func TestServiceWorkerIsServedFresh(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, body := get(t, ts.URL+"/plan/sw.js")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") ||
		resp.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(body, "addEventListener(\"fetch\"") {
		t.Errorf("GET /plan/sw.js: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
}
