package store

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"unknot/internal/staff"
)

func TestUsers(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		u := &User{Email: "coach@example.com", PasswordHash: "$argon2id$x", Roles: staff.Roles{staff.Admin, staff.Coach}}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.CreatedAt.IsZero() {
			t.Fatalf("CreateUser did not set ID and CreatedAt: %+v", u)
		}
		if err := db.CreateUser(ctx, &User{Email: "coach@example.com", PasswordHash: "h", Roles: staff.Roles{staff.Admin}}); !errors.Is(err, ErrConflict) {
			t.Errorf("second account with one email: %v, want ErrConflict", err)
		}
		if err := db.CreateUser(ctx, &User{Email: "x@example.com", PasswordHash: "h", Roles: staff.Roles{"owner"}}); err == nil {
			t.Error("an unknown role was accepted")
		}
		if err := db.CreateUser(ctx, &User{Email: "x@example.com", PasswordHash: "h"}); err == nil {
			t.Error("an account without a role was accepted")
		}
		if _, err := db.UserByEmail(ctx, "x@example.com"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a refused account was half saved: %v", err)
		}
		got, err := db.UserByEmail(ctx, "coach@example.com")
		if err != nil || !reflect.DeepEqual(got, u) {
			t.Errorf("UserByEmail = %+v, %v; want %+v", got, err, u)
		}
		if err := db.SetPasswordHash(ctx, u.ID, "$argon2id$y"); err != nil {
			t.Fatal(err)
		}
		got, err = db.UserByID(ctx, u.ID)
		if err != nil || got.PasswordHash != "$argon2id$y" {
			t.Errorf("after SetPasswordHash: %+v, %v", got, err)
		}
		if _, err := db.UserByEmail(ctx, "nobody@example.com"); !errors.Is(err, ErrNotFound) {
			t.Errorf("UserByEmail(unknown) = %v, want ErrNotFound", err)
		}
		if err := db.SetPasswordHash(ctx, 999, "h"); !errors.Is(err, ErrNotFound) {
			t.Errorf("SetPasswordHash(unknown) = %v, want ErrNotFound", err)
		}
	})
}

func TestSessions(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		now := time.Now()
		hash := []byte("0123456789abcdef0123456789abcdef")
		if _, ok, err := db.FindSession(ctx, hash, now); ok || err != nil {
			t.Fatalf("FindSession before saving = %v, %v", ok, err)
		}
		if err := db.SaveSession(ctx, hash, []byte("one"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSession(ctx, hash, []byte("two"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		data, ok, err := db.FindSession(ctx, hash, now)
		if !ok || err != nil || !bytes.Equal(data, []byte("two")) {
			t.Errorf("FindSession = %q, %v, %v; want two", data, ok, err)
		}
		if _, ok, _ := db.FindSession(ctx, hash, now.Add(2*time.Hour)); ok {
			t.Error("an expired session was found")
		}
		if err := db.SaveSession(ctx, []byte("old"), []byte("x"), now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if n, err := db.DeleteExpiredSessions(ctx, now); n != 1 || err != nil {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
		}
		if err := db.DeleteSession(ctx, hash); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := db.FindSession(ctx, hash, now); ok {
			t.Error("a deleted session was found")
		}
	})
}
