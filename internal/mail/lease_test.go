package mail_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"unknot/internal/mail"
)

// unrenewable is an outbox of six claimed messages whose lease cannot be
// renewed (the database went away for the heartbeat), recording what the
// worker marks and hands back.
type unrenewable struct {
	mu      sync.Mutex
	marked  []int64
	touched int // retries and failures
}

func (u *unrenewable) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Queued, error) {
	out := make([]mail.Queued, 6)
	for i := range out {
		out[i] = mail.Queued{ID: int64(i + 1), Key: "k", Claim: "c", Attempts: 1,
			Message: mail.Message{Kind: mail.KindConfirm, To: "p@example.com", Subject: "s", Text: "t"}}
	}
	return out, nil
}

func (u *unrenewable) RenewMail(context.Context, string, time.Time) (int, error) {
	return 0, errors.New("connection refused")
}

func (u *unrenewable) MarkMailSent(_ context.Context, sent ...mail.Sent) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, s := range sent {
		u.marked = append(u.marked, s.ID)
	}
	return nil
}

func (u *unrenewable) RetryMail(context.Context, int64, string, time.Time, string) error {
	u.touched++
	return nil
}

func (u *unrenewable) FailMail(context.Context, int64, string, string) error {
	u.touched++
	return nil
}

// slowServer takes delay to accept each message.
type slowServer struct {
	delay time.Duration
	sent  int
}

func (s *slowServer) Send(ctx context.Context, q *mail.Queued, messageID string) error {
	time.Sleep(s.delay)
	s.sent++
	return nil
}

// A worker whose heartbeat fails stops sending while less than half the
// lease is left, so that no send of its own outlasts the lease and meets
// another worker's send of the same message; what it sent it still marks.
func TestWorkerStopsWhenItsLeaseRunsOut(t *testing.T) {
	q := &unrenewable{}
	// Two sends fit before half the lease is left; the first starts
	// unless the worker stalls for half the lease (600 ms) before it.
	srv := &slowServer{delay: 400 * time.Millisecond}
	w := &mail.Worker{Queue: q, Sender: srv, From: from, Lease: 1200 * time.Millisecond}
	n, err := w.RunOnce(context.Background())
	if err != nil || n != 6 {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	if srv.sent == 0 || srv.sent >= 6 {
		t.Errorf("sent %d of 6 with the lease running out after 1.2 s and 400 ms a send; want some, not all", srv.sent)
	}
	if len(q.marked) != srv.sent || q.touched != 0 {
		t.Errorf("marked %v and touched %d others after sending %d", q.marked, q.touched, srv.sent)
	}
}
