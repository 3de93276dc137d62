package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"unknot/internal/staff"
)

// User is a staff account. Email is stored in lower case; PasswordHash is
// an argon2id PHC string made by staff.HashPassword. TherapistID ties a
// therapist's account to the clinic's therapist with the same email, or
// is "" when there is none.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	Roles        staff.Roles
	TherapistID  string
	CreatedAt    time.Time
}

// CreateUser saves u with its roles, setting its ID and CreatedAt (and
// TherapistID, see insertUser). It
// returns an error wrapping ErrConflict when the email is already taken.
func (db *DB) CreateUser(ctx context.Context, u *User) error {
	created := nowMicro()
	err := db.write(ctx, func(tx *sql.Tx) error {
		return insertUser(ctx, tx, u, created)
	})
	if conflict(err) {
		return fmt.Errorf("store: create user: %s already has an account: %w", u.Email, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: create user: %w", err)
	}
	u.CreatedAt = created
	return nil
}

// therapistByEmail returns the id and name of the clinic's therapist with
// email, which an account or an invitation for it is tied to, or
// ErrNotFound.
func therapistByEmail(ctx context.Context, q querier, email string) (id, name string, err error) {
	err = q.QueryRowContext(ctx, `SELECT id, name FROM therapists WHERE lower(email) = $1 ORDER BY id LIMIT 1`,
		strings.ToLower(email)).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", ErrNotFound
	}
	return id, name, err
}

// insertUser adds u and its roles within tx and sets u.ID. An account
// without a role could do nothing, so it is refused. A therapist's
// account not yet tied to a clinic therapist is tied to the one with the
// same email, if there is one.
func insertUser(ctx context.Context, tx *sql.Tx, u *User, created time.Time) error {
	if len(u.Roles) == 0 {
		return errors.New("an account needs at least one role")
	}
	if u.TherapistID == "" && u.Roles.Has(staff.Therapist) {
		id, _, err := therapistByEmail(ctx, tx, u.Email)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		u.TherapistID = id
	}
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO users (email, password_hash, therapist_id, created_at)
		VALUES ($1, $2, $3, $4)
		RETURNING id`,
		u.Email, u.PasswordHash, nullString(u.TherapistID), created,
	).Scan(&u.ID); err != nil {
		return err
	}
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES ($1, $2)`, u.ID, string(r)); err != nil {
			return err
		}
	}
	return nil
}

// nullString is s, or NULL when s is empty.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// UserByEmail returns the account with email (already in lower case), or
// ErrNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	return db.user(ctx, "email", email)
}

// UserByID returns the account with id, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	return db.user(ctx, "id", id)
}

// user returns the account whose column (a constant, never input) equals
// v, with its roles.
func (db *DB) user(ctx context.Context, column string, v any) (*User, error) {
	var u User
	var therapist sql.NullString
	err := db.queryRow(ctx, `
		SELECT id, email, password_hash, therapist_id, created_at FROM users WHERE `+column+` = $1`, v,
	).Scan(&u.ID, &u.Email, &u.PasswordHash, &therapist, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: user by %s: %w", column, err)
	}
	u.TherapistID = therapist.String
	u.CreatedAt = u.CreatedAt.UTC()
	rows, err := db.query(ctx, `SELECT role FROM user_roles WHERE user_id = $1`, u.ID)
	if err != nil {
		return nil, fmt.Errorf("store: roles of user %d: %w", u.ID, err)
	}
	defer rows.Close()
	var roles []staff.Role
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("store: roles of user %d: %w", u.ID, err)
		}
		roles = append(roles, staff.Role(r))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: roles of user %d: %w", u.ID, err)
	}
	u.Roles = staff.NewRoles(roles...)
	return &u, nil
}

// SetPasswordHash replaces the password hash of account id, as a login
// does when the hash was made with weaker parameters than today's.
func (db *DB) SetPasswordHash(ctx context.Context, id int64, hash string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		return affectOne(tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id))
	})
}

// affectOne turns the result of a statement meant to change one row into
// ErrNotFound when it changed none.
func affectOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
