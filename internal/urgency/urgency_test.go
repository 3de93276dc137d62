package urgency

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"unknot/internal/care"
	"unknot/internal/library"
)

func TestParseNumbers(t *testing.T) {
	tests := []struct {
		list string
		want Numbers
	}{
		{"911", Numbers{{"911", "US and Canada"}}},
		{"112,999", Numbers{{"112", "Europe and many other countries"}, {"999", "UK and Ireland"}}},
		{" 000 , 112 ", Numbers{{"000", ""}, {"112", "Europe and many other countries"}}},
	}
	for _, tt := range tests {
		got, err := ParseNumbers(tt.list)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseNumbers(%q) = %v, %v; want %v", tt.list, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "112,", "91 1", "tel:911", "+44999", "112,112", "1234567890123456", "911;112"} {
		if got, err := ParseNumbers(bad); err == nil {
			t.Errorf("ParseNumbers(%q) = %v, want an error", bad, got)
		}
	}
}

func TestDefaultNumbersAreValidAndNamed(t *testing.T) {
	ns := DefaultNumbers()
	if err := ns.Validate(); err != nil {
		t.Fatal(err)
	}
	var digits []string
	for _, n := range ns {
		digits = append(digits, n.Digits)
		if n.Where == "" {
			t.Errorf("%s: no countries named", n.Digits)
		}
	}
	if !slices.Equal(digits, []string{"911", "112", "999"}) {
		t.Errorf("default numbers %v, want 911, 112 and 999", digits)
	}
	ns[0].Digits = "0"
	if DefaultNumbers()[0].Digits != "911" {
		t.Error("changing the returned numbers changed the defaults")
	}
	if got := (Numbers{}).Validate(); got == nil {
		t.Error("no numbers at all is valid")
	}
}

func TestNumbersString(t *testing.T) {
	tests := map[string]string{
		"911":         "911 (US and Canada)",
		"112,999":     "112 (Europe and many other countries) or 999 (UK and Ireland)",
		"911,112,000": "911 (US and Canada), 112 (Europe and many other countries) or 000",
	}
	for list, want := range tests {
		ns, err := ParseNumbers(list)
		if err != nil {
			t.Fatal(err)
		}
		if got := ns.String(); got != want {
			t.Errorf("%s: %q, want %q", list, got, want)
		}
	}
}

func TestWhileWaitingIsTheEmergencyAdvice(t *testing.T) {
	lib := library.Default()
	got := WhileWaiting(lib).Items
	if len(got) == 0 {
		t.Fatal("nothing to do while waiting for help")
	}
	for i := 1; i <= 4; i++ {
		a, ok := lib.AdviceFor("emergency_wait_" + strconv.Itoa(i))
		if !ok || !slices.Contains(got, a.Says) {
			t.Errorf("emergency_wait_%d is missing from %q", i, got)
		}
	}
}

func TestEmergencySignsCoverEveryEmergencyRule(t *testing.T) {
	lib := library.Default()
	signs := EmergencySigns(lib)
	for _, r := range lib.Rules {
		for _, s := range r.Signs {
			if got := slices.Contains(signs, s); got != (r.Urgency == care.Emergency) {
				t.Errorf("%s (%s): sign %q listed: %v", r.Code, r.Urgency, s, got)
			}
		}
	}
}

// assess runs the self-check on answers that differ from a plain, new knot
// by change.
func assess(change func(a *care.Answers)) care.Result {
	desk := 8.0
	a := care.Answers{
		Version: care.Version, Age: 45, Regions: []string{"between_shoulder_blades", "top_of_shoulder"},
		DurationDays: 2, Onset: "gradual", PainNow: 5,
		Habits: care.Habits{DeskHours: &desk, Posture: []string{"rounded_shoulders"}},
	}
	change(&a)
	return care.Assess(library.Default(), a)
}

func codes(reasons []care.Reason) []string {
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = r.Code
	}
	return out
}

func TestReasonsOfEachLevel(t *testing.T) {
	lib := library.Default()
	// A stiff neck with fever (emergency), tingling in both hands
	// (urgent) and a recurring knot (see a professional) all at once.
	emergency := assess(func(a *care.Answers) {
		a.Symptoms.StiffNeckWithFever = true
		a.Symptoms.TinglingOrNumbnessBothHands = true
		a.Recurring = true
	})
	urgent := assess(func(a *care.Answers) {
		a.Symptoms.TinglingOrNumbnessBothHands = true
		a.Recurring = true
	})
	seePro := assess(func(a *care.Answers) { a.Recurring = true })
	selfCare := assess(func(*care.Answers) {})
	for _, tt := range []struct {
		r            care.Result
		urgency      string
		want         []string // exactly these, in this order
		alsoInResult []string // fired, kept in the result, not shown
	}{
		{emergency, care.Emergency, []string{"meningitis"}, []string{"nerve_compression", "recurring", "pattern_overstretched"}},
		{urgent, care.Urgent, []string{"nerve_compression"}, []string{"recurring", "pattern_overstretched", "temperature_heat", "cause_posture"}},
	} {
		if tt.r.Urgency != tt.urgency {
			t.Fatalf("urgency %s, want %s", tt.r.Urgency, tt.urgency)
		}
		got := codes(Reasons(lib, tt.r))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: shows %v, want %v", tt.urgency, got, tt.want)
		}
		for _, code := range tt.alsoInResult {
			if !slices.Contains(codes(tt.r.Reasons), code) {
				t.Errorf("%s: %s is not in the result's reasons %v", tt.urgency, code, codes(tt.r.Reasons))
			}
		}
	}
	for _, r := range []care.Result{seePro, selfCare} {
		if got := codes(Reasons(lib, r)); !slices.Equal(got, codes(r.Reasons)) {
			t.Errorf("%s: shows %v, want every reason %v", r.Urgency, got, codes(r.Reasons))
		}
	}
}

func TestAlsoFoundNamesTheLowerRulesOfAnUrgentResult(t *testing.T) {
	lib := library.Default()
	signs := func(code string) string {
		r, _ := lib.Rule(code)
		s := strings.Join(r.Signs, " or ")
		return strings.ToUpper(s[:1]) + s[1:]
	}
	urgent := assess(func(a *care.Answers) {
		a.Symptoms.FeverOrChills = true
		a.Symptoms.PainSpreadsToArm = true
		a.Recurring = true
	})
	if got, want := AlsoFound(lib, urgent).Items, []string{signs("nerve_root"), signs("recurring")}; !slices.Equal(got, want) {
		t.Errorf("urgent: also found %q, want %q", got, want)
	}
	for _, r := range []care.Result{
		assess(func(a *care.Answers) { a.Symptoms.ChestPainOrPressure, a.Recurring = true, true }),
		assess(func(a *care.Answers) { a.Recurring = true }),
	} {
		if got := AlsoFound(lib, r).Items; got != nil {
			t.Errorf("%s: also found %q, want nothing", r.Urgency, got)
		}
	}
}
