package store

import (
	"context"
	"testing"
	"time"

	"unknot/internal/mail"
)

// A plan link's address is kept only until the mail is sent or given up:
// then its outbox row forgets the recipient, while other kinds keep theirs.
func TestPlanLinkMailForgetsItsRecipient(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		for _, to := range []string{"sent@example.com", "failed@example.com"} {
			m := &mail.Message{Kind: mail.KindPlanLink, To: to, Subject: "Your plan", Text: "https://unknot.example/plan/x"}
			if err := db.EnqueueMail(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.EnqueueMail(ctx, testMail(9)); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		got, err := db.ClaimMail(ctx, now, time.Minute, 10)
		if err != nil || len(got) != 3 {
			t.Fatalf("claim = %v, %v", got, err)
		}
		if err := db.MarkMailSent(ctx, mail.Sent{ID: got[0].ID, Claim: got[0].Claim, MessageID: "<a@x>", At: now}); err != nil {
			t.Fatal(err)
		}
		if err := db.FailMail(ctx, got[1].ID, got[1].Claim, "550 no such user"); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkMailSent(ctx, mail.Sent{ID: got[2].ID, Claim: got[2].Claim, MessageID: "<c@x>", At: now}); err != nil {
			t.Fatal(err)
		}
		for _, to := range []string{"sent@example.com", "failed@example.com"} {
			if recs, err := db.MailTo(ctx, to); err != nil || len(recs) != 0 {
				t.Errorf("outbox still knows %s: %+v, %v", to, recs, err)
			}
		}
		if recs, _ := db.MailTo(ctx, "p9@example.com"); len(recs) != 1 {
			t.Errorf("another kind's record lost its recipient: %+v", recs)
		}
		counts, _ := db.MailCounts(ctx)
		if counts["sent"] != 2 || counts["failed"] != 1 {
			t.Errorf("counts = %v", counts)
		}
	})
}
