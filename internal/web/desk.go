package web

import (
	"errors"
	"net/http"

	"unknot/internal/staff"
	"unknot/internal/store"
)

// The staff desk: every page and action for admins, therapists and
// coaches is a row of deskTable, which names the staff.Action it needs,
// and is served only through deskAccess, which checks it. A handler of
// the desk cannot be registered any other way: deskHandler is not an
// http.Handler. The desk lives in package web, not in a package of its
// own, because it renders with the same embedded templates, layout and
// error pages as the public side (s.render, s.failed); its public pages
// (sign-in, invitation links) are accounts.go's.

// deskHandler serves a desk request for the signed-in account u, whose
// roles deskAccess has checked.
type deskHandler func(w http.ResponseWriter, r *http.Request, u *store.User)

// deskRoute is one row of the desk's route table.
type deskRoute struct {
	pattern string
	needs   staff.Action
	handle  deskHandler
}

// deskTable is the one route table of the staff desk.
func (s *Server) deskTable() []deskRoute {
	return []deskRoute{
		{"GET /staff", staff.OpenDesk, s.dashboard},
		{"POST /staff/comments/{id}/approve", staff.ModerateContent, s.approveComment},
		{"GET /staff/comments/{id}/delete", staff.ModerateContent, s.commentDeleteForm},
		{"POST /staff/comments/{id}/delete", staff.ModerateContent, s.deleteComment},
		{"POST /staff/comments/{id}/reply", staff.ModerateContent, s.replyToComment},
		{"GET /staff/invitations", staff.ManageClinic, s.inviteForm},
		{"POST /staff/invitations", staff.ManageClinic, s.inviteTherapist},
		// The therapist's day (desk_day.go): their own bookings, visits
		// and schedule, narrowed to them by asTherapist.
		{"GET /staff/day", staff.SeeBookings, s.asTherapist(s.dayPage)},
		{"GET /staff/week", staff.SeeBookings, s.asTherapist(s.weekPage)},
		{"GET /staff/visits/{id}", staff.TreatClients, s.asTherapist(s.deskVisitPage)},
		{"POST /staff/visits/{id}/outcome", staff.TreatClients, s.asTherapist(s.markVisit)},
		{"POST /staff/visits/{id}/notes", staff.TreatClients, s.asTherapist(s.saveVisitNote)},
		{"GET /staff/time-off", staff.OwnSchedule, s.asTherapist(s.timeOffPage)},
		{"POST /staff/time-off", staff.OwnSchedule, s.asTherapist(s.blockTimeOff)},
		// The clinic's bookings (desk_bookings.go): an admin's are the
		// whole clinic's, a therapist's their own.
		{"GET /staff/bookings", staff.SeeBookings, s.clinicBookings},
		{"GET /staff/calendar-feed", staff.SeeBookings, s.asTherapist(s.feedPage)},
		{"POST /staff/calendar-feed", staff.SeeBookings, s.asTherapist(s.newFeedLink)},
		{"POST /staff/calendar-feed/revoke", staff.SeeBookings, s.asTherapist(s.revokeFeedLink)},
		// Clinic setup (setup.go): the admin's, and each therapist's own
		// weekly hours and time off.
		{"GET /staff/setup", staff.ManageClinic, s.setupHome},
		{"GET /staff/setup/clinic", staff.ManageClinic, s.setupShow(clinicDetailsForm)},
		{"POST /staff/setup/clinic", staff.ManageClinic, s.setupSave(clinicDetailsForm)},
		{"GET /staff/setup/{list}/new", staff.ManageClinic, s.setupShow(listForm)},
		{"POST /staff/setup/{list}/new", staff.ManageClinic, s.setupSave(listForm)},
		{"GET /staff/setup/{list}/{id}", staff.ManageClinic, s.setupShow(listForm)},
		{"POST /staff/setup/{list}/{id}", staff.ManageClinic, s.setupSave(listForm)},
		{"POST /staff/setup/{list}/{id}/remove", staff.ManageClinic, s.setupRemove},
		{"GET /staff/setup/therapists/{id}/hours", staff.ManageClinic, s.setupShow(hoursForm)},
		{"POST /staff/setup/therapists/{id}/hours", staff.ManageClinic, s.setupSave(hoursForm)},
		{"GET /staff/hours", staff.OwnSchedule, s.ownTherapist(s.setupShow(hoursForm))},
		{"POST /staff/hours", staff.OwnSchedule, s.ownTherapist(s.setupSave(hoursForm))},
		// A client's home program (program_desk.go), by the plan's id:
		// only the plans shared with the therapist's own bookings.
		{"GET /staff/clients/{id}/program", staff.TreatClients, s.programDesk},
		{"POST /staff/clients/{id}/program", staff.TreatClients, s.programDeskSubmit},
		// Shared clients and the audit of who saw them (clients.go).
		{"GET /staff/clients", staff.SeeClientHealth, s.clientList},
		{"GET /staff/clients/{share}", staff.SeeClientHealth, s.clientView},
		{"GET /staff/clients/{share}/diary.csv", staff.SeeClientHealth, s.clientDiaryCSV},
		{"GET /staff/audit", staff.ReadAudit, s.auditLog},
	}
}

// deskRoutes registers deskTable, each route behind its check.
func (s *Server) deskRoutes(mux *http.ServeMux) {
	for _, rt := range s.deskTable() {
		mux.Handle(rt.pattern, s.withSession(s.deskAccess(rt.needs, rt.handle)))
	}
}

// deskAccess runs next for a signed-in account whose roles may do
// needs; it sends a visitor without a session to the sign-in page and
// refuses an account without the role (403).
func (s *Server) deskAccess(needs staff.Action, next deskHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions := s.sessions(r)
		id := sessions.GetInt64(r.Context(), sessionUser)
		if id == 0 {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		u, err := s.store.UserByID(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			sessions.Destroy(r.Context())
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if !staff.Can(u.Roles, needs) {
			s.render(w, r, http.StatusForbidden, "error.html", errorPage{
				Title:   "Not for your account",
				Message: "Your account may not do this: " + string(needs) + ". Ask the clinic's admin if it should.",
			})
			return
		}
		next(w, r, u)
	})
}
