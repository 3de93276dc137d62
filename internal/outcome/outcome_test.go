package outcome

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"unknot/internal/valid"
)

func ip(n int) *int { return &n }

func TestJudgeBoundaries(t *testing.T) {
	for _, tc := range []struct {
		delta, mcid float64
		higher      bool
		want        Verdict
	}{
		{2, PSFSMCID, true, Improved},
		{1.9, PSFSMCID, true, Less},
		{1.999999, PSFSMCID, true, Less},
		{2 - 1e-9, PSFSMCID, true, Improved}, // floating-point noise of a mean of thirds
		{0, PSFSMCID, true, Less},
		{-1.9, PSFSMCID, true, Less},
		{-2, PSFSMCID, true, Worse},
		{10, PSFSMCID, true, Improved},
		{-10, PSFSMCID, true, Worse},
		// Pain: down is better.
		{-2, PainMCID, false, Improved},
		{-1.9, PainMCID, false, Less},
		{1.9, PainMCID, false, Less},
		{2, PainMCID, false, Worse},
		{2.1, PainMCID, false, Worse},
	} {
		if got := Judge(tc.delta, tc.mcid, tc.higher); got != tc.want {
			t.Errorf("Judge(%v, %v, %v) = %s, want %s", tc.delta, tc.mcid, tc.higher, got, tc.want)
		}
	}
}

// The mean of three activities moving by 2, 2 and 2 points (6/3) is a
// change of exactly 2; by 2, 2 and 1 (5/3) it is less.
func TestMeanOfThirds(t *testing.T) {
	h := History{Activities: []Activity{{ID: 1, Slot: 1, Name: "a"}, {ID: 2, Slot: 2, Name: "b"}, {ID: 3, Slot: 3, Name: "c"}}}
	h.Measurements = []Measurement{
		{Occasion: Start, Pain: 5, Scores: []Score{{1, 1}, {2, 2}, {3, 3}}},
		{Occasion: Recheck, Pain: 5, Scores: []Score{{1, 3}, {2, 4}, {3, 5}}},
	}
	if s := Summarize(h); s.Mean == nil || s.Mean.Verdict != Improved {
		t.Fatalf("mean up by 6/3: %+v", s.Mean)
	}
	h.Measurements[1].Scores[2].Score = 4
	if s := Summarize(h); s.Mean.Verdict != Less {
		t.Fatalf("mean up by 5/3: %+v", s.Mean)
	}
}

func TestSummarize(t *testing.T) {
	replaced := time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)
	h := History{
		Activities: []Activity{
			{ID: 1, Slot: 1, Name: "reach overhead"},
			{ID: 2, Slot: 2, Name: "turn my head", Replaced: &replaced},
			{ID: 3, Slot: 2, Name: "drive"},
		},
		Measurements: []Measurement{
			{Occasion: Start, Pain: 7, Scores: []Score{{1, 3}, {2, 1}}},
			{Occasion: Recheck, Pain: 6, Scores: []Score{{1, 4}, {3, 8}}, Global: ip(2)},
			{Occasion: Visit, Pain: 4, Scores: []Score{{1, 6}, {3, 7}}, Global: ip(4)},
		},
	}
	s := Summarize(h)
	if s.Pain.Says() != "Your pain fell from 7 to 4: a change that matters (2 points or more)." {
		t.Errorf("pain: %s", s.Pain.Says())
	}
	if len(s.Activities) != 2 {
		t.Fatalf("activities: %+v", s.Activities)
	}
	if got := s.Activities[0].Says(); got != "Your “reach overhead” score rose from 3 to 6: a change that matters (2 points or more)." {
		t.Errorf("reach: %s", got)
	}
	// The replaced activity's score of 1 does not count for "drive".
	if d := s.Activities[1]; d.From != 8 || d.To != 7 || d.Verdict != Less || !strings.Contains(d.Says(), "fell from 8 to 7: less than the 2 points") {
		t.Errorf("drive: %+v %s", d, d.Says())
	}
	if s.Mean == nil || s.Mean.From != 5.5 || s.Mean.To != 6.5 {
		t.Errorf("mean: %+v", s.Mean)
	}
	if s.GlobalSays() != "Moderately better" {
		t.Errorf("global: %q", s.GlobalSays())
	}
	if one := Summarize(History{Measurements: h.Measurements[:1], Activities: h.Activities[:1]}); !strings.Contains(one.Pain.Says(), "starting point") || one.Global != nil {
		t.Errorf("one measurement: %s", one.Pain.Says())
	}
	if s := (Change{Kind: "pain", From: 6, To: 8, Scores: 2, MCID: 2, Verdict: Worse}); s.Says() != "Your pain rose from 6 to 8: a change for the worse that matters (2 points or more)." {
		t.Errorf("worse: %s", s.Says())
	}
}

func TestValidate(t *testing.T) {
	started := History{Measurements: []Measurement{{Occasion: Start, Pain: 3}}}
	long := strings.Repeat("x", MaxNameRunes+1)
	withActivities := History{Activities: []Activity{{ID: 1, Slot: 1, Name: "Reach"}, {ID: 2, Slot: 2, Name: "Drive"}}, Measurements: started.Measurements}
	for _, tc := range []struct {
		name string
		h    History
		in   Input
		want []string // field paths
	}{
		{"start", History{}, Input{Occasion: Start, Pain: ip(5), Activities: []Rated{{"Reach overhead", ip(3)}}}, nil},
		{"pain only", started, Input{Occasion: Recheck, Pain: ip(0), Global: ip(-7)}, nil},
		{"pain bounds", started, Input{Occasion: Recheck, Pain: ip(11)}, []string{"pain"}},
		{"pain below", started, Input{Occasion: Recheck, Pain: ip(-1)}, []string{"pain"}},
		{"pain missing", started, Input{Occasion: Visit}, []string{"pain"}},
		{"bad occasion", History{}, Input{Occasion: "later", Pain: ip(1)}, []string{"occasion"}},
		{"second start", started, Input{Occasion: Start, Pain: ip(1)}, []string{"occasion"}},
		{"global at start", History{}, Input{Occasion: Start, Pain: ip(1), Global: ip(1)}, []string{"global_change"}},
		{"global bounds", started, Input{Occasion: Recheck, Pain: ip(1), Global: ip(8)}, []string{"global_change"}},
		{"too many", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"a", ip(1)}, {"b", ip(1)}, {"c", ip(1)}, {"d", ip(1)}}}, []string{"activities"}},
		{"blank slot skipped", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"  ", nil}, {"b", ip(10)}}}, nil},
		{"score without name", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"", ip(4)}}}, []string{"activities[0].name"}},
		{"name without score", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"a", nil}}}, []string{"activities[0].score"}},
		{"score bounds", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"a", ip(11)}, {"b", ip(-1)}}}, []string{"activities[0].score", "activities[1].score"}},
		{"same name", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"Drive", ip(1)}, {" drive ", ip(2)}}}, []string{"activities[1].name"}},
		{"too long", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{long, ip(1)}}}, []string{"activities[0].name"}},
		{"another slot's", withActivities, Input{Occasion: Recheck, Pain: ip(1), Activities: []Rated{{"Drive", ip(1)}}}, []string{"activities[0].name"}},
		{"another slot's, blank there", withActivities, Input{Occasion: Recheck, Pain: ip(1), Activities: []Rated{{"Drive", ip(1)}, {"", nil}}}, []string{"activities[0].name"}},
		{"swapped", withActivities, Input{Occasion: Recheck, Pain: ip(1), Activities: []Rated{{"drive", ip(1)}, {"Reach", ip(2)}}}, nil},
		{"kept", withActivities, Input{Occasion: Recheck, Pain: ip(1), Activities: []Rated{{"reach", ip(1)}, {"DRIVE", ip(2)}}}, nil},
		{"control", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"a\x00b", ip(1)}}}, []string{"activities[0].name"}},
		{"not UTF-8", History{}, Input{Occasion: Start, Pain: ip(1), Activities: []Rated{{"reach\xff\xfe", ip(1)}}}, []string{"activities[0].name"}},
	} {
		errs := tc.in.Validate(tc.h)
		var got []string
		for _, e := range errs {
			got = append(got, e.Field)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: errors %v, want fields %v", tc.name, errs, tc.want)
		}
	}
}

func TestResolve(t *testing.T) {
	cur := []Activity{{ID: 7, Slot: 1, Name: "Reach overhead"}, {ID: 8, Slot: 2, Name: "Drive"}}
	r := Resolve(cur, Input{Activities: []Rated{{"reach  OVERHEAD", ip(5)}, {"Cycle", ip(2)}, {"Sleep", ip(4)}}})
	if len(r.Kept) != 1 || r.Kept[0] != (Score{7, 5}) {
		t.Errorf("kept: %+v", r.Kept)
	}
	if len(r.Started) != 2 || r.Started[0] != (Started{2, "Cycle", 2}) || r.Started[1] != (Started{3, "Sleep", 4}) {
		t.Errorf("started: %+v", r.Started)
	}
	if r := Resolve(cur, Input{Activities: []Rated{{"", nil}}}); len(r.Kept)+len(r.Started) != 0 {
		t.Errorf("a blank slot changed something: %+v", r)
	}
}

// Judge is symmetric: a change one way on a higher-is-better scale is the
// same change the other way on a lower-is-better one, and turning the
// change round swaps better and worse; the verdict agrees with |delta| ≥
// mcid. Summaries of random histories judge every change that way.
func TestJudgeProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2026))
	flip := map[Verdict]Verdict{Improved: Worse, Worse: Improved, Less: Less}
	for range 5000 {
		d := float64(rng.IntN(201)-100) / 10
		v := Judge(d, PSFSMCID, true)
		if Judge(-d, PainMCID, false) != v || Judge(-d, PSFSMCID, true) != flip[v] {
			t.Fatalf("asymmetric at %v", d)
		}
		if (v == Less) != (d < 2 && d > -2) {
			t.Fatalf("Judge(%v) = %s", d, v)
		}
	}
	for range 500 {
		h := History{Activities: []Activity{{ID: 1, Slot: 1, Name: "a"}, {ID: 2, Slot: 2, Name: "b"}}}
		for i := range 1 + rng.IntN(6) {
			m := Measurement{Occasion: Recheck, Pain: rng.IntN(11), Scores: []Score{{1, rng.IntN(11)}}}
			if i == 0 {
				m.Occasion = Start
			}
			if rng.IntN(2) == 0 {
				m.Scores = append(m.Scores, Score{2, rng.IntN(11)})
			}
			h.Measurements = append(h.Measurements, m)
		}
		s := Summarize(h)
		first, last := h.Measurements[0].Pain, h.Measurements[len(h.Measurements)-1].Pain
		if s.Pain.From != float64(first) || s.Pain.To != float64(last) || s.Pain.Verdict != Judge(float64(last-first), PainMCID, false) {
			t.Fatalf("pain summary %+v of %+v", s.Pain, h.Measurements)
		}
		for _, c := range s.Activities {
			if c.Verdict != Judge(c.To-c.From, PSFSMCID, true) || c.Scores < 1 {
				t.Fatalf("activity %+v", c)
			}
		}
		c := Chart(h, 360, 220, time.UTC)
		for _, sr := range c.Series {
			for _, p := range sr.Points {
				if p.X < c.Left || p.X > c.Right || p.Y < c.Top || p.Y > c.Bottom {
					t.Fatalf("point %+v outside the plot %+v", p, c)
				}
			}
		}
	}
}

func TestChart(t *testing.T) {
	h := History{
		Activities: []Activity{{ID: 1, Slot: 1, Name: "reach overhead"}},
		Measurements: []Measurement{
			{At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), Occasion: Start, Pain: 10, Scores: []Score{{1, 0}}},
			{At: time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC), Occasion: Recheck, Pain: 0, Scores: []Score{{1, 10}}},
		},
	}
	c := Chart(h, 360, 220, time.UTC)
	if len(c.Series) != 2 || c.Series[0].Name != "reach overhead" || c.Series[1].Kind != "pain" {
		t.Fatalf("series: %+v", c.Series)
	}
	if want := "36,188 350,16"; c.Series[0].Line != want {
		t.Errorf("activity line %q, want %q", c.Series[0].Line, want)
	}
	if c.Series[1].Points[0].Y != c.Top || c.Series[1].Points[1].Y != c.Bottom {
		t.Errorf("pain 10 and 0 at %+v, want top %v and bottom %v", c.Series[1].Points, c.Top, c.Bottom)
	}
	if !strings.HasPrefix(c.Summary, "2 measurements from 1 March 2026 to 8 March 2026. 1 activity and pain") {
		t.Errorf("summary: %s", c.Summary)
	}
	if e := Chart(History{}, 360, 220, time.UTC); e.Summary != "No measurements yet." || len(e.Series) != 0 {
		t.Errorf("empty: %+v", e)
	}
}

func TestParse(t *testing.T) {
	in, err := Parse([]byte(`{"occasion":"start","pain":6,"activities":[{"name":"Reach overhead","score":3},{"name":"","score":null}]}`), History{})
	if err != nil || in.Occasion != Start || *in.Pain != 6 || len(in.Activities) != 2 || *in.Activities[0].Score != 3 {
		t.Fatalf("Parse = %+v, %v", in, err)
	}
	for body, fields := range map[string]string{
		`{"occasion":"start","pain":"6"}`:                                             "pain",
		`{"occasion":"start","pain":6,"pian":1}`:                                      "pian",
		`{"occasion":"start","pain":6,"pain":6}`:                                      "pain",
		`{"occasion":"recheck","pain":6,"global_change":1.5}`:                         "global_change",
		`{"occasion":"recheck","pain":6,"activities":[{"name":1,"score":2}]}`:         "activities[0].name",
		`{"occasion":"recheck","pain":6,"activities":[{"name":"a","score":2,"x":1}]}`: "activities[0].x",
		`{"occasion":"recheck","pain":6,"activities":{}}`:                             "activities",
		`{"pain":6}`: "occasion",
		`[1]`:        "body",
	} {
		_, err := Parse([]byte(body), History{})
		errs, ok := err.(valid.Errors)
		if !ok || len(errs) == 0 || errs[0].Field != fields {
			t.Errorf("Parse(%s) = %v, want a problem with %s", body, err, fields)
		}
	}
}

// The pages explain the MCID of both 0–10 scales in one sentence ("Why 2
// points?"), which holds only while the two are the same.
func TestBothScalesShareTheirMCID(t *testing.T) {
	if PSFSMCID != PainMCID {
		t.Errorf("PSFS MCID %v, pain MCID %v: the pages' explanation names one number for both", PSFSMCID, PainMCID)
	}
}
