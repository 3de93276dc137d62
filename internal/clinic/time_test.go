package clinic

import (
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := Zone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// Wall times resolve to instants as the contract says: a time the clocks
// jump over means the first instant after the jump, a time that happens
// twice means its first occurrence.
func TestWallIn(t *testing.T) {
	for _, c := range []struct {
		zone, wall string
		want       string // RFC 3339
	}{
		{"Europe/Berlin", "2027-03-27T09:00", "2027-03-27T09:00:00+01:00"},
		{"Europe/Berlin", "2027-03-28T09:00", "2027-03-28T09:00:00+02:00"},
		{"Europe/Berlin", "2027-03-28T01:59", "2027-03-28T01:59:00+01:00"},
		{"Europe/Berlin", "2027-03-28T02:00", "2027-03-28T03:00:00+02:00"}, // jumped over
		{"Europe/Berlin", "2027-03-28T02:30", "2027-03-28T03:00:00+02:00"},
		{"Europe/Berlin", "2027-03-28T03:00", "2027-03-28T03:00:00+02:00"},
		{"Europe/Berlin", "2027-10-31T01:59", "2027-10-31T01:59:00+02:00"},
		{"Europe/Berlin", "2027-10-31T02:00", "2027-10-31T02:00:00+02:00"}, // twice: the first
		{"Europe/Berlin", "2027-10-31T02:30", "2027-10-31T02:30:00+02:00"},
		{"Europe/Berlin", "2027-10-31T03:00", "2027-10-31T03:00:00+01:00"},
		{"Europe/Berlin", "2027-10-31T17:00", "2027-10-31T17:00:00+01:00"},
		{"America/New_York", "2027-03-14T02:30", "2027-03-14T03:00:00-04:00"},
		{"America/New_York", "2027-03-14T13:00", "2027-03-14T13:00:00-04:00"},
		{"America/New_York", "2027-11-07T01:00", "2027-11-07T01:00:00-04:00"},
		{"America/New_York", "2027-11-07T01:59", "2027-11-07T01:59:00-04:00"},
		{"America/New_York", "2027-11-07T02:00", "2027-11-07T02:00:00-05:00"},
		{"Asia/Kolkata", "2027-03-28T02:30", "2027-03-28T02:30:00+05:30"},
		{"UTC", "2027-03-28T02:30", "2027-03-28T02:30:00Z"},
		// Havana's clocks change at midnight, so those dates have no 00:00.
		{"America/Havana", "2027-03-14T00:00", "2027-03-14T01:00:00-04:00"},
		{"America/Havana", "2027-11-07T00:30", "2027-11-07T00:30:00-04:00"},
		{"America/Havana", "2027-11-07T01:00", "2027-11-07T01:00:00-05:00"},
		// 24:00 is the next midnight.
		{"Europe/Berlin", "2027-03-27T24:00", "2027-03-28T00:00:00+01:00"},
	} {
		loc := mustZone(t, c.zone)
		w := wall(t, c.wall)
		got := w.In(loc).Format(time.RFC3339)
		if got != c.want {
			t.Errorf("%s in %s = %s, want %s", c.wall, c.zone, got, c.want)
		}
	}
}

// wall reads YYYY-MM-DDTHH:MM, allowing 24:00.
func wall(t testing.TB, s string) Wall {
	t.Helper()
	d, err := ParseDate(s[:10])
	c, ok := ParseClock(s[11:], true)
	if err != nil || !ok {
		t.Fatalf("bad wall time %q", s)
	}
	return Wall{d, c}
}

// Every wall time of a year, in zones with changes of one hour, half an
// hour and at midnight, resolves to an instant that shows that wall time,
// or, when there is none, to the moment the clocks jumped past it; and no
// earlier instant shows it.
func TestWallInEveryQuarterHour(t *testing.T) {
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Havana", "Asia/Kolkata"} {
		loc := mustZone(t, name)
		d := Date{2027, time.January, 1}
		for range 365 {
			for c := Clock(0); c < EndOfDay; c += 15 {
				w := Wall{d, c}
				got := w.In(loc)
				shown := Wall{DateOf(got), Clock(got.Hour()*60 + got.Minute())}
				if shown == w {
					// No earlier instant within the largest change (2 h)
					// shows the same wall time.
					for back := 15 * time.Minute; back <= 2*time.Hour; back += 15 * time.Minute {
						e := got.Add(-back)
						if (Wall{DateOf(e), Clock(e.Hour()*60 + e.Minute())}) == w {
							t.Fatalf("%s in %s = %s, but %s shows it first", w, name, got, e)
						}
					}
					continue
				}
				// A gap: the instant just before got shows an earlier wall
				// time than w, and got shows a later one.
				prev := got.Add(-time.Minute)
				if !(Wall{DateOf(prev), Clock(prev.Hour()*60 + prev.Minute())}).Before(w) || !w.Before(shown) {
					t.Fatalf("%s in %s = %s, which is not where the clocks jumped over it", w, name, got)
				}
			}
			d = d.AddDays(1)
		}
	}
}

func TestDate(t *testing.T) {
	d, err := ParseDate("2027-02-27")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.AddDays(2).String(); got != "2027-03-01" {
		t.Errorf("AddDays(2) = %s", got)
	}
	if n := d.DaysUntil(Date{2027, time.March, 29}); n != 30 {
		t.Errorf("DaysUntil = %d, want 30", n)
	}
	if d.Weekday() != time.Saturday {
		t.Errorf("Weekday = %v", d.Weekday())
	}
	for _, bad := range []string{"2027-02-30", "27-02-01", "2027-2-1", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded", bad)
		}
	}
}

func TestZone(t *testing.T) {
	for _, bad := range []string{"", "Local", "Mars/Olympus", "../etc/passwd"} {
		if _, err := Zone(bad); err == nil {
			t.Errorf("Zone(%q) succeeded", bad)
		}
	}
	if loc, err := Zone("Asia/Kolkata"); err != nil || loc.String() != "Asia/Kolkata" {
		t.Errorf("Zone(Asia/Kolkata) = %v, %v", loc, err)
	}
}
