package store

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Writes that share a transaction succeed or fail one by one: a conflict in
// one of them fails only that one, and every other write is committed.
func TestGroupedWritesFailAlone(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		taken := newAssessment()
		if err := db.CreateAssessment(ctx, taken); err != nil {
			t.Fatal(err)
		}
		const n = 64
		var wg sync.WaitGroup
		errs := make([]error, n)
		saved := make([]*Assessment, n)
		for i := range n {
			saved[i] = newAssessment()
			if i%16 == 0 {
				saved[i].TokenHash = taken.TokenHash // a duplicate: must fail
			}
			wg.Go(func() { errs[i] = db.CreateAssessment(ctx, saved[i]) })
		}
		wg.Wait()
		for i, err := range errs {
			if i%16 == 0 {
				if !errors.Is(err, ErrConflict) {
					t.Errorf("write %d reused a token hash: err %v, want ErrConflict", i, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("write %d: %v", i, err)
				continue
			}
			got, err := db.AssessmentByToken(ctx, saved[i].TokenHash)
			if err != nil || got.ID != saved[i].ID {
				t.Errorf("write %d not committed: %v", i, err)
			}
		}
	})
}

// A caller that stops waiting learns what happened to its write: one still
// queued is withdrawn and never written (ctx's error), one already in a
// transaction is waited for and reported as it ended (here: saved, nil).
func TestGroupedWriteCallerGivesUp(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db, other := openTest(t, dsn), openTest(t, dsn)
		db.queue.writers = 1 // one transaction at a time, as on SQLite
		held := newAssessment()
		// Another handle holds a write transaction that has inserted held's
		// token hash: on SQLite db's writer cannot begin, on PostgreSQL its
		// insert of the same hash waits, until that transaction rolls back.
		started, release := make(chan struct{}), make(chan struct{})
		errRelease := errors.New("released")
		blockerDone := make(chan error, 1)
		go func() {
			blockerDone <- other.write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `
					INSERT INTO assessments (token_hash, answers, result, urgency, created_at)
					VALUES ($1, '{}', '{}', 'self_care', $2)`, held.TokenHash, time.Now().UTC()); err != nil {
					return err
				}
				close(started)
				<-release
				return errRelease
			})
		}()
		<-started

		inBatch, queued := held, newAssessment()
		ctxA, cancelA := context.WithCancel(ctx)
		errA := make(chan error, 1)
		go func() { errA <- db.CreateAssessment(ctxA, inBatch) }()
		waitQueue(db, 0) // taken into a transaction, which waits for the blocker
		ctxB, cancelB := context.WithCancel(ctx)
		errB := make(chan error, 1)
		go func() { errB <- db.CreateAssessment(ctxB, queued) }()
		waitQueue(db, 1) // waiting behind it

		cancelB()
		if err := <-errB; !errors.Is(err, context.Canceled) {
			t.Errorf("queued write given up: %v, want context.Canceled", err)
		}
		cancelA()
		close(release)
		if err := <-blockerDone; !errors.Is(err, errRelease) {
			t.Fatalf("blocking transaction: %v", err)
		}
		if err := <-errA; err != nil {
			t.Errorf("write in a transaction when its caller gave up: %v, want its outcome (nil)", err)
		}
		waitIdle(db)
		if got, err := db.AssessmentByToken(ctx, inBatch.TokenHash); err != nil || got.ID != inBatch.ID {
			t.Errorf("write reported saved is not: %v", err)
		}
		if _, err := db.AssessmentByToken(ctx, queued.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("write withdrawn was written: %v", err)
		}
	})
}

// waitQueue waits until n writes wait in db's queue and a batch is being
// written.
func waitQueue(db *DB, n int) {
	for {
		db.queue.mu.Lock()
		ok := len(db.queue.waiting) == n && db.queue.busy == 1
		db.queue.mu.Unlock()
		if ok {
			return
		}
		runtime.Gosched()
	}
}

// waitIdle waits until db's queue has no write left and nobody writing.
func waitIdle(db *DB) {
	for {
		db.queue.mu.Lock()
		ok := len(db.queue.waiting) == 0 && db.queue.busy == 0
		db.queue.mu.Unlock()
		if ok {
			return
		}
		runtime.Gosched()
	}
}
