package care

import "slices"

// Answer paths of the screening questions and the health background, as
// reasons name them.
const (
	pChest       = "symptoms.chest_pain_or_pressure"
	pJaw         = "symptoms.pain_in_jaw_or_throat"
	pArm         = "symptoms.pain_spreads_to_arm"
	pBreath      = "symptoms.short_of_breath"
	pSweat       = "symptoms.cold_sweat_or_nausea"
	pExertion    = "symptoms.pain_brought_on_by_exertion"
	pBreathing   = "symptoms.pain_on_breathing"
	pTearing     = "symptoms.sudden_tearing_pain"
	pOneArm      = "symptoms.tingling_or_numbness_one_arm"
	pBothHands   = "symptoms.tingling_or_numbness_both_hands"
	pWeakness    = "symptoms.weakness_in_arms_or_hands"
	pClumsy      = "symptoms.clumsy_hands_or_unsteady_walking"
	pBladder     = "symptoms.bladder_or_bowel_changes"
	pHeadache    = "symptoms.sudden_severe_headache"
	pNewHeadache = "symptoms.new_headache"
	pDizziness   = "symptoms.new_dizziness_vision_speech_or_swallowing"
	pFaceDroop   = "symptoms.face_droop_or_one_sided_weakness"
	pFainting    = "symptoms.fainting_or_drop_attacks"
	pFever       = "symptoms.fever_or_chills"
	pStiffNeck   = "symptoms.stiff_neck_with_fever"
	pSwelling    = "symptoms.swelling_and_redness"
	pWeightLoss  = "symptoms.unexplained_weight_loss"
	pNightPain   = "symptoms.constant_night_pain"

	pCancer       = "conditions.history_of_cancer"
	pOsteoporosis = "conditions.osteoporosis"
	pSteroids     = "conditions.long_term_steroids"
	pThinners     = "conditions.blood_thinners"
	pImmune       = "conditions.weakened_immune_system"
	pInjects      = "conditions.injects_drugs"
	pArthritis    = "conditions.inflammatory_arthritis"
	pNeckSurgery  = "conditions.neck_surgery"
	pManipulation = "conditions.recent_neck_manipulation"
	pPregnant     = "conditions.pregnant"

	pAge        = "age"
	pRegions    = "regions"
	pOnset      = "onset"
	pDuration   = "duration_days"
	pDangerous  = "injury.dangerous_mechanism"
	pPainNow    = "pain_now"
	pPainWorst  = "pain_worst_24h"
	pTrend      = "trend"
	pHomeCare   = "home_care_days"
	pInterferes = "interferes_with_daily_life"
	pRecurring  = "recurring"
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
		{pJaw, &s.PainInJawOrThroat},
		{pArm, &s.PainSpreadsToArm},
		{pBreath, &s.ShortOfBreath},
		{pSweat, &s.ColdSweatOrNausea},
		{pExertion, &s.PainBroughtOnByExertion},
		{pBreathing, &s.PainOnBreathing},
		{pTearing, &s.SuddenTearingPain},
		{pOneArm, &s.TinglingOrNumbnessOneArm},
		{pBothHands, &s.TinglingOrNumbnessBothHands},
		{pWeakness, &s.WeaknessInArmsOrHands},
		{pClumsy, &s.ClumsyHandsOrUnsteadyWalking},
		{pBladder, &s.BladderOrBowelChanges},
		{pHeadache, &s.SuddenSevereHeadache},
		{pNewHeadache, &s.NewHeadache},
		{pDizziness, &s.NewDizzinessVisionSpeechOrSwallowing},
		{pFaceDroop, &s.FaceDroopOrOneSidedWeakness},
		{pFainting, &s.FaintingOrDropAttacks},
		{pFever, &s.FeverOrChills},
		{pStiffNeck, &s.StiffNeckWithFever},
		{pSwelling, &s.SwellingAndRedness},
		{pWeightLoss, &s.UnexplainedWeightLoss},
		{pNightPain, &s.ConstantNightPain},
	}
}

// fields lists the health background of c with its paths, in the
// contract's order.
func (c *Conditions) fields() []namedBool {
	return []namedBool{
		{pCancer, &c.HistoryOfCancer},
		{pOsteoporosis, &c.Osteoporosis},
		{pSteroids, &c.LongTermSteroids},
		{pThinners, &c.BloodThinners},
		{pImmune, &c.WeakenedImmuneSystem},
		{pInjects, &c.InjectsDrugs},
		{pArthritis, &c.InflammatoryArthritis},
		{pNeckSurgery, &c.NeckSurgery},
		{pManipulation, &c.RecentNeckManipulation},
		{pPregnant, &c.Pregnant},
	}
}

// Any reports whether any warning sign is answered yes.
func (s Symptoms) Any() bool { return s != Symptoms{} }

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
// most severe first and in the contract's order within a level, which is
// the order reasons list them in. Each rule's sources are in the library
// under its code; the main ones are named here.
var rules = [...]rule{
	// Heart attack can show itself as upper-back, jaw or arm pain, with
	// breathlessness, a cold sweat or sickness. Sources: AHA and NHS heart
	// attack symptoms.
	{"cardiac", Emergency, emergencyServices, func(a *Answers) []string {
		s := &a.Symptoms
		radiating := s.PainInJawOrThroat || s.PainSpreadsToArm
		companion := s.ShortOfBreath || s.ColdSweatOrNausea || s.PainBroughtOnByExertion
		return anyOf(
			clause(s.ChestPainOrPressure, always(pChest)),
			clause(radiating && companion,
				when(s.PainInJawOrThroat, pJaw), when(s.PainSpreadsToArm, pArm),
				when(s.ShortOfBreath, pBreath), when(s.ColdSweatOrNausea, pSweat), when(s.PainBroughtOnByExertion, pExertion)),
			clause(s.ColdSweatOrNausea && (s.ShortOfBreath || s.PainBroughtOnByExertion),
				always(pSweat), when(s.ShortOfBreath, pBreath), when(s.PainBroughtOnByExertion, pExertion)),
			clause(s.ColdSweatOrNausea && a.Age >= HeartRiskAge && a.isNew(),
				always(pSweat), always(pAge), always(pDuration)))
	}},
	// A clot in the lung or a collapsed lung. Sources: NHS pulmonary
	// embolism and pneumothorax.
	{"lung", Emergency, emergencyServices, func(a *Answers) []string {
		s := &a.Symptoms
		return anyOf(clause(s.ShortOfBreath && (s.PainOnBreathing || a.isNew()),
			always(pBreath), when(s.PainOnBreathing, pBreathing), when(a.isNew(), pDuration)))
	}},
	// A torn aorta. Source: NHS aortic dissection.
	{"aorta_or_artery", Emergency, emergencyServices, func(a *Answers) []string {
		return which(when(a.Symptoms.SuddenTearingPain, pTearing))
	}},
	// Stroke, or a torn neck artery. Sources: NHS stroke (FAST), IFOMPT
	// Cervical Framework 2023.
	{"stroke_or_artery", Emergency, emergencyServices, func(a *Answers) []string {
		s := &a.Symptoms
		return which(
			when(s.SuddenSevereHeadache, pHeadache),
			when(s.NewDizzinessVisionSpeechOrSwallowing, pDizziness),
			when(s.FaceDroopOrOneSidedWeakness, pFaceDroop),
			when(s.FaintingOrDropAttacks, pFainting))
	}},
	// Source: NHS meningitis.
	{"meningitis", Emergency, emergencyServices, func(a *Answers) []string {
		return which(when(a.Symptoms.StiffNeckWithFever, pStiffNeck))
	}},
	// Pressure on the spinal cord. Sources: Finucane 2020, NICE CKS.
	{"spinal_cord", Emergency, emergencyServices, func(a *Answers) []string {
		return which(when(a.Symptoms.BladderOrBowelChanges, pBladder))
	}},
	// High-risk factors after trauma. Source: Canadian C-Spine Rule.
	{"neck_trauma", Emergency, emergencyServices, func(a *Answers) []string {
		if a.Onset != "after_injury" || !a.isNew() {
			return nil
		}
		s := &a.Symptoms
		return also(which(
			when(a.Injury.DangerousMechanism, pDangerous),
			when(a.Age >= OlderAge, pAge),
			when(s.TinglingOrNumbnessOneArm, pOneArm),
			when(s.TinglingOrNumbnessBothHands, pBothHands),
			when(s.WeaknessInArmsOrHands, pWeakness)), pOnset, pDuration)
	}},

	// Cervical myelopathy. Sources: NICE CKS, JOSPT 2017, IFOMPT 2023.
	{"nerve_compression", Urgent, doctor, func(a *Answers) []string {
		s := &a.Symptoms
		return which(
			when(s.TinglingOrNumbnessBothHands, pBothHands),
			when(s.ClumsyHandsOrUnsteadyWalking, pClumsy),
			when(s.WeaknessInArmsOrHands, pWeakness))
	}},
	// One sign of the heart or lungs alone. Sources: AHA, NHS.
	{"heart_or_lung_warning", Urgent, doctor, func(a *Answers) []string {
		s := &a.Symptoms
		return which(
			when(s.PainInJawOrThroat, pJaw),
			when(s.ShortOfBreath, pBreath),
			when(s.ColdSweatOrNausea, pSweat),
			when(s.PainBroughtOnByExertion, pExertion),
			when(s.PainOnBreathing, pBreathing))
	}},
	// Sources: Canadian C-Spine Rule, NICE CKS.
	{"severe_after_injury", Urgent, doctor, func(a *Answers) []string {
		if a.Onset != "after_injury" || a.DurationDays > RecentInjuryDays {
			return nil
		}
		return also(which(
			when(a.PainNow >= SevereInjuryPainNow, pPainNow),
			when(a.PainWorst24h != nil && *a.PainWorst24h >= SevereInjuryPainWorst, pPainWorst)), pOnset, pDuration)
	}},
	// A fracture or bleed can show itself days or weeks after a fall.
	// Sources: Canadian C-Spine Rule, NICE CKS neck pain red flags.
	{"injury_risk", Urgent, doctor, func(a *Answers) []string {
		if a.Onset != "after_injury" || a.DurationDays > RecentInjuryDays {
			return nil
		}
		c := &a.Conditions
		return also(which(
			when(a.Age >= OlderAge, pAge),
			when(c.Osteoporosis, pOsteoporosis),
			when(c.LongTermSteroids, pSteroids),
			when(c.BloodThinners, pThinners),
			when(c.InflammatoryArthritis, pArthritis),
			when(c.NeckSurgery, pNeckSurgery)), pOnset, pDuration)
	}},
	// An osteoporotic fracture after lifting. Sources: NICE CKS, Finucane
	// 2020.
	{"fragile_bones", Urgent, doctor, func(a *Answers) []string {
		if a.Onset != "after_lifting" || a.DurationDays > RecentInjuryDays {
			return nil
		}
		c := &a.Conditions
		old := a.Age >= OlderAge && a.spinal()
		return also(which(
			when(c.Osteoporosis, pOsteoporosis),
			when(c.LongTermSteroids, pSteroids),
			when(old, pAge),
			when(old, pRegions)), pOnset, pDuration)
	}},
	// Giant cell arteritis, or a neck artery after manipulation. Sources:
	// IFOMPT 2023, NICE CKS giant cell arteritis.
	{"artery_warning", Urgent, doctor, func(a *Answers) []string {
		return anyOf(
			clause(a.Symptoms.NewHeadache, always(pNewHeadache)),
			clause(a.Conditions.RecentNeckManipulation && a.isNew(), always(pManipulation), always(pDuration)))
	}},
	// Sources: Finucane 2020, NICE CKS.
	{"infection", Urgent, doctor, func(a *Answers) []string {
		return which(
			when(a.Symptoms.FeverOrChills, pFever),
			when(a.Symptoms.SwellingAndRedness, pSwelling))
	}},
	// Cancer in the spine. Sources: NICE NG234 (spinal pain in people with
	// cancer: contact within 24 hours), Finucane 2020.
	{"serious_disease", Urgent, doctor, func(a *Answers) []string {
		s := &a.Symptoms
		return anyOf(
			clause(s.UnexplainedWeightLoss, always(pWeightLoss)),
			clause(s.ConstantNightPain, always(pNightPain)),
			clause(a.Conditions.HistoryOfCancer && a.spinal(), always(pCancer), always(pRegions)))
	}},

	// Radiating arm symptoms. Sources: JOSPT 2017, NICE CKS radiculopathy.
	{"nerve_root", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		return which(
			when(a.Symptoms.TinglingOrNumbnessOneArm, pOneArm),
			when(a.Symptoms.PainSpreadsToArm, pArm))
	}},
	// Sources: JOSPT 2017, NHS neck pain (beyond three weeks).
	{"persistent", SeeProfessional, doctor | physiotherapist | massageTherapist, func(a *Answers) []string {
		return which(when(a.DurationDays > PersistentDays, pDuration))
	}},
	// Source: NHS neck pain (worse despite home care).
	{"worse_despite_care", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		if a.Trend != "worse" || a.HomeCareDays < WorseAfterCareDays {
			return nil
		}
		return []string{pTrend, pHomeCare}
	}},
	// Source: NHS neck pain (no better after two weeks).
	{"not_improving", SeeProfessional, physiotherapist | massageTherapist, func(a *Answers) []string {
		if a.Trend != "same" || a.HomeCareDays < NotImprovingDays {
			return nil
		}
		return []string{pTrend, pHomeCare}
	}},
	// Source: JOSPT 2017 (disability guides referral).
	{"disabling", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		return which(when(a.InterferesWithDailyLife == "a_lot", pInterferes))
	}},
	// Knots that keep coming back have a cause to find. Source: JOSPT 2017.
	{"recurring", SeeProfessional, physiotherapist | massageTherapist, func(a *Answers) []string {
		return which(when(a.Recurring, pRecurring))
	}},
	// Source: NHS neck pain (pain too strong to manage alone).
	{"severe_pain", SeeProfessional, doctor, func(a *Answers) []string {
		return which(when(a.PainNow >= SeverePain, pPainNow))
	}},
	// Spinal pain under 20 or from 50 without a clear cause. Sources: NICE
	// CKS neck pain, Finucane 2020.
	{"new_spinal_pain_age", SeeProfessional, doctor, func(a *Answers) []string {
		ageRisk := a.Age < YoungSpineAge || a.Age >= OlderSpineAge
		if !ageRisk || !a.spinal() || (a.Onset != "gradual" && a.Onset != "unknown") {
			return nil
		}
		return []string{pAge, pRegions, pOnset}
	}},
	// Source: NICE CKS neck pain red flags, Finucane 2020.
	{"cancer_history", SeeProfessional, doctor, func(a *Answers) []string {
		return which(when(a.Conditions.HistoryOfCancer, pCancer))
	}},
	// Source: NICE CKS neck pain red flags (immunosuppression, drug use).
	{"infection_risk", SeeProfessional, doctor, func(a *Answers) []string {
		return which(
			when(a.Conditions.WeakenedImmuneSystem, pImmune),
			when(a.Conditions.InjectsDrugs, pInjects))
	}},
	// Source: NICE CKS neck pain red flags (inflammatory arthritis).
	{"inflammatory_disease", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		return which(when(a.Conditions.InflammatoryArthritis, pArthritis))
	}},
	// Source: NHS exercise in pregnancy.
	{"pregnancy", SeeProfessional, doctor | physiotherapist, func(a *Answers) []string {
		return which(when(a.Conditions.Pregnant, pPregnant))
	}},
}

// spinalRegions are the regions over the spine ("spinal region" in the
// contract).
var spinalRegions = []string{"back_of_neck", "between_shoulder_blades", "upper_back_spine"}

// spinal reports whether the pain is in a spinal region.
func (a *Answers) spinal() bool {
	return slices.ContainsFunc(a.Regions, func(r string) bool { return slices.Contains(spinalRegions, r) })
}

// isNew reports whether the pain is new: NewPainDays or fewer.
func (a *Answers) isNew() bool { return a.DurationDays <= NewPainDays }

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
	var out []string
	for _, c := range cs {
		if c.holds {
			out = append(out, c.s)
		}
	}
	return out
}

// A ruleClause is one way a rule can fire and the paths it then names.
type ruleClause struct {
	holds bool
	paths []cond
}

// clause is a way a rule can fire: when holds, it names the paths whose
// condition holds.
func clause(holds bool, paths ...cond) ruleClause {
	return ruleClause{holds: holds, paths: paths}
}

// anyOf fires when any clause holds and names every path of the clauses
// that hold, once each, in the order first named; nil when none holds.
func anyOf(cs ...ruleClause) []string {
	var out []string
	for _, c := range cs {
		if !c.holds {
			continue
		}
		for _, p := range which(c.paths...) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
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
