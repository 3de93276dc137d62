package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"unknot/internal/mail"
)

func testMail(i int) *mail.Message {
	m := &mail.Message{Kind: mail.KindConfirm, To: fmt.Sprintf("p%d@example.com", i), Subject: "Confirm", Text: "Hi", HTML: "<p>Hi</p>"}
	m.SetListUnsubscribe("https://example.com/u")
	m.Attachments = []mail.Attachment{{Name: "a.pdf", ContentType: "application/pdf", Data: []byte{0, 1, 2}}}
	return m
}

func TestOutbox(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		for i := range 3 {
			if err := db.EnqueueMail(ctx, testMail(i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.EnqueueMail(ctx, &mail.Message{To: "x"}); err == nil {
			t.Error("enqueueing an invalid message succeeded")
		}
		now := time.Now()
		got, err := db.ClaimMail(ctx, now, time.Minute, 2)
		if err != nil || len(got) != 2 {
			t.Fatalf("claim = %v, %v", got, err)
		}
		q := got[0]
		if q.To != "p0@example.com" || q.Attempts != 1 || q.Key == "" || q.Headers["List-Unsubscribe"] != "<https://example.com/u>" ||
			len(q.Attachments) != 1 || string(q.Attachments[0].Data) != "\x00\x01\x02" || q.HTML != "<p>Hi</p>" {
			t.Errorf("claimed = %+v", q)
		}
		if err := db.MarkMailSent(ctx, mail.Sent{ID: q.ID, Claim: q.Claim, MessageID: "<k@x>", At: now}); err != nil {
			t.Fatal(err)
		}
		if err := db.MarkMailSent(ctx, mail.Sent{ID: q.ID, Claim: q.Claim, MessageID: "<k@x>", At: now}); !errors.Is(err, ErrNotFound) {
			t.Errorf("marking twice: %v, want ErrNotFound", err)
		}
		if err := db.RetryMail(ctx, got[1].ID, got[1].Claim, now.Add(time.Hour), "451 later"); err != nil {
			t.Fatal(err)
		}
		// Only the third is due now.
		rest, err := db.ClaimMail(ctx, now, time.Minute, 10)
		if err != nil || len(rest) != 1 || rest[0].To != "p2@example.com" {
			t.Fatalf("second claim = %v, %v", rest, err)
		}
		if err := db.FailMail(ctx, rest[0].ID, rest[0].Claim, "550 no such user"); err != nil {
			t.Fatal(err)
		}
		counts, err := db.MailCounts(ctx)
		if err != nil || counts["sent"] != 1 || counts["queued"] != 1 || counts["failed"] != 1 {
			t.Errorf("counts = %v, %v", counts, err)
		}
		// Sent mail keeps its record but not its bodies, which hold links.
		recs, _ := db.MailTo(ctx, "p0@example.com")
		if len(recs) != 1 || recs[0].State != "sent" || recs[0].MessageID != "<k@x>" || recs[0].SentAt == nil {
			t.Errorf("record = %+v", recs)
		}
		var text, headers string
		if err := db.queryRow(ctx, `SELECT text_body, headers FROM outbox WHERE id = $1`, q.ID).Scan(&text, &headers); err != nil {
			t.Fatal(err)
		}
		if text != "" || headers != "{}" {
			t.Errorf("sent row keeps text %q and headers %q", text, headers)
		}
	})
}

// Workers claiming at the same time never get the same message.
func TestClaimMailConcurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		const total = 60
		for i := range total {
			if err := db.EnqueueMail(ctx, testMail(i)); err != nil {
				t.Fatal(err)
			}
		}
		var (
			mu   sync.Mutex
			seen = map[int64]int{}
			wg   sync.WaitGroup
		)
		for range 4 {
			wg.Go(func() {
				for {
					got, err := db.ClaimMail(ctx, time.Now(), time.Minute, 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, q := range got {
						seen[q.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(seen) != total {
			t.Errorf("claimed %d distinct messages, want %d", len(seen), total)
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("message %d claimed %d times", id, n)
			}
		}
	})
}
