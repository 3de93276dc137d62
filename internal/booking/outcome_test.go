package booking

import (
	"errors"
	"testing"
	"time"
)

func TestMark(t *testing.T) {
	start := time.Date(2027, 3, 29, 7, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		from    Status
		outcome Status
		now     time.Time
		want    Status
		err     error
	}{
		{"attended at the start", Confirmed, Attended, start, Attended, nil},
		{"no-show at the start", Confirmed, NoShow, start, NoShow, nil},
		{"a nanosecond before the start", Confirmed, Attended, start.Add(-time.Nanosecond), Confirmed, ErrNotStarted},
		{"no-show an hour early", Confirmed, NoShow, start.Add(-time.Hour), Confirmed, ErrNotStarted},
		{"a week later", Confirmed, Attended, start.Add(7 * 24 * time.Hour), Attended, nil},
		{"corrected to no-show", Attended, NoShow, start.Add(time.Hour), NoShow, nil},
		{"corrected to attended", NoShow, Attended, start.Add(time.Hour), Attended, nil},
		{"the same outcome again", Attended, Attended, start.Add(time.Hour), Attended, nil},
		{"cancelled", Cancelled, Attended, start.Add(time.Hour), Cancelled, ErrCancelled},
		{"cancelled, before the start", Cancelled, NoShow, start.Add(-time.Hour), Cancelled, ErrCancelled},
		{"back to confirmed", Attended, Confirmed, start.Add(time.Hour), Attended, ErrNotOutcome},
		{"cancel is no outcome", Confirmed, Cancelled, start.Add(time.Hour), Confirmed, ErrNotOutcome},
		{"an unknown outcome", Confirmed, "came late", start.Add(time.Hour), Confirmed, ErrNotOutcome},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Booking{Start: start, End: start.Add(time.Hour), Status: tt.from}
			got, err := Mark(b, tt.outcome, tt.now)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("Mark(%s → %s) = %s, %v; want %s, %v", tt.from, tt.outcome, got, err, tt.want, tt.err)
			}
		})
	}
}
