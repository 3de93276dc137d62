package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// checkRoutes serves the self-check: the questionnaire, saved results and
// the API.
func (s *Server) checkRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /check", s.checkForm)
	mux.Handle("POST /check", s.limitWrites(http.HandlerFunc(s.checkSubmit)))
	mux.HandleFunc("GET /plan/{token}", s.plan)
	mux.Handle("POST /api/v1/assessments", s.limitWrites(http.HandlerFunc(s.apiCreateAssessment)))
}

// checkPage is the data of the questionnaire page.
type checkPage struct {
	Form   url.Values
	Errors valid.Errors
}

// Has reports whether the form holds value for field, to re-check boxes.
func (p checkPage) Has(field, value string) bool {
	for _, v := range p.Form[field] {
		if v == value {
			return true
		}
	}
	return false
}

func (s *Server) checkForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "check.html", checkPage{Form: url.Values{}})
}

// checkSubmit assesses the answers, saves them under a new private link and
// sends the person there. Bad answers show the form again with its errors.
func (s *Server) checkSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	answers, err := care.FromForm(r.PostForm)
	var errs valid.Errors
	if errors.As(err, &errs) {
		s.render(w, r, http.StatusBadRequest, "check.html", checkPage{Form: r.PostForm, Errors: errs})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	token, _, err := s.assess(r, answers)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/plan/"+token, http.StatusSeeOther)
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
	Result   care.Result
	Answers  care.Answers
	Progress *diary.Progress // what the diary says; see diary.go
}

// plan shows a saved result and its plan by its private link.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	saved, err := s.savedAssessment(r, token)
	if s.failed(w, r, err) {
		return
	}
	page := planPage{Token: token}
	if err := json.Unmarshal(saved.Result, &page.Result); err != nil {
		s.serverError(w, r, fmt.Errorf("decoding saved result: %w", err))
		return
	}
	if err := json.Unmarshal(saved.Answers, &page.Answers); err != nil {
		s.serverError(w, r, fmt.Errorf("decoding saved answers: %w", err))
		return
	}
	if page.Progress, err = s.planProgress(r, token); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	s.render(w, r, http.StatusOK, "result.html", page)
}

// savedAssessment loads the assessment behind a private link; a token of the
// wrong shape is not found without asking the database.
func (s *Server) savedAssessment(r *http.Request, token string) (*store.Assessment, error) {
	if !secret.Valid(token) {
		return nil, store.ErrNotFound
	}
	return s.store.AssessmentByToken(r.Context(), secret.Hash(token))
}
