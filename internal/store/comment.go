package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"time"

	"unknot/internal/comments"
	"unknot/internal/mail"
	"unknot/internal/secret"
)

// NewComment is a comment to save and what comes with it.
type NewComment struct {
	comments.Comment       // ID and CreatedAt are set by CreateComment
	UserID           int64 // the staff author; 0 for a visitor
	// Notify, when set, asks for an email when someone replies. The
	// address is not used until its owner follows the confirmation link.
	Notify *NotifyRequest
	// Stamp, when set, is the visitor's form stamp: each makes one
	// comment, and CreateComment returns ErrStampUsed for the second.
	Stamp *UsedStamp
}

// NotifyRequest is a commenter's wish to hear about replies.
type NotifyRequest struct {
	Email   string
	Expires time.Time // when the confirmation link stops working
	// Mail makes the confirmation email around the token of its link.
	Mail func(token string) (*mail.Message, error)
}

// ReplyNotice is what the author of a comment is told when a reply to it
// is published: To is their confirmed address and UnsubscribeToken the
// token of the link that stops these emails.
type ReplyNotice struct {
	To               string
	Parent, Reply    comments.Comment
	UnsubscribeToken string
}

// ReplyMail makes the email for a ReplyNotice.
type ReplyMail func(ReplyNotice) (*mail.Message, error)

// Token purposes in comment_tokens.
const (
	tokenConfirm     = "confirm"
	tokenUnsubscribe = "unsubscribe"
)

// CreateComment saves c, setting its ID and CreatedAt. In the same
// transaction it stores c.Notify's address with a confirmation token and
// queues the confirmation email, and, when c is a published reply, queues
// replyMail's email to the parent's author if they asked for one, and
// records c.Stamp as used. A parent that does not exist or is under another
// article is ErrNotFound; a stamp used before is ErrStampUsed, and nothing
// is saved.
func (db *DB) CreateComment(ctx context.Context, c *NewComment, replyMail ReplyMail) error {
	c.CreatedAt = nowMicro()
	err := db.write(ctx, func(tx *sql.Tx) error {
		if c.Stamp != nil {
			if err := useStamp(ctx, tx, c.Stamp, c.CreatedAt); err != nil {
				return err
			}
		}
		var parent sql.NullInt64
		if c.ParentID != 0 {
			var article string
			err := tx.QueryRowContext(ctx, `SELECT article FROM comments WHERE id = $1`, c.ParentID).Scan(&article)
			if errors.Is(err, sql.ErrNoRows) || err == nil && article != c.Article {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			parent = sql.NullInt64{Int64: c.ParentID, Valid: true}
		}
		var (
			user  = sql.NullInt64{Int64: c.UserID, Valid: c.UserID != 0}
			email sql.NullString
		)
		if c.Notify != nil {
			email = sql.NullString{String: c.Notify.Email, Valid: true}
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO comments (article, parent_id, name, body, body_html, role, user_id, status, notify_email, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			RETURNING id`,
			c.Article, parent, c.Name, c.Body, string(c.HTML), c.Role, user, string(c.Status), email, c.CreatedAt,
		).Scan(&c.ID)
		if err != nil {
			return err
		}
		if c.Notify != nil {
			token, err := insertCommentToken(ctx, tx, c.ID, tokenConfirm, c.Notify.Expires)
			if err != nil {
				return err
			}
			m, err := c.Notify.Mail(token)
			if err != nil {
				return err
			}
			if err := enqueueMail(ctx, tx, m, c.CreatedAt); err != nil {
				return err
			}
		}
		if c.Status == comments.Approved && c.ParentID != 0 {
			return notifyReply(ctx, tx, c.Comment, replyMail)
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("store: create comment: parent %d: %w", c.ParentID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("store: create comment: %w", err)
	}
	return nil
}

// insertCommentToken stores the hash of a new token for comment id and
// returns the token. A zero expires never expires.
func insertCommentToken(ctx context.Context, tx *sql.Tx, id int64, purpose string, expires time.Time) (string, error) {
	token, hash := secret.NewToken()
	var exp sql.NullTime
	if !expires.IsZero() {
		exp = sql.NullTime{Time: expires.UTC().Truncate(time.Microsecond), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO comment_tokens (token_hash, comment_id, purpose, expires_at) VALUES ($1, $2, $3, $4)`,
		hash, id, purpose, exp)
	return token, err
}

// notifyReply queues replyMail's email to the author of reply's parent when
// they confirmed that they want one, with a fresh unsubscribe link.
func notifyReply(ctx context.Context, tx *sql.Tx, reply comments.Comment, replyMail ReplyMail) error {
	if replyMail == nil {
		return nil
	}
	var (
		parent comments.Comment
		email  sql.NullString
	)
	err := scanComment(tx.QueryRowContext(ctx, `SELECT `+commentColumns+`, notify_email FROM comments
		WHERE id = $1 AND notify_confirmed`, reply.ParentID), &parent, &email)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !email.Valid {
		return nil
	}
	if err != nil {
		return err
	}
	token, err := insertCommentToken(ctx, tx, parent.ID, tokenUnsubscribe, time.Time{})
	if err != nil {
		return err
	}
	m, err := replyMail(ReplyNotice{To: email.String, Parent: parent, Reply: reply, UnsubscribeToken: token})
	if err != nil {
		return err
	}
	return enqueueMail(ctx, tx, m, nowMicro())
}

const commentColumns = `id, article, parent_id, name, body, body_html, role, status, created_at`

type scanner interface{ Scan(dest ...any) error }

// scanComment reads commentColumns, then extra, into c.
func scanComment(row scanner, c *comments.Comment, extra ...any) error {
	var (
		parent     sql.NullInt64
		html, stat string
	)
	err := row.Scan(append([]any{&c.ID, &c.Article, &parent, &c.Name, &c.Body, &html, &c.Role, &stat, &c.CreatedAt}, extra...)...)
	c.ParentID, c.HTML, c.Status, c.CreatedAt = parent.Int64, template.HTML(html), comments.Status(stat), c.CreatedAt.UTC()
	return err
}

// ApprovedComments returns the published comments under article, oldest
// first.
func (db *DB) ApprovedComments(ctx context.Context, article string) ([]comments.Comment, error) {
	return db.comments(ctx, `WHERE article = $1 AND status = 'approved' ORDER BY id`, article)
}

// PendingComments returns up to limit comments waiting for a moderator,
// oldest first.
func (db *DB) PendingComments(ctx context.Context, limit int) ([]comments.Comment, error) {
	return db.comments(ctx, `WHERE status = 'pending' ORDER BY id LIMIT $1`, limit)
}

// RecentComments returns the latest limit published comments by visitors,
// newest first, for staff to answer.
func (db *DB) RecentComments(ctx context.Context, limit int) ([]comments.Comment, error) {
	return db.comments(ctx, `WHERE status = 'approved' AND role = '' ORDER BY id DESC LIMIT $1`, limit)
}

func (db *DB) comments(ctx context.Context, where string, args ...any) ([]comments.Comment, error) {
	rows, err := db.query(ctx, `SELECT `+commentColumns+` FROM comments `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	var out []comments.Comment
	for rows.Next() {
		var c comments.Comment
		if err := scanComment(rows, &c); err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	return out, nil
}

// CommentByID returns comment id, or ErrNotFound.
func (db *DB) CommentByID(ctx context.Context, id int64) (*comments.Comment, error) {
	var c comments.Comment
	err := scanComment(db.queryRow(ctx, `SELECT `+commentColumns+` FROM comments WHERE id = $1`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: comment %d: %w", id, err)
	}
	return &c, nil
}

// ApproveComment publishes comment id. When it is a reply, the parent's
// author hears of it through replyMail, in the same transaction, if they
// asked to; approving a published comment again sends nothing.
func (db *DB) ApproveComment(ctx context.Context, id int64, replyMail ReplyMail) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var c comments.Comment
		err := scanComment(tx.QueryRowContext(ctx, `UPDATE comments SET status = 'approved'
			WHERE id = $1 AND status = 'pending' RETURNING `+commentColumns, id), &c)
		if errors.Is(err, sql.ErrNoRows) {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM comments WHERE id = $1`, id).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err // nil: already published
		}
		if err != nil || c.ParentID == 0 {
			return err
		}
		return notifyReply(ctx, tx, c, replyMail)
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: approve comment %d: %w", id, err)
	}
	return nil
}

// DeleteComment deletes comment id with its replies and tokens, or
// returns ErrNotFound.
func (db *DB) DeleteComment(ctx context.Context, id int64) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		return affectOne(tx.ExecContext(ctx, `DELETE FROM comments WHERE id = $1`, id))
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: delete comment %d: %w", id, err)
	}
	return nil
}

// ConfirmCommentNotify turns on reply emails for the comment whose
// confirmation token hashes to tokenHash, if the token has not expired by
// now, and returns the comment. Confirming twice is harmless.
func (db *DB) ConfirmCommentNotify(ctx context.Context, tokenHash []byte, now time.Time) (*comments.Comment, error) {
	var c comments.Comment
	err := db.write(ctx, func(tx *sql.Tx) error {
		return scanComment(tx.QueryRowContext(ctx, `
			UPDATE comments SET notify_confirmed = TRUE
			WHERE notify_email IS NOT NULL AND id = (
				SELECT comment_id FROM comment_tokens
				WHERE token_hash = $1 AND purpose = 'confirm' AND expires_at > $2)
			RETURNING `+commentColumns, tokenHash, now.UTC()), &c)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: confirm comment notifications: %w", err)
	}
	return &c, nil
}

// StopCommentNotify turns off reply emails for the comment whose
// unsubscribe token hashes to tokenHash: the address is forgotten and
// every link about it stops working. An unknown token is ErrNotFound.
func (db *DB) StopCommentNotify(ctx context.Context, tokenHash []byte) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT comment_id FROM comment_tokens WHERE token_hash = $1 AND purpose = 'unsubscribe'`,
			tokenHash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comments SET notify_email = NULL, notify_confirmed = FALSE WHERE id = $1`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM comment_tokens WHERE comment_id = $1`, id)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: stop comment notifications: %w", err)
	}
	return nil
}

// CountNotifyRequests counts the comments since then that asked for reply
// emails to email, to cap the confirmation emails one address gets.
func (db *DB) CountNotifyRequests(ctx context.Context, email string, since time.Time) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM comments WHERE notify_email = $1 AND created_at > $2`,
		email, since.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count notify requests: %w", err)
	}
	return n, nil
}
