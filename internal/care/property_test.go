package care

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestProperties checks, over many random valid answers, the properties the
// contract and the design promise for every result.
func TestProperties(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	seen := map[string]int{} // urgency and pattern, to show the answers cover them
	for range 6000 {
		a := randomAnswers(rnd)
		r := Assess(lib, a)
		seen[r.Urgency]++
		seen[r.Pattern]++
		seen[r.Temperature]++
		js, _ := json.Marshal(a)

		checkPlan(t, a, r)
		checkResult(t, string(js), a, r)

		// Turning on any symptom, condition or dangerous mechanism never
		// lowers urgency; a symptom, a warning sign, never leaves self-care.
		for _, turnOn := range switches(a) {
			b := a
			path := turnOn(&b)
			rb := Assess(lib, b)
			if rank(rb.Urgency) < rank(r.Urgency) {
				t.Fatalf("%s: turning on %s lowers urgency from %s to %s", js, path, r.Urgency, rb.Urgency)
			}
			if strings.HasPrefix(path, "symptoms.") && rank(rb.Urgency) < rank(SeeProfessional) {
				t.Fatalf("%s: warning sign %s gives %s", js, path, rb.Urgency)
			}
			checkPlan(t, b, rb)
		}
	}
	for _, want := range []string{SelfCare, SeeProfessional, Urgent, Emergency, Overstretched, Overworked, Mixed, Unclear, Cold, Heat, Either} {
		if seen[want] < 50 {
			t.Errorf("only %d random answers gave %s", seen[want], want)
		}
	}
}

// switches returns a function for every yes/no answer of the screening and
// the health background that is off in a, which turns it on in a copy and
// returns its path. Copies share nothing that the switch changes: the
// symptoms, conditions and injury are values.
func switches(a Answers) []func(*Answers) string {
	var out []func(*Answers) string
	for i, f := range a.Symptoms.fields() {
		if !*f.value {
			out = append(out, func(b *Answers) string { *b.Symptoms.fields()[i].value = true; return f.path })
		}
	}
	for i, f := range a.Conditions.fields() {
		if !*f.value {
			out = append(out, func(b *Answers) string { *b.Conditions.fields()[i].value = true; return f.path })
		}
	}
	if !a.Injury.DangerousMechanism {
		out = append(out, func(b *Answers) string { b.Injury.DangerousMechanism = true; return pDangerous })
	}
	return out
}

// checkResult checks a result's own consistency: urgency and reasons, causes,
// the professional, and that every text comes from the library.
func checkResult(t *testing.T, js string, a Answers, r Result) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: "+format, append([]any{js}, args...)...)
	}
	if r.Version != Version || r.Headline == "" || r.Stage == "" {
		fail("version %d, headline %q, stage %q", r.Version, r.Headline, r.Stage)
	}
	// Urgency is the most severe level of the rules that fired, which come
	// first, most severe first.
	level := SelfCare
	last := rank(Emergency)
	for i, re := range r.Reasons {
		if re.Says == "" || re.Source == "" || re.Because == nil {
			fail("reason %q is undocumented or names no answers: %+v", re.Code, re)
		}
		if slices.ContainsFunc(r.Reasons[:i], func(o Reason) bool { return o.Code == re.Code }) {
			fail("reason %q twice", re.Code)
		}
		switch {
		case strings.HasPrefix(re.Code, "cause_"):
			if _, ok := lib.Cause(strings.TrimPrefix(re.Code, "cause_")); !ok {
				fail("cause reason %q is not in the library", re.Code)
			}
		case strings.HasPrefix(re.Code, "pattern_"), strings.HasPrefix(re.Code, "temperature_"):
			if _, ok := lib.AdviceFor(re.Code); !ok {
				fail("reason %q is not in the library's advice", re.Code)
			}
		default:
			ru, ok := lib.Rule(re.Code)
			if !ok {
				fail("reason %q is not a rule in the library", re.Code)
			}
			if rank(ru.Urgency) > last {
				fail("reason %q comes after a less severe one", re.Code)
			}
			last = rank(ru.Urgency)
			if rank(ru.Urgency) > rank(level) {
				level = ru.Urgency
			}
			if len(re.Because) == 0 {
				fail("rule %q names no answers", re.Code)
			}
		}
	}
	if r.Urgency != level {
		fail("urgency %s, rules reach %s", r.Urgency, level)
	}
	if !slices.IsSorted(r.Causes) || r.Causes == nil {
		fail("causes %v not sorted", r.Causes)
	}
	p := r.Professional
	if p.Suggest != (r.Urgency != SelfCare) || p.Why == "" || p.Kinds == nil || p.MassageStyles == nil {
		fail("professional %+v with urgency %s", p, r.Urgency)
	}
	switch r.Urgency {
	case Emergency:
		if !slices.Equal(p.Kinds, []string{"emergency_services"}) || len(p.MassageStyles) > 0 {
			fail("emergency professional %+v", p)
		}
	case Urgent:
		if !slices.Contains(p.Kinds, "doctor") || slices.Contains(p.Kinds, "emergency_services") || len(p.MassageStyles) > 0 {
			fail("urgent professional %+v", p)
		}
	case SeeProfessional:
		if len(p.Kinds) == 0 || slices.Contains(p.Kinds, "emergency_services") {
			fail("see_professional kinds %v", p.Kinds)
		}
	case SelfCare:
		if len(p.Kinds) != 0 {
			fail("self_care kinds %v", p.Kinds)
		}
	}
	if a.Symptoms.Any() && r.Urgency == SelfCare {
		fail("a warning sign gives self_care")
	}
	for _, id := range p.MassageStyles {
		if _, ok := lib.MassageStyle(id); !ok {
			fail("massage style %q is not in the library", id)
		}
	}
}
