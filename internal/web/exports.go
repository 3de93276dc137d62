package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"unknot/internal/diary"
	"unknot/internal/export"
	"unknot/internal/valid"
)

func (s *Server) handoutPDF(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		from, err := s.clinicContact(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := export.Handout(&buf, s.lib, p.Result, s.cfg.EmergencyNumbers, from); err != nil {
			s.serverError(w, r, err)
			return
		}
		sendFile(w, "application/pdf", "inline", "unknot-plan.pdf", buf.Bytes())
	})
}

func (s *Server) progressPDF(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		entries, err := s.store.Entries(r.Context(), p.Assessment.ID, time.Time{}, time.Time{})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		from, err := s.clinicContact(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		var buf bytes.Buffer
		err = export.ProgressReport(&buf, s.lib, export.ProgressData{
			Result:   p.Result,
			Answers:  p.Assessment.Answers,
			Taken:    p.Assessment.CreatedAt,
			Progress: p.Progress,
			Entries:  entries,
			Rechecks: p.Rechecks,
			Location: p.Loc,
			Now:      p.Now,
			Clinic:   from,
		})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sendFile(w, "application/pdf", "inline", "unknot-progress.pdf", buf.Bytes())
	})
}

func (s *Server) diaryCSV(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		entries, err := s.store.Entries(r.Context(), p.Assessment.ID, time.Time{}, time.Time{})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := export.DiaryCSV(&buf, entries, p.Loc); err != nil {
			s.serverError(w, r, err)
			return
		}
		sendFile(w, "text/csv; charset=utf-8; header=present", "attachment", "unknot-diary.csv", buf.Bytes())
	})
}

// calendarICS is the plan's calendar feed. Working hours and days come from
// the plan's settings, or from ?start=09:00&end=17:00&days=mon,tue,… when
// given, and desk breaks from ?breaks=30, 60 or none (the plan's own
// interval when not given); bad values are answered 400 with one line per
// problem.
func (s *Server) calendarICS(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		settings, errs := calendarSettings(p.Settings, r.URL.Query())
		every, berrs := calendarBreaks(r.URL.Query())
		if errs = append(errs, berrs...); len(errs) > 0 {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			for _, e := range errs {
				fmt.Fprintf(w, "%s: %s\n", e.Field, e.Message)
			}
			return
		}
		if p.Result.Outdated() {
			http.Error(w, outdatedSays, http.StatusGone) // no reminders for a plan that missed warning signs
			return
		}
		if p.Result.Plan == nil {
			s.notFound(w, r) // no routine to remind of: the result calls for a doctor
			return
		}
		key := sha256.Sum256(append([]byte("unknot calendar "), p.Assessment.TokenHash...))
		var buf bytes.Buffer
		err := export.Calendar(&buf, export.Feed{
			Plan:       p.Result.Plan,
			Lib:        s.lib,
			Key:        hex.EncodeToString(key[:10]),
			ProgramDay: p.Progress.ProgramDay,
			Phase:      p.Progress.Phase,
			Settings:   settings,
			Now:        p.Now,
			Link:       s.absoluteURL("/plan/" + p.Token + "/today"),
			BreakEvery: every,
		})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		sendFile(w, "text/calendar; charset=utf-8", "inline", "unknot.ics", buf.Bytes())
	})
}

// calendarSettings applies the working hours and days of the query to the
// plan's settings: start and end as HH:MM, days as names (mon,tue,… or
// repeated days=mon&days=tue).
func calendarSettings(s diary.Settings, q url.Values) (diary.Settings, valid.Errors) {
	var errs valid.Errors
	for _, f := range []struct {
		name string
		dst  *diary.Clock
	}{{"start", &s.WorkStart}, {"end", &s.WorkEnd}} {
		if v := q.Get(f.name); v != "" {
			c, err := diary.ParseClock(v)
			if err != nil {
				errs.Add(f.name, "must be a time of day such as 09:00")
				continue
			}
			*f.dst = c
		}
	}
	if q.Has("days") {
		var names []string
		for _, v := range q["days"] {
			for _, name := range strings.Split(v, ",") {
				if name = strings.TrimSpace(name); name != "" {
					names = append(names, name)
				}
			}
		}
		days, err := diary.ParseWeekdays(names)
		if err != nil {
			errs.Add("days", "must be days such as mon,tue,wed,thu,fri")
		}
		s.WorkDays = days
	}
	if len(errs) == 0 && s.WorkEnd <= s.WorkStart {
		errs.Add("end", "must be later than start")
	}
	return s, errs
}

// sendFile answers with a whole file (withPlan has made it private).
func sendFile(w http.ResponseWriter, contentType, disposition, name string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", disposition+`; filename="`+name+`"`)
	w.Write(body)
}
