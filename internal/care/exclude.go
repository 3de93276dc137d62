package care

import (
	"strconv"

	"unknot/internal/library"
	"unknot/internal/valid"
)

// Exclusions are the plan rules that rule exercises out for one person,
// whoever builds the program: the self-check's planner and a therapist's
// home program (internal/program) apply the same ones. Sources: NICE CKS
// radiculopathy (no stretch that provokes arm symptoms), NHS exercise in
// pregnancy (not lying flat), NICE CKS osteoporosis (no hard pressure on
// the spine).
type Exclusions struct {
	NerveRoot bool // nerve_root fired: nothing that pulls on the nerves of the arm
	Pregnant  bool // nothing done lying on the back or front
	Fragile   bool // thin bones or long-term steroids: no rolling or hard pressure on the spine
}

// ExclusionsFor returns the exclusions that answers a with result r call for.
func ExclusionsFor(a *Answers, r *Result) Exclusions {
	return Exclusions{
		NerveRoot: r.fired("nerve_root"),
		Pregnant:  a.Conditions.Pregnant,
		Fragile:   a.Conditions.Osteoporosis || a.Conditions.LongTermSteroids,
	}
}

// Excludes returns the code of the "avoid" advice (library) of the rule
// that rules e out, or "" when no rule does. The exclusions win over every
// inclusion.
func (x Exclusions) Excludes(e *library.Exercise) string {
	switch {
	case x.NerveRoot && (e.ID == "levator_scapulae_stretch" || e.ID == "ear_to_shoulder"):
		return "arm_symptoms"
	case x.Pregnant && e.Lying():
		return "lying_flat_pregnancy"
	case x.Fragile && e.ID == "foam_roll_upper_back":
		return "spine_pressure"
	}
	return ""
}

// CheckDose adds to es, under path (such as "items[2]"), each part of it's
// dose that leaves e's library ranges, and each part given where e has no
// range: the same limits that item keeps the self-check's plan within
// (they enforce the contract's holds and massage minutes). Each message
// starts with the exercise's name.
func CheckDose(es *valid.Errors, path string, e *library.Exercise, it Item) {
	for _, f := range []struct {
		name string
		r    *library.Range
		v    int
	}{
		{"hold_seconds", e.Dose.HoldSeconds, it.HoldSeconds},
		{"reps", e.Dose.Reps, it.Reps},
		{"sets", e.Dose.Sets, it.Sets},
		{"minutes", e.Dose.Minutes, it.Minutes},
	} {
		switch {
		case f.r == nil && f.v != 0:
			es.Add(path+"."+f.name, e.Name+": has no "+words(f.name)+"; leave it empty")
		case f.r != nil && (f.v < f.r.Min || f.v > f.r.Max):
			es.Add(path+"."+f.name, e.Name+": must be between "+strconv.Itoa(f.r.Min)+" and "+strconv.Itoa(f.r.Max))
		}
	}
}

// words names a dose field in words.
func words(field string) string {
	switch field {
	case "hold_seconds":
		return "hold"
	case "reps":
		return "repetitions"
	}
	return field
}
