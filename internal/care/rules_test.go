package care

import (
	"slices"
	"testing"
)

// ruleCodes returns the codes of the urgency rules among reasons, in order.
func ruleCodes(r Result) []string {
	var out []string
	for _, re := range r.Reasons {
		if slices.ContainsFunc(rules[:], func(ru rule) bool { return ru.code == re.Code }) {
			out = append(out, re.Code)
		}
	}
	return out
}

func reasonFor(r Result, code string) *Reason {
	for i := range r.Reasons {
		if r.Reasons[i].Code == code {
			return &r.Reasons[i]
		}
	}
	return nil
}

func TestUrgencyRules(t *testing.T) {
	sym := func(set func(s *Symptoms)) func(a *Answers) { return func(a *Answers) { set(&a.Symptoms) } }
	injury := func(days int, set func(a *Answers)) func(a *Answers) {
		return func(a *Answers) {
			a.Onset, a.DurationDays = "after_injury", days
			set(a)
		}
	}
	thoracic := func(age int, onset string, region string) func(a *Answers) {
		return func(a *Answers) { a.Age, a.Onset, a.Regions = ptr(age), onset, []string{"back_of_neck", region} }
	}
	tests := []struct {
		name    string
		set     func(a *Answers)
		urgency string
		rules   []string // the urgency rules that fire, in order
		because []string // of the first rule
	}{
		{"nothing", func(a *Answers) {}, SelfCare, nil, nil},

		{"cardiac chest", sym(func(s *Symptoms) { s.ChestPainOrPressure = true }), Emergency, []string{"cardiac"}, []string{pChest}},
		{"cardiac arm and breath", sym(func(s *Symptoms) { s.PainSpreadsToArmOrJaw, s.ShortOfBreathSweatingOrNausea = true, true }), Emergency, []string{"cardiac", "nerve_root"}, []string{pArmJaw, pBreath}},
		{"cardiac arm and exertion", sym(func(s *Symptoms) { s.PainSpreadsToArmOrJaw, s.PainBroughtOnByExertion = true, true }), Emergency, []string{"cardiac", "nerve_root"}, []string{pArmJaw, pExertion}},
		{"cardiac breath and exertion", sym(func(s *Symptoms) { s.ShortOfBreathSweatingOrNausea, s.PainBroughtOnByExertion = true, true }), Emergency, []string{"cardiac"}, []string{pBreath, pExertion}},
		{"cardiac chest names only the chest", sym(func(s *Symptoms) { s.ChestPainOrPressure, s.ShortOfBreathSweatingOrNausea = true, true }), Emergency, []string{"cardiac"}, []string{pChest}},
		{"breath alone is no rule", sym(func(s *Symptoms) { s.ShortOfBreathSweatingOrNausea = true }), SelfCare, nil, nil},
		{"exertion alone is no rule", sym(func(s *Symptoms) { s.PainBroughtOnByExertion = true }), SelfCare, nil, nil},
		{"arm alone is nerve root", sym(func(s *Symptoms) { s.PainSpreadsToArmOrJaw = true }), Urgent, []string{"nerve_root"}, []string{pArmJaw}},

		{"stroke headache", sym(func(s *Symptoms) { s.SuddenSevereHeadache = true }), Emergency, []string{"stroke_or_artery"}, []string{pHeadache}},
		{"stroke dizziness", sym(func(s *Symptoms) { s.DizzinessDoubleVisionOrTroubleSpeakingOrSwallowing = true }), Emergency, []string{"stroke_or_artery"}, []string{pDizziness}},
		{"meningitis", sym(func(s *Symptoms) { s.StiffNeckWithFever = true }), Emergency, []string{"meningitis"}, []string{pStiffNeck}},
		{"spinal cord", sym(func(s *Symptoms) { s.BladderOrBowelChanges = true }), Emergency, []string{"spinal_cord"}, []string{pBladder}},

		{"trauma dangerous day 7", injury(7, func(a *Answers) { a.Injury.DangerousMechanism = true }), Emergency, []string{"neck_trauma"}, []string{"onset", "duration_days", "injury.dangerous_mechanism"}},
		{"trauma dangerous day 0", injury(0, func(a *Answers) { a.Injury.DangerousMechanism = true }), Emergency, []string{"neck_trauma"}, []string{"onset", "duration_days", "injury.dangerous_mechanism"}},
		{"trauma dangerous day 8", injury(8, func(a *Answers) { a.Injury.DangerousMechanism = true }), SelfCare, nil, nil},
		{"trauma age 65", injury(2, func(a *Answers) { a.Age = ptr(65) }), Emergency, []string{"neck_trauma"}, []string{"onset", "duration_days", "age"}},
		{"trauma age 64", injury(2, func(a *Answers) { a.Age = ptr(64) }), SelfCare, nil, nil},
		{"trauma one arm", injury(2, func(a *Answers) { a.Symptoms.TinglingOrNumbnessOneArm = true }), Emergency, []string{"neck_trauma", "nerve_root"}, []string{"onset", "duration_days", pOneArm}},
		{"trauma both hands", injury(2, func(a *Answers) { a.Symptoms.TinglingOrNumbnessBothHands = true }), Emergency, []string{"neck_trauma", "nerve_compression"}, []string{"onset", "duration_days", pBothHands}},
		{"trauma weakness", injury(2, func(a *Answers) { a.Symptoms.WeaknessInArmsOrHands = true }), Emergency, []string{"neck_trauma", "nerve_compression"}, []string{"onset", "duration_days", pWeakness}},
		{"dangerous mechanism without injury onset", func(a *Answers) { a.DurationDays, a.Injury.DangerousMechanism = 1, true }, SelfCare, nil, nil},

		{"compression both hands", sym(func(s *Symptoms) { s.TinglingOrNumbnessBothHands = true }), Urgent, []string{"nerve_compression"}, []string{pBothHands}},
		{"compression clumsy", sym(func(s *Symptoms) { s.ClumsyHandsOrUnsteadyWalking = true }), Urgent, []string{"nerve_compression"}, []string{pClumsy}},
		{"compression weakness", sym(func(s *Symptoms) { s.WeaknessInArmsOrHands = true }), Urgent, []string{"nerve_compression"}, []string{pWeakness}},
		{"nerve root one arm", sym(func(s *Symptoms) { s.TinglingOrNumbnessOneArm = true }), Urgent, []string{"nerve_root"}, []string{pOneArm}},

		{"after injury pain 7", injury(10, func(a *Answers) { a.PainNow = 7 }), Urgent, []string{"severe_after_injury"}, []string{"onset", "pain_now"}},
		{"after injury pain 6", injury(10, func(a *Answers) { a.PainNow = 6 }), SelfCare, nil, nil},
		{"after injury worst 8", injury(10, func(a *Answers) { a.PainWorst24h = ptr(8) }), Urgent, []string{"severe_after_injury"}, []string{"onset", "pain_worst_24h"}},
		{"after injury worst 7", injury(10, func(a *Answers) { a.PainWorst24h = ptr(7) }), SelfCare, nil, nil},
		{"after injury pain 8 is also severe", injury(10, func(a *Answers) { a.PainNow = 8 }), Urgent, []string{"severe_after_injury", "severe_pain"}, []string{"onset", "pain_now"}},
		{"pain 7 without injury", func(a *Answers) { a.PainNow, a.PainWorst24h = 7, ptr(9) }, SelfCare, nil, nil},

		{"infection fever", sym(func(s *Symptoms) { s.FeverOrChills = true }), Urgent, []string{"infection"}, []string{pFever}},
		{"infection swelling", sym(func(s *Symptoms) { s.SwellingAndRedness = true }), Urgent, []string{"infection"}, []string{pSwelling}},
		{"disease weight", sym(func(s *Symptoms) { s.UnexplainedWeightLoss = true }), Urgent, []string{"serious_disease"}, []string{pWeightLoss}},
		{"disease cancer", sym(func(s *Symptoms) { s.HistoryOfCancer = true }), Urgent, []string{"serious_disease"}, []string{pCancer}},
		{"disease night", sym(func(s *Symptoms) { s.ConstantNightPain = true }), Urgent, []string{"serious_disease"}, []string{pNightPain}},

		{"persistent 22", func(a *Answers) { a.DurationDays = 22 }, SeeProfessional, []string{"persistent"}, []string{"duration_days"}},
		{"persistent 21", func(a *Answers) { a.DurationDays = 21 }, SelfCare, nil, nil},
		{"worse 3 days", func(a *Answers) { a.Trend, a.HomeCareDays = "worse", 3 }, SeeProfessional, []string{"worse_despite_care"}, []string{"trend", "home_care_days"}},
		{"worse 2 days", func(a *Answers) { a.Trend, a.HomeCareDays = "worse", 2 }, SelfCare, nil, nil},
		{"same 14 days", func(a *Answers) { a.Trend, a.HomeCareDays = "same", 14 }, SeeProfessional, []string{"not_improving"}, []string{"trend", "home_care_days"}},
		{"same 13 days", func(a *Answers) { a.Trend, a.HomeCareDays = "same", 13 }, SelfCare, nil, nil},
		{"better 30 days", func(a *Answers) { a.Trend, a.HomeCareDays = "better", 30 }, SelfCare, nil, nil},
		{"disabling", func(a *Answers) { a.InterferesWithDailyLife = "a_lot" }, SeeProfessional, []string{"disabling"}, []string{"interferes_with_daily_life"}},
		{"somewhat disabling", func(a *Answers) { a.InterferesWithDailyLife = "somewhat" }, SelfCare, nil, nil},
		{"recurring", func(a *Answers) { a.Recurring = true }, SeeProfessional, []string{"recurring"}, []string{"recurring"}},
		{"pain 8", func(a *Answers) { a.PainNow = 8 }, SeeProfessional, []string{"severe_pain"}, []string{"pain_now"}},
		{"pain 7", func(a *Answers) { a.PainNow = 7 }, SelfCare, nil, nil},

		{"thoracic age 19", thoracic(19, "gradual", "between_shoulder_blades"), SeeProfessional, []string{"new_thoracic_pain_age"}, []string{"age", "regions", "onset"}},
		{"thoracic age 20", thoracic(20, "gradual", "between_shoulder_blades"), SelfCare, nil, nil},
		{"thoracic age 49", thoracic(49, "unknown", "upper_back_spine"), SelfCare, nil, nil},
		{"thoracic age 50", thoracic(50, "unknown", "upper_back_spine"), SeeProfessional, []string{"new_thoracic_pain_age"}, []string{"age", "regions", "onset"}},
		{"thoracic after lifting", thoracic(70, "after_lifting", "upper_back_spine"), SelfCare, nil, nil},
		{"thoracic elsewhere", thoracic(70, "gradual", "shoulder_blade"), SelfCare, nil, nil},
		{"thoracic without age", func(a *Answers) { a.Regions = []string{"upper_back_spine"} }, SelfCare, nil, nil},

		{"most severe first", func(a *Answers) {
			a.DurationDays, a.Recurring, a.Symptoms.FeverOrChills, a.Symptoms.StiffNeckWithFever = 30, true, true, true
		}, Emergency, []string{"meningitis", "infection", "persistent", "recurring"}, []string{pStiffNeck}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			tt.set(&a)
			if es := a.Validate(); len(es) > 0 {
				t.Fatalf("test answers are invalid: %v", es)
			}
			r := Assess(lib, a)
			if r.Urgency != tt.urgency {
				t.Errorf("urgency %s, want %s", r.Urgency, tt.urgency)
			}
			if got := ruleCodes(r); !slices.Equal(got, tt.rules) {
				t.Errorf("rules %v, want %v", got, tt.rules)
			}
			if len(tt.rules) > 0 {
				re := reasonFor(r, tt.rules[0])
				if !slices.Equal(re.Because, tt.because) {
					t.Errorf("%s because %v, want %v", re.Code, re.Because, tt.because)
				}
				if re.Says == "" || re.Source == "" {
					t.Errorf("%s has no text or source", re.Code)
				}
			}
			checkPlan(t, a, r)
		})
	}
}

func TestProfessional(t *testing.T) {
	tests := []struct {
		name    string
		set     func(a *Answers)
		kinds   []string
		styles  bool
		suggest bool
	}{
		{"self care", func(a *Answers) {}, []string{}, true, false},
		{"emergency", func(a *Answers) { a.Symptoms.ChestPainOrPressure, a.Recurring = true, true }, []string{"emergency_services"}, false, true},
		{"urgent", func(a *Answers) { a.Symptoms.FeverOrChills, a.Recurring = true, true }, []string{"doctor"}, false, true},
		{"recurring", func(a *Answers) { a.Recurring = true }, []string{"physiotherapist", "massage_therapist"}, true, true},
		{"severe pain", func(a *Answers) { a.PainNow = 8 }, []string{"doctor"}, true, true},
		{"persistent", func(a *Answers) { a.DurationDays = 30 }, []string{"doctor", "physiotherapist", "massage_therapist"}, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			tt.set(&a)
			p := Assess(lib, a).Professional
			if p.Suggest != tt.suggest || !slices.Equal(p.Kinds, tt.kinds) || (len(p.MassageStyles) > 0) != tt.styles || p.Why == "" {
				t.Errorf("got %+v, want suggest %v kinds %v styles %v", p, tt.suggest, tt.kinds, tt.styles)
			}
			for _, id := range p.MassageStyles {
				if _, ok := lib.MassageStyle(id); !ok {
					t.Errorf("massage style %q is not in the library", id)
				}
			}
		})
	}
}

func TestIsUrgencyRule(t *testing.T) {
	for _, code := range []string{"cardiac", "neck_trauma", "new_thoracic_pain_age"} {
		if !IsUrgencyRule(code) {
			t.Errorf("IsUrgencyRule(%q) = false", code)
		}
	}
	for _, code := range []string{"pattern_mixed", "temperature_cold", "cause_posture", ""} {
		if IsUrgencyRule(code) {
			t.Errorf("IsUrgencyRule(%q) = true", code)
		}
	}
}
