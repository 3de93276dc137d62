package booking

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"unknot/internal/clinic"
)

// rules are the clinic's rules in most tests: no notice, a year ahead,
// starts every 15 minutes.
var rules = clinic.Clinic{CancelHours: 24, MinNoticeMinutes: 0, HorizonDays: 365, SlotStepMinutes: 15}

var hour = clinic.Service{ID: "hour", Minutes: 60, BufferAfterMinutes: 0}

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := clinic.Zone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// week reads "mon 09:00-12:00 13:00-17:00" lines into a clinic.Week.
func week(t testing.TB, days ...string) clinic.Week {
	t.Helper()
	names := map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
	var w clinic.Week
	for _, line := range days {
		f := strings.Fields(line)
		day, ok := names[f[0]]
		if !ok {
			t.Fatalf("bad day in %q", line)
		}
		for _, r := range f[1:] {
			from, to, _ := strings.Cut(r, "-")
			w[day] = append(w[day], clinic.Range{From: clock(t, from), To: clock(t, to)})
		}
	}
	return w
}

func clock(t testing.TB, s string) clinic.Clock {
	t.Helper()
	if s == "24:00" {
		return clinic.EndOfDay
	}
	c, err := time.Parse("15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return clinic.Clock(c.Hour()*60 + c.Minute())
}

func date(t testing.TB, s string) clinic.Date {
	t.Helper()
	d, err := clinic.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func instant(t testing.TB, s string) time.Time {
	t.Helper()
	x, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func wall(t testing.TB, s string) clinic.Wall {
	t.Helper()
	return clinic.Wall{Date: date(t, s[:10]), Clock: clock(t, s[11:])}
}

// starts lists the slots' starts as RFC 3339 text.
func starts(slots []Slot) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = s.Start.Format(time.RFC3339)
	}
	return out
}

// Slots across the daylight-saving changes of spring and autumn, in Europe
// and America, in the morning before 13:00 and the afternoon after it, keep
// the wall-clock hours of the rule, and a range the change cuts into is
// shortened or lengthened in real time, never moved.
func TestSlotsAcrossChanges(t *testing.T) {
	long := clinic.Clinic{HorizonDays: 365, SlotStepMinutes: 60}
	for _, c := range []struct {
		name, zone, day string
		hours           string
		want            []string
	}{
		{"Berlin spring, morning", "Europe/Berlin", "2027-03-28", "sun 09:00-12:00",
			[]string{"2027-03-28T09:00:00+02:00", "2027-03-28T10:00:00+02:00", "2027-03-28T11:00:00+02:00"}},
		{"Berlin spring, afternoon", "Europe/Berlin", "2027-03-28", "sun 13:00-16:00",
			[]string{"2027-03-28T13:00:00+02:00", "2027-03-28T14:00:00+02:00", "2027-03-28T15:00:00+02:00"}},
		{"Berlin spring, day before", "Europe/Berlin", "2027-03-27", "sat 13:00-15:00",
			[]string{"2027-03-27T13:00:00+01:00", "2027-03-27T14:00:00+01:00"}},
		{"Berlin spring, through the jump", "Europe/Berlin", "2027-03-28", "sun 01:00-04:00",
			[]string{"2027-03-28T01:00:00+01:00", "2027-03-28T03:00:00+02:00"}},
		{"Berlin spring, from inside the jump", "Europe/Berlin", "2027-03-28", "sun 02:30-05:00",
			[]string{"2027-03-28T03:00:00+02:00", "2027-03-28T04:00:00+02:00"}},
		{"Berlin autumn, morning", "Europe/Berlin", "2027-10-31", "sun 09:00-11:00",
			[]string{"2027-10-31T09:00:00+01:00", "2027-10-31T10:00:00+01:00"}},
		{"Berlin autumn, afternoon", "Europe/Berlin", "2027-10-31", "sun 13:00-15:00",
			[]string{"2027-10-31T13:00:00+01:00", "2027-10-31T14:00:00+01:00"}},
		{"Berlin autumn, through the repeat", "Europe/Berlin", "2027-10-31", "sun 01:00-04:00",
			[]string{"2027-10-31T01:00:00+02:00", "2027-10-31T02:00:00+02:00", "2027-10-31T02:00:00+01:00", "2027-10-31T03:00:00+01:00"}},
		{"Berlin autumn, from inside the repeat", "Europe/Berlin", "2027-10-31", "sun 02:00-03:00",
			[]string{"2027-10-31T02:00:00+02:00", "2027-10-31T02:00:00+01:00"}},
		{"New York spring, morning", "America/New_York", "2027-03-14", "sun 09:00-11:00",
			[]string{"2027-03-14T09:00:00-04:00", "2027-03-14T10:00:00-04:00"}},
		{"New York spring, afternoon", "America/New_York", "2027-03-14", "sun 13:00-15:00",
			[]string{"2027-03-14T13:00:00-04:00", "2027-03-14T14:00:00-04:00"}},
		{"New York spring, through the jump", "America/New_York", "2027-03-14", "sun 00:00-04:00",
			[]string{"2027-03-14T00:00:00-05:00", "2027-03-14T01:00:00-05:00", "2027-03-14T03:00:00-04:00"}},
		{"New York autumn, morning", "America/New_York", "2027-11-07", "sun 09:00-11:00",
			[]string{"2027-11-07T09:00:00-05:00", "2027-11-07T10:00:00-05:00"}},
		{"New York autumn, afternoon", "America/New_York", "2027-11-07", "sun 13:00-15:00",
			[]string{"2027-11-07T13:00:00-05:00", "2027-11-07T14:00:00-05:00"}},
		{"New York autumn, through the repeat", "America/New_York", "2027-11-07", "sun 00:00-03:00",
			[]string{"2027-11-07T00:00:00-04:00", "2027-11-07T01:00:00-04:00", "2027-11-07T01:00:00-05:00", "2027-11-07T02:00:00-05:00"}},
		{"Kolkata, a half-hour zone", "Asia/Kolkata", "2027-03-28", "sun 09:00-12:00",
			[]string{"2027-03-28T09:00:00+05:30", "2027-03-28T10:00:00+05:30", "2027-03-28T11:00:00+05:30"}},
		{"until midnight", "Europe/Berlin", "2027-03-27", "sat 22:00-24:00",
			[]string{"2027-03-27T22:00:00+01:00", "2027-03-27T23:00:00+01:00"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cal := Calendar{Therapist: "ana", Location: "x", Zone: zone(t, c.zone), Hours: week(t, c.hours)}
			d := date(t, c.day)
			got := starts(Slots(long, hour, d, d, instant(t, "2027-01-01T00:00:00Z"), []Calendar{cal}))
			if !slices.Equal(got, c.want) {
				t.Errorf("slots\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// The end of a slot is its start plus the service's length in real time,
// also when the clocks change during the visit.
func TestSlotEndAcrossChange(t *testing.T) {
	cal := Calendar{Therapist: "ana", Zone: zone(t, "Europe/Berlin"), Hours: week(t, "sun 01:00-05:00")}
	d := date(t, "2027-03-28")
	slots := Slots(clinic.Clinic{HorizonDays: 365, SlotStepMinutes: 30}, clinic.Service{Minutes: 90}, d, d, instant(t, "2027-01-01T00:00:00Z"), []Calendar{cal})
	for _, s := range slots {
		if s.End.Sub(s.Start) != 90*time.Minute {
			t.Errorf("slot %s–%s is not 90 minutes", s.Start, s.End)
		}
	}
	if first := slots[0]; first.End.Format(time.RFC3339) != "2027-03-28T03:30:00+02:00" {
		t.Errorf("the 01:00 slot ends at %s, want 03:30+02:00", first.End.Format(time.RFC3339))
	}
}

func TestSlotsStep(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	d := date(t, "2027-03-29") // a Monday
	cal := Calendar{Therapist: "ana", Zone: berlin, Hours: week(t, "mon 09:10-11:00")}
	now := instant(t, "2027-01-01T00:00:00Z")
	for step, want := range map[int][]string{
		15: {"09:15", "09:30", "09:45", "10:00"},
		20: {"09:20", "09:40", "10:00"},
		60: {"10:00"},
	} {
		c := rules
		c.SlotStepMinutes = step
		var got []string
		for _, s := range Slots(c, hour, d, d, now, []Calendar{cal}) {
			got = append(got, s.Start.In(berlin).Format("15:04"))
		}
		if !slices.Equal(got, want) {
			t.Errorf("step %d: starts %v, want %v", step, got, want)
		}
	}
}

// Each booking blocks the therapist for its time with its own buffers, a
// new visit needs its own buffers free, and touching is not overlapping.
func TestSlotsBuffers(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	d := date(t, "2027-03-29")
	booked := Booking{Start: instant(t, "2027-03-29T10:00:00+02:00"), End: instant(t, "2027-03-29T11:00:00+02:00"), BufferAfter: 15 * time.Minute}
	cal := Calendar{Therapist: "ana", Zone: berlin, Hours: week(t, "mon 08:00-14:00"), Busy: []Interval{booked.Blocked()}}
	now := instant(t, "2027-01-01T00:00:00Z")
	for _, c := range []struct {
		name string
		svc  clinic.Service
		want []string
	}{
		{"no buffers", clinic.Service{Minutes: 60},
			[]string{"08:00", "08:15", "08:30", "08:45", "09:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30", "12:45", "13:00"}},
		{"buffer after", clinic.Service{Minutes: 60, BufferAfterMinutes: 15},
			[]string{"08:00", "08:15", "08:30", "08:45", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30", "12:45", "13:00"}},
		{"buffer before", clinic.Service{Minutes: 60, BufferBeforeMinutes: 10},
			[]string{"08:00", "08:15", "08:30", "08:45", "09:00", "11:30", "11:45", "12:00", "12:15", "12:30", "12:45", "13:00"}},
	} {
		var got []string
		for _, s := range Slots(rules, c.svc, d, d, now, []Calendar{cal}) {
			got = append(got, s.Start.In(berlin).Format("15:04"))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: starts\n%v, want\n%v", c.name, got, c.want)
		}
	}
}

func TestSlotsTimeOffNoticeHorizon(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	cal := Calendar{Therapist: "ana", Zone: berlin, Hours: week(t, "mon 09:00-12:00", "tue 09:00-12:00", "wed 09:00-12:00", "thu 09:00-12:00"),
		TimeOff: []clinic.TimeOff{{From: wall(t, "2027-03-29T10:30"), To: wall(t, "2027-03-30T00:00")}}}
	c := clinic.Clinic{MinNoticeMinutes: 120, HorizonDays: 2, SlotStepMinutes: 30}
	// 23:30 UTC on Sunday is already 01:30 on Monday in Berlin: today is
	// Monday there, so the horizon ends on Wednesday.
	now := instant(t, "2027-03-28T23:30:00Z")
	got := starts(Slots(c, hour, date(t, "2027-03-28"), date(t, "2027-04-02"), now, []Calendar{cal}))
	want := []string{
		"2027-03-29T09:00:00+02:00", "2027-03-29T09:30:00+02:00", // then time off
		"2027-03-30T09:00:00+02:00", "2027-03-30T09:30:00+02:00", "2027-03-30T10:00:00+02:00", "2027-03-30T10:30:00+02:00", "2027-03-30T11:00:00+02:00",
		"2027-03-31T09:00:00+02:00", "2027-03-31T09:30:00+02:00", "2027-03-31T10:00:00+02:00", "2027-03-31T10:30:00+02:00", "2027-03-31T11:00:00+02:00",
	}
	if !slices.Equal(got, want) {
		t.Errorf("slots\n got %q\nwant %q", got, want)
	}
	// Two hours' notice at 08:10 Berlin time: the first start is 10:30.
	now = instant(t, "2027-03-30T06:10:00Z")
	got = starts(Slots(c, hour, date(t, "2027-03-30"), date(t, "2027-03-30"), now, []Calendar{cal}))
	if want := []string{"2027-03-30T10:30:00+02:00", "2027-03-30T11:00:00+02:00"}; !slices.Equal(got, want) {
		t.Errorf("with notice: %q, want %q", got, want)
	}
}

func TestSlotsSortedByStartThenTherapist(t *testing.T) {
	berlin, ny := zone(t, "Europe/Berlin"), zone(t, "America/New_York")
	cals := []Calendar{
		{Therapist: "carmen", Location: "midtown", Zone: ny, Hours: week(t, "mon 04:00-06:00")}, // 10:00–12:00 in Berlin
		{Therapist: "ben", Location: "mitte", Zone: berlin, Hours: week(t, "mon 10:00-11:30")},
		{Therapist: "ana", Location: "mitte", Zone: berlin, Hours: week(t, "mon 10:30-12:00")},
	}
	c := clinic.Clinic{HorizonDays: 365, SlotStepMinutes: 30}
	d := date(t, "2027-03-29")
	var got []string
	for _, s := range Slots(c, hour, d, d, instant(t, "2027-01-01T00:00:00Z"), cals) {
		got = append(got, s.Start.In(berlin).Format("15:04")+" "+s.Therapist+" "+s.Location)
	}
	want := []string{"10:00 ben mitte", "10:00 carmen midtown", "10:30 ana mitte", "10:30 ben mitte", "10:30 carmen midtown", "11:00 ana mitte", "11:00 carmen midtown"}
	if !slices.Equal(got, want) {
		t.Errorf("slots\n got %q\nwant %q", got, want)
	}
	// Each start is written with its location's offset.
	for _, s := range Slots(c, hour, d, d, instant(t, "2027-01-01T00:00:00Z"), cals) {
		if _, off := s.Start.Zone(); (s.Therapist == "carmen") != (off == -4*3600) {
			t.Errorf("slot %s of %s is not in its location's zone", s.Start.Format(time.RFC3339), s.Therapist)
		}
	}
}

func TestCheck(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	cal := &Calendar{Therapist: "ana", Zone: berlin, Hours: week(t, "mon 09:00-12:00 13:00-17:00"),
		TimeOff: []clinic.TimeOff{{From: wall(t, "2027-03-29T15:00"), To: wall(t, "2027-03-29T16:00")}}}
	c := clinic.Clinic{MinNoticeMinutes: 60, HorizonDays: 30, SlotStepMinutes: 15}
	now := instant(t, "2027-03-29T08:30:00+02:00")
	for start, want := range map[string]error{
		"2027-03-29T09:00:00+02:00": ErrTooSoon,
		"2027-03-29T08:00:00+02:00": ErrOutsideHours,
		"2027-03-29T11:15:00+02:00": ErrOutsideHours, // ends after 12:00
		"2027-03-29T11:00:00+02:00": nil,
		"2027-03-29T11:05:00+02:00": ErrOffGrid,
		"2027-03-29T11:00:30+02:00": ErrOffGrid,
		"2027-03-29T14:15:00+02:00": ErrTimeOff,
		"2027-03-29T16:00:00+02:00": nil,
		"2027-04-26T09:00:00+02:00": nil,
		"2027-05-03T09:00:00+02:00": ErrTooFar,
		"2027-03-29T09:00:00Z":      nil, // 11:00 in Berlin
	} {
		if got := Check(c, hour, cal, instant(t, start), now); !errors.Is(got, want) {
			t.Errorf("Check(%s) = %v, want %v", start, got, want)
		}
	}
}

func TestCheckChange(t *testing.T) {
	c := clinic.Clinic{CancelHours: 24}
	start := instant(t, "2027-03-29T09:00:00+02:00")
	b := &Booking{Start: start, Status: Confirmed}
	for _, x := range []struct {
		now    time.Time
		status Status
		want   error
	}{
		{start.Add(-25 * time.Hour), Confirmed, nil},
		{start.Add(-24 * time.Hour), Confirmed, nil},
		{start.Add(-24*time.Hour + time.Second), Confirmed, ErrTooLate},
		{start.Add(time.Hour), Confirmed, ErrTooLate},
		{start.Add(-48 * time.Hour), Cancelled, ErrTooLate},
		{start.Add(-48 * time.Hour), Attended, ErrTooLate},
	} {
		b.Status = x.status
		if got := CheckChange(c, b, x.now); got != x.want {
			t.Errorf("CheckChange at %v before, %s = %v, want %v", start.Sub(x.now), x.status, got, x.want)
		}
	}
	if !Confirmed.Holds() || !NoShow.Holds() || !Attended.Holds() || Cancelled.Holds() {
		t.Error("Holds is wrong")
	}
}

// randomCase makes a calendar with random hours (several ranges a day,
// some crossing the changes of the clocks), time off and bookings with
// their buffers, a random service and clinic, and a random now.
func randomCase(r *rand.Rand, zones []*time.Location) (clinic.Clinic, clinic.Service, Calendar, clinic.Date, clinic.Date, time.Time) {
	c := clinic.Clinic{
		MinNoticeMinutes: r.IntN(3) * 60,
		HorizonDays:      1 + r.IntN(40),
		SlotStepMinutes:  clinic.StepMinutes[r.IntN(len(clinic.StepMinutes))],
	}
	svc := clinic.Service{Minutes: 5 * (1 + r.IntN(24)), BufferBeforeMinutes: 5 * r.IntN(4), BufferAfterMinutes: 5 * r.IntN(4)}
	cal := Calendar{Therapist: "t", Zone: zones[r.IntN(len(zones))]}
	for day := range cal.Hours {
		at := clinic.Clock(r.IntN(8) * 60)
		for at < clinic.EndOfDay-60 && r.IntN(4) > 0 {
			from := at + clinic.Clock(5*r.IntN(24))
			to := min(from+clinic.Clock(5*(1+r.IntN(60))), clinic.EndOfDay)
			cal.Hours[day] = append(cal.Hours[day], clinic.Range{From: from, To: to})
			at = to
		}
	}
	// Around the spring and autumn changes of 2027 in both hemispheres.
	base := []clinic.Date{{Year: 2027, Month: 3, Day: 20}, {Year: 2027, Month: 10, Day: 25}, {Year: 2027, Month: 3, Day: 30}}[r.IntN(3)]
	from := base.AddDays(r.IntN(10))
	to := from.AddDays(r.IntN(20))
	now := time.Date(base.Year, base.Month, base.Day, r.IntN(24), 5*r.IntN(12), 0, 0, time.UTC).AddDate(0, 0, r.IntN(8)-2)
	for range r.IntN(4) {
		d := from.AddDays(r.IntN(20))
		f := clinic.Wall{Date: d, Clock: clinic.Clock(5 * r.IntN(288))}
		to := clinic.Wall{Date: d.AddDays(r.IntN(2)), Clock: clinic.Clock(5 * r.IntN(288))}
		if f.Before(to) {
			cal.TimeOff = append(cal.TimeOff, clinic.TimeOff{From: f, To: to})
		}
	}
	first := clinic.Wall{Date: from}.In(cal.Zone)
	for range r.IntN(30) {
		start := first.Add(time.Duration(r.IntN(20*24*12)) * 5 * time.Minute)
		b := Booking{Start: start, End: start.Add(time.Duration(5*(1+r.IntN(24))) * time.Minute),
			BufferBefore: time.Duration(5*r.IntN(4)) * time.Minute, BufferAfter: time.Duration(5*r.IntN(4)) * time.Minute}
		cal.Busy = append(cal.Busy, b.Blocked())
	}
	return c, svc, cal, from, to, now
}

// Properties that hold for any calendar: every slot Check accepts, none
// overlaps a booking with the buffers of both, every one lies inside a
// working range and outside time off, they are in order; and every start
// on the grid that Check accepts and that is free is offered.
func TestSlotsProperties(t *testing.T) {
	var zones []*time.Location
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Australia/Lord_Howe", "America/Havana", "UTC"} {
		zones = append(zones, zone(t, name))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		c, svc, cal, from, to, now := randomCase(r, zones)
		slots := Slots(c, svc, from, to, now, []Calendar{cal})
		describe := func() string {
			return fmt.Sprintf("case %d: %s, %+v, %+v, %s–%s, now %s", i, cal.Zone, c, svc, from, to, now)
		}
		offered := map[int64]bool{}
		for j, s := range slots {
			if err := Check(c, svc, &cal, s.Start, now); err != nil {
				t.Fatalf("%s: slot %s: Check says %v", describe(), s.Start, err)
			}
			if s.End.Sub(s.Start) != svc.Length() {
				t.Fatalf("%s: slot %s–%s has the wrong length", describe(), s.Start, s.End)
			}
			for _, b := range cal.Busy {
				if Blocked(svc, s.Start).Overlaps(b) {
					t.Fatalf("%s: slot %s overlaps booking %v", describe(), s.Start, b)
				}
			}
			if !insideHours(&cal, s) {
				t.Fatalf("%s: slot %s is outside working hours", describe(), s.Start)
			}
			for _, o := range cal.TimeOff {
				if (Interval{s.Start, s.End}).Overlaps(Interval{o.From.In(cal.Zone), o.To.In(cal.Zone)}) {
					t.Fatalf("%s: slot %s is in time off %v", describe(), s.Start, o)
				}
			}
			if j > 0 && !slots[j-1].Start.Before(s.Start) {
				t.Fatalf("%s: slots out of order at %s", describe(), s.Start)
			}
			offered[s.Start.UnixNano()] = true
		}
		// Completeness: try every 5 minutes of the dates asked for.
		first, last := clinic.Wall{Date: from}.In(cal.Zone), clinic.Wall{Date: to.AddDays(1)}.In(cal.Zone)
		for s := first; s.Before(last); s = s.Add(5 * time.Minute) {
			if offered[s.UnixNano()] || Check(c, svc, &cal, s, now) != nil {
				continue
			}
			free := true
			for _, b := range cal.Busy {
				free = free && !Blocked(svc, s).Overlaps(b)
			}
			if free {
				t.Fatalf("%s: %s is free and accepted by Check but not offered", describe(), s.In(cal.Zone))
			}
		}
	}
}

// insideHours checks that s lies in one working range of its local date,
// by comparing wall clocks.
func insideHours(cal *Calendar, s Slot) bool {
	start := s.Start.In(cal.Zone)
	d := clinic.DateOf(start)
	for _, r := range cal.Hours[d.Weekday()] {
		if !s.Start.Before(clinic.Wall{Date: d, Clock: r.From}.In(cal.Zone)) && !s.End.After(clinic.Wall{Date: d, Clock: r.To}.In(cal.Zone)) {
			return true
		}
	}
	return false
}
