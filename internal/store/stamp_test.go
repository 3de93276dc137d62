package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"unknot/internal/comments"
	"unknot/internal/secret"
)

// TestFormStampsMakeOneComment: a stamp makes one comment, also through a
// second connection (another instance); expired stamps are forgotten.
func TestFormStampsMakeOneComment(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db, other := openTest(t, dsn), openTest(t, dsn)
		ctx := context.Background()
		withStamp := func(name, stamp string, expires time.Time) *NewComment {
			c := testComment("neck-knots", 0, name, comments.Pending)
			c.Stamp = &UsedStamp{Hash: secret.Hash(stamp), Expires: expires}
			return c
		}
		day := time.Now().Add(24 * time.Hour)
		if err := db.CreateComment(ctx, withStamp("Ana", "1700000000.a.sig", day), nil); err != nil {
			t.Fatal(err)
		}
		for _, d := range []*DB{db, other} {
			if err := d.CreateComment(ctx, withStamp("Ana again", "1700000000.a.sig", day), nil); !errors.Is(err, ErrStampUsed) {
				t.Errorf("the same stamp again: %v, want ErrStampUsed", err)
			}
		}
		if err := other.CreateComment(ctx, withStamp("Ben", "1700000000.b.sig", day), nil); err != nil {
			t.Errorf("another stamp: %v", err)
		}
		if pending, err := db.PendingComments(ctx, 10); err != nil || len(pending) != 2 {
			t.Fatalf("pending comments: %d, %v; want Ana's and Ben's", len(pending), err)
		}

		// A stamp past its expiry is deleted by the next comment's write.
		past := time.Now().Add(-time.Minute)
		if err := db.CreateComment(ctx, withStamp("Cy", "1600000000.c.sig", past), nil); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateComment(ctx, withStamp("Dee", "1700000000.d.sig", day), nil); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.queryRow(ctx, `SELECT count(*) FROM used_form_stamps WHERE stamp_hash = $1`, secret.Hash("1600000000.c.sig")).Scan(&n); err != nil || n != 0 {
			t.Errorf("expired stamp kept: %d, %v", n, err)
		}
		if err := db.CreateComment(ctx, &NewComment{Comment: comments.Comment{Article: "neck-knots", Name: "Eve", Body: "x", Status: comments.Pending},
			Stamp: &UsedStamp{Expires: day}}, nil); err == nil {
			t.Error("an empty stamp hash was stored")
		}
	})
}
