package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"unknot/internal/mail"
	"unknot/internal/remind"
	"unknot/internal/secret"
)

func TestReminders(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		berlin, _ := time.LoadLocation("Europe/Berlin")
		a := savedAssessment(t, db)
		// The plan was made on Thursday 26 March 2026; clocks change on the 29th.
		made := time.Date(2026, 3, 26, 18, 0, 0, 0, berlin)
		if _, err := db.wdb.ExecContext(ctx, `UPDATE assessments SET created_at = $1 WHERE id = $2`, made.UTC(), a.ID); err != nil {
			t.Fatal(err)
		}
		choice := ReminderChoice{Email: "ana@example.com", TimeZone: "Europe/Berlin", At: 7*60 + 30, Daily: true, Weekly: true}
		r, err := db.SetReminder(ctx, a.TokenHash, choice, made)
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 3, 27, 7, 30, 0, 0, berlin); !r.DailyDue.Equal(want) {
			t.Errorf("first daily due %s, want %s", r.DailyDue, want)
		}
		if want := time.Date(2026, 4, 2, 7, 30, 0, 0, berlin); !r.WeeklyDue.Equal(want) {
			t.Errorf("first weekly due %s, want %s", r.WeeklyDue, want)
		}
		got, err := db.ReminderByToken(ctx, a.TokenHash)
		if err != nil || got.Email != choice.Email || !got.Daily() || !got.Weekly() || got.At != choice.At || !got.DailyDue.Equal(*r.DailyDue) {
			t.Fatalf("ReminderByToken = %+v, %v", got, err)
		}

		var links [][]byte
		var dues [][]remind.Kind
		stop := false
		compose := func(d *DueReminder) (*mail.Message, []byte, error) {
			if stop {
				return nil, nil, nil
			}
			_, hash := secret.NewToken()
			links = append(links, hash)
			dues = append(dues, d.Due)
			return &mail.Message{Kind: "plan_reminder", To: d.Email, Subject: "Your routine", Text: "Time for it."}, hash, nil
		}
		queue := func(at time.Time) int {
			t.Helper()
			n, err := db.QueuePlanReminders(ctx, at, compose)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := queue(time.Date(2026, 3, 27, 7, 29, 0, 0, berlin)); n != 0 {
			t.Errorf("%d reminders before 07:30", n)
		}
		if n := queue(time.Date(2026, 3, 27, 7, 30, 0, 0, berlin)); n != 1 {
			t.Errorf("%d reminders at 07:30, want 1", n)
		}
		if n := queue(time.Date(2026, 3, 27, 7, 31, 0, 0, berlin)); n != 0 {
			t.Errorf("the reminder came twice (%d)", n)
		}
		// Across the spring change it stays at 07:30 local time.
		if n := queue(time.Date(2026, 3, 30, 5, 29, 0, 0, time.UTC)); n != 0 {
			t.Error("the 07:30 reminder of 29 March is not late, it is skipped as stale")
		}
		got, _ = db.ReminderByToken(ctx, a.TokenHash)
		if want := time.Date(2026, 3, 30, 7, 30, 0, 0, berlin); !got.DailyDue.Equal(want) {
			t.Errorf("after a stale one, daily due %s, want %s", got.DailyDue.In(berlin), want)
		}
		if n := queue(time.Date(2026, 3, 30, 5, 30, 0, 0, time.UTC)); n != 1 {
			t.Errorf("%d reminders at 07:30 CEST, want 1", n)
		}
		for _, day := range []int{31, 32} {
			if n := queue(time.Date(2026, 3, day, 7, 30, 0, 0, berlin)); n != 1 {
				t.Errorf("%d reminders on day %d, want 1", n, day)
			}
		}
		// 2 April: the daily and the weekly reminder come as one mail.
		if n := queue(time.Date(2026, 4, 2, 7, 30, 0, 0, berlin)); n != 1 {
			t.Errorf("%d mails for both reminders, want 1", n)
		}
		if last := dues[len(dues)-1]; len(last) != 2 {
			t.Errorf("due %v, want daily and weekly", last)
		}
		if recs, _ := db.MailTo(ctx, "ana@example.com"); len(recs) != 5 {
			t.Errorf("%d mails in the outbox, want 5", len(recs))
		}

		// Links older than remind.LinkLife are dropped as reminders go out.
		if _, err := db.wdb.ExecContext(ctx, `UPDATE reminder_links SET created_at = $1 WHERE token_hash = $2`,
			time.Date(2026, 4, 2, 7, 30, 0, 0, berlin).Add(-remind.LinkLife-time.Second).UTC(), links[len(links)-1]); err != nil {
			t.Fatal(err)
		}
		if n := queue(time.Date(2026, 4, 3, 7, 30, 0, 0, berlin)); n != 1 {
			t.Errorf("%d reminders on 3 April, want 1", n)
		}
		if _, err := db.ReminderByLink(ctx, links[len(links)-2]); !errors.Is(err, ErrNotFound) {
			t.Errorf("an old link still works: %v", err)
		}
		links = append(links[:len(links)-2], links[len(links)-1])
		// Every link sent manages the reminders; one unsubscribe stops them.
		for _, l := range links {
			if r, err := db.ReminderByLink(ctx, l); err != nil || r.AssessmentID != a.ID {
				t.Errorf("ReminderByLink = %v, %v", r, err)
			}
		}
		if err := db.UnsubscribeReminder(ctx, links[0]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReminderByToken(ctx, a.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("after unsubscribe: %v", err)
		}
		if err := db.UnsubscribeReminder(ctx, links[1]); !errors.Is(err, ErrNotFound) {
			t.Errorf("a second unsubscribe: %v", err)
		}
		if n := queue(time.Date(2026, 4, 4, 7, 30, 0, 0, berlin)); n != 0 {
			t.Errorf("%d reminders after unsubscribe", n)
		}

		// A stop from compose forgets the reminders.
		if _, err := db.SetReminder(ctx, a.TokenHash, choice, time.Date(2026, 4, 4, 8, 0, 0, 0, berlin)); err != nil {
			t.Fatal(err)
		}
		stop = true
		if n := queue(time.Date(2026, 4, 5, 7, 30, 0, 0, berlin)); n != 0 {
			t.Errorf("%d reminders after a stop", n)
		}
		if _, err := db.ReminderByToken(ctx, a.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("after a stop: %v", err)
		}

		// Deleting the plan deletes its reminders.
		if _, err := db.SetReminder(ctx, a.TokenHash, choice, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePlan(ctx, a.TokenHash); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM reminders`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d reminders left after the plan was deleted (%v)", n, err)
		}

		// One address, a few plans at most; removal is no error twice.
		for i := range MaxRemindersPerAddress + 1 {
			b := savedAssessment(t, db)
			_, err := db.SetReminder(ctx, b.TokenHash, ReminderChoice{Email: "many@example.com", TimeZone: "UTC", At: 60, Weekly: true}, time.Time{})
			if i < MaxRemindersPerAddress && err != nil || i == MaxRemindersPerAddress && !errors.Is(err, ErrTooMany) {
				t.Errorf("plan %d: %v", i+1, err)
			}
			if i == MaxRemindersPerAddress {
				for range 2 {
					if err := db.DeleteReminder(ctx, b.TokenHash); err != nil {
						t.Error(err)
					}
				}
			}
		}
		if _, err := db.SetReminder(ctx, make([]byte, 32), choice, time.Time{}); !errors.Is(err, ErrNotFound) {
			t.Errorf("no plan: %v", err)
		}
	})
}
