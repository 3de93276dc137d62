package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/mail"
	"unknot/internal/remind"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// Reminders is the storage of the reminders a person chooses for their
// plan (store/reminder.go).
type Reminders interface {
	SetReminder(ctx context.Context, tokenHash []byte, choice store.ReminderChoice, now time.Time) (*store.Reminder, error)
	ReminderByToken(ctx context.Context, tokenHash []byte) (*store.Reminder, error)
	ReminderByLink(ctx context.Context, linkHash []byte) (*store.Reminder, error)
	DeleteReminder(ctx context.Context, tokenHash []byte) error
	UnsubscribeReminder(ctx context.Context, linkHash []byte) error
	QueuePlanReminders(ctx context.Context, now time.Time, compose store.PlanReminderMail) (int, error)
}

// kindPlanReminder is the outbox kind of a plan's reminder mail.
const kindPlanReminder = "plan_reminder"

// reminderForm is what the settings form holds, as typed.
type reminderForm struct {
	Email, At, Zone string
	Daily, Weekly   bool
}

// reminderPage is the data of the reminder page, for the plan (Token) or
// for the link in a reminder mail (Link).
type reminderPage struct {
	Token    string
	Link     string
	Reminder *store.Reminder // nil when none are set
	Stop     remind.Stop     // why reminders cannot be set, "" when they can
	Form     reminderForm
	Errors   valid.Errors
	Saved    bool
	Stopped  bool // by this request
	Unknown  bool // the link is too old, or the reminders were stopped before
}

// reminders is the store's reminders.
func (s *Server) reminders() Reminders { return s.store.(Reminders) }

// reminderSettings shows the reminders of a plan with the form to change
// them.
func (s *Server) reminderSettings(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		page, err := s.reminderPage(r, p)
		if s.failed(w, r, err) {
			return
		}
		page.Saved = r.URL.Query().Get("saved") == "1"
		s.render(w, r, http.StatusOK, "reminders.html", page)
	})
}

// reminderPage is the page of p's reminders, its form filled with those
// saved or with the defaults.
func (s *Server) reminderPage(r *http.Request, p *planDiary) (reminderPage, error) {
	page := reminderPage{Token: p.Token, Stop: remind.Stops(&p.Result, p.Assessment.Urgency)}
	rem, err := s.reminders().ReminderByToken(r.Context(), p.Assessment.TokenHash)
	switch {
	case err == nil:
		page.Reminder = rem
		page.Form = reminderForm{Email: rem.Email, At: rem.At.String(), Zone: rem.TimeZone, Daily: rem.Daily(), Weekly: rem.Weekly()}
	case errors.Is(err, store.ErrNotFound):
		page.Form = reminderForm{At: remind.DefaultAt.String(), Zone: p.Settings.TimeZone, Daily: true, Weekly: true}
	default:
		return page, err
	}
	return page, nil
}

// parseReminder checks the form, naming each problem by its field.
func parseReminder(f reminderForm) (store.ReminderChoice, valid.Errors) {
	var (
		c    store.ReminderChoice
		errs valid.Errors
	)
	if addr, err := mail.ParseAddress(f.Email); err != nil {
		errs.Add("email", "must be an email address such as anna@example.com")
	} else {
		c.Email = addr
	}
	if at, err := diary.ParseClock(strings.TrimSpace(f.At)); err != nil {
		errs.Add("at", "must be a time of day such as 07:30")
	} else {
		c.At = at
	}
	zone := strings.TrimSpace(f.Zone)
	if zone == "" {
		errs.Add("time_zone", "is required: your time zone, such as Europe/Berlin")
	} else if es := (diary.Settings{TimeZone: zone}).Validate(); es.For("time_zone") != "" {
		errs.Add("time_zone", "must be a time zone name such as Europe/Berlin or America/New_York")
	} else {
		c.TimeZone = zone
	}
	if !f.Daily && !f.Weekly {
		errs.Add("daily", "choose the daily reminder, the weekly one, or both")
	}
	c.Daily, c.Weekly = f.Daily, f.Weekly
	return c, errs
}

// saveReminder saves the reminders chosen; bad input shows the form again
// with each problem at its field.
func (s *Server) saveReminder(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	s.withPlan(w, r, func(p *planDiary) {
		page, err := s.reminderPage(r, p)
		if s.failed(w, r, err) {
			return
		}
		if page.Stop != remind.Going {
			s.render(w, r, http.StatusConflict, "reminders.html", page)
			return
		}
		f := r.PostForm
		page.Form = reminderForm{Email: f.Get("email"), At: f.Get("at"), Zone: f.Get("time_zone"), Daily: f.Get("daily") != "", Weekly: f.Get("weekly") != ""}
		choice, errs := parseReminder(page.Form)
		if len(errs) == 0 {
			_, err = s.reminders().SetReminder(r.Context(), p.Assessment.TokenHash, choice, time.Now())
			if errors.Is(err, store.ErrTooMany) {
				errs.Add("email", "already gets the reminders of several plans; stop one of them first (the link is in each reminder)")
			} else if s.failed(w, r, err) {
				return
			}
		}
		if len(errs) > 0 {
			page.Errors = errs
			s.render(w, r, http.StatusBadRequest, "reminders.html", page)
			return
		}
		http.Redirect(w, r, "/plan/"+p.Token+"/reminders?saved=1", http.StatusSeeOther)
	})
}

// deleteReminder stops the plan's reminders and forgets the address.
func (s *Server) deleteReminder(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		if s.failed(w, r, s.reminders().DeleteReminder(r.Context(), p.Assessment.TokenHash)) {
			return
		}
		http.Redirect(w, r, "/plan/"+p.Token+"/reminders", http.StatusSeeOther)
	})
}

// reminderFromMail is the page the link in a reminder mail opens: what is
// being sent, and a button to stop it. Opening it changes nothing, so that
// link checkers in mail systems cannot unsubscribe anybody.
func (s *Server) reminderFromMail(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	page := reminderPage{Link: token}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	if secret.Valid(token) {
		rem, err := s.reminders().ReminderByLink(r.Context(), secret.Hash(token))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
		page.Reminder = rem
	}
	page.Unknown = page.Reminder == nil
	s.render(w, r, http.StatusOK, "reminders.html", page)
}

// unsubscribeReminder stops the reminders the link manages and forgets the
// address: the one-click unsubscribe of RFC 8058 (List-Unsubscribe-Post)
// and the button on the mail's page. Stopping twice is fine.
func (s *Server) unsubscribeReminder(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	page := reminderPage{Link: token, Unknown: true}
	if secret.Valid(token) {
		err := s.reminders().UnsubscribeReminder(r.Context(), secret.Hash(token))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
		page.Stopped, page.Unknown = err == nil, err != nil
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "reminders.html", page)
}

// planReminderMail writes a plan's reminder when it is due, or returns nil
// when its reminders stop (remind.Stops). The mail holds no link to the
// plan, only a fresh link that shows and stops the reminders, built from
// the configured base URL.
func (s *Server) planReminderMail(d *store.DueReminder) (*mail.Message, []byte, error) {
	var res care.Result
	if err := json.Unmarshal(d.Result, &res); err != nil {
		return nil, nil, fmt.Errorf("decoding saved result: %w", err)
	}
	if remind.Stops(&res, d.Urgency) != remind.Going {
		return nil, nil, nil
	}
	token, hash := secret.NewToken()
	manage := s.baseURL + "/reminders/" + token
	l := &mail.Letter{Greeting: "Hi,", SignOff: "Take care,\nunknot"}
	subject := "Time for today's routine"
	for _, k := range d.Due {
		switch k {
		case remind.Daily:
			l.Before = append(l.Before, "It is time for today's routine: a few minutes of gentle exercises for your neck and upper back. "+
				"Open your plan from your bookmark or home screen and press Start.")
		case remind.Weekly:
			subject = "Your weekly re-check"
			l.Before = append(l.Before, "It is a week on: time for your weekly re-check. It takes two minutes, shows whether the plan is working, "+
				"and tells you when to see someone. Open your plan and choose the weekly re-check.")
		}
	}
	if len(d.Due) == 2 {
		subject = "Today's routine and your weekly re-check"
	}
	l.After = []string{"Stop at once and see a doctor if you get new numbness, weakness, fever, or pain that wakes you at night."}
	l.Footer = []string{"You get this email because you asked for reminders of your unknot plan at " + d.At.String() + " (" + d.TimeZone + "). " +
		"We keep your address for these reminders only."}
	l.FooterLinks = []mail.Link{{Label: "Change or stop these reminders", URL: manage}}
	m, err := l.Message(kindPlanReminder, d.Email, subject)
	if err != nil {
		return nil, nil, err
	}
	m.SetListUnsubscribe(manage + "/unsubscribe")
	return m, hash, nil
}

// QueuePlanReminders writes the plan reminders due at now into the outbox.
// QueueReminders calls it, so the mail worker's Prepare hook runs it
// before each claim.
func (s *Server) QueuePlanReminders(ctx context.Context, now time.Time) error {
	n, err := s.reminders().QueuePlanReminders(ctx, now, s.planReminderMail)
	if n > 0 {
		s.log.InfoContext(ctx, "plan reminders written", "count", n)
	}
	return err
}
