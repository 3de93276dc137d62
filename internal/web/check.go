package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// A draft is the questionnaire in progress of someone answering without
// JavaScript, kept by the server between steps so that Back and reload lose
// nothing, while no answer ever travels in a URL. The browser holds a random
// token in a cookie sent to /check only; the store holds its hash.
const (
	draftCookie = "check_draft"
	draftLife   = 2 * time.Hour
)

// checkForm shows the questionnaire at the step asked for (?step=N), with
// the answers of the draft, if any. A step whose earlier steps are not yet
// answered shows the first of those instead.
func (s *Server) checkForm(w http.ResponseWriter, r *http.Request) {
	form, err := s.loadDraft(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	step, err := strconv.Atoi(r.URL.Query().Get("step"))
	if err != nil || step < 1 || step > len(care.Steps) {
		step = 1
	}
	_, errs, err := checkAnswers(form)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if first, _ := firstProblem(errs, step-1); first != 0 {
		step = first
	}
	w.Header().Set("Cache-Control", "private, no-store")
	s.render(w, r, http.StatusOK, "check.html", checkPage{Form: form, Step: step})
}

// checkStep takes one step of the questionnaire, or all of them at once
// (as check.js sends them): go=back returns to the step before; anything
// else checks the steps up to this one and moves on, and after the last
// step the answers are assessed, saved under a new private link and the
// person is sent there. Until then the answers are kept in the draft.
func (s *Server) checkStep(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	form := questionnaire(r.PostForm)
	// A form posted without a step is the whole questionnaire at once.
	step := len(care.Steps)
	if n, err := strconv.Atoi(r.PostForm.Get("step")); err == nil && n >= 1 && n < step {
		step = n
	}
	if r.PostForm.Get("go") == "back" {
		if err := s.saveDraft(w, r, form); err != nil {
			s.serverError(w, r, err)
			return
		}
		http.Redirect(w, r, stepURL(max(step-1, 1)), http.StatusSeeOther)
		return
	}
	answers, errs, err := checkAnswers(form)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	last := step == len(care.Steps)
	if first, problems := firstProblem(errs, step); first != 0 || !last {
		if err := s.saveDraft(w, r, form); err != nil {
			s.serverError(w, r, err)
			return
		}
		switch {
		case first == care.StepWhere && problems.For("age") == care.TooYoung:
			w.Header().Set("Cache-Control", "private, no-store")
			s.render(w, r, http.StatusOK, "check.html", checkPage{Form: form, Step: first, TooYoung: true})
		case first != 0:
			w.Header().Set("Cache-Control", "private, no-store")
			s.render(w, r, http.StatusBadRequest, "check.html", checkPage{Form: form, Step: first, Errors: problems})
		default:
			http.Redirect(w, r, stepURL(step+1), http.StatusSeeOther)
		}
		return
	}
	token, _, err := s.assess(r, answers)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.dropDraft(w, r); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/plan/"+token, http.StatusSeeOther)
}

// checkRestart forgets the draft and shows the first step, empty.
func (s *Server) checkRestart(w http.ResponseWriter, r *http.Request) {
	if err := s.dropDraft(w, r); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/check", http.StatusSeeOther)
}

// stepURL is the address of a step; it carries the step's number, never an
// answer.
func stepURL(step int) string { return "/check?step=" + strconv.Itoa(step) }

// checkAnswers reads a questionnaire's answers, complete or not, and lists
// every problem with them: care's, and the steps of boxes left
// unconfirmed. The answers are usable only when there is none.
func checkAnswers(form url.Values) (care.Answers, valid.Errors, error) {
	answers, err := care.FromForm(form)
	var errs valid.Errors
	if err != nil && !errors.As(err, &errs) {
		return care.Answers{}, nil, fmt.Errorf("checking answers: %w", err)
	}
	return answers, append(errs, confirmProblems(form)...), nil
}

// draftToken returns the token of the request's draft cookie, if it has a
// well-formed one.
func draftToken(r *http.Request) (string, bool) {
	c, err := r.Cookie(draftCookie)
	if err != nil || !secret.Valid(c.Value) {
		return "", false
	}
	return c.Value, true
}

// loadDraft returns the answers of the request's draft; none, expired or
// unreadable, it returns an empty form.
func (s *Server) loadDraft(r *http.Request) (url.Values, error) {
	form := url.Values{}
	token, ok := draftToken(r)
	if !ok {
		return form, nil
	}
	data, err := s.store.Draft(r.Context(), secret.Hash(token), time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return form, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &form); err != nil {
		return nil, fmt.Errorf("decoding draft: %w", err)
	}
	return questionnaire(form), nil
}

// saveDraft keeps form as the request's draft for another draftLife,
// starting a draft and its cookie when there is none.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request, form url.Values) error {
	token, ok := draftToken(r)
	if !ok {
		token, _ = secret.NewToken()
	}
	data, err := json.Marshal(form)
	if err != nil {
		return fmt.Errorf("encoding draft: %w", err)
	}
	now := time.Now()
	if err := s.store.SaveDraft(r.Context(), secret.Hash(token), data, now, now.Add(draftLife)); err != nil {
		return err
	}
	s.setDraftCookie(w, r, token, int(draftLife/time.Second))
	return nil
}

// dropDraft deletes the request's draft, if any, and its cookie.
func (s *Server) dropDraft(w http.ResponseWriter, r *http.Request) error {
	token, ok := draftToken(r)
	if !ok {
		return nil
	}
	if err := s.store.DeleteDraft(r.Context(), secret.Hash(token)); err != nil {
		return err
	}
	s.setDraftCookie(w, r, "", -1)
	return nil
}

// setDraftCookie sets the draft's cookie: for /check only, out of reach of
// scripts, not sent along from other sites' forms, and Secure over https.
func (s *Server) setDraftCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name:     draftCookie,
		Value:    token,
		Path:     "/check",
		MaxAge:   maxAge,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   s.secure(r),
	})
}

// assess runs the self-check and stores answers and result under a new
// private link. It returns the link's token and the result as saved (JSON).
func (s *Server) assess(r *http.Request, answers care.Answers) (token string, resultJSON []byte, err error) {
	result := care.Assess(s.lib, answers)
	answersJSON, err := json.Marshal(answers)
	if err != nil {
		return "", nil, fmt.Errorf("encoding answers: %w", err)
	}
	resultJSON, err = json.Marshal(result)
	if err != nil {
		return "", nil, fmt.Errorf("encoding result: %w", err)
	}
	token, hash := secret.NewToken()
	err = s.store.CreateAssessment(r.Context(), &store.Assessment{
		TokenHash: hash,
		Answers:   answersJSON,
		Result:    resultJSON,
		Urgency:   result.Urgency,
	})
	if err != nil {
		return "", nil, fmt.Errorf("saving assessment: %w", err)
	}
	return token, resultJSON, nil
}

// planPage is the data of the result and plan page.
type planPage struct {
	Token    string
	Result   care.Result     // as saved, of whichever contract version
	Progress *diary.Progress // what the diary says; see diary.go
	Share    *store.Share    // the live share with the clinic, if any
	Outcomes *outcomeBlock   // the starting point form, or the change so far (outcomes.go)
}

// plan shows a saved result and its plan by its private link, with what
// the diary says. A result saved under an earlier version of the
// self-check reads as it was saved, read-only (outdated.go).
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		share, err := s.store.LiveShare(r.Context(), secret.Hash(p.Token))
		if s.failed(w, r, err) {
			return
		}
		s.render(w, r, http.StatusOK, "result.html", planPage{Token: p.Token, Result: p.Result, Progress: &p.Progress, Share: share, Outcomes: planOutcomes(p)})
	})
}

// savedAssessment loads the assessment behind a private link; a token of the
// wrong shape is not found without asking the database.
func (s *Server) savedAssessment(r *http.Request, token string) (*store.Assessment, error) {
	if !secret.Valid(token) {
		return nil, store.ErrNotFound
	}
	return s.store.AssessmentByToken(r.Context(), secret.Hash(token))
}
