package diary

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"unknot/internal/care"
)

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// day0 is the plan's start: 9:00 in Berlin on 2 March 2026.
var day0 = time.Date(2026, 3, 2, 9, 0, 0, 0, berlin)

// onDay is 10:00 on day d of the plan (day 1 is day0).
func onDay(d int) time.Time { return day0.AddDate(0, 0, d-1).Add(time.Hour) }

// scores logs one entry with each pain score on consecutive days from day 1.
func scores(pains ...int) []Entry {
	es := make([]Entry, len(pains))
	for i, p := range pains {
		es[i] = Entry{At: onDay(i + 1), Pain: p}
	}
	return es
}

// careDays logs a finished routine on days 1..n.
func careDays(n int) []Entry {
	es := make([]Entry, n)
	for i := range es {
		es[i] = RoutineEntry(onDay(i+1).Add(time.Hour), min(i+1, 7), nil)
	}
	return es
}

func codes(p Progress) []string {
	var cs []string
	for _, a := range p.Alerts {
		cs = append(cs, a.Code)
	}
	return cs
}

func TestAlerts(t *testing.T) {
	tests := []struct {
		name     string
		started  time.Time // when the pain began; day0 when zero
		entries  []Entry
		rechecks []Recheck
		now      time.Time
		want     []string
	}{
		{name: "a fresh plan", now: onDay(1)},

		// pain_beyond_21_days: calendar days since the pain began.
		{name: "21 days is not beyond", started: day0, now: day0.AddDate(0, 0, 21)},
		{name: "22 days is", started: day0, now: day0.AddDate(0, 0, 22), want: []string{PainBeyond21Days}},
		{name: "22 days counted in the local calendar", started: time.Date(2026, 3, 1, 23, 30, 0, 0, berlin), now: time.Date(2026, 3, 23, 0, 30, 0, 0, berlin), want: []string{PainBeyond21Days}},
		{name: "21 local days though 22 UTC days apart", started: time.Date(2026, 3, 1, 0, 30, 0, 0, berlin), now: time.Date(2026, 3, 22, 23, 30, 0, 0, berlin)},
		{name: "beyond 21 days but pain now 0", started: day0.AddDate(0, 0, -30), entries: scores(3, 0), now: onDay(2)},
		{name: "beyond 21 days, pain 1", started: day0.AddDate(0, 0, -30), entries: scores(0, 1), now: onDay(2), want: []string{PainBeyond21Days}},
		{name: "pain 0 at a re-check after a score", started: day0.AddDate(0, 0, -30), entries: scores(3), rechecks: []Recheck{{At: onDay(2), PainNow: 0}}, now: onDay(2)},

		// rising_trend: slope over the last logged days.
		{name: "three rising days are too few", entries: scores(1, 4, 7), now: onDay(3)},
		{name: "four days at exactly +0.3 a day", entries: scores(0, 0, 0, 1), now: onDay(4), want: []string{RisingTrend}},
		{name: "four days just under +0.3 a day", entries: scores(1, 0, 0, 1), now: onDay(4)},
		{name: "a falling trend", entries: scores(8, 7, 6, 5, 4), now: onDay(5)},
		{name: "flat", entries: scores(5, 5, 5, 5, 5, 5, 5), now: onDay(7)},
		{name: "only the last 7 logged days count", entries: scores(9, 9, 9, 9, 2, 2, 2, 2, 3, 4, 4), now: onDay(11), want: []string{RisingTrend}},
		{name: "a rise two weeks ago is old news", entries: scores(1, 3, 5, 7), now: onDay(18)},
		{name: "the 14-day window: 13 days back counts", entries: scores(1, 3, 5, 7), now: onDay(1 + 13), want: []string{RisingTrend}},

		// no_better_after_14_days.
		{name: "13 days of care, no better", entries: append(careDays(13), scores(6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6)...), now: onDay(13)},
		{name: "14 days of care, no better", entries: append(careDays(14), scores(6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6)...), now: onDay(14), want: []string{NoBetterAfter14Days}},
		{name: "14 days of care, 2 points better", entries: append(careDays(14), scores(6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4)...), now: onDay(14)},
		{name: "14 days of care, 1.7 points better", entries: append(careDays(14), scores(6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 5)...), now: onDay(14), want: []string{NoBetterAfter14Days}},
		{name: "14 days of care, one score", entries: append(careDays(14), scores(6)...), now: onDay(14)},
		{name: "14 days of care, two scores, no better", entries: append(careDays(14), Entry{At: onDay(1), Pain: 5}, Entry{At: onDay(14), Pain: 4}), now: onDay(14), want: []string{NoBetterAfter14Days}},

		// red_flag_at_recheck: the latest re-check decides.
		{name: "red flag at the re-check", rechecks: []Recheck{{At: onDay(8), PainNow: 3, Symptoms: care.Symptoms{FeverOrChills: true}}}, now: onDay(8), want: []string{RedFlagAtRecheck}},
		{name: "a later clear re-check", rechecks: []Recheck{{At: onDay(15), PainNow: 3}, {At: onDay(8), PainNow: 3, Symptoms: care.Symptoms{FeverOrChills: true}}}, now: onDay(15)},
		{name: "a clear re-check", rechecks: []Recheck{{At: onDay(8), PainNow: 3}}, now: onDay(8)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := tt.started
			if started.IsZero() {
				started = day0
			}
			p := Assess(started, day0, tt.entries, tt.rechecks, berlin, tt.now)
			if got := codes(p); !slices.Equal(got, tt.want) {
				t.Errorf("alerts = %v, want %v", got, tt.want)
			}
			for _, a := range p.Alerts {
				if a.Says == "" || a.Because == "" || a.Action == "" {
					t.Errorf("alert %s lacks words: %+v", a.Code, a)
				}
			}
		})
	}
}

func TestProgramDayAndPhase(t *testing.T) {
	tests := []struct {
		name      string
		entries   []Entry
		rechecks  []Recheck
		now       time.Time
		day       int
		phase     string
		latest    int
		recheckOK bool // recheck not due
	}{
		{"day 1 with nothing logged", nil, nil, day0, 1, Relief, NoScore, true},
		{"late on day 1", nil, nil, time.Date(2026, 3, 2, 23, 59, 0, 0, berlin), 1, Relief, NoScore, true},
		{"just after local midnight is day 2", nil, nil, time.Date(2026, 3, 3, 0, 1, 0, 0, berlin), 2, Relief, NoScore, true},
		{"day 3 nothing logged", nil, nil, onDay(3), 3, Mobility, NoScore, true},
		{"day 5 nothing logged", nil, nil, onDay(5), 5, Strengthening, NoScore, true},
		{"day 7 repeats after", nil, nil, onDay(30), 7, Strengthening, NoScore, false},
		{"pain 5 on day 6", scores(7, 7, 6, 6, 6, 5), nil, onDay(6), 6, Mobility, 5, true},
		{"pain 4 on day 2", scores(6, 4), nil, onDay(2), 2, Strengthening, 4, true},
		{"pain 7 on day 6", scores(3, 3, 3, 3, 3, 7), nil, onDay(6), 6, Relief, 7, true},
		{"a routine entry keeps the last score", append(scores(4), RoutineEntry(onDay(2), 2, nil)), nil, onDay(2), 2, Strengthening, 4, true},
		{"a later re-check score wins", scores(8), []Recheck{{At: onDay(8), PainNow: 3}}, onDay(8), 7, Strengthening, 3, true},
		{"a week after the re-check, due again", scores(8), []Recheck{{At: onDay(8), PainNow: 3}}, onDay(15), 7, Strengthening, 3, false},
		{"a score before the plan is not the latest", []Entry{{At: day0.Add(-time.Hour), Pain: 2}}, nil, onDay(1), 1, Relief, NoScore, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Assess(day0, day0, tt.entries, tt.rechecks, berlin, tt.now)
			if p.ProgramDay != tt.day || p.Phase != tt.phase || p.LatestPain != tt.latest || p.RecheckDue == tt.recheckOK {
				t.Errorf("day %d phase %s latest %d recheck due %v; want %d %s %d %v",
					p.ProgramDay, p.Phase, p.LatestPain, p.RecheckDue, tt.day, tt.phase, tt.latest, !tt.recheckOK)
			}
		})
	}
}

func TestDailyCountsLocalDays(t *testing.T) {
	entries := []Entry{
		{At: time.Date(2026, 3, 2, 23, 30, 0, 0, berlin), Pain: 6}, // 22:30 UTC on the 2nd
		{At: time.Date(2026, 3, 3, 0, 30, 0, 0, berlin), Pain: 2},  // 23:30 UTC on the 2nd
		{At: time.Date(2026, 3, 3, 8, 0, 0, 0, berlin), Pain: NoScore, Routine: true},
		{At: time.Date(2026, 3, 3, 9, 0, 0, 0, berlin), Pain: 4},
	}
	got := Daily(entries, berlin)
	want := []DayStat{
		{Date: time.Date(2026, 3, 2, 0, 0, 0, 0, berlin), MeanPain: 6, Scored: 1, Entries: 1},
		{Date: time.Date(2026, 3, 3, 0, 0, 0, 0, berlin), MeanPain: 3, Scored: 2, Entries: 3, Adherent: true},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Berlin days:\n got %+v\nwant %+v", got, want)
	}
	// In UTC both late entries fall on the 2nd.
	if utc := Daily(entries, time.UTC); len(utc) != 2 || utc[0].Entries != 2 || utc[0].MeanPain != 4 {
		t.Errorf("UTC days: %+v", utc)
	}
	// Across the spring change of clocks (29 March 2026 in Berlin) a day
	// is still one day.
	dst := Daily([]Entry{
		{At: time.Date(2026, 3, 28, 23, 0, 0, 0, berlin), Pain: 1},
		{At: time.Date(2026, 3, 29, 23, 0, 0, 0, berlin), Pain: 1},
	}, berlin)
	if len(dst) != 2 || dayNumber(dst[1].Date, berlin)-dayNumber(dst[0].Date, berlin) != 1 {
		t.Errorf("across DST: %+v", dst)
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		before, after int
		dir           string
		meaningful    bool
	}{
		{5, 5, Same, false},
		{5, 4, Same, false},
		{5, 6, Same, false},
		{5, 3, Better, true},
		{5, 7, Worse, true},
		{10, 0, Better, true},
		{0, 10, Worse, true},
	}
	for _, tt := range tests {
		c := Compare(tt.before, tt.after)
		if c.Direction != tt.dir || c.Meaningful != tt.meaningful || c.Delta != tt.after-tt.before || c.Says() == "" {
			t.Errorf("Compare(%d, %d) = %+v", tt.before, tt.after, c)
		}
	}
}

// Compare is antisymmetric: swapping before and after swaps better and
// worse, and meaningfulness is exactly |Δ| ≥ 2.
func TestCompareProperties(t *testing.T) {
	opposite := map[string]string{Better: Worse, Worse: Better, Same: Same}
	for a := 0; a <= 10; a++ {
		for b := 0; b <= 10; b++ {
			c, d := Compare(a, b), Compare(b, a)
			if d.Direction != opposite[c.Direction] {
				t.Errorf("Compare(%d,%d)=%s but Compare(%d,%d)=%s", a, b, c.Direction, b, a, d.Direction)
			}
			if c.Meaningful != (max(a-b, b-a) >= 2) {
				t.Errorf("Compare(%d,%d).Meaningful = %v", a, b, c.Meaningful)
			}
		}
	}
}

func TestRecheckAnswers(t *testing.T) {
	worst := 4
	a := care.Answers{Version: care.Version, Age: 40, Regions: []string{"back_of_neck"}, DurationDays: 10, Onset: "gradual", PainNow: 6, PainWorst24h: &worst, HomeCareDays: 2, Trend: "unknown"}
	r := Recheck{At: day0.AddDate(0, 0, 7), PainNow: 7, Symptoms: care.Symptoms{ChestPainOrPressure: true}}
	got := RecheckAnswers(a, day0, r, 6, 5)
	if got.DurationDays != 17 || got.HomeCareDays != 7 || got.PainNow != 7 || got.Trend != "same" || !got.Symptoms.ChestPainOrPressure || got.PainWorst24h != nil {
		t.Errorf("RecheckAnswers = %+v", got)
	}
	if a.PainNow != 6 || a.Symptoms.ChestPainOrPressure {
		t.Error("RecheckAnswers changed its argument")
	}
	if errs := got.Validate(); len(errs) > 0 {
		t.Errorf("updated answers are invalid: %v", errs)
	}
	if RecheckAnswers(a, day0, Recheck{At: day0, PainNow: 2}, 6, 0).Trend != "better" {
		t.Error("4 points down is not better")
	}
}

// randomDiary is a diary of n entries over the given days before now.
func randomDiary(rng *rand.Rand, n, days int, now time.Time) []Entry {
	es := make([]Entry, n)
	for i := range es {
		at := now.Add(-time.Duration(rng.Int64N(int64(days) * int64(24*time.Hour))))
		es[i] = Entry{At: at, Pain: rng.IntN(11), Regions: []string{"back_of_neck"}}
		if rng.IntN(3) == 0 {
			es[i] = RoutineEntry(at, 1+rng.IntN(7), []string{"chin_tuck"})
		}
	}
	return es
}

// Invariants that hold for any diary: the program day is 1–7, the phase is
// one of three, daily stats are sorted, count every entry, and keep means
// within 0–10; the order of the entries does not matter.
func TestAssessProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, berlin)
	for i := range 300 {
		es := randomDiary(rng, rng.IntN(60), 1+rng.IntN(90), now)
		planStart := now.AddDate(0, 0, -rng.IntN(60))
		p := Assess(planStart.AddDate(0, 0, -rng.IntN(30)), planStart, es, nil, berlin, now)
		if p.ProgramDay < 1 || p.ProgramDay > 7 {
			t.Fatalf("case %d: program day %d", i, p.ProgramDay)
		}
		if !slices.Contains([]string{Relief, Mobility, Strengthening}, p.Phase) {
			t.Fatalf("case %d: phase %q", i, p.Phase)
		}
		if p.LatestPain != NoScore && p.LatestPain <= care.StrengthMaxPain && p.Phase != Strengthening {
			t.Fatalf("case %d: latest pain %d but phase %s", i, p.LatestPain, p.Phase)
		}
		total := 0
		for j, d := range p.Daily {
			total += d.Entries
			if j > 0 && !p.Daily[j-1].Date.Before(d.Date) {
				t.Fatalf("case %d: days out of order", i)
			}
			if d.MeanPain < 0 || d.MeanPain > 10 {
				t.Fatalf("case %d: mean %v", i, d.MeanPain)
			}
		}
		if total != len(es) {
			t.Fatalf("case %d: daily stats count %d entries, want %d", i, total, len(es))
		}
		shuffled := slices.Clone(es)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		q := Assess(planStart.AddDate(0, 0, -1), planStart, shuffled, nil, berlin, now)
		r := Assess(planStart.AddDate(0, 0, -1), planStart, es, nil, berlin, now)
		if !slices.Equal(codes(q), codes(r)) || q.Phase != r.Phase || q.CareDays != r.CareDays {
			t.Fatalf("case %d: order of entries changed the outcome", i)
		}
	}
}

// fiveYears is a diary of 5,000 entries over five years.
func fiveYears() ([]Entry, time.Time) {
	rng := rand.New(rand.NewPCG(3, 4))
	now := time.Date(2031, 3, 1, 12, 0, 0, 0, berlin)
	es := randomDiary(rng, 5000, 5*365, now)
	// Oldest first, as the store returns them.
	slices.SortFunc(es, func(a, b Entry) int { return a.At.Compare(b.At) })
	return es, now
}

func BenchmarkProgress5Years(b *testing.B) {
	es, now := fiveYears()
	start := now.AddDate(-5, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		Assess(start, start, es, nil, berlin, now)
	}
}

func BenchmarkChart5Years(b *testing.B) {
	es, _ := fiveYears()
	stats := Daily(es, berlin)
	b.ReportAllocs()
	for b.Loop() {
		Chart(stats, 640, 240)
	}
}

// BenchmarkProgressAndChart5Years is what the diary page computes: the
// rules and the chart of a five-year diary (goal: under 5 ms).
func BenchmarkProgressAndChart5Years(b *testing.B) {
	es, now := fiveYears()
	start := now.AddDate(-5, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		p := Assess(start, start, es, nil, berlin, now)
		Chart(p.Daily, 640, 240)
	}
}
