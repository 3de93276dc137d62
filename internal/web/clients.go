package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/export"
	"unknot/internal/program"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// ClientRecords is the storage of the clinic's side of shared self-checks:
// the therapist's clients, what they shared, and the audit log of every
// view of it. Every read of client data takes the therapist as its scope.
type ClientRecords interface {
	Clients(ctx context.Context, therapistID string, now time.Time) ([]store.Client, error)
	ClientDiary(ctx context.Context, therapistID string, shareID int64, recent int, now time.Time) (*store.ClientRecord, error)
	ClientDiaryEntries(ctx context.Context, therapistID string, shareID int64, now time.Time) (*store.ClientEntries, error)
	RecordView(ctx context.Context, e *store.AuditEntry) error
	AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, bool, error)
}

// signedInTherapist returns the clinic's therapist that the account u is
// tied to (store.User.TherapistID); for an account tied to none it
// answers (noTherapist) and ok is false.
func (s *Server) signedInTherapist(w http.ResponseWriter, r *http.Request, u *store.User) (th *store.DeskTherapist, ok bool) {
	th, err := s.store.ClinicTherapist(r.Context(), u.TherapistID)
	if errors.Is(err, store.ErrNotFound) {
		s.noTherapist(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return th, true
}

// clientListPage is the data of the therapist's client list.
type clientListPage struct {
	User      *store.User
	Therapist *store.DeskTherapist
	Clients   []store.Client
	Loc       *time.Location // the therapist's location's zone, for visit times
}

// clientList lists the clients who share their self-check with the
// signed-in therapist, most recently shared first. It shows who they are
// and when they come, no health data, so it is not audited.
func (s *Server) clientList(w http.ResponseWriter, r *http.Request, u *store.User) {
	th, ok := s.signedInTherapist(w, r, u)
	if !ok {
		return
	}
	list, err := s.store.Clients(r.Context(), th.ID, time.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "desk_clients.html", clientListPage{User: u, Therapist: th, Clients: list, Loc: th.Zone})
}

// clientPage is the data of a client's page: the result with its
// urgency, reasons and red flags first, then the diary.
type clientPage struct {
	User      *store.User
	Therapist *store.DeskTherapist
	Client    store.Client
	Result    care.Result
	Answers   care.Answers
	Taken     time.Time
	// RedFlags are the warning signs answered yes at the self-check, as
	// answer paths (answerLabel names them).
	RedFlags  []string
	Rechecks  []recheckView // newest first
	Progress  diary.Progress
	Adherence diary.Adherence
	Chart     diary.ChartData
	Range     string
	Recent    []entryView
	Total     int
	Loc       *time.Location
	// Outcomes are the client's outcome measurements and their change
	// against the MCID, as the client's own outcomes page shows them
	// (with no form).
	Outcomes *outcomeBlock
	// Program is the home program the client follows now, nil when
	// none; ProgramAllowed is whether their self-check allows one
	// (program.Allowed).
	Program        *store.PlanProgram
	ProgramAllowed bool
}

// recheckView is a weekly re-check as the client page lists it: as the
// diary lists it, with its result and warning signs.
type recheckView struct {
	entryView
	Urgency  string
	RedFlags []string // answer paths of the warning signs answered yes
	Earlier  []string // those answered yes under an earlier version's names
}

// ProgramRefused says why the client can have no home program.
func (clientPage) ProgramRefused() string { return program.Refused }

// Ranges are the spans the chart can show.
func (clientPage) Ranges() []care.Choice { return diaryPageData{}.Ranges() }

// RegionLabel names a region in the self-check's words.
func (clientPage) RegionLabel(code string) string { return diaryPageData{}.RegionLabel(code) }

// loadClientPage reads what the client page of share shareID shows to the
// therapist th at now, or store.ErrNotFound when it is not theirs to see.
func (s *Server) loadClientPage(ctx context.Context, th *store.DeskTherapist, shareID int64, span string, now time.Time) (*clientPage, error) {
	rec, err := s.store.ClientDiary(ctx, th.ID, shareID, recentEntries, now)
	if err != nil {
		return nil, err
	}
	p, err := newPlanDiary(rec.PlanDiary, "", now)
	if err != nil {
		return nil, err
	}
	page := &clientPage{
		Therapist: th, Client: rec.Client, Result: p.Result, Answers: p.Answers, Taken: rec.Assessment.CreatedAt,
		RedFlags: p.Answers.Symptoms.Yes(), Progress: p.Progress, Loc: p.Loc,
		Adherence: diary.AdherenceOf(p.Progress, rec.Assessment.CreatedAt, now, p.Loc),
		Outcomes:  newOutcomeBlock(rec.Outcomes, p.Loc, "", ""),
		Program:   rec.Program, ProgramAllowed: program.Allowed(&p.Result),
	}
	page.Range, page.Chart, page.Recent, page.Total = diaryView(p, span)
	for i := len(p.Rechecks) - 1; i >= 0; i-- {
		rc := p.Rechecks[i]
		page.Rechecks = append(page.Rechecks, recheckView{
			entryView: viewRecheck(rc, p.Loc), Urgency: rc.Urgency, RedFlags: rc.Symptoms.Yes(), Earlier: rc.EarlierSigns,
		})
	}
	return page, nil
}

// audit writes to the audit log that the account u, as therapist th,
// viewed action of the client c. It reports whether that succeeded; if
// not, it has answered 500 and the data must not be sent.
func (s *Server) audit(w http.ResponseWriter, r *http.Request, u *store.User, th *store.DeskTherapist, c store.Client, action string) bool {
	err := s.store.RecordView(r.Context(), &store.AuditEntry{
		At: time.Now(), AccountID: u.ID, AccountEmail: u.Email, TherapistName: th.Name,
		ShareID: c.ShareID, AssessmentID: c.AssessmentID, Action: action, ClientIP: clientIP(r),
	})
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	return true
}

// clientView shows a client's shared self-check and diary to the
// signed-in therapist, once the view is in the audit log. A share that is
// withdrawn, gone or not theirs is not found.
func (s *Server) clientView(w http.ResponseWriter, r *http.Request, u *store.User) {
	th, ok := s.signedInTherapist(w, r, u)
	if !ok {
		return
	}
	id, ok := s.pathID(w, r, "share")
	if !ok {
		return
	}
	page, err := s.loadClientPage(r.Context(), th, id, r.URL.Query().Get("range"), time.Now())
	if s.failed(w, r, err) {
		return
	}
	if !s.audit(w, r, u, th, page.Client, store.AuditClientView) {
		return
	}
	page.User = u
	s.render(w, r, http.StatusOK, "desk_client.html", page)
}

// clientDiaryCSV downloads a client's whole diary as CSV, once the
// download is in the audit log.
func (s *Server) clientDiaryCSV(w http.ResponseWriter, r *http.Request, u *store.User) {
	th, ok := s.signedInTherapist(w, r, u)
	if !ok {
		return
	}
	id, ok := s.pathID(w, r, "share")
	if !ok {
		return
	}
	x, err := s.store.ClientDiaryEntries(r.Context(), th.ID, id, time.Now())
	if s.failed(w, r, err) {
		return
	}
	var buf bytes.Buffer
	if err := export.DiaryCSV(&buf, x.Entries, x.Settings.Location()); err != nil {
		s.serverError(w, r, err)
		return
	}
	if !s.audit(w, r, u, th, x.Client, store.AuditClientCSV) {
		return
	}
	sendFile(w, "text/csv; charset=utf-8; header=present", "attachment", "client-"+strconv.FormatInt(id, 10)+"-diary.csv", buf.Bytes())
}

// auditPageSize is how many rows of the audit log one page lists.
const auditPageSize = 50

// auditPage is the data of the audit log page.
type auditPage struct {
	User    *store.User
	Rows    []store.AuditEntry
	Account string // the filters as given
	Client  string
	Before  string
	Next    string // the address of the next (older) page; empty when none
	Errors  valid.Errors
}

// auditLog lists the audit log for the clinic's administrator, newest
// first, a page at a time (?before= the oldest row id seen), filtered by
// ?account= and ?client= (a share id). Bad filters are answered 400 with
// the field named.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, u *store.User) {
	q := r.URL.Query()
	page := auditPage{User: u, Account: q.Get("account"), Client: q.Get("client"), Before: q.Get("before")}
	f := store.AuditFilter{Limit: auditPageSize}
	for _, p := range []struct {
		field string
		to    *int64
	}{{"account", &f.AccountID}, {"client", &f.ShareID}, {"before", &f.Before}} {
		if v := q.Get(p.field); v != "" {
			id, ok := parseID(v)
			if !ok {
				page.Errors.Add(p.field, "must be a whole number above 0")
			}
			*p.to = id
		}
	}
	if len(page.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "desk_audit.html", page)
		return
	}
	rows, more, err := s.store.AuditLog(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Rows = rows
	if more {
		next := url.Values{"before": {strconv.FormatInt(rows[len(rows)-1].ID, 10)}}
		if page.Account != "" {
			next.Set("account", page.Account)
		}
		if page.Client != "" {
			next.Set("client", page.Client)
		}
		page.Next = "/staff/audit?" + next.Encode()
	}
	s.render(w, r, http.StatusOK, "desk_audit.html", page)
}
