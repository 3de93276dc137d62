package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"unknot/internal/comments"
)

// AddFeedback records one "was this helpful?" answer about article.
func (db *DB) AddFeedback(ctx context.Context, article string, f comments.Feedback) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO feedback (article, helpful, note, created_at) VALUES ($1, $2, $3, $4)`,
			article, f.Helpful, f.Note, nowMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: add feedback: %w", err)
	}
	return nil
}

// FeedbackCount is what readers said about one article.
type FeedbackCount struct {
	Article  string
	Yes, No  int
	Comments int // answers with a note
}

// FeedbackCounts returns the answers per article, most answered first.
func (db *DB) FeedbackCounts(ctx context.Context) ([]FeedbackCount, error) {
	rows, err := db.query(ctx, `
		SELECT article,
		       SUM(CASE WHEN helpful THEN 1 ELSE 0 END),
		       SUM(CASE WHEN helpful THEN 0 ELSE 1 END),
		       SUM(CASE WHEN note <> '' THEN 1 ELSE 0 END)
		FROM feedback
		GROUP BY article
		ORDER BY COUNT(*) DESC, article`)
	if err != nil {
		return nil, fmt.Errorf("store: feedback counts: %w", err)
	}
	defer rows.Close()
	var out []FeedbackCount
	for rows.Next() {
		var c FeedbackCount
		if err := rows.Scan(&c.Article, &c.Yes, &c.No, &c.Comments); err != nil {
			return nil, fmt.Errorf("store: feedback counts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feedback counts: %w", err)
	}
	return out, nil
}

// FeedbackNote is one answer that came with a note.
type FeedbackNote struct {
	Article   string
	Helpful   bool
	Note      string
	CreatedAt time.Time
}

// FeedbackNotes returns the latest limit answers that came with a note,
// newest first.
func (db *DB) FeedbackNotes(ctx context.Context, limit int) ([]FeedbackNote, error) {
	rows, err := db.query(ctx, `
		SELECT article, helpful, note, created_at FROM feedback
		WHERE note <> ''
		ORDER BY id DESC
		LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: feedback notes: %w", err)
	}
	defer rows.Close()
	var out []FeedbackNote
	for rows.Next() {
		var n FeedbackNote
		if err := rows.Scan(&n.Article, &n.Helpful, &n.Note, &n.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: feedback notes: %w", err)
		}
		n.CreatedAt = n.CreatedAt.UTC()
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: feedback notes: %w", err)
	}
	return out, nil
}
