package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"unknot/internal/remind"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// apiReminder is the API's view of a plan's reminders.
type apiReminder struct {
	Email     string     `json:"email"`
	At        string     `json:"at"`        // HH:MM
	TimeZone  string     `json:"time_zone"` // IANA
	Daily     bool       `json:"daily"`
	Weekly    bool       `json:"weekly"`
	DailyDue  *time.Time `json:"daily_due,omitempty"`
	WeeklyDue *time.Time `json:"weekly_due,omitempty"`
}

func toAPIReminder(r *store.Reminder) apiReminder {
	return apiReminder{Email: r.Email, At: r.At.String(), TimeZone: r.TimeZone, Daily: r.Daily(), Weekly: r.Weekly(), DailyDue: r.DailyDue, WeeklyDue: r.WeeklyDue}
}

// apiReminders is GET /api/v1/plans/{token}/reminders: 404 naming
// "reminders" when none are set.
func (s *Server) apiReminders(w http.ResponseWriter, r *http.Request) {
	s.withAPIPlan(w, r, func(p *planDiary) {
		rem, err := s.reminders().ReminderByToken(r.Context(), p.Assessment.TokenHash)
		if errors.Is(err, store.ErrNotFound) {
			writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "reminders", Message: "none are set for this plan"}})
			return
		}
		if err != nil {
			s.apiServerError(w, r, "reminders", remindersFailed, err)
			return
		}
		writeJSON(w, http.StatusOK, toAPIReminder(rem))
	})
}

// parseReminderJSON reads {"email","at","time_zone","daily","weekly"}
// strictly, with the page's checks.
func parseReminderJSON(body []byte) (reminderForm, error) {
	var (
		f  reminderForm
		rd valid.Reader
	)
	body, err := valid.Document("body", body)
	if err != nil {
		return f, err
	}
	rd.Object("", body, func(name, path string, v json.RawMessage) bool {
		switch name {
		case "email":
			f.Email = rd.String(path, v, "must be a string")
		case "at":
			f.At = rd.String(path, v, "must be a string such as 07:30")
		case "time_zone":
			f.Zone = rd.String(path, v, "must be a string such as Europe/Berlin")
		case "daily":
			f.Daily = rd.Bool(path, v)
		case "weekly":
			f.Weekly = rd.Bool(path, v)
		default:
			return false
		}
		return true
	})
	if len(rd.Errors) == 0 {
		_, errs := parseReminder(f)
		rd.Merge(errs)
	}
	if len(rd.Errors) > 0 {
		return f, rd.Errors
	}
	return f, nil
}

// apiSetReminders is PUT /api/v1/plans/{token}/reminders: 409 when the
// plan's reminders have stopped for good (remind.Stops).
func (s *Server) apiSetReminders(w http.ResponseWriter, r *http.Request) {
	f, ok := readJSON(w, r, parseReminderJSON)
	if !ok {
		return
	}
	s.withAPIPlan(w, r, func(p *planDiary) {
		if stop := remind.Stops(&p.Result, p.Assessment.Urgency); stop != remind.Going {
			writeErrors(w, http.StatusConflict, valid.Errors{{Field: "plan", Message: "gets no reminders (" + string(stop) + ")"}})
			return
		}
		choice, _ := parseReminder(f)
		rem, err := s.reminders().SetReminder(r.Context(), p.Assessment.TokenHash, choice, time.Now())
		if errors.Is(err, store.ErrTooMany) {
			writeErrors(w, http.StatusBadRequest, valid.Errors{{Field: "email", Message: "already gets the reminders of several plans"}})
			return
		}
		if err != nil {
			s.apiServerError(w, r, "reminders", remindersFailed, err)
			return
		}
		writeJSON(w, http.StatusOK, toAPIReminder(rem))
	})
}

// remindersFailed is the API's message when reminders could not be read
// or saved.
const remindersFailed = "could not be read or saved; please try again"

// apiDeleteReminders is DELETE /api/v1/plans/{token}/reminders: the
// reminders stop and the address is forgotten; 204 even when none were set.
func (s *Server) apiDeleteReminders(w http.ResponseWriter, r *http.Request) {
	s.withAPIPlan(w, r, func(p *planDiary) {
		if err := s.reminders().DeleteReminder(r.Context(), p.Assessment.TokenHash); err != nil {
			s.apiServerError(w, r, "reminders", remindersFailed, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}
