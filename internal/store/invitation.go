package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/mail"
	"unknot/internal/staff"
)

// Invitations of therapists by an admin (staff.InvitationValid): only the
// SHA-256 of the link's token is kept.

// ErrNoTherapist is returned when no clinic therapist has the email an
// invitation is for.
var ErrNoTherapist = errors.New("store: no therapist of the clinic has this email")

// ErrInvitationUsed and ErrInvitationExpired say why an invitation link
// no longer works.
var (
	ErrInvitationUsed    = errors.New("store: the invitation has been used")
	ErrInvitationExpired = errors.New("store: the invitation has expired")
)

// Invite is an admin's invitation of a therapist.
type Invite struct {
	Email     string // in lower case
	InvitedBy int64  // the admin's account
	TokenHash []byte // of the link's token
	Now       time.Time
	// Compose writes the invitation mail to the therapist called name.
	Compose func(name string) (*mail.Message, error)
}

// CreateInvitation records an invitation for the clinic's therapist with
// inv.Email, valid for staff.InvitationValid, and queues its mail, in one
// transaction. It returns ErrNoTherapist when no therapist has the email,
// and an error wrapping ErrConflict when the email already has an account.
func (db *DB) CreateInvitation(ctx context.Context, inv Invite) error {
	at := timeOrNow(inv.Now)
	err := db.write(ctx, func(tx *sql.Tx) error {
		id, name, err := therapistByEmail(ctx, tx, inv.Email)
		if errors.Is(err, ErrNotFound) {
			return ErrNoTherapist
		}
		if err != nil {
			return err
		}
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, inv.Email).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%s already has an account: %w", inv.Email, ErrConflict)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO invitations (token_hash, email, therapist_id, invited_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			inv.TokenHash, inv.Email, id, inv.InvitedBy, at, at.Add(staff.InvitationValid)); err != nil {
			return err
		}
		m, err := inv.Compose(name)
		if err != nil {
			return err
		}
		return enqueueMail(ctx, tx, m, at)
	})
	if err != nil {
		return fmt.Errorf("store: invite %s: %w", inv.Email, err)
	}
	return nil
}

// Invitation is an invitation as its link finds it.
type Invitation struct {
	Email       string
	TherapistID string
	ExpiresAt   time.Time
	Used        bool
}

// InvitationByToken returns the invitation whose token hashes to
// tokenHash, or ErrNotFound.
func (db *DB) InvitationByToken(ctx context.Context, tokenHash []byte) (*Invitation, error) {
	var inv Invitation
	var used sql.NullTime
	err := db.queryRow(ctx, `SELECT email, therapist_id, expires_at, used_at FROM invitations WHERE token_hash = $1`,
		tokenHash).Scan(&inv.Email, &inv.TherapistID, &inv.ExpiresAt, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: invitation: %w", err)
	}
	inv.ExpiresAt, inv.Used = inv.ExpiresAt.UTC(), used.Valid
	return &inv, nil
}

// AcceptInvitation uses the invitation whose token hashes to tokenHash:
// it creates the therapist's account with passwordHash, role therapist
// and the tie to the clinic's therapist, and marks the link used, in one
// transaction. A link works once and until it expires (at now, exactly
// staff.InvitationValid after it was made, it no longer does): it
// returns ErrNotFound, ErrInvitationUsed or ErrInvitationExpired.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash []byte, passwordHash string, now time.Time) (*User, error) {
	at := timeOrNow(now)
	var u *User
	err := db.write(ctx, func(tx *sql.Tx) error {
		var email, therapist string
		err := tx.QueryRowContext(ctx, `
			UPDATE invitations SET used_at = $2
			WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
			RETURNING email, therapist_id`, tokenHash, at).Scan(&email, &therapist)
		if errors.Is(err, sql.ErrNoRows) {
			var used sql.NullTime
			err := tx.QueryRowContext(ctx, `SELECT used_at FROM invitations WHERE token_hash = $1`, tokenHash).Scan(&used)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return ErrNotFound
			case err != nil:
				return err
			case used.Valid:
				return ErrInvitationUsed
			}
			return ErrInvitationExpired
		}
		if err != nil {
			return err
		}
		u = &User{Email: email, PasswordHash: passwordHash, Roles: staff.Roles{staff.Therapist}, TherapistID: therapist, CreatedAt: at}
		if err := insertUser(ctx, tx, u, at); conflict(err) {
			return fmt.Errorf("%s already has an account: %w", email, ErrConflict)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: accept invitation: %w", err)
	}
	return u, nil
}
