package store

import (
	"context"
	"errors"
	"sync"
	"testing"
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
