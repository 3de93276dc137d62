package diary

import (
	"math/rand/v2"
	"testing"
	"time"
)

// dayBySpans is the calendar day of u as the store computes it in SQL:
// the offset of the span u falls in, added to u, in whole days.
func dayBySpans(spans []OffsetSpan, u int64) int {
	off := spans[0].Offset
	for _, s := range spans {
		if u >= s.From {
			off = s.Offset
		}
	}
	return int((u + int64(off)) / 86400)
}

// TestOffsetSpansGiveCalendarDays checks, over random instants in zones
// with daylight saving (a half-hour one among them), with odd offsets and
// with none, that the spans' arithmetic gives the day DayNumber gives.
func TestOffsetSpansGiveCalendarDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, zone := range []string{"UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/Sao_Paulo", "Asia/Tokyo"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		spans := OffsetSpans(loc, from, to)
		for range 20000 {
			u := from.Unix() + rng.Int64N(to.Unix()-from.Unix())
			at := time.Unix(u, 0)
			if got, want := dayBySpans(spans, u), dayNumber(at, loc); got != want {
				t.Fatalf("%s: %v: day %d by spans, want %d", zone, at.UTC(), got, want)
			}
		}
		// Either side of each change of offset.
		for _, s := range spans[1:] {
			for _, u := range []int64{s.From - 1, s.From} {
				if got, want := dayBySpans(spans, u), dayNumber(time.Unix(u, 0), loc); got != want {
					t.Fatalf("%s: at %d: day %d by spans, want %d", zone, u, got, want)
				}
			}
		}
	}
}

func TestOffsetSpansOfAZoneWithoutChanges(t *testing.T) {
	spans := OffsetSpans(time.FixedZone("X", 5400), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(spans) != 1 || spans[0].Offset != 5400 {
		t.Errorf("spans = %+v, want one of +5400", spans)
	}
}

func TestSummaryRoutineOn(t *testing.T) {
	loc, _ := time.LoadLocation("America/New_York")
	day := time.Date(2026, 3, 8, 23, 30, 0, 0, loc) // the night clocks went forward
	s := Summarize([]Entry{
		{At: day.AddDate(0, 0, -1), Pain: NoScore, Routine: true},
		{At: day, Pain: 3, Done: []string{"chin_tuck"}},
	}, day.AddDate(0, 0, -7), loc, day)
	if s.RoutineOn(day, loc) {
		t.Error("a ticked exercise counted as a finished routine")
	}
	if !s.RoutineOn(day.AddDate(0, 0, -1), loc) {
		t.Error("the routine of the day before was not found")
	}
	if s.LatestPain != 3 || !s.LatestAt.Equal(day) {
		t.Errorf("latest = %d at %v, want 3 at %v", s.LatestPain, s.LatestAt, day)
	}
}

// TestMergeDaysCountsAsOne checks that counting a diary in two parts and
// merging gives what counting it whole gives, over random diaries.
func TestMergeDaysCountsAsOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 14))
	loc, _ := time.LoadLocation("Europe/Berlin")
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for range 200 {
		entries := make([]Entry, rng.IntN(60))
		for i := range entries {
			entries[i] = Entry{At: base.Add(time.Duration(rng.IntN(40*24)) * time.Hour), Pain: rng.IntN(12) - 1, Routine: rng.IntN(3) == 0}
		}
		cut := 0
		if len(entries) > 0 {
			cut = rng.IntN(len(entries))
		}
		got := MergeDays(Count(entries[:cut], loc), Count(entries[cut:], loc))
		want := Count(entries, loc)
		if len(got) != len(want) {
			t.Fatalf("merged %d days, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("day %d: merged %+v, want %+v", i, got[i], want[i])
			}
		}
	}
}
