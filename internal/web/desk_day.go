package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/export"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// The therapist's day (issue 9): today and this week in the clinic's
// zone, a visit's outcome and private notes, time off, and a private
// calendar feed. Every store call takes the signed-in therapist's id, so
// another therapist's booking is not found (404).

// TherapistDays is the storage of the therapist's day.
type TherapistDays interface {
	ClinicTherapist(ctx context.Context, id string) (*store.DeskTherapist, error)
	TherapistSchedule(ctx context.Context, therapist string, from, to time.Time) (*store.Schedule, error)
	TherapistVisit(ctx context.Context, therapist string, id int64) (*store.DeskVisit, error)
	MarkVisit(ctx context.Context, therapist string, id int64, outcome booking.Status, now time.Time) (*booking.Booking, error)
	SaveVisitNote(ctx context.Context, therapist string, id int64, body string, now time.Time) error
	BlockTimeOff(ctx context.Context, therapist string, off store.BlockedTime, now time.Time) error
	TimeOffSince(ctx context.Context, therapist string, since clinic.Wall) ([]store.BlockedTime, error)
	SetTherapistFeed(ctx context.Context, therapist string, tokenHash []byte, now time.Time) error
	RevokeTherapistFeed(ctx context.Context, therapist string) (bool, error)
	TherapistFeedSince(ctx context.Context, therapist string) (*time.Time, error)
	FeedTherapist(ctx context.Context, tokenHash []byte) (string, error)
}

// noTherapist answers a desk page that is a therapist's own for an
// account tied to none of the clinic's therapists: there is nothing of
// theirs to show (404), and the page says what to do.
func (s *Server) noTherapist(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error.html", errorPage{
		Title:   "No therapist's pages for your account",
		Message: "These pages are a therapist's own, and your account is tied to none of the clinic's therapists. Ask the clinic's admin to invite you with the email address the clinic has for you.",
	})
}

// asTherapist runs next for the clinic's therapist that the signed-in
// account is tied to (signedInTherapist). The role was checked before
// (deskAccess).
func (s *Server) asTherapist(next func(http.ResponseWriter, *http.Request, *store.DeskTherapist)) deskHandler {
	return func(w http.ResponseWriter, r *http.Request, u *store.User) {
		if t, ok := s.signedInTherapist(w, r, u); ok {
			next(w, r, t)
		}
	}
}

// maxDeskYears bounds how far from today a day or week may be asked for.
const maxDeskYears = 10

// deskDate reads the date in the query parameter name, today in zone when
// it is absent.
func deskDate(r *http.Request, name string, zone *time.Location, now time.Time) (clinic.Date, valid.Errors) {
	today := clinic.DateOf(now.In(zone))
	v := r.URL.Query().Get(name)
	if v == "" {
		return today, nil
	}
	var errs valid.Errors
	d, err := clinic.ParseDate(v)
	switch {
	case err != nil:
		errs.Add(name, err.Error())
	case d.Before(today.AddDays(-366*maxDeskYears)) || today.AddDays(366*maxDeskYears).Before(d):
		errs.Add(name, fmt.Sprintf("%s is more than %d years from today", d, maxDeskYears))
	}
	return d, errs
}

// badQuery answers 400 with the query's field errors.
func (s *Server) badQuery(w http.ResponseWriter, r *http.Request, errs valid.Errors) {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs.Capped() {
		msgs = append(msgs, e.Error())
	}
	s.render(w, r, http.StatusBadRequest, "error.html", errorPage{
		Title:   "Please check the address",
		Message: strings.Join(msgs, "; ") + ".",
	})
}

// deskDayPage is the data of a therapist's day or week.
type deskDayPage struct {
	Therapist  *store.DeskTherapist
	Week       bool   // a week, else a day
	Heading    string // what the page shows
	Prev, Next string // links to the day or week before and after
	This       string // link to today or this week; "" when shown
	Days       []deskDay
}

// deskDay is one date of the schedule.
type deskDay struct {
	Date   string // as shown: "Monday 29 March 2027"
	ISO    string // YYYY-MM-DD
	Today  bool
	Visits []deskVisit
}

// deskVisit is a booking as the therapist's pages show it: times on the
// location's wall clock.
type deskVisit struct {
	ID         int64
	Start, End string // HH:MM
	StartISO   string // RFC 3339, for <time>
	Client     string
	Service    string
	Virtual    bool
	Place      string // the address, or the video link of a virtual visit
	Status     booking.Status
	Shared     bool
	HasNotes   bool
	LongDate   string // the day of the visit: "Monday 29 March 2027"
	StatusSays string // its status in words
}

// statusWords are how the pages name a booking's status.
var statusWords = map[booking.Status]string{
	booking.Confirmed: "booked",
	booking.Cancelled: "cancelled",
	booking.Attended:  "attended",
	booking.NoShow:    "no-show",
}

// newDeskVisit returns b as the pages show it in zone.
func newDeskVisit(b *booking.Booking, service string, t *clinic.Therapist, address string, shared, notes bool, zone *time.Location) deskVisit {
	start, end := b.Start.In(zone), b.End.In(zone)
	v := deskVisit{
		ID: b.ID, Start: start.Format("15:04"), End: end.Format("15:04"), StartISO: start.Format(time.RFC3339),
		Client: b.Name, Service: service, Virtual: b.Mode == clinic.Virtual, Place: address,
		Status: b.Status, Shared: shared, HasNotes: notes, LongDate: start.Format("Monday 2 January 2006"),
		StatusSays: statusWords[b.Status],
	}
	if v.Virtual {
		v.Place = t.VideoURL
	}
	return v
}

func (s *Server) dayPage(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	s.schedulePage(w, r, t, false)
}

func (s *Server) weekPage(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	s.schedulePage(w, r, t, true)
}

// schedulePage shows the therapist's day (?date=YYYY-MM-DD, today by
// default) or the week from Monday that holds the date (?week=…).
func (s *Server) schedulePage(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist, week bool) {
	now := time.Now()
	param, path, days := "date", "/staff/day", 1
	if week {
		param, path, days = "week", "/staff/week", 7
	}
	first, errs := deskDate(r, param, t.Zone, now)
	if len(errs) > 0 {
		s.badQuery(w, r, errs)
		return
	}
	today := clinic.DateOf(now.In(t.Zone))
	this := today
	if week {
		first = mondayOf(first)
		this = mondayOf(today)
	}
	from := clinic.Wall{Date: first}.In(t.Zone)
	to := clinic.Wall{Date: first.AddDays(days)}.In(t.Zone)
	sched, err := s.store.TherapistSchedule(r.Context(), t.ID, from, to)
	if s.failed(w, r, err) {
		return
	}
	page := deskDayPage{
		Therapist: t, Week: week,
		Prev: path + "?" + param + "=" + first.AddDays(-days).String(),
		Next: path + "?" + param + "=" + first.AddDays(days).String(),
	}
	if first != this {
		page.This = path
	}
	for i := range days {
		d := first.AddDays(i)
		page.Days = append(page.Days, deskDay{Date: longDate(d), ISO: d.String(), Today: d == today})
	}
	for _, v := range sched.Visits {
		i := first.DaysUntil(clinic.DateOf(v.Booking.Start.In(t.Zone)))
		page.Days[i].Visits = append(page.Days[i].Visits,
			newDeskVisit(&v.Booking, v.Service, &sched.Therapist, sched.Location.Address, v.Shared, v.HasNotes, t.Zone))
	}
	switch {
	case week:
		page.Heading = "Week of " + longDate(first)
	case first == today:
		page.Heading = "Today, " + longDate(first)
	default:
		page.Heading = longDate(first)
	}
	s.render(w, r, http.StatusOK, "desk_day.html", page)
}

// mondayOf returns the Monday of d's week.
func mondayOf(d clinic.Date) clinic.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// longDate writes d as "Monday 29 March 2027".
func longDate(d clinic.Date) string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format("Monday 2 January 2006")
}

// maxVisitNote caps a visit note, in characters: a page of text.
const maxVisitNote = 4000

// deskVisitPage is the data of one visit's page.
type deskVisitPage struct {
	Therapist  *store.DeskTherapist
	Visit      deskVisit
	Phone      string
	Email      string
	ClientNote string // what the client wrote when booking
	CanMark    bool   // the visit has begun and is not cancelled
	Notes      []store.VisitNote
	Draft      string // the note in the form
	MaxNote    int
	Errors     valid.Errors
	Done       string // what the last action did: marked, noted
}

func (s *Server) deskVisitPage(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	done := oneOfValues(r.URL.Query().Get("done"), "marked", "noted")
	s.renderVisit(w, r, t, http.StatusOK, done, nil, nil)
}

// renderVisit shows the visit in the path with status; draft, if not nil,
// is a note that could not be saved for errs.
func (s *Server) renderVisit(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist, status int, done string, draft *string, errs valid.Errors) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	v, err := s.store.TherapistVisit(r.Context(), t.ID, id)
	if s.failed(w, r, err) {
		return
	}
	b := v.Booking
	page := deskVisitPage{
		Therapist: t, Visit: newDeskVisit(b, v.Service.Name, v.Therapist, v.Location.Address, v.Shared, len(v.Notes) > 0, t.Zone),
		Phone: b.Phone, Email: b.Email, ClientNote: b.Note,
		CanMark: b.Status != booking.Cancelled && !time.Now().Before(b.Start),
		Notes:   v.Notes, MaxNote: maxVisitNote, Errors: errs, Done: done,
	}
	switch {
	case draft != nil:
		page.Draft = *draft
	case len(v.Notes) > 0:
		page.Draft = v.Notes[0].Body
	}
	s.render(w, r, status, "desk_visit.html", page)
}

// markVisit records whether the client came.
func (s *Server) markVisit(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if !readForm(w, r, 32<<10) {
		return
	}
	var errs valid.Errors
	outcome := booking.Status(r.PostForm.Get("outcome"))
	_, err := s.store.MarkVisit(r.Context(), t.ID, id, outcome, time.Now())
	switch {
	case errors.Is(err, booking.ErrNotOutcome):
		errs.Add("outcome", "Choose attended or no-show.")
	case errors.Is(err, booking.ErrNotStarted):
		errs.Add("outcome", "The visit has not started yet: mark it once it has begun.")
	case errors.Is(err, booking.ErrCancelled):
		errs.Add("outcome", "The visit was cancelled, so it has no outcome.")
	case s.failed(w, r, err):
		return
	default:
		http.Redirect(w, r, fmt.Sprintf("/staff/visits/%d?done=marked", id), http.StatusSeeOther)
		return
	}
	s.renderVisit(w, r, t, http.StatusBadRequest, "", nil, errs)
}

// checkVisitNote returns the problems of a visit note: at most
// maxVisitNote characters, no control characters but line breaks and
// tabs. An empty note clears the note (its history stays).
func checkVisitNote(body string) valid.Errors {
	var errs valid.Errors
	switch {
	case !utf8.ValidString(body):
		errs.Add("note", "The note has characters that could not be read.")
	case utf8.RuneCountInString(body) > maxVisitNote:
		errs.Add("note", fmt.Sprintf("Keep the note to %d characters; it has %d.", maxVisitNote, utf8.RuneCountInString(body)))
	case strings.ContainsFunc(body, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' }):
		errs.Add("note", "The note has control characters; please type it again.")
	}
	return errs
}

// saveVisitNote saves the therapist's private note on the visit.
func (s *Server) saveVisitNote(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if !readForm(w, r, 32<<10) {
		return
	}
	body := strings.ReplaceAll(r.PostForm.Get("note"), "\r\n", "\n")
	if errs := checkVisitNote(body); len(errs) > 0 {
		s.renderVisit(w, r, t, http.StatusBadRequest, "", &body, errs)
		return
	}
	if s.failed(w, r, s.store.SaveVisitNote(r.Context(), t.ID, id, body, time.Now())) {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff/visits/%d?done=noted", id), http.StatusSeeOther)
}

// maxTimeOffReason caps the reason given for time off, in characters.
const maxTimeOffReason = 200

// timeOffPage is the data of the time-off page.
type timeOffPage struct {
	Therapist *store.DeskTherapist
	From, To  string // the form's values, YYYY-MM-DDTHH:MM
	Reason    string
	MaxReason int
	Errors    valid.Errors
	Clash     []deskVisit // the bookings the time off would cover
	Ahead     []store.BlockedTime
	Done      bool
}

func (s *Server) timeOffPage(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	page := timeOffPage{Therapist: t, Done: r.URL.Query().Get("done") == "blocked"}
	s.renderTimeOff(w, r, http.StatusOK, &page)
}

func (s *Server) renderTimeOff(w http.ResponseWriter, r *http.Request, status int, page *timeOffPage) {
	ahead, err := s.store.TimeOffSince(r.Context(), page.Therapist.ID, wallOf(time.Now().In(page.Therapist.Zone)))
	if s.failed(w, r, err) {
		return
	}
	page.Ahead, page.MaxReason = ahead, maxTimeOffReason
	s.render(w, r, status, "desk_timeoff.html", page)
}

// wallOf returns the wall time of t, to the minute.
func wallOf(t time.Time) clinic.Wall {
	return clinic.Wall{Date: clinic.DateOf(t), Clock: clinic.Clock(t.Hour()*60 + t.Minute())}
}

// checkTimeOff reads time off from the form's from, to and reason as
// the clinic file's time off is read: wall times YYYY-MM-DDTHH:MM in the
// therapist's zone, to after from.
func checkTimeOff(from, to, reason string) (store.BlockedTime, valid.Errors) {
	var (
		off  store.BlockedTime
		errs valid.Errors
	)
	for _, f := range []struct {
		name, value string
		dst         *clinic.Wall
	}{{"from", from, &off.From}, {"to", to, &off.To}} {
		if f.value == "" {
			errs.Add(f.name, "is required")
			continue
		}
		w, err := clinic.ParseWall(f.value)
		if err != nil {
			errs.Add(f.name, err.Error())
			continue
		}
		*f.dst = w
	}
	if len(errs) == 0 && !off.From.Before(off.To) {
		errs.Add("to", fmt.Sprintf("%q is not after %q", to, from))
	}
	off.Reason = strings.TrimSpace(reason)
	switch {
	case !utf8.ValidString(off.Reason):
		errs.Add("reason", "has characters that could not be read")
	case utf8.RuneCountInString(off.Reason) > maxTimeOffReason:
		errs.Add("reason", fmt.Sprintf("must be at most %d characters", maxTimeOffReason))
	case strings.ContainsFunc(off.Reason, unicode.IsControl):
		errs.Add("reason", "must be one line of text")
	}
	return off, errs
}

// blockTimeOff adds time off, refused when it covers a booking.
func (s *Server) blockTimeOff(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	if !readForm(w, r, 32<<10) {
		return
	}
	page := timeOffPage{Therapist: t, From: r.PostForm.Get("from"), To: r.PostForm.Get("to"), Reason: r.PostForm.Get("reason")}
	off, errs := checkTimeOff(page.From, page.To, page.Reason)
	if len(errs) == 0 {
		err := s.store.BlockTimeOff(r.Context(), t.ID, off, time.Now())
		var clash *store.TimeOffClash
		switch {
		case errors.As(err, &clash):
			for _, v := range clash.Visits {
				page.Clash = append(page.Clash, newDeskVisit(&v.Booking, v.Service, &t.Therapist, "", false, false, t.Zone))
			}
			visits := "a booked visit"
			if n := len(clash.Visits); n > 1 {
				visits = fmt.Sprintf("%d booked visits", n)
			}
			errs.Add("from", "This time off covers "+visits+", listed below: move or cancel them first, or choose other times.")
		case s.failed(w, r, err):
			return
		default:
			http.Redirect(w, r, "/staff/time-off?done=blocked", http.StatusSeeOther)
			return
		}
	}
	page.Errors = errs
	status := http.StatusBadRequest
	if len(page.Clash) > 0 {
		status = http.StatusConflict
	}
	s.renderTimeOff(w, r, status, &page)
}

// feedPage is the data of the calendar feed page.
type feedPage struct {
	Therapist *store.DeskTherapist
	Since     *time.Time // when the live link was made; nil when none
	URL       string     // the new link, shown once, right after it is made
	Revoked   bool
}

func (s *Server) feedPage(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	s.renderFeed(w, r, t, "", r.URL.Query().Get("done") == "revoked")
}

func (s *Server) renderFeed(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist, link string, revoked bool) {
	since, err := s.store.TherapistFeedSince(r.Context(), t.ID)
	if s.failed(w, r, err) {
		return
	}
	s.render(w, r, http.StatusOK, "desk_feed.html", feedPage{Therapist: t, Since: since, URL: link, Revoked: revoked})
}

// newFeedLink makes a new link to the therapist's calendar feed, which
// ends any link made before, and shows it once: only its hash is kept.
func (s *Server) newFeedLink(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	token, hash := secret.NewToken()
	if s.failed(w, r, s.store.SetTherapistFeed(r.Context(), t.ID, hash, time.Now())) {
		return
	}
	s.renderFeed(w, r, t, s.baseURL+feedPath(token), false)
}

func (s *Server) revokeFeedLink(w http.ResponseWriter, r *http.Request, t *store.DeskTherapist) {
	if _, err := s.store.RevokeTherapistFeed(r.Context(), t.ID); s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, "/staff/calendar-feed?done=revoked", http.StatusSeeOther)
}

// feedPath is the address of the calendar feed behind token: a token of
// secret.NewToken, which the log handler redacts (internal/logs).
func feedPath(token string) string { return "/feeds/" + token + "/visits.ics" }

// Which visits the feed holds: the recent past, to look back on, and
// everything booked ahead as far as anyone may book.
const (
	feedPast  = 30 * 24 * time.Hour
	feedAhead = (clinic.MaxHorizonDays + 1) * 24 * time.Hour
	// feedRefresh is how long a calendar app or cache may keep the feed:
	// a change reaches the therapist's calendar at the app's next fetch.
	feedRefresh = 5 * time.Minute
)

// visitFeed serves a therapist's visits as an iCalendar feed to whoever
// holds its secret link: each visit's time, service, client's name and
// place, and nothing of the client's health.
func (s *Server) visitFeed(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !secret.Valid(token) {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	id, err := s.store.FeedTherapist(ctx, secret.Hash(token))
	if s.failed(w, r, err) {
		return
	}
	now := time.Now()
	sched, err := s.store.TherapistSchedule(ctx, id, now.Add(-feedPast), now.Add(feedAhead))
	if s.failed(w, r, err) {
		return
	}
	events := make([]export.VisitEvent, len(sched.Visits))
	for i, v := range sched.Visits {
		b := &v.Booking
		place := sched.Location.Address
		if b.Mode == clinic.Virtual {
			place = sched.Therapist.VideoURL
		}
		events[i] = export.VisitEvent{
			UID: s.bookingUID(b), Sequence: b.Sequence, Start: b.Start, End: b.End,
			Summary: v.Service + ": " + b.Name, Location: place, Stamp: b.UpdatedAt,
		}
	}
	data, err := export.VisitFeed("unknot: "+sched.Therapist.Name+"'s visits", feedRefresh, events)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", fmt.Sprintf("private, max-age=%d", int(feedRefresh/time.Second)))
	w.Header().Set("X-Robots-Tag", "noindex")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	sendFile(w, "text/calendar; charset=utf-8", "inline", "visits.ics", data)
}
