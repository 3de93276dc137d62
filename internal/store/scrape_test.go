package store

import (
	"context"
	"testing"
	"time"

	"unknot/internal/mail"
)

// ScrapeStats counts unsent mail by state, dates the oldest unsent one
// (not the oldest row, which was sent), and totals bookings made and
// cancelled.
func TestScrapeStats(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if s, err := db.ScrapeStats(ctx); err != nil || s != (ScrapeStats{}) {
			t.Fatalf("empty database: %+v, %v", s, err)
		}

		for i := range 4 {
			if err := db.EnqueueMail(ctx, testMail(i)); err != nil {
				t.Fatal(err)
			}
		}
		sent, err := db.ClaimMail(ctx, time.Now(), time.Minute, 1)
		if err != nil || len(sent) != 1 {
			t.Fatalf("claim = %v, %v", sent, err)
		}
		if err := db.MarkMailSent(ctx, mail.Sent{ID: sent[0].ID, Claim: sent[0].Claim, MessageID: "<a@x>", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClaimMail(ctx, time.Now(), time.Minute, 1); err != nil {
			t.Fatal(err)
		}
		second, err := db.MailTo(ctx, "p1@example.com")
		if err != nil || len(second) != 1 {
			t.Fatalf("MailTo = %v, %v", second, err)
		}

		importTestClinic(t, db)
		kept := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		cancelled := newBooking(t, "ben", "trigger-60", "2027-03-29T10:00:00+02:00")
		book(t, db, kept)
		book(t, db, cancelled)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: cancelled.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}

		got, err := db.ScrapeStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := ScrapeStats{Queued: 2, Sending: 1, OldestUnsent: second[0].CreatedAt, Bookings: 2, Cancelled: 1}
		if got != want {
			t.Errorf("ScrapeStats = %+v\nwant %+v", got, want)
		}
	})
}

// Pools names each connection pool once: two on SQLite, one shared pool
// on PostgreSQL.
func TestPools(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		pools := db.Pools()
		want := []string{"sqlite_read", "sqlite_write"}
		if db.Dialect() == Postgres {
			want = []string{"postgres"}
		}
		if len(pools) != len(want) {
			t.Fatalf("pools = %v, want %v", pools, want)
		}
		for _, name := range want {
			if pools[name] == nil {
				t.Errorf("no pool %q in %v", name, pools)
			}
		}
	})
}
