package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/store"
)

// RateLimits is the storage of rate limits that every instance on one
// database counts together (store.DB.AllowRate).
type RateLimits interface {
	AllowRate(ctx context.Context, bucket string, key []byte, now time.Time, interval time.Duration, burst int) (bool, error)
	SweepRates(ctx context.Context, now time.Time) (int64, error)
	RefundRate(ctx context.Context, bucket string, key []byte, interval time.Duration) error
	ResetRate(ctx context.Context, bucket string, key []byte) error
}

// sweepEvery is how often a server deletes the shared limits' rows whose
// time has passed. Each instance sweeps; a sweep of an instance that
// another just swept finds little to do.
const sweepEvery = time.Minute

// limits makes the server's rate limits: counted in this process, or, with
// Config.SharedLimits, in the database for every instance at once.
type limits struct {
	shared RateLimits
	key    []byte // keys are hashed with it before they reach the database
	log    *slog.Logger
	swept  atomic.Int64 // when the last sweep began, in Unix nanoseconds
}

// limit is one rate limit by key (a client address, an email address, a
// plan): burst actions at once, then one every 1/rate.
type limit struct {
	name     string
	of       *limits
	local    *limiter // nil when shared
	inf      bool     // rate.Inf: everything is allowed
	interval time.Duration
	burst    int
}

// new returns the limit called name; the name keeps its count apart from
// the other limits in the database.
func (f *limits) new(name string, r rate.Limit, burst int) *limit {
	if f.shared == nil {
		return &limit{name: name, of: f, local: newLimiter(r, burst)}
	}
	// The time between two actions, within what the store takes: a rate
	// too small to tell from none waits the longest interval.
	interval := store.MaxRateInterval
	if r > 0 {
		interval = min(max(time.Duration(float64(time.Second)/float64(r)), 1), store.MaxRateInterval)
	}
	return &limit{name: name, of: f, inf: r == rate.Inf, interval: interval, burst: burst}
}

// allow reports whether key may act now, and counts it when it may. When
// the database cannot answer, the action is allowed and the failure
// logged: a limit protects the site from floods, and refusing everyone
// while the database is away would help nobody; the write that follows
// meets the same database and fails on its own terms.
func (l *limit) allow(ctx context.Context, key string) bool {
	if l.local != nil {
		return l.local.allow(key)
	}
	if l.inf {
		return true
	}
	now := time.Now()
	l.of.sweep(ctx, now)
	ok, err := l.of.shared.AllowRate(ctx, l.name, l.of.hash(key), now, l.interval, l.burst)
	if err != nil {
		if ctx.Err() == nil {
			l.of.log.Warn("rate limit unavailable, allowing the request", "limit", l.name, "err", err)
		}
		return true
	}
	return ok
}

// sweep deletes the shared rows whose time has passed, at most once every
// sweepEvery per server, in the request that comes first after that.
func (f *limits) sweep(ctx context.Context, now time.Time) {
	last := f.swept.Load()
	if now.UnixNano()-last < int64(sweepEvery) || !f.swept.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	if _, err := f.shared.SweepRates(ctx, now); err != nil && ctx.Err() == nil {
		f.log.Warn("sweeping rate limits", "err", err)
	}
}

// hash is what key is kept under in the database: keyed, so that the
// table shows no address or email.
func (f *limits) hash(key string) []byte {
	m := hmac.New(sha256.New, f.key)
	m.Write([]byte(key))
	return m.Sum(nil)[:16]
}

// take counts an action of key as allow does, and returns with it a
// refund that gives the action back, for an action that turns out not to
// count (a sign-in that succeeded). Refunds are best effort, as allow is.
func (l *limit) take(ctx context.Context, key string) (refund func(), ok bool) {
	if l.local != nil {
		return l.local.take(key)
	}
	if !l.allow(ctx, key) {
		return nil, false
	}
	return func() {
		if l.inf {
			return
		}
		if err := l.of.shared.RefundRate(ctx, l.name, l.of.hash(key), l.interval); err != nil && ctx.Err() == nil {
			l.of.log.Warn("rate limit refund failed", "limit", l.name, "err", err)
		}
	}, true
}

// reset forgets what key has done.
func (l *limit) reset(ctx context.Context, key string) {
	if l.local != nil {
		l.local.reset(key)
		return
	}
	if err := l.of.shared.ResetRate(ctx, l.name, l.of.hash(key)); err != nil && ctx.Err() == nil {
		l.of.log.Warn("rate limit reset failed", "limit", l.name, "err", err)
	}
}

// take is allow with a refund: the action is reserved, and the refund
// cancels the reservation as of the time it was made
// (rate.Reservation.CancelAt), since a reservation whose time has passed
// cannot be cancelled any more.
func (l *limiter) take(key string) (refund func(), ok bool) {
	now := time.Now()
	l.mu.Lock()
	b := l.bucketAt(key, now)
	l.mu.Unlock()
	r := b.lim.ReserveN(now, 1)
	if !r.OK() || r.DelayFrom(now) > 0 {
		r.CancelAt(now)
		return nil, false
	}
	return func() { r.CancelAt(now) }, true
}

// reset forgets key's bucket.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}
