package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Drafts are self-checks in progress, kept for people who answer without
// JavaScript: each step is posted and saved here for a short while, so that
// Back and reload lose nothing and no answer travels in a URL. A draft is
// found by the hash of its cookie's token, so the table alone opens nothing.

// SaveDraft stores answers (JSON) under tokenHash until expires, replacing
// what was there, and deletes the drafts that expired at or before now, so
// that abandoned ones do not pile up.
func (db *DB) SaveDraft(ctx context.Context, tokenHash, answers []byte, now, expires time.Time) error {
	switch {
	case len(tokenHash) == 0:
		return errors.New("store: save draft: empty token hash")
	case !json.Valid(answers):
		return errors.New("store: save draft: answers are not valid JSON")
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE expires_at <= $1`, now.UTC()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO drafts (token_hash, answers, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (token_hash) DO UPDATE SET answers = excluded.answers, expires_at = excluded.expires_at`,
			tokenHash, string(answers), expires.UTC().Truncate(time.Microsecond))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save draft: %w", err)
	}
	return nil
}

// Draft returns the answers saved under tokenHash, or ErrNotFound when there
// are none or they expired at or before now.
func (db *DB) Draft(ctx context.Context, tokenHash []byte, now time.Time) ([]byte, error) {
	var answers string
	err := db.queryRow(ctx, `SELECT answers FROM drafts WHERE token_hash = $1 AND expires_at > $2`,
		tokenHash, now.UTC()).Scan(&answers)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: draft: %w", err)
	}
	return []byte(answers), nil
}

// DeleteDraft removes the draft saved under tokenHash, if there is one.
func (db *DB) DeleteDraft(ctx context.Context, tokenHash []byte) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM drafts WHERE token_hash = $1`, tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete draft: %w", err)
	}
	return nil
}
