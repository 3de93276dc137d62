package care

// Thresholds of the self-check that other packages share (the diary's
// progress rules, the routine, the handout): each lives here once and is
// imported, never retyped. The sources are those of the rules that use them
// (ASSESSMENT.md, "Urgency rules" and "Plan").
const (
	// MinAge and MaxAge bound the age the check is made for; a child under
	// MinAge with neck or back pain should see a doctor.
	MinAge = 12
	MaxAge = 110

	// NewPainDays: pain is "new" for up to this many days (neck_trauma,
	// lung, cardiac, artery_warning).
	NewPainDays = 7
	// RecentInjuryDays: a fall, blow or lift this recent can still show a
	// fracture or bleed (severe_after_injury, injury_risk, fragile_bones;
	// JOSPT 2017 ends the acute stage at 6 weeks).
	RecentInjuryDays = 42
	// PersistentDays: pain for longer than this deserves a professional
	// look (persistent; NHS and JOSPT 2017: beyond three weeks).
	PersistentDays = 21
	// WorseAfterCareDays: worse after this many days of home care
	// (worse_despite_care).
	WorseAfterCareDays = 3
	// NotImprovingDays: no better after this many days of home care
	// (not_improving; NHS: two weeks).
	NotImprovingDays = 14
	// SeverePain: pain now at or above this is hard to manage alone
	// (severe_pain).
	SeverePain = 8
	// SevereInjuryPainNow and SevereInjuryPainWorst: pain after an injury at
	// or above these needs a doctor within a day (severe_after_injury).
	SevereInjuryPainNow   = 7
	SevereInjuryPainWorst = 8
	// OlderAge: from this age a fall or lift can break a bone (Canadian
	// C-Spine Rule: 65 or over).
	OlderAge = 65
	// HeartRiskAge: from this age a cold sweat or nausea with new upper-back
	// pain is treated as a possible heart attack.
	HeartRiskAge = 40
	// YoungSpineAge and OlderSpineAge: spinal pain under the first or from
	// the second is worth one professional look (NICE CKS; IFOMPT red flags).
	YoungSpineAge = 20
	OlderSpineAge = 50

	// StrengthMaxPain: strengthening is done only at pain 4 or below, in the
	// plan, the routine, the diary, the handout and the articles alike.
	StrengthMaxPain = 4
	// MobilityFromDay and StrengthFromDay are the first days of the 7-day
	// program's mobility and strengthening phases (relief comes before).
	MobilityFromDay = 3
	StrengthFromDay = 5
	// ProgramDays is the length of the program.
	ProgramDays = 7
)
