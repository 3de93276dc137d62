package diary

import "time"

// AdherenceWindow is how many days, today included, the recent adherence
// counts: the two weeks over which the no_better_after_14_days rule
// judges home care (see Assess).
const AdherenceWindow = 14

// Adherence is how regularly home care was logged.
type Adherence struct {
	// Recent is the days with home care among the last Window days (fewer
	// when the plan is younger), today included.
	Recent, Window int
	// Total is the days with home care since the plan began (the
	// progress's CareDays), and SincePlan the calendar days since then,
	// today included.
	Total, SincePlan int
}

// AdherenceOf counts the days with home care in p (as Assess returns it,
// for a plan begun at planStart, at now, with days in loc).
func AdherenceOf(p Progress, planStart, now time.Time, loc *time.Location) Adherence {
	if loc == nil {
		loc = time.UTC
	}
	today := dayNumber(now, loc)
	a := Adherence{Total: p.CareDays, SincePlan: max(1, today-dayNumber(planStart, loc)+1)}
	a.Window = min(AdherenceWindow, a.SincePlan)
	for _, d := range p.Daily {
		if n := dayNumber(d.Date, loc); d.Adherent && n > today-a.Window && n <= today {
			a.Recent++
		}
	}
	return a
}
