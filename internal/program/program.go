// Package program is a therapist's home program for a client (pure): a
// list of exercises from the library, each with a dose inside the
// exercise's ranges and how many times a day, with notes. It follows the
// same plan rules as the self-check's plan (care.Exclusions,
// care.CheckDose), with the one exception DESIGN.md grants a therapist:
// strengthening may start above care.StrengthMaxPain, and the program then
// says so. A result that calls for a doctor (urgent, emergency) has no
// plan, and so no program either: the safety rules win. The program
// replaces the self-check's routine (Plan), so that the plan page, the
// guided routine, the calendar and the handout follow it. It does no I/O.
package program

import (
	"slices"
	"strconv"
	"strings"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/valid"
)

// Limits of a home program.
const (
	// MaxItems bounds the exercises of one program: unknot's limit, about
	// twice the self-check's own daily routine, so that a day's guided
	// routine stays something a person can do.
	MaxItems = 12
	// MaxTimesADay is how often a day an exercise can be done: once in each
	// of the routine's sessions (Sessions), as the self-check's plan and
	// the calendar feed have them.
	MaxTimesADay = 3
	// MaxNote and MaxProgramNote bound the notes, in characters: an
	// exercise's as long as a diary note, the whole program's four times.
	MaxNote        = diary.MaxNote
	MaxProgramNote = 4 * diary.MaxNote
)

// Sessions are the times of day an exercise done n times a day falls in:
// the first n of the order in which SessionsFor gives them.
var Sessions = [MaxTimesADay]string{"morning", "afternoon", "evening"}

// Item is one exercise of a program: the library's exercise, its dose
// (Sides comes from the library) and an optional note, done TimesADay
// times a day.
type Item struct {
	care.Item
	TimesADay int `json:"times_a_day"`
}

// Program is a therapist's home program.
type Program struct {
	Items []Item `json:"items"`
	Note  string `json:"note,omitempty"`
	// StrengthAbovePain is set by Check when the program has strengthening
	// although the client's pain was above care.StrengthMaxPain: the one
	// plan rule a therapist may lift, which the program then says.
	StrengthAbovePain bool `json:"strength_above_pain,omitempty"`
}

// Refused is the message, on the field "program", for a client whose
// self-check allows no program.
const Refused = "no home program can be given: the client's self-check calls for a doctor first, or was made with an earlier version of the self-check"

// Allowed reports whether a client with self-check result r may have a
// home program: exactly when the result has a plan of the current version
// (urgent and emergency results have none).
func Allowed(r *care.Result) bool {
	return r.Plan != nil && !r.Outdated()
}

// Check validates p for a client whose self-check gave answers a and
// result r, and returns it cleaned (notes trimmed, sides from the
// library, StrengthAbovePain set), or every problem: each exercise's
// field is named by its place, as items[2].reps, and its message by the
// exercise's name. The plan rules of the self-check apply; what they rule
// out for this client is refused with the rule's own words.
func Check(lib *library.Library, a *care.Answers, r *care.Result, p Program) (Program, valid.Errors) {
	var es valid.Errors
	if !Allowed(r) {
		es.Add("program", Refused)
		return Program{}, es
	}
	out := Program{Note: strings.TrimSpace(p.Note), Items: make([]Item, 0, len(p.Items))}
	if msg := valid.TextProblem(out.Note, MaxProgramNote); msg != "" {
		es.Add("note", msg)
	}
	switch {
	case len(p.Items) == 0:
		es.Add("items", "must have at least one exercise")
	case len(p.Items) > MaxItems:
		es.Add("items", "must have at most "+strconv.Itoa(MaxItems)+" exercises")
	}
	rules := care.ExclusionsFor(a, r)
	seen := make(map[string]int, len(p.Items))
	for i, it := range p.Items {
		path := "items[" + strconv.Itoa(i) + "]"
		e, ok := lib.Exercise(it.Exercise)
		if !ok {
			es.Add(path+".exercise", "must be an exercise of the library")
			continue
		}
		if j, dup := seen[e.ID]; dup {
			es.Add(path+".exercise", e.Name+": is in the program already (items["+strconv.Itoa(j)+"]); change its dose there")
			continue
		}
		seen[e.ID] = i
		if code := rules.Excludes(e); code != "" {
			es.Add(path+".exercise", e.Name+": ruled out for this client by the plan rules. "+avoidSays(lib, code))
			continue
		}
		care.CheckDose(&es, path, e, it.Item)
		if it.TimesADay < 1 || it.TimesADay > MaxTimesADay {
			es.Add(path+".times_a_day", e.Name+": must be between 1 and "+strconv.Itoa(MaxTimesADay))
		}
		note := strings.TrimSpace(it.Note)
		if msg := valid.TextProblem(note, MaxNote); msg != "" {
			es.Add(path+".note", e.Name+": "+msg)
		}
		clean := it
		clean.Sides, clean.Note = e.Dose.Sides, note
		out.Items = append(out.Items, clean)
		if e.Kind == library.Strength && a.PainNow > care.StrengthMaxPain {
			out.StrengthAbovePain = true
		}
	}
	if len(es) > 0 {
		return Program{}, es
	}
	return out, nil
}

// avoidSays is the library's words for the avoid advice code.
func avoidSays(lib *library.Library, code string) string {
	if a, ok := lib.AdviceFor(code); ok {
		return a.Says
	}
	return ""
}

// SessionsFor returns the sessions of an exercise done n times a day:
// once a day in the morning, twice in the morning and evening, three
// times in every session.
func SessionsFor(n int) []string {
	switch {
	case n <= 1:
		return Sessions[:1]
	case n == 2:
		return []string{Sessions[0], Sessions[2]}
	}
	return Sessions[:]
}

// StrengthNote is what a program with strengthening above
// care.StrengthMaxPain says.
var StrengthNote = "Your therapist has you start strengthening although your pain was above " +
	strconv.Itoa(care.StrengthMaxPain) + " out of 10, which the self-check would wait for. Stop any exercise that makes the pain sharper or spreads it."

// From is how the plan names who set a program, from the therapist's name.
func From(therapist string) string {
	return "your therapist, " + therapist
}

// Plan returns base, the self-check's plan, with p in place of its
// routine, set by the therapist named therapist: every day of the program
// holds p's exercises in their sessions, and says whose program it is.
// Relief right now, the desk breaks, the night's advice and every piece of
// advice (what to avoid, when to seek help) stay the self-check's.
func (p Program) Plan(base *care.Plan, therapist string) *care.Plan {
	out := *base
	out.From = From(therapist)
	var daily [MaxTimesADay][]care.Item
	for _, it := range p.Items {
		for _, when := range SessionsFor(it.TimesADay) {
			k := slices.Index(Sessions[:], when)
			daily[k] = append(daily[k], it.Item)
		}
	}
	out.Daily = care.Daily{
		Morning:       daily[0],
		WorkdayBreaks: base.Daily.WorkdayBreaks,
		Afternoon:     daily[1],
		Evening:       daily[2],
		Night:         base.Daily.Night,
	}
	focus := "Your home program from " + out.From + "."
	if p.StrengthAbovePain {
		focus += " " + StrengthNote
	}
	if p.Note != "" {
		focus += " " + p.Note
	}
	out.Days = make([]care.Day, care.ProgramDays)
	for i := range out.Days {
		d := care.Day{Day: i + 1, Focus: focus}
		for k, when := range Sessions {
			if len(daily[k]) > 0 {
				d.Sessions = append(d.Sessions, care.Session{When: when, Items: daily[k]})
			}
		}
		out.Days[i] = d
	}
	out.Exercises = out.ExerciseIDs()
	return &out
}

// Phase is the phase the guided routine and the calendar follow with p:
// strengthening when the therapist lifted the pain rule, or when the
// latest pain in the diary (diary.Progress.LatestPain, or before any the
// self-check's checkPain) is care.StrengthMaxPain or below; otherwise
// mobility, so that strength work waits as everywhere else. The
// program's days are all alike, so the 7-day program's relief days do
// not apply.
func (p Program) Phase(latestPain, checkPain int) string {
	pain := latestPain
	if pain == diary.NoScore {
		pain = checkPain
	}
	if p.StrengthAbovePain || pain <= care.StrengthMaxPain {
		return diary.Strengthening
	}
	return diary.Mobility
}

// Times says how often a day in words: "once a day", "twice a day", …
func (it Item) Times() string {
	switch it.TimesADay {
	case 1:
		return "once a day"
	case 2:
		return "twice a day"
	}
	return strconv.Itoa(it.TimesADay) + " times a day"
}

// Changes says in words what changed from before to after, for the
// program's history: each exercise added or removed, each dose, times a
// day or note changed, and the program's note. A first program (before
// has no items) lists every exercise as added.
func Changes(lib *library.Library, before, after Program) []string {
	name := func(id string) string {
		if e, ok := lib.Exercise(id); ok {
			return e.Name
		}
		return id
	}
	find := func(p Program, id string) (Item, bool) {
		i := slices.IndexFunc(p.Items, func(it Item) bool { return it.Exercise == id })
		if i < 0 {
			return Item{}, false
		}
		return p.Items[i], true
	}
	var out []string
	for _, it := range after.Items {
		was, ok := find(before, it.Exercise)
		switch {
		case !ok:
			out = append(out, "added "+name(it.Exercise)+": "+it.Dose()+", "+it.Times())
		case was.Dose() != it.Dose() || was.TimesADay != it.TimesADay:
			out = append(out, name(it.Exercise)+": "+was.Dose()+", "+was.Times()+" → "+it.Dose()+", "+it.Times())
		}
		if ok && was.Note != it.Note {
			out = append(out, name(it.Exercise)+": note changed")
		}
	}
	for _, it := range before.Items {
		if _, ok := find(after, it.Exercise); !ok {
			out = append(out, "removed "+name(it.Exercise))
		}
	}
	if before.Note != after.Note {
		out = append(out, "program note changed")
	}
	return out
}

// Follow returns the plan and the routine's phase a person follows: their
// self-check's plan r.Plan and the diary's phase, or, when a therapist
// (named therapist) gave them the home program current and r allows one,
// that program in the routine's place with its own phase. latestPain and
// checkPain are as for Phase. The web pages and `unknot routine` both
// follow it.
func Follow(r *care.Result, current *Program, therapist, phase string, latestPain, checkPain int) (*care.Plan, string) {
	if current == nil || !Allowed(r) {
		return r.Plan, phase
	}
	return current.Plan(r.Plan, therapist), current.Phase(latestPain, checkPain)
}
