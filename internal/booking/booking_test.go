package booking

import (
	"testing"
	"time"
)

func TestReminderAt(t *testing.T) {
	start := time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		now  time.Time
		want time.Time // zero: no reminder
	}{
		{start.AddDate(0, 0, -30), start.Add(-24 * time.Hour)},
		{start.Add(-24 * time.Hour), start.Add(-24 * time.Hour)}, // booked exactly a day ahead
		{start.Add(-24*time.Hour + time.Second), time.Time{}},    // less than a day ahead
		{start.Add(-time.Hour), time.Time{}},
	} {
		got, ok := ReminderAt(start, tt.now)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("ReminderAt(start, start%v) = %v, %v; want %v", tt.now.Sub(start), got, ok, tt.want)
		}
	}
}
