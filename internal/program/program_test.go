package program

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"unknot/internal/care"
	"unknot/internal/care/caretest"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/routine"
)

var lib = library.Default()

// client is a desk worker with pain 3 and no condition: every exercise is
// open to them.
func client(change func(a *care.Answers)) (care.Answers, care.Result) {
	desk := 6.0
	a := care.Answers{
		Version: care.Version, Age: 40, Regions: []string{"top_of_shoulder"}, DurationDays: 4, Onset: "gradual", PainNow: 3,
		Habits: care.Habits{DeskHours: &desk},
	}
	if change != nil {
		change(&a)
	}
	return a, care.Assess(lib, a)
}

// item doses exercise id at the bottom of each of its ranges.
func item(t testing.TB, id string, times int) Item {
	t.Helper()
	e, ok := lib.Exercise(id)
	if !ok {
		t.Fatalf("no exercise %s", id)
	}
	low := func(r *library.Range) int {
		if r == nil {
			return 0
		}
		return r.Min
	}
	d := e.Dose
	return Item{Item: care.Item{Exercise: id, HoldSeconds: low(d.HoldSeconds), Reps: low(d.Reps), Sets: low(d.Sets), Minutes: low(d.Minutes)}, TimesADay: times}
}

func TestCheckBoundaries(t *testing.T) {
	a, r := client(nil)
	chin := func(change func(it *Item)) Program {
		it := item(t, "chin_tuck", 1)
		change(&it)
		return Program{Items: []Item{it}}
	}
	// chin_tuck: hold 2–3 s, reps 8–12, sets 1–3, no minutes.
	cases := []struct {
		name  string
		p     Program
		field string // "" when valid
		says  string
	}{
		{"lowest dose", chin(func(it *Item) {}), "", ""},
		{"highest dose", chin(func(it *Item) { it.HoldSeconds, it.Reps, it.Sets, it.TimesADay = 3, 12, 3, MaxTimesADay }), "", ""},
		{"hold under", chin(func(it *Item) { it.HoldSeconds = 1 }), "items[0].hold_seconds", "Chin tuck: must be between 2 and 3"},
		{"hold over", chin(func(it *Item) { it.HoldSeconds = 4 }), "items[0].hold_seconds", "Chin tuck: must be between 2 and 3"},
		{"reps over", chin(func(it *Item) { it.Reps = 13 }), "items[0].reps", "Chin tuck: must be between 8 and 12"},
		{"sets under", chin(func(it *Item) { it.Sets = 0 }), "items[0].sets", "Chin tuck: must be between 1 and 3"},
		{"minutes it has none of", chin(func(it *Item) { it.Minutes = 1 }), "items[0].minutes", "Chin tuck: has no minutes; leave it empty"},
		{"never a day", chin(func(it *Item) { it.TimesADay = 0 }), "items[0].times_a_day", "Chin tuck: must be between 1 and 3"},
		{"four times a day", chin(func(it *Item) { it.TimesADay = MaxTimesADay + 1 }), "items[0].times_a_day", "Chin tuck: must be between 1 and 3"},
		{"note at the limit", chin(func(it *Item) { it.Note = strings.Repeat("é", MaxNote) }), "", ""},
		{"note over", chin(func(it *Item) { it.Note = strings.Repeat("é", MaxNote+1) }), "items[0].note", "Chin tuck: must be at most 500 characters"},
		{"note with a control", chin(func(it *Item) { it.Note = "a\x00b" }), "items[0].note", "Chin tuck: must not contain control characters"},
		{"unknown exercise", chin(func(it *Item) { it.Exercise = "headstand" }), "items[0].exercise", "must be an exercise of the library"},
		{"empty", Program{}, "items", "must have at least one exercise"},
		{"program note over", Program{Items: []Item{item(t, "chin_tuck", 1)}, Note: strings.Repeat("x", MaxProgramNote+1)}, "note", "must be at most 2000 characters"},
		{"twice the same", Program{Items: []Item{item(t, "chin_tuck", 1), item(t, "chin_tuck", 2)}}, "items[1].exercise", "Chin tuck: is in the program already (items[0]); change its dose there"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, es := Check(lib, &a, &r, c.p)
			if c.field == "" {
				if len(es) > 0 {
					t.Fatalf("refused: %v", es)
				}
				if len(got.Items) != len(c.p.Items) {
					t.Fatalf("kept %d items of %d", len(got.Items), len(c.p.Items))
				}
				return
			}
			if msg := es.For(c.field); msg != c.says {
				t.Fatalf("%s: got %q (all: %v), want %q", c.field, msg, es, c.says)
			}
			if len(got.Items) != 0 {
				t.Fatalf("a refused program came back with items")
			}
		})
	}

	t.Run("too many exercises", func(t *testing.T) {
		var p Program
		for _, e := range lib.Exercises[:MaxItems] {
			p.Items = append(p.Items, item(t, e.ID, 1))
		}
		if _, es := Check(lib, &a, &r, p); len(es) > 0 {
			t.Fatalf("%d exercises refused: %v", MaxItems, es)
		}
		p.Items = append(p.Items, item(t, lib.Exercises[MaxItems].ID, 1))
		if _, es := Check(lib, &a, &r, p); es.For("items") != "must have at most 12 exercises" {
			t.Fatalf("%d exercises: %v", MaxItems+1, es)
		}
	})
}

func TestCheckCleans(t *testing.T) {
	a, r := client(nil)
	it := item(t, "neck_rotation", 2)
	it.Sides, it.Note = "none", "  slowly  "
	got, es := Check(lib, &a, &r, Program{Items: []Item{it}, Note: " Twice a day for two weeks. "})
	if len(es) > 0 {
		t.Fatal(es)
	}
	if got.Items[0].Sides != "each" || got.Items[0].Note != "slowly" || got.Note != "Twice a day for two weeks." {
		t.Fatalf("not cleaned: %+v", got)
	}
}

func TestPlanRulesBindTheTherapist(t *testing.T) {
	cases := []struct {
		name     string
		change   func(a *care.Answers)
		exercise string
		rule     string // the avoid advice whose words are given
	}{
		{"pregnancy: lying on the back", func(a *care.Answers) { a.Conditions.Pregnant = true }, "suboccipital_release", "lying_flat_pregnancy"},
		{"pregnancy: lying on the front", func(a *care.Answers) { a.Conditions.Pregnant = true }, "snow_angel", "lying_flat_pregnancy"},
		{"nerve root", func(a *care.Answers) { a.Symptoms.PainSpreadsToArm = true }, "levator_scapulae_stretch", "arm_symptoms"},
		{"osteoporosis", func(a *care.Answers) { a.Conditions.Osteoporosis = true }, "foam_roll_upper_back", "spine_pressure"},
		{"long-term steroids", func(a *care.Answers) { a.Conditions.LongTermSteroids = true }, "foam_roll_upper_back", "spine_pressure"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Program{Items: []Item{item(t, "chin_tuck", 1), item(t, c.exercise, 1)}}
			free, freeResult := client(nil)
			if _, es := Check(lib, &free, &freeResult, p); len(es) > 0 {
				t.Fatalf("refused without the condition: %v", es)
			}
			a, r := client(c.change)
			_, es := Check(lib, &a, &r, p)
			advice, _ := lib.AdviceFor(c.rule)
			e, _ := lib.Exercise(c.exercise)
			want := e.Name + ": ruled out for this client by the plan rules. " + advice.Says
			if got := es.For("items[1].exercise"); got != want || len(es) != 1 {
				t.Fatalf("got %v, want items[1].exercise: %q", es, want)
			}
		})
	}
}

func TestStrengthAbovePainIsTheOneException(t *testing.T) {
	p := Program{Items: []Item{item(t, "wall_slide", 1)}}
	for _, c := range []struct {
		pain  int
		above bool
	}{{care.StrengthMaxPain, false}, {care.StrengthMaxPain + 1, true}, {7, true}} {
		a, r := client(func(a *care.Answers) { a.PainNow = c.pain })
		got, es := Check(lib, &a, &r, p)
		if len(es) > 0 {
			t.Fatalf("pain %d: strengthening refused: %v", c.pain, es)
		}
		if got.StrengthAbovePain != c.above {
			t.Fatalf("pain %d: StrengthAbovePain %v, want %v", c.pain, got.StrengthAbovePain, c.above)
		}
		plan := got.Plan(r.Plan, "Ana Ruiz")
		if says := strings.Contains(plan.Days[0].Focus, StrengthNote); says != c.above {
			t.Fatalf("pain %d: the program says it starts strengthening early: %v, want %v", c.pain, says, c.above)
		}
		// The guided routine keeps the strength work the therapist set.
		steps := routine.Today(plan, 1, got.Phase(diary.NoScore, a.PainNow), lib)
		if kept := len(steps) == 1; kept != (c.above || c.pain <= care.StrengthMaxPain) {
			t.Fatalf("pain %d: %d steps", c.pain, len(steps))
		}
	}
	// Without the exception, strength waits for pain to fall.
	none := Program{Items: []Item{item(t, "chin_tuck", 1)}}
	if ph := none.Phase(6, 3); ph != diary.Mobility {
		t.Fatalf("pain 6 logged: phase %s", ph)
	}
	if ph := none.Phase(diary.NoScore, 3); ph != diary.Strengthening {
		t.Fatalf("pain 3 at the check: phase %s", ph)
	}
}

func TestNoProgramWhenADoctorComesFirst(t *testing.T) {
	p := Program{Items: []Item{item(t, "chin_tuck", 1)}}
	for _, level := range []string{care.Urgent, care.Emergency} {
		r := caretest.ResultAt(t, level)
		var a care.Answers
		if _, es := Check(lib, &a, &r, p); es.For("program") != Refused {
			t.Fatalf("%s: %v", level, es)
		}
		if Allowed(&r) {
			t.Fatalf("%s allows a program", level)
		}
	}
	r := caretest.ResultAt(t, care.SeeProfessional)
	if !Allowed(&r) {
		t.Fatal("see_professional allows no program")
	}
	r.Version = 1
	if Allowed(&r) {
		t.Fatal("a version-1 result allows a program")
	}
}

func TestPlanFollowsTheProgram(t *testing.T) {
	a, r := client(nil)
	p, es := Check(lib, &a, &r, Program{Items: []Item{
		item(t, "chin_tuck", 3), item(t, "open_book", 2), item(t, "heat_pack", 1),
	}, Note: "Keep going for two weeks."})
	if len(es) > 0 {
		t.Fatal(es)
	}
	p.Items[0].Note = "Slowly."
	plan := p.Plan(r.Plan, "Ana Ruiz")
	if plan.From != "your therapist, Ana Ruiz" {
		t.Fatalf("From %q", plan.From)
	}
	ids := func(items []care.Item) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Exercise)
		}
		return out
	}
	if got := ids(plan.Daily.Morning); !slices.Equal(got, []string{"chin_tuck", "open_book", "heat_pack"}) {
		t.Fatalf("morning %v", got)
	}
	if got := ids(plan.Daily.Afternoon); !slices.Equal(got, []string{"chin_tuck"}) {
		t.Fatalf("afternoon %v", got)
	}
	if got := ids(plan.Daily.Evening); !slices.Equal(got, []string{"chin_tuck", "open_book"}) {
		t.Fatalf("evening %v", got)
	}
	if len(plan.Days) != care.ProgramDays {
		t.Fatalf("%d days", len(plan.Days))
	}
	for _, d := range plan.Days {
		if len(d.Sessions) != 3 || !strings.Contains(d.Focus, "Ana Ruiz") || !strings.Contains(d.Focus, "Keep going for two weeks.") {
			t.Fatalf("day %d: %+v", d.Day, d)
		}
	}
	if plan.Daily.Morning[0].Note != "Slowly." {
		t.Fatal("the exercise's note is lost")
	}
	// What the plan uses includes relief right now and the program.
	for _, id := range []string{"chin_tuck", "open_book", "heat_pack"} {
		if !slices.Contains(plan.Exercises, id) {
			t.Fatalf("exercises %v lack %s", plan.Exercises, id)
		}
	}
	if !slices.Equal(plan.Avoid, r.Plan.Avoid) || !slices.Equal(plan.SeeProfessionalIf, r.Plan.SeeProfessionalIf) {
		t.Fatal("the self-check's advice is lost")
	}
	if r.Plan.From != "" || len(r.Plan.Days[0].Sessions) == 0 {
		t.Fatal("the self-check's plan was changed")
	}
}

// TestNoProgramHoldsARuledOutExercise: whatever a therapist puts
// together, a program that passes Check never holds an exercise the
// client's answers rule out, and never exists for a result that calls for
// a doctor.
func TestNoProgramHoldsARuledOutExercise(t *testing.T) {
	rnd := rand.New(rand.NewPCG(9, 9))
	accepted := 0
	for range 3000 {
		a, r := client(func(a *care.Answers) {
			a.PainNow = rnd.IntN(11)
			a.Conditions.Pregnant = rnd.IntN(3) == 0
			a.Conditions.Osteoporosis = rnd.IntN(4) == 0
			a.Conditions.LongTermSteroids = rnd.IntN(4) == 0
			a.Symptoms.PainSpreadsToArm = rnd.IntN(3) == 0
			a.Symptoms.TinglingOrNumbnessOneArm = rnd.IntN(4) == 0
			a.Symptoms.FeverOrChills = rnd.IntN(8) == 0
		})
		var p Program
		for range 1 + rnd.IntN(6) {
			e := lib.Exercises[rnd.IntN(len(lib.Exercises))]
			it := item(t, e.ID, 1+rnd.IntN(MaxTimesADay))
			if d := e.Dose.Reps; d != nil {
				it.Reps = d.Min + rnd.IntN(d.Max-d.Min+1)
			}
			p.Items = append(p.Items, it)
		}
		got, es := Check(lib, &a, &r, p)
		if len(es) > 0 {
			continue
		}
		accepted++
		if !Allowed(&r) {
			t.Fatalf("a program for a %s result", r.Urgency)
		}
		rules := care.ExclusionsFor(&a, &r)
		for _, it := range got.Plan(r.Plan, "T").Daily.Morning {
			e, _ := lib.Exercise(it.Exercise)
			if code := rules.Excludes(e); code != "" {
				t.Fatalf("%+v: %s is in the program although %s rules it out", a, e.ID, code)
			}
		}
	}
	if accepted < 300 {
		t.Fatalf("only %d random programs passed: the property says little", accepted)
	}
}

func TestChanges(t *testing.T) {
	chin, book, heat := item(t, "chin_tuck", 1), item(t, "open_book", 2), item(t, "heat_pack", 1)
	before := Program{Items: []Item{chin, book}}
	if got := Changes(lib, Program{}, before); !slices.Equal(got, []string{
		"added Chin tuck: hold 2 s, 8 times, once a day",
		"added Open book: " + book.Dose() + ", twice a day",
	}) {
		t.Fatalf("first program: %q", got)
	}
	more := chin
	more.Reps, more.TimesADay, more.Note = 12, 3, "slowly"
	after := Program{Items: []Item{more, heat}, Note: "two weeks"}
	want := []string{
		"Chin tuck: hold 2 s, 8 times, once a day → hold 2 s, 12 times, 3 times a day",
		"Chin tuck: note changed",
		"added Heat pack: " + heat.Dose() + ", once a day",
		"removed Open book",
		"program note changed",
	}
	if got := Changes(lib, before, after); !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := Changes(lib, after, after); len(got) != 0 {
		t.Fatalf("no change: %q", got)
	}
}
