// Package caretest holds what tests of the outputs of a self-check result
// (page, terminal, PDFs) read from a result alike.
package caretest

import (
	"unknot/internal/care"
	"unknot/internal/library"
)

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
