package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"unknot/internal/diary"
)

// A therapist sees the clients who booked with them and shared their
// self-check, and nobody else's; withdrawing the share ends it at once,
// for the list, the client's diary and its export alike.
func TestClientsScopedAndWithdrawn(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)

		plan := savedAssessment(t, db)
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		nb.AssessmentID, nb.SharePlan = plan.ID, true
		book(t, db, nb)
		for i := range 3 {
			e := diary.Entry{At: now.Add(-time.Duration(i+1) * time.Hour), Pain: 3 + i, Note: "stiff"}
			if err := db.AddEntry(ctx, plan.ID, &e); err != nil {
				t.Fatal(err)
			}
		}
		// Booked with Ana but not shared; and a plan not booked at all.
		unshared := savedAssessment(t, db)
		quiet := newBooking(t, "ana", "trigger-60", "2027-03-29T13:00:00+02:00")
		quiet.AssessmentID = unshared.ID
		book(t, db, quiet)
		savedAssessment(t, db)

		list, err := db.Clients(ctx, "ana", now)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].AssessmentID != plan.ID || list[0].Name != "Kim" ||
			!list[0].NextVisit.Equal(nb.Booking.Start) {
			t.Fatalf("Ana's clients = %+v, want the one who shared, with her next visit", list)
		}
		share := list[0].ShareID
		if theirs, err := db.Clients(ctx, "ben", now); err != nil || len(theirs) != 0 {
			t.Errorf("Ben's clients = %+v, %v; want none (the client booked with Ana)", theirs, err)
		}

		rec, err := db.ClientDiary(ctx, "ana", share, 2, now)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Assessment.ID != plan.ID || rec.Total != 3 || len(rec.Recent) != 2 || rec.Recent[1].Pain != 3 || rec.Client.ShareID != share {
			t.Errorf("client diary = %+v (recent %+v)", rec.Client, rec.Recent)
		}
		if x, err := db.ClientDiaryEntries(ctx, "ana", share, now); err != nil || len(x.Entries) != 3 {
			t.Errorf("client entries = %+v, %v", x, err)
		}
		if _, err := db.ClientDiary(ctx, "ben", share, 2, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("Ben reads Ana's client: %v", err)
		}
		if _, err := db.ClientDiaryEntries(ctx, "ben", share, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("Ben exports Ana's client: %v", err)
		}
		if _, err := db.ClientDiary(ctx, "ana", share+100, 2, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("no such share: %v", err)
		}

		if _, err := db.WithdrawShare(ctx, plan.TokenHash, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClientDiary(ctx, "ana", share, 2, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("client diary after the share is withdrawn: %v, want ErrNotFound", err)
		}
		if _, err := db.ClientDiaryEntries(ctx, "ana", share, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("client entries after the share is withdrawn: %v, want ErrNotFound", err)
		}
		if list, err := db.Clients(ctx, "ana", now); err != nil || len(list) != 0 {
			t.Errorf("Ana's clients after withdrawing = %+v, %v", list, err)
		}
	})
}

// The audit log keeps every view, lists it newest first a page at a
// time, filtered by account or client, refuses any change to a row, and
// the person's export lists the views of their data by therapist name.
func TestAuditLog(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		plan, other := savedAssessment(t, db), savedAssessment(t, db)
		views := []AuditEntry{
			{AccountID: 1, AccountEmail: "ana@clinic.example", TherapistName: "Ana", ShareID: 10, AssessmentID: plan.ID, Action: AuditClientView, ClientIP: "192.0.2.1"},
			{AccountID: 2, AccountEmail: "ben@clinic.example", TherapistName: "Ben", ShareID: 11, AssessmentID: other.ID, Action: AuditClientView, ClientIP: "192.0.2.2"},
			{AccountID: 1, AccountEmail: "ana@clinic.example", TherapistName: "Ana", ShareID: 10, AssessmentID: plan.ID, Action: AuditClientCSV, ClientIP: "2001:db8::1"},
		}
		for i := range views {
			views[i].At = now.Add(time.Duration(i) * time.Minute)
			if err := db.RecordView(ctx, &views[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordView(ctx, &AuditEntry{Action: "peek"}); err == nil {
			t.Error("an unknown action was recorded")
		}

		all, more, err := db.AuditLog(ctx, AuditFilter{Limit: 2})
		if err != nil || more != true || len(all) != 2 || all[0].ID != views[2].ID || all[1].ID != views[1].ID {
			t.Fatalf("first page = %+v, %v, %v", all, more, err)
		}
		if !all[0].At.Equal(views[2].At) || all[0].ClientIP != "2001:db8::1" || all[0].Action != AuditClientCSV || all[0].AssessmentID != plan.ID {
			t.Errorf("row = %+v", all[0])
		}
		rest, more, err := db.AuditLog(ctx, AuditFilter{Before: all[1].ID, Limit: 2})
		if err != nil || more || len(rest) != 1 || rest[0].ID != views[0].ID {
			t.Errorf("second page = %+v, %v, %v", rest, more, err)
		}
		if ana, _, err := db.AuditLog(ctx, AuditFilter{AccountID: 1, Limit: 10}); err != nil || len(ana) != 2 {
			t.Errorf("Ana's views = %+v, %v", ana, err)
		}
		if c, _, err := db.AuditLog(ctx, AuditFilter{ShareID: 11, Limit: 10}); err != nil || len(c) != 1 || c[0].TherapistName != "Ben" {
			t.Errorf("views of share 11 = %+v, %v", c, err)
		}

		for _, q := range []string{`UPDATE audit_log SET client_ip = 'x'`, `DELETE FROM audit_log`} {
			if _, err := db.wdb.ExecContext(ctx, q); err == nil {
				t.Errorf("%s: the audit log was changed", q)
			}
		}
		if _, more, _ := db.AuditLog(ctx, AuditFilter{Limit: 2}); !more {
			t.Error("rows went missing")
		}

		x, err := db.ExportPlan(ctx, plan.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Views) != 2 || x.Views[0].Therapist != "Ana" || x.Views[0].What != AuditClientView || !x.Views[1].At.Equal(views[2].At) {
			t.Errorf("exported views = %+v", x.Views)
		}
	})
}

// The views of a deleted plan never show in the export of a later plan,
// even where the database gives the new plan the deleted one's id (SQLite
// reuses the highest id once its row is gone).
func TestExportViewsOfReusedID(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		gone := savedAssessment(t, db)
		if err := db.RecordView(ctx, &AuditEntry{At: time.Now(), AccountID: 1, AccountEmail: "ana@clinic.example", TherapistName: "Ana",
			ShareID: 1, AssessmentID: gone.ID, Action: AuditClientView, ClientIP: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePlan(ctx, gone.TokenHash); err != nil {
			t.Fatal(err)
		}
		fresh := savedAssessment(t, db)
		x, err := db.ExportPlan(ctx, fresh.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Views) != 0 {
			t.Errorf("a new plan (id %d, the deleted one's %d) exports the deleted plan's views: %+v", fresh.ID, gone.ID, x.Views)
		}
	})
}

// A share's id, by which the audit log names a client, never comes back
// for another person once the share is deleted with its plan.
func TestShareIDsNotReused(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		shareOf := func(start string) (*Assessment, int64) {
			t.Helper()
			plan := savedAssessment(t, db)
			nb := newBooking(t, "ana", "trigger-60", start)
			nb.AssessmentID, nb.SharePlan = plan.ID, true
			book(t, db, nb)
			live, err := db.LiveShare(ctx, plan.TokenHash)
			if err != nil || live == nil {
				t.Fatalf("live share = %+v, %v", live, err)
			}
			return plan, live.ID
		}
		gone, first := shareOf("2027-03-29T10:00:00+02:00")
		if err := db.DeletePlan(ctx, gone.TokenHash); err != nil {
			t.Fatal(err)
		}
		if _, second := shareOf("2027-03-29T13:00:00+02:00"); second == first {
			t.Errorf("the deleted share's id %d came back", first)
		}
	})
}
