package diary

import (
	"math"
	"strconv"
	"time"

	"unknot/internal/care"
)

// Phases of the 7-day program.
const (
	Relief        = "relief"
	Mobility      = "mobility"
	Strengthening = "strengthening"
)

// Alert codes, one per escalation rule.
const (
	PainBeyond21Days    = "pain_beyond_21_days"
	RisingTrend         = "rising_trend"
	NoBetterAfter14Days = "no_better_after_14_days"
	RedFlagAtRecheck    = "red_flag_at_recheck"
)

// Thresholds of the escalation rules (see Assess). Those the self-check
// shares (care.PersistentDays, care.NotImprovingDays) are imported from care.
const (
	trendDays    = 7   // logged days the trend is fitted to…
	trendMinDays = 4   // …at least this many…
	trendWindow  = 14  // …within this many calendar days back
	trendSlope   = 0.3 // points a day or more is rising
	judgeDays    = 3   // scored days averaged at each end
	slopeEpsilon = 1e-9
)

// Progress is what the diary says about a plan today.
type Progress struct {
	ProgramDay int    `json:"program_day"` // 1–7; day 7 repeats after the first week
	Phase      string `json:"phase"`       // Relief, Mobility or Strengthening
	LatestPain int    `json:"latest_pain"` // NoScore when none was logged
	CareDays   int    `json:"care_days"`   // distinct days with home care logged
	// RecheckDue is true when a week or more has passed since the plan
	// started or the last re-check.
	RecheckDue bool      `json:"recheck_due"`
	Alerts     []Alert   `json:"alerts"`
	Daily      []DayStat `json:"daily"` // days with entries, oldest first
}

// Alert is an escalation rule that fired: what changed, why, and what to do.
type Alert struct {
	Code    string `json:"code"`
	Says    string `json:"says"`
	Because string `json:"because"`
	Action  string `json:"action"`
}

// DayStat sums up one day of the diary, counted in the person's time zone.
type DayStat struct {
	Date     time.Time `json:"date"`      // midnight, in the person's time zone
	MeanPain float64   `json:"mean_pain"` // of the day's scores; 0 when Scored is 0
	Scored   int       `json:"scored"`    // entries with a pain score
	Entries  int       `json:"entries"`
	Adherent bool      `json:"adherent"` // home care was logged that day
}

// Assess reads the diary of a plan at now. started is when the pain began
// (the self-check's time less its duration_days), planStart when the plan
// began; entries and rechecks may come in any order; days are counted in
// loc. The rules, each tested at its boundaries:
//
//   - pain_beyond_21_days: more than 21 calendar days lie between the day the
//     pain began and today, and the latest pain score is above 0 (with no
//     score logged since the plan began, the pain is taken to go on).
//   - rising_trend: of the last 7 days with a pain score within the last 14
//     days, at least 4, and the least-squares slope of their daily mean
//     pain against the calendar day is +0.3 points a day or more.
//   - no_better_after_14_days: home care was logged on 14 or more distinct
//     days since the plan began, and the mean of the last 3 days with a
//     pain score is not at least 2 points below the mean of the first 3
//     (fewer at each end, never overlapping, when under 6 days have scores;
//     at least 2 needed).
//   - red_flag_at_recheck: the latest re-check answered a screening question
//     yes.
//
// The phase follows the latest pain score (re-checks included): 4 or below
// is strengthening, 5–6 mobility, 7 or more relief. With no score since the
// plan began it follows the program day as the self-check's plan does:
// relief on days 1–2, mobility on 3–4, strengthening from day 5.
func Assess(started, planStart time.Time, entries []Entry, rechecks []Recheck, loc *time.Location, now time.Time) Progress {
	if loc == nil {
		loc = time.UTC
	}
	return AssessSummary(started, planStart, Summarize(entries, planStart, loc, now), rechecks, loc, now)
}

// AssessSummary is Assess from the diary summed up (see Summarize), which
// the store computes without reading every entry.
func AssessSummary(started, planStart time.Time, s Summary, rechecks []Recheck, loc *time.Location, now time.Time) Progress {
	if loc == nil {
		loc = time.UTC
	}
	today := dayNumber(now, loc)
	p := Progress{
		ProgramDay: min(7, max(1, today-dayNumber(planStart, loc)+1)),
		LatestPain: s.LatestPain,
		Daily:      DailyOf(s.Days, loc),
	}

	// The latest score since the plan began, from entries or re-checks.
	latestAt := s.LatestAt
	var lastRecheck *Recheck
	for i := range rechecks {
		r := &rechecks[i]
		if r.At.After(now) {
			continue
		}
		if lastRecheck == nil || !r.At.Before(lastRecheck.At) {
			lastRecheck = r
		}
		if !r.At.Before(planStart) && !r.At.Before(latestAt) {
			p.LatestPain, latestAt = r.PainNow, r.At
		}
	}
	p.Phase = phase(p.LatestPain, p.ProgramDay)

	since := planStart
	if lastRecheck != nil && lastRecheck.At.After(since) {
		since = lastRecheck.At
	}
	p.RecheckDue = now.Sub(since) >= RecheckEvery

	startDay := dayNumber(planStart, loc)
	var scored []DayStat // days with a score since the plan began
	for _, d := range p.Daily {
		n := dayNumber(d.Date, loc)
		if n < startDay || n > today {
			continue
		}
		if d.Adherent {
			p.CareDays++
		}
		if d.Scored > 0 {
			scored = append(scored, d)
		}
	}

	p.Alerts = []Alert{}
	if days := today - dayNumber(started, loc); days > care.PersistentDays && p.LatestPain != 0 {
		p.Alerts = append(p.Alerts, Alert{
			Code:    PainBeyond21Days,
			Says:    "Your pain has lasted more than three weeks.",
			Because: "It began about " + strconv.Itoa(days) + " days ago" + latestSays(p.LatestPain) + ".",
			Action:  "See a doctor or physiotherapist to find out what keeps it going. Keep up the gentle parts of your plan meanwhile.",
		})
	}
	if slope, n, ok := risingTrend(p.Daily, loc, today); ok {
		p.Alerts = append(p.Alerts, Alert{
			Code:    RisingTrend,
			Says:    "Your pain has been rising.",
			Because: "Over your last " + strconv.Itoa(n) + " days with a score, it went up by about " + strconv.FormatFloat(slope, 'f', 1, 64) + " points a day.",
			Action:  "See a professional soon. Until then, leave out anything that makes it worse and keep to the gentlest parts of the plan.",
		})
	}
	if p.CareDays >= care.NotImprovingDays {
		if first, last, ok := ends(scored); ok && last > first-MeaningfulChange {
			p.Alerts = append(p.Alerts, Alert{
				Code:    NoBetterAfter14Days,
				Says:    "After two weeks of home care your pain is no better.",
				Because: "You logged home care on " + strconv.Itoa(p.CareDays) + " days; your pain went from about " + oneDecimal(first) + " to about " + oneDecimal(last) + ", less than 2 points better.",
				Action:  "Home care alone is not enough here. See a doctor, physiotherapist or massage therapist.",
			})
		}
	}
	if lastRecheck != nil && lastRecheck.RedFlag() {
		p.Alerts = append(p.Alerts, Alert{
			Code:    RedFlagAtRecheck,
			Says:    "At your re-check you reported a warning sign.",
			Because: "You answered yes to a screening question on " + lastRecheck.At.In(loc).Format("2 January") + ".",
			Action:  "Follow the instruction at the top of this page. Do not go on with the exercises until a doctor has seen you.",
		})
	}
	return p
}

// phase is the program phase for the latest pain score and program day.
func phase(latest, day int) string {
	switch {
	case latest == NoScore && day < care.MobilityFromDay:
		return Relief
	case latest == NoScore && day < care.StrengthFromDay:
		return Mobility
	case latest == NoScore, latest <= care.StrengthMaxPain:
		return Strengthening
	case latest <= 6:
		return Mobility
	}
	return Relief
}

func latestSays(pain int) string {
	if pain == NoScore {
		return ""
	}
	return ", and your latest score is " + strconv.Itoa(pain)
}

// risingTrend fits a line to the daily mean pain of the last trendDays days
// with a score within trendWindow days of today, and reports its slope in
// points a day when it is trendSlope or more over at least trendMinDays.
func risingTrend(daily []DayStat, loc *time.Location, today int) (slope float64, n int, ok bool) {
	var xs, ys []float64
	for i := len(daily) - 1; i >= 0 && len(xs) < trendDays; i-- {
		d := daily[i]
		x := dayNumber(d.Date, loc)
		if x > today || d.Scored == 0 {
			continue
		}
		if today-x >= trendWindow {
			break
		}
		xs = append(xs, float64(x-today))
		ys = append(ys, d.MeanPain)
	}
	if len(xs) < trendMinDays {
		return 0, len(xs), false
	}
	slope = leastSquaresSlope(xs, ys)
	return slope, len(xs), slope >= trendSlope-slopeEpsilon
}

// leastSquaresSlope is the slope of the least-squares line through the
// points; xs must not all be equal.
func leastSquaresSlope(xs, ys []float64) float64 {
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))
	var num, den float64
	for i := range xs {
		num += (xs[i] - mx) * (ys[i] - my)
		den += (xs[i] - mx) * (xs[i] - mx)
	}
	return num / den
}

// ends averages the daily mean pain of the first and the last judgeDays
// scored days (fewer, never overlapping, when there are under twice as
// many; at least two days are needed).
func ends(scored []DayStat) (first, last float64, ok bool) {
	k := min(judgeDays, len(scored)/2)
	if k == 0 {
		return 0, 0, false
	}
	return meanPain(scored[:k]), meanPain(scored[len(scored)-k:]), true
}

func meanPain(days []DayStat) float64 {
	var sum float64
	for _, d := range days {
		sum += d.MeanPain
	}
	return sum / float64(len(days))
}

// Daily sums entries up by day in loc, oldest first; days without entries
// are left out.
func Daily(entries []Entry, loc *time.Location) []DayStat {
	return DailyOf(Count(entries, loc), loc)
}

// dayNumber is the calendar day of t in loc, counted from 1970-01-01, so
// that the difference of two day numbers is a number of calendar days
// whatever daylight saving does.
func dayNumber(t time.Time, loc *time.Location) int {
	y, m, d := t.In(loc).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// dateOf is midnight of calendar day n in loc.
func dateOf(n int, loc *time.Location) time.Time {
	y, m, d := time.Unix(int64(n)*86400, 0).UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

func oneDecimal(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

func itoa(n int) string { return strconv.Itoa(n) }

func points(n int) string {
	if n == 1 {
		return "1 point"
	}
	return strconv.Itoa(n) + " points"
}
