// Package diary is the person's pain diary and the rules that read it: how
// the pain goes day by day in the person's own time zone, whether the plan is
// followed, when the 7-day program moves on, and when the diary says it is
// time to see a professional. It does no I/O.
package diary

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/care"
	"unknot/internal/valid"
)

// NoScore is the Pain of an entry that carries no pain score, such as the
// one logged by itself when a routine is finished.
const NoScore = -1

// Limits of an entry.
const (
	MaxNote       = 500             // runes
	MaxDone       = 40              // exercises in one entry
	FutureSlack   = 5 * time.Minute // clocks differ; more is a mistake
	earliestEntry = 2000            // year; anything before is a typing error
)

// Entry is one line of the diary: a pain score (0–10, or NoScore), where it
// hurts, what was done and a note.
type Entry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Pain    int       `json:"pain"`
	Regions []string  `json:"regions"`
	Note    string    `json:"note"`
	Done    []string  `json:"done"`    // exercise ids
	Routine bool      `json:"routine"` // logged by finishing a guided routine
	Day     int       `json:"day"`     // program day (1–7) when logged by a routine, else 0
}

// RoutineEntry is the entry that finishing day's routine logs by itself:
// adherence without a pain score.
func RoutineEntry(at time.Time, day int, done []string) Entry {
	return Entry{At: at, Pain: NoScore, Done: done, Routine: true, Day: day}
}

// Scored reports whether the entry carries a pain score.
func (e Entry) Scored() bool { return e.Pain != NoScore }

// Adherent reports whether the entry shows home care done: a finished
// routine or at least one exercise ticked.
func (e Entry) Adherent() bool { return e.Routine || len(e.Done) > 0 }

// regionValues are the body-map regions of the self-check contract.
var regionValues = func() []string {
	vs := make([]string, len(care.Regions))
	for i, r := range care.Regions {
		vs[i] = r.Value
	}
	return vs
}()

// exerciseID is the shape of a library id; whether the library knows it is
// the caller's concern (an unknown id is shown as words, nothing breaks).
var exerciseID = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Validate checks an entry built in Go or parsed from JSON, naming each
// problem by its field. now bounds how far in the future At may be.
func (e Entry) Validate(now time.Time) valid.Errors {
	var es valid.Errors
	switch {
	case e.Pain == NoScore && !e.Routine:
		es.Add("pain", "is required")
	case e.Pain != NoScore && (e.Pain < 0 || e.Pain > 10):
		es.Add("pain", "must be between 0 and 10")
	}
	for i, r := range e.Regions {
		at := "regions[" + strconv.Itoa(i) + "]"
		if !slices.Contains(regionValues, r) {
			es.Add(at, "must be one of "+strings.Join(regionValues, ", "))
		} else if j := slices.Index(e.Regions[:i], r); j >= 0 {
			es.Add(at, "repeats regions["+strconv.Itoa(j)+"]")
		}
	}
	switch {
	case e.At.IsZero():
		es.Add("at", "is required")
	case e.At.After(now.Add(FutureSlack)):
		es.Add("at", "must not be in the future")
	case e.At.Year() < earliestEntry:
		es.Add("at", "must be in the year "+strconv.Itoa(earliestEntry)+" or later")
	}
	if msg := valid.TextProblem(e.Note, MaxNote); msg != "" {
		es.Add("note", msg)
	}
	if len(e.Done) > MaxDone {
		es.Add("done", "must list at most "+strconv.Itoa(MaxDone)+" exercises")
	}
	for i, id := range e.Done {
		at := "done[" + strconv.Itoa(i) + "]"
		if !exerciseID.MatchString(id) {
			es.Add(at, "must be an exercise id such as chin_tuck")
		} else if j := slices.Index(e.Done[:i], id); j >= 0 {
			es.Add(at, "repeats done["+strconv.Itoa(j)+"]")
		}
	}
	if e.Day < 0 || e.Day > 7 {
		es.Add("day", "must be between 1 and 7")
	}
	return es
}
