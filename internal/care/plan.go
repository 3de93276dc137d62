package care

import (
	"slices"

	"unknot/internal/library"
)

// Limits the plan builder works to (ASSESSMENT.md, "Plan").
const (
	reliefSeconds = 180 // relief right now: two or three minutes
	breakMinutes  = 2   // a desk micro-break: one or two minutes
	deskBreakAt   = 4   // habits.desk_hours from which the plan has micro-breaks
	gentlePain    = 7   // pain_now from which the routine keeps to its gentlest doses
)

// planner holds what the plan is tailored to.
type planner struct {
	lib *library.Library
	a   *Answers
	r   *Result

	stretched   bool   // over-stretched signs weigh in: open the front, strengthen the back, leave the knot alone
	worked      bool   // over-worked signs weigh in: sustained pressure, heat, stretching
	knotStretch bool   // stretching the sore muscles is welcome
	strengthNow bool   // strengthening belongs in the program (pain_now ≤ StrengthMaxPain)
	step        int    // dose step of the daily routine: gentlest while pain is gentlePain or more
	modality    string // what goes on the knot every evening, or "" (cold: only in days 1–2)

	Exclusions // what the plan rules rule out
}

// buildPlan builds the personal plan for answers whose result allows
// self-care. It keeps every rule the contract sets for plans: relief now in
// three minutes without equipment; a daily routine; seven days that move from
// relief to mobility (MobilityFromDay) to strength (StrengthFromDay), with
// strength work only at pain StrengthMaxPain or below; advice on what to
// avoid, the desk, daily life and when to see someone. Where a rule that
// includes an exercise meets one that excludes it, the exclusion wins
// (see allowed). Sources: the seed articles and JOSPT 2017 (exercise and
// posture for neck pain).
func buildPlan(lib *library.Library, a *Answers, r *Result) *Plan {
	pl := planner{
		lib:         lib,
		a:           a,
		r:           r,
		stretched:   r.Pattern == Overstretched || r.Pattern == Mixed,
		worked:      r.Pattern == Overworked || r.Pattern == Mixed,
		strengthNow: a.PainNow <= StrengthMaxPain,
		Exclusions:  ExclusionsFor(a, r),
	}
	if a.PainNow < gentlePain {
		pl.step = 1
	}
	// Stretching the sore muscles is welcome when it relieves, or is not
	// known to hurt an over-worked or unclear knot; never when it could pull
	// on an irritated nerve root.
	pl.knotStretch = !pl.NerveRoot && (a.StretchFeel == "relieves" ||
		!pl.stretched && a.StretchFeel != "worsens" && !a.tried("stretching", "no"))
	switch {
	case r.Temperature == Cold:
	case r.Temperature == Either && a.helped("ice") && !a.helped("heat"):
		pl.modality = "cold_pack"
	default:
		pl.modality = "heat_pack"
	}

	p := &Plan{
		ReliefNow: pl.relief(),
		Daily: Daily{
			Morning:       pl.morning(),
			WorkdayBreaks: pl.breaks(),
			Afternoon:     pl.afternoon(),
			Evening:       pl.evening(),
			Night:         pl.night(),
		},
		Days:              pl.days(),
		Avoid:             pl.avoid(),
		Ergonomics:        pl.ergonomics(),
		Lifestyle:         pl.lifestyle(),
		SeeProfessionalIf: pl.escalate(),
	}
	p.Exercises = p.ExerciseIDs()
	return p
}

// relief is what to do right now: the first candidates that need no
// equipment and fit in three minutes, at their gentlest dose.
func (pl *planner) relief() []Item {
	candidates := [...]cond{
		when(pl.knotStretch, "ear_to_shoulder"),
		when(!pl.knotStretch, "deep_breathing"),
		always("chin_tuck"),
		always("shoulder_rolls"),
		always("neck_rotation"),
	}
	out := make([]Item, 0, len(candidates))
	total := 0
	for _, c := range candidates {
		e, ok := pl.lib.Exercise(c.s)
		if !c.holds || !ok || e.NeedsEquipment() || !pl.allowed(e) {
			continue
		}
		if it := ItemFor(e, 0); total+it.Seconds() <= reliefSeconds {
			out = append(out, it)
			total += it.Seconds()
		}
	}
	return out
}

// morning is mobility and a posture reset, after a warm shower for those
// whom heat has helped (never while the knot still wants cold).
func (pl *planner) morning() []Item {
	return pl.items(pl.step,
		when(pl.a.helped("heat") && pl.r.Temperature != Cold, "warm_shower"),
		always("neck_rotation"),
		always("shoulder_rolls"),
		always("chin_tuck"),
		when(pl.stretched, "thoracic_extension_towel"),
		always("posture_reset"))
}

// breaks are the desk micro-breaks, present exactly when
// habits.desk_hours ≥ 4: every half hour for long days or rare breaks,
// hourly otherwise; each fits in two minutes. Source: OSHA workstations.
func (pl *planner) breaks() *WorkdayBreaks {
	if !atLeast(pl.a.Habits.DeskHours, deskBreakAt) {
		return nil
	}
	every := 60
	if hasCause(pl.r.Causes, "no_breaks") || atLeast(pl.a.Habits.DeskHours, 8) {
		every = 30
	}
	return &WorkdayBreaks{EveryMinutes: every, Minutes: breakMinutes, Items: pl.items(0,
		always("posture_reset"),
		when(pl.knotStretch, "levator_scapulae_stretch"),
		when(!pl.knotStretch, "chin_tuck"),
		always("shoulder_rolls"))}
}

// afternoon is stretching: the chest for an over-stretched knot, the sore
// muscles when stretching is welcome, and the upper back's rotation for
// everyone. Strength work waits for the program's strength days.
func (pl *planner) afternoon() []Item {
	return pl.items(pl.step,
		when(pl.stretched, "doorway_chest_stretch"),
		when(pl.knotStretch, "levator_scapulae_stretch"),
		when(pl.knotStretch, "ear_to_shoulder"),
		always("upper_back_rotation"))
}

// evening is heat (or cold) and self-massage: sustained pressure for an
// over-worked knot, the base of the skull when it hurts there, gentle
// fingertip circles when the pattern is unclear; then slow breathing to let
// the shoulders drop before bed.
func (pl *planner) evening() []Item {
	skull := pl.skullRelease()
	items := pl.items(pl.step,
		when(pl.modality != "", pl.modality),
		when(pl.worked, "tennis_ball_release"),
		when(skull != "", skull),
		when(!pl.stretched && !pl.worked && skull != "fingertip_circles", "fingertip_circles"),
		when(pl.worked && pl.knotStretch, "childs_pose"),
		always("deep_breathing"))
	if len(items) > 0 && items[0].Exercise == "heat_pack" && pl.a.helped("heat") {
		items[0].Note = advice(pl.lib, "note_heat_helped").Says
	}
	return items
}

// skullRelease is the self-massage for pain at the base of the skull, or ""
// when it does not hurt there: suboccipital_release, or when that is ruled
// out (it is done lying down, which pregnancy rules out) the first massage
// of the library for the base of the skull that is allowed.
func (pl *planner) skullRelease() string {
	if !slices.Contains(pl.a.Regions, "base_of_skull") {
		return ""
	}
	if e, ok := pl.lib.Exercise("suboccipital_release"); ok && pl.allowed(e) {
		return e.ID
	}
	for i := range pl.lib.Exercises {
		e := &pl.lib.Exercises[i]
		if e.Kind == library.Massage && slices.Contains(e.Regions, "base_of_skull") && pl.allowed(e) {
			return e.ID
		}
	}
	return ""
}

// allowed reports whether the plan may use e: the exclusions of the
// contract's plan rules win over every inclusion (Exclusions.Excludes).
func (pl *planner) allowed(e *library.Exercise) bool {
	return pl.Excludes(e) == ""
}

// days is the 7-day program: relief, then mobility from MobilityFromDay,
// then strength from StrengthFromDay when pain allows it (more mobility
// otherwise), each phase's dose growing day by day. With cold, a cold pack
// in days 1–2 and heat from day 3.
func (pl *planner) days() []Day {
	days := make([]Day, ProgramDays)
	walk := hasCause(pl.r.Causes, "inactivity")
	for i := range days {
		d := i + 1
		var focus string
		var step int // dose step within the phase
		var afternoon [5]cond
		switch {
		case d < MobilityFromDay:
			focus = "focus_relief"
			afternoon = [5]cond{always("deep_breathing"), always("neck_rotation"), always("shoulder_rolls")}
		case d < StrengthFromDay || !pl.strengthNow:
			focus, step = "focus_mobility", min(d-MobilityFromDay, 2)
			afternoon = [...]cond{
				always("cat_cow"),
				always("thread_the_needle"),
				always("open_book"),
				when(pl.stretched, "thoracic_extension_towel"),
				when(pl.worked, "foam_roll_upper_back")}
		default:
			focus, step = "focus_strength", d-StrengthFromDay
			afternoon = [...]cond{
				always("cat_cow"),
				always("shoulder_blade_squeeze"),
				always("wall_angel"),
				when(pl.stretched, "resistance_band_row"),
				when(!pl.stretched, "wall_slide")}
		}
		day := Day{Day: d, Focus: advice(pl.lib, focus).Says, Sessions: make([]Session, 0, 3)}
		day.add("morning", pl.items(step, when(walk && d >= MobilityFromDay, "brisk_walk")))
		day.add("afternoon", pl.items(step, afternoon[:]...))
		if pl.r.Temperature == Cold {
			day.add(pl.coldDay(d))
		}
		days[i] = day
	}
	return days
}

// coldDay is the evening session of day d for a fresh strain: a cold pack in
// days 1–2, then heat (NHS: sprains and strains).
func (pl *planner) coldDay(d int) (string, []Item) {
	id, note := "cold_pack", "note_cold_first_days"
	if d > 2 {
		id, note = "heat_pack", "note_switch_to_heat"
	}
	items := pl.items(0, always(id))
	for i := range items {
		items[i].Note = advice(pl.lib, note).Says
	}
	return "evening", items
}

// add appends a session unless it is empty.
func (d *Day) add(when string, items []Item) {
	if len(items) > 0 {
		d.Sessions = append(d.Sessions, Session{When: when, Items: items})
	}
}

// night is sleep advice: a neutral neck always, then the sleep position and
// pillow the person named.
func (pl *planner) night() []Advice {
	h := &pl.a.Habits
	return pl.advice(
		always("night_neutral_neck"),
		when(h.SleepPosition == "stomach", "night_back_or_side"),
		when(h.Pillow == "too_high", "pillow_too_high"),
		when(h.Pillow == "too_flat", "pillow_too_flat"))
}

// avoid lists what would keep the knot going or do harm: pushing through
// pain always; working on an over-stretched knot itself; stomach sleeping;
// early heat on a fresh strain; hard work while pain is severe, and
// strengthening until pain falls; the strain that caused it; and what the
// health background rules out.
func (pl *planner) avoid() []Advice {
	c := &pl.a.Conditions
	return pl.advice(
		always("push_through_pain"),
		when(pl.NerveRoot, "arm_symptoms"),
		when(pl.Pregnant, "lying_flat_pregnancy"),
		when(pl.Fragile, "spine_pressure"),
		when(c.InflammatoryArthritis || c.NeckSurgery || c.RecentNeckManipulation, "neck_manipulation"),
		when(c.BloodThinners, "deep_pressure_blood_thinners"),
		when(pl.stretched, "stretch_or_pound_knot"),
		when(pl.a.Habits.SleepPosition == "stomach", "stomach_sleeping"),
		when(pl.r.Temperature == Cold, "heat_first_days"),
		when(pl.a.PainNow >= gentlePain, "strain_while_severe"),
		when(!pl.strengthNow, "strength_waits"),
		when(hasCause(pl.r.Causes, "overuse"), "repeat_the_strain"))
}

// ergonomics is advice for the desk, the phone and carrying, by cause.
func (pl *planner) ergonomics() []Advice {
	c := pl.r.Causes
	return pl.advice(
		always("neutral_head"),
		when(atLeast(pl.a.Habits.DeskHours, 1), "screen_at_eye_level"),
		when(hasCause(c, "prolonged_sitting"), "chair_support"),
		when(hasCause(c, "no_breaks"), "micro_breaks"),
		when(hasCause(c, "phone_use"), "phone_at_eye_level"),
		when(hasCause(c, "overuse"), "carry_evenly"))
}

// lifestyle is advice for daily life, by cause and by what was tried.
func (pl *planner) lifestyle() []Advice {
	c, a := pl.r.Causes, pl.a
	return pl.advice(
		always("stay_active"),
		when(hasCause(c, "stress"), "stress_relief"),
		when(hasCause(c, "inactivity"), "move_daily"),
		when(hasCause(c, "sleep"), "sleep_routine"),
		when(hasCause(c, "overuse"), "load_gradually"),
		when(hasCause(c, "muscle_imbalance"), "balance_training"),
		when(a.tried("painkillers", "") || a.tried("muscle_relaxants", ""), "medicines_as_directed"),
		when(a.tried("muscle_relaxants", ""), "muscle_relaxants_drowsy"),
		when(a.helped("massage_therapy") || a.helped("physiotherapy"), "professional_helped"))
}

// escalate says when to see someone: always, and first of all when the
// answers already call for it.
func (pl *planner) escalate() []Advice {
	return pl.advice(
		when(pl.r.Urgency == SeeProfessional, "escalate_book_now"),
		always("escalate_three_weeks"),
		always("escalate_worse"),
		always("escalate_not_improving"),
		always("escalate_new_symptoms"))
}

// advice returns the library's advice for the codes that apply.
func (pl *planner) advice(cs ...cond) []Advice {
	out := make([]Advice, 0, len(cs))
	for _, c := range cs {
		if c.holds {
			out = append(out, advice(pl.lib, c.s))
		}
	}
	return out
}

// items doses the exercises that apply at step (see item), leaving out any
// the library lacks and any the plan's rules exclude (see allowed).
func (pl *planner) items(step int, cs ...cond) []Item {
	out := make([]Item, 0, len(cs))
	for _, c := range cs {
		if e, ok := pl.lib.Exercise(c.s); c.holds && ok && pl.allowed(e) {
			out = append(out, ItemFor(e, step))
		}
	}
	return out
}

// ItemFor doses an exercise from its library ranges: step 0 is the gentlest
// dose, step 2 the fullest, so that the library's limits (which enforce the
// contract's holds and massage minutes) are never left.
func ItemFor(e *library.Exercise, step int) Item {
	d := e.Dose
	return Item{
		Exercise:    e.ID,
		HoldSeconds: dose(d.HoldSeconds, step),
		Reps:        dose(d.Reps, step),
		Sets:        dose(d.Sets, step),
		Minutes:     dose(d.Minutes, step),
		Sides:       d.Sides,
	}
}

// dose picks from a range at step 0 (min), 1 (middle) or 2 (max), rounding
// down to a multiple of five from 10 up but never below the range.
func dose(r *library.Range, step int) int {
	if r == nil {
		return 0
	}
	v := r.Min + (r.Max-r.Min)*min(max(step, 0), 2)/2
	if v >= 10 {
		v = max(r.Min, v-v%5)
	}
	return v
}

// Seconds estimates how long an item takes: its minutes, or else each rep's
// hold plus two seconds to move (three seconds a rep without a hold), times
// reps, sets and, for "each", two sides.
func (it Item) Seconds() int {
	if it.Minutes > 0 {
		return it.Minutes * 60
	}
	rep := 3
	if it.HoldSeconds > 0 {
		rep = it.HoldSeconds + 2
	}
	n := rep * max(it.Reps, 1) * max(it.Sets, 1)
	if it.Sides == "each" {
		n *= 2
	}
	return n
}

// ExerciseIDs lists every exercise the plan uses, sorted and unique.
func (p *Plan) ExerciseIDs() []string {
	ids := make([]string, 0, 32)
	add := func(items []Item) {
		for _, it := range items {
			if !slices.Contains(ids, it.Exercise) {
				ids = append(ids, it.Exercise)
			}
		}
	}
	add(p.ReliefNow)
	add(p.Daily.Morning)
	if p.Daily.WorkdayBreaks != nil {
		add(p.Daily.WorkdayBreaks.Items)
	}
	add(p.Daily.Afternoon)
	add(p.Daily.Evening)
	for _, d := range p.Days {
		for _, s := range d.Sessions {
			add(s.Items)
		}
	}
	slices.Sort(ids)
	return ids
}

// fired reports whether the urgency rule code fired.
func (r *Result) fired(code string) bool {
	return slices.ContainsFunc(r.Reasons, func(re Reason) bool { return re.Code == code })
}

// tried reports whether the person tried what, with the given result
// ("" for any result).
func (a *Answers) tried(what, helped string) bool {
	return slices.ContainsFunc(a.Tried, func(t Tried) bool {
		return t.What == what && (helped == "" || t.Helped == helped)
	})
}

// helped reports whether what helped at least somewhat.
func (a *Answers) helped(what string) bool {
	return a.tried(what, "yes") || a.tried(what, "somewhat")
}
