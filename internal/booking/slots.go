package booking

import (
	"errors"
	"slices"
	"strings"
	"time"

	"unknot/internal/clinic"
)

// Calendar is what one therapist's free slots depend on, besides the
// service and the clinic's rules.
type Calendar struct {
	Therapist string
	Location  string         // the therapist's location's ID
	Zone      *time.Location // the location's time zone
	Hours     clinic.Week
	TimeOff   []clinic.TimeOff
	// Busy are the Blocked intervals of the therapist's bookings that hold
	// their time (Status.Holds), in any order.
	Busy []Interval
}

// Slot is a start time offered for a service with a therapist.
type Slot struct {
	Start     time.Time `json:"start"` // in the location's zone
	End       time.Time `json:"end"`
	Therapist string    `json:"therapist"`
	Location  string    `json:"location"`
}

// Slots returns every slot of svc that the calendars offer on the dates
// from to to (inclusive, each in its calendar's zone), at now, under the
// clinic's rules, sorted by start and then by therapist. A start is offered
// exactly when Check accepts it and the service with its buffers overlaps
// none of the calendar's Busy intervals (BOOKING.md, "Slots").
func Slots(c clinic.Clinic, svc clinic.Service, from, to clinic.Date, now time.Time, cals []Calendar) []Slot {
	if len(cals) == 1 {
		return appendSlots(nil, c, svc, from, to, now, &cals[0])
	}
	// With the lists in order of therapist, the first of equal starts
	// is the therapist that comes first.
	order := make([]int, len(cals))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return strings.Compare(cals[i].Therapist, cals[j].Therapist) })
	each := make([][]Slot, len(cals))
	total := 0
	for k, i := range order {
		each[k] = appendSlots(nil, c, svc, from, to, now, &cals[i])
		total += len(each[k])
	}
	return mergeSlots(each, total)
}

// mergeSlots merges lists of slots, each in order of start, into one list
// in order of start and then of list. Merging the few lists is much
// cheaper than sorting their many slots.
func mergeSlots(lists [][]Slot, total int) []Slot {
	out := make([]Slot, 0, total)
	for len(out) < total {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || l[0].Start.Before(lists[best][0].Start)) {
				best = i
			}
		}
		out = append(out, lists[best][0])
		lists[best] = lists[best][1:]
	}
	return out
}

// appendSlots appends the slots of one calendar, in order.
func appendSlots(out []Slot, c clinic.Clinic, svc clinic.Service, from, to clinic.Date, now time.Time, cal *Calendar) []Slot {
	zone := cal.Zone
	if last := clinic.DateOf(now.In(zone)).AddDays(c.HorizonDays); last.Before(to) {
		to = last
	}
	earliest := now.Add(c.MinNotice())
	step := time.Duration(c.SlotStepMinutes) * time.Minute
	length := svc.Length()
	off := cursor{spans: timeOff(cal)}
	busy := cursor{spans: merge(cal.Busy)}
	for d := from; !to.Before(d); d = d.AddDays(1) {
		for _, r := range cal.Hours[d.Weekday()] {
			opens := clinic.Wall{Date: d, Clock: r.From}.In(zone)
			closes := clinic.Wall{Date: d, Clock: r.To}.In(zone)
			if closes.Before(earliest) {
				continue
			}
			if opens.Before(earliest) {
				opens = earliest
			}
			// Adding whole steps keeps a start on the grid until the
			// clocks change, at the end of the zone's current period.
			s := align(opens, zone, c.SlotStepMinutes)
			_, change := s.In(zone).ZoneBounds()
			for ; !s.Add(length).After(closes); s = s.Add(step) {
				if !change.IsZero() && !s.Before(change) {
					s = align(s, zone, c.SlotStepMinutes)
					_, change = s.In(zone).ZoneBounds()
					if s.Add(length).After(closes) {
						break
					}
				}
				e := s.Add(length)
				if off.hits(Interval{s, e}) || busy.hits(Blocked(svc, s)) {
					continue
				}
				out = append(out, Slot{Start: s.In(zone), End: e.In(zone), Therapist: cal.Therapist, Location: cal.Location})
			}
		}
	}
	return out
}

// cursor finds overlaps with a merged list of intervals for intervals that
// come in order of start, moving forward only.
type cursor struct {
	spans []Interval // as merge returns them
}

// hits reports whether x overlaps any of the spans. x must not start
// before the x of the previous call.
func (c *cursor) hits(x Interval) bool {
	for len(c.spans) > 0 && !c.spans[0].End.After(x.Start) {
		c.spans = c.spans[1:]
	}
	return len(c.spans) > 0 && c.spans[0].Start.Before(x.End)
}

// align returns the first instant at or after t whose wall clock in zone
// is a whole multiple of step minutes after a whole hour.
func align(t time.Time, zone *time.Location, step int) time.Time {
	local := t.In(zone)
	if past := local.Second()*int(time.Second) + local.Nanosecond(); past > 0 {
		t = t.Add(time.Minute - time.Duration(past))
		local = t.In(zone)
	}
	if m := local.Minute() % step; m != 0 {
		t = t.Add(time.Duration(step-m) * time.Minute)
	}
	return t
}

// Errors of Check: why a start is not offered, whatever other bookings
// there are. Each reads after the name of the field, "start".
var (
	ErrOffGrid      = errors.New("is not one of the clinic's start times")
	ErrOutsideHours = errors.New("is outside the therapist's working hours")
	ErrTimeOff      = errors.New("falls in the therapist's time off")
	ErrTooSoon      = errors.New("is sooner than the clinic's minimum notice")
	ErrTooFar       = errors.New("is further ahead than the clinic takes bookings")
)

// Check reports why a booking of svc starting at start would not be
// offered by cal at now, not counting the calendar's bookings: start off
// the clinic's grid of start times, the visit outside one working range of
// its date, in time off, sooner than the minimum notice or past the
// horizon. Whether the time is still free is for the store to decide, at
// the moment it writes the booking.
func Check(c clinic.Clinic, svc clinic.Service, cal *Calendar, start, now time.Time) error {
	zone := cal.Zone
	local := start.In(zone)
	if !align(start, zone, c.SlotStepMinutes).Equal(start) {
		return ErrOffGrid
	}
	end := start.Add(svc.Length())
	date := clinic.DateOf(local)
	inside := false
	for _, r := range cal.Hours[date.Weekday()] {
		opens := clinic.Wall{Date: date, Clock: r.From}.In(zone)
		closes := clinic.Wall{Date: date, Clock: r.To}.In(zone)
		if !start.Before(opens) && !end.After(closes) {
			inside = true
			break
		}
	}
	switch {
	case !inside:
		return ErrOutsideHours
	case (&cursor{spans: timeOff(cal)}).hits(Interval{start, end}):
		return ErrTimeOff
	case start.Before(now.Add(c.MinNotice())):
		return ErrTooSoon
	case clinic.DateOf(now.In(zone)).AddDays(c.HorizonDays).Before(date):
		return ErrTooFar
	}
	return nil
}

// timeOff returns the calendar's time off as instants, merged.
func timeOff(cal *Calendar) []Interval {
	if len(cal.TimeOff) == 0 {
		return nil
	}
	off := make([]Interval, len(cal.TimeOff))
	for i, o := range cal.TimeOff {
		off[i] = Interval{o.From.In(cal.Zone), o.To.In(cal.Zone)}
	}
	return merge(off)
}

// merge returns the union of spans as a sorted list of intervals that
// neither overlap nor touch. An interval overlaps the union exactly when it
// overlaps one of them.
func merge(spans []Interval) []Interval {
	if len(spans) == 0 {
		return nil
	}
	sorted := slices.Clone(spans)
	slices.SortFunc(sorted, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	out := sorted[:1]
	for _, s := range sorted[1:] {
		last := &out[len(out)-1]
		if s.Start.After(last.End) {
			out = append(out, s)
		} else if s.End.After(last.End) {
			last.End = s.End
		}
	}
	return out
}
