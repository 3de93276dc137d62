package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Queue is the outbox as the worker sees it; *store.DB implements it.
type Queue interface {
	// ClaimMail leases up to limit due messages to this worker until
	// now+lease, counting an attempt for each.
	ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Queued, error)
	// RenewMail moves the lease of the messages still being sent under
	// claim to until, and returns how many there are.
	RenewMail(ctx context.Context, claim string, until time.Time) (int, error)
	// MarkMailSent records, together, that claimed messages were sent.
	MarkMailSent(ctx context.Context, sent ...Sent) error
	// RetryMail puts a claimed message back, due at due.
	RetryMail(ctx context.Context, id int64, claim string, due time.Time, reason string) error
	// FailMail gives up on a claimed message.
	FailMail(ctx context.Context, id int64, claim, reason string) error
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
// message the server accepted is marked sent before the next one is
// sent, so
// a crash in between can send only that message again, and then with the
// same Message-ID, which lets receivers drop the copy. While it sends a batch,
// a heartbeat renews the batch's short lease, so that mail claimed by a
// worker that died is taken over by another within one Lease, and mail
// held by a live worker is never sent by another.
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
	// Lease is how long a claim lasts without a heartbeat before another
	// worker may take the message over; default DefaultLease. The
	// heartbeat renews it every Lease/3, a send may take at most Lease/2,
	// and none starts with less than that left of the lease.
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
		w.Lease = DefaultLease
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
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	// Recording results must not be cut short by a shutdown: a message
	// sent but not marked would be sent again.
	record := context.WithoutCancel(ctx)
	l := w.hold(record, batch[0].Claim)
	for i := range batch {
		if !w.wait(ctx) {
			w.release(record, batch[i:])
			break
		}
		if time.Until(l.until()) < w.Lease/2 {
			// The heartbeat failed for so long that a send might
			// outlast the lease; another worker will take the rest.
			w.Log.Warn("mail worker: lease running out; leaving the rest of the batch", "left", len(batch)-i)
			break
		}
		if s, ok := w.send(record, &batch[i]); ok {
			w.mark(record, s)
		}
	}
	l.stop()
	return len(batch), nil
}

// DefaultLease is how long a claim on mail lasts without a heartbeat: a
// worker that crashes leaves its mail unsent for at most this long. It
// is well above a send's time (at most half of it) and a heartbeat's
// round trip (every third of it).
const DefaultLease = 30 * time.Second

// lease is the heartbeat of one claimed batch.
type lease struct {
	held atomic.Int64 // until when the lease is known to hold, Unix ns
	done chan struct{}
	wg   sync.WaitGroup
}

// hold starts renewing the lease of claim every Lease/3 until stop.
func (w *Worker) hold(ctx context.Context, claim string) *lease {
	l := &lease{done: make(chan struct{})}
	l.held.Store(time.Now().Add(w.Lease).UnixNano())
	l.wg.Go(func() {
		tick := time.NewTicker(w.Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-l.done:
				return
			case <-tick.C:
			}
			until := time.Now().Add(w.Lease)
			if _, err := w.Queue.RenewMail(ctx, claim, until); err != nil {
				w.Log.Error("mail worker: renewing the lease", "err", err)
				continue
			}
			l.held.Store(until.UnixNano())
		}
	})
	return l
}

// until is when the lease runs out unless renewed again.
func (l *lease) until() time.Time { return time.Unix(0, l.held.Load()) }

// stop ends the heartbeat and waits for a renewal under way.
func (l *lease) stop() {
	close(l.done)
	l.wg.Wait()
}

// wait waits for the rate limit to allow one more message, and reports
// false if ctx ends first.
func (w *Worker) wait(ctx context.Context) bool {
	if w.Limit != nil && w.Limit.Wait(ctx) != nil {
		return false
	}
	return ctx.Err() == nil
}

// send sends one claimed message. It returns the record of a message the
// server accepted, to be marked sent, and records any other outcome.
func (w *Worker) send(ctx context.Context, q *Queued) (Sent, bool) {
	id := q.MessageID(w.From)
	sendCtx, cancel := context.WithTimeout(ctx, w.Lease/2)
	err := w.Sender.Send(sendCtx, q, id)
	cancel()
	var perm *PermanentError
	switch {
	case err == nil:
		w.Log.Debug("mail sent", "outbox", q.ID, "kind", q.Kind, "message_id", id, "attempt", q.Attempts)
		return Sent{ID: q.ID, Claim: q.Claim, MessageID: id, At: time.Now()}, true
	case errors.As(err, &perm) || q.Attempts >= w.MaxAttempts:
		w.Log.Warn("mail given up", "outbox", q.ID, "kind", q.Kind, "attempt", q.Attempts, "err", err)
		if err := w.Queue.FailMail(ctx, q.ID, q.Claim, err.Error()); err != nil {
			w.Log.Error("mail worker: recording a failure", "outbox", q.ID, "err", err)
		}
	default:
		due := time.Now().Add(Backoff(q.Attempts))
		w.Log.Warn("mail not sent; will retry", "outbox", q.ID, "kind", q.Kind, "attempt", q.Attempts, "retry_at", due, "err", err)
		if err := w.Queue.RetryMail(ctx, q.ID, q.Claim, due, err.Error()); err != nil {
			w.Log.Error("mail worker: scheduling a retry", "outbox", q.ID, "err", err)
		}
	}
	return Sent{}, false
}

// mark records that a message was sent, before the next is sent: a crash
// can then send at most the one in flight twice.
func (w *Worker) mark(ctx context.Context, sent Sent) {
	if err := w.Queue.MarkMailSent(ctx, sent); err != nil {
		w.Log.Error("mail sent but not recorded; it may be sent again", "outbox", sent.ID, "err", err)
	}
}

// release hands claimed messages back without sending them.
func (w *Worker) release(ctx context.Context, batch []Queued) {
	for _, q := range batch {
		if err := w.Queue.RetryMail(ctx, q.ID, q.Claim, time.Now(), "not sent before shutdown"); err != nil {
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
