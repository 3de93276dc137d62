package web

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"unknot/internal/care"
	"unknot/internal/care/caretest"
	"unknot/internal/library"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/urgency"
)

// answersAt are answers of each urgency level, as the API takes them: each
// a desk worker with an over-stretched knot, so that a knot type, heat or
// cold and causes are found, plus what raises the level. Each level above
// self-care also fires rules of the levels below it.
var answersAt = map[string]string{
	care.Emergency:       withAnswers(`"recurring":true,"symptoms":{"chest_pain_or_pressure":true,"tingling_or_numbness_one_arm":true}`),
	care.Urgent:          withAnswers(`"recurring":true,"symptoms":{"fever_or_chills":true,"pain_spreads_to_arm":true}`),
	care.SeeProfessional: withAnswers(`"recurring":true`),
	care.SelfCare:        withAnswers(""),
}

// withAnswers adds fields to the answers of a desk worker with a new,
// over-stretched knot.
func withAnswers(fields string) string {
	a := `{"version":2,"age":45,"regions":["top_of_shoulder","base_of_skull"],"duration_days":5,"onset":"gradual","pain_now":4,` +
		`"habits":{"desk_hours":8,"posture":["rounded_shoulders","forward_head"],"stress":"high"}`
	if fields != "" {
		a += "," + fields
	}
	return a + "}"
}

// savedResultAt is the API's answer to new answers: the result and its link.
type savedResultAt struct {
	care.Result
	Token string `json:"token"`
}

// assessAt posts the answers of level to the API and returns what it saved.
func assessAt(t *testing.T, base, level string) savedResultAt {
	t.Helper()
	resp, data := postJSON(t, base+"/api/v1/assessments", answersAt[level])
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%s: POST /api/v1/assessments: %d %s", level, resp.StatusCode, data)
	}
	var got savedResultAt
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Urgency != level {
		t.Fatalf("answers meant for %s gave %s", level, got.Urgency)
	}
	return got
}

// mainOf is the page's main content, without the header and the footer
// that every page has.
func mainOf(t *testing.T, page string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, "<main")
	body, _, ok2 := strings.Cut(rest, "</main>")
	if !ok || !ok2 {
		t.Fatalf("no <main> in %s", page)
	}
	return body
}

// shown is s as a page shows it.
func shown(s string) string { return html.EscapeString(s) }

// checkLevelWords checks that a page says the level of r in
// care.LevelOf's words, with r's headline.
func checkLevelWords(t *testing.T, main string, r care.Result) {
	t.Helper()
	l := care.LevelOf(r.Urgency)
	for _, want := range []string{l.Name, l.Title, l.Until, l.Worse, r.Headline} {
		if want != "" && !strings.Contains(main, shown(want)) {
			t.Errorf("%s: the page does not say %q", r.Urgency, want)
		}
	}
}

func mustContain(t *testing.T, what, page string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(page, want) {
			t.Errorf("%s: no %q", what, want)
		}
	}
}

func mustNotContain(t *testing.T, what, page string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(page, u) {
			t.Errorf("%s: shows %q", what, u)
		}
	}
}

func TestEmergencyPageIsAboutTheEmergencyOnly(t *testing.T) {
	ts := newTestServer(t, Config{})
	r := assessAt(t, ts.URL, care.Emergency)
	_, page := get(t, ts.URL+"/plan/"+r.Token)
	main := mainOf(t, page)
	checkLevelWords(t, main, r.Result)
	mustContain(t, "emergency", main, `href="tel:911"`, `href="tel:112"`, `href="tel:999"`, "US and Canada", "UK and Ireland")
	for _, s := range urgency.WhileWaiting(library.Default()).Items {
		mustContain(t, "emergency", main, shown(s))
	}
	emergencyRule := func(code string) bool { return caretest.RuleLevel(code) == care.Emergency }
	for _, s := range caretest.Says(r.Result, emergencyRule) {
		mustContain(t, "emergency", main, shown(s))
	}
	mustContain(t, "emergency", main, shown(care.Label("symptoms.chest_pain_or_pressure")))
	// The lower rules that fired stay in the result, and off the page.
	lower := caretest.Says(r.Result, func(code string) bool { return !emergencyRule(code) })
	if len(lower) < 3 {
		t.Fatalf("the emergency answers fired only %d lower reasons; the test needs a knot type and lower rules", len(lower))
	}
	for _, s := range lower {
		mustNotContain(t, "emergency", main, shown(s))
	}
	mustNotContain(t, "emergency", strings.ToLower(main), "doctor", "within a day", "book", "massage", "stretch", "/exercises/",
		"relief right now", "about your knot", "heat or cold", "likely causes", "who to see", "/diary", "/recheck", "/today", "handout")
}

func TestUrgentPageHasNoKnotAndBooksOnlyAfterADoctor(t *testing.T) {
	ts := newTestServer(t, Config{})
	r := assessAt(t, ts.URL, care.Urgent)
	_, page := get(t, ts.URL+"/plan/"+r.Token)
	main := mainOf(t, page)
	checkLevelWords(t, main, r.Result)
	// The urgent reasons in full, then the lower rules by their signs
	// only: their own instructions (book, home care may go on) would
	// contradict the doctor's visit.
	lib := library.Default()
	urgentRule := func(code string) bool { return caretest.RuleLevel(code) == care.Urgent }
	for _, s := range caretest.Says(r.Result, urgentRule) {
		mustContain(t, "urgent", main, shown(s))
	}
	also := urgency.AlsoFound(lib, r.Result)
	if len(also.Items) != 2 {
		t.Fatalf("also found %q, want the two lower rules", also.Items)
	}
	why, found := strings.Index(main, shown(caretest.Says(r.Result, urgentRule)[0])), strings.Index(main, shown(also.Title))
	if why < 0 || found < why {
		t.Errorf("urgent reasons at %d, the lower rules at %d: want the urgent reasons first", why, found)
	}
	mustContain(t, "urgent", main, shown(also.Items[0]), shown(also.Items[1]))
	hidden := caretest.Says(r.Result, func(code string) bool { return !urgentRule(code) })
	if len(hidden) < 5 {
		t.Fatalf("the urgent answers fired only %d other reasons; the test needs lower rules, a knot type, heat or cold and a cause", len(hidden))
	}
	for _, s := range hidden {
		mustNotContain(t, "urgent", main, shown(s))
	}
	// Booking waits for the doctor: the page says so, and the booking asks
	// whether one has seen the person (BOOKING.md, cleared_by_doctor).
	mustContain(t, "urgent", main, "A doctor comes first", "after seeing a doctor")
	mustNotContain(t, "urgent", strings.ToLower(main), "home care may go on", "tel:", "/exercises/", "relief right now",
		"about your knot", "heat or cold", "likely causes", "massage styles", "/today", "calendar.ics", "handout.pdf")
}

func TestHomeCarePagesKeepTheWholeResultAndPlan(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, level := range []string{care.SeeProfessional, care.SelfCare} {
		r := assessAt(t, ts.URL, level)
		_, page := get(t, ts.URL+"/plan/"+r.Token)
		main := mainOf(t, page)
		checkLevelWords(t, main, r.Result)
		for _, s := range caretest.Says(r.Result, func(string) bool { return true }) {
			mustContain(t, level, main, shown(s))
		}
		mustContain(t, level, main, "Relief right now", "About your knot", "Likely causes", "Your 7 days", "/exercises/chin_tuck.svg",
			"/plan/"+r.Token+"/today", "/plan/"+r.Token+"/diary",
			`<form method="post" action="/book">`, `name="plan" value="`+r.Token+`"`)
		mustNotContain(t, level, main, "tel:", "Please take the self-check again", "A doctor comes first")
	}
}

func TestEmergencyNumbersAreConfigurable(t *testing.T) {
	numbers, err := urgency.ParseNumbers("112,999")
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Config{EmergencyNumbers: numbers})
	r := assessAt(t, ts.URL, care.Emergency)
	_, page := get(t, ts.URL+"/plan/"+r.Token)
	mustContain(t, "emergency page", mainOf(t, page), `href="tel:112"`, `href="tel:999"`)
	_, home := get(t, ts.URL+"/")
	for what, p := range map[string]string{"emergency page": page, "start page": home} {
		mustContain(t, what, p, `href="tel:112"`)
		mustNotContain(t, what, p, "tel:911", ">911<")
	}
	if _, err := New(Config{EmergencyNumbers: urgency.Numbers{{Digits: "javascript:alert(1)"}}}, library.Default(), nil, nil); err == nil {
		t.Error("a number that is not digits was accepted")
	}
}

func TestTodayAndRecheckSayTheLevelAlike(t *testing.T) {
	ts := newTestServer(t, Config{})
	urgent := assessAt(t, ts.URL, care.Urgent)
	_, page := get(t, ts.URL+"/plan/"+urgent.Token+"/today")
	checkLevelWords(t, mainOf(t, page), urgent.Result)

	// A re-check that finds chest pain turns the plan into the emergency.
	plan := assessAt(t, ts.URL, care.SelfCare)
	resp, page := postForm(t, ts.URL+"/plan/"+plan.Token+"/recheck", url.Values{"symptoms.chest_pain_or_pressure": {"yes"}, "pain_now": {"4"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("re-check: %d", resp.StatusCode)
	}
	main := mainOf(t, page)
	mustContain(t, "re-check emergency", main, shown(care.LevelOf(care.Emergency).Title), `href="tel:112"`,
		shown(urgency.WhileWaiting(library.Default()).Items[0]))
	mustNotContain(t, "re-check emergency", strings.ToLower(main), "doctor", "book", "no real change", "see your plan")
	_, page = get(t, ts.URL+"/plan/"+plan.Token+"/today")
	main = mainOf(t, page)
	mustContain(t, "today after an emergency re-check", main, `href="tel:999"`)
	mustNotContain(t, "today after an emergency re-check", strings.ToLower(main), "doctor", "routine-steps")
}

// saveV1 stores a self-check exactly as version 1 of the contract saved it
// (answers and result from testdata) and returns its link's token.
func saveV1(t *testing.T, db *store.DB) string {
	t.Helper()
	answers, err := os.ReadFile("testdata/v1_answers.json")
	if err != nil {
		t.Fatal(err)
	}
	result, err := os.ReadFile("testdata/v1_result.json")
	if err != nil {
		t.Fatal(err)
	}
	token, hash := secret.NewToken()
	if err := db.CreateAssessment(t.Context(), &store.Assessment{TokenHash: hash, Answers: answers, Result: result, Urgency: care.SelfCare}); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestVersion1PlanOpensReadOnly(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	token := saveV1(t, db)
	plan := ts.URL + "/plan/" + token
	banner := shown(outdatedSays)

	resp, page := get(t, plan)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET a version 1 plan: %d", resp.StatusCode)
	}
	main := mainOf(t, page)
	// It reads as it was saved: version 1's words, its plan, its banner.
	mustContain(t, "version 1 plan", main, banner, "Decided by counting the signs of each kind of knot", "Relief right now",
		"/exercises/resistance_band_row.svg", "/plan/"+token+"/progress.pdf", "/plan/"+token+"/diary.csv",
		"/plan/"+token+"/export.json", "/plan/"+token+"/delete", "/plan/"+token+"/handout.pdf")
	mustNotContain(t, "version 1 plan", main, "/plan/"+token+"/diary\"", "/recheck", "/today", "calendar.ics")

	_, page = get(t, plan+"/diary")
	mustContain(t, "version 1 diary", page, banner)
	mustNotContain(t, "version 1 diary", page, `action="/plan/`+token+`/diary"`, `action="/plan/`+token+`/settings"`)
	_, page = get(t, plan+"/recheck")
	mustContain(t, "version 1 re-check", page, banner)
	mustNotContain(t, "version 1 re-check", page, "<form")
	_, page = get(t, plan+"/today")
	mustContain(t, "version 1 routine", page, banner)
	mustNotContain(t, "version 1 routine", page, "routine-steps", "<form")

	// Nothing new is written: every form is refused with the reason.
	for path, form := range map[string]url.Values{
		"/diary":      {"pain": {"3"}},
		"/settings":   {"time_zone": {"Europe/London"}},
		"/recheck":    {"pain_now": {"3"}},
		"/today/done": {"day": {"1"}, "done": {"chin_tuck"}},
	} {
		resp, page := postForm(t, plan+path, form)
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("POST %s: %d, want 409", path, resp.StatusCode)
		}
		mustContain(t, "POST "+path, page, banner, `href="/check"`)
	}
	resp, data := postJSON(t, ts.URL+"/api/v1/plans/"+token+"/entries", `{"pain":3}`)
	var apiErr struct {
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	if resp.StatusCode != http.StatusConflict || json.Unmarshal(data, &apiErr) != nil || len(apiErr.Errors) != 1 ||
		apiErr.Errors[0].Field != "version" || !strings.Contains(apiErr.Errors[0].Message, "version 1") {
		t.Errorf("API entry on a version 1 plan: %d %s, want 409 naming version", resp.StatusCode, data)
	}
	if resp, _ := get(t, plan+"/calendar.ics"); resp.StatusCode != http.StatusGone {
		t.Errorf("calendar of a version 1 plan: %d, want 410 (no reminders)", resp.StatusCode)
	}
	x, err := db.ExportPlan(t.Context(), secret.Hash(token))
	if err != nil || len(x.Entries) != 0 || len(x.Rechecks) != 0 {
		t.Errorf("a refused write was kept: %v, %+v", err, x)
	}

	// The diary can still be taken away, and deleted for good.
	for path, want := range map[string]string{
		"/diary.csv":    "text/csv",
		"/export.json":  "application/json",
		"/progress.pdf": "application/pdf",
		"/handout.pdf":  "application/pdf",
	} {
		resp, body := get(t, plan+path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), want) {
			t.Errorf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if path == "/export.json" && !strings.Contains(body, `"pain_spreads_to_arm_or_jaw":false`) {
			t.Error("the download does not hold the answers as they were saved")
		}
	}
	if resp, _ := get(t, ts.URL+"/api/v1/plans/"+token); resp.StatusCode != http.StatusOK {
		t.Errorf("API plan of a version 1 plan: %d", resp.StatusCode)
	}
	if resp, _ := postForm(t, plan+"/delete", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("delete a version 1 plan: %d", resp.StatusCode)
	}
	if resp, _ := get(t, plan); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted version 1 plan: %d, want 404", resp.StatusCode)
	}
}
