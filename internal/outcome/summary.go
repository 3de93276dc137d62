package outcome

import (
	"math"
	"strconv"
)

// Verdict is a change judged against its minimal clinically important
// difference.
type Verdict string

// The verdicts.
const (
	Improved Verdict = "improved" // improved by the MCID or more
	Less     Verdict = "less"     // changed less than the MCID either way
	Worse    Verdict = "worse"    // worse by the MCID or more
)

// Judge says whether a change of delta points on a scale whose minimal
// clinically important difference is mcid is an improvement that matters,
// a worsening that matters, or less than that; higherBetter says which way
// is better (activities: up; pain: down). A change of exactly mcid
// matters. delta is rounded to a millionth first, so that a mean of thirds
// is not judged by floating-point noise.
func Judge(delta, mcid float64, higherBetter bool) Verdict {
	d := math.Round(delta*1e6) / 1e6
	if !higherBetter {
		d = -d
	}
	switch {
	case d >= mcid:
		return Improved
	case d <= -mcid:
		return Worse
	}
	return Less
}

// Change is one scale's change from the first score to the latest.
type Change struct {
	Name     string  `json:"name"` // the activity's, or "pain", or "mean of your activities"
	Kind     string  `json:"kind"` // "activity", "pain" or "mean"
	From     float64 `json:"from"`
	To       float64 `json:"to"`
	Delta    float64 `json:"delta"`
	Scores   int     `json:"scores"` // how many measurements it has; 1 is a starting point only
	MCID     float64 `json:"mcid"`
	Verdict  Verdict `json:"verdict"`
	Activity int64   `json:"activity_id,omitempty"`
}

// change judges the scores from…to over n measurements.
func change(name, kind string, from, to float64, n int) Change {
	mcid, higher := PSFSMCID, true
	if kind == "pain" {
		mcid, higher = PainMCID, false
	}
	return Change{Name: name, Kind: kind, From: from, To: to, Delta: to - from, Scores: n, MCID: mcid, Verdict: Judge(to-from, mcid, higher)}
}

// Says puts the change in plain words: "Your “reaching overhead” score
// rose from 3 to 6: a change that matters (2 points or more)."
func (c Change) Says() string {
	subject := "Your “" + c.Name + "” score"
	switch c.Kind {
	case "pain":
		subject = "Your pain"
	case "mean":
		subject = "The mean of your activity scores"
	}
	if c.Scores < 2 {
		return subject + " is " + number(c.To) + " at your starting point; the next measurement will show the change."
	}
	from, to := number(c.From), number(c.To)
	moved := " went from " + from + " to " + to
	switch {
	case from == to:
		moved = " stayed at " + to
	case c.To > c.From:
		moved = " rose from " + from + " to " + to
	case c.To < c.From:
		moved = " fell from " + from + " to " + to
	}
	matters := number(c.MCID) + " points or more"
	switch c.Verdict {
	case Improved:
		return subject + moved + ": a change that matters (" + matters + ")."
	case Worse:
		return subject + moved + ": a change for the worse that matters (" + matters + ")."
	}
	return subject + moved + ": less than the " + number(c.MCID) + " points that make a change that matters."
}

// number writes a score with at most one decimal: "3", "3.3".
func number(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// Summary is a plan's outcomes at a glance: the change of pain, of each
// current activity and of their mean, each against its first score, and
// the latest global rating of change. The therapist's view renders it too.
type Summary struct {
	Measurements int      `json:"measurements"`
	Pain         *Change  `json:"pain,omitempty"`
	Activities   []Change `json:"activities"`
	Mean         *Change  `json:"mean,omitempty"`
	Global       *int     `json:"global_change,omitempty"` // the latest given
}

// GlobalSays is the latest global rating in words, or "".
func (s Summary) GlobalSays() string {
	if s.Global == nil {
		return ""
	}
	return GlobalSays(*s.Global)
}

// Summarize compares the latest scores of h with the first: pain across
// all measurements, each current activity from its own first score (a
// replaced activity's scores do not count for the new one), and the mean
// of the current activities' first and latest scores, which is the
// scale's own summary score and what PSFSMCID is about.
func Summarize(h History) Summary {
	s := Summary{Measurements: len(h.Measurements), Activities: []Change{}}
	if len(h.Measurements) == 0 {
		return s
	}
	ms := h.Measurements
	p := change("pain", "pain", float64(ms[0].Pain), float64(ms[len(ms)-1].Pain), len(ms))
	s.Pain = &p
	var sumFirst, sumLast float64
	most := 0
	for _, a := range h.Current() {
		first, last, n := 0, 0, 0
		for _, m := range ms {
			for _, sc := range m.Scores {
				if sc.Activity == a.ID {
					if n == 0 {
						first = sc.Score
					}
					last = sc.Score
					n++
				}
			}
		}
		if n == 0 {
			continue
		}
		c := change(a.Name, "activity", float64(first), float64(last), n)
		c.Activity = a.ID
		s.Activities = append(s.Activities, c)
		sumFirst += float64(first)
		sumLast += float64(last)
		most = max(most, n)
	}
	if k := float64(len(s.Activities)); k > 1 {
		m := change("mean of your activities", "mean", sumFirst/k, sumLast/k, most)
		s.Mean = &m
	}
	s.Global = ms[len(ms)-1].Global
	return s
}
