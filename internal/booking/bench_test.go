package booking

import (
	"testing"
	"time"

	"unknot/internal/clinic"
)

// benchCalendar is a therapist in Berlin working 09:00–12:00 and
// 13:00–18:00 on weekdays and 10:00–14:00 on Saturdays, with n bookings of
// an hour spread over the days from start.
func benchCalendar(b *testing.B, id string, start clinic.Date, days, n int) Calendar {
	berlin := zone(b, "Europe/Berlin")
	cal := Calendar{Therapist: id, Location: "mitte", Zone: berlin,
		Hours: week(b, "mon 09:00-12:00 13:00-18:00", "tue 09:00-12:00 13:00-18:00", "wed 09:00-12:00 13:00-18:00",
			"thu 09:00-12:00 13:00-18:00", "fri 09:00-12:00 13:00-18:00", "sat 10:00-14:00"),
		TimeOff: []clinic.TimeOff{{From: clinic.Wall{Date: start.AddDays(20)}, To: clinic.Wall{Date: start.AddDays(23)}}},
	}
	for i := range n {
		d := start.AddDays(i * days / max(n, 1))
		s := clinic.Wall{Date: d, Clock: clinic.Clock(9*60 + (i%8)*60)}.In(berlin)
		bk := Booking{Start: s, End: s.Add(time.Hour), BufferAfter: 15 * time.Minute}
		cal.Busy = append(cal.Busy, bk.Blocked())
	}
	return cal
}

var benchRules = clinic.Clinic{CancelHours: 24, MinNoticeMinutes: 120, HorizonDays: 90, SlotStepMinutes: 15}

var benchService = clinic.Service{ID: "trigger-60", Minutes: 60, BufferAfterMinutes: 15}

// One therapist over 62 days with 200 bookings (target: under 1 ms).
func BenchmarkSlotsOneTherapist62Days(b *testing.B) {
	from := clinic.Date{Year: 2027, Month: time.March, Day: 1}
	cals := []Calendar{benchCalendar(b, "ana", from, 62, 200)}
	now := time.Date(2027, time.February, 28, 12, 0, 0, 0, time.UTC)
	var n int
	for b.Loop() {
		n = len(Slots(benchRules, benchService, from, from.AddDays(61), now, cals))
	}
	b.ReportMetric(float64(n), "slots")
}

// Twenty therapists over 30 days, each with 50 bookings (target: under
// 10 ms).
func BenchmarkSlotsTwentyTherapists30Days(b *testing.B) {
	from := clinic.Date{Year: 2027, Month: time.March, Day: 1}
	var cals []Calendar
	for i := range 20 {
		cals = append(cals, benchCalendar(b, string(rune('a'+i)), from, 30, 50))
	}
	now := time.Date(2027, time.February, 28, 12, 0, 0, 0, time.UTC)
	var n int
	for b.Loop() {
		n = len(Slots(benchRules, benchService, from, from.AddDays(29), now, cals))
	}
	b.ReportMetric(float64(n), "slots")
}
