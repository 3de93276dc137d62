package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"unknot/internal/mail"
)

// EnqueueMail queues m in the outbox, due now. A store method whose change
// causes a mail should instead call enqueueMail inside its own transaction,
// so that the change and its mail are written together or not at all.
func (db *DB) EnqueueMail(ctx context.Context, m *mail.Message) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		return enqueueMail(ctx, tx, m, nowMicro())
	})
}

// enqueueMail inserts m into the outbox within tx, due at due.
func enqueueMail(ctx context.Context, tx *sql.Tx, m *mail.Message, due time.Time) error {
	args, err := mailArgs(m, due)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertMail, args...); err != nil {
		return fmt.Errorf("store: enqueue mail: %w", err)
	}
	return nil
}

const insertMail = `
	INSERT INTO outbox (msg_key, kind, recipient, subject, text_body, html_body, headers, attachments, state, due_at, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10)`

// mailArgs checks m and returns the arguments of insertMail for it.
func mailArgs(m *mail.Message, due time.Time) ([]any, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("store: enqueue mail: %w", err)
	}
	headers, attachments, err := encodeMailParts(m)
	if err != nil {
		return nil, fmt.Errorf("store: enqueue mail: %w", err)
	}
	return []any{newMailKey(), m.Kind, m.To, m.Subject, m.Text, m.HTML, headers, attachments, due, nowMicro()}, nil
}

// newMailKey returns 128 random bits in hex, the stable part of a
// message's Message-ID.
func newMailKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// nowMicro is the current time as the store keeps it: UTC, in microseconds,
// which PostgreSQL keeps and SQLite's text form compares correctly.
func nowMicro() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func encodeMailParts(m *mail.Message) (headers, attachments string, err error) {
	h, err := json.Marshal(m.Headers)
	if err != nil {
		return "", "", err
	}
	a, err := json.Marshal(m.Attachments)
	if err != nil {
		return "", "", err
	}
	return string(h), string(a), nil
}

func decodeMailParts(m *mail.Message, headers, attachments string) error {
	if err := json.Unmarshal([]byte(headers), &m.Headers); err != nil {
		return fmt.Errorf("headers: %w", err)
	}
	if err := json.Unmarshal([]byte(attachments), &m.Attachments); err != nil {
		return fmt.Errorf("attachments: %w", err)
	}
	return nil
}

// ClaimMail claims up to limit messages that are due at now for a sender,
// oldest first, and leases them until now+lease under a fresh claim token
// (mail.Queued.Claim): until then no other worker claims them, and after
// it (if the claimer died, or stopped renewing the lease with RenewMail)
// they are due again. Each claim counts as an attempt.
func (db *DB) ClaimMail(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mail.Queued, error) {
	// PostgreSQL workers skip rows another worker has locked rather than
	// wait for them; SQLite has one writer, so there is nothing to skip.
	lock := db.onPostgres("FOR UPDATE SKIP LOCKED")
	query := `
		UPDATE outbox SET state = 'sending', attempts = attempts + 1, due_at = $1, claim = $4
		WHERE id IN (
			SELECT id FROM outbox
			WHERE state IN ('queued', 'sending') AND due_at <= $2
			ORDER BY due_at, id
			LIMIT $3 ` + lock + `)
		RETURNING id, msg_key, kind, recipient, subject, text_body, html_body, headers, attachments, attempts`
	st, err := db.stmts(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	now = now.UTC().Truncate(time.Microsecond)
	claim := newMailKey()
	var claimed []mail.Queued
	err = db.write(ctx, func(tx *sql.Tx) error {
		claimed = claimed[:0]
		rows, err := tx.StmtContext(ctx, st[0]).QueryContext(ctx, now.Add(lease), now, limit, claim)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				q                    mail.Queued
				headers, attachments string
			)
			if err := rows.Scan(&q.ID, &q.Key, &q.Kind, &q.To, &q.Subject, &q.Text, &q.HTML, &headers, &attachments, &q.Attempts); err != nil {
				return err
			}
			if err := decodeMailParts(&q.Message, headers, attachments); err != nil {
				return fmt.Errorf("outbox row %d: %w", q.ID, err)
			}
			q.Claim = claim
			claimed = append(claimed, q)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim mail: %w", err)
	}
	slices.SortFunc(claimed, func(a, b mail.Queued) int { return int(a.ID - b.ID) })
	return claimed, nil
}

// RenewMail moves the lease of the messages claimed under claim that are
// still being sent to until: the heartbeat of a worker that is sending
// them. It returns how many it renewed; none means the claim is gone
// (every message recorded, or all taken over by another worker).
func (db *DB) RenewMail(ctx context.Context, claim string, until time.Time) (int, error) {
	st, err := db.stmts(ctx, renewMailSQL)
	if err != nil {
		return 0, fmt.Errorf("store: renew mail lease: %w", err)
	}
	var n int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.StmtContext(ctx, st[0]).ExecContext(ctx, claim, until.UTC().Truncate(time.Microsecond))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: renew mail lease: %w", err)
	}
	return int(n), nil
}

const renewMailSQL = `UPDATE outbox SET due_at = $2 WHERE claim = $1 AND state = 'sending'`

// MarkMailSent records, in one transaction, that each message of sent
// was handed to the mail server at its time under its Message-ID. The
// bodies, which hold private links, are blanked; the row stays as the
// record of what was sent. A plan link's recipient is blanked too: that
// address is kept only until the mail is sent. A message no longer held
// under its claim (recorded already, deleted, or taken over by another
// worker after the lease ran out) is left alone, and the error, after the
// others are recorded, wraps ErrNotFound and names it.
func (db *DB) MarkMailSent(ctx context.Context, sent ...mail.Sent) error {
	st, err := db.stmts(ctx, markSentSQL)
	if err != nil {
		return fmt.Errorf("store: mark mail sent: %w", err)
	}
	var gone []int64
	err = db.write(ctx, func(tx *sql.Tx) error {
		gone = gone[:0]
		mark := tx.StmtContext(ctx, st[0])
		for _, s := range sent {
			res, err := mark.ExecContext(ctx, s.ID, s.Claim, s.MessageID, s.At.UTC().Truncate(time.Microsecond))
			if err != nil {
				return fmt.Errorf("outbox row %d: %w", s.ID, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("outbox row %d: %w", s.ID, err)
			} else if n == 0 {
				gone = append(gone, s.ID)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: mark mail sent: %w", err)
	}
	if len(gone) > 0 {
		return fmt.Errorf("store: outbox rows %v are not being sent under their claim: %w", gone, ErrNotFound)
	}
	return nil
}

const markSentSQL = `
	UPDATE outbox SET state = 'sent', message_id = $3, sent_at = $4, last_error = '', claim = '',
		text_body = '', html_body = '', headers = '{}', attachments = '[]',
		recipient = ` + forgetRecipient + `
	WHERE id = $1 AND claim = $2 AND state = 'sending'`

// RetryMail puts the message id, claimed under claim, back in the queue,
// due at due, after a failed attempt that reason describes.
func (db *DB) RetryMail(ctx context.Context, id int64, claim string, due time.Time, reason string) error {
	return db.finishMail(ctx, id, claim, `
		UPDATE outbox SET state = 'queued', due_at = $3, last_error = $4, claim = ''
		WHERE id = $1 AND claim = $2 AND state = 'sending'`,
		due.UTC().Truncate(time.Microsecond), reason)
}

// FailMail gives up on the message id, claimed under claim, for the reason
// given. Its bodies are blanked like those of sent mail.
func (db *DB) FailMail(ctx context.Context, id int64, claim, reason string) error {
	return db.finishMail(ctx, id, claim, `
		UPDATE outbox SET state = 'failed', last_error = $3, claim = '',
			text_body = '', html_body = '', headers = '{}', attachments = '[]',
			recipient = `+forgetRecipient+`
		WHERE id = $1 AND claim = $2 AND state = 'sending'`,
		reason)
}

// forgetRecipient is the SQL value of an outbox row's recipient once the
// row is finished: kept as the record of what was sent, except for the
// kinds whose address the person gave for that one mail only.
const forgetRecipient = `CASE WHEN kind = '` + mail.KindPlanLink + `' THEN '' ELSE recipient END`

// finishMail runs an update of the outbox row id claimed under claim.
// ErrNotFound means the row is no longer held by that claim (it was
// deleted, or another worker took it over after the lease ran out).
func (db *DB) finishMail(ctx context.Context, id int64, claim, query string, args ...any) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, append([]any{id, claim}, args...)...)
		if err != nil {
			return fmt.Errorf("store: outbox row %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: outbox row %d: %w", id, err)
		} else if n == 0 {
			return fmt.Errorf("store: outbox row %d is not being sent under its claim: %w", id, ErrNotFound)
		}
		return nil
	})
}

// MailRecord is what the outbox keeps of a message: enough to know what
// was sent to whom and when, without the bodies.
type MailRecord struct {
	ID        int64
	Kind      string
	To        string
	Subject   string
	State     string // queued, sending, sent or failed
	Attempts  int
	LastError string
	MessageID string
	CreatedAt time.Time
	SentAt    *time.Time
}

// MailTo returns the outbox records of mail to recipient, oldest first.
func (db *DB) MailTo(ctx context.Context, recipient string) ([]MailRecord, error) {
	return db.mailRecords(ctx, `WHERE recipient = $1`, recipient)
}

// MailCounts returns how many outbox messages are in each state.
func (db *DB) MailCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.query(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: mail counts: %w", err)
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var (
			state string
			n     int
		)
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: mail counts: %w", err)
		}
		counts[state] = n
	}
	return counts, rows.Err()
}

func (db *DB) mailRecords(ctx context.Context, where string, args ...any) ([]MailRecord, error) {
	rows, err := db.query(ctx, `
		SELECT id, kind, recipient, subject, state, attempts, last_error, message_id, created_at, sent_at
		FROM outbox `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: mail records: %w", err)
	}
	defer rows.Close()
	var out []MailRecord
	for rows.Next() {
		var (
			r    MailRecord
			sent sql.NullTime
		)
		if err := rows.Scan(&r.ID, &r.Kind, &r.To, &r.Subject, &r.State, &r.Attempts, &r.LastError, &r.MessageID, &r.CreatedAt, &sent); err != nil {
			return nil, fmt.Errorf("store: mail records: %w", err)
		}
		r.CreatedAt, r.SentAt = r.CreatedAt.UTC(), utcPtr(sent)
		out = append(out, r)
	}
	return out, rows.Err()
}

// DevMail is a message in the dev mailbox.
type DevMail struct {
	ID        int64
	MessageID string
	From      string
	mail.Message
	CreatedAt time.Time
}

// SaveDevMail puts a copy of q, sent from from under messageID, in the dev
// mailbox. Saving the same message twice keeps one copy.
func (db *DB) SaveDevMail(ctx context.Context, q *mail.Queued, from, messageID string) error {
	headers, attachments, err := encodeMailParts(&q.Message)
	if err != nil {
		return fmt.Errorf("store: save dev mail: %w", err)
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO dev_mail (message_id, kind, sender, recipient, subject, text_body, html_body, headers, attachments, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (message_id) DO NOTHING`,
			messageID, q.Kind, from, q.To, q.Subject, q.Text, q.HTML, headers, attachments, nowMicro())
		if err != nil {
			return fmt.Errorf("store: save dev mail: %w", err)
		}
		return nil
	})
}

// DevMailbox returns the newest limit messages in the dev mailbox, newest
// first, without their attachments' data.
func (db *DB) DevMailbox(ctx context.Context, limit int) ([]DevMail, error) {
	rows, err := db.query(ctx, `
		SELECT id, message_id, sender, kind, recipient, subject, created_at
		FROM dev_mail ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: dev mailbox: %w", err)
	}
	defer rows.Close()
	var out []DevMail
	for rows.Next() {
		var m DevMail
		if err := rows.Scan(&m.ID, &m.MessageID, &m.From, &m.Kind, &m.To, &m.Subject, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: dev mailbox: %w", err)
		}
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// DevMailByID returns one message of the dev mailbox, whole, or
// ErrNotFound.
func (db *DB) DevMailByID(ctx context.Context, id int64) (*DevMail, error) {
	var (
		m                    DevMail
		headers, attachments string
	)
	err := db.queryRow(ctx, `
		SELECT id, message_id, sender, kind, recipient, subject, text_body, html_body, headers, attachments, created_at
		FROM dev_mail WHERE id = $1`, id,
	).Scan(&m.ID, &m.MessageID, &m.From, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &headers, &attachments, &m.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: dev mail %d: %w", id, err)
	}
	if err := decodeMailParts(&m.Message, headers, attachments); err != nil {
		return nil, fmt.Errorf("store: dev mail %d: %w", id, err)
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return &m, nil
}
