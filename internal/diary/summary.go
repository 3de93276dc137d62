package diary

import (
	"slices"
	"time"
)

// DayCount is one calendar day of the diary in the person's time zone,
// counted but not yet averaged: what Assess needs of a day's entries. The
// store sums a long diary up this way in SQL (see OffsetSpans), so that a
// page reads a row a day instead of every entry; Count does the same from
// entries in memory.
type DayCount struct {
	Day      int  // calendar day, counted from 1970-01-01 (see dayNumber)
	Entries  int  // entries that day
	Scored   int  // of them, with a pain score
	PainSum  int  // the sum of those scores
	Adherent bool // home care was logged
	Routine  bool // a guided routine was finished
}

// Summary is what Assess reads of a diary: the days with entries and the
// latest pain score logged since the plan began.
type Summary struct {
	Days       []DayCount // oldest first
	LatestPain int        // NoScore when none was logged
	LatestAt   time.Time  // when LatestPain was logged; zero with none
}

// Summarize sums entries (in any order) up for Assess at now, for the plan
// that began at planStart, counting days in loc.
func Summarize(entries []Entry, planStart time.Time, loc *time.Location, now time.Time) Summary {
	s := Summary{Days: Count(entries, loc), LatestPain: NoScore}
	for _, e := range entries {
		if e.Scored() && !e.At.Before(planStart) && !e.At.After(now) && !e.At.Before(s.LatestAt) {
			s.LatestPain, s.LatestAt = e.Pain, e.At
		}
	}
	return s
}

// RoutineOn reports whether a guided routine was finished on the calendar
// day of t in loc.
func (s Summary) RoutineOn(t time.Time, loc *time.Location) bool {
	day := dayNumber(t, loc)
	for i := len(s.Days) - 1; i >= 0 && s.Days[i].Day >= day; i-- {
		if s.Days[i].Day == day {
			return s.Days[i].Routine
		}
	}
	return false
}

// Count sums entries (in any order) up by calendar day in loc, oldest
// first; days without entries are left out.
func Count(entries []Entry, loc *time.Location) []DayCount {
	// Sorting (day, index) keys groups the entries by day without a map.
	keys := make([]int64, len(entries))
	for i, e := range entries {
		keys[i] = int64(dayNumber(e.At, loc))<<32 | int64(i)
	}
	slices.Sort(keys)
	var out []DayCount
	for j := 0; j < len(keys); {
		d := DayCount{Day: int(keys[j] >> 32)}
		for ; j < len(keys) && int(keys[j]>>32) == d.Day; j++ {
			e := &entries[keys[j]&(1<<32-1)]
			d.Entries++
			if e.Scored() {
				d.Scored++
				d.PainSum += e.Pain
			}
			d.Adherent = d.Adherent || e.Adherent()
			d.Routine = d.Routine || e.Routine
		}
		out = append(out, d)
	}
	return out
}

// DailyOf turns day counts (oldest first) into the daily stats Assess and
// the chart read, each dated midnight in loc.
func DailyOf(days []DayCount, loc *time.Location) []DayStat {
	if len(days) == 0 {
		return nil
	}
	out := make([]DayStat, len(days))
	for i, d := range days {
		out[i] = DayStat{Date: dateOf(d.Day, loc), Scored: d.Scored, Entries: d.Entries, Adherent: d.Adherent}
		if d.Scored > 0 {
			out[i].MeanPain = float64(d.PainSum) / float64(d.Scored)
		}
	}
	return out
}

// OffsetSpan is a stretch of time from From (Unix seconds) on in which a
// time zone keeps one offset from UTC, Offset seconds east. Within it, the
// calendar day of an instant u is (u + Offset) / 86400 days after
// 1970-01-01, which a database can compute without knowing time zones.
type OffsetSpan struct {
	From   int64
	Offset int
}

// OffsetSpans are the spans of loc's offsets that cover from…to, in
// order; the first begins at or before from, the last lasts past to.
func OffsetSpans(loc *time.Location, from, to time.Time) []OffsetSpan {
	if loc == nil {
		loc = time.UTC
	}
	t := from.In(loc)
	_, off := t.Zone()
	spans := []OffsetSpan{{From: from.Unix(), Offset: off}}
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(to) {
			return spans
		}
		t = end.In(loc)
		if _, off := t.Zone(); off != spans[len(spans)-1].Offset {
			spans = append(spans, OffsetSpan{From: end.Unix(), Offset: off})
		}
	}
}

// MergeDays adds the day counts more to days, both oldest first, into a
// new slice, oldest first: a day in both is counted once with both sums.
func MergeDays(days, more []DayCount) []DayCount {
	out := make([]DayCount, 0, len(days)+len(more))
	i, j := 0, 0
	for i < len(days) || j < len(more) {
		switch {
		case j == len(more) || i < len(days) && days[i].Day < more[j].Day:
			out = append(out, days[i])
			i++
		case i == len(days) || more[j].Day < days[i].Day:
			out = append(out, more[j])
			j++
		default:
			d, m := days[i], more[j]
			d.Entries += m.Entries
			d.Scored += m.Scored
			d.PainSum += m.PainSum
			d.Adherent = d.Adherent || m.Adherent
			d.Routine = d.Routine || m.Routine
			out = append(out, d)
			i, j = i+1, j+1
		}
	}
	return out
}
