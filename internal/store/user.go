package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// User is a staff account. Email is stored in lower case; PasswordHash is
// an argon2id PHC string made by staff.HashPassword.
type User struct {
	ID           int64
	Email        string
	PasswordHash string
	Role         string
	CreatedAt    time.Time
}

// CreateUser saves u, setting its ID and CreatedAt. It returns an error
// wrapping ErrConflict when the email is already taken.
func (db *DB) CreateUser(ctx context.Context, u *User) error {
	created := nowMicro()
	err := db.write(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO users (email, password_hash, role, created_at)
			VALUES ($1, $2, $3, $4)
			RETURNING id`,
			u.Email, u.PasswordHash, u.Role, created,
		).Scan(&u.ID)
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

// UserByEmail returns the account with email (already in lower case), or
// ErrNotFound.
func (db *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	return db.user(ctx, "email", email)
}

// UserByID returns the account with id, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	return db.user(ctx, "id", id)
}

// user returns the account whose column (a constant, never input) equals v.
func (db *DB) user(ctx context.Context, column string, v any) (*User, error) {
	var u User
	err := db.queryRow(ctx, `
		SELECT id, email, password_hash, role, created_at FROM users WHERE `+column+` = $1`, v,
	).Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Role, &u.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: user by %s: %w", column, err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
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
