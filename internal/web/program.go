package web

import (
	"time"

	"unknot/internal/program"
	"unknot/internal/store"
)

// The person's side of a therapist's home program (issue 9): once a
// therapist has given one, the plan page, the guided routine, the calendar
// feed and the handout follow it instead of the self-check's routine, and
// say whose it is (care.Plan.From). A result that calls for a doctor has
// no plan and so shows no program (program.Allowed). The therapist's side
// is program_desk.go.

// followProgram puts the therapist's home program of p, if it has one and
// may, in place of the self-check's routine, and sets the phase it
// follows (program.Follow) as the plan's: the plan page, the routine and
// the exports then name one stage.
func followProgram(p *planDiary) {
	current, therapist := p.Program.Followed()
	p.Result.Plan, p.Progress.Phase = program.Follow(&p.Result, current, therapist, p.Progress.Phase, p.Progress.LatestPain, p.Answers.PainNow)
}

// exportProgram is a version of the home program as the person downloads
// it: whose it is, which staff account saved it and when (UTC).
type exportProgram struct {
	Version   int             `json:"version"`
	Therapist string          `json:"therapist"`
	ChangedBy string          `json:"changed_by"`
	ChangedAt time.Time       `json:"changed_at"`
	Program   program.Program `json:"program"`
}

// exportPrograms is the history of a plan's home program, oldest first
// (the last is the one followed), as the person downloads it.
func exportPrograms(history []store.PlanProgram) []exportProgram {
	out := make([]exportProgram, len(history))
	for i, p := range history {
		out[i] = exportProgram{Version: p.Version, Therapist: p.Therapist, ChangedBy: p.ChangedBy, ChangedAt: p.At, Program: p.Program}
	}
	return out
}
