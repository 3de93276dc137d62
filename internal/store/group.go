package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// writeQueue gathers writes that arrive at the same moment so that one
// transaction commits them all (group commit). On SQLite's single writer a
// transaction's fixed cost, not the statements in it, bounds how many writes
// a second go through; sharing the transaction lifts that bound. Every caller
// still returns only once its own write is committed.
//
// On SQLite one goroutine writes the batches, as there is one writer. On
// PostgreSQL, where transactions run side by side, up to pgWriters do, each
// on a connection of its own: one alone would leave the pool idle while it
// waits for the server's round trips.
type writeQueue struct {
	mu      sync.Mutex
	waiting []*queuedWrite
	busy    int // goroutines writing batches
	writers int // at most this many: 1 on SQLite, pgWriters on PostgreSQL
}

// queuedWrite is one write waiting for a transaction, and where its outcome
// goes.
type queuedWrite struct {
	ctx  context.Context // the caller's, for its deadline
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// maxWriteBatch bounds one transaction, so that no caller waits long.
const maxWriteBatch = 128

// writeGrouped runs fn in a transaction that it may share with other writes
// waiting at the same moment, and returns once that transaction is
// committed. When a shared transaction fails, each of its writes is run again
// in a transaction of its own, so that an error comes back only to the caller
// whose fn caused it: fn must therefore be safe to run twice, its first run
// rolled back.
//
// fn runs its statements under the ctx it is given: the batch's, which
// lasts until the latest deadline of the writes in it (never the context
// of one caller, whose giving up must not roll the others back), so a
// database that stops answering ends the batch instead of holding it.
//
// When ctx ends first, a write still waiting is withdrawn and never runs,
// and writeGrouped returns ctx's error; a write already in a transaction is
// waited for (one batch at most) and its own outcome returned. So an error
// always means "not written", and a caller whose client went away logs what
// really happened.
func (db *DB) writeGrouped(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	w := &queuedWrite{ctx: ctx, fn: fn, done: make(chan error, 1)}
	q := &db.queue
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	if q.busy < max(q.writers, 1) {
		q.busy++
		go db.drainWrites()
	}
	q.mu.Unlock()
	select {
	case err := <-w.done:
		return err
	case <-ctx.Done():
	}
	q.mu.Lock()
	i := slices.Index(q.waiting, w)
	if i >= 0 {
		q.waiting = slices.Delete(q.waiting, i, i+1)
	}
	q.mu.Unlock()
	if i >= 0 {
		return fmt.Errorf("store: waiting for the write: %w", ctx.Err())
	}
	return <-w.done
}

// drainWrites writes the waiting writes in batches until none is left.
func (db *DB) drainWrites() {
	q := &db.queue
	for {
		// Let the goroutines that are ready to run queue their writes
		// before a batch is taken: with the Go scheduler on few cores, the
		// writer would otherwise run as soon as the first write blocked and
		// nearly every batch held one write (1.03 on average under load
		// with GOMAXPROCS=1; 5.6 with this yield).
		runtime.Gosched()
		q.mu.Lock()
		n := min(len(q.waiting), maxWriteBatch)
		if n == 0 {
			q.busy--
			q.waiting = nil
			q.mu.Unlock()
			return
		}
		batch := q.waiting[:n:n]
		q.waiting = q.waiting[n:]
		q.mu.Unlock()
		db.writeBatch(batch)
	}
}

// writeBatch runs batch in one transaction and tells each writer its
// outcome. If the shared transaction fails, each write is run again alone.
func (db *DB) writeBatch(batch []*queuedWrite) {
	if len(batch) > 1 {
		ctx, cancel := batchContext(batch)
		defer cancel()
		err := db.write(ctx, func(tx *sql.Tx) error {
			for _, w := range batch {
				if err := w.fn(ctx, tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for _, w := range batch {
				w.done <- nil
			}
			return
		}
	}
	for _, w := range batch {
		ctx, cancel := batchContext([]*queuedWrite{w})
		w.done <- db.write(ctx, func(tx *sql.Tx) error { return w.fn(ctx, tx) })
		cancel()
	}
}

// batchContext is the context of a shared transaction: it ends at the
// latest deadline among the batch's writers, or never if one of them has
// none, and not when one writer gives up.
func batchContext(batch []*queuedWrite) (context.Context, context.CancelFunc) {
	var latest time.Time
	for _, w := range batch {
		d, ok := w.ctx.Deadline()
		if !ok {
			return context.WithCancel(context.Background())
		}
		if d.After(latest) {
			latest = d
		}
	}
	return context.WithDeadline(context.Background(), latest)
}
