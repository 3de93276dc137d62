package library

import (
	"encoding/json"
	"errors"
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
	for _, id := range []string{"jospt-2017", "canadian-c-spine-2001", "finucane-2020", "aha-heart-attack", "unknot-seed"} {
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
		`rules.json: "new_thoracic_pain_age": missing`,
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
