// Package outcome measures whether care helps, in the person's own terms:
// the Patient-Specific Functional Scale (up to three activities the person
// finds hard, each scored 0–10, where 10 is "as able as before"), the 0–10
// pain score and the 15-point Global Rating of Change, and judges each
// change against its minimal clinically important difference
// (thresholds.go). It is pure: no I/O, no clock.
package outcome

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"unknot/internal/valid"
)

// Occasion is when a measurement was taken.
type Occasion string

// The occasions of a measurement.
const (
	Start   Occasion = "start"   // the starting point, after the first self-check
	Recheck Occasion = "recheck" // with a weekly re-check
	Visit   Occasion = "visit"   // before a visit at the clinic
)

// Words says when a measurement was taken, for pages and the table.
func (o Occasion) Words() string {
	switch o {
	case Start:
		return "Starting point"
	case Recheck:
		return "Weekly re-check"
	case Visit:
		return "Before a visit"
	}
	return string(o)
}

// Activity is an activity the person finds hard, named in their words, in
// one of the scale's slots (1 to MaxActivities). An activity replaced by
// another keeps its scores and gets Replaced; the new one starts afresh.
type Activity struct {
	ID       int64      `json:"id"`
	Slot     int        `json:"slot"`
	Name     string     `json:"name"`
	Chosen   time.Time  `json:"chosen_at"`
	Replaced *time.Time `json:"replaced_at,omitempty"`
}

// Score is one activity's score in a measurement.
type Score struct {
	Activity int64 `json:"activity_id"`
	Score    int   `json:"score"`
}

// Measurement is one occasion's pain score, activity scores and, after
// the start, the person's global rating of change.
type Measurement struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Occasion  Occasion  `json:"occasion"`
	BookingID int64     `json:"booking_id,omitempty"` // the visit it came before
	Pain      int       `json:"pain"`
	Scores    []Score   `json:"scores"`
	Global    *int      `json:"global_change,omitempty"` // −GlobalMax…GlobalMax
}

// History is everything measured for one plan, oldest first: its
// activities, replaced ones included, and its measurements.
type History struct {
	Activities   []Activity    `json:"activities"`
	Measurements []Measurement `json:"measurements"`
}

// Current returns the activities in use, by slot.
func (h History) Current() []Activity {
	var out []Activity
	for _, a := range h.Activities {
		if a.Replaced == nil {
			out = append(out, a)
		}
	}
	return out
}

// Input is one measurement as the person gives it. Activities are by slot
// (index 0 is slot 1): a name that matches the slot's current activity
// scores it, another name replaces it, and a slot left blank is not
// scored this time.
type Input struct {
	Occasion   Occasion
	Pain       *int
	Activities []Rated
	Global     *int
}

// Rated is an activity named in the person's words with its score.
type Rated struct {
	Name  string
	Score *int
}

// blank reports whether the slot was left empty.
func (r Rated) blank() bool { return strings.TrimSpace(r.Name) == "" && r.Score == nil }

// Validate checks in against the plan's history h: the occasion, the
// pain score, each activity's name and score, and the global rating (not
// asked at the start, where there is no change yet to rate). Problems are
// named by field path: "pain", "activities[1].name", "global_change".
func (in Input) Validate(h History) valid.Errors {
	var errs valid.Errors
	switch in.Occasion {
	case Start:
		if len(h.Measurements) > 0 {
			errs.Add("occasion", "your starting point is already recorded")
		}
	case Recheck, Visit:
	default:
		errs.Add("occasion", "must be start, recheck or visit")
	}
	switch {
	case in.Pain == nil:
		errs.Add("pain", "choose a number from 0 (no pain) to 10 (the worst)")
	case *in.Pain < 0 || *in.Pain > MaxScore:
		errs.Add("pain", scoreRange)
	}
	if len(in.Activities) > MaxActivities {
		errs.Add("activities", "name at most "+strconv.Itoa(MaxActivities)+" activities")
	}
	given := in.Activities[:min(len(in.Activities), MaxActivities)]
	// The slot of each current activity that stays in its slot: one this
	// input does not rename.
	staying := map[string]int{}
	for _, a := range h.Current() {
		if i := a.Slot - 1; i >= len(given) || given[i].blank() || key(given[i].Name) == key(a.Name) {
			staying[key(a.Name)] = a.Slot
		}
	}
	seen := map[string]int{}
	for i, a := range given {
		if a.blank() {
			continue
		}
		path := "activities[" + strconv.Itoa(i) + "]"
		name := Clean(a.Name)
		switch {
		case name == "":
			errs.Add(path+".name", "name the activity, or leave its score empty")
		case !utf8.ValidString(name):
			errs.Add(path+".name", "must be valid UTF-8 text")
		case utf8.RuneCountInString(name) > MaxNameRunes:
			errs.Add(path+".name", "must be at most "+strconv.Itoa(MaxNameRunes)+" characters")
		case strings.ContainsFunc(name, unicode.IsControl):
			errs.Add(path+".name", "must be plain text on one line")
		default:
			if j, ok := seen[key(name)]; ok {
				errs.Add(path+".name", "is the same as activity "+strconv.Itoa(j+1))
			} else if slot, ok := staying[key(name)]; ok && slot != i+1 {
				errs.Add(path+".name", "is already activity "+strconv.Itoa(slot))
			}
			seen[key(name)] = i
		}
		switch {
		case a.Score == nil:
			errs.Add(path+".score", "choose a score from 0 (unable) to 10 (as before)")
		case *a.Score < 0 || *a.Score > MaxScore:
			errs.Add(path+".score", scoreRange)
		}
	}
	if in.Global != nil {
		switch {
		case in.Occasion == Start:
			errs.Add("global_change", "is asked only after the starting point")
		case *in.Global < -GlobalMax || *in.Global > GlobalMax:
			errs.Add("global_change", "must be a whole number from "+strconv.Itoa(-GlobalMax)+" to "+strconv.Itoa(GlobalMax))
		}
	}
	return errs
}

// Clean is an activity's name as kept: spaces trimmed, runs of spaces made one.
func Clean(name string) string { return strings.Join(strings.Fields(name), " ") }

// key is what two names that mean the same activity share.
func key(name string) string { return strings.ToLower(Clean(name)) }

// Resolved is an Input mapped onto the plan's activities: the scores of
// activities kept, and the activities to start (each replacing the
// current one of its slot, if any) with their first scores.
type Resolved struct {
	Kept    []Score
	Started []Started
}

// Started is a new activity in Slot with its first score.
type Started struct {
	Slot  int
	Name  string
	Score int
}

// Resolve maps a valid in onto the current activities: a slot whose name
// matches its current activity (ignoring case and spacing) scores it; any
// other name starts a new activity there, and the old one keeps its
// scores as history.
func Resolve(current []Activity, in Input) Resolved {
	bySlot := map[int]Activity{}
	for _, a := range current {
		bySlot[a.Slot] = a
	}
	var r Resolved
	for i, a := range in.Activities {
		if a.blank() {
			continue
		}
		slot := i + 1
		if cur, ok := bySlot[slot]; ok && key(cur.Name) == key(a.Name) {
			r.Kept = append(r.Kept, Score{Activity: cur.ID, Score: *a.Score})
			continue
		}
		r.Started = append(r.Started, Started{Slot: slot, Name: Clean(a.Name), Score: *a.Score})
	}
	return r
}

// GlobalWords are the 15-point Global Rating of Change's answers, from −7
// to +7, in Jaeschke 1989's words.
var GlobalWords = [2*GlobalMax + 1]string{
	"A very great deal worse", "A great deal worse", "Quite a bit worse", "Moderately worse",
	"Somewhat worse", "A little worse", "A tiny bit worse (almost the same)", "About the same",
	"A tiny bit better (almost the same)", "A little better", "Somewhat better", "Moderately better",
	"Quite a bit better", "A great deal better", "A very great deal better",
}

// GlobalSays puts a global rating in words; g must be in range.
func GlobalSays(g int) string { return GlobalWords[g+GlobalMax] }

// scoreRange is the problem with a score off the 0–MaxScore scales.
var scoreRange = "must be a whole number from 0 to " + strconv.Itoa(MaxScore)
