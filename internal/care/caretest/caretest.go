// Package caretest holds what tests of the outputs of a self-check result
// (page, terminal, PDFs) read from a result alike.
package caretest

import (
	"testing"

	"unknot/internal/care"
	"unknot/internal/library"
)

// ResultAt is the result of a desk worker with an over-stretched knot (so
// that a knot type, heat or cold and causes are found), raised to the
// urgency level; each level above self-care also fires rules of the levels
// below it.
func ResultAt(t testing.TB, level string) care.Result {
	t.Helper()
	desk := 8.0
	a := care.Answers{
		Version: care.Version, Age: 45, Regions: []string{"top_of_shoulder", "base_of_skull"}, DurationDays: 5, Onset: "gradual", PainNow: 4,
		Habits: care.Habits{DeskHours: &desk, Posture: []string{"rounded_shoulders", "forward_head"}, Stress: "high"},
	}
	switch level {
	case care.Emergency:
		a.Recurring, a.Symptoms.ChestPainOrPressure, a.Symptoms.TinglingOrNumbnessOneArm = true, true, true
	case care.Urgent:
		a.Recurring, a.Symptoms.FeverOrChills, a.Symptoms.PainSpreadsToArm = true, true, true
	case care.SeeProfessional:
		a.Recurring = true
	}
	r := care.Assess(library.Default(), a)
	if r.Urgency != level {
		t.Fatalf("answers meant for %s gave %s", level, r.Urgency)
	}
	return r
}

// Says lists what the reasons of r whose codes match keep say, in order.
func Says(r care.Result, keep func(code string) bool) []string {
	var out []string
	for _, reason := range r.Reasons {
		if keep(reason.Code) {
			out = append(out, reason.Says)
		}
	}
	return out
}

// RuleLevel is the urgency of the library's rule with code; empty for a
// reason that is not a rule (the pattern, the temperature, a cause).
func RuleLevel(code string) string {
	r, ok := library.Default().Rule(code)
	if !ok {
		return ""
	}
	return r.Urgency
}
