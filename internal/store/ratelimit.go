package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Rate limits that every instance on one database counts together: a
// generic cell rate algorithm (GCRA), which lets a key act burst times at
// once and then once every interval, as a token bucket does. Each row
// holds its key's theoretical arrival time (tat); a key may act now when
// its tat is no later than now + (burst-1)·interval, and acting moves the
// tat one interval past the later of itself and now. A row whose tat has
// passed means the same as no row, so the sweep may delete it at any time.

// MaxRateInterval is the longest interval AllowRate takes: about 36
// years, which keeps its arithmetic in nanoseconds far from overflowing.
const MaxRateInterval = time.Duration(1 << 60)

// rateQuery checks and counts one action in one atomic statement: a new
// key is inserted, a known one is moved on only when the WHERE allows it,
// and RETURNING gives a row only when the action was counted. The same
// SQL runs on both databases (CASE instead of GREATEST or two-argument
// max).
const rateQuery = `
	INSERT INTO rate_limits (bucket, key, tat) VALUES ($1, $2, $3)
	ON CONFLICT (bucket, key) DO UPDATE
		SET tat = CASE WHEN rate_limits.tat > $4 THEN rate_limits.tat + $5 ELSE $3 END
		WHERE rate_limits.tat <= $6
	RETURNING tat`

// AllowRate reports whether key may act now under the limit named bucket,
// which allows burst actions at once and then one every interval, and
// counts the action when it may. Every instance on the same database
// shares the count. An interval outside (0, MaxRateInterval], or a burst
// under one, is an error.
func (db *DB) AllowRate(ctx context.Context, bucket string, key []byte, now time.Time, interval time.Duration, burst int) (bool, error) {
	if interval <= 0 || interval > MaxRateInterval || burst < 1 {
		return false, fmt.Errorf("store: rate limit %s: interval %v or burst %d out of range", bucket, interval, burst)
	}
	t := now.UnixNano()
	step := int64(interval)
	// The latest tat that still leaves room for one more action, capped
	// so that a huge burst cannot overflow.
	room := t + step*int64(burst-1)
	if int64(burst-1) > (1<<62)/step {
		room = 1 << 62
	}
	var tat int64
	err := db.wdb.QueryRowContext(ctx, rateQuery, bucket, key, t+step, t, step, room).Scan(&tat)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("store: rate limit %s: %w", bucket, err)
	}
	return true, nil
}

// SweepRates deletes the rate-limit rows whose time has passed before
// now, which count for nothing any more, and reports how many there were.
func (db *DB) SweepRates(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.wdb.ExecContext(ctx, `DELETE FROM rate_limits WHERE tat < $1`, now.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("store: sweep rate limits: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: sweep rate limits: %w", err)
	}
	return n, nil
}

// RefundRate gives back to key one action counted by AllowRate under
// bucket with interval, as when an action turns out not to count (a
// sign-in that succeeded). A tat moved before now means no count at all.
func (db *DB) RefundRate(ctx context.Context, bucket string, key []byte, interval time.Duration) error {
	if interval <= 0 || interval > MaxRateInterval {
		return fmt.Errorf("store: refund rate %s: interval %v out of range", bucket, interval)
	}
	_, err := db.wdb.ExecContext(ctx, `UPDATE rate_limits SET tat = tat - $3 WHERE bucket = $1 AND key = $2`,
		bucket, key, int64(interval))
	if err != nil {
		return fmt.Errorf("store: refund rate %s: %w", bucket, err)
	}
	return nil
}

// ResetRate forgets what key has done under bucket.
func (db *DB) ResetRate(ctx context.Context, bucket string, key []byte) error {
	if _, err := db.wdb.ExecContext(ctx, `DELETE FROM rate_limits WHERE bucket = $1 AND key = $2`, bucket, key); err != nil {
		return fmt.Errorf("store: reset rate %s: %w", bucket, err)
	}
	return nil
}
