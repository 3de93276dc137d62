package clinic

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // zones load even on a machine without tzdata installed
)

// A Date is a calendar date with no time zone, such as 2027-03-29. Hours and
// time off are written against dates, and only a location's zone turns them
// into instants.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t on the wall clock of t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String writes d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// utc is d's midnight in UTC, for calendar arithmetic only.
func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n)) }

// DaysUntil returns how many days e is after d (negative when before).
func (d Date) DaysUntil(e Date) int { return int(e.utc().Sub(d.utc()) / (24 * time.Hour)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.utc().Before(e.utc()) }

// A Clock is a time of day on the wall clock, in minutes after midnight,
// from 0 (00:00) to 1440 (24:00, the end of the day).
type Clock int

// EndOfDay is 24:00, which may end a working range.
const EndOfDay Clock = 24 * 60

// ParseClock reads HH:MM, 00:00 to 23:59, or 24:00 when endOfDay allows it.
func ParseClock(s string, endOfDay bool) (Clock, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, ok1 := twoDigits(s[0:2])
	m, ok2 := twoDigits(s[3:5])
	switch {
	case !ok1 || !ok2 || m > 59:
		return 0, false
	case h == 24 && m == 0 && endOfDay:
		return EndOfDay, true
	case h > 23:
		return 0, false
	}
	return Clock(h*60 + m), true
}

func twoDigits(s string) (int, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return int(s[0]-'0')*10 + int(s[1]-'0'), true
}

// String writes c as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c/60, c%60) }

// A Wall is a date and a time of day on the wall clock, such as
// 2027-03-30T09:00, which names an instant only in a zone.
type Wall struct {
	Date  Date
	Clock Clock
}

// wallLayout is how the clinic file writes a Wall.
const wallLayout = "2006-01-02T15:04"

// ParseWall reads a wall time written YYYY-MM-DDTHH:MM.
func ParseWall(s string) (Wall, error) {
	t, err := time.Parse(wallLayout, s)
	if err != nil {
		return Wall{}, fmt.Errorf("%q is not YYYY-MM-DDTHH:MM", s)
	}
	return Wall{DateOf(t), Clock(t.Hour()*60 + t.Minute())}, nil
}

// String writes w as YYYY-MM-DDTHH:MM.
func (w Wall) String() string { return w.Date.String() + "T" + w.Clock.String() }

// MarshalJSON writes w as YYYY-MM-DDTHH:MM.
func (w Wall) MarshalJSON() ([]byte, error) { return []byte(`"` + w.String() + `"`), nil }

// Before reports whether w is before v.
func (w Wall) Before(v Wall) bool {
	return w.Date.Before(v.Date) || w.Date == v.Date && w.Clock < v.Clock
}

// In returns the instant that w names in loc. A wall time that does not
// exist there that day, because the clocks jump forward over it, means the
// first instant after the jump; one that happens twice, because the clocks
// go back, means its first occurrence. So a working day of 09:00–17:00 stays
// 09:00–17:00 local on both sides of a change, and a range that the change
// cuts into is shortened, never moved.
func (w Wall) In(loc *time.Location) time.Time {
	d := w.Date
	t := time.Date(d.Year, d.Month, d.Day, 0, int(w.Clock), 0, 0, loc)
	// naive is the wall time written as if it were UTC, to compare wall
	// clocks as instants.
	naive := time.Date(d.Year, d.Month, d.Day, 0, int(w.Clock), 0, 0, time.UTC)
	start, end := t.ZoneBounds()
	if got := wallAsUTC(t); !got.Equal(naive) {
		// In a gap: time.Date used one of the two offsets around it. The
		// jump is where t's zone period starts when t landed after it
		// (its wall clock reads later than asked), or ends otherwise.
		if got.After(naive) {
			return start
		}
		return end
	}
	// The wall time exists; it may exist in the zone period before t's
	// too, when the clocks went back at start.
	if !start.IsZero() {
		_, before := start.Add(-time.Nanosecond).Zone()
		if earlier := naive.Add(-time.Duration(before) * time.Second); earlier.Before(start) && wallAsUTC(earlier.In(loc)).Equal(naive) {
			return earlier.In(loc)
		}
	}
	return t
}

// wallAsUTC returns t's wall clock reading as the same reading in UTC.
func wallAsUTC(t time.Time) time.Time {
	_, off := t.Zone()
	return t.UTC().Add(time.Duration(off) * time.Second)
}

// zones caches loaded time zones by name: loading one reads and parses the
// zone database each time.
var zones sync.Map

// Zone returns the IANA time zone called name, such as "Europe/Berlin".
func Zone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" {
		// LoadLocation reads these as UTC and the machine's own zone, which
		// a clinic file must name instead.
		return nil, fmt.Errorf("%q is not an IANA time zone", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone", name)
	}
	zones.Store(name, loc)
	return loc, nil
}
