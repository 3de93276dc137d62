package care

// Level is how pages, the terminal and the PDFs describe one urgency level:
// the one copy of these words, so that no two places say a level
// differently. The result's Headline adds the sentence for the person.
type Level struct {
	Urgency string
	// Name is the level in two or three words ("Urgent").
	Name string
	// Title is the instruction as a heading ("See a doctor within a day").
	Title string
	// Until says what to do, and not do, until then; empty when home care
	// may go on.
	Until string
	// Worse says what to do if things get worse.
	Worse string
}

// levels are the four urgency levels, least severe first. Sources: the
// rules of each level (ASSESSMENT.md, "Urgency rules").
var levels = [...]Level{
	{
		Urgency: SelfCare,
		Name:    "Self-care",
		Title:   "You can look after this at home",
		Worse:   "If new warning signs appear, or it is no better after three weeks, take the check again or see a professional.",
	},
	{
		Urgency: SeeProfessional,
		Name:    "See a professional",
		Title:   "Book a professional; home care may go on meanwhile",
		Worse:   "If new warning signs appear, or it gets much worse, take the check again straight away.",
	},
	{
		Urgency: Urgent,
		Name:    "Urgent",
		Title:   "See a doctor within a day",
		Until:   "Until a doctor has seen you, do no massage, stretching or exercise for this.",
		Worse:   "If it suddenly gets much worse, call emergency services.",
	},
	{
		Urgency: Emergency,
		Name:    "Emergency",
		Title:   "Call emergency services now",
		Until:   "Do not drive yourself. Stop what you are doing and rest until help comes.",
	},
}

// LevelOf returns the words for an urgency level; an unknown level reads as
// the most severe, so that a mistake never plays a warning down.
func LevelOf(urgency string) Level {
	for _, l := range levels {
		if l.Urgency == urgency {
			return l
		}
	}
	return levels[len(levels)-1]
}

// Rank orders urgency levels: 0 for self-care up to 3 for an emergency, and
// 3 for an unknown level.
func Rank(urgency string) int {
	for i, l := range levels {
		if l.Urgency == urgency {
			return i
		}
	}
	return len(levels) - 1
}

// PatternWords says the kind of knot in a few words for a person, as every
// output names it.
func PatternWords(pattern string) string {
	switch pattern {
	case Overstretched:
		return "Over-stretched (a protective knot in a muscle kept long)"
	case Overworked:
		return "Over-worked (a muscle that stays contracted)"
	case Mixed:
		return "A mix of both kinds"
	}
	return "Not clear from your answers"
}

// StageWords says how long-standing the pain is (JOSPT 2017 stages).
func StageWords(stage string) string {
	switch stage {
	case Acute:
		return "Recent (under 6 weeks)"
	case Subacute:
		return "6 to 12 weeks"
	}
	return "Long-standing (over 12 weeks)"
}

// TemperatureWords says whether heat or cold suits the knot now.
func TemperatureWords(temperature string) string {
	switch temperature {
	case Cold:
		return "Cold for the first two days, then heat"
	case Heat:
		return "Heat"
	}
	return "Either; use whichever feels better"
}
