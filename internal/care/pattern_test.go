package care

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"unknot/internal/library"
)

func TestPattern(t *testing.T) {
	posture := func(a *Answers) { a.Habits.Posture = []string{"slouching", "forward_head"} }
	front := func(a *Answers) { a.Habits.FrontDominantTraining = true }
	stretchHurts := func(a *Answers) { a.StretchFeel = "worsens" }
	stretchHelps := func(a *Answers) { a.StretchFeel = "relieves" }
	back := func(a *Answers) { a.Habits.RepetitiveBackUse = true }
	lifting := func(a *Answers) { a.Onset = "after_lifting" }
	exercise := func(a *Answers) { a.Onset = "after_exercise" }
	pressure := func(a *Answers) { a.PressureFeel = "relieves" }
	tests := []struct {
		name    string
		signs   []func(a *Answers)
		want    string
		because []string
	}{
		{"no signs", nil, Unclear, []string{}},
		{"neutral feelings", []func(a *Answers){func(a *Answers) { a.StretchFeel, a.PressureFeel = "no_change", "worsens" }}, Unclear, []string{}},
		{"posture only", []func(a *Answers){posture}, Overstretched, []string{"habits.posture"}},
		{"front only", []func(a *Answers){front}, Overstretched, []string{"habits.front_dominant_training"}},
		{"stretch hurts only", []func(a *Answers){stretchHurts}, Overstretched, []string{"stretch_feel"}},
		{"all stretched signs", []func(a *Answers){posture, front, stretchHurts}, Overstretched, []string{"habits.posture", "habits.front_dominant_training", "stretch_feel"}},
		{"back use only", []func(a *Answers){back}, Overworked, []string{"habits.repetitive_back_use"}},
		{"after lifting", []func(a *Answers){lifting}, Overworked, []string{"onset"}},
		{"after exercise", []func(a *Answers){exercise}, Overworked, []string{"onset"}},
		{"pressure relieves", []func(a *Answers){pressure}, Overworked, []string{"pressure_feel"}},
		{"stretch relieves", []func(a *Answers){stretchHelps}, Overworked, []string{"stretch_feel"}},
		{"one against one", []func(a *Answers){posture, back}, Mixed, []string{"habits.posture", "habits.repetitive_back_use"}},
		{"two against one", []func(a *Answers){posture, front, back}, Mixed, []string{"habits.posture", "habits.front_dominant_training", "habits.repetitive_back_use"}},
		{"three against one", []func(a *Answers){posture, front, stretchHurts, back}, Overstretched, []string{"habits.posture", "habits.front_dominant_training", "stretch_feel", "habits.repetitive_back_use"}},
		{"one against three", []func(a *Answers){posture, back, lifting, pressure}, Overworked, []string{"habits.posture", "habits.repetitive_back_use", "onset", "pressure_feel"}},
		{"two against three", []func(a *Answers){posture, front, back, lifting, pressure}, Mixed, []string{"habits.posture", "habits.front_dominant_training", "habits.repetitive_back_use", "onset", "pressure_feel"}},
		{"two against four", []func(a *Answers){posture, front, back, lifting, pressure, stretchHelps}, Mixed, []string{"habits.posture", "habits.front_dominant_training", "habits.repetitive_back_use", "onset", "pressure_feel", "stretch_feel"}},
		{"three against three", []func(a *Answers){posture, front, stretchHurts, back, lifting, pressure}, Mixed, []string{"habits.posture", "habits.front_dominant_training", "stretch_feel", "habits.repetitive_back_use", "onset", "pressure_feel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			for _, sign := range tt.signs {
				sign(&a)
			}
			r := Assess(lib, a)
			re := reasonFor(r, "pattern_"+tt.want)
			if r.Pattern != tt.want || re == nil {
				t.Fatalf("pattern %s, want %s", r.Pattern, tt.want)
			}
			if !slices.Equal(re.Because, tt.because) {
				t.Errorf("because %v, want %v", re.Because, tt.because)
			}
			if re.Says == "" {
				t.Errorf("%s has no text", re.Code)
			}
			checkPlan(t, a, r)
		})
	}
}

func TestStage(t *testing.T) {
	for days, want := range map[int]string{0: Acute, 41: Acute, 42: Subacute, 84: Subacute, 85: Chronic, 3650: Chronic} {
		a := base()
		a.DurationDays = days
		if got := Assess(lib, a).Stage; got != want {
			t.Errorf("duration_days %d: stage %s, want %s", days, got, want)
		}
	}
}

func TestTemperature(t *testing.T) {
	tests := []struct {
		onset   string
		days    int
		want    string
		because []string
	}{
		{"after_injury", 3, Cold, []string{"onset", "duration_days"}},
		{"after_lifting", 0, Cold, []string{"onset", "duration_days"}},
		{"after_exercise", 3, Cold, []string{"onset", "duration_days"}},
		{"after_exercise", 4, Heat, []string{"duration_days"}},
		{"gradual", 0, Heat, []string{"onset"}},
		{"gradual", 4, Heat, []string{"duration_days", "onset"}},
		{"woke_up_with_it", 3, Either, []string{"onset", "duration_days"}},
		{"unknown", 1, Either, []string{"onset", "duration_days"}},
		{"woke_up_with_it", 4, Heat, []string{"duration_days"}},
	}
	for _, tt := range tests {
		a := base()
		a.Onset, a.DurationDays = tt.onset, tt.days
		r := Assess(lib, a)
		re := reasonFor(r, "temperature_"+tt.want)
		if r.Temperature != tt.want || re == nil || !slices.Equal(re.Because, tt.because) {
			t.Errorf("%s, %d days: temperature %s (%+v), want %s because %v", tt.onset, tt.days, r.Temperature, re, tt.want, tt.because)
		}
		checkPlan(t, a, r)
	}
}

func TestCauses(t *testing.T) {
	tests := []struct {
		name string
		set  func(a *Answers)
		want []string
	}{
		{"none", func(a *Answers) {}, []string{}},
		{"posture", func(a *Answers) { a.Habits.Posture = []string{"rounded_shoulders"} }, []string{"posture"}},
		{"desk 5.9", func(a *Answers) { a.Habits.DeskHours = ptr(5.9) }, []string{}},
		{"desk 6", func(a *Answers) { a.Habits.DeskHours = ptr(6.0) }, []string{"prolonged_sitting"}},
		{"phone 2.9", func(a *Answers) { a.Habits.PhoneHours = ptr(2.9) }, []string{}},
		{"phone 3", func(a *Answers) { a.Habits.PhoneHours = ptr(3.0) }, []string{"phone_use"}},
		{"rarely breaks, 4 h", func(a *Answers) { a.Habits.Breaks, a.Habits.DeskHours = "rarely", ptr(4.0) }, []string{"no_breaks"}},
		{"rarely breaks, 3.5 h", func(a *Answers) { a.Habits.Breaks, a.Habits.DeskHours = "rarely", ptr(3.5) }, []string{}},
		{"rarely breaks, no desk", func(a *Answers) { a.Habits.Breaks = "rarely" }, []string{}},
		{"sometimes breaks, 8 h", func(a *Answers) { a.Habits.Breaks, a.Habits.DeskHours = "sometimes", ptr(8.0) }, []string{"prolonged_sitting"}},
		{"stress", func(a *Answers) { a.Habits.Stress = "high" }, []string{"stress"}},
		{"moderate stress", func(a *Answers) { a.Habits.Stress = "moderate" }, []string{}},
		{"sedentary", func(a *Answers) { a.Habits.Activity = "sedentary" }, []string{"inactivity"}},
		{"back use", func(a *Answers) { a.Habits.RepetitiveBackUse = true }, []string{"overuse"}},
		{"after exercise", func(a *Answers) { a.Onset = "after_exercise" }, []string{"overuse"}},
		{"after lifting", func(a *Answers) { a.Onset = "after_lifting" }, []string{"overuse"}},
		{"front training", func(a *Answers) { a.Habits.FrontDominantTraining = true }, []string{"muscle_imbalance"}},
		{"stomach", func(a *Answers) { a.Habits.SleepPosition = "stomach" }, []string{"sleep"}},
		{"pillow too high", func(a *Answers) { a.Habits.Pillow = "too_high" }, []string{"sleep"}},
		{"pillow too flat", func(a *Answers) { a.Habits.Pillow = "too_flat" }, []string{"sleep"}},
		{"pillow fine", func(a *Answers) { a.Habits.Pillow = "fine" }, []string{}},
		{"woke up with it", func(a *Answers) { a.Onset = "woke_up_with_it" }, []string{"sleep"}},
		{"injury", func(a *Answers) { a.Onset = "after_injury" }, []string{"injury"}},
		{"many, sorted", func(a *Answers) {
			a.Habits = Habits{Stress: "high", DeskHours: ptr(9.0), Breaks: "rarely", PhoneHours: ptr(4.0), Activity: "sedentary", Posture: []string{"slouching"}}
		}, []string{"inactivity", "no_breaks", "phone_use", "posture", "prolonged_sitting", "stress"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			tt.set(&a)
			r := Assess(lib, a)
			if !slices.Equal(r.Causes, tt.want) {
				t.Errorf("causes %v, want %v", r.Causes, tt.want)
			}
			for _, c := range r.Causes {
				if re := reasonFor(r, "cause_"+c); re == nil || len(re.Because) == 0 || re.Says == "" {
					t.Errorf("cause %s has no reason: %+v", c, re)
				}
			}
			checkPlan(t, a, r)
		})
	}
}

// TestPlanTailoring checks choices the contract leaves to the plan: what it
// adds for causes, tried remedies and the desk.
func TestPlanTailoring(t *testing.T) {
	has := func(list []Advice, code string) bool { return slices.Contains(codes(list), code) }
	t.Run("heat helped keeps heat", func(t *testing.T) {
		a := base()
		a.Tried = []Tried{{"heat", "yes"}}
		p := Assess(lib, a).Plan
		if p.Daily.Morning[0].Exercise != "warm_shower" || p.Daily.Evening[0].Exercise != "heat_pack" || p.Daily.Evening[0].Note == "" {
			t.Errorf("morning %v, evening %v", p.Daily.Morning, p.Daily.Evening)
		}
	})
	t.Run("ice helped when either", func(t *testing.T) {
		a := base()
		a.Onset, a.DurationDays, a.Tried = "woke_up_with_it", 1, []Tried{{"ice", "somewhat"}, {"heat", "no"}}
		if p := Assess(lib, a).Plan; p.Daily.Evening[0].Exercise != "cold_pack" {
			t.Errorf("evening %v", p.Daily.Evening)
		}
	})
	t.Run("overstretched leaves the knot alone", func(t *testing.T) {
		a := base()
		a.Habits.Posture = []string{"rounded_shoulders"}
		p := Assess(lib, a).Plan
		if !has(p.Avoid, "stretch_or_pound_knot") || slices.Contains(p.Exercises, "levator_scapulae_stretch") {
			t.Errorf("avoid %v, exercises %v", codes(p.Avoid), p.Exercises)
		}
	})
	t.Run("severe pain keeps strength for later", func(t *testing.T) {
		a := base()
		a.PainNow, a.Habits.Posture, a.Habits.DeskHours = 7, []string{"slouching"}, ptr(8.0)
		p := Assess(lib, a).Plan
		if !has(p.Avoid, "strain_while_severe") || !has(p.Avoid, "strength_waits") ||
			slices.Contains(p.Exercises, "shoulder_blade_squeeze") || !slices.Contains(p.Exercises, "posture_reset") {
			t.Errorf("avoid %v, exercises %v", codes(p.Avoid), p.Exercises)
		}
	})
	// Strengthening has one threshold: pain 4 or below.
	for _, tt := range []struct {
		pain     int
		strength bool
	}{{3, true}, {4, true}, {5, false}, {6, false}} {
		t.Run(fmt.Sprintf("pain %d strength %v", tt.pain, tt.strength), func(t *testing.T) {
			a := base()
			a.PainNow, a.Habits.Posture = tt.pain, []string{"forward_head"}
			p := Assess(lib, a).Plan
			var strengthDays []int
			for _, d := range p.Days {
				for _, s := range d.Sessions {
					for _, it := range s.Items {
						if e, _ := lib.Exercise(it.Exercise); e.Kind == library.Strength && !slices.Contains(strengthDays, d.Day) {
							strengthDays = append(strengthDays, d.Day)
						}
					}
				}
			}
			if tt.strength != slices.Contains(p.Exercises, "shoulder_blade_squeeze") || tt.strength == has(p.Avoid, "strength_waits") {
				t.Errorf("exercises %v, avoid %v", p.Exercises, codes(p.Avoid))
			}
			if want := []int{5, 6, 7}; tt.strength && !slices.Equal(strengthDays, want) || !tt.strength && len(strengthDays) > 0 {
				t.Errorf("strength on days %v", strengthDays)
			}
		})
	}
	t.Run("the strength advice names the threshold", func(t *testing.T) {
		if says := advice(lib, "strength_waits").Says; !strings.Contains(says, strconv.Itoa(StrengthMaxPain)+" or below") {
			t.Errorf("strength_waits says %q", says)
		}
	})
	t.Run("nerve root: no nerve stretches", func(t *testing.T) {
		a := base()
		a.Symptoms.TinglingOrNumbnessOneArm, a.StretchFeel, a.Habits.DeskHours = true, "relieves", ptr(6.0)
		p := Assess(lib, a).Plan
		if !has(p.Avoid, "arm_symptoms") || slices.Contains(p.Exercises, "levator_scapulae_stretch") || slices.Contains(p.Exercises, "ear_to_shoulder") {
			t.Errorf("avoid %v, exercises %v", codes(p.Avoid), p.Exercises)
		}
	})
	t.Run("pregnancy: nothing lying flat, a seated release for the skull", func(t *testing.T) {
		a := base()
		a.Conditions.Pregnant, a.Regions, a.Habits.Posture = true, []string{"base_of_skull", "between_shoulder_blades"}, []string{"slouching"}
		p := Assess(lib, a).Plan
		if !has(p.Avoid, "lying_flat_pregnancy") || slices.Contains(p.Exercises, "suboccipital_release") ||
			slices.Contains(p.Exercises, "thoracic_extension_towel") || !slices.Contains(p.Exercises, "fingertip_circles") {
			t.Errorf("avoid %v, exercises %v", codes(p.Avoid), p.Exercises)
		}
	})
	t.Run("fragile bones: no foam roller", func(t *testing.T) {
		a := base()
		a.Conditions.LongTermSteroids, a.Habits.RepetitiveBackUse = true, true
		r := Assess(lib, a)
		if p := r.Plan; !has(p.Avoid, "spine_pressure") || slices.Contains(p.Exercises, "foam_roll_upper_back") {
			t.Errorf("avoid %v, exercises %v", codes(p.Avoid), p.Exercises)
		}
		if slices.Contains(r.Professional.MassageStyles, "deep_tissue") {
			t.Errorf("deep tissue suggested on steroids: %v", r.Professional.MassageStyles)
		}
	})
	t.Run("blood thinners and manipulation", func(t *testing.T) {
		a := base()
		a.Conditions.BloodThinners, a.Conditions.NeckSurgery, a.Habits.RepetitiveBackUse = true, true, true
		r := Assess(lib, a)
		if p := r.Plan; !has(p.Avoid, "deep_pressure_blood_thinners") || !has(p.Avoid, "neck_manipulation") {
			t.Errorf("avoid %v", codes(p.Avoid))
		}
		if slices.Contains(r.Professional.MassageStyles, "deep_tissue") || slices.Contains(r.Professional.MassageStyles, "dry_needling") {
			t.Errorf("massage styles on blood thinners: %v", r.Professional.MassageStyles)
		}
	})
	t.Run("muscle relaxants make drowsy", func(t *testing.T) {
		a := base()
		a.Tried = []Tried{{"muscle_relaxants", "somewhat"}}
		if p := Assess(lib, a).Plan; !has(p.Lifestyle, "muscle_relaxants_drowsy") {
			t.Errorf("lifestyle %v", codes(p.Lifestyle))
		}
	})
	t.Run("causes bring advice", func(t *testing.T) {
		a := base()
		a.Habits = Habits{DeskHours: ptr(9.0), Breaks: "rarely", PhoneHours: ptr(4.0), Stress: "high", Activity: "sedentary", SleepPosition: "stomach", Pillow: "too_high"}
		a.Tried = []Tried{{"painkillers", "no"}, {"massage_therapy", "yes"}}
		p := Assess(lib, a).Plan
		for list, want := range map[*[]Advice][]string{
			&p.Ergonomics:        {"screen_at_eye_level", "chair_support", "micro_breaks", "phone_at_eye_level"},
			&p.Lifestyle:         {"stress_relief", "move_daily", "sleep_routine", "medicines_as_directed", "professional_helped"},
			&p.Daily.Night:       {"night_back_or_side", "pillow_too_high"},
			&p.Avoid:             {"stomach_sleeping"},
			&p.SeeProfessionalIf: {"escalate_three_weeks", "escalate_new_symptoms"},
		} {
			for _, code := range want {
				if !has(*list, code) {
					t.Errorf("%s missing from %v", code, codes(*list))
				}
			}
		}
		if wb := p.Daily.WorkdayBreaks; wb == nil || wb.EveryMinutes != 30 {
			t.Errorf("workday breaks %+v", wb)
		}
		if !slices.Contains(p.Exercises, "brisk_walk") || !slices.Contains(p.Exercises, "deep_breathing") {
			t.Errorf("exercises %v", p.Exercises)
		}
	})
	t.Run("see professional books first", func(t *testing.T) {
		a := base()
		a.Recurring = true
		if p := Assess(lib, a).Plan; p.SeeProfessionalIf[0].Code != "escalate_book_now" {
			t.Errorf("see_professional_if %v", codes(p.SeeProfessionalIf))
		}
	})
}
