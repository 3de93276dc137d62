package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// invitePage is the data of staff_invite.html: an admin's form to invite
// a therapist of the clinic by email.
type invitePage struct {
	User   *store.User
	Email  string
	Errors valid.Errors
	Sent   bool
}

func (s *Server) inviteForm(w http.ResponseWriter, r *http.Request, u *store.User) {
	s.render(w, r, http.StatusOK, "staff_invite.html", invitePage{User: u, Sent: r.URL.Query().Get("sent") == "1"})
}

// inviteTherapist sends the clinic's therapist with the email typed a
// one-time link to set their password (staff.InvitationValid). The
// invitation and its mail are saved together (store.CreateInvitation).
func (s *Server) inviteTherapist(w http.ResponseWriter, r *http.Request, u *store.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	page := invitePage{User: u, Email: r.PostForm.Get("email")}
	email, err := staff.NormalizeEmail(page.Email)
	if err != nil {
		page.Errors.Add("email", "Please type one email address, such as ana@clinic.example.")
		s.render(w, r, http.StatusBadRequest, "staff_invite.html", page)
		return
	}
	if !s.accounts.invites.allow(r.Context(), strconv.FormatInt(u.ID, 10)) {
		w.Header().Set("Retry-After", "60")
		page.Errors.Add("email", "You have sent many invitations in a short time. Please wait a minute and try again.")
		s.render(w, r, http.StatusTooManyRequests, "staff_invite.html", page)
		return
	}
	token, hash := secret.NewToken()
	link := s.baseURL + "/staff/welcome/" + token
	err = s.store.CreateInvitation(r.Context(), store.Invite{
		Email: email, InvitedBy: u.ID, TokenHash: hash,
		Compose: func(name string) (*mail.Message, error) { return invitationMail(email, name, link) },
	})
	switch {
	case errors.Is(err, store.ErrNoTherapist):
		page.Errors.Add("email", "No therapist of the clinic has this email. Add them to the clinic first, or check the address.")
	case errors.Is(err, store.ErrConflict):
		page.Errors.Add("email", "This email already has an account.")
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		http.Redirect(w, r, "/staff/invitations?sent=1", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusBadRequest, "staff_invite.html", page)
}

// invitationMail invites the therapist called name to set their password
// at link.
func invitationMail(to, name, link string) (*mail.Message, error) {
	l := &mail.Letter{
		Greeting: "Hi " + name + ",",
		Before: []string{
			"The clinic has made you an account on its unknot desk, where you will see your day, " +
				"the clients who shared their self-check with you, and their home programs.",
			"Choose your password to sign in:",
		},
		Button: &mail.Link{Label: "Choose my password", URL: link},
		After: []string{
			fmt.Sprintf("The link works once, for %d hours. If it has expired, ask the clinic's admin for a new one.", int(staff.InvitationValid.Hours())),
			"Not expecting this? Then you do not need to do anything; without a click on the link no account is opened.",
		},
		SignOff: signOff,
		Footer:  []string{"You get this email because an admin of the clinic invited this address."},
	}
	return l.Message(mail.KindInvitation, to, "Your account on the clinic's desk")
}

// welcomePage is the data of staff_welcome.html: the form that sets an
// invited therapist's password, or why the link no longer works
// (Problem: "unknown", "used" or "expired").
type welcomePage struct {
	Token   string
	Email   string
	Problem string
	Errors  valid.Errors
}

// invitation finds the invitation of the link in r's path at now, or
// renders why it no longer works and returns false.
func (s *Server) invitation(w http.ResponseWriter, r *http.Request, now time.Time) (string, *store.Invitation, bool) {
	token := r.PathValue("token")
	var inv *store.Invitation
	err := store.ErrNotFound
	if secret.Valid(token) {
		inv, err = s.store.InvitationByToken(r.Context(), secret.Hash(token))
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.invitationGone(w, r, store.ErrNotFound)
	case err != nil:
		s.serverError(w, r, err)
	case inv.Used:
		s.invitationGone(w, r, store.ErrInvitationUsed)
	case !now.Before(inv.ExpiresAt):
		s.invitationGone(w, r, store.ErrInvitationExpired)
	default:
		return token, inv, true
	}
	return "", nil, false
}

// invitationGone renders the page of a link that no longer works because
// of err (store.ErrNotFound, ErrInvitationUsed or ErrInvitationExpired).
func (s *Server) invitationGone(w http.ResponseWriter, r *http.Request, err error) {
	page := welcomePage{Problem: "unknown"}
	status := http.StatusNotFound
	switch {
	case errors.Is(err, store.ErrInvitationUsed):
		page.Problem, status = "used", http.StatusGone
	case errors.Is(err, store.ErrInvitationExpired):
		page.Problem, status = "expired", http.StatusGone
	}
	s.render(w, r, status, "staff_welcome.html", page)
}

func (s *Server) welcomeForm(w http.ResponseWriter, r *http.Request) {
	token, inv, ok := s.invitation(w, r, time.Now())
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "staff_welcome.html", welcomePage{Token: token, Email: inv.Email})
}

// welcome sets the invited therapist's password, which opens their
// account, and signs them in.
func (s *Server) welcome(w http.ResponseWriter, r *http.Request) {
	if !s.accounts.welcomes.allow(r.Context(), clientIP(r)) {
		w.Header().Set("Retry-After", "60")
		http.Error(w, "Too many attempts from your address. Please wait a minute and try again.", http.StatusTooManyRequests)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	token, inv, ok := s.invitation(w, r, time.Now())
	if !ok {
		return
	}
	password := r.PostForm.Get("password")
	page := welcomePage{Token: token, Email: inv.Email}
	if problem := staff.PasswordProblem(password); problem != "" {
		page.Errors.Add("password", "The password "+problem+".")
	} else if password != r.PostForm.Get("again") {
		page.Errors.Add("again", "The two passwords differ. Please type the same one twice.")
	}
	if len(page.Errors) > 0 {
		s.render(w, r, http.StatusBadRequest, "staff_welcome.html", page)
		return
	}
	u, err := s.store.AcceptInvitation(r.Context(), secret.Hash(token), staff.HashPassword(password, staff.DefaultParams), time.Now())
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvitationUsed), errors.Is(err, store.ErrInvitationExpired):
		s.invitationGone(w, r, err)
		return
	case errors.Is(err, store.ErrConflict):
		page.Errors.Add("password", "This email already has an account. Please sign in instead.")
		s.render(w, r, http.StatusConflict, "staff_welcome.html", page)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if err := s.signIn(r, u); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.rememberBrowser(w, r, u.Email, time.Now())
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}
