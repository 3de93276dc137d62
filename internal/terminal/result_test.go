package terminal

import (
	"bytes"
	"strings"
	"testing"

	"unknot/internal/care"
	"unknot/internal/care/caretest"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

func write(r care.Result, call urgency.Numbers) string {
	var buf bytes.Buffer
	WriteResult(&buf, library.Default(), r, call)
	return buf.String()
}

func contains(t *testing.T, level, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("%s: no %q in\n%s", level, want, out)
		}
	}
}

func lacks(t *testing.T, level, out string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(out, u) {
			t.Errorf("%s: says %q in\n%s", level, u, out)
		}
	}
}

// levelFirst checks that the output opens with the level's banner and
// says the level in care.LevelOf's words.
func levelFirst(t *testing.T, out string, r care.Result) {
	t.Helper()
	l := care.LevelOf(r.Urgency)
	lines := strings.SplitN(out, "\n", 3)
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "=") || strings.TrimSpace(lines[1]) != strings.ToUpper(l.Name+": "+l.Title) {
		t.Errorf("%s: does not open with the level:\n%s", r.Urgency, out)
	}
	contains(t, r.Urgency, out, r.Headline)
	for _, s := range []string{l.Until, l.Worse} {
		if s != "" {
			contains(t, r.Urgency, out, s)
		}
	}
}

func TestEmergencyTextIsAboutTheEmergencyOnly(t *testing.T) {
	r := caretest.ResultAt(t, care.Emergency)
	out := write(r, urgency.DefaultNumbers())
	levelFirst(t, out, r)
	contains(t, "emergency", out, "Dial 911 (US and Canada), 112 (Europe and many other countries) or 999 (UK and Ireland).")
	contains(t, "emergency", out, urgency.WhileWaiting(library.Default()).Items...)
	contains(t, "emergency", out, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) == care.Emergency })...)
	contains(t, "emergency", out, care.Label("symptoms.chest_pain_or_pressure"))
	lacks(t, "emergency", out, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) != care.Emergency })...)
	lacks(t, "emergency", strings.ToLower(out), "doctor", "book", "within a day", "massage", "kind of knot", "relief right now", "who to see", "likely causes")

	numbers, err := urgency.ParseNumbers("112")
	if err != nil {
		t.Fatal(err)
	}
	out = write(r, numbers)
	contains(t, "emergency in Europe", out, "Dial 112 (Europe and many other countries).")
	lacks(t, "emergency in Europe", out, "911")
}

func TestUrgentTextHasNoKnot(t *testing.T) {
	r := caretest.ResultAt(t, care.Urgent)
	out := write(r, urgency.DefaultNumbers())
	levelFirst(t, out, r)
	contains(t, "urgent", out, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) == care.Urgent })...)
	also := urgency.AlsoFound(library.Default(), r)
	contains(t, "urgent", out, also.Title)
	contains(t, "urgent", out, also.Items...)
	lacks(t, "urgent", out, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) != care.Urgent })...)
	lacks(t, "urgent", strings.ToLower(out), "dial", "book", "home care may go on", "kind of knot", "likely causes", "relief right now", "massage styles")
}

func TestHomeCareTextHasTheWholeResultAndPlan(t *testing.T) {
	for _, level := range []string{care.SeeProfessional, care.SelfCare} {
		r := caretest.ResultAt(t, level)
		out := write(r, urgency.DefaultNumbers())
		levelFirst(t, out, r)
		contains(t, level, out, caretest.Says(r, func(string) bool { return true })...)
		contains(t, level, out, "Kind of knot", "Likely causes", "Relief right now", "Your 7 days", "Chin tuck")
		lacks(t, level, out, "Dial", "While you wait")
	}
}
