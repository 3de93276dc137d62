package diary

import (
	"testing"
	"time"
)

// Adherence counts days with home care in the last two weeks and since
// the plan began, by calendar day in the person's zone, across a change
// of daylight saving, and ignores days before the plan or after today.
func TestAdherenceOf(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, berlin) }
	planStart := time.Date(2027, 3, 10, 18, 0, 0, 0, berlin)
	now := time.Date(2027, 4, 2, 9, 0, 0, 0, berlin) // 24th calendar day of the plan; DST began 28 March
	p := Progress{CareDays: 4, Daily: []DayStat{
		{Date: day(2027, 3, 9), Adherent: true},  // before the plan: not counted in the window's days either
		{Date: day(2027, 3, 12), Adherent: true}, // since the plan, outside the window
		{Date: day(2027, 3, 20), Adherent: true}, // first day of the 14-day window
		{Date: day(2027, 3, 19), Adherent: true}, // the day before it
		{Date: day(2027, 3, 30), Adherent: false},
		{Date: day(2027, 4, 2), Adherent: true}, // today
		{Date: day(2027, 4, 3), Adherent: true}, // tomorrow: not yet
	}}
	got := AdherenceOf(p, planStart, now, berlin)
	want := Adherence{Recent: 2, Window: AdherenceWindow, Total: 4, SincePlan: 24}
	if got != want {
		t.Errorf("AdherenceOf = %+v, want %+v", got, want)
	}

	// A plan begun today has a window of one day.
	young := AdherenceOf(Progress{CareDays: 1, Daily: []DayStat{{Date: day(2027, 4, 2), Adherent: true}}}, now.Add(-time.Hour), now, berlin)
	if young != (Adherence{Recent: 1, Window: 1, Total: 1, SincePlan: 1}) {
		t.Errorf("young plan: %+v", young)
	}
}
