package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"unknot/internal/outcome"
	"unknot/internal/valid"
)

func ip(n int) *int { return &n }

// Measurements keep their occasion, time, pain, scores and global rating;
// activities are kept across measurements, and a new name replaces its
// slot's activity with the old one kept as history; a second starting
// point and bad input write nothing.
func TestOutcomes(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		plan := savedAssessment(t, db)
		t0 := time.Date(2027, 3, 1, 9, 30, 0, 123456789, time.UTC)

		if h, err := db.Outcomes(ctx, plan.ID); err != nil || len(h.Measurements)+len(h.Activities) != 0 {
			t.Fatalf("empty history = %+v, %v", h, err)
		}
		start := outcome.Input{Occasion: outcome.Start, Pain: ip(7), Activities: []outcome.Rated{{Name: " Reach  overhead ", Score: ip(3)}, {Name: "Turn my head", Score: ip(2)}}}
		m, err := db.AddOutcome(ctx, plan.ID, start, t0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if m.ID == 0 || !m.At.Equal(t0.Truncate(time.Microsecond)) || len(m.Scores) != 2 {
			t.Fatalf("start = %+v", m)
		}
		// Again: the starting point is taken.
		_, err = db.AddOutcome(ctx, plan.ID, start, t0, 0)
		var errs valid.Errors
		if !errors.As(err, &errs) || errs.For("occasion") == "" {
			t.Fatalf("second start: %v", err)
		}
		// Bad input writes nothing, not even a replaced activity.
		bad := outcome.Input{Occasion: outcome.Recheck, Pain: ip(4), Activities: []outcome.Rated{{Name: "Cycle", Score: ip(11)}}}
		if _, err := db.AddOutcome(ctx, plan.ID, bad, t0.Add(time.Hour), 0); !errors.As(err, &errs) {
			t.Fatalf("bad input: %v", err)
		}
		// A week on: the first activity kept (other spacing and case), the
		// second replaced.
		week := outcome.Input{Occasion: outcome.Recheck, Pain: ip(4), Global: ip(3),
			Activities: []outcome.Rated{{Name: "reach overhead", Score: ip(6)}, {Name: "Drive", Score: ip(5)}}}
		if _, err := db.AddOutcome(ctx, plan.ID, week, t0.AddDate(0, 0, 7), 0); err != nil {
			t.Fatal(err)
		}
		h, err := db.Outcomes(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Activities) != 3 || len(h.Measurements) != 2 {
			t.Fatalf("history = %+v", h)
		}
		cur := h.Current()
		if len(cur) != 2 || cur[0].Name != "Reach overhead" || cur[1].Name != "Drive" || cur[1].Slot != 2 {
			t.Fatalf("current = %+v", cur)
		}
		if old := h.Activities[1]; old.ID != m.Scores[1].Activity || old.Replaced == nil || old.Name != "Turn my head" {
			t.Fatalf("replaced activity = %+v", old)
		}
		second := h.Measurements[1]
		if second.Occasion != outcome.Recheck || second.Pain != 4 || second.Global == nil || *second.Global != 3 || len(second.Scores) != 2 || h.Measurements[0].Global != nil {
			t.Fatalf("measurements = %+v", h.Measurements)
		}
		if s := outcome.Summarize(h); s.Activities[0].Says() != "Your “Reach overhead” score rose from 3 to 6: a change that matters (2 points or more)." {
			t.Errorf("summary: %s", s.Activities[0].Says())
		}
		if _, err := db.AddOutcome(ctx, plan.ID+1000, week, t0, 0); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown plan: %v", err)
		}
	})
}

// A measurement before a visit keeps its booking; the plan's export holds
// the outcomes and deleting the plan for good removes them, while the
// visit stays.
func TestOutcomesVisitExportAndDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		plan := savedAssessment(t, db)
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		nb.AssessmentID = plan.ID
		b := book(t, db, nb)
		v, err := db.VisitPlanByLink(ctx, nb.TokenHash)
		if err != nil || v.BookingID != b.ID || v.AssessmentID != plan.ID || !v.Start.Equal(b.Start) || v.Status != "confirmed" {
			t.Fatalf("visit plan = %+v, %v", v, err)
		}
		other := newBooking(t, "ana", "trigger-60", "2027-03-29T13:00:00+02:00")
		book(t, db, other)
		if v, err := db.VisitPlanByLink(ctx, other.TokenHash); err != nil || v.AssessmentID != 0 {
			t.Fatalf("visit without a plan = %+v, %v", v, err)
		}
		if _, err := db.VisitPlanByLink(ctx, []byte("nope")); !errors.Is(err, ErrNotFound) {
			t.Fatalf("unknown link: %v", err)
		}
		in := outcome.Input{Occasion: outcome.Visit, Pain: ip(5), Activities: []outcome.Rated{{Name: "Sleep on my side", Score: ip(4)}}}
		if _, err := db.AddOutcome(ctx, plan.ID, in, now, b.ID); err != nil {
			t.Fatal(err)
		}
		x, err := db.ExportPlan(ctx, plan.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if ms := x.Outcomes.Measurements; len(ms) != 1 || ms[0].BookingID != b.ID || ms[0].Occasion != outcome.Visit || len(x.Outcomes.Activities) != 1 {
			t.Fatalf("export outcomes = %+v", x.Outcomes)
		}
		if err := db.DeletePlan(ctx, plan.TokenHash); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"outcome_measurements", "outcome_activities", "outcome_scores"} {
			var n int
			if err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s after delete: %d rows, %v", table, n, err)
			}
		}
		if v, err := db.VisitPlanByLink(ctx, nb.TokenHash); err != nil || v.AssessmentID != 0 {
			t.Errorf("the visit after delete = %+v, %v", v, err)
		}
	})
}
