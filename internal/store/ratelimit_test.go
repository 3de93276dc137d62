package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A key may act burst times at once, then once per interval; other keys
// and other limits count apart.
func TestAllowRateBurstThenInterval(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		allow := func(bucket, key string, at time.Time) bool {
			t.Helper()
			ok, err := db.AllowRate(ctx, bucket, []byte(key), at, time.Minute, 3)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		for i := range 3 {
			if !allow("writes", "a", now) {
				t.Fatalf("action %d of a burst of 3 refused", i+1)
			}
		}
		if allow("writes", "a", now) {
			t.Fatal("a fourth action at once was allowed")
		}
		if !allow("writes", "b", now) || !allow("signups", "a", now) {
			t.Fatal("another key or another limit shares a's count")
		}
		if allow("writes", "a", now.Add(time.Minute-time.Nanosecond)) {
			t.Fatal("allowed before an interval had passed")
		}
		if !allow("writes", "a", now.Add(time.Minute)) {
			t.Fatal("refused once an interval had passed")
		}
		if allow("writes", "a", now.Add(time.Minute)) {
			t.Fatal("one interval gave back more than one action")
		}
		// A long pause refills the whole burst, and no more.
		later := now.Add(time.Hour)
		for i := range 3 {
			if !allow("writes", "a", later) {
				t.Fatalf("after a pause, action %d of 3 refused", i+1)
			}
		}
		if allow("writes", "a", later) {
			t.Fatal("a pause gave more than the burst")
		}
	})
}

// Two handles on one database, as two instances of unknot serve would
// have, share one count, also when they ask at the same time.
func TestAllowRateSharedAcrossHandles(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		first := openTest(t, dsn)
		second := openTest(t, dsn)
		ctx := context.Background()
		now := time.Now()
		const burst = 10
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for i := range 40 {
			db := first
			if i%2 == 1 {
				db = second
			}
			wg.Go(func() {
				ok, err := db.AllowRate(ctx, "signups", []byte("203.0.113.7"), now, time.Hour, burst)
				if err != nil {
					t.Error(err)
				}
				if ok {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if got := allowed.Load(); got != burst {
			t.Errorf("%d of 40 actions allowed across two handles, want the burst of %d", got, burst)
		}
	})
}

// The sweep deletes only rows whose time has passed, and a swept key
// starts again with its whole burst.
func TestSweepRates(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		for _, key := range []string{"old", "new"} {
			at := now
			if key == "new" {
				at = now.Add(time.Hour)
			}
			if _, err := db.AllowRate(ctx, "writes", []byte(key), at, time.Minute, 2); err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.SweepRates(ctx, now.Add(30*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("swept %d rows, want the 1 whose time had passed", n)
		}
		var left int
		if err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM rate_limits`).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 1 {
			t.Errorf("%d rows left, want 1", left)
		}
	})
}

func TestAllowRateRefusesBadLimits(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		for _, tt := range []struct {
			interval time.Duration
			burst    int
		}{{0, 1}, {-time.Second, 1}, {time.Second, 0}, {MaxRateInterval + 1, 1}} {
			if _, err := db.AllowRate(context.Background(), "writes", []byte("k"), time.Now(), tt.interval, tt.burst); err == nil {
				t.Errorf("interval %v, burst %d: no error", tt.interval, tt.burst)
			}
		}
		// The largest interval and burst do not overflow: the burst is
		// allowed, and then nothing.
		now := time.Now()
		for i := range 2 {
			ok, err := db.AllowRate(context.Background(), "huge", []byte("k"), now, MaxRateInterval, 1<<40)
			if err != nil || !ok {
				t.Fatalf("action %d under the largest limit: %v, %v", i, ok, err)
			}
		}
	})
}

// BenchmarkAllowRate is one check of a shared limit, from parallel
// callers over 1,000 keys, on each database.
func BenchmarkAllowRate(b *testing.B) {
	for _, dialect := range []string{SQLite, Postgres} {
		b.Run(dialect, func(b *testing.B) {
			dsn := sqliteDSN(b)
			if dialect == Postgres {
				dsn = postgresDSN(b)
			}
			db := openTest(b, dsn)
			var n atomic.Int64
			b.SetParallelism(4)
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					key := []byte{byte(n.Add(1) % 1000), 7}
					if _, err := db.AllowRate(context.Background(), "writes", key, time.Now(), time.Microsecond, 1e6); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// A refund gives back one action, a reset all of them, to one key only.
func TestRefundAndResetRate(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		allow := func(key string) bool {
			t.Helper()
			ok, err := db.AllowRate(ctx, "logins", []byte(key), now, time.Minute, 2)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !allow("a") || !allow("a") || allow("a") || !allow("b") || !allow("b") {
			t.Fatal("the burst of 2 is not as expected")
		}
		if err := db.RefundRate(ctx, "logins", []byte("a"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if !allow("a") {
			t.Error("a refunded action was not given back")
		}
		if allow("a") || allow("b") {
			t.Error("a refund gave back more than one action, or to another key")
		}
		if err := db.ResetRate(ctx, "logins", []byte("a")); err != nil {
			t.Fatal(err)
		}
		if !allow("a") || !allow("a") || allow("b") {
			t.Error("a reset did not give back the whole burst to that key alone")
		}
		if err := db.RefundRate(ctx, "logins", []byte("a"), 0); err == nil {
			t.Error("a zero interval was accepted")
		}
	})
}
