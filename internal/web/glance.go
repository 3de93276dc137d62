package web

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// glance is the top of the plan page: today's session and the progress
// at a glance, so that a phone's first screen holds both.
type glance struct {
	Show      bool // the plan is for home care, current and has its days
	Day       int  // of the program, today
	Focus     string
	DoneToday bool // home care was logged today
	CareDays  int  // days with home care logged in the last 7
	// The pain trend: Points for an SVG polyline in a 100×30 box, From and
	// To the first and latest daily means; empty with fewer than two days
	// with a score in the last 14.
	Points   string
	From, To int
	Scored   int // days with a score behind the trend
	// Logged is true once the diary has an entry: from then on the
	// routine comes first and relief right now folds away.
	Logged bool
}

// sparkWidth and sparkHeight are the box the pain trend is drawn in.
const sparkWidth, sparkHeight, maxPain = 100, 30, 10.0

// Glance sums up the plan page's top from its progress, counting days in
// the person's time zone (that of the diary's days).
func (p planPage) Glance() glance {
	r, pr := p.Result, p.Progress
	if pr == nil || r.Plan == nil || r.Outdated() || !r.SelfCareAllowed || len(r.Plan.Days) == 0 {
		return glance{}
	}
	g := glance{Show: true, Day: min(max(pr.ProgramDay, 1), len(r.Plan.Days))}
	g.Focus = r.Plan.Days[g.Day-1].Focus
	g.Logged = len(pr.Daily) > 0
	loc := time.Local
	if len(pr.Daily) > 0 {
		loc = pr.Daily[0].Date.Location()
	}
	y, m, d := time.Now().In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	// Only the last 14 days count: from the newest back, so that the page
	// of a long diary does not pass over all its days (several times, as
	// the template asks for the glance more than once).
	var pains []float64
	weekAgo, fortnightAgo := today.AddDate(0, 0, -6), today.AddDate(0, 0, -13)
	for i := len(pr.Daily) - 1; i >= 0; i-- {
		s := pr.Daily[i]
		day := time.Date(s.Date.Year(), s.Date.Month(), s.Date.Day(), 0, 0, 0, 0, loc)
		if day.Before(fortnightAgo) {
			break
		}
		if s.Adherent && !day.Before(weekAgo) && !day.After(today) {
			g.CareDays++
			if day.Equal(today) {
				g.DoneToday = true
			}
		}
		if s.Scored > 0 {
			pains = append(pains, s.MeanPain)
		}
	}
	slices.Reverse(pains) // oldest first
	if len(pains) >= 2 {
		g.Scored = len(pains)
		g.From, g.To = int(pains[0]+0.5), int(pains[len(pains)-1]+0.5)
		var b strings.Builder
		for i, v := range pains {
			x := float64(i) * sparkWidth / float64(len(pains)-1)
			yv := 2 + (maxPain-v)*(sparkHeight-4)/maxPain
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x, yv)
		}
		g.Points = b.String()
	}
	return g
}
