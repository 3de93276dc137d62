package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/care/caretest"
	"unknot/internal/diary"
	"unknot/internal/program"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// programClient is a self-check shared with the clinic by a booking with
// Ana, and a staff account signed in to adjust its home program.
type programClient struct {
	*bookingServer
	token string // the plan's private link
	id    int64  // the plan's id
	desk  *http.Client
	page  string // the program page
}

func newProgramClient(t *testing.T) *programClient {
	t.Helper()
	return newProgramClientWith(t, answersAt[care.SelfCare])
}

// newProgramClientWith is newProgramClient for a self-check of answers.
func newProgramClientWith(t *testing.T, answers string) *programClient {
	t.Helper()
	bs := newBookingServer(t, Config{}, "")
	resp, data := postJSON(t, bs.URL+"/api/v1/assessments", answers)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/assessments: %d %s", resp.StatusCode, data)
	}
	var saved savedResultAt
	if err := json.Unmarshal(data, &saved); err != nil {
		t.Fatal(err)
	}
	token := saved.Token
	bs.book(t, bookBody(bs.hoursAhead(48), `"plan_token":"`+token+`","share_plan":true`))
	a, err := bs.db.AssessmentByToken(t.Context(), secret.Hash(token))
	if err != nil {
		t.Fatal(err)
	}
	return &programClient{
		bookingServer: bs, token: token, id: a.ID,
		desk: staffClient(t, bs.Server, bs.db, "ana@clinic.example", staff.Therapist),
		page: bs.URL + "/staff/clients/" + strconv.FormatInt(a.ID, 10) + "/program",
	}
}

// chinTuckForm is the program form with chin tucks at reps, three times a
// day, with notes.
func chinTuckForm(reps string) url.Values {
	return url.Values{
		"rows": {"1"}, "exercise-0": {"chin_tuck"}, "hold_seconds-0": {"3"}, "reps-0": {reps}, "sets-0": {"2"},
		"times_a_day-0": {"3"}, "note-0": {"Keep your chin level."}, "note": {"Two weeks, then we look again."}, "action": {"save"},
	}
}

// program is the plan's saved program, or nil.
func (pc *programClient) program(t *testing.T) *store.PlanProgram {
	t.Helper()
	x, err := pc.db.ExportPlan(t.Context(), secret.Hash(pc.token))
	if err != nil {
		t.Fatal(err)
	}
	return x.Program
}

func TestProgramDeskAddsAndSavesWhole(t *testing.T) {
	pc := newProgramClient(t)

	if resp, _ := get(t, pc.page); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/login" {
		t.Fatalf("without signing in: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, page := send(t, pc.desk, "GET", pc.page, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Home program for Kim Client") || !strings.Contains(page, "No exercises yet") {
		t.Fatalf("program page: %d\n%s", resp.StatusCode, page)
	}
	// The page shows the client's result: the view is in the audit log.
	if rows, _, err := pc.db.AuditLog(t.Context(), store.AuditFilter{Limit: 10}); err != nil || len(rows) != 1 ||
		rows[0].Action != store.AuditClientProgram || rows[0].AssessmentID != pc.id || rows[0].ShareID == 0 {
		t.Errorf("audit log after the program page: %+v, %v", rows, err)
	}

	// Adding shows the exercise at its gentlest dose, and saves nothing.
	resp, page = send(t, pc.desk, "POST", pc.page, url.Values{"rows": {"0"}, "add": {"chin_tuck"}, "action": {"add"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="exercise-0" value="chin_tuck"`) ||
		!strings.Contains(page, `name="reps-0" value="8"`) || !strings.Contains(page, "Not saved yet") {
		t.Fatalf("add: %d\n%s", resp.StatusCode, page)
	}
	if pc.program(t) != nil {
		t.Fatal("adding saved the program")
	}

	// A dose outside its range: the problem at its field, nothing saved,
	// no letter.
	resp, page = send(t, pc.desk, "POST", pc.page, chinTuckForm("13"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="f-items-0-reps"`) ||
		!strings.Contains(page, `aria-invalid="true"`) || !strings.Contains(page, "Chin tuck: must be between 8 and 12") {
		t.Fatalf("reps 13: %d\n%s", resp.StatusCode, page)
	}
	for _, form := range []url.Values{chinTuckForm("many"), chinTuckForm("13")} {
		send(t, pc.desk, "POST", pc.page, form)
	}
	if pc.program(t) != nil {
		t.Fatal("a refused program was saved")
	}
	before, _ := pc.db.MailTo(t.Context(), "kim@example.com")

	resp, _ = send(t, pc.desk, "POST", pc.page, chinTuckForm("12"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	p := pc.program(t)
	if p == nil || p.Therapist != "Ana" || p.ChangedBy != "ana@clinic.example" || len(p.Program.Items) != 1 ||
		p.Program.Items[0].Reps != 12 || p.Program.Items[0].Sides != "none" || p.Program.Note != "Two weeks, then we look again." {
		t.Fatalf("saved: %+v", p)
	}
	after, _ := pc.db.MailTo(t.Context(), "kim@example.com")
	if len(after) != len(before)+1 || after[len(after)-1].Kind != kindProgram || after[len(after)-1].Subject != "Ana updated your home program" {
		t.Fatalf("letters: %+v", after)
	}
	_, page = send(t, pc.desk, "GET", pc.URL+resp.Header.Get("Location"), nil)
	if !strings.Contains(page, "Saved.") || !strings.Contains(page, "Version 1") ||
		!strings.Contains(page, "added Chin tuck: hold 3 s, 12 times, 2 sets, 3 times a day") {
		t.Fatalf("after saving:\n%s", page)
	}

	// Removing one and saving keeps both versions, with what changed.
	resp, page = send(t, pc.desk, "POST", pc.page, url.Values{"rows": {"1"}, "exercise-0": {"chin_tuck"}, "reps-0": {"12"}, "action": {"remove-0"}})
	if resp.StatusCode != http.StatusOK || strings.Contains(page, `name="exercise-0"`) {
		t.Fatalf("remove: %d\n%s", resp.StatusCode, page)
	}
	resp, page = send(t, pc.desk, "POST", pc.page, url.Values{"rows": {"0"}, "action": {"save"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "must have at least one exercise") {
		t.Fatalf("saving an empty program: %d", resp.StatusCode)
	}
	for _, bad := range []url.Values{
		{"rows": {"99"}, "action": {"save"}},
		{"rows": {"0"}, "action": {"launch"}},
		{"rows": {"0"}, "action": {"add"}, "add": {"headstand"}},
		{"rows": {"0"}, "action": {"remove-3"}},
	} {
		if resp, _ := send(t, pc.desk, "POST", pc.page, bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: %d, want 400", bad, resp.StatusCode)
		}
	}
	if resp, _ := send(t, pc.desk, "GET", pc.URL+"/staff/clients/x/program", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a plan id that is not a number: %d", resp.StatusCode)
	}
}

func TestProgramLetter(t *testing.T) {
	pc := newProgramClient(t)
	m, err := pc.srv.programMail(store.ProgramRecipient{Name: "Kim", Email: "kim@example.com", Therapist: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Hi Kim,", "Your therapist, Ana, updated your home program.", "https://clinic.example/"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("letter lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, pc.token) {
		t.Error("the letter carries the plan's private link")
	}
}

func TestPersonFollowsTheProgram(t *testing.T) {
	pc := newProgramClient(t)
	plan := pc.URL + "/plan/" + pc.token
	_, page := get(t, plan)
	if strings.Contains(page, "Your home program") {
		t.Fatal("a plan without a program shows one")
	}
	form := chinTuckForm("12")
	form.Set("rows", "2")
	form.Set("exercise-1", "wall_slide")
	form.Set("reps-1", "8")
	form.Set("sets-1", "1")
	form.Set("times_a_day-1", "1")
	if resp, page := send(t, pc.desk, "POST", pc.page, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, page)
	}
	const from = "Your home program from your therapist, Ana."

	_, page = get(t, plan)
	for _, want := range []string{from, "Two weeks, then we look again.", "Keep your chin level.", "hold 3 s, 12 times, 2 sets"} {
		if !strings.Contains(page, shown(want)) {
			t.Errorf("plan page lacks %q", want)
		}
	}
	if strings.Contains(page, "days-title") {
		t.Error("the plan page still shows the self-check's 7 days")
	}
	// The plan page names the stage the program's routine is at: the one
	// Start leads to, with its wall slides.
	if !strings.Contains(page, "Stage: <strong>strengthening</strong>") {
		t.Errorf("the plan page names another stage than the program's routine:\n%s", mainOf(t, page))
	}

	// The guided routine: chin tucks morning, afternoon and evening, wall
	// slides once (the client's pain, 4, allows strengthening).
	_, page = get(t, plan+"/today")
	if !strings.Contains(page, shown(from)) || strings.Count(page, `value="chin_tuck"`) != 3 || strings.Count(page, `value="wall_slide"`) != 1 {
		t.Fatalf("routine:\n%s", mainOf(t, page))
	}
	// What is done there goes in the diary as exercises of the plan.
	resp, _ := postForm(t, plan+"/today/done", url.Values{"day": {"1"}, "done": {"chin_tuck", "wall_slide"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging the program's routine: %d", resp.StatusCode)
	}

	resp, ics := get(t, plan+"/calendar.ics")
	if resp.StatusCode != http.StatusOK || !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), "Your home program from your therapist\\, Ana.") {
		t.Fatalf("calendar: %d\n%s", resp.StatusCode, ics)
	}
	if resp, pdf := get(t, plan+"/handout.pdf"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("handout: %d", resp.StatusCode)
	}

	// The export holds the program and its history.
	_, body := get(t, plan+"/export.json")
	var x struct {
		Programs []exportProgram `json:"programs"`
	}
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Programs) != 1 || x.Programs[0].Therapist != "Ana" || x.Programs[0].ChangedBy != "ana@clinic.example" ||
		len(x.Programs[0].Program.Items) != 2 || x.Programs[0].ChangedAt.IsZero() {
		t.Fatalf("export: %s", body)
	}
}

// A re-check that finds a red flag takes the plan away, and the program
// with it: the safety rules win, for the person and the therapist.
func TestNoProgramOnceADoctorComesFirst(t *testing.T) {
	pc := newProgramClient(t)
	if resp, _ := send(t, pc.desk, "POST", pc.page, chinTuckForm("10")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	urgent := caretest.ResultAt(t, care.Urgent)
	raw, _ := json.Marshal(urgent)
	if err := pc.db.AddRecheck(t.Context(), pc.id, &diary.Recheck{At: time.Now(), PainNow: 6, Urgency: care.Urgent}, raw); err != nil {
		t.Fatal(err)
	}
	plan := pc.URL + "/plan/" + pc.token
	for _, path := range []string{"", "/today"} {
		if _, page := get(t, plan+path); strings.Contains(page, "home program") || strings.Contains(page, "chin_tuck.svg") {
			t.Errorf("%s shows the program after an urgent re-check", path)
		}
	}
	resp, page := send(t, pc.desk, "GET", pc.page, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, shown(program.Refused)) || strings.Contains(page, `value="save"`) {
		t.Fatalf("desk after an urgent re-check: %d\n%s", resp.StatusCode, page)
	}
	resp, page = send(t, pc.desk, "POST", pc.page, chinTuckForm("10"))
	if resp.StatusCode != http.StatusBadRequest || pc.program(t).Version != 1 {
		t.Fatalf("saving after an urgent re-check: %d", resp.StatusCode)
	}
}

// Withdrawing the share ends the desk's access at once.
func TestProgramDeskNeedsALiveShare(t *testing.T) {
	pc := newProgramClient(t)
	postForm(t, pc.URL+"/plan/"+pc.token+"/share/withdraw", nil)
	for _, method := range []string{"GET", "POST"} {
		if resp, _ := send(t, pc.desk, method, pc.page, chinTuckForm("10")); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s after withdrawal: %d", method, resp.StatusCode)
		}
	}
	if pc.program(t) != nil {
		t.Fatal("saved without a share")
	}
}

// The self-check's plan rules bind the therapist: for a pregnant client
// nothing done lying flat can be added or saved, and the page says why.
func TestProgramDeskKeepsThePlanRules(t *testing.T) {
	pc := newProgramClientWith(t, withAnswers(`"conditions":{"pregnant":true}`))
	_, page := send(t, pc.desk, "GET", pc.page, nil)
	if !strings.Contains(page, "Ruled out for this client by the plan rules") || strings.Contains(page, `<option value="suboccipital_release">`) {
		t.Fatalf("the page offers what pregnancy rules out:\n%s", page)
	}
	resp, page := send(t, pc.desk, "POST", pc.page, url.Values{"rows": {"0"}, "add": {"suboccipital_release"}, "action": {"add"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, "ruled out for this client by the plan rules") {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	form := url.Values{"rows": {"1"}, "exercise-0": {"suboccipital_release"}, "minutes-0": {"2"}, "times_a_day-0": {"1"}, "action": {"save"}}
	resp, page = send(t, pc.desk, "POST", pc.page, form)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, `id="f-items-0-exercise"`) {
		t.Fatalf("save: %d\n%s", resp.StatusCode, page)
	}
	if pc.program(t) != nil {
		t.Fatal("a ruled-out exercise was saved")
	}
}
