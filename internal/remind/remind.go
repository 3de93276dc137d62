// Package remind holds the rules of the reminders a person chooses for
// their plan: when the daily routine reminder and the weekly re-check
// reminder are next due, at a local time of day in the person's own time
// zone, and when reminders stop. It does no I/O.
package remind

import (
	"time"

	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/diary"
)

// Kind is what a reminder reminds of.
type Kind string

const (
	Daily  Kind = "daily"  // today's routine
	Weekly Kind = "weekly" // the weekly re-check
)

// DefaultAt is the time of day reminders go when the person picks none.
const DefaultAt diary.Clock = 8 * 60

// Late is how long after its due time a reminder is still worth sending:
// one found later (the server was down) is skipped, and the next one is
// due as usual.
const Late = 3 * time.Hour

// LinkLife is how long the link in a reminder mail (to see and stop the
// reminders) keeps working; every new reminder brings a fresh one.
const LinkLife = 180 * 24 * time.Hour

// NextDaily is the first instant strictly after after whose local time in
// loc is at. Across daylight-saving changes it stays at the local time:
// when at falls in the hour that a spring change skips, it is the end of
// the gap (02:30 becomes 03:00 in Europe/Berlin); when it falls in the hour
// that an autumn change repeats, it is the first of the two, so the
// reminder comes once that day.
func NextDaily(at diary.Clock, loc *time.Location, after time.Time) time.Time {
	l := after.In(loc)
	for i := 0; ; i++ {
		if t := On(at, loc, l.Year(), l.Month(), l.Day()+i); t.After(after) {
			return t
		}
	}
}

// NextWeekly is the first instant strictly after after that is at on a
// local date a whole number of weeks (one or more) after the local date
// of start, when the plan was made: the day of its weekly re-check.
func NextWeekly(start time.Time, at diary.Clock, loc *time.Location, after time.Time) time.Time {
	s := start.In(loc)
	first := time.Date(s.Year(), s.Month(), s.Day(), 12, 0, 0, 0, time.UTC)
	l := after.In(loc)
	today := time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, time.UTC)
	days := int(today.Sub(first) / (24 * time.Hour)) // both at noon UTC: whole days
	week := max(days/7, 1)
	for ; ; week++ {
		d := first.AddDate(0, 0, 7*week)
		if t := On(at, loc, d.Year(), d.Month(), d.Day()); t.After(after) {
			return t
		}
	}
}

// On is the instant of the local time at on the given date in loc (the
// day may overflow, as in time.Date). A time the clocks skip that night
// means the first instant after the jump, one they pass twice its first
// occurrence: the rules of a clinic's hours, and the same code
// (clinic.Wall.In).
func On(at diary.Clock, loc *time.Location, year int, month time.Month, day int) time.Time {
	d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	return clinic.Wall{Date: clinic.DateOf(d), Clock: clinic.Clock(at)}.In(loc)
}

// Stop is why a plan's reminders stop, or "" while they go on.
type Stop string

const (
	Going    Stop = ""
	Deleted  Stop = "deleted"  // the plan was deleted
	Escalate Stop = "escalate" // a re-check found it urgent or an emergency: see someone, not a routine
	Outdated Stop = "outdated" // saved under an earlier version of the self-check, which missed warning signs
	NoPlan   Stop = "no_plan"  // the result has no routine to remind of
)

// Stops says whether the reminders of result, whose current urgency is
// urgency, stop, and why.
func Stops(result *care.Result, urgency string) Stop {
	switch {
	case result == nil:
		return Deleted
	case urgency == care.Urgent || urgency == care.Emergency || result.Urgency == care.Urgent || result.Urgency == care.Emergency:
		return Escalate
	case result.Outdated():
		return Outdated
	case result.Plan == nil:
		return NoPlan
	}
	return Going
}

// Due returns the kinds of reminder due at now given their next due times
// (nil for a reminder not chosen), and of those the ones still worth
// sending: no later than Late after their time. All that are due move on
// to their next time; only those in send are mailed.
func Due(daily, weekly *time.Time, now time.Time) (due, send []Kind) {
	for _, c := range []struct {
		k  Kind
		at *time.Time
	}{{Daily, daily}, {Weekly, weekly}} {
		if c.at != nil && !c.at.After(now) {
			due = append(due, c.k)
			if now.Sub(*c.at) <= Late {
				send = append(send, c.k)
			}
		}
	}
	return due, send
}
