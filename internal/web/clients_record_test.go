package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"unknot/internal/outcome"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// The client view shows the client's outcomes (each change against the
// MCID in the very sentences of their own outcomes page, and the chart)
// and their home program with a link to its page; each view still
// writes exactly one audit row.
func TestClientViewOutcomesAndProgram(t *testing.T) {
	pc := newProgramClient(t)
	list, err := pc.db.Clients(t.Context(), "ana", time.Now())
	if err != nil || len(list) != 1 || !list[0].Booked {
		t.Fatalf("Ana's clients = %+v, %v", list, err)
	}
	view := pc.URL + "/staff/clients/" + strconv.FormatInt(list[0].ShareID, 10)
	programLink := `href="/staff/clients/` + strconv.FormatInt(pc.id, 10) + `/program"`

	resp, body := send(t, pc.desk, "GET", view, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("client view: %d", resp.StatusCode)
	}
	mustContain(t, "client view before any outcome", body, `id="outcomes-title"`, "No outcome measurements yet",
		"No home program from a therapist", programLink, "Give a home program")
	mustNotContain(t, "client view before any outcome", body, `class="chart outcome-chart"`)

	ip := func(n int) *int { return &n }
	start := outcome.Input{Occasion: outcome.Start, Pain: ip(7), Activities: []outcome.Rated{{Name: "Reach overhead", Score: ip(3)}, {Name: "Turn my head", Score: ip(4)}}}
	if _, err := pc.db.AddOutcome(t.Context(), pc.id, start, time.Now().Add(-7*24*time.Hour), 0); err != nil {
		t.Fatal(err)
	}
	again := outcome.Input{Occasion: outcome.Recheck, Pain: ip(4), Global: ip(3),
		Activities: []outcome.Rated{{Name: "Reach overhead", Score: ip(6)}, {Name: "Turn my head", Score: ip(5)}}}
	if _, err := pc.db.AddOutcome(t.Context(), pc.id, again, time.Now().Add(-time.Hour), 0); err != nil {
		t.Fatal(err)
	}
	h, err := pc.db.Outcomes(t.Context(), pc.id)
	if err != nil || len(h.Measurements) != 2 {
		t.Fatalf("outcomes = %+v, %v", h, err)
	}
	if resp, _ := send(t, pc.desk, "POST", pc.page, chinTuckForm("10")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the program: %d", resp.StatusCode)
	}

	resp, body = send(t, pc.desk, "GET", view, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("client view: %d", resp.StatusCode)
	}
	sum := outcome.Summarize(h)
	says := []string{sum.Pain.Says(), sum.Mean.Says(), sum.GlobalSays()}
	for _, c := range sum.Activities {
		says = append(says, c.Says())
	}
	if sum.Pain.Verdict != outcome.Improved || len(sum.Activities) != 2 || sum.Activities[0].Verdict != outcome.Improved || sum.Mean == nil {
		t.Fatalf("summary = %+v: the test wants changes beyond the MCID", sum)
	}
	for i := range says {
		says[i] = template.HTMLEscapeString(says[i])
	}
	mustContain(t, "client view", body, says...)
	mustContain(t, "client view", body, `class="chart outcome-chart"`, "Why 2 points?", "Reach overhead",
		"Version 1, from Ana", "Chin tuck: hold 3 s, 10 times, 2 sets, 3 times a day", "Two weeks, then we look again.",
		programLink, "Change the home program")
	mustNotContain(t, "client view", body, "No outcome measurements yet", "Give a home program")
	if o, p, c := strings.Index(body, `id="outcomes-title"`), strings.Index(body, `id="program-title"`), strings.Index(body, `id="chart-title"`); o < 0 || p < o || c < p {
		t.Errorf("outcomes at %d, program at %d, diary chart at %d", o, p, c)
	}

	// Newest first: the two views of the client page, and between them
	// the program page that saved the program (it shows the result too).
	rows := auditRows(t, pc.db)
	if len(rows) != 3 || rows[0].Action != store.AuditClientView || rows[1].Action != store.AuditClientProgram || rows[2].Action != store.AuditClientView {
		t.Errorf("audit after two views and a program save = %+v, want one row each", rows)
	}
}

// The person's export holds the therapist's notes on the visits booked
// with their plan (text, when, the therapist's name, not their account),
// and the privacy page says so and what the clinic keeps.
func TestExportHasVisitNotes(t *testing.T) {
	pc := newProgramClient(t)
	x, err := pc.db.ExportPlan(t.Context(), secret.Hash(pc.token))
	if err != nil || len(x.Bookings) != 1 {
		t.Fatalf("export = %+v, %v", x, err)
	}
	b := x.Bookings[0]
	const note = "Left side looser after the release."
	if resp, body := send(t, pc.desk, "POST", pc.URL+"/staff/visits/"+strconv.FormatInt(b.ID, 10)+"/notes", url.Values{"note": {note}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the note: %d %s", resp.StatusCode, body)
	}
	resp, body := get(t, pc.URL+"/plan/"+pc.token+"/export.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	var got struct {
		VisitNotes []map[string]any `json:"visit_notes"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.VisitNotes) != 1 {
		t.Fatalf("visit notes = %+v", got.VisitNotes)
	}
	n := got.VisitNotes[0]
	if n["text"] != note || n["therapist"] != "Ana" || n["visit_start"] != b.Start.UTC().Format(time.RFC3339) || n["written_at"] == nil || len(n) != 4 {
		t.Errorf("exported note = %v", n)
	}
	mustNotContain(t, "export", body, "ana@clinic.example")

	_, body = get(t, pc.URL+"/privacy")
	mustContain(t, "privacy page", body, "visit notes", "outcome", "keeps the record of each visit")
}
