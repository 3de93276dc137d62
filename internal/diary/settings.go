package diary

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"unknot/internal/valid"
)

// Settings are a plan's personal settings: the time zone its days are
// counted in, and the working hours and days between which desk
// micro-break reminders go off.
type Settings struct {
	TimeZone  string         `json:"time_zone"` // IANA name; "" until the person sets it
	WorkStart Clock          `json:"work_start"`
	WorkEnd   Clock          `json:"work_end"`
	WorkDays  []time.Weekday `json:"work_days"` // sorted, Sunday first
}

// DefaultSettings are the settings of a plan nobody has set yet: days in
// UTC, working hours 09:00–17:00 Monday to Friday.
func DefaultSettings() Settings {
	return Settings{
		WorkStart: 9 * 60,
		WorkEnd:   17 * 60,
		WorkDays:  []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday},
	}
}

// Location is the time zone the plan's days are counted in: the one set,
// or UTC when none is (or the name is no longer known to this system).
func (s Settings) Location() *time.Location {
	if s.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// IsWorkday reports whether d is one of the working days.
func (s Settings) IsWorkday(d time.Weekday) bool { return slices.Contains(s.WorkDays, d) }

// Validate checks the settings, naming each problem by its field.
func (s Settings) Validate() valid.Errors {
	var es valid.Errors
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil || s.TimeZone == "Local" || strings.HasPrefix(s.TimeZone, "/") {
			es.Add("time_zone", "must be a time zone name such as Europe/Berlin or America/New_York")
		}
	}
	if !s.WorkStart.Valid() {
		es.Add("work_start", "must be a time between 00:00 and 23:59")
	}
	if !s.WorkEnd.Valid() {
		es.Add("work_end", "must be a time between 00:00 and 23:59")
	}
	if s.WorkStart.Valid() && s.WorkEnd.Valid() && s.WorkEnd <= s.WorkStart {
		es.Add("work_end", "must be later than the start of the working day")
	}
	for i, d := range s.WorkDays {
		if d < time.Sunday || d > time.Saturday {
			es.Add(fmt.Sprintf("work_days[%d]", i), "must be a day of the week")
		} else if slices.Contains(s.WorkDays[:i], d) {
			es.Add(fmt.Sprintf("work_days[%d]", i), "repeats an earlier day")
		}
	}
	return es
}

// Clock is a time of day in minutes after midnight.
type Clock int

// ParseClock reads a time of day written HH:MM (24-hour).
func ParseClock(s string) (Clock, error) {
	digit := func(i int) int { return int(s[i] - '0') }
	if len(s) != 5 || s[2] != ':' || strings.Trim(s[:2]+s[3:], "0123456789") != "" {
		return 0, fmt.Errorf("time of day %q: want HH:MM", s)
	}
	h, m := digit(0)*10+digit(1), digit(3)*10+digit(4)
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("time of day %q: want HH:MM between 00:00 and 23:59", s)
	}
	return Clock(h*60 + m), nil
}

// Valid reports whether c is a time of day, 00:00 to 23:59.
func (c Clock) Valid() bool { return c >= 0 && c < 24*60 }

// String writes c as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// On returns the time c on the day of t, in t's location.
func (c Clock) On(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, int(c)/60, int(c)%60, 0, 0, t.Location())
}

// MarshalText writes c as HH:MM, so JSON exports read naturally.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// Weekday names as forms, query strings and the store write them.
var weekdayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseWeekdays reads days written as "mon,tue,…" (any order, sorted on
// return).
func ParseWeekdays(list []string) ([]time.Weekday, error) {
	var out []time.Weekday
	for _, name := range list {
		i := slices.Index(weekdayNames[:], strings.ToLower(strings.TrimSpace(name)))
		if i < 0 {
			return nil, fmt.Errorf("day %q: want one of %s", name, strings.Join(weekdayNames[:], ", "))
		}
		if !slices.Contains(out, time.Weekday(i)) {
			out = append(out, time.Weekday(i))
		}
	}
	slices.Sort(out)
	return out, nil
}

// WeekdayNames writes days as ParseWeekdays reads them.
func WeekdayNames(days []time.Weekday) []string {
	out := make([]string, 0, len(days))
	for _, d := range days {
		if d >= time.Sunday && d <= time.Saturday {
			out = append(out, weekdayNames[d])
		}
	}
	return out
}
