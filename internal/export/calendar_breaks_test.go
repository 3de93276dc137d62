package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// The person picks desk-break reminders every 30 or 60 minutes, or none.
func TestCalendarBreakChoices(t *testing.T) {
	now := time.Date(2026, 10, 23, 10, 0, 0, 0, time.UTC) // a Friday
	count := func(every int) (breaks, alarms int) {
		t.Helper()
		f := feed(t, now)
		f.BreakEvery = every
		var buf bytes.Buffer
		if err := Calendar(&buf, f); err != nil {
			t.Fatal(err)
		}
		cal, err := ics.ParseCalendar(&buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range cal.Events() {
			alarms += len(ev.Alarms())
			if strings.Contains(ev.Id(), "-break-") {
				breaks++
			}
		}
		return breaks, alarms
	}
	// 5 workdays of 09:00–17:00: from 09:00+every, the last one ending by 17:00.
	for every, want := range map[int]int{60: 5 * 7, 30: 5 * 15, NoBreaks: 0} {
		if got, _ := count(every); got != want {
			t.Errorf("every %d: %d breaks, want %d", every, got, want)
		}
	}
	_, none := count(NoBreaks)
	if _, hourly := count(60); hourly-none != 35 || none == 0 {
		t.Errorf("alarms: %d hourly, %d without breaks", hourly, none)
	}
}
