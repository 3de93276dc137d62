// Package care holds the self-check and the personal plan: the answers a
// person gives, the screening rules, and the plan built from them. It follows
// shared/contract/ASSESSMENT.md exactly and does no I/O.
package care

// Version is the contract version that Answers and Result speak. Results
// saved under an earlier version still read (see Result.Outdated); answers
// of an earlier version are refused.
const Version = 2

// Answers is what a person tells the self-check (contract: Answers).
// Optional numbers and booleans are pointers so that "not answered" differs
// from zero.
type Answers struct {
	Version                 int        `json:"version"`
	Age                     int        `json:"age"`
	Regions                 []string   `json:"regions"`
	Side                    string     `json:"side,omitempty"`
	DurationDays            int        `json:"duration_days"`
	Onset                   string     `json:"onset"`
	Injury                  Injury     `json:"injury"`
	PainNow                 int        `json:"pain_now"`
	PainWorst24h            *int       `json:"pain_worst_24h,omitempty"`
	Trend                   string     `json:"trend,omitempty"`
	HomeCareDays            int        `json:"home_care_days"`
	InterferesWithDailyLife string     `json:"interferes_with_daily_life,omitempty"`
	Recurring               bool       `json:"recurring"`
	StretchFeel             string     `json:"stretch_feel,omitempty"`
	PressureFeel            string     `json:"pressure_feel,omitempty"`
	Habits                  Habits     `json:"habits"`
	Tried                   []Tried    `json:"tried,omitempty"`
	Symptoms                Symptoms   `json:"symptoms"`
	Conditions              Conditions `json:"conditions"`
}

// Injury qualifies an onset of after_injury.
type Injury struct {
	DangerousMechanism bool `json:"dangerous_mechanism"`
}

// Habits are the daily habits that make knots more likely.
type Habits struct {
	DeskHours             *float64 `json:"desk_hours,omitempty"`
	PhoneHours            *float64 `json:"phone_hours,omitempty"`
	Breaks                string   `json:"breaks,omitempty"`
	Stress                string   `json:"stress,omitempty"`
	Activity              string   `json:"activity,omitempty"`
	FrontDominantTraining bool     `json:"front_dominant_training"`
	RepetitiveBackUse     bool     `json:"repetitive_back_use"`
	SleepPosition         string   `json:"sleep_position,omitempty"`
	Pillow                string   `json:"pillow,omitempty"`
	Posture               []string `json:"posture,omitempty"`
}

// Tried is one remedy the person has already tried and whether it helped.
type Tried struct {
	What   string `json:"what"`
	Helped string `json:"helped"`
}

// Symptoms are the screening questions, the warning signs, each about now
// or the last few days; every one defaults to false.
type Symptoms struct {
	ChestPainOrPressure                  bool `json:"chest_pain_or_pressure"`
	PainInJawOrThroat                    bool `json:"pain_in_jaw_or_throat"`
	PainSpreadsToArm                     bool `json:"pain_spreads_to_arm"`
	ShortOfBreath                        bool `json:"short_of_breath"`
	ColdSweatOrNausea                    bool `json:"cold_sweat_or_nausea"`
	PainBroughtOnByExertion              bool `json:"pain_brought_on_by_exertion"`
	PainOnBreathing                      bool `json:"pain_on_breathing"`
	SuddenTearingPain                    bool `json:"sudden_tearing_pain"`
	TinglingOrNumbnessOneArm             bool `json:"tingling_or_numbness_one_arm"`
	TinglingOrNumbnessBothHands          bool `json:"tingling_or_numbness_both_hands"`
	WeaknessInArmsOrHands                bool `json:"weakness_in_arms_or_hands"`
	ClumsyHandsOrUnsteadyWalking         bool `json:"clumsy_hands_or_unsteady_walking"`
	BladderOrBowelChanges                bool `json:"bladder_or_bowel_changes"`
	SuddenSevereHeadache                 bool `json:"sudden_severe_headache"`
	NewHeadache                          bool `json:"new_headache"`
	NewDizzinessVisionSpeechOrSwallowing bool `json:"new_dizziness_vision_speech_or_swallowing"`
	FaceDroopOrOneSidedWeakness          bool `json:"face_droop_or_one_sided_weakness"`
	FaintingOrDropAttacks                bool `json:"fainting_or_drop_attacks"`
	FeverOrChills                        bool `json:"fever_or_chills"`
	StiffNeckWithFever                   bool `json:"stiff_neck_with_fever"`
	SwellingAndRedness                   bool `json:"swelling_and_redness"`
	UnexplainedWeightLoss                bool `json:"unexplained_weight_loss"`
	ConstantNightPain                    bool `json:"constant_night_pain"`
}

// Conditions are the health background; every one defaults to false. Alone,
// some change only the plan.
type Conditions struct {
	HistoryOfCancer        bool `json:"history_of_cancer"`
	Osteoporosis           bool `json:"osteoporosis"`
	LongTermSteroids       bool `json:"long_term_steroids"`
	BloodThinners          bool `json:"blood_thinners"`
	WeakenedImmuneSystem   bool `json:"weakened_immune_system"`
	InjectsDrugs           bool `json:"injects_drugs"`
	InflammatoryArthritis  bool `json:"inflammatory_arthritis"`
	NeckSurgery            bool `json:"neck_surgery"`
	RecentNeckManipulation bool `json:"recent_neck_manipulation"`
	Pregnant               bool `json:"pregnant"`
}

// Urgency levels, least severe first.
const (
	SelfCare        = "self_care"
	SeeProfessional = "see_professional"
	Urgent          = "urgent"
	Emergency       = "emergency"
)

// Result is the self-check's answer (contract: Result).
type Result struct {
	Version         int          `json:"version"`
	Urgency         string       `json:"urgency"`
	Headline        string       `json:"headline"`
	Reasons         []Reason     `json:"reasons"`
	Pattern         string       `json:"pattern"`
	Stage           string       `json:"stage"`
	Temperature     string       `json:"temperature"`
	Causes          []string     `json:"causes"`
	SelfCareAllowed bool         `json:"self_care_allowed"`
	Plan            *Plan        `json:"plan"`
	Professional    Professional `json:"professional"`
}

// Reason is one rule that fired: its code, what it says in plain words, the
// answer paths that triggered it, and where the rule comes from.
type Reason struct {
	Code    string   `json:"code"`
	Says    string   `json:"says"`
	Because []string `json:"because"`
	Source  string   `json:"source,omitempty"`
}

// Professional is the suggestion to see someone, and whom.
type Professional struct {
	Suggest       bool     `json:"suggest"`
	Kinds         []string `json:"kinds"`
	MassageStyles []string `json:"massage_styles"`
	Why           string   `json:"why"`
}

// Plan is the personal plan, present exactly when self-care is allowed.
type Plan struct {
	ReliefNow         []Item   `json:"relief_now"`
	Daily             Daily    `json:"daily"`
	Days              []Day    `json:"days"`
	Avoid             []Advice `json:"avoid"`
	Ergonomics        []Advice `json:"ergonomics"`
	Lifestyle         []Advice `json:"lifestyle"`
	SeeProfessionalIf []Advice `json:"see_professional_if"`
	Exercises         []string `json:"exercises"`
	// From says who set the routine when it is not the self-check's own,
	// in words such as "your therapist, Ana Ruiz": a therapist's home
	// program (internal/program) replaces it. Empty for the plan the
	// self-check builds, and never saved with it.
	From string `json:"from,omitempty"`
}

// Daily is the routine repeated every day.
type Daily struct {
	Morning       []Item         `json:"morning"`
	WorkdayBreaks *WorkdayBreaks `json:"workday_breaks"`
	Afternoon     []Item         `json:"afternoon"`
	Evening       []Item         `json:"evening"`
	Night         []Advice       `json:"night"`
}

// WorkdayBreaks are the desk micro-breaks.
type WorkdayBreaks struct {
	EveryMinutes int    `json:"every_minutes"`
	Minutes      int    `json:"minutes"`
	Items        []Item `json:"items"`
}

// Day is one day of the 7-day program.
type Day struct {
	Day      int       `json:"day"`
	Focus    string    `json:"focus"`
	Sessions []Session `json:"sessions"`
}

// Session is one block of exercises at a time of day
// (morning, workday, afternoon, evening or night).
type Session struct {
	When  string `json:"when"`
	Items []Item `json:"items"`
}

// Item is one exercise with its dose.
type Item struct {
	Exercise    string `json:"exercise"`
	HoldSeconds int    `json:"hold_seconds,omitempty"`
	Reps        int    `json:"reps,omitempty"`
	Sets        int    `json:"sets,omitempty"`
	Minutes     int    `json:"minutes,omitempty"`
	Sides       string `json:"sides,omitempty"`
	Note        string `json:"note,omitempty"`
}

// Advice is one piece of advice with a stable code.
type Advice struct {
	Code   string `json:"code"`
	Says   string `json:"says"`
	Source string `json:"source,omitempty"`
}

// Outdated reports whether r was saved under an earlier version of the
// contract, whose questions missed warning signs: such a plan is shown
// read-only, with a request to take the check again.
func (r Result) Outdated() bool { return r.Version < Version }
