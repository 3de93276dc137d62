package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/outcome"
	"unknot/internal/secret"
)

// A person records a starting point from the plan page, scores the same
// activities after a weekly re-check, and sees the change on the plan
// page and on the outcomes page: chart, table and words against the 2
// points that matter. Bad input comes back at its fields.
func TestOutcomesPages(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	_, body := get(t, ts.URL+plan)
	mustContain(t, "plan page", body, "Your starting point", `action="`+plan+`/outcomes"`, `name="occasion" value="start"`,
		`name="activities[0].name"`, `<label for="i-activities[0].name">`)
	mustNotContain(t, "plan page", body, `name="global_change"`)

	// Errors at their fields, what was typed kept.
	resp, body := postForm(t, ts.URL+plan+"/outcomes", url.Values{"occasion": {"start"}, "activities[0].name": {"Reach overhead"}, "activities[1].score": {"4"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad start: %d", resp.StatusCode)
	}
	mustContain(t, "bad start", body, `<a href="#f-pain">`, `id="e-pain"`, `aria-invalid="true"`, `value="Reach overhead"`,
		"choose a score from 0", "name the activity", `name="activities[1].score" value="4" checked`)

	start := url.Values{"occasion": {"start"}, "pain": {"6"}, "activities[0].name": {"Reach overhead"}, "activities[0].score": {"3"}}
	resp, _ = postForm(t, ts.URL+plan+"/outcomes", start)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != plan+"/outcomes?saved=1" {
		t.Fatalf("start: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Only one starting point.
	if resp, body := postForm(t, ts.URL+plan+"/outcomes", start); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already recorded") {
		t.Errorf("second start: %d", resp.StatusCode)
	}

	// The re-check asks again, with the activity named before.
	_, body = postForm(t, ts.URL+plan+"/recheck", url.Values{"pain_now": {"3"}})
	mustContain(t, "re-check", body, `name="occasion" value="recheck"`, `value="Reach overhead"`, `name="global_change"`, "Somewhat better")
	resp, _ = postForm(t, ts.URL+plan+"/outcomes", url.Values{"occasion": {"recheck"}, "pain": {"3"}, "activities[0].name": {"Reach overhead"}, "activities[0].score": {"6"}, "global_change": {"4"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("re-check scores: %d", resp.StatusCode)
	}
	_, body = get(t, ts.URL+plan+"/outcomes?saved=1")
	says := "Your “Reach overhead” score rose from 3 to 6: a change that matters (2 points or more)."
	mustContain(t, "outcomes page", body, "Your scores are saved", says, "Your pain fell from 6 to 3: a change that matters",
		"Moderately better", `<svg viewBox="0 0 360 200"`, `role="img"`, "<desc id=\"oc-desc\">2 measurements", "<table>",
		`<th scope="col">Reach overhead</th>`, "Weekly re-check", "Starting point", "doi.org/10.3138/ptc.47.4.258")
	_, body = get(t, ts.URL+plan)
	mustContain(t, "plan page after", body, "How you are doing", says, plan+"/outcomes")
	mustNotContain(t, "plan page after", body, `name="occasion" value="start"`)

	// A visit's scores come from the booking only; a number that is not
	// one is named.
	resp, body = postForm(t, ts.URL+plan+"/outcomes", url.Values{"occasion": {"visit"}, "pain": {"x"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "a visit&#39;s comes from its booking") {
		t.Errorf("visit on the plan: %d", resp.StatusCode)
	}
	resp, body = postForm(t, ts.URL+plan+"/outcomes", url.Values{"occasion": {"recheck"}, "pain": {"x"}, "global_change": {"9"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "must be a whole number from 0 to 10") || !strings.Contains(body, "from -7 to 7") {
		t.Errorf("bad numbers: %d", resp.StatusCode)
	}
	a, err := db.AssessmentByToken(t.Context(), secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := db.Outcomes(t.Context(), a.ID); err != nil || len(h.Measurements) != 2 {
		t.Fatalf("stored: %+v, %v", h, err)
	}
	if resp, _ := get(t, ts.URL+"/plan/"+strings.Repeat("A", 43)+"/outcomes"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown plan: %d", resp.StatusCode)
	}

	// The download holds the outcomes; delete-for-good removes them.
	_, body = get(t, ts.URL+plan+"/export.json")
	var x struct{ Outcomes outcome.History }
	if err := json.Unmarshal([]byte(body), &x); err != nil || len(x.Outcomes.Measurements) != 2 || x.Outcomes.Activities[0].Name != "Reach overhead" {
		t.Fatalf("export: %v %s", err, body)
	}
	if resp, _ := postForm(t, ts.URL+plan+"/delete", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if h, err := db.Outcomes(t.Context(), a.ID); err != nil || len(h.Measurements)+len(h.Activities) != 0 {
		t.Errorf("after delete: %+v, %v", h, err)
	}
}

// The API: GET the history and its summary, POST a measurement; bad
// input is 400 with field errors and never reaches the store.
func TestOutcomesAPI(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := assessAt(t, ts.URL, care.SelfCare).Token
	api := ts.URL + "/api/v1/plans/" + plan + "/outcomes"
	for body, field := range map[string]string{
		`{"occasion":"start"}`:                                                 "pain",
		`{"occasion":"start","pain":4,"global_change":2}`:                      "global_change",
		`{"occasion":"visit","pain":4}`:                                        "occasion",
		`{"occasion":"start","pain":4,"activities":[{"name":"a","score":12}]}`: "activities[0].score",
		`{"occasion":"start","pain":4,"extra":1}`:                              "extra",
		`{"occasion":"start","pain":4.5}`:                                      "pain",
		`not json`:                                                             "body",
	} {
		resp, data := postJSON(t, api, body)
		if resp.StatusCode != http.StatusBadRequest || apiErrors(t, data)[field] == "" {
			t.Errorf("POST %s: %d %s, want 400 on %s", body, resp.StatusCode, data, field)
		}
	}
	resp, data := postJSON(t, api, `{"occasion":"start","pain":7,"activities":[{"name":"Turn my head","score":2},{"name":"Sleep","score":5}]}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST start: %d %s", resp.StatusCode, data)
	}
	resp, data = postJSON(t, api, `{"occasion":"recheck","pain":6,"activities":[{"name":"turn my head","score":4},{"name":"Sleep","score":5}],"global_change":3}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST re-check: %d %s", resp.StatusCode, data)
	}
	resp, data = postJSON(t, api, `{"occasion":"start","pain":1}`)
	if resp.StatusCode != http.StatusBadRequest || apiErrors(t, data)["occasion"] == "" {
		t.Errorf("second start: %d %s", resp.StatusCode, data)
	}
	resp, body := get(t, api)
	var got struct {
		outcome.History
		Summary outcome.Summary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET: %d %v %s", resp.StatusCode, err, body)
	}
	s := got.Summary
	if len(got.Measurements) != 2 || len(got.Activities) != 2 || len(s.Activities) != 2 ||
		s.Activities[0].Verdict != outcome.Improved || s.Activities[1].Verdict != outcome.Less ||
		s.Mean == nil || s.Mean.Verdict != outcome.Less || s.Pain.Verdict != outcome.Less || *s.Global != 3 {
		t.Errorf("GET = %s", body)
	}
	if resp, _ := get(t, ts.URL+"/api/v1/plans/"+strings.Repeat("A", 43)+"/outcomes"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown plan: %d", resp.StatusCode)
	}
}

// Before a visit with a plan linked, its booking's page asks for the
// scores and saves them with the plan and the booking; a visit without a
// plan does not ask, and refuses a post.
func TestVisitOutcomes(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	plan := assessAt(t, bs.URL, care.SelfCare).Token
	start := bs.hoursAhead(72)
	withPlan := bookByForm(t, bs.URL, detailsForm(start, "plan", plan))
	without := bookByForm(t, bs.URL, detailsForm(start.Add(2*time.Hour)))

	_, body := get(t, bs.URL+"/bookings/"+withPlan)
	mustContain(t, "visit with a plan", body, "Before your visit", `action="/bookings/`+withPlan+`/outcomes"`, `name="global_change"`)
	_, body = get(t, bs.URL+"/bookings/"+without)
	mustNotContain(t, "visit without a plan", body, "Before your visit")
	if resp, _ := postForm(t, bs.URL+"/bookings/"+without+"/outcomes", url.Values{"pain": {"3"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("post without a plan: %d", resp.StatusCode)
	}

	resp, body := postForm(t, bs.URL+"/bookings/"+withPlan+"/outcomes", url.Values{"activities[0].name": {"Lift my child"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad visit scores: %d", resp.StatusCode)
	}
	mustContain(t, "bad visit scores", body, `id="e-pain"`, `value="Lift my child"`, "Your visit")
	resp, _ = postForm(t, bs.URL+"/bookings/"+withPlan+"/outcomes", url.Values{"occasion": {"start"}, "pain": {"5"}, "activities[0].name": {"Lift my child"}, "activities[0].score": {"2"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("visit scores: %d", resp.StatusCode)
	}
	_, body = get(t, bs.URL+"/bookings/"+withPlan+"?outcomes=saved")
	mustContain(t, "saved", body, "your scores are saved", "Your pain is 5 at your starting point")
	a, err := bs.db.AssessmentByToken(t.Context(), secret.Hash(plan))
	if err != nil {
		t.Fatal(err)
	}
	h, err := bs.db.Outcomes(t.Context(), a.ID)
	if err != nil || len(h.Measurements) != 1 || h.Measurements[0].Occasion != outcome.Visit || h.Measurements[0].BookingID == 0 {
		t.Fatalf("stored: %+v, %v", h, err)
	}
}

// Two years of weekly measurements of three activities keep the outcomes
// page small: the chart draws every measurement and the table lists them.
func TestOutcomesPageOfTwoYearsIsSmall(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	a, err := db.AssessmentByToken(t.Context(), secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	for week := range 104 {
		score := func(n int) *int { v := (week/10 + n) % 11; return &v }
		in := outcome.Input{Occasion: outcome.Recheck, Pain: score(3), Global: score(0),
			Activities: []outcome.Rated{{Name: "Reach overhead", Score: score(1)}, {Name: "Turn my head to reverse the car", Score: score(2)}, {Name: "Sleep on my side", Score: score(4)}}}
		if week == 0 {
			in.Occasion, in.Global = outcome.Start, nil
		} else if *in.Global > outcome.GlobalMax {
			*in.Global = outcome.GlobalMax
		}
		if _, err := db.AddOutcome(t.Context(), a.ID, in, at.AddDate(0, 0, 7*week), 0); err != nil {
			t.Fatal(err)
		}
	}
	resp, body := get(t, ts.URL+plan+"/outcomes")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<desc id=\"oc-desc\">104 measurements") {
		t.Fatalf("outcomes page: %d", resp.StatusCode)
	}
	t.Logf("outcomes page with 104 measurements: %d bytes", len(body))
	if len(body) > 100_000 {
		t.Errorf("outcomes page is %d bytes, want under 100 KB", len(body))
	}
}
