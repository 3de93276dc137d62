package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/mail"
	"unknot/internal/subscribe"
)

// Subscriber is a person on the free report's list.
type Subscriber struct {
	ID             int64           `json:"-"`
	Email          string          `json:"email"`
	FirstName      string          `json:"first_name"`
	State          subscribe.State `json:"state"`
	CreatedAt      time.Time       `json:"signed_up_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	ConfirmedAt    *time.Time      `json:"confirmed_at,omitempty"`
	UnsubscribedAt *time.Time      `json:"unsubscribed_at,omitempty"`
}

// Compose writes the mail that action sends to sub. It runs inside the
// store's transaction, so it must be quick and do no I/O.
type Compose func(sub *Subscriber, action subscribe.Action) (*mail.Message, error)

// SignUp is a sign-up to the free report.
type SignUp struct {
	Form subscribe.Form // cleaned with Form.Clean
	// TokenHash is the hash of the token that the links in the mail this
	// sign-up sends will carry, if it sends one.
	TokenHash []byte
	Compose   Compose
	Now       time.Time // zero means now
}

// SignUp records a sign-up and queues the mail the rules of package
// subscribe choose (a confirmation, the report again, or nothing), all in
// one transaction. It returns the action taken, which the caller must not
// show to the visitor. Sign-ups that arrive together share that
// transaction (writeGrouped); each still gets its own outcome, as if it
// had been alone.
func (db *DB) SignUp(ctx context.Context, su SignUp) (subscribe.Action, error) {
	at := timeOrNow(su.Now)
	st, err := db.stmts(ctx, upsertSubscriber, countLinks, updateSignedUp, insertLink, insertMail)
	if err != nil {
		return "", err
	}
	var action subscribe.Action // written by the run that commits, read after it
	err = db.writeGrouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		action, err = signUpIn(ctx, tx, st, su, at)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: sign up: %w", err)
	}
	return action, nil
}

// signUpIn is SignUp's change within tx, with st the statements
// upsertSubscriber, countLinks, updateSignedUp, insertLink and insertMail
// prepared, its statements under ctx (writeGrouped's, not the caller's).
func signUpIn(ctx context.Context, tx *sql.Tx, st []*sql.Stmt, su SignUp, at time.Time) (subscribe.Action, error) {
	sub, err := scanSubscriber(tx.StmtContext(ctx, st[0]).QueryRowContext(ctx, su.Form.Email, su.Form.FirstName, at))
	if err != nil {
		return "", err
	}
	// Counted in a statement of its own, after the upsert holds the row:
	// on PostgreSQL a statement sees the rows committed when it began, so
	// a count inside the upsert would miss the links of a sign-up it
	// waited for.
	var sent int
	if err := tx.StmtContext(ctx, st[1]).QueryRowContext(ctx, sub.ID, at.Add(-subscribe.Day)).Scan(&sent); err != nil {
		return "", err
	}
	action, state := subscribe.SignUpAgain(sub.State, sent)
	name := su.Form.FirstName
	if subscribe.KeepsName(sub.State) {
		name = sub.FirstName
	}
	if state != sub.State || name != sub.FirstName {
		if _, err := tx.StmtContext(ctx, st[2]).ExecContext(ctx, sub.ID, name, state, at); err != nil {
			return "", err
		}
		sub.FirstName, sub.State, sub.UpdatedAt, sub.UnsubscribedAt = name, state, at, nil
	}
	if action == subscribe.Nothing {
		return action, nil
	}
	return action, sendToSubscriber(ctx, tx, st[3:], sub, action, su.TokenHash, su.Compose, at)
}

const (
	// upsertSubscriber finds a subscriber or adds them as pending. The
	// no-op update makes RETURNING give an existing row, and on
	// PostgreSQL locks it, so that two sign-ups of one address take turns
	// and the daily limit holds (SQLite's single writer already makes
	// them take turns).
	upsertSubscriber = `
		INSERT INTO subscribers (email, first_name, state, created_at, updated_at)
		VALUES ($1, $2, 'pending', $3, $3)
		ON CONFLICT (email) DO UPDATE SET email = excluded.email
		RETURNING ` + subscriberColumns
	// countLinks counts the sign-up mails to a subscriber since a time.
	countLinks = `SELECT count(*) FROM subscriber_links WHERE subscriber_id = $1 AND created_at > $2`
	// updateSignedUp is the name and state a sign-up leaves.
	updateSignedUp = `
		UPDATE subscribers SET first_name = $2, state = $3, updated_at = $4, unsubscribed_at = NULL
		WHERE id = $1`
	insertLink = `
		INSERT INTO subscriber_links (token_hash, subscriber_id, purpose, created_at)
		VALUES ($1, $2, $3, $4)`
)

// sendToSubscriber records the link of a mail to sub and queues the mail,
// with the statements insertLink and insertMail prepared in st.
func sendToSubscriber(ctx context.Context, tx *sql.Tx, st []*sql.Stmt, sub *Subscriber, action subscribe.Action, tokenHash []byte, compose Compose, at time.Time) error {
	purpose := "confirm"
	if action == subscribe.SendReport {
		purpose = "report"
	}
	if len(tokenHash) == 0 {
		return errors.New("no token hash for the mail's links")
	}
	if _, err := tx.StmtContext(ctx, st[0]).ExecContext(ctx, tokenHash, sub.ID, purpose, at); err != nil {
		if conflict(err) {
			return fmt.Errorf("token hash already used: %w", ErrConflict)
		}
		return err
	}
	m, err := compose(sub, action)
	if err != nil {
		return err
	}
	args, err := mailArgs(m, at)
	if err != nil {
		return err
	}
	_, err = tx.StmtContext(ctx, st[1]).ExecContext(ctx, args...)
	return err
}

// Confirm is a click on a confirmation link.
type Confirm struct {
	TokenHash []byte // of the link clicked
	// ReportTokenHash is the hash of the token for the links of the
	// report mail that confirming sends.
	ReportTokenHash []byte
	Compose         Compose
	Now             time.Time // zero means now
}

// ConfirmSubscriber confirms the pending subscriber whose confirmation link
// was clicked and queues the report mail, in one transaction. Clicking
// again changes nothing. It returns the subscriber and whether this click
// confirmed them, or ErrNotFound when the link is unknown, is not a
// confirmation link or has expired.
func (db *DB) ConfirmSubscriber(ctx context.Context, c Confirm) (*Subscriber, bool, error) {
	at := timeOrNow(c.Now)
	st, err := db.stmts(ctx, insertLink, insertMail)
	if err != nil {
		return nil, false, err
	}
	var (
		sub       *Subscriber
		confirmed bool
	)
	err = db.write(ctx, func(tx *sql.Tx) error {
		var (
			purpose string
			made    time.Time
		)
		err := tx.QueryRowContext(ctx, `
			SELECT purpose, created_at FROM subscriber_links WHERE token_hash = $1`,
			c.TokenHash).Scan(&purpose, &made)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (purpose != "confirm" || !subscribe.ConfirmLinkValid(made, at)) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		sub, err = db.lockSubscriber(ctx, tx, `id = (SELECT subscriber_id FROM subscriber_links WHERE token_hash = $1)`, c.TokenHash)
		if err != nil || sub.State != subscribe.Pending {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE subscribers SET state = 'confirmed', confirmed_at = $2, updated_at = $2 WHERE id = $1`,
			sub.ID, at); err != nil {
			return err
		}
		sub.State, sub.ConfirmedAt, sub.UpdatedAt, confirmed = subscribe.Confirmed, &at, at, true
		return sendToSubscriber(ctx, tx, st, sub, subscribe.SendReport, c.ReportTokenHash, c.Compose, at)
	})
	if errors.Is(err, ErrNotFound) {
		return nil, false, ErrNotFound
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: confirm subscriber: %w", err)
	}
	return sub, confirmed, nil
}

// SubscriberByLink returns the subscriber that the link with tokenHash
// (from any mail sent to them) belongs to, or ErrNotFound.
func (db *DB) SubscriberByLink(ctx context.Context, tokenHash []byte) (*Subscriber, error) {
	sub, err := scanSubscriber(db.queryRow(ctx, subscriberSelect+`
		WHERE id = (SELECT subscriber_id FROM subscriber_links WHERE token_hash = $1)`, tokenHash))
	if err != nil {
		return nil, fmt.Errorf("store: subscriber by link: %w", err)
	}
	return sub, nil
}

// SubscriberByEmail returns the subscriber with the address email (as
// cleaned by subscribe.Form.Clean), or ErrNotFound.
func (db *DB) SubscriberByEmail(ctx context.Context, email string) (*Subscriber, error) {
	sub, err := scanSubscriber(db.queryRow(ctx, subscriberSelect+` WHERE email = $1`, email))
	if err != nil {
		return nil, fmt.Errorf("store: subscriber by email: %w", err)
	}
	return sub, nil
}

// Unsubscribe takes the subscriber with the address email off the list and
// drops sign-up mail to them not yet sent. Unsubscribing twice is fine.
func (db *DB) Unsubscribe(ctx context.Context, email string) error {
	at := nowMicro()
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE subscribers SET state = 'unsubscribed', unsubscribed_at = $2, updated_at = $2
			WHERE email = $1 AND state <> 'unsubscribed'`, email, at)
		if err != nil {
			return fmt.Errorf("store: unsubscribe: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := db.subscriberIn(ctx, tx, email); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `
			DELETE FROM outbox WHERE recipient = $1 AND state = 'queued' AND kind IN ($2, $3)`,
			email, mail.KindConfirm, mail.KindReport); err != nil {
			return fmt.Errorf("store: unsubscribe: %w", err)
		}
		return nil
	})
}

// SubscriberData is everything kept about a subscriber, for them to take
// away.
type SubscriberData struct {
	Subscriber *Subscriber   `json:"subscriber"`
	Mails      []MailSummary `json:"mails"`
}

// MailSummary is what the record of one mail says, in an export.
type MailSummary struct {
	Subject  string     `json:"subject"`
	QueuedAt time.Time  `json:"queued_at"`
	SentAt   *time.Time `json:"sent_at,omitempty"`
	State    string     `json:"state"`
}

// ExportSubscriber returns what is kept about the subscriber with the
// address email, or ErrNotFound.
func (db *DB) ExportSubscriber(ctx context.Context, email string) (*SubscriberData, error) {
	sub, err := db.SubscriberByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	recs, err := db.mailRecords(ctx, `WHERE recipient = $1 AND kind IN ($2, $3)`, email, mail.KindConfirm, mail.KindReport)
	if err != nil {
		return nil, err
	}
	data := &SubscriberData{Subscriber: sub, Mails: []MailSummary{}}
	for _, r := range recs {
		data.Mails = append(data.Mails, MailSummary{Subject: r.Subject, QueuedAt: r.CreatedAt, SentAt: r.SentAt, State: r.State})
	}
	return data, nil
}

// DeleteSubscriber deletes everything kept about the subscriber with the
// address email: the subscriber, their links, and the sign-up mail to them
// (queued, sent, and in the dev mailbox). It returns ErrNotFound when
// there is no such subscriber.
func (db *DB) DeleteSubscriber(ctx context.Context, email string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		sub, err := db.subscriberIn(ctx, tx, email)
		if err != nil {
			return err
		}
		return deleteSubscriber(ctx, tx, sub.ID, sub.Email)
	})
}

// deleteSubscriber deletes the subscriber id with the address email, their
// links and the sign-up mail to them, within tx.
func deleteSubscriber(ctx context.Context, tx *sql.Tx, id int64, email string) error {
	for _, q := range []string{
		`DELETE FROM subscriber_links WHERE subscriber_id = $1`,
		`DELETE FROM subscribers WHERE id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("store: delete subscriber: %w", err)
		}
	}
	for _, table := range []string{"outbox", "dev_mail"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE recipient = $1 AND kind IN ($2, $3)`,
			email, mail.KindConfirm, mail.KindReport); err != nil {
			return fmt.Errorf("store: delete subscriber: %w", err)
		}
	}
	return nil
}

// PurgeUnconfirmed deletes, as DeleteSubscriber does, the subscribers who
// never confirmed and whose last confirmation link has expired at now, so
// that an address somebody typed is not kept without its owner's say. It
// returns how many it deleted.
func (db *DB) PurgeUnconfirmed(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT id, email FROM subscribers
			WHERE state = 'pending' AND NOT EXISTS (
				SELECT 1 FROM subscriber_links WHERE subscriber_id = subscribers.id AND created_at > $1)`,
			now.Add(-subscribe.ConfirmWithin))
		if err != nil {
			return err
		}
		type expired struct {
			id    int64
			email string
		}
		var subs []expired
		for rows.Next() {
			var e expired
			if err := rows.Scan(&e.id, &e.email); err != nil {
				rows.Close()
				return err
			}
			subs = append(subs, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range subs {
			if err := deleteSubscriber(ctx, tx, e.id, e.email); err != nil {
				return err
			}
		}
		n = len(subs)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge unconfirmed: %w", err)
	}
	return n, nil
}

// SubscriberCounts returns how many subscribers are in each state.
func (db *DB) SubscriberCounts(ctx context.Context) (map[subscribe.State]int, error) {
	rows, err := db.query(ctx, `SELECT state, count(*) FROM subscribers GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: subscriber counts: %w", err)
	}
	defer rows.Close()
	counts := map[subscribe.State]int{}
	for rows.Next() {
		var (
			state subscribe.State
			n     int
		)
		if err := rows.Scan(&state, &n); err != nil {
			return nil, fmt.Errorf("store: subscriber counts: %w", err)
		}
		counts[state] = n
	}
	return counts, rows.Err()
}

const (
	subscriberColumns = `id, email, first_name, state, created_at, updated_at, confirmed_at, unsubscribed_at`
	subscriberSelect  = `SELECT ` + subscriberColumns + ` FROM subscribers`
)

// lockSubscriber reads a subscriber within tx. On PostgreSQL it locks the
// row, so that two clicks or deletions at once take turns; SQLite's single
// writer already makes them take turns.
func (db *DB) lockSubscriber(ctx context.Context, tx *sql.Tx, where string, args ...any) (*Subscriber, error) {
	lock := db.onPostgres(" FOR UPDATE")
	return scanSubscriber(tx.QueryRowContext(ctx, subscriberSelect+` WHERE `+where+lock, args...))
}

// subscriberIn reads the subscriber with the address email within tx.
func (db *DB) subscriberIn(ctx context.Context, tx *sql.Tx, email string) (*Subscriber, error) {
	return db.lockSubscriber(ctx, tx, `email = $1`, email)
}

func scanSubscriber(row *sql.Row) (*Subscriber, error) {
	var (
		s                       Subscriber
		confirmed, unsubscribed sql.NullTime
	)
	err := row.Scan(&s.ID, &s.Email, &s.FirstName, &s.State, &s.CreatedAt, &s.UpdatedAt, &confirmed, &unsubscribed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	s.ConfirmedAt, s.UnsubscribedAt = utcPtr(confirmed), utcPtr(unsubscribed)
	return &s, nil
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// timeOrNow is t as the store keeps times, or now when t is zero.
func timeOrNow(t time.Time) time.Time {
	if t.IsZero() {
		return nowMicro()
	}
	return t.UTC().Truncate(time.Microsecond)
}
