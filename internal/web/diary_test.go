package web

import (
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// newDiaryServer is newTestServer that also hands out the database, to
// fill a diary directly.
func newDiaryServer(t testing.TB) (*httptest.Server, *store.DB) {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := New(Config{WriteRate: rate.Inf, WriteBurst: 1}, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, db
}

// newPlan takes the self-check with form and returns the plan's path.
func newPlan(t testing.TB, url string, form url.Values) string {
	t.Helper()
	resp, err := noRedirect.PostForm(url+"/check", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /check: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func TestDiaryLogsEntriesAndDrawsTheTrend(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	resp, body := get(t, ts.URL+plan+"/diary")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET diary: %d", resp.StatusCode)
	}
	for _, want := range []string{`name="pain" value="10"`, `name="regions" value="base_of_skull"`, `name="done" value="chin_tuck"`, "No entries yet", `data-detect`, mustAsset(t, "diary.js")} {
		if !strings.Contains(body, want) {
			t.Errorf("empty diary page has no %s", want)
		}
	}
	for _, pain := range []string{"6", "4"} {
		resp, _ := postForm(t, ts.URL+plan+"/diary", url.Values{"pain": {pain}, "regions": {"top_of_shoulder"}, "done": {"chin_tuck"}, "note": {"after <work>"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/diary?saved=1#entries") {
			t.Fatalf("POST diary: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	_, body = get(t, ts.URL+plan+"/diary?saved=1")
	for _, want := range []string{"Saved.", ": pain 4", ": pain 6", "Top of the shoulder", "Chin tuck", "after &lt;work&gt;", `<polyline class="pain"`, `<rect class="care"`, `role="img"`, "Day <strong>1</strong>"} {
		if !strings.Contains(body, want) {
			t.Errorf("diary page has no %s", want)
		}
	}
}

func TestDiaryFormShowsErrorsAndKeepsTheNote(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	for _, form := range []url.Values{
		{"note": {"kept note"}},
		{"pain": {"11"}, "note": {"kept note"}},
		{"pain": {"x"}, "note": {"kept note"}},
		{"pain": {"3"}, "regions": {"elbow"}, "note": {"kept note"}},
	} {
		resp, body := postForm(t, ts.URL+plan+"/diary", form)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", form, resp.StatusCode)
		}
		if !strings.Contains(body, `role="alert"`) || !strings.Contains(body, ">kept note</textarea>") {
			t.Errorf("%v: errors not shown or note lost", form)
		}
	}
	_, body := get(t, ts.URL+plan+"/diary")
	if !strings.Contains(body, "No entries yet") {
		t.Error("a rejected entry was saved")
	}
}

// The first entry saves the browser's time zone while none is set; later
// ones do not change a zone once set, and a zone nobody knows is ignored.
func TestDiaryEntryAdoptsTheBrowsersTimeZone(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	for _, zone := range []string{"Nowhere/Land", "Asia/Tokyo", "Europe/Paris"} {
		if resp, _ := postForm(t, ts.URL+plan+"/diary", url.Values{"pain": {"3"}, "time_zone": {zone}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST diary with zone %s: %d", zone, resp.StatusCode)
		}
	}
	_, body := get(t, ts.URL+plan+"/diary")
	if !strings.Contains(body, `name="time_zone" value="Asia/Tokyo"`) || strings.Contains(body, "data-detect") {
		t.Error("the first known zone was not adopted, or a later one replaced it")
	}
}

func TestDiarySettings(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	resp, body := postForm(t, ts.URL+plan+"/settings", url.Values{"time_zone": {"Mars/Olympus"}, "work_start": {"18:00"}, "work_end": {"09:00"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "must be a time zone name") || !strings.Contains(body, "must be later than") {
		t.Fatalf("bad settings: %d", resp.StatusCode)
	}
	resp, _ = postForm(t, ts.URL+plan+"/settings", url.Values{"time_zone": {"Asia/Tokyo"}, "work_start": {"08:30"}, "work_end": {"17:30"}, "work_days": {"mon", "tue"}, "work_days_given": {"1"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good settings: %d", resp.StatusCode)
	}
	_, body = get(t, ts.URL+plan+"/diary")
	for _, want := range []string{`value="Asia/Tokyo"`, `value="08:30"`, `value="17:30"`, `value="tue" checked`, `value="wed">`} {
		if !strings.Contains(body, want) {
			t.Errorf("settings not shown: no %s", want)
		}
	}
	if strings.Contains(body, "data-detect") {
		t.Error("the script would overwrite a time zone that is set")
	}
}

// apiErrors decodes the API's error shape into field → message.
func apiErrors(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var v struct {
		Errors []struct{ Field, Message string }
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("error body %s: %v", data, err)
	}
	out := map[string]string{}
	for _, e := range v.Errors {
		out[e.Field] = e.Message
	}
	return out
}

func TestAPIEntries(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	api := ts.URL + "/api/v1/plans/" + strings.TrimPrefix(plan, "/plan/")

	resp, data := postJSON(t, api+"/entries", `{"pain":5,"regions":["back_of_neck"],"at":"2026-01-02T08:00:00+01:00","note":"desk day","done":["chin_tuck"]}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST entries: %d %s", resp.StatusCode, data)
	}
	var e diary.Entry
	if err := json.Unmarshal(data, &e); err != nil || e.ID == 0 || e.Pain != 5 || !e.At.Equal(time.Date(2026, 1, 2, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("created entry %s (%v)", data, err)
	}

	resp, data = postJSON(t, api+"/entries", `{"pain":11,"regions":["elbow"],"mood":1}`)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad entry: %d", resp.StatusCode)
	}
	errs := apiErrors(t, data)
	for _, f := range []string{"pain", "regions[0]", "mood"} {
		if errs[f] == "" {
			t.Errorf("no error for %s in %s", f, data)
		}
	}

	resp, data = postJSON(t, ts.URL+"/api/v1/plans/"+strings.Repeat("A", 43)+"/entries", `{"pain":1}`)
	if resp.StatusCode != http.StatusNotFound || apiErrors(t, data)["token"] == "" {
		t.Errorf("unknown plan: %d %s", resp.StatusCode, data)
	}

	resp, body := get(t, api+"/entries?from=2026-01-01T00:00:00Z")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"note":"desk day"`) {
		t.Errorf("GET entries: %d %s", resp.StatusCode, body)
	}
	_, body = get(t, api+"/entries?from=2026-01-03T00:00:00Z")
	if !strings.Contains(body, `"entries":[]`) {
		t.Errorf("GET entries from a later day: %s", body)
	}
	if resp, _ := get(t, api+"/entries?from=yesterday"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad from: %d", resp.StatusCode)
	}

	resp, body = get(t, api)
	var p struct {
		Urgency  string
		Plan     json.RawMessage
		Progress diary.Progress
		URL      string
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET plan: %d %v", resp.StatusCode, err)
	}
	if p.Urgency != "self_care" || len(p.Plan) < 10 || p.Progress.ProgramDay != 1 || len(p.Progress.Daily) != 1 || !strings.HasSuffix(p.URL, plan) {
		t.Errorf("GET plan: %+v", p)
	}
}

func TestPlanPageShowsAlerts(t *testing.T) {
	ts := newTestServer(t, Config{})
	form := deskWorker()
	form.Set("duration_days", "30")
	plan := newPlan(t, ts.URL, form)
	_, body := get(t, ts.URL+plan)
	for _, want := range []string{`class="alert-banner"`, "more than three weeks", "What to do:", "Day <strong>1</strong>", plan + "/diary", plan + "/recheck",
		`<form method="post" action="/book" class="alert-book"><input type="hidden" name="plan" value="` + strings.TrimPrefix(plan, "/plan/") + `">`} {
		if !strings.Contains(body, want) {
			t.Errorf("plan page has no %s", want)
		}
	}
	// A fresh, short pain raises nothing.
	_, body = get(t, ts.URL+newPlan(t, ts.URL, deskWorker()))
	if strings.Contains(body, `class="alert-banner"`) || strings.Contains(body, `class="alert-book"`) {
		t.Error("alert or its booking button on a fresh plan")
	}
}

func TestRecheckShowsChange(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker()) // pain 4
	_, body := get(t, ts.URL+plan+"/recheck")
	if !strings.Contains(body, `name="symptoms.chest_pain_or_pressure"`) || !strings.Contains(body, "last time: 4") {
		t.Fatalf("re-check form incomplete")
	}
	resp, body := postForm(t, ts.URL+plan+"/recheck", url.Values{"pain_now": {"2"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "gone down by 2 points") || !strings.Contains(body, "Better") {
		t.Errorf("re-check 4 → 2: %d", resp.StatusCode)
	}
	// Compared with the last re-check now: 2 → 3 is no real change.
	_, body = postForm(t, ts.URL+plan+"/recheck", url.Values{"pain_now": {"3"}})
	if !strings.Contains(body, "No real change") {
		t.Error("re-check 2 → 3 is not 'no real change'")
	}
	resp, body = postForm(t, ts.URL+plan+"/recheck", url.Values{"symptoms.fever_or_chills": {"maybe"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "choose a number") {
		t.Errorf("bad re-check: %d", resp.StatusCode)
	}
}

// A warning sign at the re-check replaces the plan with the emergency
// instruction, exactly as the self-check would.
func TestRecheckRedFlagReplacesThePlan(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	_, body := postForm(t, ts.URL+plan+"/recheck", url.Values{"pain_now": {"4"}, "symptoms.chest_pain_or_pressure": {"yes"}})
	if !strings.Contains(body, "Call emergency services now") {
		t.Fatal("re-check with chest pain does not say to call emergency services")
	}
	_, body = get(t, ts.URL+plan)
	if !strings.Contains(body, "Call emergency services now") || strings.Contains(body, "Relief right now") {
		t.Error("plan page still shows the plan after a red flag")
	}
	// An urgent sign: the plan page says to see a doctor within a day, and
	// why.
	urgent := newPlan(t, ts.URL, deskWorker())
	see := care.LevelOf(care.Urgent).Title
	_, body = postForm(t, ts.URL+urgent+"/recheck", url.Values{"pain_now": {"4"}, "symptoms.fever_or_chills": {"yes"}})
	if !strings.Contains(body, see) {
		t.Errorf("re-check with a fever does not say %q", see)
	}
	_, body = get(t, ts.URL+urgent)
	if !strings.Contains(body, see) || strings.Contains(body, "Relief right now") || !strings.Contains(body, "At your re-check you reported a warning sign") {
		t.Error("plan page after an urgent red flag: no instruction or banner, or still the plan")
	}
	resp, data := get(t, ts.URL+"/api/v1/plans/"+strings.TrimPrefix(plan, "/plan/"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(data, `"urgency":"emergency"`) || !strings.Contains(data, `"plan":null`) {
		t.Errorf("API after red flag: %s", data[:min(len(data), 200)])
	}
}

func TestExportAndDeleteForGood(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	postForm(t, ts.URL+plan+"/diary", url.Values{"pain": {"3"}, "note": {"my note"}})
	postForm(t, ts.URL+plan+"/recheck", url.Values{"pain_now": {"3"}})

	resp, body := get(t, ts.URL+plan+"/export.json")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	var x struct {
		Answers struct {
			PainNow int `json:"pain_now"`
		}
		Result   struct{ Urgency string }
		Settings struct {
			WorkDays []string `json:"work_days"`
		}
		Entries  []diary.Entry
		Rechecks []diary.Recheck
	}
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		t.Fatal(err)
	}
	if x.Answers.PainNow != 4 || x.Result.Urgency != "self_care" || len(x.Settings.WorkDays) != 5 || len(x.Entries) != 1 || x.Entries[0].Note != "my note" || len(x.Rechecks) != 1 {
		t.Errorf("export = %s", body)
	}

	_, body = get(t, ts.URL+plan+"/delete")
	if !strings.Contains(body, `<form method="post" action="`+plan+`/delete">`) {
		t.Fatal("no confirmation form")
	}
	resp, body = postForm(t, ts.URL+plan+"/delete", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "are deleted") {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	for _, path := range []string{plan, plan + "/diary", plan + "/export.json", plan + "/delete"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after delete: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := postForm(t, ts.URL+plan+"/delete", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("second delete: %d, want 404", resp.StatusCode)
	}
}

// fillFiveYears logs about 5,000 entries over five years in the plan.
func fillFiveYears(t testing.TB, db *store.DB, plan string) {
	t.Helper()
	a, err := db.AssessmentByToken(t.Context(), secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	now := time.Now()
	for i := range 5000 {
		e := diary.Entry{At: now.Add(-time.Duration(i) * 8 * time.Hour).Add(-time.Minute), Pain: rng.IntN(11), Regions: []string{"back_of_neck"}, Note: "a short note"}
		if i%3 == 0 {
			e = diary.RoutineEntry(e.At, 1+i%7, []string{"chin_tuck", "neck_rotation"})
		}
		if err := db.AddEntry(t.Context(), a.ID, &e); err != nil {
			t.Fatal(err)
		}
	}
}

// A five-year diary's page stays under 100 KB.
func TestDiaryPageOfFiveYearsIsSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a diary of 5,000 entries")
	}
	ts, db := newDiaryServer(t)
	plan := newPlan(t, ts.URL, deskWorker())
	fillFiveYears(t, db, plan)
	for _, q := range []string{"", "?range=all"} {
		resp, body := get(t, ts.URL+plan+"/diary"+q)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET diary%s: %d", q, resp.StatusCode)
		}
		if len(body) > 100<<10 {
			t.Errorf("diary page%s is %d bytes, want under 100 KB", q, len(body))
		}
		t.Logf("diary page%s: %d bytes", q, len(body))
	}
}

// BenchmarkDiaryPage5Years serves the diary page of a five-year diary
// (goal: the chart and the rules under 5 ms; see diary's benchmarks for
// those alone).
func BenchmarkDiaryPage5Years(b *testing.B) {
	ts, db := newDiaryServer(b)
	plan := newPlan(b, ts.URL, deskWorker())
	fillFiveYears(b, db, plan)
	b.ResetTimer()
	for b.Loop() {
		resp, err := http.Get(ts.URL + plan + "/diary?range=all")
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(err, resp.StatusCode)
		}
		resp.Body.Close()
	}
}
