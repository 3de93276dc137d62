package care

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"unknot/internal/library"
)

var lib = library.Default()

// base is a valid answer that fires no urgency rule.
func base() Answers {
	return Answers{Version: Version, Age: 35, Regions: []string{"back_of_neck"}, DurationDays: 10, Onset: "gradual", PainNow: 3, Trend: "unknown"}
}

func ptr[T any](v T) *T { return &v }

// rank orders urgency levels, least severe first.
func rank(urgency string) int {
	return slices.Index([]string{SelfCare, SeeProfessional, Urgent, Emergency}, urgency)
}

// some returns a random subset of vs, in order.
func some(r *rand.Rand, vs []string) []string {
	var out []string
	for _, v := range vs {
		if r.IntN(3) == 0 {
			out = append(out, v)
		}
	}
	return out
}

// oneOrNone returns one of vs, or "" (not answered) a third of the time.
func oneOrNone(r *rand.Rand, vs []string) string {
	if r.IntN(3) == 0 {
		return ""
	}
	return vs[r.IntN(len(vs))]
}

// randomAnswers returns valid Answers that visit every field and the
// boundaries of every rule. Symptoms are rare so that most answers allow
// self-care.
func randomAnswers(r *rand.Rand) Answers {
	pick := func(vs ...int) int { return vs[r.IntN(len(vs))] }
	a := Answers{
		Version:                 Version,
		Regions:                 some(r, regionValues),
		Side:                    oneOrNone(r, sideValues),
		DurationDays:            pick(0, 1, 3, 4, 7, 8, 21, 22, 41, 42, 84, 85, 400, 3650, r.IntN(3651)),
		Onset:                   onsetValues[r.IntN(len(onsetValues))],
		PainNow:                 r.IntN(11),
		Trend:                   trendValues[r.IntN(len(trendValues))],
		HomeCareDays:            pick(0, 2, 3, 13, 14, r.IntN(3651)),
		InterferesWithDailyLife: oneOrNone(r, interferenceValues),
		Recurring:               r.IntN(4) == 0,
		StretchFeel:             oneOrNone(r, feelValues),
		PressureFeel:            oneOrNone(r, feelValues),
	}
	if len(a.Regions) == 0 {
		a.Regions = []string{regionValues[r.IntN(len(regionValues))]}
	}
	r.Shuffle(len(a.Regions), func(i, j int) { a.Regions[i], a.Regions[j] = a.Regions[j], a.Regions[i] })
	a.Age = pick(12, 19, 20, 35, 39, 40, 49, 50, 64, 65, 110, 12+r.IntN(99))
	if r.IntN(2) == 0 {
		a.PainWorst24h = ptr(r.IntN(11))
	}
	a.Injury.DangerousMechanism = r.IntN(4) == 0
	h := &a.Habits
	hours := func() *float64 {
		if r.IntN(3) == 0 {
			return nil
		}
		return ptr([]float64{0, 2.5, 3, 3.99, 4, 5.5, 6, 8, 12, 24}[r.IntN(10)])
	}
	h.DeskHours, h.PhoneHours = hours(), hours()
	h.Breaks = oneOrNone(r, breaksValues)
	h.Stress = oneOrNone(r, stressValues)
	h.Activity = oneOrNone(r, activityValues)
	h.FrontDominantTraining = r.IntN(3) == 0
	h.RepetitiveBackUse = r.IntN(3) == 0
	h.SleepPosition = oneOrNone(r, sleepValues)
	h.Pillow = oneOrNone(r, pillowValues)
	h.Posture = some(r, postureValues)
	for _, what := range some(r, triedValues) {
		a.Tried = append(a.Tried, Tried{What: what, Helped: helpedValues[r.IntN(len(helpedValues))]})
	}
	for _, f := range a.Symptoms.fields() {
		*f.value = r.IntN(40) == 0
	}
	for _, f := range a.Conditions.fields() {
		*f.value = r.IntN(12) == 0
	}
	return a
}

// checkPlan checks every rule the contract sets for the plan
// (ASSESSMENT.md, "Plan"), and that the plan is there exactly when self-care
// is allowed.
func checkPlan(t testing.TB, a Answers, r Result) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		js, _ := json.Marshal(a)
		t.Fatalf("answers %s: "+format, append([]any{js}, args...)...)
	}
	if (r.Plan != nil) != r.SelfCareAllowed {
		fail("plan present %v, self_care_allowed %v", r.Plan != nil, r.SelfCareAllowed)
	}
	if r.SelfCareAllowed != (r.Urgency == SelfCare || r.Urgency == SeeProfessional) {
		fail("self_care_allowed %v with urgency %s", r.SelfCareAllowed, r.Urgency)
	}
	p := r.Plan
	if p == nil {
		return
	}
	strengthOK := a.PainNow <= StrengthMaxPain
	nerveRoot := r.fired("nerve_root")
	c := a.Conditions
	fragile := c.Osteoporosis || c.LongTermSteroids
	var used []string

	// checkItems checks the items of one place in the plan and returns how
	// many are self-massage.
	checkItems := func(where string, items []Item, noStrength, noHeat bool) (massages int) {
		t.Helper()
		if len(items) == 0 {
			fail("%s: no items", where)
		}
		for _, it := range items {
			used = append(used, it.Exercise)
			e, ok := lib.Exercise(it.Exercise)
			if !ok {
				fail("%s: %s is not in the library", where, it.Exercise)
			}
			d := e.Dose
			for _, f := range []struct {
				name string
				v    int
				r    *library.Range
			}{{"hold_seconds", it.HoldSeconds, d.HoldSeconds}, {"reps", it.Reps, d.Reps}, {"sets", it.Sets, d.Sets}, {"minutes", it.Minutes, d.Minutes}} {
				if f.r == nil && f.v != 0 || f.r != nil && (f.v < f.r.Min || f.v > f.r.Max) {
					fail("%s: %s %s %d outside the library's dose %v", where, it.Exercise, f.name, f.v, f.r)
				}
			}
			if it.Sides != d.Sides || !slices.Contains([]string{"each", "both", "none"}, it.Sides) {
				fail("%s: %s sides %q, library %q", where, it.Exercise, it.Sides, d.Sides)
			}
			switch {
			case nerveRoot && (it.Exercise == "levator_scapulae_stretch" || it.Exercise == "ear_to_shoulder"):
				fail("%s: %s although nerve_root fired", where, it.Exercise)
			case c.Pregnant && (e.Position == library.LyingBack || e.Position == library.LyingFront):
				fail("%s: %s is done %s, in pregnancy", where, it.Exercise, e.Position)
			case fragile && it.Exercise == "foam_roll_upper_back":
				fail("%s: foam roller on fragile bones", where)
			case e.Kind == library.Stretch && (it.HoldSeconds < 15 || it.HoldSeconds > 30):
				fail("%s: stretch %s holds %d s, not 15–30", where, it.Exercise, it.HoldSeconds)
			case it.Exercise == "chin_tuck" && (it.HoldSeconds < 2 || it.HoldSeconds > 3):
				fail("%s: chin_tuck holds %d s, not 2–3", where, it.HoldSeconds)
			case e.Kind == library.Massage && (it.Minutes < 1 || it.Minutes > 5):
				fail("%s: self-massage %s lasts %d minutes", where, it.Exercise, it.Minutes)
			case noStrength && e.Kind == library.Strength:
				fail("%s: strength exercise %s (pain_now %d)", where, it.Exercise, a.PainNow)
			case noHeat && (it.Exercise == "heat_pack" || it.Exercise == "warm_shower"):
				fail("%s: %s while cold is called for", where, it.Exercise)
			}
			if e.Kind == library.Massage {
				massages++
			}
		}
		return massages
	}

	cold := r.Temperature == Cold
	checkItems("relief_now", p.ReliefNow, true, cold)
	total := 0
	for _, it := range p.ReliefNow {
		if e, _ := lib.Exercise(it.Exercise); e.NeedsEquipment() {
			fail("relief_now: %s needs equipment", it.Exercise)
		}
		total += it.Seconds()
	}
	if total < 120 || total > 180 {
		fail("relief_now takes %d s, not two or three minutes", total)
	}

	daily := checkItems("daily.morning", p.Daily.Morning, true, cold)
	daily += checkItems("daily.afternoon", p.Daily.Afternoon, true, cold)
	daily += checkItems("daily.evening", p.Daily.Evening, true, cold)
	desk := a.Habits.DeskHours != nil && *a.Habits.DeskHours >= 4
	if wb := p.Daily.WorkdayBreaks; desk != (wb != nil) {
		fail("workday_breaks present %v with desk_hours %v", wb != nil, a.Habits.DeskHours)
	} else if wb != nil {
		if wb.EveryMinutes < 1 || wb.EveryMinutes > 60 || wb.Minutes < 1 || wb.Minutes > 2 {
			fail("workday_breaks every %d minutes for %d minutes", wb.EveryMinutes, wb.Minutes)
		}
		if checkItems("daily.workday_breaks", wb.Items, true, cold) > 0 {
			fail("workday_breaks: self-massage repeated all day")
		}
		secs := 0
		for _, it := range wb.Items {
			secs += it.Seconds()
		}
		if secs > wb.Minutes*60 {
			fail("workday_breaks: items take %d s, more than %d minutes", secs, wb.Minutes)
		}
	}
	if len(p.Daily.Night) == 0 {
		fail("daily.night is empty")
	}
	if daily > 6 {
		fail("daily: %d self-massage items", daily)
	}

	if len(p.Days) != 7 {
		fail("%d days", len(p.Days))
	}
	for i, d := range p.Days {
		if d.Day != i+1 || d.Focus == "" || len(d.Sessions) == 0 {
			fail("day %d: day %d, focus %q, %d sessions", i+1, d.Day, d.Focus, len(d.Sessions))
		}
		massages := 0
		for _, s := range d.Sessions {
			if !slices.Contains([]string{"morning", "workday", "afternoon", "evening", "night"}, s.When) {
				fail("day %d: session when %q", d.Day, s.When)
			}
			massages += checkItems(fmt.Sprintf("days[%d]", i), s.Items, !strengthOK || d.Day < 4, cold && d.Day <= 2)
		}
		if massages > 6 {
			fail("day %d: %d self-massage items", d.Day, massages)
		}
	}

	slices.Sort(used)
	if !slices.Equal(p.Exercises, slices.Compact(used)) {
		fail("exercises %v, used %v", p.Exercises, used)
	}
	has := func(id string) bool { return slices.Contains(p.Exercises, id) }
	switch r.Pattern {
	case Overstretched:
		if !has("doorway_chest_stretch") {
			fail("overstretched without doorway_chest_stretch")
		}
		if strengthOK && !has("shoulder_blade_squeeze") || !strengthOK && !has("posture_reset") {
			fail("overstretched, pain %d, without shoulder_blade_squeeze or posture_reset", a.PainNow)
		}
	case Overworked:
		if !has("tennis_ball_release") {
			fail("overworked without tennis_ball_release")
		}
	}
	if cold && !has("cold_pack") {
		fail("cold without cold_pack")
	}
	if r.Temperature == Heat && !has("heat_pack") {
		fail("heat without heat_pack")
	}
	if slices.Contains(a.Regions, "base_of_skull") {
		skull := has("suboccipital_release")
		if c.Pregnant {
			skull = slices.ContainsFunc(p.Exercises, func(id string) bool {
				e, _ := lib.Exercise(id)
				return e.Kind == library.Massage && slices.Contains(e.Regions, "base_of_skull") && !e.Lying()
			})
		}
		if !skull {
			fail("base_of_skull without a release for the base of the skull: %v", p.Exercises)
		}
	}
	avoids := codes(p.Avoid)
	for _, want := range []struct {
		when bool
		code string
	}{
		{a.Habits.SleepPosition == "stomach", "stomach_sleeping"},
		{nerveRoot, "arm_symptoms"},
		{c.Pregnant, "lying_flat_pregnancy"},
		{fragile, "spine_pressure"},
		{c.InflammatoryArthritis || c.NeckSurgery || c.RecentNeckManipulation, "neck_manipulation"},
		{!strengthOK, "strength_waits"},
	} {
		if want.when && !slices.Contains(avoids, want.code) {
			fail("avoid %v lacks %s", avoids, want.code)
		}
	}
	if len(p.SeeProfessionalIf) == 0 {
		fail("no see_professional_if")
	}
	for _, list := range [][]Advice{p.Daily.Night, p.Avoid, p.Ergonomics, p.Lifestyle, p.SeeProfessionalIf} {
		for _, ad := range list {
			if ad.Says == "" || ad.Source == "" {
				fail("advice %q has no text or source in the library", ad.Code)
			}
		}
	}
}

func codes(list []Advice) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Code
	}
	return out
}
