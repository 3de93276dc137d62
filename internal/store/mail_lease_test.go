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

// The lease of claimed mail, step by step at given times: a heartbeat
// keeps it, a claimer that stops heartbeating loses it after one lease,
// and once lost it can no longer record anything about the mail.
func TestMailLeaseRenewAndTakeover(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		for i := range 6 {
			if err := db.EnqueueMail(ctx, testMail(i)); err != nil {
				t.Fatal(err)
			}
		}
		const lease = 30 * time.Second
		t0 := time.Now().Add(time.Second)
		a, err := db.ClaimMail(ctx, t0, lease, 3)
		if err != nil || len(a) != 3 {
			t.Fatalf("A claims %d, %v", len(a), err)
		}
		b, err := db.ClaimMail(ctx, t0.Add(10*time.Second), lease, 10)
		if err != nil || len(b) != 3 || b[0].Claim == a[0].Claim {
			t.Fatalf("B claims %d, %v", len(b), err)
		}
		// A's heartbeat at 20 s holds its mail to 50 s.
		if n, err := db.RenewMail(ctx, a[0].Claim, t0.Add(20*time.Second+lease)); err != nil || n != 3 {
			t.Fatalf("A renews %d, %v", n, err)
		}
		if err := db.MarkMailSent(ctx, mail.Sent{ID: a[0].ID, Claim: a[0].Claim, MessageID: "<a0@x>", At: t0}); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ClaimMail(ctx, t0.Add(35*time.Second), lease, 10); len(got) != 0 {
			t.Fatalf("B took over %d messages that A still holds", len(got))
		}
		// A stops heartbeating (it crashed): after 50 s its unsent mail is
		// B's, B's own lease ran out at 40 s, so B takes its own back too.
		taken, err := db.ClaimMail(ctx, t0.Add(51*time.Second), lease, 10)
		if err != nil || len(taken) != 5 {
			t.Fatalf("B takes over %d, %v; want A's 2 unsent and its own 3", len(taken), err)
		}
		if n, err := db.RenewMail(ctx, a[0].Claim, t0.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("A's renewal after the takeover renewed %d, %v", n, err)
		}
		// A wakes up: it can neither mark nor hand back what B holds now.
		err = db.MarkMailSent(ctx, mail.Sent{ID: a[1].ID, Claim: a[1].Claim, MessageID: "<a1@x>", At: t0})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("A marks a message B holds: %v, want ErrNotFound", err)
		}
		if err := db.RetryMail(ctx, a[2].ID, a[2].Claim, t0, "late"); !errors.Is(err, ErrNotFound) {
			t.Errorf("A retries a message B holds: %v, want ErrNotFound", err)
		}
		sent := make([]mail.Sent, len(taken))
		for i, q := range taken {
			sent[i] = mail.Sent{ID: q.ID, Claim: q.Claim, MessageID: fmt.Sprintf("<b%d@x>", i), At: t0.Add(52 * time.Second)}
		}
		if err := db.MarkMailSent(ctx, sent...); err != nil {
			t.Fatal(err)
		}
		if counts, err := db.MailCounts(ctx); err != nil || counts["sent"] != 6 || len(counts) != 1 {
			t.Errorf("mail counts %v, %v; want 6 sent", counts, err)
		}
		// Marking a batch again records nothing and names what is gone.
		if err := db.MarkMailSent(ctx, sent[:2]...); !errors.Is(err, ErrNotFound) {
			t.Errorf("marking twice: %v, want ErrNotFound", err)
		}
	})
}

// slowSender records what it is given, taking delay for each message, as
// a slow mail server would.
type slowSender struct {
	delay time.Duration
	mu    sync.Mutex
	got   map[int64]int // outbox id → times sent
}

func (s *slowSender) Send(ctx context.Context, q *mail.Queued, messageID string) error {
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got[q.ID]++
	return nil
}

// Two workers on one outbox, and the claim of a third that crashed: the
// live worker A sends its batch for longer than the lease, kept by its
// heartbeat, while worker B polls. B takes over the crashed claim's mail
// once its lease has run out, never takes A's, and every message is sent
// exactly once. Without the heartbeat B would take A's last message
// while A was still sending it.
func TestMailWorkerHeartbeat(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		const (
			lease = 1200 * time.Millisecond
			batch = 4
		)
		for i := range 2 * batch {
			if err := db.EnqueueMail(ctx, testMail(i)); err != nil {
				t.Fatal(err)
			}
		}
		claimed := time.Now()
		crashed, err := db.ClaimMail(ctx, claimed, lease, batch)
		if err != nil || len(crashed) != batch {
			t.Fatalf("crashed claim %d, %v", len(crashed), err)
		}
		// A's sends together take 1.6 s, each within A's send timeout.
		a := &slowSender{delay: 400 * time.Millisecond, got: map[int64]int{}}
		b := &slowSender{got: map[int64]int{}}
		workerA := &mail.Worker{Queue: db, Sender: a, From: "a@unknot.example", Lease: lease, Batch: batch}
		workerB := &mail.Worker{Queue: db, Sender: b, From: "b@unknot.example", Lease: lease, Batch: batch}
		aDone := make(chan error, 1)
		go func() {
			_, err := workerA.RunOnce(ctx)
			aDone <- err
		}()
		// B polls every 50 ms until A is done and B has taken over the
		// crashed claim, for at most 10 s.
		var (
			takenOver time.Time
			aFinished bool
		)
		for range 200 {
			select {
			case err := <-aDone:
				if err != nil {
					t.Fatal(err)
				}
				aFinished = true
			case <-time.After(50 * time.Millisecond):
			}
			n, err := workerB.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n > 0 && takenOver.IsZero() {
				takenOver = time.Now()
			}
			if aFinished && !takenOver.IsZero() {
				break
			}
		}
		if !aFinished || takenOver.IsZero() {
			t.Fatalf("after 10 s: A finished %v, B took over at %v", aFinished, takenOver)
		}
		if takenOver.Sub(claimed) < lease {
			t.Errorf("B took the crashed claim's mail after %s, before its lease of %s ran out", takenOver.Sub(claimed), lease)
		}
		for _, q := range crashed {
			if b.got[q.ID] != 1 || a.got[q.ID] != 0 {
				t.Errorf("crashed claim's message %d: sent %d times by A, %d by B; want once by B", q.ID, a.got[q.ID], b.got[q.ID])
			}
		}
		if len(a.got) != batch {
			t.Errorf("A sent %d messages, want its %d", len(a.got), batch)
		}
		for id, n := range a.got {
			if n != 1 || b.got[id] != 0 {
				t.Errorf("A's message %d: sent %d times by A and %d by B; want once by A", id, n, b.got[id])
			}
		}
		if counts, err := db.MailCounts(ctx); err != nil || counts["sent"] != 2*batch {
			t.Errorf("mail counts %v, %v; want %d sent", counts, err, 2*batch)
		}
	})
}
