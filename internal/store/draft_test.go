package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDrafts(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		mine, other := []byte("hash of my token"), []byte("hash of another")

		if _, err := db.Draft(ctx, mine, now); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Draft before saving: %v, want ErrNotFound", err)
		}
		if err := db.SaveDraft(ctx, mine, []byte(`{"age":["30"]}`), now, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		// Saving again replaces the answers and moves the expiry on.
		if err := db.SaveDraft(ctx, mine, []byte(`{"age":["31"]}`), now.Add(time.Hour), now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveDraft(ctx, other, []byte(`{"age":["70"]}`), now, now.Add(30*time.Minute)); err != nil {
			t.Fatal(err)
		}
		got, err := db.Draft(ctx, mine, now.Add(150*time.Minute))
		if err != nil || string(got) != `{"age":["31"]}` {
			t.Errorf("Draft after the second save = %s, %v; want the second answers, still valid", got, err)
		}
		// An expired draft is not returned, even before it is purged.
		if _, err := db.Draft(ctx, other, now.Add(30*time.Minute)); !errors.Is(err, ErrNotFound) {
			t.Errorf("Draft at its expiry: %v, want ErrNotFound", err)
		}
		// The next save purges it.
		if err := db.SaveDraft(ctx, mine, []byte(`{}`), now.Add(time.Hour), now.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM drafts WHERE token_hash = $1`, other).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Error("an expired draft was not purged by the next save")
		}

		if err := db.DeleteDraft(ctx, mine); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Draft(ctx, mine, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("Draft after DeleteDraft: %v, want ErrNotFound", err)
		}
		if err := db.DeleteDraft(ctx, mine); err != nil {
			t.Errorf("deleting a draft that is gone: %v", err)
		}
	})
}

func TestSaveDraftRefusesWhatMustNotBeStored(t *testing.T) {
	db := openTest(t, sqliteDSN(t))
	ctx := context.Background()
	now := time.Now()
	if err := db.SaveDraft(ctx, nil, []byte(`{}`), now, now.Add(time.Hour)); err == nil {
		t.Error("saved a draft without a token hash")
	}
	if err := db.SaveDraft(ctx, []byte("h"), []byte(`{"age":`), now, now.Add(time.Hour)); err == nil {
		t.Error("saved answers that are not JSON")
	}
}
