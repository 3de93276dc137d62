package remind

import (
	"math/rand"
	"testing"
	"testing/quick"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
)

func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNextDailyAcrossDST(t *testing.T) {
	loc := berlin(t)
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		name  string
		at    diary.Clock
		after string
		want  string
	}{
		{"winter, later today", 7*60 + 30, "2026-01-10T05:00:00Z", "2026-01-10T06:30:00Z"},
		{"winter, just passed", 7*60 + 30, "2026-01-10T06:30:00Z", "2026-01-11T06:30:00Z"},
		{"summer", 7*60 + 30, "2026-07-10T04:00:00Z", "2026-07-10T05:30:00Z"},
		// Spring: on 29 March 2026 clocks go from 02:00 CET to 03:00 CEST.
		{"spring, the day before", 7*60 + 30, "2026-03-28T07:00:00Z", "2026-03-29T05:30:00Z"},
		{"spring, in the gap", 2*60 + 30, "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"},
		{"spring, the day after the gap", 2*60 + 30, "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"},
		// Autumn: on 25 October 2026 clocks go from 03:00 CEST back to 02:00 CET.
		{"autumn, the day before", 7*60 + 30, "2026-10-24T06:00:00Z", "2026-10-25T06:30:00Z"},
		{"autumn, the repeated hour comes once", 2*60 + 30, "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"},
		{"autumn, not again in the repeat", 2*60 + 30, "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},
		{"midnight after the change", 0, "2026-10-24T23:00:00Z", "2026-10-25T23:00:00Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := NextDaily(c.at, loc, utc(c.after))
			if want := utc(c.want); !got.Equal(want) {
				t.Errorf("NextDaily(%s, %s) = %s (%s), want %s", c.at, c.after, got.UTC(), got.In(loc), want)
			}
		})
	}
}

// Where the clocks jump at midnight, a time in the skipped hour goes at
// the first instant after the jump on that date, never on the day before.
// America/Santiago moved from 00:00 to 01:00 on 5 September 2027.
func TestNextDailyWhereClocksJumpAtMidnight(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	after := time.Date(2027, 9, 4, 21, 6, 33, 0, time.UTC)
	got := NextDaily(18, loc, after).In(loc)
	if want := time.Date(2027, 9, 5, 1, 0, 0, 0, loc); !got.Equal(want) {
		t.Errorf("00:18 after %s: %s, want %s (the end of the gap)", after, got, want)
	}
}

func TestNextWeekly(t *testing.T) {
	loc := berlin(t)
	// A plan made on Monday 23 March 2026 in the evening, Berlin time.
	start := time.Date(2026, 3, 23, 20, 0, 0, 0, loc)
	at := diary.Clock(9 * 60)
	for _, c := range []struct {
		after, want time.Time
	}{
		{start, time.Date(2026, 3, 30, 9, 0, 0, 0, loc)}, // a week later, across the spring change
		{time.Date(2026, 3, 30, 9, 0, 0, 0, loc), time.Date(2026, 4, 6, 9, 0, 0, 0, loc)},
		{time.Date(2026, 3, 30, 8, 59, 0, 0, loc), time.Date(2026, 3, 30, 9, 0, 0, 0, loc)},
		{time.Date(2026, 4, 2, 0, 0, 0, 0, loc), time.Date(2026, 4, 6, 9, 0, 0, 0, loc)},
		{time.Date(2026, 10, 20, 0, 0, 0, 0, loc), time.Date(2026, 10, 26, 9, 0, 0, 0, loc)},
	} {
		if got := NextWeekly(start, at, loc, c.after); !got.Equal(c.want) {
			t.Errorf("NextWeekly after %s = %s, want %s", c.after, got.In(loc), c.want)
		}
	}
}

// Properties of NextDaily in several zones: it is after after, within a
// day and a bit, at the chosen local time unless that time does not exist
// that day, and no instant between after and it is at the chosen time.
func TestNextDailyProperties(t *testing.T) {
	zones := []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "America/Santiago"}
	var locs []*time.Location
	for _, z := range zones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prop := func(minutes uint16, secs uint32, zone uint8) bool {
		at := diary.Clock(int(minutes) % (24 * 60))
		loc := locs[int(zone)%len(locs)]
		after := base.Add(time.Duration(secs%(2*366*24*3600)) * time.Second)
		next := NextDaily(at, loc, after)
		if !next.After(after) || next.Sub(after) > 26*time.Hour {
			t.Logf("%s %s after %s: %s", loc, at, after, next)
			return false
		}
		l := next.In(loc)
		if diary.Clock(l.Hour()*60+l.Minute()) != at {
			// Only allowed at the end of a gap the time fell in.
			start, _ := next.ZoneBounds()
			if !start.Equal(next) {
				t.Logf("%s %s after %s: %s is neither the time nor a change", loc, at, after, l)
				return false
			}
		}
		// Nothing earlier qualifies: step through minute by minute is slow,
		// so check the instant one day before reads differently or is not after.
		again := NextDaily(at, loc, next)
		return again.After(next) && again.Sub(next) >= 22*time.Hour
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 5000, Rand: rand.New(rand.NewSource(1))}); err != nil {
		t.Error(err)
	}
}

func TestStops(t *testing.T) {
	plan := &care.Plan{}
	cur := care.Result{Version: care.Version, Urgency: care.SelfCare, Plan: plan}
	old := cur
	old.Version = 1
	urgent := cur
	urgent.Urgency = care.Urgent
	none := cur
	none.Plan = nil
	none.Urgency = care.SeeProfessional
	for _, c := range []struct {
		name    string
		r       *care.Result
		urgency string
		want    Stop
	}{
		{"self-care plan", &cur, care.SelfCare, Going},
		{"see a professional, with a plan", &cur, care.SeeProfessional, Going},
		{"deleted", nil, "", Deleted},
		{"re-check urgent", &cur, care.Urgent, Escalate},
		{"re-check emergency", &cur, care.Emergency, Escalate},
		{"result urgent", &urgent, care.SelfCare, Escalate},
		{"contract version 1", &old, care.SelfCare, Outdated},
		{"no plan", &none, care.SeeProfessional, NoPlan},
	} {
		if got := Stops(c.r, c.urgency); got != c.want {
			t.Errorf("%s: Stops = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDue(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	past, long, later := now.Add(-time.Minute), now.Add(-4*time.Hour), now.Add(time.Minute)
	if due, send := Due(&past, nil, now); len(due) != 1 || due[0] != Daily || len(send) != 1 {
		t.Errorf("daily due: %v %v", due, send)
	}
	if due, _ := Due(&later, &later, now); len(due) != 0 {
		t.Errorf("nothing due: %v", due)
	}
	if due, send := Due(&long, &past, now); len(due) != 2 || len(send) != 1 || send[0] != Weekly {
		t.Errorf("both, the daily one late: %v %v", due, send)
	}
}

// Properties of NextWeekly: after after, at most eight days (and an hour) on,
// on a local date a whole number of weeks (one or more) after the plan's,
// at the chosen time unless that time does not exist that day.
func TestNextWeeklyProperties(t *testing.T) {
	loc := berlin(t)
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	prop := func(minutes uint16, startSecs, laterSecs uint32) bool {
		at := diary.Clock(int(minutes) % (24 * 60))
		start := base.Add(time.Duration(startSecs%(366*24*3600)) * time.Second)
		after := start.Add(time.Duration(laterSecs%(120*24*3600)) * time.Second)
		next := NextWeekly(start, at, loc, after)
		if !next.After(after) || next.Sub(after) > 8*24*time.Hour+time.Hour {
			t.Logf("start %s after %s: %s", start, after, next)
			return false
		}
		s, n := start.In(loc), next.In(loc)
		days := time.Date(n.Year(), n.Month(), n.Day(), 12, 0, 0, 0, time.UTC).Sub(time.Date(s.Year(), s.Month(), s.Day(), 12, 0, 0, 0, time.UTC)) / (24 * time.Hour)
		if days < 7 || days%7 != 0 {
			t.Logf("start %s: %s is %d days on", s, n, days)
			return false
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 3000, Rand: rand.New(rand.NewSource(2))}); err != nil {
		t.Error(err)
	}
}
