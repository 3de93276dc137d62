package routine

import (
	"math/rand"
	"slices"
	"strconv"
	"testing"
	"testing/quick"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
)

// kinds lists segments as "kind:side:seconds".
func kinds(segs []Segment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.Kind + ":" + s.Side + ":" + strconv.Itoa(s.Seconds)
	}
	return out
}

func TestSegments(t *testing.T) {
	tests := []struct {
		name  string
		item  care.Item
		want  []string
		total int
	}{
		{
			name:  "chin tuck 3 x 3 s",
			item:  care.Item{Exercise: "chin_tuck", HoldSeconds: 3, Reps: 3, Sides: "none"},
			want:  []string{"ready::5", "hold::3", "rest::2", "hold::3", "rest::2", "hold::3"},
			total: 5 + 3*3 + 2*2,
		},
		{
			name: "stretch held 20 s on each side, twice",
			item: care.Item{Exercise: "ear_to_shoulder", HoldSeconds: 20, Reps: 2, Sides: "each"},
			want: []string{"ready::5",
				"hold:left:20", "switch::3", "hold:right:20", "rest::5",
				"hold:left:20", "switch::3", "hold:right:20"},
			total: 5 + 2*(20+3+20) + 5,
		},
		{
			name:  "3-minute ball release, each side",
			item:  care.Item{Exercise: "tennis_ball_release", HoldSeconds: 30, Minutes: 3, Sides: "each"},
			want:  []string{"ready::5", "timed:left:90", "switch::3", "timed:right:90"},
			total: 5 + 180 + 3,
		},
		{
			name:  "heat pack 15 minutes",
			item:  care.Item{Exercise: "heat_pack", Minutes: 15, Sides: "none"},
			want:  []string{"ready::5", "timed::900"},
			total: 905,
		},
		{
			name:  "moves in two sets",
			item:  care.Item{Exercise: "shoulder_rolls", Reps: 8, Sets: 2, Sides: "both"},
			want:  []string{"ready::5", "move::24", "rest::20", "move::24"},
			total: 5 + 24 + 20 + 24,
		},
		{
			name:  "moves on each side",
			item:  care.Item{Exercise: "neck_rotation", Reps: 5, Sides: "each"},
			want:  []string{"ready::5", "move:left:15", "switch::3", "move:right:15"},
			total: 38,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs := Segments(tt.item)
			if got := kinds(segs); !slices.Equal(got, tt.want) {
				t.Errorf("segments\n got %v\nwant %v", got, tt.want)
			}
			if got := (Step{Segments: segs}).Seconds(); got != tt.total {
				t.Errorf("total %d s, want %d", got, tt.total)
			}
			for _, s := range segs {
				if s.Label == "" || s.Seconds <= 0 {
					t.Errorf("segment %+v has no label or no time", s)
				}
			}
		})
	}
}

func TestChinTuckTenTimesThreeSeconds(t *testing.T) {
	segs := Segments(care.Item{Exercise: "chin_tuck", HoldSeconds: 3, Reps: 10, Sides: "none"})
	var holds, rests int
	for _, s := range segs {
		switch s.Kind {
		case Hold:
			holds++
			if s.Seconds != 3 {
				t.Errorf("hold of %d s", s.Seconds)
			}
		case Rest:
			rests++
		}
	}
	if holds != 10 || rests != 9 {
		t.Errorf("%d holds and %d rests, want 10 and 9", holds, rests)
	}
	if segs[1].Label != "Hold 1 of 10" || segs[len(segs)-1].Label != "Hold 10 of 10" {
		t.Errorf("labels %q … %q", segs[1].Label, segs[len(segs)-1].Label)
	}
}

// plan is the plan of a desk worker with an over-stretched knot, whose
// program has strength work from care.StrengthFromDay.
func plan(t *testing.T) *care.Plan {
	t.Helper()
	desk := 8.0
	r := care.Assess(library.Default(), care.Answers{
		Version: care.Version, Age: 40, Regions: []string{"top_of_shoulder"}, DurationDays: 5, Onset: "gradual", PainNow: 4,
		Habits: care.Habits{DeskHours: &desk, Posture: []string{"rounded_shoulders"}},
	})
	if r.Plan == nil {
		t.Fatalf("no plan: %s", r.Urgency)
	}
	return r.Plan
}

func TestTodayLeavesStrengthForTheStrengtheningPhase(t *testing.T) {
	lib := library.Default()
	p := plan(t)
	isStrength := func(s Step) bool {
		e, _ := lib.Exercise(s.Exercise)
		return e.Kind == library.Strength
	}
	for _, phase := range []string{diary.Relief, diary.Mobility, diary.Strengthening} {
		for day := 1; day <= care.ProgramDays; day++ {
			steps := Today(p, day, phase, lib)
			if len(steps) == 0 {
				t.Errorf("day %d, %s: no steps", day, phase)
			}
			strength := slices.ContainsFunc(steps, isStrength)
			if strength && phase != diary.Strengthening {
				t.Errorf("day %d, %s: has strength work", day, phase)
			}
			if day >= care.StrengthFromDay && phase == diary.Strengthening && !strength {
				t.Errorf("day %d, strengthening: no strength work", day)
			}
		}
	}
}

func TestTodayFollowsTheDaysSessions(t *testing.T) {
	lib := library.Default()
	p := plan(t)
	steps := Today(p, 1, diary.Relief, lib)
	var want []string
	for _, s := range p.Days[0].Sessions {
		for _, it := range s.Items {
			want = append(want, it.Exercise)
		}
	}
	var got []string
	for _, s := range steps {
		got = append(got, s.Exercise)
		if s.Name == "" || len(s.Steps) == 0 || s.Dose == "" || s.Session == "" {
			t.Errorf("step %s lacks name, instructions, dose or session: %+v", s.Exercise, s)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("day 1 steps %v, want %v", got, want)
	}
	// Days outside 1–7 are clamped; no plan means no steps.
	if !slices.EqualFunc(Today(p, 0, diary.Relief, lib), steps, func(a, b Step) bool { return a.Exercise == b.Exercise }) {
		t.Error("day 0 is not day 1")
	}
	if Today(nil, 1, diary.Relief, lib) != nil {
		t.Error("steps without a plan")
	}
}

// TestTotalIsTheSumOfSegments: whatever the dose, a step lasts exactly as
// long as its segments, each segment has time, and holds and sides come as
// the dose says.
func TestTotalIsTheSumOfSegments(t *testing.T) {
	f := func(hold, reps, sets, minutes uint8, side uint8) bool {
		it := care.Item{
			HoldSeconds: int(hold % 91), Reps: int(reps % 16), Sets: int(sets % 4),
			Minutes: int(minutes % 21), Sides: []string{"each", "both", "none", ""}[side%4],
		}
		segs := Segments(it)
		sum, holds := 0, 0
		for _, s := range segs {
			if s.Seconds <= 0 {
				return false
			}
			sum += s.Seconds
			if s.Kind == Hold {
				holds++
			}
		}
		if (Step{Segments: segs}).Seconds() != sum || Total([]Step{{Segments: segs}, {Segments: segs}}) != 2*sum {
			return false
		}
		if segs[0].Kind != Ready {
			return false
		}
		if it.Minutes == 0 && it.HoldSeconds > 0 {
			want := max(it.Reps, 1) * max(it.Sets, 1)
			if it.Sides == "each" {
				want *= 2
			}
			return holds == want
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{Rand: rand.New(rand.NewSource(4))}); err != nil {
		t.Error(err)
	}
}

func BenchmarkToday(b *testing.B) {
	lib := library.Default()
	desk := 8.0
	p := care.Assess(lib, care.Answers{Version: care.Version, Age: 40, Regions: []string{"top_of_shoulder"}, DurationDays: 5, Onset: "gradual", PainNow: 4,
		Habits: care.Habits{DeskHours: &desk}}).Plan
	for b.Loop() {
		Today(p, 5, diary.Strengthening, lib)
	}
}

// TestNoStrengthBeforeItsPhase: for any self-care plan, day and phase, the
// steps hold strength work only in the strengthening phase.
func TestNoStrengthBeforeItsPhase(t *testing.T) {
	lib := library.Default()
	regions := []string{"base_of_skull", "back_of_neck", "top_of_shoulder", "shoulder_blade", "between_shoulder_blades"}
	phases := []string{diary.Relief, diary.Mobility, diary.Strengthening}
	f := func(pain, region, day, phase uint8, desk uint8, posture, backUse bool) bool {
		hours := float64(desk % 13)
		a := care.Answers{Version: care.Version, Age: 40, Regions: []string{regions[int(region)%len(regions)]}, DurationDays: 5, Onset: "gradual",
			PainNow: int(pain % 8), Habits: care.Habits{DeskHours: &hours, RepetitiveBackUse: backUse}}
		if posture {
			a.Habits.Posture = []string{"forward_head"}
		}
		r := care.Assess(lib, a)
		if r.Plan == nil {
			return true
		}
		ph := phases[int(phase)%len(phases)]
		for _, s := range Today(r.Plan, int(day%9), ph, lib) {
			if e, _ := lib.Exercise(s.Exercise); e.Kind == library.Strength && ph != diary.Strengthening {
				return false
			}
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{Rand: rand.New(rand.NewSource(5))}); err != nil {
		t.Error(err)
	}
}
