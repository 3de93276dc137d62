package web

import (
	"errors"
	"net/http"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// apiPlan is the API's view of a plan: the current Result (which a re-check
// may have replaced) and what the diary says.
type apiPlan struct {
	care.Result
	Progress diary.Progress `json:"progress"`
	URL      string         `json:"url"`
}

// withAPIPlan is withPlan for the API: errors come in the API's shape.
func (s *Server) withAPIPlan(w http.ResponseWriter, r *http.Request, fn func(p *planDiary)) {
	p, err := s.loadPlanDiary(r, r.PathValue("token"))
	if errors.Is(err, store.ErrNotFound) {
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no plan has this token"}})
		return
	}
	if err != nil {
		s.apiServerError(w, r, "token", "the plan could not be read; please try again", err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	fn(p)
}

// apiPlan is GET /api/v1/plans/{token}.
func (s *Server) apiPlan(w http.ResponseWriter, r *http.Request) {
	s.withAPIPlan(w, r, func(p *planDiary) {
		writeJSON(w, http.StatusOK, apiPlan{Result: p.Result, Progress: p.Progress, URL: s.absoluteURL(r, "/plan/"+p.Token)})
	})
}

// apiEntries is GET /api/v1/plans/{token}/entries[?from=…&to=…], times in
// RFC 3339, from inclusive and to exclusive.
func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) {
	var errs valid.Errors
	bound := func(name string) time.Time {
		v := r.URL.Query().Get(name)
		if v == "" {
			return time.Time{}
		}
		t, ok := valid.ParseTime(v)
		if !ok {
			errs.Add(name, "must be a time such as 2026-03-01T00:00:00Z (RFC 3339)")
		}
		return t
	}
	from, to := bound("from"), bound("to")
	if len(errs) > 0 {
		writeErrors(w, http.StatusBadRequest, errs)
		return
	}
	token := r.PathValue("token")
	saved, err := s.savedAssessment(r, token)
	if errors.Is(err, store.ErrNotFound) {
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no plan has this token"}})
		return
	}
	var entries []diary.Entry
	if err == nil {
		entries, err = s.store.Entries(r.Context(), saved.ID, from, to)
	}
	if err != nil {
		s.apiServerError(w, r, "token", "the diary could not be read; please try again", err)
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, map[string][]diary.Entry{"entries": nonNil(entries)})
}

// apiAddEntry is POST /api/v1/plans/{token}/entries: an entry in, 201 with
// the saved entry out; bad input is 400 naming each field, as for the
// self-check. A plan saved under an earlier version of the self-check is
// read-only: 409, naming the field version.
func (s *Server) apiAddEntry(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	saved, err := s.savedAssessment(r, token)
	if errors.Is(err, store.ErrNotFound) {
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no plan has this token"}})
		return
	}
	var result care.Result
	if err == nil {
		result, err = savedResult(saved)
	}
	if err != nil {
		s.apiServerError(w, r, "token", "the plan could not be read; please try again", err)
		return
	}
	if refuseOutdatedAPI(w, result) {
		return
	}
	e, ok := readJSON(w, r, func(body []byte) (diary.Entry, error) { return diary.Parse(body, time.Now()) })
	if !ok {
		return
	}
	err = s.store.AddEntryByToken(r.Context(), secret.Hash(token), &e)
	if errors.Is(err, store.ErrNotFound) {
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no plan has this token"}})
		return
	}
	if err != nil {
		s.apiServerError(w, r, "body", "the entry could not be saved; please try again", err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}
