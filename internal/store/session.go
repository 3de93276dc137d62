package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Staff sessions, kept for scs (github.com/alexedwards/scs/v2) by the
// hash of their token: the web layer hashes the cookie's token before it
// asks, so the table alone cannot be used to sign in.

// FindSession returns the data of the session whose token hashes to
// tokenHash, and false when there is none or it expired before now.
func (db *DB) FindSession(ctx context.Context, tokenHash []byte, now time.Time) ([]byte, bool, error) {
	var data []byte
	err := db.queryRow(ctx, `SELECT data FROM sessions WHERE token_hash = $1 AND expires_at > $2`,
		tokenHash, now.UTC()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: find session: %w", err)
	}
	return data, true, nil
}

// SaveSession stores data for the session whose token hashes to tokenHash
// until expiry, replacing what was there.
func (db *DB) SaveSession(ctx context.Context, tokenHash, data []byte, expiry time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO sessions (token_hash, data, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
			tokenHash, data, expiry.UTC().Truncate(time.Microsecond))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save session: %w", err)
	}
	return nil
}

// DeleteSession removes the session whose token hashes to tokenHash, if
// there is one.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now and
// reports how many there were.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now.UTC())
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return n, nil
}
