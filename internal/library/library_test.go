package library

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// embeddedFS returns the embedded data directory as a file system.
func embeddedFS(t *testing.T) fs.FS {
	t.Helper()
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// fixture returns a fresh copy of the embedded library, changed by mutate,
// as an in-memory file system that Load can read.
func fixture(t *testing.T, mutate func(l *Library)) fstest.MapFS {
	t.Helper()
	l, err := Load(embeddedFS(t))
	if err != nil {
		t.Fatalf("embedded library: %v", err)
	}
	if mutate != nil {
		mutate(l)
	}
	files := map[string]any{
		sourcesFile:       l.Sources,
		exercisesFile:     l.Exercises,
		rulesFile:         l.Rules,
		causesFile:        l.Causes,
		remediesFile:      l.Remedies,
		massageStylesFile: l.MassageStyles,
		adviceFile:        l.Advice,
	}
	m := fstest.MapFS{}
	for name, v := range files {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

// find returns the entry of items whose key is k, failing the test if there
// is none.
func find[T any](t *testing.T, items []T, key func(*T) string, k string) *T {
	t.Helper()
	for i := range items {
		if key(&items[i]) == k {
			return &items[i]
		}
	}
	t.Fatalf("fixture has no entry %q", k)
	return nil
}

func exercise(t *testing.T, l *Library, id string) *Exercise {
	t.Helper()
	return find(t, l.Exercises, func(e *Exercise) string { return e.ID }, id)
}

func rule(t *testing.T, l *Library, code string) *Rule {
	t.Helper()
	return find(t, l.Rules, func(r *Rule) string { return r.Code }, code)
}

func remove[T any](items []T, key func(*T) string, k string) []T {
	return slices.DeleteFunc(items, func(v T) bool { return key(&v) == k })
}

func TestDefault(t *testing.T) {
	l := Default()
	if l != Default() {
		t.Error("Default returned two different libraries; it must load once")
	}
	if err := l.Validate(); err != nil {
		t.Fatalf("embedded library is invalid:\n%v", err)
	}
}

func TestEverySourceIsCited(t *testing.T) {
	l := Default()
	cited := map[string]bool{}
	cite := func(ids []string) {
		for _, id := range ids {
			cited[id] = true
		}
	}
	for _, e := range l.Exercises {
		cite(e.Sources)
	}
	for _, r := range l.Rules {
		cite(r.Sources)
	}
	for _, c := range l.Causes {
		cite(c.Sources)
	}
	for _, r := range l.Remedies {
		cite(r.Sources)
	}
	for _, m := range l.MassageStyles {
		cite(m.Sources)
	}
	for _, a := range l.Advice {
		cite(a.Sources)
	}
	for _, s := range l.Sources {
		if !cited[s.ID] {
			t.Errorf("source %q is cited by no entry", s.ID)
		}
	}
}

func TestLookups(t *testing.T) {
	l := Default()
	for _, want := range contractExercises {
		e, ok := l.Exercise(want.id)
		if !ok || e.ID != want.id || e.Kind != want.kind {
			t.Errorf("Exercise(%q) = %+v, %v; want kind %q", want.id, e, ok, want.kind)
		}
	}
	for _, want := range contractRules {
		r, ok := l.Rule(want.code)
		if !ok || r.Urgency != want.urgency {
			t.Errorf("Rule(%q) = %+v, %v; want urgency %q", want.code, r, ok, want.urgency)
		}
	}
	for _, code := range contractCauses {
		if c, ok := l.Cause(code); !ok || c.Code != code {
			t.Errorf("Cause(%q) = %+v, %v", code, c, ok)
		}
	}
	for _, id := range []string{"jospt-2017", "ifompt-cervical-2023", "canadian-c-spine-2001", "finucane-2020", "nice-ng234", "aha-heart-attack", "unknot-seed"} {
		if s, ok := l.Source(id); !ok || s.ID != id {
			t.Errorf("Source(%q) = %+v, %v", id, s, ok)
		}
	}
	for _, id := range []string{"heat", "cold", "rest_and_movement", "painkillers", "professional_massage"} {
		if r, ok := l.Remedy(id); !ok || r.ID != id {
			t.Errorf("Remedy(%q) = %+v, %v", id, r, ok)
		}
	}
	for _, tc := range []struct {
		id           string
		professional bool
	}{
		{"swedish", false},
		{"deep_tissue", true},
		{"trigger_point_therapy", false},
		{"myofascial_release", false},
		{"shiatsu_acupressure", false},
		{"sports_massage", false},
		{"dry_needling", true},
	} {
		m, ok := l.MassageStyle(tc.id)
		if !ok || m.ProfessionalOnly != tc.professional {
			t.Errorf("MassageStyle(%q) = %+v, %v; want professional_only %v", tc.id, m, ok, tc.professional)
		}
	}

	unknown := []struct {
		lookup string
		ok     bool
	}{
		{"Exercise", second(l.Exercise("nope"))},
		{"Rule", second(l.Rule("nope"))},
		{"Cause", second(l.Cause("nope"))},
		{"Source", second(l.Source("nope"))},
		{"Remedy", second(l.Remedy("nope"))},
		{"MassageStyle", second(l.MassageStyle("nope"))},
		{"AdviceFor", second(l.AdviceFor("nope"))},
	}
	for _, u := range unknown {
		if u.ok {
			t.Errorf("%s(%q) found an entry", u.lookup, "nope")
		}
	}
}

// second returns the second of two results, to test "not found" lookups.
func second[T any](_ T, ok bool) bool { return ok }

func TestAdviceFor(t *testing.T) {
	fsys := fixture(t, func(l *Library) {
		l.Advice = append(l.Advice, Advice{
			Code: "test_stomach_sleeping", Category: "avoid",
			Says: "Try not to sleep on your front.", Sources: []string{"nhs-neck-pain"},
		})
	})
	l, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := l.AdviceFor("test_stomach_sleeping")
	if !ok || a.Category != "avoid" {
		t.Errorf("AdviceFor = %+v, %v", a, ok)
	}
}

func TestExercisesByKind(t *testing.T) {
	l := Default()
	for _, kind := range kinds {
		var want []string
		for _, c := range contractExercises {
			if c.kind == kind {
				want = append(want, c.id)
			}
		}
		var got []string
		for _, e := range l.ExercisesByKind(kind) {
			if e.Kind != kind {
				t.Errorf("ExercisesByKind(%q) returned %q of kind %q", kind, e.ID, e.Kind)
			}
			got = append(got, e.ID)
		}
		for _, id := range want {
			if !slices.Contains(got, id) {
				t.Errorf("ExercisesByKind(%q) lacks %q", kind, id)
			}
		}
	}
	if got := l.ExercisesByKind("yoga"); len(got) != 0 {
		t.Errorf("ExercisesByKind(yoga) = %d exercises, want none", len(got))
	}
}

func TestNeedsEquipment(t *testing.T) {
	l := Default()
	for id, want := range map[string]bool{
		"chin_tuck":             false,
		"ear_to_shoulder":       false,
		"tennis_ball_release":   true,
		"doorway_chest_stretch": true,
	} {
		e, _ := l.Exercise(id)
		if got := e.NeedsEquipment(); got != want {
			t.Errorf("%s.NeedsEquipment() = %v, want %v", id, got, want)
		}
	}
}

// TestValidateRejects changes one thing in an otherwise valid library and
// checks that loading fails with a message naming the file, the entry and
// the problem.
func TestValidateRejects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(t *testing.T, l *Library)
		want   string
	}{
		// Keys.
		{"duplicate exercise id", func(t *testing.T, l *Library) {
			l.Exercises = append(l.Exercises, *exercise(t, l, "cat_cow"))
		}, `exercises.json: "cat_cow": id: duplicate of entry 5`},
		{"empty id", func(t *testing.T, l *Library) {
			l.Exercises[1].ID = ""
		}, `exercises.json: entry 2: id: must not be empty`},
		{"malformed id", func(t *testing.T, l *Library) {
			l.Remedies[0].ID = "Hot Pack"
		}, `remedies.json: "Hot Pack": id: must be lower-case words`},

		// Exercises against the contract.
		{"missing contract exercise", func(t *testing.T, l *Library) {
			l.Exercises = remove(l.Exercises, func(e *Exercise) string { return e.ID }, "suboccipital_release")
		}, `exercises.json: "suboccipital_release": missing`},
		{"kind differs from contract", func(t *testing.T, l *Library) {
			exercise(t, l, "neck_rotation").Kind = Strength
		}, `exercises.json: "neck_rotation": kind: "strength", the contract says "mobility"`},
		{"unknown kind", func(t *testing.T, l *Library) {
			e := *exercise(t, l, "neck_rotation")
			e.ID, e.Kind = "neck_circles", "yoga"
			l.Exercises = append(l.Exercises, e)
		}, `exercises.json: "neck_circles": kind: "yoga" is not one of mobility`},
		{"unknown region", func(t *testing.T, l *Library) {
			e := exercise(t, l, "chin_tuck")
			e.Regions = append(e.Regions, "lower_back")
		}, `exercises.json: "chin_tuck": regions: "lower_back" is not one of base_of_skull`},
		{"no region", func(t *testing.T, l *Library) {
			exercise(t, l, "chin_tuck").Regions = nil
		}, `exercises.json: "chin_tuck": regions: needs at least one`},
		{"region twice", func(t *testing.T, l *Library) {
			exercise(t, l, "chin_tuck").Regions = []string{"back_of_neck", "back_of_neck"}
		}, `exercises.json: "chin_tuck": regions: "back_of_neck" is listed twice`},

		// Equipment.
		{"unknown equipment", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_slide").Equipment = []string{"kettlebell"}
		}, `exercises.json: "wall_slide": equipment: "kettlebell" is not one of none`},
		{"none with other equipment", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_slide").Equipment = []string{"none", "wall"}
		}, `exercises.json: "wall_slide": equipment: "none" cannot be listed with other equipment`},
		{"no equipment", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_slide").Equipment = nil
		}, `exercises.json: "wall_slide": equipment: needs at least one`},

		// Doses.
		{"bad sides", func(t *testing.T, l *Library) {
			exercise(t, l, "open_book").Dose.Sides = "left"
		}, `exercises.json: "open_book": dose.sides: "left" is not one of each, both, none`},
		{"range from zero", func(t *testing.T, l *Library) {
			exercise(t, l, "open_book").Dose.Reps = &Range{Min: 0, Max: 5}
		}, `exercises.json: "open_book": dose.reps: 0–5 is not a range with 0 < min ≤ max`},
		{"range min above max", func(t *testing.T, l *Library) {
			exercise(t, l, "open_book").Dose.Sets = &Range{Min: 3, Max: 1}
		}, `exercises.json: "open_book": dose.sets: 3–1 is not a range`},
		{"no dose", func(t *testing.T, l *Library) {
			exercise(t, l, "shoulder_rolls").Dose = Dose{Sides: "both"}
		}, `exercises.json: "shoulder_rolls": dose: needs hold_seconds, reps or minutes`},
		{"stretch held too briefly", func(t *testing.T, l *Library) {
			exercise(t, l, "ear_to_shoulder").Dose.HoldSeconds = &Range{Min: 10, Max: 30}
		}, `exercises.json: "ear_to_shoulder": dose.hold_seconds: 10–30 must lie within 15–30`},
		{"stretch held too long", func(t *testing.T, l *Library) {
			exercise(t, l, "childs_pose").Dose.HoldSeconds = &Range{Min: 20, Max: 60}
		}, `exercises.json: "childs_pose": dose.hold_seconds: 20–60 must lie within 15–30`},
		{"stretch without hold", func(t *testing.T, l *Library) {
			exercise(t, l, "side_bend").Dose.HoldSeconds = nil
		}, `exercises.json: "side_bend": dose.hold_seconds: required (stretches hold 15–30 s)`},
		{"chin tuck held too long", func(t *testing.T, l *Library) {
			exercise(t, l, "chin_tuck").Dose.HoldSeconds = &Range{Min: 2, Max: 5}
		}, `exercises.json: "chin_tuck": dose.hold_seconds: 2–5 must lie within 2–3`},
		{"self-massage too long", func(t *testing.T, l *Library) {
			exercise(t, l, "fingertip_circles").Dose.Minutes = &Range{Min: 1, Max: 6}
		}, `exercises.json: "fingertip_circles": dose.minutes: 1–6 must lie within 1–5`},
		{"self-massage without minutes", func(t *testing.T, l *Library) {
			e := exercise(t, l, "foam_roll_upper_back")
			e.Dose.Minutes, e.Dose.Reps = nil, &Range{Min: 5, Max: 10}
		}, `exercises.json: "foam_roll_upper_back": dose.minutes: required`},
		{"modality without minutes", func(t *testing.T, l *Library) {
			e := exercise(t, l, "heat_pack")
			e.Dose.Minutes, e.Dose.Reps = nil, &Range{Min: 1, Max: 1}
		}, `exercises.json: "heat_pack": dose.minutes: required (a modality is dosed in minutes)`},

		// Exercise text.
		{"no name", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_angel").Name = "  "
		}, `exercises.json: "wall_angel": name: must not be empty`},
		{"no summary", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_angel").Summary = ""
		}, `exercises.json: "wall_angel": summary: must not be empty`},
		{"no movement", func(t *testing.T, l *Library) {
			exercise(t, l, "chin_tuck").Movement = " "
		}, `exercises.json: "chin_tuck": movement: must not be empty`},
		{"too few steps", func(t *testing.T, l *Library) {
			e := exercise(t, l, "wall_angel")
			e.Steps = e.Steps[:2]
		}, `exercises.json: "wall_angel": steps: has 2, needs at least 3`},
		{"too many steps", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_angel").Steps = strings.Split("a b c d e f g h", " ")
		}, `exercises.json: "wall_angel": steps: has 8, allows at most 7`},
		{"blank step", func(t *testing.T, l *Library) {
			exercise(t, l, "wall_angel").Steps[1] = ""
		}, `exercises.json: "wall_angel": steps[1]: must not be empty`},
		{"no cautions", func(t *testing.T, l *Library) {
			exercise(t, l, "cold_pack").Cautions = nil
		}, `exercises.json: "cold_pack": cautions: has 0, needs at least 1`},
		{"no stop caution", func(t *testing.T, l *Library) {
			exercise(t, l, "cold_pack").Cautions = []string{"Wrap ice in a cloth."}
		}, `exercises.json: "cold_pack": cautions: needs one that says when to stop`},

		// References.
		{"no sources", func(t *testing.T, l *Library) {
			exercise(t, l, "brisk_walk").Sources = nil
		}, `exercises.json: "brisk_walk": sources: needs at least one`},
		{"unknown source", func(t *testing.T, l *Library) {
			exercise(t, l, "brisk_walk").Sources = []string{"my-blog"}
		}, `exercises.json: "brisk_walk": sources: "my-blog" is not in sources.json`},
		{"source cited twice", func(t *testing.T, l *Library) {
			exercise(t, l, "brisk_walk").Sources = []string{"jospt-2017", "jospt-2017"}
		}, `exercises.json: "brisk_walk": sources: "jospt-2017" is listed twice`},

		// Positions (contract version 2).
		{"no position", func(t *testing.T, l *Library) {
			exercise(t, l, "side_bend").Position = ""
		}, `exercises.json: "side_bend": position: must not be empty`},
		{"unknown position", func(t *testing.T, l *Library) {
			exercise(t, l, "side_bend").Position = "upside_down"
		}, `exercises.json: "side_bend": position: "upside_down" is not one of standing, sitting`},
		{"tennis ball lying down", func(t *testing.T, l *Library) {
			exercise(t, l, "tennis_ball_release").Position = LyingBack
		}, `exercises.json: "tennis_ball_release": position: "lying_back", the contract's plan rules need standing`},
		{"doorway stretch kneeling", func(t *testing.T, l *Library) {
			exercise(t, l, "doorway_chest_stretch").Position = Kneeling
		}, `exercises.json: "doorway_chest_stretch": position: "kneeling", the contract's plan rules need standing`},
		{"squeeze lying face down", func(t *testing.T, l *Library) {
			exercise(t, l, "shoulder_blade_squeeze").Position = LyingFront
		}, `exercises.json: "shoulder_blade_squeeze": position: "lying_front", the contract's plan rules need sitting or standing`},
		{"posture reset on all fours", func(t *testing.T, l *Library) {
			exercise(t, l, "posture_reset").Position = AllFours
		}, `exercises.json: "posture_reset": position: "all_fours", the contract's plan rules need sitting or standing`},
		{"heat pack only sitting", func(t *testing.T, l *Library) {
			exercise(t, l, "heat_pack").Position = Sitting
		}, `exercises.json: "heat_pack": position: "sitting", the contract's plan rules need any`},
		{"cold pack only lying", func(t *testing.T, l *Library) {
			exercise(t, l, "cold_pack").Position = LyingBack
		}, `exercises.json: "cold_pack": position: "lying_back", the contract's plan rules need any`},
		{"no seated base-of-skull massage", func(t *testing.T, l *Library) {
			e := exercise(t, l, "fingertip_circles")
			e.Position = LyingBack
			e.Cautions = append(e.Cautions, "Not while pregnant.")
		}, `exercises.json: needs a massage exercise for base_of_skull that is not done lying flat`},
		{"lying exercise without pregnancy caution", func(t *testing.T, l *Library) {
			e := exercise(t, l, "snow_angel")
			e.Cautions = slices.DeleteFunc(e.Cautions, func(s string) bool { return strings.Contains(s, "pregnant") })
		}, `exercises.json: "snow_angel": cautions: a lying_front exercise needs one for pregnancy`},
		{"foam roller without osteoporosis caution", func(t *testing.T, l *Library) {
			e := exercise(t, l, "foam_roll_upper_back")
			e.Cautions = slices.DeleteFunc(e.Cautions, func(s string) bool { return strings.Contains(s, "osteoporosis") })
		}, `exercises.json: "foam_roll_upper_back": cautions: needs one for osteoporosis`},
		{"self-massage without blood thinners caution", func(t *testing.T, l *Library) {
			e := exercise(t, l, "tennis_ball_release")
			e.Cautions = slices.DeleteFunc(e.Cautions, func(s string) bool { return strings.Contains(s, "blood thinners") })
		}, `exercises.json: "tennis_ball_release": cautions: a self-massage needs one for blood thinners`},

		// Sources.
		{"source without title", func(t *testing.T, l *Library) {
			l.Sources[0].Title = ""
		}, `sources.json: "jospt-2017": title: must not be empty`},
		{"source without publisher", func(t *testing.T, l *Library) {
			l.Sources[0].Publisher = ""
		}, `sources.json: "jospt-2017": publisher: must not be empty`},
		{"source over plain http", func(t *testing.T, l *Library) {
			l.Sources[0].URL = "http://www.jospt.org/"
		}, `sources.json: "jospt-2017": url: "http://www.jospt.org/" must be an https address`},
		{"source url without host", func(t *testing.T, l *Library) {
			l.Sources[0].URL = "https:///path"
		}, `sources.json: "jospt-2017": url: "https:///path" must be an https address`},
		{"source year", func(t *testing.T, l *Library) {
			l.Sources[0].Year = 217
		}, `sources.json: "jospt-2017": year: 217 is not a plausible year`},
		{"duplicate source", func(t *testing.T, l *Library) {
			l.Sources = append(l.Sources, l.Sources[0])
		}, `sources.json: "jospt-2017": id: duplicate of entry 1`},

		// Rules.
		{"missing rule", func(t *testing.T, l *Library) {
			l.Rules = remove(l.Rules, func(r *Rule) string { return r.Code }, "cardiac")
		}, `rules.json: "cardiac": missing: the contract has this urgency rule`},
		{"rule not in contract", func(t *testing.T, l *Library) {
			r := *rule(t, l, "persistent")
			r.Code = "headache"
			l.Rules = append(l.Rules, r)
		}, `rules.json: "headache": code: not an urgency rule of the contract`},
		{"rule urgency differs", func(t *testing.T, l *Library) {
			rule(t, l, "persistent").Urgency = "urgent"
		}, `rules.json: "persistent": urgency: "urgent", the contract says "see_professional"`},
		{"rule without words", func(t *testing.T, l *Library) {
			rule(t, l, "meningitis").Says = ""
		}, `rules.json: "meningitis": says: must not be empty`},
		{"rule without sources", func(t *testing.T, l *Library) {
			rule(t, l, "meningitis").Sources = nil
		}, `rules.json: "meningitis": sources: needs at least one`},
		{"rule without signs", func(t *testing.T, l *Library) {
			rule(t, l, "lung").Signs = nil
		}, `rules.json: "lung": signs: has 0, needs at least 1`},
		{"v1 rule name", func(t *testing.T, l *Library) {
			rule(t, l, "new_spinal_pain_age").Code = "new_thoracic_pain_age"
		}, `rules.json: "new_thoracic_pain_age": code: not an urgency rule of the contract`},
		{"nerve root at its v1 urgency", func(t *testing.T, l *Library) {
			rule(t, l, "nerve_root").Urgency = "urgent"
		}, `rules.json: "nerve_root": urgency: "urgent", the contract says "see_professional"`},
		{"emergency text with a lower-level instruction", func(t *testing.T, l *Library) {
			r := rule(t, l, "meningitis")
			r.Says += " If you are unsure, book a doctor."
		}, `rules.json: "meningitis": says: at urgency emergency it must not say "book"`},
		{"emergency text without the call", func(t *testing.T, l *Library) {
			rule(t, l, "lung").Says = "Breathlessness with pain can be serious. Get help."
		}, `rules.json: "lung": says: at urgency emergency it must say "call emergency services now"`},
		{"urgent text without a day", func(t *testing.T, l *Library) {
			rule(t, l, "infection").Says = "A fever can mean an infection. See a doctor soon, and do no massage or exercise until then."
		}, `rules.json: "infection": says: at urgency urgent it must say "see a doctor within a day"`},
		{"urgent text allowing exercise", func(t *testing.T, l *Library) {
			rule(t, l, "infection").Says = "A fever can mean an infection. See a doctor within a day."
		}, `rules.json: "infection": says: at urgency urgent it must say "no massage or exercise until then"`},
		{"see-professional text without booking", func(t *testing.T, l *Library) {
			rule(t, l, "pregnancy").Says = "Pain in pregnancy is common."
		}, `rules.json: "pregnancy": says: at urgency see_professional it must say "book"`},
		{"duplicate rule", func(t *testing.T, l *Library) {
			l.Rules = append(l.Rules, *rule(t, l, "cardiac"))
		}, `rules.json: "cardiac": code: duplicate of entry 1`},

		// Causes.
		{"missing cause", func(t *testing.T, l *Library) {
			l.Causes = remove(l.Causes, func(c *Cause) string { return c.Code }, "sleep")
		}, `causes.json: "sleep": missing: the contract has this cause`},
		{"cause not in contract", func(t *testing.T, l *Library) {
			l.Causes = append(l.Causes, Cause{Code: "weather", Title: "Cold weather", Explain: "Draughts.", Sources: []string{"unknot-seed"}})
		}, `causes.json: "weather": code: not a cause of the contract`},
		{"cause without title", func(t *testing.T, l *Library) {
			l.Causes[0].Title = ""
		}, `causes.json: "posture": title: must not be empty`},
		{"cause without explanation", func(t *testing.T, l *Library) {
			l.Causes[0].Explain = ""
		}, `causes.json: "posture": explain: must not be empty`},

		// Remedies.
		{"remedy without when", func(t *testing.T, l *Library) {
			l.Remedies[0].When = ""
		}, `remedies.json: "heat": when: must not be empty`},
		{"remedy without how", func(t *testing.T, l *Library) {
			l.Remedies[0].How = ""
		}, `remedies.json: "heat": how: must not be empty`},
		{"remedy without stop caution", func(t *testing.T, l *Library) {
			l.Remedies[0].Cautions = []string{"Keep a towel between the heat and your skin."}
		}, `remedies.json: "heat": cautions: needs one that says when to stop`},

		// Massage styles.
		{"style without good_for", func(t *testing.T, l *Library) {
			l.MassageStyles[0].GoodFor = nil
		}, `massage_styles.json: "swedish": good_for: has 0, needs at least 1`},
		{"style without description", func(t *testing.T, l *Library) {
			l.MassageStyles[0].Description = ""
		}, `massage_styles.json: "swedish": description: must not be empty`},
		{"style with unknown source", func(t *testing.T, l *Library) {
			l.MassageStyles[0].Sources = []string{"spa-brochure"}
		}, `massage_styles.json: "swedish": sources: "spa-brochure" is not in sources.json`},

		// Advice.
		{"advice category", func(t *testing.T, l *Library) {
			l.Advice = append(l.Advice, Advice{Code: "test_pillow", Category: "bedroom", Says: "Use one pillow.", Sources: []string{"nhs-neck-pain"}})
		}, `advice.json: "test_pillow": category: "bedroom" is not one of avoid`},
		{"advice without words", func(t *testing.T, l *Library) {
			l.Advice = append(l.Advice, Advice{Code: "test_pillow", Category: "night", Sources: []string{"nhs-neck-pain"}})
		}, `advice.json: "test_pillow": says: must not be empty`},
		{"advice without sources", func(t *testing.T, l *Library) {
			l.Advice = append(l.Advice, Advice{Code: "test_pillow", Category: "night", Says: "Use one pillow."})
		}, `advice.json: "test_pillow": sources: needs at least one`},
		{"missing advice the plan uses", func(t *testing.T, l *Library) {
			l.Advice = remove(l.Advice, func(a *Advice) string { return a.Code }, "lying_flat_pregnancy")
		}, `advice.json: "lying_flat_pregnancy": missing: the self-check uses this advice`},
		{"missing emergency advice", func(t *testing.T, l *Library) {
			l.Advice = remove(l.Advice, func(a *Advice) string { return a.Code }, "emergency_wait_3")
		}, `advice.json: "emergency_wait_3": missing`},
		{"advice in the wrong category", func(t *testing.T, l *Library) {
			find(t, l.Advice, func(a *Advice) string { return a.Code }, "arm_symptoms").Category = "lifestyle"
		}, `advice.json: "arm_symptoms": category: "lifestyle", the self-check uses it as "avoid"`},
		{"duplicate advice", func(t *testing.T, l *Library) {
			a := Advice{Code: "test_pillow", Category: "night", Says: "Use one pillow.", Sources: []string{"nhs-neck-pain"}}
			l.Advice = append(l.Advice, a, a)
		}, `advice.json: "test_pillow": code: duplicate of entry`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fixture(t, func(l *Library) { tc.mutate(t, l) })
			l, err := Load(fsys)
			if err == nil {
				t.Fatalf("Load succeeded; want an error containing %q", tc.want)
			}
			if l != nil {
				t.Error("Load returned a library along with its error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

// TestValidateReportsEverything checks that Validate does not stop at the
// first problem.
func TestValidateReportsEverything(t *testing.T) {
	fsys := fixture(t, func(l *Library) {
		exercise(t, l, "chin_tuck").Name = ""
		rule(t, l, "cardiac").Says = ""
		l.Causes[0].Explain = ""
	})
	_, err := Load(fsys)
	for _, want := range []string{
		`exercises.json: "chin_tuck": name`,
		`rules.json: "cardiac": says`,
		`causes.json: "posture": explain`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
}

// TestValidateEmpty checks that an empty library, never indexed, is
// reported as missing everything the contract requires.
func TestValidateEmpty(t *testing.T) {
	err := new(Library).Validate()
	if err == nil {
		t.Fatal("empty library passed validation")
	}
	for _, want := range []string{
		`exercises.json: "chin_tuck": missing`,
		`exercises.json: "brisk_walk": missing`,
		`rules.json: "new_spinal_pain_age": missing`,
		`advice.json: "strength_waits": missing`,
		`causes.json: "injury": missing`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q", want)
		}
	}
}

// TestLoadDecodeErrors checks that malformed files are rejected, never
// guessed at, with the file and (where it can be told) the entry named.
func TestLoadDecodeErrors(t *testing.T) {
	tests := []struct {
		name, file, data, want string
	}{
		{"unknown field", causesFile, `[{"code":"posture","title":"Posture","explian":"x"}]`,
			`causes.json: "posture": json: unknown field "explian"`},
		{"unknown field without key", causesFile, `[{"bogus":1}]`,
			`causes.json: entry 1: json: unknown field "bogus"`},
		{"wrong type", exercisesFile, `[{"id":"chin_tuck","steps":"tuck"}]`,
			`exercises.json: "chin_tuck": json: cannot unmarshal string`},
		{"not an array", rulesFile, `{"cardiac":"emergency"}`,
			`rules.json: json: cannot unmarshal object`},
		{"trailing data", remediesFile, `[] []`,
			`remedies.json: unexpected data after the JSON value`},
		{"syntax error", sourcesFile, `[{"id":"x"}`,
			`sources.json: unexpected EOF`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fixture(t, nil)
			fsys[tc.file] = &fstest.MapFile{Data: []byte(tc.data)}
			_, err := Load(fsys)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want it to contain %q", err, tc.want)
			}
		})
	}

	t.Run("missing file", func(t *testing.T) {
		fsys := fixture(t, nil)
		delete(fsys, adviceFile)
		_, err := Load(fsys)
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), adviceFile) {
			t.Errorf("Load error = %v, want a not-exist error naming %s", err, adviceFile)
		}
	})
}

// TestRulesAreContractV2 checks the library's rules against the list of
// contract version 2, written out here rather than taken from validate.go,
// so that a wrong list in either place fails.
func TestRulesAreContractV2(t *testing.T) {
	want := map[string]string{
		"cardiac": "emergency", "lung": "emergency", "aorta_or_artery": "emergency",
		"stroke_or_artery": "emergency", "meningitis": "emergency", "spinal_cord": "emergency",
		"neck_trauma":       "emergency",
		"nerve_compression": "urgent", "heart_or_lung_warning": "urgent", "severe_after_injury": "urgent",
		"injury_risk": "urgent", "fragile_bones": "urgent", "artery_warning": "urgent",
		"infection": "urgent", "serious_disease": "urgent",
		"nerve_root": "see_professional", "persistent": "see_professional",
		"worse_despite_care": "see_professional", "not_improving": "see_professional",
		"disabling": "see_professional", "recurring": "see_professional", "severe_pain": "see_professional",
		"new_spinal_pain_age": "see_professional", "cancer_history": "see_professional",
		"infection_risk": "see_professional", "inflammatory_disease": "see_professional",
		"pregnancy": "see_professional",
	}
	if len(contractRules) != len(want) {
		t.Errorf("contractRules has %d rules, contract version 2 has %d", len(contractRules), len(want))
	}
	for _, r := range contractRules {
		if want[r.code] != r.urgency {
			t.Errorf("contractRules: %s at %q, contract version 2 says %q", r.code, r.urgency, want[r.code])
		}
	}
	l := Default()
	if len(l.Rules) != len(want) {
		t.Errorf("library has %d rules, contract version 2 has %d", len(l.Rules), len(want))
	}
	for code, urgency := range want {
		r, ok := l.Rule(code)
		if !ok {
			t.Errorf("no rule %q", code)
			continue
		}
		if r.Urgency != urgency {
			t.Errorf("rule %q at %q, want %q", code, r.Urgency, urgency)
		}
	}
	for _, old := range []string{"new_thoracic_pain_age"} {
		if _, ok := l.Rule(old); ok {
			t.Errorf("rule %q of contract version 1 is still in the library", old)
		}
	}
}

// TestRuleTexts checks that each rule text says exactly what to do at its
// level, independently of the validation that enforces the same.
func TestRuleTexts(t *testing.T) {
	for _, r := range Default().Rules {
		says := strings.ToLower(r.Says)
		switch r.Urgency {
		case Emergency:
			if !strings.Contains(says, "call emergency services now") {
				t.Errorf("%s: emergency text does not say to call emergency services now: %q", r.Code, r.Says)
			}
			for _, lower := range []string{"within a day", "book", "doctor", "physiotherapist", "massage", "home care"} {
				if strings.Contains(says, lower) {
					t.Errorf("%s: emergency text mentions %q, a lower-level action", r.Code, lower)
				}
			}
		case Urgent:
			if !strings.Contains(says, "see a doctor within a day") || !strings.Contains(says, "no massage or exercise until then") {
				t.Errorf("%s: urgent text must say to see a doctor within a day, with no massage or exercise until then: %q", r.Code, r.Says)
			}
		case SeeProfessional:
			if !strings.Contains(says, "book") || !strings.Contains(says, "home care") {
				t.Errorf("%s: see-professional text must say to book someone and that home care may go on: %q", r.Code, r.Says)
			}
		}
	}
	nr, _ := Default().Rule("nerve_root")
	if s := strings.ToLower(nr.Says); !strings.Contains(s, "one arm") || !strings.Contains(s, "stop any movement that sends") {
		t.Errorf("nerve_root must describe one-arm symptoms and say to stop movements that send them down the arm: %q", nr.Says)
	}
	age, _ := Default().Rule("new_spinal_pain_age")
	if s := age.Says; !strings.Contains(s, "under 20") || !strings.Contains(s, "50") {
		t.Errorf("new_spinal_pain_age must name the ages under 20 and 50: %q", s)
	}
}

// TestPositions checks the positions of contract version 2.
func TestPositions(t *testing.T) {
	l := Default()
	for _, e := range l.Exercises {
		if !slices.Contains([]string{"standing", "sitting", "lying_back", "lying_front", "lying_side", "kneeling", "all_fours", "any"}, e.Position) {
			t.Errorf("%s: position %q is not one of the contract's", e.ID, e.Position)
		}
	}
	for id, allowed := range map[string][]string{
		"tennis_ball_release":    {"standing"},
		"doorway_chest_stretch":  {"standing"},
		"shoulder_blade_squeeze": {"sitting", "standing"},
		"posture_reset":          {"sitting", "standing"},
		"heat_pack":              {"any"},
		"cold_pack":              {"any"},
		"suboccipital_release":   {"lying_back"},
		"fingertip_circles":      {"sitting"},
	} {
		e, ok := l.Exercise(id)
		if !ok {
			t.Errorf("no exercise %q", id)
			continue
		}
		if !slices.Contains(allowed, e.Position) {
			t.Errorf("%s: position %q, want %s", id, e.Position, strings.Join(allowed, " or "))
		}
	}
	// The steps must agree with the position.
	steps := func(id string) string {
		e, _ := l.Exercise(id)
		return strings.ToLower(strings.Join(e.Steps, " "))
	}
	if s := steps("tennis_ball_release"); !strings.Contains(s, "stand") || !strings.Contains(s, "wall") {
		t.Error("tennis_ball_release: steps must say it is done standing against a wall")
	}
	for _, id := range []string{"shoulder_blade_squeeze", "posture_reset"} {
		if s := steps(id); !strings.Contains(s, "sit") || !strings.Contains(s, "stand") {
			t.Errorf("%s: steps must say that sitting or standing both work", id)
		}
	}
	if s := steps("suboccipital_release"); !strings.Contains(s, "lie on your back") {
		t.Error("suboccipital_release: steps must say it is done lying on the back")
	}

	sub, _ := l.Exercise("suboccipital_release")
	if !sub.Lying() {
		t.Error("suboccipital_release is not lying; the plan's pregnancy substitute rests on it")
	}
	var seated []string
	for _, e := range l.ExercisesByKind(Massage) {
		if !e.Lying() && slices.Contains(e.Regions, "base_of_skull") {
			seated = append(seated, e.ID)
		}
	}
	if !slices.Contains(seated, "fingertip_circles") {
		t.Errorf("massage exercises for base_of_skull that are not lying: %v; want fingertip_circles among them", seated)
	}
}

func TestLying(t *testing.T) {
	for pos, want := range map[string]bool{
		LyingBack: true, LyingFront: true,
		LyingSide: false, Sitting: false, Standing: false, Kneeling: false, AllFours: false, AnyPosition: false, "": false,
	} {
		e := Exercise{Position: pos}
		if got := e.Lying(); got != want {
			t.Errorf("Exercise{Position: %q}.Lying() = %v, want %v", pos, got, want)
		}
	}
}

// TestAdviceTheEngineUses checks every advice code the self-check and its
// plan use, written out here, and the words the contract asks of some.
func TestAdviceTheEngineUses(t *testing.T) {
	l := Default()
	want := map[string]string{
		"arm_symptoms": "avoid", "lying_flat_pregnancy": "avoid", "spine_pressure": "avoid",
		"neck_manipulation": "avoid", "deep_pressure_blood_thinners": "avoid", "strength_waits": "avoid",
		"stomach_sleeping": "avoid", "strain_while_severe": "avoid",
		"muscle_relaxants_drowsy": "lifestyle", "self_massage_dose": "lifestyle",
		"emergency_wait_1": "emergency", "emergency_wait_2": "emergency",
		"emergency_wait_3": "emergency", "emergency_wait_4": "emergency",
		"headline_emergency": "escalate", "headline_urgent": "escalate",
		"headline_see_professional": "escalate", "headline_self_care": "escalate",
		"professional_emergency": "escalate", "professional_urgent": "escalate",
		"professional_see_professional": "escalate", "professional_self_care": "escalate",
		"pattern_overstretched": "pattern", "pattern_overworked": "pattern",
		"pattern_mixed": "pattern", "pattern_unclear": "pattern",
	}
	says := map[string]string{}
	for code, category := range want {
		a, ok := l.AdviceFor(code)
		if !ok {
			t.Errorf("no advice %q", code)
			continue
		}
		if a.Category != category {
			t.Errorf("advice %q in category %q, want %q", code, a.Category, category)
		}
		says[code] = strings.ToLower(a.Says)
	}
	contains := func(code string, words ...string) {
		t.Helper()
		for _, w := range words {
			if !strings.Contains(says[code], w) {
				t.Errorf("advice %q must say %q: %q", code, w, says[code])
			}
		}
	}
	lacks := func(code string, words ...string) {
		t.Helper()
		for _, w := range words {
			if strings.Contains(says[code], w) {
				t.Errorf("advice %q must not say %q: %q", code, w, says[code])
			}
		}
	}
	contains("strength_waits", "4 or below")
	contains("arm_symptoms", "down your arm", "stop")
	contains("lying_flat_pregnancy", "on your side")
	contains("spine_pressure", "foam rolling", "spine")
	contains("deep_pressure_blood_thinners", "bruise", "massage therapist")
	contains("muscle_relaxants_drowsy", "drowsy", "do not drive", "alcohol", "leaflet")
	contains("self_massage_dose", "about five minutes", "five or six times a day")
	contains("headline_urgent", "within a day", "no massage or exercise")
	contains("professional_urgent", "within a day", "no massage or exercise")
	for _, code := range []string{"headline_emergency", "professional_emergency"} {
		contains(code, "call emergency services now")
		lacks(code, "within a day", "book", "physiotherapist", "massage")
	}
	for _, code := range []string{"pattern_overstretched", "pattern_overworked", "pattern_mixed", "pattern_unclear"} {
		lacks(code, "three or more", "counting", "a single sign", "1", "2", "3")
	}
	for i := 1; i <= 4; i++ {
		code := fmt.Sprintf("emergency_wait_%d", i)
		lacks(code, "book", "within a day", "physiotherapist", "massage")
	}
	contains("professional_see_professional", "dry needling")
}

// TestEveryReferencedSourceExists walks every reference in the library and
// looks it up, independently of the validation.
func TestEveryReferencedSourceExists(t *testing.T) {
	l := Default()
	check := func(where string, ids []string) {
		t.Helper()
		if len(ids) == 0 {
			t.Errorf("%s cites no source", where)
		}
		for _, id := range ids {
			if _, ok := l.Source(id); !ok {
				t.Errorf("%s cites %q, which is not in sources.json", where, id)
			}
		}
	}
	for _, e := range l.Exercises {
		check("exercise "+e.ID, e.Sources)
	}
	for _, r := range l.Rules {
		check("rule "+r.Code, r.Sources)
		if slices.Contains(r.Sources, "unknot-seed") && r.Sources[0] == "unknot-seed" {
			t.Errorf("rule %s names the seed articles first; a rule's main source is a guideline", r.Code)
		}
	}
	for _, c := range l.Causes {
		check("cause "+c.Code, c.Sources)
	}
	for _, r := range l.Remedies {
		check("remedy "+r.ID, r.Sources)
	}
	for _, m := range l.MassageStyles {
		check("massage style "+m.ID, m.Sources)
	}
	for _, a := range l.Advice {
		check("advice "+a.Code, a.Sources)
	}
}
