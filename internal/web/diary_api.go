package web

import (
	"errors"
	"math"
	"net/http"
	"strconv"
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
		writeJSON(w, http.StatusOK, apiPlan{Result: p.Result, Progress: p.Progress, URL: s.absoluteURL("/plan/" + p.Token)})
	})
}

// Paging of the entries API: a page holds entryPageSize entries unless
// ?limit= asks for another number up to maxEntryPage. A long diary (5,000
// entries are 720 KB) is read a page at a time.
const (
	entryPageSize = 500
	maxEntryPage  = 1000
)

// apiEntryPage is a page of the entries API: entries oldest first, and
// the address of the page of earlier ones when there are more.
type apiEntryPage struct {
	Entries []diary.Entry `json:"entries"`
	Next    string        `json:"next,omitempty"`
}

// apiEntries is GET /api/v1/plans/{token}/entries[?from=…&to=…&limit=…&before=…],
// times in RFC 3339, from inclusive and to exclusive: the latest limit
// entries in that range (before the entry whose id is before, when given),
// oldest first, with the address of the next, earlier page as next.
func (s *Server) apiEntries(w http.ResponseWriter, r *http.Request) {
	var errs valid.Errors
	q := r.URL.Query()
	bound := func(name string) time.Time {
		v := q.Get(name)
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
	limit := queryInt(&errs, q, "limit", 1, maxEntryPage, entryPageSize)
	before := queryInt(&errs, q, "before", 1, math.MaxInt, 0)
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
	var (
		page apiEntryPage
		more bool
	)
	if err == nil {
		page.Entries, more, err = s.store.EntryPage(r.Context(), saved.ID, from, to, int64(before), limit)
		if errors.Is(err, store.ErrNotFound) {
			writeErrors(w, http.StatusBadRequest, valid.Errors{{Field: "before", Message: "is not the id of an entry of this diary"}})
			return
		}
	}
	if err != nil {
		s.apiServerError(w, r, "token", "the diary could not be read; please try again", err)
		return
	}
	page.Entries = nonNil(page.Entries)
	if more {
		q.Set("before", strconv.FormatInt(page.Entries[0].ID, 10))
		q.Set("limit", strconv.Itoa(limit))
		page.Next = s.absoluteURL(r.URL.Path + "?" + q.Encode())
	}
	w.Header().Set("Cache-Control", "private, no-store")
	writeJSON(w, http.StatusOK, page)
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
