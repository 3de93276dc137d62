package care

import "slices"

// Answer paths of the screening questions, as reasons name them.
const (
	pChest      = "symptoms.chest_pain_or_pressure"
	pArmJaw     = "symptoms.pain_spreads_to_arm_or_jaw"
	pBreath     = "symptoms.short_of_breath_sweating_or_nausea"
	pExertion   = "symptoms.pain_brought_on_by_exertion"
	pOneArm     = "symptoms.tingling_or_numbness_one_arm"
	pBothHands  = "symptoms.tingling_or_numbness_both_hands"
	pWeakness   = "symptoms.weakness_in_arms_or_hands"
	pClumsy     = "symptoms.clumsy_hands_or_unsteady_walking"
	pBladder    = "symptoms.bladder_or_bowel_changes"
	pHeadache   = "symptoms.sudden_severe_headache"
	pDizziness  = "symptoms.dizziness_double_vision_or_trouble_speaking_or_swallowing"
	pFever      = "symptoms.fever_or_chills"
	pStiffNeck  = "symptoms.stiff_neck_with_fever"
	pSwelling   = "symptoms.swelling_and_redness"
	pWeightLoss = "symptoms.unexplained_weight_loss"
	pCancer     = "symptoms.history_of_cancer"
	pNightPain  = "symptoms.constant_night_pain"
)

// namedBool is a yes/no answer with its path.
type namedBool struct {
	path  string
	value *bool
}

// fields lists the screening questions of s with their paths, in the
// contract's order.
func (s *Symptoms) fields() []namedBool {
	return []namedBool{
		{pChest, &s.ChestPainOrPressure},
		{pArmJaw, &s.PainSpreadsToArmOrJaw},
		{pBreath, &s.ShortOfBreathSweatingOrNausea},
		{pExertion, &s.PainBroughtOnByExertion},
		{pOneArm, &s.TinglingOrNumbnessOneArm},
		{pBothHands, &s.TinglingOrNumbnessBothHands},
		{pWeakness, &s.WeaknessInArmsOrHands},
		{pClumsy, &s.ClumsyHandsOrUnsteadyWalking},
		{pBladder, &s.BladderOrBowelChanges},
		{pHeadache, &s.SuddenSevereHeadache},
		{pDizziness, &s.DizzinessDoubleVisionOrTroubleSpeakingOrSwallowing},
		{pFever, &s.FeverOrChills},
		{pStiffNeck, &s.StiffNeckWithFever},
		{pSwelling, &s.SwellingAndRedness},
		{pWeightLoss, &s.UnexplainedWeightLoss},
		{pCancer, &s.HistoryOfCancer},
		{pNightPain, &s.ConstantNightPain},
	}
}

// A rule is one urgency rule of the contract: its code, its level, whom it
// sends the person to, and fire, which returns the answer paths that made it
// fire, or nil when it does not. The texts and sources behind each rule live
// in the library under the rule's code, and name the same professionals.
type rule struct {
	code  string
	level string
	see   kinds
	fire  func(a *Answers) []string
}

// kinds is a set of the professionals a result suggests.
type kinds uint8

const (
	emergencyServices kinds = 1 << iota
	doctor
	physiotherapist
	massageTherapist
)

// list names the professionals in the set, most urgent first.
func (k kinds) list() []string {
	out := make([]string, 0, 3)
	for i, name := range [...]string{"emergency_services", "doctor", "physiotherapist", "massage_therapist"} {
		if k&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// rules are the contract's urgency rules (ASSESSMENT.md, "Urgency rules"),
// most severe first, which is the order reasons list them in.
var rules = [...]rule{
	// Source: aha-heart-attack, nice-cks-neck-pain (heart attack can present
	// as neck, jaw or upper-back pain).
	{"cardiac", Emergency, emergencyServices, func(a *Answers) []string {
		s := &a.Symptoms
		chest, arm, breath, exert := s.ChestPainOrPressure, s.PainSpreadsToArmOrJaw, s.ShortOfBreathSweatingOrNausea, s.PainBroughtOnByExertion
		// Name each sign only when it is part of a combination that fires.
		return which(
			when(chest, pChest),
			when(arm && (breath || exert), pArmJaw),
			when(breath && (arm || exert), pBreath),
			when(exert && (arm || breath), pExertion))
	}},
	// Source: nhs-stroke, jospt-2017 (stroke and neck artery dissection).
	{"stroke_or_artery", Emergency, emergencyServices, func(a *Answers) []string {
		return which(
			when(a.Symptoms.SuddenSevereHeadache, pHeadache),
			when(a.Symptoms.DizzinessDoubleVisionOrTroubleSpeakingOrSwallowing, pDizziness))
	}},
	// Source: nhs-meningitis.
	{"meningitis", Emergency, emergencyServices, func(a *Answers) []string {
		return which(when(a.Symptoms.StiffNeckWithFever, pStiffNeck))
	}},
	// Source: finucane-2020 (red flags for spinal cord compression).
	{"spinal_cord", Emergency, emergencyServices, func(a *Answers) []string {
		return which(when(a.Symptoms.BladderOrBowelChanges, pBladder))
	}},
	// Source: canadian-c-spine-2001 (high-risk factors after trauma).
	{"neck_trauma", Emergency, emergencyServices, func(a *Answers) []string {
		if a.Onset != "after_injury" || a.DurationDays > 7 {
			return nil
		}
		s := &a.Symptoms
		return also(which(
			when(a.Injury.DangerousMechanism, "injury.dangerous_mechanism"),
			when(a.Age != nil && *a.Age >= 65, "age"),
			when(s.TinglingOrNumbnessOneArm, pOneArm),
			when(s.TinglingOrNumbnessBothHands, pBothHands),
			when(s.WeaknessInArmsOrHands, pWeakness)), "onset", "duration_days")
	}},
	// Source: nice-cks-neck-pain, jospt-2017 (cervical myelopathy).
	{"nerve_compression", Urgent, doctor, func(a *Answers) []string {
		s := &a.Symptoms
		return which(
			when(s.TinglingOrNumbnessBothHands, pBothHands),
			when(s.ClumsyHandsOrUnsteadyWalking, pClumsy),
			when(s.WeaknessInArmsOrHands, pWeakness))
	}},
	// Source: nice-cks-radiculopathy, jospt-2017 (radiating pain), and
	// aha-heart-attack (arm or jaw pain can be cardiac).
	{"nerve_root", Urgent, doctor, func(a *Answers) []string {
		return which(
			when(a.Symptoms.TinglingOrNumbnessOneArm, pOneArm),
			when(a.Symptoms.PainSpreadsToArmOrJaw, pArmJaw))
	}},
	// Source: canadian-c-spine-2001, nice-cks-neck-pain.
	{"severe_after_injury", Urgent, doctor, func(a *Answers) []string {
		if a.Onset != "after_injury" {
			return nil
		}
		return also(which(
			when(a.PainNow >= 7, "pain_now"),
			when(a.PainWorst24h != nil && *a.PainWorst24h >= 8, "pain_worst_24h")), "onset")
	}},
	// Source: finucane-2020 (red flags for spinal infection).
	{"infection", Urgent, doctor, func(a *Answers) []string {
		return which(
			when(a.Symptoms.FeverOrChills, pFever),
			when(a.Symptoms.SwellingAndRedness, pSwelling))
	}},
	// Source: finucane-2020 (red flags for cancer).
	{"serious_disease", Urgent, doctor, func(a *Answers) []string {
		s := &a.Symptoms
		return which(
			when(s.UnexplainedWeightLoss, pWeightLoss),
			when(s.HistoryOfCancer, pCancer),
			when(s.ConstantNightPain, pNightPain))
	}},
	// Source: jospt-2017, nhs-neck-pain (beyond three weeks).
	{"persistent", SeeProfessional, doctor | physiotherapist | massageTherapist, func(a *Answers) []string {
		return which(when(a.DurationDays > 21, "duration_days"))
	}},
	// Source: nhs-neck-pain (worse despite home care).
	{"worse_despite_care", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		if a.Trend != "worse" || a.HomeCareDays < 3 {
			return nil
		}
		return []string{"trend", "home_care_days"}
	}},
	// Source: nhs-neck-pain (no better after two weeks).
	{"not_improving", SeeProfessional, physiotherapist | massageTherapist, func(a *Answers) []string {
		if a.Trend != "same" || a.HomeCareDays < 14 {
			return nil
		}
		return []string{"trend", "home_care_days"}
	}},
	// Source: jospt-2017 (disability guides referral).
	{"disabling", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		return which(when(a.InterferesWithDailyLife == "a_lot", "interferes_with_daily_life"))
	}},
	// Source: unknot-seed (knots that keep coming back have a cause to find).
	{"recurring", SeeProfessional, physiotherapist | massageTherapist, func(a *Answers) []string {
		return which(when(a.Recurring, "recurring"))
	}},
	// Source: nhs-neck-pain (pain too strong to manage alone).
	{"severe_pain", SeeProfessional, doctor, func(a *Answers) []string {
		return which(when(a.PainNow >= 8, "pain_now"))
	}},
	// Source: nice-cks-neck-pain, finucane-2020 (new thoracic pain under 20
	// or from 50).
	{"new_thoracic_pain_age", SeeProfessional, doctor, func(a *Answers) []string {
		ageRisk := a.Age != nil && (*a.Age < 20 || *a.Age >= 50)
		thoracic := slices.Contains(a.Regions, "between_shoulder_blades") || slices.Contains(a.Regions, "upper_back_spine")
		newPain := a.Onset == "gradual" || a.Onset == "unknown"
		if !ageRisk || !thoracic || !newPain {
			return nil
		}
		return []string{"age", "regions", "onset"}
	}},
}

// cond is a string (an answer path, an exercise id, an advice code) and
// whether it applies.
type cond struct {
	holds bool
	s     string
}

func when(holds bool, s string) cond { return cond{holds, s} }

func always(s string) cond { return cond{true, s} }

// which returns the strings whose condition holds, in order, or nil when
// none does.
func which(cs ...cond) []string {
	n := 0
	for _, c := range cs {
		if c.holds {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for _, c := range cs {
		if c.holds {
			out = append(out, c.s)
		}
	}
	return out
}

// also puts the paths of a rule's preconditions in front of its triggers,
// when any trigger fired.
func also(triggers []string, pre ...string) []string {
	if triggers == nil {
		return nil
	}
	return append(pre, triggers...)
}

// IsUrgencyRule reports whether code names one of the contract's urgency
// rules, as opposed to a reason that explains the pattern, the temperature
// or a cause.
func IsUrgencyRule(code string) bool {
	for _, r := range rules {
		if r.code == code {
			return true
		}
	}
	return false
}
