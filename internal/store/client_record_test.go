package store

import (
	"context"
	"testing"
	"time"

	"unknot/internal/outcome"
)

// A therapist's read of a client carries the client's outcomes and home
// program, and says whether the client booked with them (which their
// program page needs); a client who shared without a booking with them
// is seen but not booked.
func TestClientRecordOutcomesProgramBooked(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		plan := sharedPlan(t, db)
		in := outcome.Input{Occasion: outcome.Start, Pain: ip(6), Activities: []outcome.Rated{{Name: "Reach overhead", Score: ip(3)}}}
		if _, err := db.AddOutcome(ctx, plan.ID, in, now, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := save(db, ProgramScope{Therapist: "ana"}, plan.ID, "ana@clinic.example", chinTucks("two weeks"), nil, nil); err != nil {
			t.Fatal(err)
		}
		// Shared with the clinic by no booking at all.
		alone := savedAssessment(t, db)
		if _, err := db.wdb.ExecContext(ctx, `INSERT INTO shares (assessment_id, booking_id, shared_at) VALUES ($1, NULL, $2)`, alone.ID, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}

		list, err := db.Clients(ctx, "ana", now)
		if err != nil || len(list) != 2 {
			t.Fatalf("Ana's clients = %+v, %v", list, err)
		}
		if list[0].AssessmentID != alone.ID || list[0].Booked || list[1].AssessmentID != plan.ID || !list[1].Booked {
			t.Errorf("clients = %+v: want the one shared alone not booked, the other booked", list)
		}
		rec, err := db.ClientDiary(ctx, "ana", list[1].ShareID, 5, now)
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Client.Booked || len(rec.Outcomes.Measurements) != 1 || rec.Outcomes.Measurements[0].Pain != 6 ||
			rec.Program == nil || rec.Program.Version != 1 || rec.Program.Program.Note != "two weeks" {
			t.Errorf("client record: booked %v, outcomes %+v, program %+v", rec.Client.Booked, rec.Outcomes, rec.Program)
		}
	})
}

// The person's export holds every version of the visit notes on the
// visits booked with their plan, with the therapist's name; deleting the
// plan for good keeps the clinic's visit and its notes, under
// DeletedClient, and the notes of another client's visit are never in
// the export.
func TestExportVisitNotesAndDeleteKeepsThem(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		plan := sharedPlan(t, db)
		x, err := db.ExportPlan(ctx, plan.TokenHash)
		if err != nil || len(x.Bookings) != 1 || len(x.VisitNotes) != 0 {
			t.Fatalf("export before notes = %+v, %v", x, err)
		}
		b := x.Bookings[0]
		other := newBooking(t, "ana", "trigger-60", "2027-03-08T13:00:00+01:00")
		ob := book(t, db, other)
		for i, body := range []string{"tight left trapezius", "tight left trapezius; better after release"} {
			if err := db.SaveVisitNote(ctx, "ana", b.ID, body, now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveVisitNote(ctx, "ana", ob.ID, "someone else's visit", now); err != nil {
			t.Fatal(err)
		}

		x, err = db.ExportPlan(ctx, plan.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.VisitNotes) != 2 {
			t.Fatalf("exported notes = %+v, want the two versions on the plan's visit", x.VisitNotes)
		}
		for i, n := range x.VisitNotes {
			if n.Therapist != "Ana" || !n.Visit.Equal(b.Start) || !n.WrittenAt.Equal(now.Add(time.Duration(i)*time.Minute)) {
				t.Errorf("note %d = %+v", i, n)
			}
		}
		if x.VisitNotes[1].Text != "tight left trapezius; better after release" {
			t.Errorf("the latest note = %q", x.VisitNotes[1].Text)
		}

		if err := db.DeletePlan(ctx, plan.TokenHash); err != nil {
			t.Fatal(err)
		}
		v, err := db.TherapistVisit(ctx, "ana", b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Booking.Name != DeletedClient || v.Booking.Email != "" || len(v.Notes) != 2 || v.Notes[0].Body != "tight left trapezius; better after release" {
			t.Errorf("the visit after delete: name %q, email %q, notes %+v", v.Booking.Name, v.Booking.Email, v.Notes)
		}
	})
}
