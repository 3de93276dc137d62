package care

import (
	"strconv"
	"strings"
)

// Question is one question of the self-check as pages and the terminal ask
// it. Field is the answer path (and the form field name); the wording is
// shared so that the web form and the terminal never drift apart.
type Question struct {
	Field    string
	Step     int // 1-based step of the questionnaire
	Prompt   string
	Hint     string
	Kind     string // one, many, bool, int or number
	Choices  []Choice
	Required bool
	Min, Max int // for int and number
	Unit     string
}

// Choice is one allowed value with its label for people.
type Choice struct {
	Value string
	Label string
}

// Question kinds.
const (
	One    = "one"    // exactly one of Choices
	Many   = "many"   // any of Choices
	Bool   = "bool"   // yes or no
	Int    = "int"    // a whole number in Min..Max
	Number = "number" // a number in Min..Max
)

// Steps names the questionnaire's steps, in order: age first (some warning
// signs depend on it), the warning signs early, and the health background as
// one short yes/no step.
var Steps = []string{
	"You and where it hurts",
	"Your pain",
	"Warning signs",
	"Your health",
	"How it behaves",
	"Your days",
}

// Steps of the questionnaire by number, for the lists that are not
// Questions.
const (
	StepWhere      = 1 // age, regions, side
	StepPain       = 2
	StepSymptoms   = 3 // SymptomGroups
	StepConditions = 4 // ConditionQuestions
	StepBehaviour  = 5
	StepDays       = 6 // habits and Remedies
)

// Regions lists the body-map regions in the contract's order, with labels.
var Regions = []Choice{
	{"base_of_skull", "Base of the skull"},
	{"back_of_neck", "Back of the neck"},
	{"side_of_neck", "Side of the neck"},
	{"top_of_shoulder", "Top of the shoulder"},
	{"shoulder_blade", "On or around a shoulder blade"},
	{"between_shoulder_blades", "Between the shoulder blades"},
	{"upper_back_spine", "Along the upper spine"},
}

// SymptomGroup is a handful of warning signs asked together under a plain
// heading, so that a person can answer "none of these" at a glance.
type SymptomGroup struct {
	Title string
	Items []Choice // Value is the field name under "symptoms."
}

// SymptomGroups are the screening questions (contract: symptoms.*) in plain
// words, grouped by what they concern, each about now or the last few days.
// Every sign appears exactly once.
var SymptomGroups = []SymptomGroup{
	{"Chest, breathing and heart", []Choice{
		{"chest_pain_or_pressure", "Pain, pressure or tightness in the chest"},
		{"short_of_breath", "Out of breath more easily than usual, or at rest"},
		{"pain_on_breathing", "Sharp pain when you breathe in deeply or cough"},
		{"cold_sweat_or_nausea", "A cold sweat, feeling sick or being sick with the pain"},
		{"pain_brought_on_by_exertion", "The pain comes on with effort (stairs, hurrying) and eases with rest"},
		{"pain_in_jaw_or_throat", "Pain in the jaw, throat or teeth that came with this pain"},
		{"sudden_tearing_pain", "The pain came on within seconds or minutes and is severe: tearing, ripping, or the worst you have felt"},
	}},
	{"Head, face, eyes and balance", []Choice{
		{"sudden_severe_headache", "A sudden, severe headache, the worst you have had"},
		{"new_headache", "A new kind of headache, unlike your usual ones, or pain in the temples or jaw when chewing"},
		{"new_dizziness_vision_speech_or_swallowing", "New dizziness, double or lost vision, or trouble speaking or swallowing"},
		{"face_droop_or_one_sided_weakness", "A face drooping on one side, or sudden weakness or numbness down one side of the body"},
		{"fainting_or_drop_attacks", "Fainting, blacking out, or falling without losing consciousness"},
	}},
	{"Arms, hands, walking and bladder", []Choice{
		{"pain_spreads_to_arm", "Pain that travels down an arm"},
		{"tingling_or_numbness_one_arm", "Tingling, pins and needles or numbness down one arm"},
		{"tingling_or_numbness_both_hands", "Tingling or numbness in both hands"},
		{"weakness_in_arms_or_hands", "Weakness in an arm or hand (dropping things)"},
		{"clumsy_hands_or_unsteady_walking", "Clumsy hands or unsteady walking"},
		{"bladder_or_bowel_changes", "New trouble controlling your bladder or bowels"},
	}},
	{"Fever, swelling, weight and nights", []Choice{
		{"fever_or_chills", "Fever or chills"},
		{"stiff_neck_with_fever", "A stiff neck together with a fever (bending the chin to the chest hurts)"},
		{"swelling_and_redness", "Swelling, redness or heat over the sore spot"},
		{"unexplained_weight_loss", "Weight loss you cannot explain"},
		{"constant_night_pain", "Pain that is there all night, whatever position you lie in"},
	}},
}

// ConditionQuestions are the health background (contract: conditions.*),
// each a yes/no question in plain words; Value is the field name under
// "conditions.".
var ConditionQuestions = []Choice{
	{"history_of_cancer", "Have you had cancer, now or in the past?"},
	{"osteoporosis", "Do you have thin or brittle bones (osteoporosis), or have you broken a bone in a minor fall?"},
	{"long_term_steroids", "Have you taken steroid tablets (such as prednisolone) for three months or more?"},
	{"blood_thinners", "Do you take a blood thinner (such as warfarin, apixaban, rivaroxaban or heparin)?"},
	{"weakened_immune_system", "Is your immune system weakened (HIV, chemotherapy, a transplant or immune-suppressing medicines)?"},
	{"injects_drugs", "Do you inject drugs, now or recently?"},
	{"inflammatory_arthritis", "Do you have rheumatoid arthritis, ankylosing spondylitis or another inflammatory arthritis?"},
	{"neck_surgery", "Have you had an operation on your neck or spine?"},
	{"recent_neck_manipulation", "Has someone manipulated (\"cracked\") your neck in the last two weeks?"},
	{"pregnant", "Are you pregnant?"},
}

// Remedies lists what a person may have tried, for the "tried" answers.
var Remedies = []Choice{
	{"heat", "Heat"},
	{"ice", "Ice or a cold pack"},
	{"stretching", "Stretching"},
	{"self_massage", "Self-massage"},
	{"painkillers", "Painkillers"},
	{"muscle_relaxants", "Muscle relaxants"},
	{"massage_therapy", "Massage therapy"},
	{"physiotherapy", "Physiotherapy"},
	{"rest", "Rest"},
}

// Helped lists the answers to "did it help?"; the empty value means not tried.
var Helped = []Choice{
	{"", "Not tried"},
	{"yes", "Helped"},
	{"somewhat", "Helped a little"},
	{"no", "Did not help"},
}

var feel = []Choice{
	{"relieves", "It eases the pain"},
	{"worsens", "It makes it worse"},
	{"no_change", "No difference"},
	{"unsure", "Not sure"},
}

// Questions is the whole questionnaire apart from regions, symptoms and
// tried, which have their own lists above.
var Questions = []Question{
	{Field: "age", Step: StepWhere, Prompt: "How old are you?", Hint: ageHint, Kind: Int, Required: true, Min: MinAge, Max: MaxAge, Unit: "years"},
	{Field: "side", Step: StepWhere, Prompt: "Which side?", Kind: One, Choices: []Choice{
		{"left", "Left"}, {"right", "Right"}, {"both", "Both sides"}, {"middle", "In the middle"}}},

	{Field: "duration_days", Step: StepPain, Prompt: "How many days has it hurt?", Hint: "Two weeks is 14 days; since yesterday is 1.", Kind: Int, Required: true, Min: 0, Max: 3650, Unit: "days"},
	{Field: "onset", Step: StepPain, Prompt: "How did it start?", Kind: One, Required: true, Choices: []Choice{
		{"gradual", "Slowly, over days or weeks"},
		{"woke_up_with_it", "I woke up with it"},
		{"after_exercise", "After exercise or sport"},
		{"after_lifting", "After lifting or carrying something"},
		{"after_injury", "After a fall, a blow or an accident"},
		{"unknown", "I don't know"}}},
	{Field: "injury.dangerous_mechanism", Step: StepPain, Prompt: "If it started with an accident: was it a fall from a height or down five or more stairs, a blow or load on the head, a diving accident, or a fast, rollover, motor-vehicle or bicycle crash?", Kind: Bool},
	{Field: "pain_now", Step: StepPain, Prompt: "How strong is the pain right now?", Hint: "0 is no pain, 10 is the worst pain you can imagine.", Kind: Int, Required: true, Min: 0, Max: 10},
	{Field: "pain_worst_24h", Step: StepPain, Prompt: "How strong was it at its worst in the last 24 hours?", Kind: Int, Min: 0, Max: 10},
	{Field: "trend", Step: StepPain, Prompt: "Since it started, is it getting…", Kind: One, Choices: []Choice{
		{"better", "Better"}, {"same", "About the same"}, {"worse", "Worse"}, {"unknown", "Not sure"}}},
	{Field: "home_care_days", Step: StepPain, Prompt: "For how many days have you been treating it yourself?", Hint: "Heat, stretching, massage, rest or painkillers; 0 if you have not started.", Kind: Int, Min: 0, Max: 3650, Unit: "days"},
	{Field: "interferes_with_daily_life", Step: StepPain, Prompt: "Does it get in the way of work, sleep or daily life?", Kind: One, Choices: []Choice{
		{"no", "No"}, {"somewhat", "Somewhat"}, {"a_lot", "A lot"}}},
	{Field: "recurring", Step: StepPain, Prompt: "Do knots keep coming back in the same place?", Kind: Bool},

	{Field: "stretch_feel", Step: StepBehaviour, Prompt: "When you gently stretch the sore muscle, how does it feel?", Kind: One, Choices: feel},
	{Field: "pressure_feel", Step: StepBehaviour, Prompt: "When you press firmly on the knot for a while, how does it feel?", Kind: One, Choices: feel},

	{Field: "habits.desk_hours", Step: StepDays, Prompt: "Hours a day sitting at a screen", Kind: Number, Min: 0, Max: 24, Unit: "hours"},
	{Field: "habits.phone_hours", Step: StepDays, Prompt: "Hours a day looking down at a phone", Kind: Number, Min: 0, Max: 24, Unit: "hours"},
	{Field: "habits.breaks", Step: StepDays, Prompt: "How often do you get up from sitting?", Kind: One, Choices: []Choice{
		{"hourly", "At least every hour"}, {"sometimes", "Sometimes"}, {"rarely", "Rarely"}}},
	{Field: "habits.posture", Step: StepDays, Prompt: "Which of these describe how you usually sit or stand?", Kind: Many, Choices: []Choice{
		{"rounded_shoulders", "Rounded shoulders"}, {"forward_head", "Head pushed forward"}, {"slouching", "Slouching"}}},
	{Field: "habits.stress", Step: StepDays, Prompt: "How stressed have you been lately?", Kind: One, Choices: []Choice{
		{"low", "Hardly"}, {"moderate", "Moderately"}, {"high", "Very"}}},
	{Field: "habits.activity", Step: StepDays, Prompt: "How active are you?", Kind: One, Choices: []Choice{
		{"sedentary", "Mostly sitting"}, {"light", "Lightly active"}, {"active", "Active"}, {"athlete", "I train hard"}}},
	{Field: "habits.front_dominant_training", Step: StepDays, Prompt: "Do you train your chest and the front of your body much more than your back?", Kind: Bool},
	{Field: "habits.repetitive_back_use", Step: StepDays, Prompt: "Do you often carry, row, lift or work overhead, using the muscles around the shoulder blades hard?", Kind: Bool},
	{Field: "habits.sleep_position", Step: StepDays, Prompt: "How do you usually sleep?", Kind: One, Choices: []Choice{
		{"back", "On my back"}, {"side", "On my side"}, {"stomach", "On my stomach"}, {"varies", "It varies"}}},
	{Field: "habits.pillow", Step: StepDays, Prompt: "Your pillow is…", Kind: One, Choices: []Choice{
		{"too_high", "Too high"}, {"too_flat", "Too flat"}, {"fine", "About right"}, {"unsure", "Not sure"}}},
}

// ageHint explains why the age is asked, and for whom the check is made.
var ageHint = "Some warning signs depend on age. This check is made for ages " + strconv.Itoa(MinAge) + " and over."

// Label names an answer path, such as "habits.desk_hours", in the words the
// questionnaire used, for people reading why a rule fired.
func Label(path string) string {
	if name, ok := strings.CutPrefix(path, "symptoms."); ok {
		for _, g := range SymptomGroups {
			for _, c := range g.Items {
				if c.Value == name {
					return c.Label
				}
			}
		}
	}
	if name, ok := strings.CutPrefix(path, "conditions."); ok {
		for _, c := range ConditionQuestions {
			if c.Value == name {
				return strings.TrimSuffix(c.Label, "?")
			}
		}
	}
	switch path {
	case "regions":
		return "where it hurts"
	case "age":
		return "your age"
	}
	for _, q := range Questions {
		if q.Field == path {
			return strings.TrimSuffix(q.Prompt, "?")
		}
	}
	return strings.ReplaceAll(path, "_", " ")
}
