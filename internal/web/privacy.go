package web

import (
	"encoding/json"
	"net/http"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/diary"
	"unknot/internal/outcome"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// planExport is everything kept about a plan, as the person downloads it.
type planExport struct {
	ExportedAt time.Time       `json:"exported_at"`
	CreatedAt  time.Time       `json:"created_at"`
	Answers    json.RawMessage `json:"answers"`
	Result     json.RawMessage `json:"result"`
	Settings   exportSettings  `json:"settings"`
	Entries    []diary.Entry   `json:"entries"`
	Rechecks   []diary.Recheck `json:"rechecks"`
	// Bookings are the visits booked with the plan, and Shares the times
	// it was shared with the clinic.
	Bookings []exportBooking `json:"bookings"`
	Shares   []exportShare   `json:"shares"`
	// Views are the times the clinic's therapists looked at what was
	// shared: when, what, and which therapist.
	Views []store.PlanView `json:"views"`
	// Reminders are the email reminders chosen, with their address; null
	// when none.
	Reminders *exportReminders `json:"reminders"`
	// Outcomes are the activities and scores measured (internal/outcome).
	Outcomes outcome.History `json:"outcomes"`
	// Programs are the versions of the home program a therapist gave.
	Programs []exportProgram `json:"programs"`
	// VisitNotes are the therapists' notes on the visits booked with the
	// plan, every saved version, oldest first: the person's right of
	// access covers what the clinic wrote about them.
	VisitNotes []exportVisitNote `json:"visit_notes"`
}

// exportVisitNote is a therapist's note on a visit; times are UTC.
type exportVisitNote struct {
	Visit     time.Time `json:"visit_start"`
	Therapist string    `json:"therapist"`
	Text      string    `json:"text"`
	WrittenAt time.Time `json:"written_at"`
}

// exportReminders are the email reminders of a plan as the person
// downloads them.
type exportReminders struct {
	Email    string      `json:"email"`
	TimeZone string      `json:"time_zone"`
	At       diary.Clock `json:"at"`
	Daily    bool        `json:"daily"`
	Weekly   bool        `json:"weekly"`
}

// exportBooking is a visit booked with the plan, with what the client
// gave; times are UTC.
type exportBooking struct {
	Service   string         `json:"service"`
	Therapist string         `json:"therapist"`
	Location  string         `json:"location"`
	Mode      clinic.Mode    `json:"mode"`
	Start     time.Time      `json:"start"`
	End       time.Time      `json:"end"`
	Status    booking.Status `json:"status"`
	Name      string         `json:"name"`
	Email     string         `json:"email"`
	Phone     string         `json:"phone"`
	Note      string         `json:"note"`
	BookedAt  time.Time      `json:"booked_at"`
}

// exportOf is b as the person downloads it.
func exportOf(b *booking.Booking) exportBooking {
	return exportBooking{
		Service: b.Service, Therapist: b.Therapist, Location: b.Location, Mode: b.Mode,
		Start: b.Start, End: b.End, Status: b.Status,
		Name: b.Name, Email: b.Email, Phone: b.Phone, Note: b.Note, BookedAt: b.CreatedAt,
	}
}

// exportShare is a time the plan was shared with the clinic.
type exportShare struct {
	SharedAt    time.Time  `json:"shared_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at"` // null while shared
}

// exportSettings are the settings with days written as names.
type exportSettings struct {
	TimeZone  string      `json:"time_zone"`
	WorkStart diary.Clock `json:"work_start"`
	WorkEnd   diary.Clock `json:"work_end"`
	WorkDays  []string    `json:"work_days"`
}

// exportJSON downloads everything kept about the plan as one JSON file.
func (s *Server) exportJSON(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !secret.Valid(token) {
		s.notFound(w, r)
		return
	}
	x, err := s.store.ExportPlan(r.Context(), secret.Hash(token))
	if s.failed(w, r, err) {
		return
	}
	out := planExport{
		ExportedAt: time.Now().UTC().Truncate(time.Second),
		CreatedAt:  x.Assessment.CreatedAt,
		Answers:    x.Assessment.Answers,
		Result:     x.Assessment.Result,
		Settings: exportSettings{
			TimeZone: x.Settings.TimeZone, WorkStart: x.Settings.WorkStart, WorkEnd: x.Settings.WorkEnd,
			WorkDays: diary.WeekdayNames(x.Settings.WorkDays),
		},
		Entries:  nonNil(x.Entries),
		Rechecks: nonNil(x.Rechecks),
		Bookings: []exportBooking{},
		Shares:   []exportShare{},
		Outcomes: x.Outcomes,
		Programs: exportPrograms(x.ProgramHistory),
		Views:    nonNil(x.Views),
	}
	for _, b := range x.Bookings {
		out.Bookings = append(out.Bookings, exportOf(&b))
	}
	out.VisitNotes = make([]exportVisitNote, 0, len(x.VisitNotes))
	for _, n := range x.VisitNotes {
		out.VisitNotes = append(out.VisitNotes, exportVisitNote{Visit: n.Visit, Therapist: n.Therapist, Text: n.Text, WrittenAt: n.WrittenAt})
	}
	for _, sh := range x.Shares {
		out.Shares = append(out.Shares, exportShare{SharedAt: sh.SharedAt, WithdrawnAt: sh.WithdrawnAt})
	}
	if rem := x.Reminder; rem != nil {
		out.Reminders = &exportReminders{Email: rem.Email, TimeZone: rem.TimeZone, At: rem.At, Daily: rem.Daily(), Weekly: rem.Weekly()}
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="unknot-plan.json"`)
	writeJSON(w, http.StatusOK, out)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// deletePage is the data of the delete page: the confirmation, or the
// news that it is done, for a plan or for a booking's details.
type deletePage struct {
	Token   string // the plan's
	Deleted bool
	// Visit is the booking whose client's details are deleted, on its
	// link's pages; nil for a plan. Ahead says that it is confirmed and
	// still to come, so that deleting cancels it.
	Visit *bookingPageData
	Ahead bool
}

func (s *Server) deleteForm(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		s.render(w, r, http.StatusOK, "delete.html", deletePage{Token: p.Token})
	})
}

// deleteSubmit deletes the plan, its diary and its shares for good, and
// the person's details from the visits booked with it (the clinic keeps
// its record of them): the confirmation page's one button.
func (s *Server) deleteSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !secret.Valid(token) {
		s.notFound(w, r)
		return
	}
	err := s.store.DeletePlan(r.Context(), secret.Hash(token))
	if s.failed(w, r, err) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "delete.html", deletePage{Deleted: true})
}

// visitExport is what is kept about the client of a booking, as they
// download it from the booking's link.
type visitExport struct {
	ExportedAt time.Time     `json:"exported_at"`
	Booking    exportBooking `json:"booking"`
}

// visitExportJSON downloads the booking behind the link with the details
// its client gave, as one JSON file.
func (s *Server) visitExportJSON(w http.ResponseWriter, r *http.Request) {
	v, err := s.visit(r.Context(), r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="unknot-visit.json"`)
	writeJSON(w, http.StatusOK, visitExport{ExportedAt: time.Now().UTC().Truncate(time.Second), Booking: exportOf(v.Booking)})
}

// visitDeleteForm asks whether to delete the client's details from the
// booking behind the link, saying what goes and what the clinic keeps.
// Once only the clinic's record is left, it shows the booking's page,
// which says so.
func (s *Server) visitDeleteForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.bookingByToken(r.Context(), r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	if v.recordOnly() {
		s.renderBooking(w, r, http.StatusOK, v, "", "")
		return
	}
	page := bookingPageOf(r, v, "", "")
	w.Header().Set("Cache-Control", "private, no-store")
	s.render(w, r, http.StatusOK, "delete.html", deletePage{
		Visit: &page, Ahead: v.Status == booking.Confirmed && v.Start.After(time.Now()),
	})
}

// visitDeleteSubmit deletes the client's details from the booking behind
// the link for good, cancelling the visit if it is still ahead, and goes
// back to the booking's page, which now says that they are deleted: the
// confirmation page's one button.
func (s *Server) visitDeleteSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if s.failed(w, r, s.forgetClient(r.Context(), token)) {
		return
	}
	http.Redirect(w, r, managePath(token), http.StatusSeeOther)
}
