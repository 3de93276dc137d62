package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// writeQueue gathers writes that arrive at the same moment so that one
// transaction commits them all (group commit). On SQLite's single writer a
// transaction's fixed cost, not the statements in it, bounds how many writes
// a second go through; sharing the transaction lifts that bound. Every caller
// still returns only once its own write is committed.
type writeQueue struct {
	mu      sync.Mutex
	waiting []*queuedWrite
	busy    bool // a goroutine is writing batches
}

// queuedWrite is one write waiting for a transaction, and where its outcome
// goes.
type queuedWrite struct {
	fn   func(tx *sql.Tx) error
	done chan error
}

// maxWriteBatch bounds one transaction, so that no caller waits long.
const maxWriteBatch = 128

// writeGrouped runs fn in a transaction that it may share with other writes
// waiting at the same moment, and returns once that transaction is
// committed. When a shared transaction fails, each of its writes is run again
// in a transaction of its own, so that an error comes back only to the caller
// whose fn caused it: fn must therefore be safe to run twice, its first run
// rolled back. fn may still run after ctx is done; it must keep its results
// to memory its caller no longer reads after an error.
func (db *DB) writeGrouped(ctx context.Context, fn func(tx *sql.Tx) error) error {
	w := &queuedWrite{fn: fn, done: make(chan error, 1)}
	q := &db.queue
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	if !q.busy {
		q.busy = true
		go db.drainWrites()
	}
	q.mu.Unlock()
	select {
	case err := <-w.done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("store: waiting for the write: %w", ctx.Err())
	}
}

// drainWrites writes the waiting writes in batches until none is left.
func (db *DB) drainWrites() {
	q := &db.queue
	for {
		q.mu.Lock()
		n := min(len(q.waiting), maxWriteBatch)
		if n == 0 {
			q.busy = false
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
	ctx := context.Background()
	if len(batch) > 1 {
		err := db.write(ctx, func(tx *sql.Tx) error {
			for _, w := range batch {
				if err := w.fn(tx); err != nil {
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
		w.done <- db.write(ctx, w.fn)
	}
}
