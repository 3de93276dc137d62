package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/routine"
)

// FeedDays is how many days the calendar feed covers, today included.
const FeedDays = 7

// sessionTimes are the times of day the program's sessions are put in the
// calendar, in minutes after midnight: before work, after a usual working
// day, and in the evening when heat and self-massage fit best.
var sessionTimes = map[string]diary.Clock{
	"morning":   7*60 + 30,
	"workday":   12*60 + 30,
	"afternoon": 17*60 + 30,
	"evening":   20*60 + 30,
}

// Feed is what the calendar of a plan is made from.
type Feed struct {
	Plan       *care.Plan
	Lib        *library.Library
	Key        string // a stable, non-secret name of the plan, the stem of every UID
	ProgramDay int    // today's day of the program, 1–7
	Phase      string // today's phase (diary.Relief, …): strength work waits for diary.Strengthening
	Settings   diary.Settings
	Now        time.Time
	Link       string // the page of today's routine, put in each event; may be empty
	// BreakEvery is the minutes between desk-break reminders that the
	// person picked (BreakChoices), NoBreaks for none, or 0 for the plan's
	// own interval.
	BreakEvery int
}

// NoBreaks in Feed.BreakEvery leaves the desk breaks out of the feed.
const NoBreaks = -1

// BreakChoices are the intervals between desk-break reminders a person may
// pick for the feed, in minutes: enough to keep moving, few enough alarms
// a day that they are not turned off.
var BreakChoices = []int{30, 60}

// Calendar writes an iCalendar feed (RFC 5545, CRLF line ends) of the
// coming FeedDays days in the person's time zone: the routine sessions of
// each program day and, on workdays, a micro-break every
// workday_breaks.every_minutes (or BreakEvery) within the working hours. Every event has a
// reminder (VALARM) and a UID made of Key, the date and what it is, so a
// calendar that subscribes to the feed updates events instead of doubling
// them.
func Calendar(w io.Writer, f Feed) error {
	loc := f.Settings.Location()
	cal := ics.NewCalendarFor("unknot")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("unknot: your routine")
	cal.SetXWRCalName("unknot: your routine")
	cal.SetDescription("Your daily routine and desk breaks for a knot in the neck and upper back.")
	cal.SetRefreshInterval("PT12H")
	cal.SetXPublishedTTL("PT12H")
	if loc != time.UTC {
		cal.SetXWRTimezone(loc.String())
	}

	today := f.Now.In(loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	last := today.AddDate(0, 0, FeedDays)
	if loc != time.UTC {
		cal.AddVTimezone(vtimezone(loc, today, last))
	}
	for i := range FeedDays {
		date := today.AddDate(0, 0, i)
		day := min(f.ProgramDay+i, care.ProgramDays)
		for _, s := range sessions(routine.Today(f.Plan, day, f.Phase, f.Lib)) {
			start := sessionTimes[s.when].On(date)
			ev := f.event(cal, date, s.when, start, roundUp(routine.Total(s.steps), 5*60))
			ev.SetSummary(fmt.Sprintf("unknot: %s routine (day %d)", s.when, day))
			ev.SetDescription(describe(s.steps, f.Plan.From, f.Link))
			alarm(ev, "-PT5M", fmt.Sprintf("Your %s routine starts in 5 minutes.", s.when))
		}
		b := f.Plan.Daily.WorkdayBreaks
		if b == nil || b.EveryMinutes <= 0 || f.BreakEvery < 0 || !f.Settings.IsWorkday(date.Weekday()) {
			continue
		}
		every := time.Duration(b.EveryMinutes) * time.Minute
		if f.BreakEvery > 0 {
			every = time.Duration(f.BreakEvery) * time.Minute
		}
		end := f.Settings.WorkEnd.On(date)
		length := time.Duration(max(b.Minutes, 1)) * time.Minute
		for at := f.Settings.WorkStart.On(date).Add(every); !at.Add(length).After(end); at = at.Add(every) {
			ev := f.event(cal, date, "break-"+at.Format("1504"), at, int(length/time.Second))
			ev.SetSummary(fmt.Sprintf("Desk break: %d minute%s", b.Minutes, plural(b.Minutes)))
			ev.SetDescription("Stand up and move: " + itemList(f.Lib, b.Items) + ".")
			alarm(ev, "PT0M", "Time for a short desk break.")
		}
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

// event adds an event of seconds length at start, with a UID from the
// plan's key, the date and what.
func (f Feed) event(cal *ics.Calendar, date time.Time, what string, start time.Time, seconds int) *ics.VEvent {
	ev := cal.AddEvent(fmt.Sprintf("%s-%s-%s@unknot", f.Key, date.Format("20060102"), what))
	ev.SetDtStampTime(f.Now)
	setTime(ev, ics.ComponentPropertyDtStart, start)
	setTime(ev, ics.ComponentPropertyDtEnd, start.Add(time.Duration(seconds)*time.Second))
	ev.SetTimeTransparency(ics.TransparencyTransparent)
	return ev
}

// setTime writes a local time with the zone's TZID, or UTC as such.
func setTime(ev *ics.VEvent, prop ics.ComponentProperty, t time.Time) {
	if t.Location() == time.UTC {
		ev.SetProperty(prop, t.Format("20060102T150405Z"))
		return
	}
	ev.SetProperty(prop, t.Format("20060102T150405"), ics.WithTZID(t.Location().String()))
}

// alarm adds a display reminder at trigger (an RFC 5545 duration relative
// to the start).
func alarm(ev *ics.VEvent, trigger, text string) {
	a := ev.AddAlarm()
	a.SetAction(ics.ActionDisplay)
	a.SetTrigger(trigger)
	a.SetProperty(ics.ComponentPropertyDescription, text)
}

// session is the steps of one time of day.
type session struct {
	when  string
	steps []routine.Step
}

// sessions groups steps by their session, in order.
func sessions(steps []routine.Step) []session {
	var out []session
	for _, s := range steps {
		if len(out) == 0 || out[len(out)-1].when != s.Session {
			out = append(out, session{when: s.Session})
		}
		out[len(out)-1].steps = append(out[len(out)-1].steps, s)
	}
	return out
}

// describe lists a session's exercises with their doses, after whose
// home program it is when from (care.Plan.From) names a therapist.
func describe(steps []routine.Step, from, link string) string {
	var b strings.Builder
	if from != "" {
		b.WriteString("Your home program from " + from + ".\n")
	}
	for _, s := range steps {
		fmt.Fprintf(&b, "• %s: %s\n", s.Name, s.Dose)
	}
	b.WriteString("Move gently and stop if anything makes the pain sharper.")
	if link != "" {
		b.WriteString("\nFollow it step by step: " + link)
	}
	return b.String()
}

// itemList names items with their doses, separated by commas.
func itemList(lib *library.Library, items []care.Item) string {
	names := make([]string, len(items))
	for i, it := range items {
		names[i] = exerciseName(lib, it.Exercise) + " (" + it.Dose() + ")"
	}
	return strings.Join(names, ", ")
}

// exerciseName is the library's name of an exercise, or its id in words.
func exerciseName(lib *library.Library, id string) string {
	if e, ok := lib.Exercise(id); ok {
		return e.Name
	}
	return strings.ReplaceAll(id, "_", " ")
}

// vtimezone describes loc between from and to as RFC 5545 wants for every
// TZID used: one observance for each offset in force in that span, found
// from Go's own zone data.
func vtimezone(loc *time.Location, from, to time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	for t := from; ; {
		local := t.In(loc)
		name, offset := local.Zone()
		start, end := local.ZoneBounds()
		onset, before := "19700101T000000", offset
		if !start.IsZero() {
			_, before = start.Add(-time.Second).In(loc).Zone()
			onset = start.In(time.FixedZone("", before)).Format("20060102T150405")
		}
		obs := ics.ComponentBase{}
		obs.SetProperty(ics.ComponentPropertyDtStart, onset)
		obs.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(before))
		obs.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(offset))
		obs.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
		if local.IsDST() {
			tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: obs})
		} else {
			tz.Components = append(tz.Components, &ics.Standard{ComponentBase: obs})
		}
		if end.IsZero() || !end.Before(to) {
			return tz
		}
		t = end
	}
}

// utcOffset writes seconds east of UTC as ±hhmm.
func utcOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds%3600/60)
}

// roundUp rounds n up to a multiple of step.
func roundUp(n, step int) int { return (n + step - 1) / step * step }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
