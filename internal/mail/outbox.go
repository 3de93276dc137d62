package mail

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"golang.org/x/time/rate"
)

// Queue is the outbox as the worker sees it; *store.DB implements it.
type Queue interface {
	// ClaimMail leases up to limit due messages to this worker until
	// now+lease, counting an attempt for each.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Queued, error)
	// MarkMailSent records that a claimed message was sent.
	MarkMailSent(ctx context.Context, id int64, messageID string, at time.Time) error
	// RetryMail puts a claimed message back, due at due.
	RetryMail(ctx context.Context, id int64, due time.Time, reason string) error
	// FailMail gives up on a claimed message.
	FailMail(ctx context.Context, id int64, reason string) error
}

// Sender hands one message to whatever delivers it. The Message-ID is
// fixed by the caller and the same on every attempt for the same message.
type Sender interface {
	Send(ctx context.Context, q *Queued, messageID string) error
}

// PermanentError is a failure that trying again cannot fix, such as a
// mail server refusing the address. The worker gives up at once.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Worker sends the mail in the outbox. Delivery is at least once: a
// message is marked sent right after the server accepted it, one message
// at a time, so only a crash between those two steps can send it again,
// and then with the same Message-ID, which lets receivers drop the copy.
type Worker struct {
	Queue  Queue
	Sender Sender
	From   string // the sender's address, for Message-IDs
	Log    *slog.Logger
	// Limit caps the sending rate; nil sends as fast as the server takes.
	Limit *rate.Limiter
	// Poll is how often to look for due mail when the outbox is empty;
	// default 1 s.
	Poll time.Duration
	// Batch is how many messages to claim at once; default 50.
	Batch int
	// Lease is how long a claim lasts before another worker may take the
	// message over; default 5 minutes. It must be well above the time a
	// send takes, or a slow send could be repeated.
	Lease time.Duration
	// MaxAttempts is how many times to try a message before giving up;
	// default 10, which with Backoff spans about a day.
	MaxAttempts int
	// Prepare, if set, runs before each claim: it queues mail that is
	// written only once it is due, such as a booking's reminder, whose
	// fresh private link must not wait in the outbox. Its error is logged
	// and the claim goes ahead.
	Prepare func(ctx context.Context, now time.Time) error
}

// Run sends due mail until ctx is cancelled. A message being sent when
// that happens is finished and recorded; messages claimed but not begun
// are released at once, so a restart sends them without waiting for the
// lease to run out.
func (w *Worker) Run(ctx context.Context) error {
	w.defaults()
	ticker := time.NewTicker(w.Poll)
	defer ticker.Stop()
	for {
		for {
			n, err := w.RunOnce(ctx)
			if err != nil {
				w.Log.Error("mail worker", "err", err)
				break
			}
			if n < w.Batch {
				break
			}
		}
		if c, ok := w.Sender.(interface{ Close() error }); ok {
			if err := c.Close(); err != nil {
				w.Log.Warn("mail worker: closing the connection", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

func (w *Worker) defaults() {
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Poll <= 0 {
		w.Poll = time.Second
	}
	if w.Batch <= 0 {
		w.Batch = 50
	}
	if w.Lease <= 0 {
		w.Lease = 5 * time.Minute
	}
	if w.MaxAttempts <= 0 {
		w.MaxAttempts = 10
	}
}

// RunOnce claims one batch of due mail and sends it, returning how many
// messages it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	if ctx.Err() != nil {
		return 0, nil
	}
	if w.Prepare != nil {
		if err := w.Prepare(ctx, time.Now()); err != nil {
			w.Log.Error("mail worker: preparing due mail", "err", err)
		}
	}
	batch, err := w.Queue.ClaimMail(ctx, time.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	// Recording results must not be cut short by a shutdown: a message
	// sent but not marked would be sent again.
	record := context.WithoutCancel(ctx)
	for i := range batch {
		if !w.wait(ctx) {
			w.release(record, batch[i:])
			break
		}
		w.send(record, &batch[i])
	}
	return len(batch), nil
}

// wait waits for the rate limit to allow one more message, and reports
// false if ctx ends first.
func (w *Worker) wait(ctx context.Context) bool {
	if w.Limit != nil && w.Limit.Wait(ctx) != nil {
		return false
	}
	return ctx.Err() == nil
}

// send sends one claimed message and records what happened.
func (w *Worker) send(ctx context.Context, q *Queued) {
	id := q.MessageID(w.From)
	sendCtx, cancel := context.WithTimeout(ctx, w.Lease/2)
	err := w.Sender.Send(sendCtx, q, id)
	cancel()
	var perm *PermanentError
	switch {
	case err == nil:
		if err := w.Queue.MarkMailSent(ctx, q.ID, id, time.Now()); err != nil {
			w.Log.Error("mail sent but not recorded; it may be sent again", "outbox", q.ID, "message_id", id, "err", err)
			return
		}
		w.Log.Debug("mail sent", "outbox", q.ID, "kind", q.Kind, "message_id", id, "attempt", q.Attempts)
	case errors.As(err, &perm) || q.Attempts >= w.MaxAttempts:
		w.Log.Warn("mail given up", "outbox", q.ID, "kind", q.Kind, "attempt", q.Attempts, "err", err)
		if err := w.Queue.FailMail(ctx, q.ID, err.Error()); err != nil {
			w.Log.Error("mail worker: recording a failure", "outbox", q.ID, "err", err)
		}
	default:
		due := time.Now().Add(Backoff(q.Attempts))
		w.Log.Warn("mail not sent; will retry", "outbox", q.ID, "kind", q.Kind, "attempt", q.Attempts, "retry_at", due, "err", err)
		if err := w.Queue.RetryMail(ctx, q.ID, due, err.Error()); err != nil {
			w.Log.Error("mail worker: scheduling a retry", "outbox", q.ID, "err", err)
		}
	}
}

// release hands claimed messages back without sending them.
func (w *Worker) release(ctx context.Context, batch []Queued) {
	for _, q := range batch {
		if err := w.Queue.RetryMail(ctx, q.ID, time.Now(), "not sent before shutdown"); err != nil {
			w.Log.Error("mail worker: releasing a message", "outbox", q.ID, "err", err)
		}
	}
}

// Backoff is the wait before attempt n+1 after n failed attempts: 30 s,
// doubling each time, at most 6 hours.
func Backoff(n int) time.Duration {
	const (
		first = 30 * time.Second
		most  = 6 * time.Hour
	)
	if n < 1 {
		return first
	}
	if n > 20 { // 2^20 × 30 s is far beyond the cap; stop before overflow
		return most
	}
	return min(first<<(n-1), most)
}
