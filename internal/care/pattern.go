package care

import "slices"

// Patterns: the two kinds of knot (ASSESSMENT.md, "Pattern").
const (
	Overstretched = "overstretched"
	Overworked    = "overworked"
	Mixed         = "mixed"
	Unclear       = "unclear"
)

// Stages by duration (JOSPT 2017: acute under 6 weeks, chronic beyond 12).
const (
	Acute    = "acute"
	Subacute = "subacute"
	Chronic  = "chronic"
)

// Temperatures: what to put on the knot.
const (
	Cold   = "cold"
	Heat   = "heat"
	Either = "either"
)

// pattern tells an over-stretched knot from an over-worked one by counting
// the contract's signs for each (habits.posture counts once however many
// entries it has), and returns the paths of the signs found.
//
// Weighing: a side wins when the other has no sign, or when it has three or
// more signs against a single one of the other side (a lone sign against
// many reads as noise); any other mix of signs is mixed, and no sign at all
// is unclear. Source: the seed articles (unknot-seed).
func pattern(a *Answers) (string, []string) {
	h := &a.Habits
	stretched := which(
		when(len(h.Posture) > 0, "habits.posture"),
		when(h.FrontDominantTraining, "habits.front_dominant_training"),
		when(a.StretchFeel == "worsens", "stretch_feel"))
	worked := which(
		when(h.RepetitiveBackUse, "habits.repetitive_back_use"),
		when(a.Onset == "after_exercise" || a.Onset == "after_lifting", "onset"),
		when(a.PressureFeel == "relieves", "pressure_feel"),
		when(a.StretchFeel == "relieves", "stretch_feel"))
	because := append(stretched, worked...)
	s, w := len(stretched), len(worked)
	switch {
	case outweighs(s, w):
		return Overstretched, because
	case outweighs(w, s):
		return Overworked, because
	case s == 0 && w == 0:
		return Unclear, []string{}
	}
	return Mixed, because
}

// outweighs reports whether n signs for one kind of knot beat m for the
// other (see pattern).
func outweighs(n, m int) bool {
	return n > 0 && (m == 0 || m == 1 && n >= 3)
}

// stage is the JOSPT 2017 stage for a duration: acute under 42 days,
// subacute 42–84, chronic beyond.
func stage(days int) string {
	switch {
	case days < 42:
		return Acute
	case days <= 84:
		return Subacute
	}
	return Chronic
}

// temperature chooses cold for a fresh strain or spasm and heat for a stiff,
// tight muscle (ASSESSMENT.md, "Temperature"), and returns the paths that
// decided it. Source: the seed articles and NHS advice on strains.
func temperature(a *Answers) (string, []string) {
	strain := a.Onset == "after_injury" || a.Onset == "after_lifting" || a.Onset == "after_exercise"
	switch {
	case strain && a.DurationDays <= 3:
		return Cold, []string{"onset", "duration_days"}
	case a.DurationDays > 3 || a.Onset == "gradual":
		return Heat, which(when(a.DurationDays > 3, "duration_days"), when(a.Onset == "gradual", "onset"))
	}
	return Either, []string{"onset", "duration_days"}
}

// causeRules are the contract's causes (ASSESSMENT.md, "Causes"), sorted by
// code, each with the code of its reason and returning the paths that point
// to it, or nil. Source: the library's causes.
var causeRules = [...]struct {
	code, reason string
	fire         func(a *Answers) []string
}{
	{"inactivity", "cause_inactivity", func(a *Answers) []string {
		return which(when(a.Habits.Activity == "sedentary", "habits.activity"))
	}},
	{"injury", "cause_injury", func(a *Answers) []string {
		return which(when(a.Onset == "after_injury", "onset"))
	}},
	{"muscle_imbalance", "cause_muscle_imbalance", func(a *Answers) []string {
		return which(when(a.Habits.FrontDominantTraining, "habits.front_dominant_training"))
	}},
	{"no_breaks", "cause_no_breaks", func(a *Answers) []string {
		if a.Habits.Breaks != "rarely" || !atLeast(a.Habits.DeskHours, 4) {
			return nil
		}
		return []string{"habits.breaks", "habits.desk_hours"}
	}},
	{"overuse", "cause_overuse", func(a *Answers) []string {
		return which(
			when(a.Habits.RepetitiveBackUse, "habits.repetitive_back_use"),
			when(a.Onset == "after_exercise" || a.Onset == "after_lifting", "onset"))
	}},
	{"phone_use", "cause_phone_use", func(a *Answers) []string {
		return which(when(atLeast(a.Habits.PhoneHours, 3), "habits.phone_hours"))
	}},
	{"posture", "cause_posture", func(a *Answers) []string {
		return which(when(len(a.Habits.Posture) > 0, "habits.posture"))
	}},
	{"prolonged_sitting", "cause_prolonged_sitting", func(a *Answers) []string {
		return which(when(atLeast(a.Habits.DeskHours, 6), "habits.desk_hours"))
	}},
	{"sleep", "cause_sleep", func(a *Answers) []string {
		h := &a.Habits
		return which(
			when(h.SleepPosition == "stomach", "habits.sleep_position"),
			when(h.Pillow == "too_high" || h.Pillow == "too_flat", "habits.pillow"),
			when(a.Onset == "woke_up_with_it", "onset"))
	}},
	{"stress", "cause_stress", func(a *Answers) []string {
		return which(when(a.Habits.Stress == "high", "habits.stress"))
	}},
}

// atLeast reports whether an optional number of hours is given and ≥ n.
func atLeast(hours *float64, n float64) bool { return hours != nil && *hours >= n }

// hasCause reports whether code is among the sorted causes.
func hasCause(causes []string, code string) bool {
	_, ok := slices.BinarySearch(causes, code)
	return ok
}
