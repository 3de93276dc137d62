package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"unknot/internal/staff"
	"unknot/internal/store"
)

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unknot.db")
	code, out, errOut := runCLI(t, "a long enough password\n", "user", "add", "--db", db, "--email", "Coach@Example.com", "--role", "admin", "--password-stdin")
	if code != 0 || !strings.Contains(out, "added coach@example.com (admin)") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "coach@example.com")
	if err != nil || u.Role != "admin" {
		t.Fatalf("account = %+v, %v", u, err)
	}
	if ok, err := staff.CheckPassword(u.PasswordHash, "a long enough password"); !ok || err != nil {
		t.Errorf("stored hash does not match the password: %v", err)
	}

	for _, tt := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"a long enough password\n", []string{"--email", "coach@example.com", "--password-stdin"}, "--email: coach@example.com already has an account"},
		{"short\n", []string{"--email", "x@example.com", "--password-stdin"}, "password: must be at least 12 characters"},
		{"            \n", []string{"--email", "x@example.com", "--password-stdin"}, "password: must not be blank"},
		{"a b c d e f g h i j k\n", []string{"--email", "x@example.com", "--password-stdin"}, "password: must be at least 12 characters, not counting spaces"},
		{"a long enough password\n", []string{"--email", "nope", "--role", "boss", "--password-stdin"}, "--email: "},
		{"a long enough password\n", []string{"--email", "x@example.com", "--role", "boss", "--password-stdin"}, "--role: must be"},
		{"", []string{"--email", "x@example.com", "--password-stdin"}, "no password on stdin"},
		{"", []string{"--email", "x@example.com"}, "not a terminal"},
	} {
		code, _, errOut := runCLI(t, tt.stdin, append([]string{"user", "add", "--db", db}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("user add %v: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
	if code, _, _ := runCLI(t, "", "user"); code != 2 {
		t.Errorf("user without add: exit %d", code)
	}
}
