package diary

import (
	"time"

	"unknot/internal/care"
)

// Recheck is the weekly re-check: the screening questions and the pain
// score asked again, and the urgency the self-check gave with them.
type Recheck struct {
	ID       int64         `json:"id"`
	At       time.Time     `json:"at"`
	Symptoms care.Symptoms `json:"symptoms"`
	// EarlierSigns are warning signs answered yes under the names of an
	// earlier version of the self-check's questions (a re-check of a plan
	// saved under version 1), which Symptoms has no field for.
	EarlierSigns []string `json:"earlier_signs,omitempty"`
	PainNow      int      `json:"pain_now"`
	Urgency      string   `json:"urgency"` // of the self-check run again with these answers
}

// RedFlag reports whether any screening question was answered yes.
func (r Recheck) RedFlag() bool { return r.Symptoms.Any() || len(r.EarlierSigns) > 0 }

// RecheckEvery is how often the re-check is due.
const RecheckEvery = 7 * 24 * time.Hour

// MeaningfulChange is the smallest change on the 0–10 pain scale that
// matters to a person (the minimal clinically important difference of the
// numeric pain rating scale is about 2 points).
const MeaningfulChange = 2

// Directions of a Change.
const (
	Better = "better"
	Worse  = "worse"
	Same   = "same" // no meaningful change
)

// Change is the difference between two pain scores.
type Change struct {
	Before, After int
	Delta         int    // After − Before
	Meaningful    bool   // |Delta| ≥ MeaningfulChange
	Direction     string // Better, Worse or Same
}

// Compare says how pain changed from before to after: a change of
// MeaningfulChange points or more is better or worse, anything less is no
// meaningful change.
func Compare(before, after int) Change {
	c := Change{Before: before, After: after, Delta: after - before, Direction: Same}
	c.Meaningful = c.Delta >= MeaningfulChange || c.Delta <= -MeaningfulChange
	switch {
	case c.Meaningful && c.Delta < 0:
		c.Direction = Better
	case c.Meaningful:
		c.Direction = Worse
	}
	return c
}

// Says puts the change in plain words.
func (c Change) Says() string {
	switch c.Direction {
	case Better:
		return "Your pain has gone down by " + points(-c.Delta) + ", from " + itoa(c.Before) + " to " + itoa(c.After) + ". That is a real improvement."
	case Worse:
		return "Your pain has gone up by " + points(c.Delta) + ", from " + itoa(c.Before) + " to " + itoa(c.After) + ". That is a real change for the worse."
	}
	if c.Delta == 0 {
		return "Your pain is the same as last time: " + itoa(c.After) + "."
	}
	return "Your pain went from " + itoa(c.Before) + " to " + itoa(c.After) + ". A change of less than 2 points is too small to mean much either way."
}

// RecheckAnswers are the self-check answers updated with a re-check: the
// new screening answers and pain score, how long it has now hurt, how the
// pain has gone since the last check, and the days of home care logged on
// top of those reported at first. Running care.Assess on them gives the
// result that replaces the plan's, so a new red flag turns it into the
// urgent or emergency instruction exactly as the self-check would.
func RecheckAnswers(a care.Answers, checkedAt time.Time, r Recheck, previousPain, careDays int) care.Answers {
	a.Symptoms = r.Symptoms
	a.DurationDays = min(a.DurationDays+wholeDays(r.At.Sub(checkedAt)), 3650)
	a.HomeCareDays = min(a.HomeCareDays+careDays, 3650)
	a.PainNow = r.PainNow
	switch Compare(previousPain, r.PainNow).Direction {
	case Better:
		a.Trend = "better"
	case Worse:
		a.Trend = "worse"
	default:
		a.Trend = "same"
	}
	// The worst pain of the last day is not asked again: an old answer
	// lower than the new score would no longer make sense.
	if a.PainWorst24h != nil && *a.PainWorst24h < r.PainNow {
		a.PainWorst24h = nil
	}
	return a
}

func wholeDays(d time.Duration) int { return max(0, int(d/(24*time.Hour))) }
