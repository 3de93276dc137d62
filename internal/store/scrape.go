package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ScrapeStats are the figures /metrics reads from the database on each
// scrape. They describe the database, so every instance that shares it
// reports the same values.
type ScrapeStats struct {
	// Queued and Sending count the outbox rows not yet sent: waiting, and
	// claimed by a worker (whose lease may have run out).
	Queued, Sending int64
	// OldestUnsent is when the oldest of those rows was written; zero when
	// there is none.
	OldestUnsent time.Time
	// Bookings counts every booking ever made (bookings are never deleted:
	// a forgotten client keeps the visit under "deleted client"), and
	// Cancelled those of them called off, so both only grow.
	Bookings, Cancelled int64
}

// ScrapeStats reads the outbox's depth and age and the bookings' totals.
// The outbox queries use its partial index of unsent rows, so their cost
// follows the depth of the queue, not the record of sent mail; the
// bookings' totals read the whole table, which a clinic's visits keep
// small.
func (db *DB) ScrapeStats(ctx context.Context) (ScrapeStats, error) {
	var s ScrapeStats
	err := db.queryRow(ctx, `
		SELECT
			coalesce(sum(CASE WHEN state = 'queued' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN state = 'sending' THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE state IN ('queued', 'sending')`).Scan(&s.Queued, &s.Sending)
	if err != nil {
		return s, fmt.Errorf("store: outbox depth: %w", err)
	}
	// Ordered rather than min(created_at): an aggregate loses the column's
	// type on SQLite, which would then hand back text instead of a time.
	err = db.queryRow(ctx, `
		SELECT created_at FROM outbox WHERE state IN ('queued', 'sending')
		ORDER BY created_at LIMIT 1`).Scan(&s.OldestUnsent)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return s, fmt.Errorf("store: oldest unsent mail: %w", err)
	default:
		s.OldestUnsent = s.OldestUnsent.UTC()
	}
	err = db.queryRow(ctx, `
		SELECT count(*), coalesce(sum(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), 0)
		FROM bookings`).Scan(&s.Bookings, &s.Cancelled)
	if err != nil {
		return s, fmt.Errorf("store: bookings totals: %w", err)
	}
	return s, nil
}

// Pools returns the database's connection pools by name, for their
// statistics on /metrics: on SQLite "sqlite_read" and "sqlite_write" (one
// connection), on PostgreSQL the one pool "postgres".
func (db *DB) Pools() map[string]*sql.DB {
	if db.rdb == db.wdb {
		return map[string]*sql.DB{db.dialect: db.wdb}
	}
	return map[string]*sql.DB{db.dialect + "_read": db.rdb, db.dialect + "_write": db.wdb}
}
