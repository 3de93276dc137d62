package main

import (
	"context"
	"fmt"
	"time"

	"unknot/internal/mail"
)

// The range --db-timeout accepts: shorter would fail healthy requests on a
// busy machine; longer would outlast the server's WriteTimeout (30 s, in
// serve), which cuts the connection before the 503 page could be sent.
const (
	minDBTimeout = 100 * time.Millisecond
	maxDBTimeout = 20 * time.Second
)

// cliTimeout bounds the database work of a command that reads or writes a
// few rows (a clinic, a staff account, a subscriber): a database that stops
// answering ends it with an error instead of holding the terminal. A backup
// or a migration takes as long as the data needs and has only the connect
// timeout (store.ConnectTimeout).
const cliTimeout = time.Minute

// cliContext is the context of such a command's database work.
func cliContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), cliTimeout)
}

// parseDBTimeout reads the value of --db-timeout.
func parseDBTimeout(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("--db-timeout: %q is not a duration such as 5s or 1500ms", s)
	}
	if d < minDBTimeout || d > maxDBTimeout {
		return 0, fmt.Errorf("--db-timeout: must be between %s and %s", minDBTimeout, maxDBTimeout)
	}
	return d, nil
}

// deadlineQueue is the outbox with a deadline on each of its calls, so
// that a database that stops answering holds the mail worker up for at
// most timeout a call, not until the connection dies.
type deadlineQueue struct {
	queue   mail.Queue
	timeout time.Duration
}

func (q deadlineQueue) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Queued, error) {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	return q.queue.ClaimMail(ctx, now, lease, limit)
}

func (q deadlineQueue) RenewMail(ctx context.Context, claim string, until time.Time) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	return q.queue.RenewMail(ctx, claim, until)
}

func (q deadlineQueue) MarkMailSent(ctx context.Context, sent ...mail.Sent) error {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	return q.queue.MarkMailSent(ctx, sent...)
}

func (q deadlineQueue) RetryMail(ctx context.Context, id int64, claim string, due time.Time, reason string) error {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	return q.queue.RetryMail(ctx, id, claim, due, reason)
}

func (q deadlineQueue) FailMail(ctx context.Context, id int64, claim, reason string) error {
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()
	return q.queue.FailMail(ctx, id, claim, reason)
}

// withDeadline returns fn with its database work under timeout; nil stays
// nil.
func withDeadline(timeout time.Duration, fn func(context.Context, time.Time) error) func(context.Context, time.Time) error {
	if fn == nil {
		return nil
	}
	return func(ctx context.Context, now time.Time) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return fn(ctx, now)
	}
}
