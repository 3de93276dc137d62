package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ErrStampUsed is returned when a comment comes with a form stamp that has
// already made one: the same post sent again, by a reload or a robot.
var ErrStampUsed = errors.New("store: the form's stamp has been used")

// UsedStamp is the signed stamp of the form a comment was sent with: the
// SHA-256 of the stamp and when it would stop being good anyway.
type UsedStamp struct {
	Hash    []byte
	Expires time.Time
}

// useStamp records s as used, in tx, or returns ErrStampUsed when it was
// before. Stamps that expired at or before now are deleted first, so that
// the table holds only stamps that could still be sent.
func useStamp(ctx context.Context, tx *sql.Tx, s *UsedStamp, now time.Time) error {
	if len(s.Hash) == 0 {
		return errors.New("empty stamp hash")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM used_form_stamps WHERE expires_at <= $1`, now.UTC()); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO used_form_stamps (stamp_hash, expires_at) VALUES ($1, $2)
		ON CONFLICT (stamp_hash) DO NOTHING`, s.Hash, s.Expires.UTC().Truncate(time.Microsecond))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrStampUsed
	}
	return nil
}
