package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
)

// TestDeletePlanRacingWrites deletes a plan twice while every kind of
// write to it runs at the same moment, on real goroutines released
// together. Each write either lands before the deletion (and is deleted
// with the plan) or finds the plan gone and returns ErrNotFound; exactly
// one deletion succeeds and the other returns ErrNotFound; nothing of the
// plan is left. Before the fix, PostgreSQL answered a write that lost the
// race with a foreign-key violation, and a second deletion waiting for the
// first reported success.
func TestDeletePlanRacingWrites(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		const rounds = 12
		for round := range rounds {
			a := savedAssessment(t, db)
			start := make(chan struct{})
			var wg sync.WaitGroup
			errs := make(map[string]error)
			var mu sync.Mutex
			run := func(name string, write func() error) {
				wg.Go(func() {
					<-start
					err := write()
					mu.Lock()
					errs[name] = err
					mu.Unlock()
				})
			}
			at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
			run("delete 1", func() error { return db.DeletePlan(ctx, a.TokenHash) })
			run("delete 2", func() error { return db.DeletePlan(ctx, a.TokenHash) })
			run("entry by id", func() error { return db.AddEntry(ctx, a.ID, &diary.Entry{At: at, Pain: 3}) })
			run("entry by token", func() error { return db.AddEntryByToken(ctx, a.TokenHash, &diary.Entry{At: at, Pain: 4}) })
			run("re-check", func() error {
				return db.AddRecheck(ctx, a.ID, &diary.Recheck{At: at, PainNow: 2, Urgency: care.SelfCare}, json.RawMessage(`{}`))
			})
			run("settings", func() error { return db.SavePlanSettings(ctx, a.ID, diary.DefaultSettings()) })
			run("time zone", func() error { return db.AdoptTimeZone(ctx, a.TokenHash, "Europe/Berlin") })
			run("reminder", func() error {
				_, err := db.SetReminder(ctx, a.TokenHash, ReminderChoice{Email: "kim@example.com", TimeZone: "UTC", At: 60, Daily: true}, at)
				return err
			})
			run("booking", func() error {
				nb := newBooking(t, "ana", "consult-30", fmt.Sprintf("2027-03-%02dT10:00:00+02:00", 15+round%10))
				nb.Booking.Start = nb.Booking.Start.Add(time.Duration(round/10) * time.Hour)
				nb.Booking.End = nb.Booking.End.Add(time.Duration(round/10) * time.Hour)
				nb.AssessmentID, nb.SharePlan = a.ID, true
				_, _, err := db.CreateBooking(ctx, nb)
				return err
			})
			close(start)
			wg.Wait()

			deleted := 0
			for name, err := range errs {
				switch {
				case err == nil && (name == "delete 1" || name == "delete 2"):
					deleted++
				case err != nil && !errors.Is(err, ErrNotFound):
					t.Errorf("round %d, %s: %v, want success or ErrNotFound", round, name, err)
				}
			}
			if deleted != 1 {
				t.Errorf("round %d: %d deletions succeeded, want 1 (%v, %v)", round, deleted, errs["delete 1"], errs["delete 2"])
			}
			for _, table := range []string{"diary_entries", "rechecks", "plan_settings", "reminders", "shares", "assessments"} {
				column := "assessment_id"
				if table == "assessments" {
					column = "id"
				}
				var n int
				if err := db.queryRow(ctx, `SELECT count(*) FROM `+table+` WHERE `+column+` = $1`, a.ID).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 0 {
					t.Errorf("round %d: %d rows of the deleted plan left in %s", round, n, table)
				}
			}
		}
	})
}

// TestDeleteSubscriberRacingWrites deletes a subscriber twice while the
// confirmation link is clicked, the address unsubscribed and signed up
// again, all released together: each write lands before the deletion or
// finds the subscriber gone (ErrNotFound), and exactly one deletion
// succeeds.
func TestDeleteSubscriberRacingWrites(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		const rounds = 12
		at := time.Now()
		for round := range rounds {
			email := fmt.Sprintf("race%d@example.com", round)
			_, token := signUp(t, db, "Kim", email, at)
			start := make(chan struct{})
			var (
				wg   sync.WaitGroup
				mu   sync.Mutex
				errs = map[string]error{}
			)
			run := func(name string, write func() error) {
				wg.Go(func() {
					<-start
					err := write()
					mu.Lock()
					errs[name] = err
					mu.Unlock()
				})
			}
			run("delete 1", func() error { return db.DeleteSubscriber(ctx, email) })
			run("delete 2", func() error { return db.DeleteSubscriber(ctx, email) })
			run("confirm", func() error { _, _, err := confirm(db, token, at); return err })
			run("unsubscribe", func() error { return db.Unsubscribe(ctx, email) })
			close(start)
			wg.Wait()
			deleted := 0
			for name, err := range errs {
				switch {
				case err == nil && (name == "delete 1" || name == "delete 2"):
					deleted++
				case err != nil && !errors.Is(err, ErrNotFound):
					t.Errorf("round %d, %s: %v, want success or ErrNotFound", round, name, err)
				}
			}
			if deleted != 1 {
				t.Errorf("round %d: %d deletions succeeded, want 1", round, deleted)
			}
			if _, err := db.SubscriberByEmail(ctx, email); !errors.Is(err, ErrNotFound) {
				t.Errorf("round %d: the subscriber is still there: %v", round, err)
			}
		}
	})
}
