package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// rateStore is a RateLimits that answers as told and records what it was
// asked.
type rateStore struct {
	allow  bool
	err    error
	keys   [][]byte
	sweeps int
}

func (s *rateStore) AllowRate(_ context.Context, _ string, key []byte, _ time.Time, _ time.Duration, _ int) (bool, error) {
	s.keys = append(s.keys, key)
	return s.allow, s.err
}

func (s *rateStore) RefundRate(_ context.Context, _ string, key []byte, _ time.Duration) error {
	s.keys = append(s.keys, key)
	return s.err
}

func (s *rateStore) ResetRate(_ context.Context, _ string, key []byte) error {
	s.keys = append(s.keys, key)
	return s.err
}

func (s *rateStore) SweepRates(context.Context, time.Time) (int64, error) {
	s.sweeps++
	return 0, nil
}

// A shared limit asks the database with a keyed hash, never the key
// itself; lets requests through, logged, when the database fails; sweeps
// at most once a minute; and asks nothing for an infinite rate.
func TestSharedLimit(t *testing.T) {
	st := &rateStore{allow: false}
	var logged bytes.Buffer
	f := &limits{shared: st, key: deriveKey(testSecretKey, keyRateLimits), log: slog.New(slog.NewTextHandler(&logged, nil))}
	l := f.new("writes", 1, 5)
	ctx := context.Background()
	if l.allow(ctx, "198.51.100.7") {
		t.Error("allowed what the database refused")
	}
	if len(st.keys) != 1 || len(st.keys[0]) != 16 || bytes.Contains(st.keys[0], []byte("198.51.100.7")) {
		t.Errorf("key sent to the database: %q, want a 16-byte hash", st.keys)
	}
	l.allow(ctx, "198.51.100.7")
	if !bytes.Equal(st.keys[0], st.keys[1]) {
		t.Error("the same key hashed differently twice")
	}
	if st.sweeps != 1 {
		t.Errorf("%d sweeps in two checks within a minute, want 1", st.sweeps)
	}

	st.err = errors.New("connection refused")
	if !l.allow(ctx, "198.51.100.7") || !strings.Contains(logged.String(), "rate limit unavailable") {
		t.Errorf("database failing: want the request allowed and logged; log %q", logged.String())
	}
	if strings.Contains(logged.String(), "198.51.100.7") {
		t.Error("the log names the client")
	}

	asked := len(st.keys)
	if !f.new("unlimited", rate.Inf, 1).allow(ctx, "x") || len(st.keys) != asked {
		t.Error("an infinite rate asked the database")
	}
}

// A slow limit holds however long a client pauses: the sweep that keeps
// the map small drops only buckets that have filled up again, which are
// the same as new ones.
func TestLimiterSweepKeepsSlowLimits(t *testing.T) {
	l := newLimiter(rate.Every(20*time.Minute), 3)
	t0 := time.Now()
	for i := range 3 {
		if !l.bucketAt("a", t0).lim.AllowN(t0, 1) {
			t.Fatalf("try %d of the burst refused", i+1)
		}
	}
	later := t0.Add(11 * time.Minute) // a sweep runs; no token is back yet
	if l.bucketAt("a", later).lim.AllowN(later, 1) {
		t.Error("the used-up limit started over after an 11-minute pause")
	}
	full := t0.Add(61 * time.Minute) // all three tokens are back
	l.bucketAt("b", full)
	if _, kept := l.buckets["a"]; kept {
		t.Error("a bucket that filled up again was kept")
	}
}
