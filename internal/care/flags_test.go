package care

import (
	"slices"
	"testing"
)

// The red flags are the warning signs answered yes, by path, in the
// contract's order, each with a label in the questionnaire's words.
func TestSymptomsYes(t *testing.T) {
	if got := (Symptoms{}).Yes(); got != nil {
		t.Errorf("no signs: %v", got)
	}
	s := Symptoms{ConstantNightPain: true, ShortOfBreath: true}
	got := s.Yes()
	if want := []string{pBreath, pNightPain}; !slices.Equal(got, want) {
		t.Errorf("Yes() = %v, want %v", got, want)
	}
	for _, p := range got {
		if Label(p) == p || Label(p) == "" {
			t.Errorf("no words for %s", p)
		}
	}
}
