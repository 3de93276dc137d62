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
	con := func(set func(c *Conditions)) func(a *Answers) { return func(a *Answers) { set(&a.Conditions) } }
	days := func(n int, set func(a *Answers)) func(a *Answers) {
		return func(a *Answers) { a.DurationDays = n; set(a) }
	}
	onset := func(o string, n int, set func(a *Answers)) func(a *Answers) {
		return func(a *Answers) { a.Onset, a.DurationDays = o, n; set(a) }
	}
	age := func(n int) func(a *Answers) { return func(a *Answers) { a.Age = n } }
	spine := func(years int, o string, region string) func(a *Answers) {
		return func(a *Answers) { a.Age, a.Onset, a.Regions = years, o, []string{"side_of_neck", region} }
	}
	// off keeps the base answers' region off the spine, for rules that need
	// one.
	off := func(set func(a *Answers)) func(a *Answers) {
		return func(a *Answers) { a.Regions = []string{"shoulder_blade"}; set(a) }
	}
	tests := []struct {
		name    string
		set     func(a *Answers)
		urgency string
		rules   []string // the urgency rules that fire, in order
		because []string // of the first rule
	}{
		{"nothing", func(a *Answers) {}, SelfCare, nil, nil},

		// cardiac
		{"cardiac chest", sym(func(s *Symptoms) { s.ChestPainOrPressure = true }), Emergency, []string{"cardiac"}, []string{pChest}},
		{"cardiac jaw and breath", sym(func(s *Symptoms) { s.PainInJawOrThroat, s.ShortOfBreath = true, true }), Emergency, []string{"cardiac", "heart_or_lung_warning"}, []string{pJaw, pBreath}},
		{"cardiac arm and sweat", sym(func(s *Symptoms) { s.PainSpreadsToArm, s.ColdSweatOrNausea = true, true }), Emergency, []string{"cardiac", "heart_or_lung_warning", "nerve_root"}, []string{pArm, pSweat}},
		{"cardiac arm and exertion", sym(func(s *Symptoms) { s.PainSpreadsToArm, s.PainBroughtOnByExertion = true, true }), Emergency, []string{"cardiac", "heart_or_lung_warning", "nerve_root"}, []string{pArm, pExertion}},
		{"cardiac sweat and breath", sym(func(s *Symptoms) { s.ColdSweatOrNausea, s.ShortOfBreath = true, true }), Emergency, []string{"cardiac", "heart_or_lung_warning"}, []string{pSweat, pBreath}},
		{"cardiac sweat and exertion", sym(func(s *Symptoms) { s.ColdSweatOrNausea, s.PainBroughtOnByExertion = true, true }), Emergency, []string{"cardiac", "heart_or_lung_warning"}, []string{pSweat, pExertion}},
		{"cardiac sweat, 40, new pain", days(7, func(a *Answers) { a.Age, a.Symptoms.ColdSweatOrNausea = 40, true }), Emergency, []string{"cardiac", "heart_or_lung_warning"}, []string{pSweat, pAge, pDuration}},
		{"sweat, 39, new pain", days(7, func(a *Answers) { a.Age, a.Symptoms.ColdSweatOrNausea = 39, true }), Urgent, []string{"heart_or_lung_warning"}, []string{pSweat}},
		{"sweat, 40, day 8", days(8, func(a *Answers) { a.Age, a.Symptoms.ColdSweatOrNausea = 40, true }), Urgent, []string{"heart_or_lung_warning"}, []string{pSweat}},
		{"jaw alone", sym(func(s *Symptoms) { s.PainInJawOrThroat = true }), Urgent, []string{"heart_or_lung_warning"}, []string{pJaw}},
		{"exertion alone", sym(func(s *Symptoms) { s.PainBroughtOnByExertion = true }), Urgent, []string{"heart_or_lung_warning"}, []string{pExertion}},
		{"arm and jaw without a companion", sym(func(s *Symptoms) { s.PainSpreadsToArm, s.PainInJawOrThroat = true, true }), Urgent, []string{"heart_or_lung_warning", "nerve_root"}, []string{pJaw}},

		// lung
		{"lung breath and pain on breathing", sym(func(s *Symptoms) { s.ShortOfBreath, s.PainOnBreathing = true, true }), Emergency, []string{"lung", "heart_or_lung_warning"}, []string{pBreath, pBreathing}},
		{"lung breath, new pain day 7", days(7, func(a *Answers) { a.Symptoms.ShortOfBreath = true }), Emergency, []string{"lung", "heart_or_lung_warning"}, []string{pBreath, pDuration}},
		{"breath, day 8", days(8, func(a *Answers) { a.Symptoms.ShortOfBreath = true }), Urgent, []string{"heart_or_lung_warning"}, []string{pBreath}},
		{"pain on breathing alone", sym(func(s *Symptoms) { s.PainOnBreathing = true }), Urgent, []string{"heart_or_lung_warning"}, []string{pBreathing}},

		// aorta, stroke, meningitis, spinal cord
		{"tearing pain", sym(func(s *Symptoms) { s.SuddenTearingPain = true }), Emergency, []string{"aorta_or_artery"}, []string{pTearing}},
		{"stroke headache", sym(func(s *Symptoms) { s.SuddenSevereHeadache = true }), Emergency, []string{"stroke_or_artery"}, []string{pHeadache}},
		{"stroke dizziness", sym(func(s *Symptoms) { s.NewDizzinessVisionSpeechOrSwallowing = true }), Emergency, []string{"stroke_or_artery"}, []string{pDizziness}},
		{"stroke face droop", sym(func(s *Symptoms) { s.FaceDroopOrOneSidedWeakness = true }), Emergency, []string{"stroke_or_artery"}, []string{pFaceDroop}},
		{"stroke fainting", sym(func(s *Symptoms) { s.FaintingOrDropAttacks = true }), Emergency, []string{"stroke_or_artery"}, []string{pFainting}},
		{"meningitis", sym(func(s *Symptoms) { s.StiffNeckWithFever = true }), Emergency, []string{"meningitis"}, []string{pStiffNeck}},
		{"spinal cord", sym(func(s *Symptoms) { s.BladderOrBowelChanges = true }), Emergency, []string{"spinal_cord"}, []string{pBladder}},

		// neck_trauma
		{"trauma dangerous day 7", onset("after_injury", 7, func(a *Answers) { a.Injury.DangerousMechanism = true }), Emergency, []string{"neck_trauma"}, []string{pOnset, pDuration, pDangerous}},
		{"trauma dangerous day 0", onset("after_injury", 0, func(a *Answers) { a.Injury.DangerousMechanism = true }), Emergency, []string{"neck_trauma"}, []string{pOnset, pDuration, pDangerous}},
		{"trauma dangerous day 8", onset("after_injury", 8, func(a *Answers) { a.Injury.DangerousMechanism = true }), SelfCare, nil, nil},
		{"trauma age 65", onset("after_injury", 2, age(65)), Emergency, []string{"neck_trauma", "injury_risk"}, []string{pOnset, pDuration, pAge}},
		{"trauma age 64", onset("after_injury", 2, age(64)), SelfCare, nil, nil},
		{"trauma one arm", onset("after_injury", 2, func(a *Answers) { a.Symptoms.TinglingOrNumbnessOneArm = true }), Emergency, []string{"neck_trauma", "nerve_root"}, []string{pOnset, pDuration, pOneArm}},
		{"trauma both hands", onset("after_injury", 2, func(a *Answers) { a.Symptoms.TinglingOrNumbnessBothHands = true }), Emergency, []string{"neck_trauma", "nerve_compression"}, []string{pOnset, pDuration, pBothHands}},
		{"trauma weakness", onset("after_injury", 2, func(a *Answers) { a.Symptoms.WeaknessInArmsOrHands = true }), Emergency, []string{"neck_trauma", "nerve_compression"}, []string{pOnset, pDuration, pWeakness}},
		{"dangerous mechanism without injury onset", days(1, func(a *Answers) { a.Injury.DangerousMechanism = true }), SelfCare, nil, nil},

		// nerve_compression
		{"compression both hands", sym(func(s *Symptoms) { s.TinglingOrNumbnessBothHands = true }), Urgent, []string{"nerve_compression"}, []string{pBothHands}},
		{"compression clumsy", sym(func(s *Symptoms) { s.ClumsyHandsOrUnsteadyWalking = true }), Urgent, []string{"nerve_compression"}, []string{pClumsy}},
		{"compression weakness", sym(func(s *Symptoms) { s.WeaknessInArmsOrHands = true }), Urgent, []string{"nerve_compression"}, []string{pWeakness}},

		// severe_after_injury
		{"after injury pain 7", onset("after_injury", 10, func(a *Answers) { a.PainNow = 7 }), Urgent, []string{"severe_after_injury"}, []string{pOnset, pDuration, pPainNow}},
		{"after injury pain 6", onset("after_injury", 10, func(a *Answers) { a.PainNow = 6 }), SelfCare, nil, nil},
		{"after injury worst 8", onset("after_injury", 10, func(a *Answers) { a.PainWorst24h = ptr(8) }), Urgent, []string{"severe_after_injury"}, []string{pOnset, pDuration, pPainWorst}},
		{"after injury worst 7", onset("after_injury", 10, func(a *Answers) { a.PainWorst24h = ptr(7) }), SelfCare, nil, nil},
		{"after injury pain 8 is also severe", onset("after_injury", 10, func(a *Answers) { a.PainNow = 8 }), Urgent, []string{"severe_after_injury", "severe_pain"}, []string{pOnset, pDuration, pPainNow}},
		{"after injury pain 7 day 42", onset("after_injury", 42, func(a *Answers) { a.PainNow = 7 }), Urgent, []string{"severe_after_injury", "persistent"}, []string{pOnset, pDuration, pPainNow}},
		{"after injury pain 7 day 43", onset("after_injury", 43, func(a *Answers) { a.PainNow = 7 }), SeeProfessional, []string{"persistent"}, []string{pDuration}},
		{"pain 7 without injury", func(a *Answers) { a.PainNow, a.PainWorst24h = 7, ptr(9) }, SelfCare, nil, nil},

		// injury_risk
		{"fall at 80, day 10", onset("after_injury", 10, age(80)), Urgent, []string{"injury_risk"}, []string{pOnset, pDuration, pAge}},
		{"fall at 65, day 42", onset("after_injury", 42, age(65)), Urgent, []string{"injury_risk", "persistent"}, []string{pOnset, pDuration, pAge}},
		{"fall at 65, day 43", onset("after_injury", 43, age(65)), SeeProfessional, []string{"persistent"}, []string{pDuration}},
		{"fall at 64, day 10", onset("after_injury", 10, age(64)), SelfCare, nil, nil},
		{"knock on blood thinners", onset("after_injury", 10, con(func(c *Conditions) { c.BloodThinners = true })), Urgent, []string{"injury_risk"}, []string{pOnset, pDuration, pThinners}},
		{"fall with osteoporosis", onset("after_injury", 10, con(func(c *Conditions) { c.Osteoporosis = true })), Urgent, []string{"injury_risk"}, []string{pOnset, pDuration, pOsteoporosis}},
		{"fall on steroids", onset("after_injury", 10, con(func(c *Conditions) { c.LongTermSteroids = true })), Urgent, []string{"injury_risk"}, []string{pOnset, pDuration, pSteroids}},
		{"fall with arthritis", onset("after_injury", 10, con(func(c *Conditions) { c.InflammatoryArthritis = true })), Urgent, []string{"injury_risk", "inflammatory_disease"}, []string{pOnset, pDuration, pArthritis}},
		{"fall after neck surgery", onset("after_injury", 10, con(func(c *Conditions) { c.NeckSurgery = true })), Urgent, []string{"injury_risk"}, []string{pOnset, pDuration, pNeckSurgery}},
		{"blood thinners without injury", con(func(c *Conditions) { c.BloodThinners = true }), SelfCare, nil, nil},

		// fragile_bones
		{"lifting with osteoporosis", onset("after_lifting", 5, con(func(c *Conditions) { c.Osteoporosis = true })), Urgent, []string{"fragile_bones"}, []string{pOnset, pDuration, pOsteoporosis}},
		{"lifting on steroids", onset("after_lifting", 42, con(func(c *Conditions) { c.LongTermSteroids = true })), Urgent, []string{"fragile_bones", "persistent"}, []string{pOnset, pDuration, pSteroids}},
		{"lifting on steroids day 43", onset("after_lifting", 43, con(func(c *Conditions) { c.LongTermSteroids = true })), SeeProfessional, []string{"persistent"}, []string{pDuration}},
		{"lifting at 65, spine", onset("after_lifting", 5, age(65)), Urgent, []string{"fragile_bones"}, []string{pOnset, pDuration, pAge, pRegions}},
		{"lifting at 64, spine", onset("after_lifting", 5, age(64)), SelfCare, nil, nil},
		{"lifting at 70, shoulder blade", off(onset("after_lifting", 5, age(70))), SelfCare, nil, nil},
		{"osteoporosis alone", con(func(c *Conditions) { c.Osteoporosis = true }), SelfCare, nil, nil},

		// artery_warning
		{"new headache", sym(func(s *Symptoms) { s.NewHeadache = true }), Urgent, []string{"artery_warning"}, []string{pNewHeadache}},
		{"manipulated, day 7", days(7, con(func(c *Conditions) { c.RecentNeckManipulation = true })), Urgent, []string{"artery_warning"}, []string{pManipulation, pDuration}},
		{"manipulated, day 8", days(8, con(func(c *Conditions) { c.RecentNeckManipulation = true })), SelfCare, nil, nil},

		// infection, serious_disease
		{"infection fever", sym(func(s *Symptoms) { s.FeverOrChills = true }), Urgent, []string{"infection"}, []string{pFever}},
		{"infection swelling", sym(func(s *Symptoms) { s.SwellingAndRedness = true }), Urgent, []string{"infection"}, []string{pSwelling}},
		{"disease weight", sym(func(s *Symptoms) { s.UnexplainedWeightLoss = true }), Urgent, []string{"serious_disease"}, []string{pWeightLoss}},
		{"disease night", sym(func(s *Symptoms) { s.ConstantNightPain = true }), Urgent, []string{"serious_disease"}, []string{pNightPain}},
		{"cancer, spinal pain", con(func(c *Conditions) { c.HistoryOfCancer = true }), Urgent, []string{"serious_disease", "cancer_history"}, []string{pCancer, pRegions}},
		{"cancer, shoulder blade", off(con(func(c *Conditions) { c.HistoryOfCancer = true })), SeeProfessional, []string{"cancer_history"}, []string{pCancer}},

		// see_professional
		{"nerve root one arm", sym(func(s *Symptoms) { s.TinglingOrNumbnessOneArm = true }), SeeProfessional, []string{"nerve_root"}, []string{pOneArm}},
		{"nerve root arm pain", sym(func(s *Symptoms) { s.PainSpreadsToArm = true }), SeeProfessional, []string{"nerve_root"}, []string{pArm}},
		{"persistent 22", days(22, func(*Answers) {}), SeeProfessional, []string{"persistent"}, []string{pDuration}},
		{"persistent 21", days(21, func(*Answers) {}), SelfCare, nil, nil},
		{"worse 3 days", func(a *Answers) { a.Trend, a.HomeCareDays = "worse", 3 }, SeeProfessional, []string{"worse_despite_care"}, []string{pTrend, pHomeCare}},
		{"worse 2 days", func(a *Answers) { a.Trend, a.HomeCareDays = "worse", 2 }, SelfCare, nil, nil},
		{"same 14 days", func(a *Answers) { a.Trend, a.HomeCareDays = "same", 14 }, SeeProfessional, []string{"not_improving"}, []string{pTrend, pHomeCare}},
		{"same 13 days", func(a *Answers) { a.Trend, a.HomeCareDays = "same", 13 }, SelfCare, nil, nil},
		{"better 30 days", func(a *Answers) { a.Trend, a.HomeCareDays = "better", 30 }, SelfCare, nil, nil},
		{"disabling", func(a *Answers) { a.InterferesWithDailyLife = "a_lot" }, SeeProfessional, []string{"disabling"}, []string{pInterferes}},
		{"somewhat disabling", func(a *Answers) { a.InterferesWithDailyLife = "somewhat" }, SelfCare, nil, nil},
		{"recurring", func(a *Answers) { a.Recurring = true }, SeeProfessional, []string{"recurring"}, []string{pRecurring}},
		{"pain 8", func(a *Answers) { a.PainNow = 8 }, SeeProfessional, []string{"severe_pain"}, []string{pPainNow}},
		{"pain 7", func(a *Answers) { a.PainNow = 7 }, SelfCare, nil, nil},
		{"spinal age 19", spine(19, "gradual", "between_shoulder_blades"), SeeProfessional, []string{"new_spinal_pain_age"}, []string{pAge, pRegions, pOnset}},
		{"spinal age 20", spine(20, "gradual", "between_shoulder_blades"), SelfCare, nil, nil},
		{"spinal age 49", spine(49, "unknown", "upper_back_spine"), SelfCare, nil, nil},
		{"spinal age 50", spine(50, "unknown", "upper_back_spine"), SeeProfessional, []string{"new_spinal_pain_age"}, []string{pAge, pRegions, pOnset}},
		{"spinal age 50, back of neck", spine(50, "gradual", "back_of_neck"), SeeProfessional, []string{"new_spinal_pain_age"}, []string{pAge, pRegions, pOnset}},
		{"spinal age 50, long ago", days(3000, spine(50, "gradual", "back_of_neck")), SeeProfessional, []string{"persistent", "new_spinal_pain_age"}, []string{pDuration}},
		{"spinal after lifting", spine(60, "after_lifting", "upper_back_spine"), SelfCare, nil, nil},
		{"spinal woke up with it", spine(70, "woke_up_with_it", "upper_back_spine"), SelfCare, nil, nil},
		{"not spinal", spine(70, "gradual", "shoulder_blade"), SelfCare, nil, nil},
		{"immune", con(func(c *Conditions) { c.WeakenedImmuneSystem = true }), SeeProfessional, []string{"infection_risk"}, []string{pImmune}},
		{"injects drugs", con(func(c *Conditions) { c.InjectsDrugs = true }), SeeProfessional, []string{"infection_risk"}, []string{pInjects}},
		{"arthritis", con(func(c *Conditions) { c.InflammatoryArthritis = true }), SeeProfessional, []string{"inflammatory_disease"}, []string{pArthritis}},
		{"pregnant", con(func(c *Conditions) { c.Pregnant = true }), SeeProfessional, []string{"pregnancy"}, []string{pPregnant}},
		{"neck surgery alone", con(func(c *Conditions) { c.NeckSurgery = true }), SelfCare, nil, nil},

		{"most severe first", days(30, func(a *Answers) {
			a.Recurring, a.Symptoms.FeverOrChills, a.Symptoms.StiffNeckWithFever = true, true, true
		}), Emergency, []string{"meningitis", "infection", "persistent", "recurring"}, []string{pStiffNeck}},
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
		{"pregnant", func(a *Answers) { a.Conditions.Pregnant = true }, []string{"doctor", "physiotherapist"}, true, true},
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

// TestReviewCases are the people an outside review of version 1 found sent
// home, or sent to a doctor within a day, wrongly (issue 7), as a person
// would answer.
func TestReviewCases(t *testing.T) {
	tests := []struct {
		name    string
		set     func(a *Answers)
		urgency string
		rule    string
	}{
		{"62, new pain between the shoulder blades, cold sweat and nausea", func(a *Answers) {
			a.Age, a.Regions, a.DurationDays, a.Onset, a.Symptoms.ColdSweatOrNausea = 62, []string{"between_shoulder_blades"}, 1, "unknown", true
		}, Emergency, "cardiac"},
		{"40, pain between the shoulder blades since today, out of breath", func(a *Answers) {
			a.Age, a.Regions, a.DurationDays, a.Onset, a.Symptoms.ShortOfBreath = 40, []string{"between_shoulder_blades"}, 0, "unknown", true
		}, Emergency, "lung"},
		{"68, sudden tearing pain 9/10", func(a *Answers) {
			a.Age, a.Regions, a.DurationDays, a.PainNow, a.Symptoms.SuddenTearingPain = 68, []string{"between_shoulder_blades"}, 0, 9, true
		}, Emergency, "aorta_or_artery"},
		{"sudden weakness down one side", func(a *Answers) { a.Symptoms.FaceDroopOrOneSidedWeakness = true }, Emergency, "stroke_or_artery"},
		{"80, fell 10 days ago", func(a *Answers) { a.Age, a.Onset, a.DurationDays = 80, "after_injury", 10 }, Urgent, "injury_risk"},
		{"80, fell 2 days ago", func(a *Answers) { a.Age, a.Onset, a.DurationDays = 80, "after_injury", 2 }, Emergency, "neck_trauma"},
		{"on blood thinners after a knock", func(a *Answers) {
			a.Onset, a.DurationDays, a.Conditions.BloodThinners = "after_injury", 3, true
		}, Urgent, "injury_risk"},
		{"76 with osteoporosis after lifting", func(a *Answers) {
			a.Age, a.Onset, a.DurationDays, a.Conditions.Osteoporosis = 76, "after_lifting", 4, true
		}, Urgent, "fragile_bones"},
		{"pregnant", func(a *Answers) { a.Conditions.Pregnant = true }, SeeProfessional, "pregnancy"},
		{"tingling in one arm alone", func(a *Answers) { a.Symptoms.TinglingOrNumbnessOneArm = true }, SeeProfessional, "nerve_root"},
		{"cancer years ago, pain on a shoulder blade", func(a *Answers) {
			a.Regions, a.Conditions.HistoryOfCancer = []string{"shoulder_blade"}, true
		}, SeeProfessional, "cancer_history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			tt.set(&a)
			r := Assess(lib, a)
			if r.Urgency != tt.urgency || ruleCodes(r)[0] != tt.rule {
				t.Errorf("urgency %s by %v, want %s by %s", r.Urgency, ruleCodes(r), tt.urgency, tt.rule)
			}
			checkPlan(t, a, r)
		})
	}
}
