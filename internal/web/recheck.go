package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/valid"
)

// recheckPage is the data of the weekly re-check page: the form, or after
// it was sent, the change in pain and the new result.
type recheckPage struct {
	Token    string
	LastPain int // of the previous check, which the new score is compared with
	Form     url.Values
	Errors   valid.Errors
	Done     bool
	Change   diary.Change
	Result   care.Result   // the self-check run again, now the plan's result
	Replaced bool          // a warning sign put the plan aside for a doctor's visit
	Outdated bool          // the plan was saved under an earlier version: no re-check
	Outcomes *outcomeBlock // once done, the form of the re-check's outcome scores (outcomes.go)
}

// Has reports whether the form holds value for field, to re-check boxes.
func (p recheckPage) Has(field, value string) bool { return slices.Contains(p.Form[field], value) }

// SymptomGroups are the warning signs the re-check asks again, grouped as
// in the self-check.
func (p recheckPage) SymptomGroups() []care.SymptomGroup { return care.SymptomGroups }

// recheckForm shows the re-check's questions; a plan saved under an
// earlier version of the self-check gets the request to take the check
// again instead.
func (s *Server) recheckForm(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		s.render(w, r, http.StatusOK, "recheck.html", recheckPage{Token: p.Token, LastPain: lastPain(p), Form: url.Values{}, Outdated: p.Result.Outdated()})
	})
}

// recheckSubmit runs the self-check again with the re-check's answers and
// makes its result the plan's: a new warning sign replaces the plan with the
// urgent or emergency instruction, exactly as in the self-check. A plan
// saved under an earlier version of the self-check is refused.
func (s *Server) recheckSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	s.withPlan(w, r, func(p *planDiary) {
		if s.refuseOutdated(w, r, p.Token, p.Result) {
			return
		}
		page := recheckPage{Token: p.Token, LastPain: lastPain(p), Form: r.PostForm}
		rc, errs := recheckFromForm(r.PostForm, p.Now)
		if len(errs) > 0 {
			page.Errors = errs
			s.render(w, r, http.StatusBadRequest, "recheck.html", page)
			return
		}
		answers := diary.RecheckAnswers(p.Answers, p.Assessment.CreatedAt, rc, page.LastPain, p.Progress.CareDays)
		if errs := answers.Validate(); len(errs) > 0 {
			s.serverError(w, r, fmt.Errorf("re-check made invalid answers: %w", errs))
			return
		}
		result := care.Assess(s.lib, answers)
		rc.Urgency = result.Urgency
		resultJSON, err := json.Marshal(result)
		if err != nil {
			s.serverError(w, r, fmt.Errorf("encoding result: %w", err))
			return
		}
		if s.failed(w, r, s.store.AddRecheck(r.Context(), p.Assessment.ID, &rc, resultJSON)) {
			return
		}
		page.Done = true
		page.Change = diary.Compare(page.LastPain, rc.PainNow)
		page.Result = result
		page.Replaced = !result.SelfCareAllowed
		page.Outcomes = recheckOutcomes(p)
		s.render(w, r, http.StatusOK, "recheck.html", page)
	})
}

// recheckFromForm reads the re-check form: the screening questions (a
// ticked box is yes) and the pain score.
func recheckFromForm(form url.Values, now time.Time) (diary.Recheck, valid.Errors) {
	rc := diary.Recheck{At: now}
	var errs valid.Errors
	ticked := map[string]bool{}
	for _, g := range care.SymptomGroups {
		for _, q := range g.Items {
			switch v := form.Get("symptoms." + q.Value); v {
			case "", "no":
			case "yes", "on":
				ticked[q.Value] = true
			default:
				errs.Add("symptoms."+q.Value, "must be yes or no")
			}
		}
	}
	// The contract's JSON names are the only way into care.Symptoms' fields
	// by name; they cannot fail to encode.
	b, _ := json.Marshal(ticked)
	if err := json.Unmarshal(b, &rc.Symptoms); err != nil {
		errs.Add("symptoms", "could not be read")
	}
	raw := strings.TrimSpace(form.Get("pain_now"))
	pain, err := strconv.Atoi(raw)
	switch {
	case raw == "":
		errs.Add("pain_now", "choose a number from 0 (no pain) to 10 (the worst)")
	case err != nil || pain < 0 || pain > 10:
		errs.Add("pain_now", "must be a whole number from 0 to 10")
	}
	rc.PainNow = pain
	return rc, errs
}
