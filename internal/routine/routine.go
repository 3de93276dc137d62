// Package routine turns a day of the 7-day program into a guided routine:
// one step per exercise, each a list of timed segments (a get-ready lead-in,
// every hold as a countdown, per side for one-sided moves, rests between
// reps and sets, minutes for massage and heat). The browser and the
// terminal follow the same schedule. It does no I/O.
package routine

import (
	"fmt"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
)

// Timings of the schedule, in seconds.
const (
	ReadySeconds     = 5  // the lead-in before every exercise
	SwitchSeconds    = 3  // to change sides
	ShortRestSeconds = 2  // between reps of a short hold (under 10 s)
	RestSeconds      = 5  // between reps of a longer hold
	SetRestSeconds   = 20 // between sets
	RepSeconds       = 3  // one slow repetition of a move without a hold
	longHold         = 10 // a hold of this many seconds or more is long
)

// Segment kinds.
const (
	Ready  = "ready"  // get into position
	Hold   = "hold"   // hold the position: a countdown
	Move   = "move"   // slow repetitions in the time given
	Rest   = "rest"   // relax between reps or sets
	Switch = "switch" // change to the other side
	Timed  = "timed"  // massage, heat or a walk: keep going for the time given
)

// Step is one exercise of today's routine.
type Step struct {
	Exercise string    `json:"exercise"` // library id; also names its picture
	Name     string    `json:"name"`
	Session  string    `json:"session"` // morning, workday, afternoon or evening
	Summary  string    `json:"summary"`
	Movement string    `json:"movement"` // what its picture shows, for those who cannot see it
	Steps    []string  `json:"steps"`    // how to do it, in short sentences
	Cautions []string  `json:"cautions,omitempty"`
	Dose     string    `json:"dose"` // in words, such as "hold 20 s, 2 times, each side"
	Note     string    `json:"note,omitempty"`
	Segments []Segment `json:"segments"`
}

// Segment is one timed part of a step.
type Segment struct {
	Kind    string `json:"kind"`
	Label   string `json:"label"`          // what to do, in a few words
	Side    string `json:"side,omitempty"` // left or right, for one-sided moves
	Seconds int    `json:"seconds"`
}

// Seconds is how long the step takes: the sum of its segments.
func (s Step) Seconds() int {
	n := 0
	for _, seg := range s.Segments {
		n += seg.Seconds
	}
	return n
}

// Total is how long the steps take together.
func Total(steps []Step) int {
	n := 0
	for _, s := range steps {
		n += s.Seconds()
	}
	return n
}

// Today expands the sessions of program day (1–7; outside that range it is
// clamped) into steps, in the order of the day. Strength exercises are left
// out unless phase is diary.Strengthening: they wait until pain has fallen
// to care.StrengthMaxPain or below, the one strengthening rule the plan,
// the diary and the handout share. Night sessions hold advice, not
// exercises, and are skipped; so are items the library does not know.
func Today(plan *care.Plan, day int, phase string, lib *library.Library) []Step {
	if plan == nil || len(plan.Days) == 0 {
		return nil
	}
	d := plan.Days[min(max(day, 1), len(plan.Days))-1]
	var steps []Step
	for _, sess := range d.Sessions {
		if sess.When == "night" {
			continue
		}
		for _, it := range sess.Items {
			e, ok := lib.Exercise(it.Exercise)
			if !ok || e.Kind == library.Strength && phase != diary.Strengthening {
				continue
			}
			steps = append(steps, Step{
				Exercise: e.ID,
				Name:     e.Name,
				Session:  sess.When,
				Summary:  e.Summary,
				Movement: e.Movement,
				Steps:    e.Steps,
				Cautions: e.Cautions,
				Dose:     it.Dose(),
				Note:     it.Note,
				Segments: Segments(it),
			})
		}
	}
	return steps
}

// Segments is the timed schedule of one item: a get-ready lead-in, then
//   - with minutes: the time as one stretch (split in half between left and
//     right for one-sided work);
//   - with a hold: each rep's hold as a countdown (left, switch, right for
//     one-sided moves), a rest between reps;
//   - otherwise: the reps as slow moves of RepSeconds each (per side);
//
// and a longer rest between sets.
func Segments(it care.Item) []Segment {
	each := it.Sides == "each"
	ready := Segment{Kind: Ready, Label: "Get ready", Seconds: ReadySeconds}
	if each {
		ready.Label = "Get ready: left side first"
	}
	segs := []Segment{ready}
	if it.Minutes > 0 {
		total := it.Minutes * 60
		if !each {
			return append(segs, Segment{Kind: Timed, Label: "Keep going", Seconds: total})
		}
		return append(segs,
			Segment{Kind: Timed, Label: "Left side", Side: "left", Seconds: total / 2},
			Segment{Kind: Switch, Label: "Now the right side", Seconds: SwitchSeconds},
			Segment{Kind: Timed, Label: "Right side", Side: "right", Seconds: total - total/2})
	}
	sets, reps := max(it.Sets, 1), max(it.Reps, 1)
	for set := 1; set <= sets; set++ {
		if set > 1 {
			segs = append(segs, Segment{Kind: Rest, Label: fmt.Sprintf("Rest before set %d of %d", set, sets), Seconds: SetRestSeconds})
		}
		if it.HoldSeconds > 0 {
			segs = appendHolds(segs, it, reps, each)
		} else {
			segs = appendMoves(segs, reps, each)
		}
	}
	return segs
}

// appendHolds adds reps holds of it.HoldSeconds, alternating sides when each.
func appendHolds(segs []Segment, it care.Item, reps int, each bool) []Segment {
	rest := RestSeconds
	if it.HoldSeconds < longHold {
		rest = ShortRestSeconds
	}
	for rep := 1; rep <= reps; rep++ {
		if rep > 1 {
			segs = append(segs, Segment{Kind: Rest, Label: "Relax", Seconds: rest})
		}
		label := fmt.Sprintf("Hold %d of %d", rep, reps)
		if !each {
			segs = append(segs, Segment{Kind: Hold, Label: label, Seconds: it.HoldSeconds})
			continue
		}
		segs = append(segs,
			Segment{Kind: Hold, Label: label + ": left", Side: "left", Seconds: it.HoldSeconds},
			Segment{Kind: Switch, Label: "Now the right side", Seconds: SwitchSeconds},
			Segment{Kind: Hold, Label: label + ": right", Side: "right", Seconds: it.HoldSeconds})
	}
	return segs
}

// appendMoves adds reps slow repetitions, all on the left then all on the
// right when each.
func appendMoves(segs []Segment, reps int, each bool) []Segment {
	label := fmt.Sprintf("%d slow repetitions", reps)
	if reps == 1 {
		label = "1 slow repetition"
	}
	if !each {
		return append(segs, Segment{Kind: Move, Label: label, Seconds: reps * RepSeconds})
	}
	return append(segs,
		Segment{Kind: Move, Label: label + ": left", Side: "left", Seconds: reps * RepSeconds},
		Segment{Kind: Switch, Label: "Now the right side", Seconds: SwitchSeconds},
		Segment{Kind: Move, Label: label + ": right", Side: "right", Seconds: reps * RepSeconds})
}
