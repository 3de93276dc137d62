package library

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// EquipmentNone is the only equipment of an exercise that needs nothing but
// the body.
const EquipmentNone = "none"

// equipment is everything an exercise may ask for. It is kept short on
// purpose: a plan should need nothing a person does not already have at home
// or at the office, apart from a tennis ball, a band and a foam roller.
var equipment = []string{
	EquipmentNone,
	"tennis_ball",
	"towel",
	"band",        // a resistance band
	"foam_roller", // for the upper back only
	"doorway",
	"wall",
	"heat_pack", // or a hot-water bottle
	"cold_pack", // or a bag of frozen peas
	"shower",
	"chair",
	"floor_mat", // or a carpet or bed: anything soft to lie or kneel on
}

// The exercise ids and kinds the contract fixes (ASSESSMENT.md, "The exercise
// library"). More exercises may be added; these must be present.
var contractExercises = []struct{ id, kind string }{
	{"chin_tuck", Mobility},
	{"neck_rotation", Mobility},
	{"shoulder_rolls", Mobility},
	{"upper_back_rotation", Mobility},
	{"cat_cow", Mobility},
	{"thread_the_needle", Mobility},
	{"thoracic_extension_towel", Mobility},
	{"open_book", Mobility},
	{"posture_reset", Mobility},
	{"ear_to_shoulder", Stretch},
	{"levator_scapulae_stretch", Stretch},
	{"doorway_chest_stretch", Stretch},
	{"side_bend", Stretch},
	{"childs_pose", Stretch},
	{"shoulder_blade_squeeze", Strength},
	{"wall_slide", Strength},
	{"wall_angel", Strength},
	{"snow_angel", Strength},
	{"resistance_band_row", Strength},
	{"tennis_ball_release", Massage},
	{"foam_roll_upper_back", Massage},
	{"fingertip_circles", Massage},
	{"suboccipital_release", Massage},
	{"heat_pack", Modality},
	{"cold_pack", Modality},
	{"warm_shower", Modality},
	{"deep_breathing", Relaxation},
	{"brisk_walk", Aerobic},
}

// kinds are the exercise kinds of the contract.
var kinds = []string{Mobility, Stretch, Strength, Massage, Modality, Relaxation, Aerobic}

// regions are the contract's answers to "where is the knot or pain".
var regions = []string{
	"base_of_skull", "back_of_neck", "side_of_neck", "top_of_shoulder",
	"shoulder_blade", "between_shoulder_blades", "upper_back_spine",
}

// sides are the values of Dose.Sides: each side in turn, both at once, or
// not a sided exercise.
var sides = []string{"each", "both", "none"}

// contractRule is an urgency rule of the contract and the urgency it reaches.
type contractRule struct{ code, urgency string }

// contractRules are the urgency rules of the contract (version 2), in the
// contract's order; the library must hold exactly these.
var contractRules = []contractRule{
	{"cardiac", Emergency},
	{"lung", Emergency},
	{"aorta_or_artery", Emergency},
	{"stroke_or_artery", Emergency},
	{"meningitis", Emergency},
	{"spinal_cord", Emergency},
	{"neck_trauma", Emergency},
	{"nerve_compression", Urgent},
	{"heart_or_lung_warning", Urgent},
	{"severe_after_injury", Urgent},
	{"injury_risk", Urgent},
	{"fragile_bones", Urgent},
	{"artery_warning", Urgent},
	{"infection", Urgent},
	{"serious_disease", Urgent},
	{"nerve_root", SeeProfessional},
	{"persistent", SeeProfessional},
	{"worse_despite_care", SeeProfessional},
	{"not_improving", SeeProfessional},
	{"disabling", SeeProfessional},
	{"recurring", SeeProfessional},
	{"severe_pain", SeeProfessional},
	{"new_spinal_pain_age", SeeProfessional},
	{"cancer_history", SeeProfessional},
	{"infection_risk", SeeProfessional},
	{"inflammatory_disease", SeeProfessional},
	{"pregnancy", SeeProfessional},
}

// levelWords are what every rule text at an urgency must say, and what it
// must not say, so that a person is told exactly what to do at that level
// and an emergency is never watered down by a lower-level instruction
// (contract: "With urgency emergency the result speaks of the emergency
// only"). Matching ignores case.
var levelWords = map[string]struct{ must, mustNot []string }{
	Emergency: {
		must:    []string{"call emergency services now"},
		mustNot: []string{"within a day", "book", "doctor", "physiotherapist", "massage", "home care", "appointment"},
	},
	Urgent: {
		must: []string{"see a doctor within a day", "no massage or exercise until then"},
	},
	SeeProfessional: {
		must:    []string{"book"},
		mustNot: []string{"call emergency services now"},
	},
}

// contractCauses are the cause codes of the contract; the library must hold
// exactly these.
var contractCauses = []string{
	"posture", "prolonged_sitting", "phone_use", "no_breaks", "stress",
	"inactivity", "overuse", "muscle_imbalance", "sleep", "injury",
}

// adviceCategories are the values of Advice.Category. Emergency advice says
// what to do while waiting for help after calling emergency services.
var adviceCategories = []string{
	"avoid", "ergonomics", "lifestyle", "night", "escalate", "emergency", "pattern", "temperature",
}

// requiredAdvice are the advice codes the self-check and its plan use, with
// their categories; the library must hold each. More advice may be added.
var requiredAdvice = []struct{ code, category string }{
	// The contract's plan rules.
	{"stomach_sleeping", "avoid"},
	{"arm_symptoms", "avoid"},
	{"lying_flat_pregnancy", "avoid"},
	{"spine_pressure", "avoid"},
	{"neck_manipulation", "avoid"},
	{"deep_pressure_blood_thinners", "avoid"},
	{"strength_waits", "avoid"},
	{"strain_while_severe", "avoid"},
	{"muscle_relaxants_drowsy", "lifestyle"},
	{"self_massage_dose", "lifestyle"}, // also in the free report
	{"emergency_wait_1", "emergency"},
	{"emergency_wait_2", "emergency"},
	{"emergency_wait_3", "emergency"},
	{"emergency_wait_4", "emergency"},
	// The words of each urgency level and pattern.
	{"headline_emergency", "escalate"},
	{"headline_urgent", "escalate"},
	{"headline_see_professional", "escalate"},
	{"headline_self_care", "escalate"},
	{"professional_emergency", "escalate"},
	{"professional_urgent", "escalate"},
	{"professional_see_professional", "escalate"},
	{"professional_self_care", "escalate"},
	{"pattern_overstretched", "pattern"},
	{"pattern_overworked", "pattern"},
	{"pattern_mixed", "pattern"},
	{"pattern_unclear", "pattern"},
	{"temperature_cold", "temperature"},
	{"temperature_heat", "temperature"},
	{"temperature_either", "temperature"},
	{"focus_relief", "lifestyle"},
	{"focus_mobility", "lifestyle"},
	{"focus_strength", "lifestyle"},
}

// positions are the values of Exercise.Position.
var positions = []string{Standing, Sitting, LyingBack, LyingFront, LyingSide, Kneeling, AllFours, AnyPosition}

// contractPositions are the positions the contract's plan rules need some
// exercises kept in, so that every person a rule applies to can do them
// (pregnancy rules out lying flat; these appear in many plans).
var contractPositions = []struct {
	id      string
	allowed []string
}{
	{"tennis_ball_release", []string{Standing}}, // against a wall
	{"doorway_chest_stretch", []string{Standing}},
	{"shoulder_blade_squeeze", []string{Sitting, Standing}},
	{"posture_reset", []string{Sitting, Standing}},
	{"heat_pack", []string{AnyPosition}},
	{"cold_pack", []string{AnyPosition}},
}

// baseOfSkull is the region whose plans need a self-massage item; the
// contract asks for one that is not done lying down, for pregnancy.
const baseOfSkull = "base_of_skull"

// Safety cautions that exercises must carry, found by a word in the caution
// (matching ignores case): lying flat is ruled out in pregnancy; pressure
// on the spine and foam rolling are ruled out for fragile bones; and deep
// pressure bruises people on blood thinners.
const (
	pregnancyWord     = "pregnan"
	fragileBonesWord  = "osteoporosis"
	bloodThinnersWord = "blood thinners"
)

// Dose limits the contract sets for every plan, enforced here so that no
// library dose can lead a plan outside them.
const (
	stretchHoldMin  = 15 // seconds
	stretchHoldMax  = 30
	chinTuckHoldMin = 2
	chinTuckHoldMax = 3
	massageMinutes  = 5 // the most a self-massage item may last
)

// keyPattern is the shape of every id and code: lower-case words joined by
// "_" (or "-" in source ids such as "jospt-2017").
var keyPattern = regexp.MustCompile(`^[a-z0-9]+([_-][a-z0-9]+)*$`)

// Validate checks the whole library against the contract and the rules for
// safe, complete entries, and returns every problem found (joined with
// errors.Join), each naming its file and entry; nil when there is none.
// It does not need the library to be indexed.
func (l *Library) Validate() error {
	c := checker{sources: make(map[string]bool, len(l.Sources))}
	for _, s := range l.Sources {
		c.sources[s.ID] = true
	}
	c.checkSources(l.Sources)
	c.checkExercises(l.Exercises)
	c.checkRules(l.Rules)
	c.checkCauses(l.Causes)
	c.checkRemedies(l.Remedies)
	c.checkMassageStyles(l.MassageStyles)
	c.checkAdvice(l.Advice)
	return errors.Join(c.errs...)
}

// checker collects problems; sources holds the source ids references may use.
type checker struct {
	sources map[string]bool
	errs    []error
}

// addf records one problem found at where (a file and entry).
func (c *checker) addf(where, format string, args ...any) {
	c.errs = append(c.errs, errors.New(where+": "+fmt.Sprintf(format, args...)))
}

// checkKeys reports empty, malformed and duplicate keys (ids or codes) in a
// list, and returns each entry's name for the messages that follow.
func checkKeys[T any](c *checker, file, field string, items []T, key func(*T) string) []string {
	names := make([]string, len(items))
	first := make(map[string]int, len(items))
	for i := range items {
		k := key(&items[i])
		names[i] = entryName(file, i, k)
		switch j, dup := first[k]; {
		case k == "":
			c.addf(names[i], "%s: must not be empty", field)
		case !keyPattern.MatchString(k):
			c.addf(names[i], "%s: must be lower-case words joined by _ or -", field)
		case dup:
			c.addf(names[i], "%s: duplicate of entry %d", field, j+1)
		default:
			first[k] = i
		}
	}
	return names
}

// text reports an empty (or blank) text field.
func (c *checker) text(where, field, s string) {
	if strings.TrimSpace(s) == "" {
		c.addf(where, "%s: must not be empty", field)
	}
}

// texts reports a list of texts that is shorter than min or longer than max
// (max 0: no limit) or has an empty entry.
func (c *checker) texts(where, field string, list []string, min, max int) {
	switch {
	case len(list) < min:
		c.addf(where, "%s: has %d, needs at least %d", field, len(list), min)
	case max > 0 && len(list) > max:
		c.addf(where, "%s: has %d, allows at most %d", field, len(list), max)
	}
	for i, s := range list {
		c.text(where, fmt.Sprintf("%s[%d]", field, i), s)
	}
}

// cautions reports missing cautions and requires at least one that tells the
// person when to stop: the one caution a person in pain must not miss.
func (c *checker) cautions(where string, list []string) {
	c.texts(where, "cautions", list, 1, 0)
	if len(list) > 0 && !slices.ContainsFunc(list, func(s string) bool {
		return strings.Contains(strings.ToLower(s), "stop")
	}) {
		c.addf(where, `cautions: needs one that says when to stop ("Stop if …")`)
	}
}

// refs reports an entry with no sources, or with a source id that is not in
// the library, or the same source twice.
func (c *checker) refs(where string, ids []string) {
	if len(ids) == 0 {
		c.addf(where, "sources: needs at least one")
	}
	for i, id := range ids {
		switch {
		case !c.sources[id]:
			c.addf(where, "sources: %q is not in %s", id, sourcesFile)
		case slices.Index(ids, id) < i:
			c.addf(where, "sources: %q is listed twice", id)
		}
	}
}

// oneOf reports values not in allowed, and duplicates.
func (c *checker) oneOf(where, field string, values, allowed []string) {
	for i, v := range values {
		switch {
		case !slices.Contains(allowed, v):
			c.addf(where, "%s: %q is not one of %s", field, v, strings.Join(allowed, ", "))
		case slices.Index(values, v) < i:
			c.addf(where, "%s: %q is listed twice", field, v)
		}
	}
}

// checkSources checks that every source says what and who it is, and that a
// link, where there is one, is a secure web address.
func (c *checker) checkSources(list []Source) {
	names := checkKeys(c, sourcesFile, "id", list, func(s *Source) string { return s.ID })
	for i, s := range list {
		at := names[i]
		c.text(at, "title", s.Title)
		c.text(at, "publisher", s.Publisher)
		if s.URL != "" {
			if u, err := url.Parse(s.URL); err != nil || u.Scheme != "https" || u.Host == "" {
				c.addf(at, "url: %q must be an https address", s.URL)
			}
		}
		if s.Year != 0 && (s.Year < 1900 || s.Year > 2100) {
			c.addf(at, "year: %d is not a plausible year", s.Year)
		}
	}
}

// checkExercises checks the exercises against the contract's list and dose
// rules, and that each can be followed safely: steps, cautions, sources.
func (c *checker) checkExercises(list []Exercise) {
	names := checkKeys(c, exercisesFile, "id", list, func(e *Exercise) string { return e.ID })
	for _, want := range contractExercises {
		i := slices.IndexFunc(list, func(e Exercise) bool { return e.ID == want.id })
		switch {
		case i < 0:
			c.addf(keyName(exercisesFile, want.id), "missing: the contract's exercise library requires it")
		case list[i].Kind != want.kind:
			c.addf(names[i], "kind: %q, the contract says %q", list[i].Kind, want.kind)
		}
	}
	for _, want := range contractPositions {
		i := slices.IndexFunc(list, func(e Exercise) bool { return e.ID == want.id })
		if i >= 0 && !slices.Contains(want.allowed, list[i].Position) {
			c.addf(names[i], "position: %q, the contract's plan rules need %s", list[i].Position, strings.Join(want.allowed, " or "))
		}
	}
	if !slices.ContainsFunc(list, func(e Exercise) bool {
		return e.Kind == Massage && !e.Lying() && slices.Contains(e.Regions, baseOfSkull)
	}) {
		c.addf(exercisesFile, "needs a massage exercise for %s that is not done lying flat (the plan's choice in pregnancy)", baseOfSkull)
	}
	for i, e := range list {
		at := names[i]
		c.text(at, "name", e.Name)
		c.oneOf(at, "kind", []string{e.Kind}, kinds)
		if e.Position == "" {
			c.addf(at, "position: must not be empty")
		} else {
			c.oneOf(at, "position", []string{e.Position}, positions)
		}
		c.text(at, "summary", e.Summary)
		c.text(at, "movement", e.Movement)
		if len(e.Regions) == 0 {
			c.addf(at, "regions: needs at least one")
		}
		c.oneOf(at, "regions", e.Regions, regions)
		c.texts(at, "steps", e.Steps, 3, 7)
		c.checkDose(at, e)
		if len(e.Equipment) == 0 {
			c.addf(at, "equipment: needs at least one (%q when nothing is needed)", EquipmentNone)
		}
		c.oneOf(at, "equipment", e.Equipment, equipment)
		if len(e.Equipment) > 1 && slices.Contains(e.Equipment, EquipmentNone) {
			c.addf(at, "equipment: %q cannot be listed with other equipment", EquipmentNone)
		}
		c.cautions(at, e.Cautions)
		c.safetyCautions(at, e)
		c.refs(at, e.Sources)
	}
}

// safetyCautions requires the cautions that keep an exercise safe for the
// people the contract's plan rules protect: a lying-flat exercise says what
// to do in pregnancy, a foam roller or a lying spine bend says to skip it
// with fragile bones, and self-massage says to press gently on blood
// thinners.
func (c *checker) safetyCautions(at string, e Exercise) {
	has := func(word string) bool {
		return slices.ContainsFunc(e.Cautions, func(s string) bool {
			return strings.Contains(strings.ToLower(s), word)
		})
	}
	if e.Lying() && !has(pregnancyWord) {
		c.addf(at, "cautions: a %s exercise needs one for pregnancy (no lying flat)", e.Position)
	}
	if (slices.Contains(e.Equipment, "foam_roller") || (e.Position == LyingBack && slices.Contains(e.Regions, "upper_back_spine"))) && !has(fragileBonesWord) {
		c.addf(at, "cautions: needs one for osteoporosis (no pressure on the spine, no foam roller)")
	}
	if e.Kind == Massage && !has(bloodThinnersWord) {
		c.addf(at, "cautions: a self-massage needs one for blood thinners (deep pressure bruises)")
	}
}

// checkDose checks an exercise's dose: valid ranges, something to do, and the
// contract's limits for stretches, chin tucks and self-massage.
func (c *checker) checkDose(at string, e Exercise) {
	d := e.Dose
	c.oneOf(at, "dose.sides", []string{d.Sides}, sides)
	for _, r := range []struct {
		field string
		r     *Range
	}{
		{"dose.hold_seconds", d.HoldSeconds},
		{"dose.reps", d.Reps},
		{"dose.sets", d.Sets},
		{"dose.minutes", d.Minutes},
	} {
		if r.r != nil && (r.r.Min <= 0 || r.r.Min > r.r.Max) {
			c.addf(at, "%s: %d–%d is not a range with 0 < min ≤ max", r.field, r.r.Min, r.r.Max)
		}
	}
	if d.HoldSeconds == nil && d.Reps == nil && d.Minutes == nil {
		c.addf(at, "dose: needs hold_seconds, reps or minutes")
	}
	within := func(field string, r *Range, min, max int, why string) {
		switch {
		case r == nil:
			c.addf(at, "%s: required (%s)", field, why)
		case r.Min < min || r.Max > max:
			c.addf(at, "%s: %d–%d must lie within %d–%d (%s)", field, r.Min, r.Max, min, max, why)
		}
	}
	if e.Kind == Stretch {
		within("dose.hold_seconds", d.HoldSeconds, stretchHoldMin, stretchHoldMax, "stretches hold 15–30 s")
	}
	if e.ID == "chin_tuck" {
		within("dose.hold_seconds", d.HoldSeconds, chinTuckHoldMin, chinTuckHoldMax, "chin tucks hold 2–3 s")
	}
	switch e.Kind {
	case Massage:
		within("dose.minutes", d.Minutes, 1, massageMinutes, "self-massage lasts at most 5 minutes")
	case Modality, Aerobic:
		if d.Minutes == nil {
			c.addf(at, "dose.minutes: required (a %s is dosed in minutes)", e.Kind)
		}
	}
}

// checkRules checks that the library explains exactly the contract's urgency
// rules, each at the contract's urgency, in plain words with sources.
func (c *checker) checkRules(list []Rule) {
	names := checkKeys(c, rulesFile, "code", list, func(r *Rule) string { return r.Code })
	for _, want := range contractRules {
		if !slices.ContainsFunc(list, func(r Rule) bool { return r.Code == want.code }) {
			c.addf(keyName(rulesFile, want.code), "missing: the contract has this urgency rule")
		}
	}
	for i, r := range list {
		at := names[i]
		j := slices.IndexFunc(contractRules, func(w contractRule) bool { return w.code == r.Code })
		switch {
		case j < 0:
			c.addf(at, "code: not an urgency rule of the contract")
		case r.Urgency != contractRules[j].urgency:
			c.addf(at, "urgency: %q, the contract says %q", r.Urgency, contractRules[j].urgency)
		}
		c.text(at, "says", r.Says)
		c.ruleWords(at, r)
		c.texts(at, "signs", r.Signs, 1, 0)
		c.refs(at, r.Sources)
	}
}

// ruleWords reports a rule text that does not say what to do at its
// urgency, or that mixes in the words of another level.
func (c *checker) ruleWords(at string, r Rule) {
	w, ok := levelWords[r.Urgency]
	if !ok || strings.TrimSpace(r.Says) == "" {
		return
	}
	says := strings.ToLower(r.Says)
	for _, m := range w.must {
		if !strings.Contains(says, m) {
			c.addf(at, "says: at urgency %s it must say %q", r.Urgency, m)
		}
	}
	for _, m := range w.mustNot {
		if strings.Contains(says, m) {
			c.addf(at, "says: at urgency %s it must not say %q", r.Urgency, m)
		}
	}
}

// checkCauses checks that the library explains exactly the contract's causes.
func (c *checker) checkCauses(list []Cause) {
	names := checkKeys(c, causesFile, "code", list, func(k *Cause) string { return k.Code })
	for _, code := range contractCauses {
		if !slices.ContainsFunc(list, func(k Cause) bool { return k.Code == code }) {
			c.addf(keyName(causesFile, code), "missing: the contract has this cause")
		}
	}
	for i, k := range list {
		at := names[i]
		if k.Code != "" && !slices.Contains(contractCauses, k.Code) {
			c.addf(at, "code: not a cause of the contract")
		}
		c.text(at, "title", k.Title)
		c.text(at, "explain", k.Explain)
		c.refs(at, k.Sources)
	}
}

// checkRemedies checks that each remedy says when and how, with cautions.
func (c *checker) checkRemedies(list []Remedy) {
	names := checkKeys(c, remediesFile, "id", list, func(r *Remedy) string { return r.ID })
	for i, r := range list {
		at := names[i]
		c.text(at, "name", r.Name)
		c.text(at, "when", r.When)
		c.text(at, "how", r.How)
		c.cautions(at, r.Cautions)
		c.refs(at, r.Sources)
	}
}

// checkMassageStyles checks that each style says what it is, what it is good
// for, and when to stop.
func (c *checker) checkMassageStyles(list []MassageStyle) {
	names := checkKeys(c, massageStylesFile, "id", list, func(m *MassageStyle) string { return m.ID })
	for i, m := range list {
		at := names[i]
		c.text(at, "name", m.Name)
		c.text(at, "description", m.Description)
		c.texts(at, "good_for", m.GoodFor, 1, 0)
		c.cautions(at, m.Cautions)
		c.refs(at, m.Sources)
	}
}

// checkAdvice checks each piece of advice for a known category, words and
// sources.
func (c *checker) checkAdvice(list []Advice) {
	names := checkKeys(c, adviceFile, "code", list, func(a *Advice) string { return a.Code })
	for _, want := range requiredAdvice {
		i := slices.IndexFunc(list, func(a Advice) bool { return a.Code == want.code })
		switch {
		case i < 0:
			c.addf(keyName(adviceFile, want.code), "missing: the self-check uses this advice")
		case list[i].Category != want.category:
			c.addf(names[i], "category: %q, the self-check uses it as %q", list[i].Category, want.category)
		}
	}
	for i, a := range list {
		at := names[i]
		c.oneOf(at, "category", []string{a.Category}, adviceCategories)
		c.text(at, "says", a.Says)
		c.refs(at, a.Sources)
	}
}
