package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/routine"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// maxSpeed bounds the ?speed= of the routine page: tests run the timer up
// to this many times faster than real time.
const maxSpeed = 100

// planDiary is a saved plan with what its pages show of the diary and
// where it stands today.
type planDiary struct {
	*store.PlanDiary
	Token    string
	Result   care.Result
	Answers  care.Answers
	Progress diary.Progress
	Loc      *time.Location
	Now      time.Time
}

// loadPlanDiary reads the plan behind a private link with its diary summed
// up and its latest entries (never every entry: see store.PlanDiary), and
// assesses its progress at now in the person's time zone; a therapist's
// home program takes the routine's place (followProgram). A token of the
// wrong shape is not found without asking the database. The saved result
// and answers are decoded leniently, once, never parsed as new answers:
// those of an earlier contract version read as they were saved (their
// warning signs, named differently, are left out of Answers; see
// Result.Outdated).
func (s *Server) loadPlanDiary(r *http.Request, token string) (*planDiary, error) {
	if !secret.Valid(token) {
		return nil, store.ErrNotFound
	}
	now := time.Now()
	x, err := s.store.PlanDiary(r.Context(), secret.Hash(token), recentEntries, now)
	if err != nil {
		return nil, err
	}
	return newPlanDiary(x, token, now)
}

// newPlanDiary decodes the plan x read at now, reached by token (empty
// on the clinic's side), and assesses its progress, as loadPlanDiary
// says.
func newPlanDiary(x *store.PlanDiary, token string, now time.Time) (*planDiary, error) {
	p := &planDiary{PlanDiary: x, Token: token, Loc: x.Settings.Location(), Now: now}
	var err error
	if p.Answers, p.Result, err = decodePlan(x.Assessment); err != nil {
		return nil, err
	}
	planStart := x.Assessment.CreatedAt
	started := planStart.AddDate(0, 0, -p.Answers.DurationDays)
	p.Progress = diary.AssessSummary(started, planStart, x.Summary, x.Rechecks, p.Loc, p.Now)
	followProgram(p)
	return p, nil
}

// routineDoneToday reports whether a routine was finished today, counted
// in the person's time zone.
func (p *planDiary) routineDoneToday() bool { return p.Summary.RoutineOn(p.Now, p.Loc) }

// todayPage is the data of the guided routine page.
type todayPage struct {
	Token     string
	Result    care.Result
	Day       int // of the program shown
	Today     int // the program day it is today
	Phase     string
	Focus     string
	Steps     []routine.Step
	Minutes   int
	Speed     int // how many times faster than real time the timer runs (tests)
	DoneToday bool
	// StrengthLater is true when the day has strength work that waits
	// until pain has fallen to StrengthMaxPain or below.
	StrengthLater bool
	Errors        valid.Errors
}

// StrengthMaxPain is the pain score at or below which strengthening is
// done, the same everywhere.
func (todayPage) StrengthMaxPain() int { return care.StrengthMaxPain }

// todayPage lays out the routine of program day of p, in today's phase.
func (s *Server) todayPage(p *planDiary, day int) todayPage {
	page := todayPage{Token: p.Token, Result: p.Result, Day: day, Today: p.Progress.ProgramDay, Phase: p.Progress.Phase, Speed: 1, DoneToday: p.routineDoneToday()}
	if plan := p.Result.Plan; plan != nil {
		page.Steps = routine.Today(plan, page.Day, page.Phase, s.lib)
		if page.Day <= len(plan.Days) {
			d := plan.Days[page.Day-1]
			page.Focus = d.Focus
			page.StrengthLater = page.Phase != diary.Strengthening && slices.ContainsFunc(d.Sessions, func(sess care.Session) bool {
				return slices.ContainsFunc(sess.Items, func(it care.Item) bool {
					e, ok := s.lib.Exercise(it.Exercise)
					return ok && e.Kind == library.Strength
				})
			})
		}
		page.Minutes = (routine.Total(page.Steps) + 59) / 60
	}
	return page
}

// today shows today's routine: one exercise at a time with a timer when
// JavaScript runs, and the whole list with a done button when it does not.
// ?day=1…7 shows another day of the program instead (to catch up or look
// ahead); ?speed= runs the timer faster, for tests.
func (s *Server) today(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		q := r.URL.Query()
		var errs valid.Errors
		day := queryInt(&errs, q, "day", 1, care.ProgramDays, p.Progress.ProgramDay)
		speed := queryInt(&errs, q, "speed", 1, maxSpeed, 1)
		page := s.todayPage(p, day)
		page.Speed = speed
		if len(errs) > 0 {
			page.Errors = errs
			s.render(w, r, http.StatusBadRequest, "today.html", page)
			return
		}
		s.render(w, r, http.StatusOK, "today.html", page)
	})
}

// queryInt reads the whole number q[name] between lo and hi, or def when it
// is not given; a bad value is added to errs.
func queryInt(errs *valid.Errors, q url.Values, name string, lo, hi, def int) int {
	v := q.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		errs.Add(name, "must be a whole number from "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
		return def
	}
	return n
}

// todayDone logs a finished routine in the diary: adherence for today,
// with the exercises done. Bad input shows the routine again with the
// problems; a plan saved under an earlier version of the self-check is
// refused.
func (s *Server) todayDone(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	s.withPlan(w, r, func(p *planDiary) {
		if s.refuseOutdated(w, r, p.Token, p.Result) {
			return
		}
		if p.Result.Plan == nil {
			http.Redirect(w, r, "/plan/"+p.Token, http.StatusSeeOther)
			return
		}
		entry, errs := routineEntry(p, r.PostForm["day"], r.PostForm["done"])
		if len(errs) > 0 {
			page := s.todayPage(p, p.Progress.ProgramDay)
			page.Errors = errs
			s.render(w, r, http.StatusBadRequest, "today.html", page)
			return
		}
		if err := s.store.AddEntry(r.Context(), p.Assessment.ID, &entry); s.failed(w, r, err) {
			return
		}
		http.Redirect(w, r, "/plan/"+p.Token+"/today#finished", http.StatusSeeOther)
	})
}

// routineEntry builds the diary entry of a finished routine from the form:
// the program day (1–7) and the exercises done, each of which must be in
// the plan; an exercise ticked twice counts once.
func routineEntry(p *planDiary, days, done []string) (diary.Entry, valid.Errors) {
	var errs valid.Errors
	day := 0
	if len(days) != 1 {
		errs.Add("day", "is required")
	} else if n, err := strconv.Atoi(days[0]); err != nil || n < 1 || n > care.ProgramDays {
		errs.Add("day", "must be a whole number from 1 to "+strconv.Itoa(care.ProgramDays))
	} else {
		day = n
	}
	var ids []string
	for i, id := range done {
		switch {
		case !slices.Contains(p.Result.Plan.Exercises, id):
			errs.Add("done["+strconv.Itoa(i)+"]", "is not an exercise of your plan")
		case !slices.Contains(ids, id):
			ids = append(ids, id)
		}
	}
	if len(errs) > 0 {
		return diary.Entry{}, errs
	}
	e := diary.RoutineEntry(p.Now, day, ids)
	if es := e.Validate(p.Now); len(es) > 0 {
		return diary.Entry{}, es
	}
	return e, nil
}
