package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// newAssessment returns an unsaved assessment with a fresh token hash.
func newAssessment() *Assessment {
	hash := make([]byte, 32)
	rand.Read(hash)
	return &Assessment{
		TokenHash: hash,
		// Odd spacing and key order on purpose: they must come back as given.
		Answers: json.RawMessage(`{"areas": ["neck_left","upper_back"], "pain":6, "duration":"days", "note":"ça tire — 痛い"}`),
		Result:  json.RawMessage(`{"urgency":"self_care","pattern":"contracted","heat_or_cold":"heat","why":[{"rule":"R1"}]}`),
		Urgency: "self_care",
	}
}

// savedAssessment saves a new assessment in db and returns it.
func savedAssessment(t testing.TB, db *DB) *Assessment {
	t.Helper()
	a := newAssessment()
	if err := db.CreateAssessment(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAssessmentRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := newAssessment()
		before := time.Now()
		if err := db.CreateAssessment(ctx, a); err != nil {
			t.Fatalf("CreateAssessment: %v", err)
		}
		if a.ID == 0 {
			t.Error("ID not set")
		}
		if a.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt location = %v, want UTC", a.CreatedAt.Location())
		}
		if a.CreatedAt.Before(before.Add(-time.Second)) || a.CreatedAt.After(time.Now().Add(time.Second)) {
			t.Errorf("CreatedAt = %v, want about now", a.CreatedAt)
		}

		got, err := db.AssessmentByToken(ctx, a.TokenHash)
		if err != nil {
			t.Fatalf("AssessmentByToken: %v", err)
		}
		if got.ID != a.ID ||
			!bytes.Equal(got.TokenHash, a.TokenHash) ||
			!bytes.Equal(got.Answers, a.Answers) ||
			!bytes.Equal(got.Result, a.Result) ||
			got.Urgency != a.Urgency ||
			!got.CreatedAt.Equal(a.CreatedAt) ||
			got.CreatedAt.Location() != time.UTC {
			t.Errorf("read back\n%+v\nwant\n%+v", got, a)
		}

		b := newAssessment()
		if err := db.CreateAssessment(ctx, b); err != nil {
			t.Fatal(err)
		}
		if b.ID == a.ID {
			t.Errorf("second assessment has the same ID %d", b.ID)
		}
	})
}

func TestAssessmentNotFound(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		_, err := db.AssessmentByToken(context.Background(), newAssessment().TokenHash)
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("AssessmentByToken(unknown) error = %v, want ErrNotFound", err)
		}
	})
}

func TestDeleteAssessment(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a, keep := newAssessment(), newAssessment()
		for _, x := range []*Assessment{a, keep} {
			if err := db.CreateAssessment(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.DeleteAssessment(ctx, a.TokenHash); err != nil {
			t.Fatalf("DeleteAssessment: %v", err)
		}
		if _, err := db.AssessmentByToken(ctx, a.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: error = %v, want ErrNotFound", err)
		}
		if err := db.DeleteAssessment(ctx, a.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("second delete: error = %v, want ErrNotFound", err)
		}
		if _, err := db.AssessmentByToken(ctx, keep.TokenHash); err != nil {
			t.Errorf("other assessment after delete: %v", err)
		}
	})
}

func TestAssessmentTokenConflict(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		dup := newAssessment()
		dup.TokenHash = a.TokenHash
		dup.Urgency = "urgent"
		err := db.CreateAssessment(ctx, dup)
		if !errors.Is(err, ErrConflict) {
			t.Fatalf("duplicate token hash: error = %v, want ErrConflict", err)
		}
		got, err := db.AssessmentByToken(ctx, a.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Urgency != a.Urgency {
			t.Errorf("first assessment changed by the conflicting one: %+v", got)
		}
		// The writer is usable after the failed transaction.
		if err := db.CreateAssessment(ctx, newAssessment()); err != nil {
			t.Errorf("create after conflict: %v", err)
		}
	})
}

// An assessment without a token hash, answers or result is refused. Its
// JSON is the caller's to encode and is not parsed again (CreateAssessment).
func TestCreateAssessmentInvalid(t *testing.T) {
	db := openTest(t, sqliteDSN(t))
	for name, change := range map[string]func(*Assessment){
		"no token hash": func(a *Assessment) { a.TokenHash = nil },
		"no answers":    func(a *Assessment) { a.Answers = nil },
		"no result":     func(a *Assessment) { a.Result = json.RawMessage{} },
	} {
		a := newAssessment()
		change(a)
		if err := db.CreateAssessment(context.Background(), a); err == nil {
			t.Errorf("%s: CreateAssessment succeeded, want error", name)
		}
	}
}

// Many writers at once, each reading before it writes (the pattern that
// fails with SQLITE_BUSY under deferred transactions), through two handles
// on the same database as two processes would: none may fail. Readers run
// alongside.
func TestConcurrentWriters(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		dbs := []*DB{openTest(t, dsn), openTest(t, dsn)}
		const writers, writes = 8, 100

		var (
			wg   sync.WaitGroup
			mu   sync.Mutex
			errs []error
		)
		fail := func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
		stop := make(chan struct{})
		var readers sync.WaitGroup
		for i := range 4 {
			readers.Go(func() {
				db := dbs[i%len(dbs)]
				for {
					select {
					case <-stop:
						return
					default:
					}
					var n int
					if err := db.queryRow(ctx, `SELECT count(*) FROM assessments`).Scan(&n); err != nil {
						fail(fmt.Errorf("reader: %w", err))
						return
					}
				}
			})
		}
		for i := range writers {
			wg.Go(func() {
				db := dbs[i%len(dbs)]
				for j := range writes {
					a := newAssessment()
					var err error
					if j%2 == 0 {
						err = db.CreateAssessment(ctx, a)
					} else {
						st, perr := db.stmts(ctx, insertAssessmentSQL)
						if perr != nil {
							fail(perr)
							return
						}
						err = db.write(ctx, func(tx *sql.Tx) error {
							var n int
							if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM assessments`).Scan(&n); err != nil {
								return err
							}
							return insertAssessment(ctx, tx.StmtContext(ctx, st[0]), a)
						})
					}
					if err != nil {
						fail(fmt.Errorf("writer %d, write %d: %w", i, j, err))
					}
				}
			})
		}
		wg.Wait()
		close(stop)
		readers.Wait()

		for i, err := range errs {
			if i == 5 {
				t.Errorf("… and %d more errors", len(errs)-i)
				break
			}
			t.Error(err)
		}
		var n int
		if err := dbs[0].queryRow(ctx, `SELECT count(*) FROM assessments`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != writers*writes {
			t.Errorf("%d rows saved, want %d", n, writers*writes)
		}
		// Every ID is distinct.
		rows, err := dbs[1].query(ctx, `SELECT count(DISTINCT id) FROM assessments`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if n != writers*writes {
			t.Errorf("%d distinct IDs, want %d", n, writers*writes)
		}
	})
}
