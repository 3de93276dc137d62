// Package library is unknot's knowledge: exercises, remedies, causes, red
// flags, massage styles and advice, kept as embedded data, each entry naming
// its source, and validated when loaded.
package library

// Exercise kinds (contract: the exercise library).
const (
	Mobility   = "mobility"
	Stretch    = "stretch"
	Strength   = "strength"
	Massage    = "massage"
	Modality   = "modality"
	Relaxation = "relaxation"
	Aerobic    = "aerobic"
)

// Urgency levels of the contract that a rule can reach, most severe first
// (self_care is the absence of any rule).
const (
	Emergency       = "emergency"
	Urgent          = "urgent"
	SeeProfessional = "see_professional"
)

// Positions an exercise is done in (contract: the exercise library,
// "position", new in version 2). The plan rules read them: pregnancy rules
// out the two lying-flat positions, and the exercises that every plan may
// need are kept in positions that everyone can take.
const (
	Standing    = "standing"
	Sitting     = "sitting"
	LyingBack   = "lying_back"  // flat on the back
	LyingFront  = "lying_front" // face down
	LyingSide   = "lying_side"
	Kneeling    = "kneeling"
	AllFours    = "all_fours" // on hands and knees
	AnyPosition = "any"       // whatever position is comfortable, such as a heat pack
)

// Library is the whole knowledge base, loaded once and read-only after.
type Library struct {
	Sources       []Source       `json:"sources"`
	Exercises     []Exercise     `json:"exercises"`
	Rules         []Rule         `json:"rules"`
	Causes        []Cause        `json:"causes"`
	Remedies      []Remedy       `json:"remedies"`
	MassageStyles []MassageStyle `json:"massage_styles"`
	Advice        []Advice       `json:"advice"`

	exercises map[string]*Exercise
	rules     map[string]*Rule
	causes    map[string]*Cause
	advice    map[string]*Advice
	sources   map[string]*Source
	styles    map[string]*MassageStyle
	remedies  map[string]*Remedy
}

// Source is where a fact comes from. Every other entry names one or more
// sources by ID.
type Source struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	URL       string `json:"url,omitempty"`
	Year      int    `json:"year,omitempty"`
	// Citation is the bibliographic detail a reader needs to find the work
	// (authors, journal, volume, pages), where the title alone is not enough.
	Citation string `json:"citation,omitempty"`
}

// Exercise is one entry of the exercise library.
type Exercise struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Position string `json:"position"` // Standing, Sitting, … or AnyPosition
	Summary  string `json:"summary"`
	// Movement says in words what the exercise's picture shows: the start
	// position and how the body moves to the end one. It is the picture's
	// text alternative wherever the picture is shown.
	Movement  string   `json:"movement"`
	Regions   []string `json:"regions"`
	Steps     []string `json:"steps"`
	Dose      Dose     `json:"dose"`
	Equipment []string `json:"equipment"`
	Cautions  []string `json:"cautions"`
	Sources   []string `json:"sources"`
}

// Dose is the range of a sensible dose. A nil range does not apply.
type Dose struct {
	HoldSeconds *Range `json:"hold_seconds,omitempty"`
	Reps        *Range `json:"reps,omitempty"`
	Sets        *Range `json:"sets,omitempty"`
	Minutes     *Range `json:"minutes,omitempty"`
	Sides       string `json:"sides"` // each, both or none
}

// Range is an inclusive range of whole numbers.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// Rule is the plain-words text of one screening rule of the self-check
// (its code is the contract's rule name) and the source behind it.
type Rule struct {
	Code    string `json:"code"`
	Urgency string `json:"urgency"`
	// Says tells a person in pain what the rule's signs could mean and
	// exactly what to do at the rule's urgency, in plain words.
	Says string `json:"says"`
	// Signs names the answers that fire the rule, a few plain words each,
	// for lists of warning signs (such as the free report's emergency box)
	// that must never drift from the rules themselves.
	Signs   []string `json:"signs"`
	Sources []string `json:"sources"` // the main source first
}

// Cause is one common cause of knots (its code is the contract's cause code).
type Cause struct {
	Code    string   `json:"code"`
	Title   string   `json:"title"`
	Explain string   `json:"explain"`
	Sources []string `json:"sources"`
}

// Remedy is a general remedy such as heat, cold or rest.
type Remedy struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	When     string   `json:"when"`
	How      string   `json:"how"`
	Cautions []string `json:"cautions"`
	Sources  []string `json:"sources"`
}

// MassageStyle is a kind of hands-on treatment a professional offers.
type MassageStyle struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Description      string   `json:"description"`
	GoodFor          []string `json:"good_for"`
	Cautions         []string `json:"cautions"`
	ProfessionalOnly bool     `json:"professional_only"`
	Sources          []string `json:"sources"`
}

// Advice is one piece of advice used in plans and results, by code.
// Category is one of avoid, ergonomics, lifestyle, night, escalate,
// emergency (what to do while waiting for help), pattern, temperature.
type Advice struct {
	Code     string   `json:"code"`
	Category string   `json:"category"`
	Says     string   `json:"says"`
	Sources  []string `json:"sources"`
}
