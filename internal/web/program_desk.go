package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"unknot/internal/care"
	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/program"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// The therapist's side of home programs (issue 9): a page to adjust a
// client's program from the exercise library (add, remove, change doses
// within each exercise's ranges, notes), saved whole or not at all, with
// each problem at its field. The person's side is program.go.

// Programs is the storage of home programs.
type Programs interface {
	ClientProgram(ctx context.Context, scope store.ProgramScope, assessmentID int64) (*store.ClientPlan, error)
	SaveProgram(ctx context.Context, ps store.ProgramSave) (*store.PlanProgram, error)
}

// kindProgram is the kind of the letter that tells a person their
// therapist changed their home program.
const kindProgram = "program_updated"

// programDeskPage is the data of program_desk.html.
type programDeskPage struct {
	User      *store.User
	ID        int64 // the plan's
	Client    string
	Therapist string
	Result    care.Result
	Allowed   bool // the result allows a program (program.Allowed)
	Refused   string
	Rows      []programRow
	Note      string
	Add       []*library.Exercise // what may be added: the library, less what the rules rule out and what is in
	RuledOut  []ruledOut
	History   []programVersion // newest first
	Errors    valid.Errors
	Saved     bool
	Changed   bool // rows were added or removed and are not saved yet
	// StrengthNote is what the program says when it has strengthening
	// above care.StrengthMaxPain for this client.
	StrengthNote string
	PainNow      int
	MaxItems     int
}

// StrengthMaxPain is the pain score above which strengthening is the
// therapist's call.
func (programDeskPage) StrengthMaxPain() int { return care.StrengthMaxPain }

// programRow is one exercise of the program being edited.
type programRow struct {
	Index    int
	Exercise *library.Exercise
	Item     program.Item
	errs     valid.Errors
}

// Err is the problem with the row's field, or "".
func (r programRow) Err(field string) string {
	return r.errs.For("items[" + strconv.Itoa(r.Index) + "]." + field)
}

// doseInput is one dose field of a row: shown where the exercise has a
// range, and otherwise only when it holds a problem (a value it may not have).
type doseInput struct {
	ID, Name, Label string
	Range           *library.Range
	Value           int
	Error           string
}

// Doses are the row's dose fields, in the order the dose is said.
func (r programRow) Doses() []doseInput {
	n := strconv.Itoa(r.Index)
	d, it := r.Exercise.Dose, r.Item
	out := make([]doseInput, 0, 4)
	for _, f := range []struct {
		name, label string
		rng         *library.Range
		v           int
	}{
		{"hold_seconds", "Hold (seconds)", d.HoldSeconds, it.HoldSeconds},
		{"reps", "Repetitions", d.Reps, it.Reps},
		{"sets", "Sets", d.Sets, it.Sets},
		{"minutes", "Minutes", d.Minutes, it.Minutes},
	} {
		out = append(out, doseInput{ID: "f-items-" + n + "-" + f.name, Name: f.name + "-" + n, Label: f.label, Range: f.rng, Value: f.v, Error: r.Err(f.name)})
	}
	return out
}

// Anchor is the id of the form field that field (an error's path, such as
// items[2].reps) names.
func (programDeskPage) Anchor(field string) string {
	return "f-" + strings.NewReplacer("[", "-", "].", "-", "]", "", ".", "-").Replace(field)
}

// ruledOut is an exercise the plan rules rule out for the client, and why.
type ruledOut struct {
	Name, Why string
}

// programVersion is a saved version of the program with what changed.
type programVersion struct {
	store.PlanProgram
	Changes []string
}

// programScope is the clients whose programs u may adjust: those of the
// therapist u is tied to (clientProgram lets only such accounts on).
func programScope(u *store.User) store.ProgramScope {
	return store.ProgramScope{Therapist: u.TherapistID}
}

// clientProgram reads the client's plan within the staff's scope and
// decodes its answers and result; a plan outside the scope is not found.
// The page shows health data (the result, the pain, what the answers rule
// out), so the view is in the audit log before anything is shown.
func (s *Server) clientProgram(w http.ResponseWriter, r *http.Request, u *store.User, id int64) (*store.ClientPlan, care.Answers, care.Result, bool) {
	var (
		a   care.Answers
		res care.Result
	)
	th, ok := s.signedInTherapist(w, r, u)
	if !ok {
		return nil, a, res, false
	}
	c, err := s.store.ClientProgram(r.Context(), programScope(u), id)
	if s.failed(w, r, err) {
		return nil, a, res, false
	}
	if !s.audit(w, r, u, th, store.Client{ShareID: c.ShareID, AssessmentID: c.Assessment.ID}, store.AuditClientProgram) {
		return nil, a, res, false
	}
	a, res, err = decodePlan(c.Assessment)
	if err != nil {
		s.serverError(w, r, err)
		return nil, a, res, false
	}
	return c, a, res, true
}

// decodePlan decodes a saved plan's answers and result, leniently: never
// parsed as new answers (loadPlanDiary says why).
func decodePlan(x *store.Assessment) (care.Answers, care.Result, error) {
	var (
		a   care.Answers
		res care.Result
	)
	if err := json.Unmarshal(x.Answers, &a); err != nil {
		return a, res, fmt.Errorf("decoding saved answers: %w", err)
	}
	if err := json.Unmarshal(x.Result, &res); err != nil {
		return a, res, fmt.Errorf("decoding saved result: %w", err)
	}
	return a, res, nil
}

// programDesk shows the client's program: the current one, ready to edit.
func (s *Server) programDesk(w http.ResponseWriter, r *http.Request, u *store.User) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	c, a, res, ok := s.clientProgram(w, r, u, id)
	if !ok {
		return
	}
	var p program.Program
	if c.Program != nil {
		p = c.Program.Program
	}
	page := s.programDeskPage(u, c, &a, &res, p, nil)
	page.Saved = r.URL.Query().Get("saved") == "1"
	s.render(w, r, http.StatusOK, "program_desk.html", page)
}

// programDeskPage lays out the program p being edited for client c.
func (s *Server) programDeskPage(u *store.User, c *store.ClientPlan, a *care.Answers, res *care.Result, p program.Program, errs valid.Errors) programDeskPage {
	page := programDeskPage{
		User: u, ID: c.Assessment.ID, Client: c.Client, Therapist: c.Therapist, Result: *res,
		Allowed: program.Allowed(res), Refused: program.Refused, Note: p.Note, Errors: errs,
		StrengthNote: program.StrengthNote, PainNow: a.PainNow, MaxItems: program.MaxItems,
	}
	in := map[string]bool{}
	for i, it := range p.Items {
		e, _ := s.lib.Exercise(it.Exercise)
		page.Rows = append(page.Rows, programRow{Index: i, Exercise: e, Item: it, errs: errs})
		in[it.Exercise] = true
	}
	rules := care.ExclusionsFor(a, res)
	for i := range s.lib.Exercises {
		e := &s.lib.Exercises[i]
		if code := rules.Excludes(e); code != "" {
			why := ""
			if adv, ok := s.lib.AdviceFor(code); ok {
				why = adv.Says
			}
			page.RuledOut = append(page.RuledOut, ruledOut{Name: e.Name, Why: why})
		} else if !in[e.ID] {
			page.Add = append(page.Add, e)
		}
	}
	var before program.Program
	for _, v := range c.History { // newest first
		page.History = append([]programVersion{{PlanProgram: v, Changes: program.Changes(s.lib, before, v.Program)}}, page.History...)
		before = v.Program
	}
	return page
}

// programDeskSubmit handles the program form: "add" and "remove" show the
// form again with the exercise added or removed, saving nothing; "save"
// checks the whole program and saves it with its letter to the person,
// or shows every problem at its field and saves nothing.
func (s *Server) programDeskSubmit(w http.ResponseWriter, r *http.Request, u *store.User) {
	if !readForm(w, r, 64<<10) {
		return
	}
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	c, a, res, ok := s.clientProgram(w, r, u, id)
	if !ok {
		return
	}
	p, errs := programForm(r.PostForm)
	action := r.PostForm.Get("action")
	if i, found := strings.CutPrefix(action, "remove-"); found {
		n, err := strconv.Atoi(i)
		if err != nil || n < 0 || n >= len(p.Items) {
			errs.Add("action", "must name an exercise of the program")
		} else {
			p.Items = append(p.Items[:n], p.Items[n+1:]...)
		}
		s.programDeskAgain(w, r, u, c, &a, &res, p, errs, len(errs) == 0)
		return
	}
	switch action {
	case "add":
		e, ok := s.lib.Exercise(r.PostForm.Get("add"))
		switch {
		case !ok:
			errs.Add("add", "must be an exercise of the library")
		case care.ExclusionsFor(&a, &res).Excludes(e) != "":
			errs.Add("add", e.Name+": ruled out for this client by the plan rules")
		case len(p.Items) >= program.MaxItems:
			errs.Add("add", "the program has "+strconv.Itoa(program.MaxItems)+" exercises, the most it may have")
		default:
			p.Items = append(p.Items, program.Item{Item: care.ItemFor(e, 0), TimesADay: 1})
		}
		s.programDeskAgain(w, r, u, c, &a, &res, p, errs, len(errs) == 0)
		return
	case "save":
	default:
		errs.Add("action", "must be add, remove or save")
		s.programDeskAgain(w, r, u, c, &a, &res, p, errs, false)
		return
	}
	if len(errs) > 0 {
		s.programDeskAgain(w, r, u, c, &a, &res, p, errs, false)
		return
	}
	if c.TherapistID == "" {
		errs.Add("therapist", "the client has no booking with a therapist whose program this could be")
		s.programDeskAgain(w, r, u, c, &a, &res, p, errs, false)
		return
	}
	_, err := s.store.SaveProgram(r.Context(), store.ProgramSave{
		Scope: programScope(u), AssessmentID: id, Therapist: c.TherapistID, By: u.Email,
		Check: func(x *store.Assessment) (program.Program, error) {
			a, res, err := decodePlan(x)
			if err != nil {
				return program.Program{}, err
			}
			checked, es := program.Check(s.lib, &a, &res, p)
			if len(es) > 0 {
				return program.Program{}, es
			}
			return checked, nil
		},
		Mail: s.programMail,
	})
	if es := (valid.Errors{}); errors.As(err, &es) {
		s.programDeskAgain(w, r, u, c, &a, &res, p, es, false)
		return
	}
	if s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff/clients/%d/program?saved=1#saved", id), http.StatusSeeOther)
}

// programDeskAgain shows the form again with p as edited: 400 with errs
// at their fields, or 200 when rows were added or removed (changed).
func (s *Server) programDeskAgain(w http.ResponseWriter, r *http.Request, u *store.User, c *store.ClientPlan,
	a *care.Answers, res *care.Result, p program.Program, errs valid.Errors, changed bool) {
	page := s.programDeskPage(u, c, a, res, p, errs)
	page.Changed = changed
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "program_desk.html", page)
}

// programForm reads the program from the form: rows (how many exercises)
// and, for each row i, exercise-i, hold_seconds-i, reps-i, sets-i,
// minutes-i, times_a_day-i and note-i, and the program's note. A number
// that is not a whole number is a problem at its field; an empty one is 0.
func programForm(f map[string][]string) (program.Program, valid.Errors) {
	var errs valid.Errors
	get := func(name string) string {
		if v := f[name]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	p := program.Program{Note: get("note")}
	rows, err := strconv.Atoi(get("rows"))
	if get("rows") == "" {
		rows, err = 0, nil
	}
	if err != nil || rows < 0 || rows > program.MaxItems {
		errs.Add("rows", "must be a whole number from 0 to "+strconv.Itoa(program.MaxItems))
		return p, errs
	}
	for i := range rows {
		n := strconv.Itoa(i)
		whole := func(field string) int {
			v := strings.TrimSpace(get(field + "-" + n))
			if v == "" {
				return 0
			}
			x, err := strconv.Atoi(v)
			if err != nil {
				errs.Add("items["+n+"]."+field, "must be a whole number")
			}
			return x
		}
		p.Items = append(p.Items, program.Item{
			Item: care.Item{
				Exercise: get("exercise-" + n), HoldSeconds: whole("hold_seconds"), Reps: whole("reps"),
				Sets: whole("sets"), Minutes: whole("minutes"), Note: get("note-" + n),
			},
			TimesADay: whole("times_a_day"),
		})
	}
	return p, errs
}

// programMail is the letter that tells the person their therapist changed
// their home program. It holds no private link: the plan's link exists
// only with the person, so the letter sends them to the site and their
// saved link.
func (s *Server) programMail(to store.ProgramRecipient) (*mail.Message, error) {
	l := &mail.Letter{
		Greeting: "Hi " + to.Name + ",",
		Before: []string{
			"Your therapist, " + to.Therapist + ", updated your home program.",
			"Your plan, today's guided routine, your calendar and your handout now follow it. " +
				"Open your plan with the private link you saved when you made your self-check to see what changed.",
		},
		Button:  &mail.Link{Label: "Go to unknot", URL: s.baseURL + "/"},
		After:   []string{"Stop any exercise that makes the pain sharper or spreads it, and tell your therapist."},
		SignOff: "Take care,\n" + to.Therapist,
		Footer:  []string{"You get this email because you shared your self-check with your clinic when you booked a visit."},
	}
	return l.Message(kindProgram, to.Email, to.Therapist+" updated your home program")
}
