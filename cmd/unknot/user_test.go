package main

import (
	"context"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"unknot/internal/staff"
	"unknot/internal/store"
)

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unknot.db")
	code, out, errOut := runCLI(t, "a long enough password\n", "user", "add", "--db", db, "--email", "Coach@Example.com", "--role", "admin", "--password-stdin")
	if code != 0 || !strings.Contains(out, "added coach@example.com (admin) to "+db) {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.UserByEmail(context.Background(), "coach@example.com")
	if err != nil || !slices.Equal(u.Roles, staff.Roles{staff.Admin}) {
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
		{"a long enough password\n", []string{"--email", "nope", "--role", "coach", "--password-stdin"}, "--email: "},
		{"a long enough password\n", []string{"--email", "x@example.com", "--role", "boss", "--password-stdin"}, "--role: \"boss\" is not a role"},
		{"a long enough password\n", []string{"--email", "x@example.com", "--role", "staff", "--password-stdin"}, "--role: \"staff\" is not a role"},
		{"a long enough password\n", []string{"--email", "x@example.com", "--role", "coach,", "--password-stdin"}, "--role: "},
		{"", []string{"--email", "x@example.com", "--role", "owner"}, "--role: "},
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

// Roles may be repeated or listed with commas; a therapist's account is
// tied to the clinic's therapist with its email; the database written to
// is named, a PostgreSQL URL without its password.
func TestUserAddRoles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unknot.db")
	if code, _, errOut := runCLI(t, "", "migrate", "--db", db); code != 0 {
		t.Fatal(errOut)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemoClinic(ctx); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "a long enough password\n", "user", "add", "--db", db, "--email", "ana@demo-clinic.example",
		"--role", "therapist", "--role", "admin,coach", "--password-stdin")
	if code != 0 || !strings.Contains(out, "(admin,therapist,coach) to "+db) || !strings.Contains(out, "tied to the clinic's therapist ana") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	u, err := st.UserByEmail(ctx, "ana@demo-clinic.example")
	if err != nil || !slices.Equal(u.Roles, staff.Roles{staff.Admin, staff.Therapist, staff.Coach}) || u.TherapistID != "ana" {
		t.Errorf("account = %+v, %v", u, err)
	}
	code, out, _ = runCLI(t, "a long enough password\n", "user", "add", "--db", db, "--email", "new@example.com", "--role", "therapist", "--password-stdin")
	if code != 0 || !strings.Contains(out, "no therapist of the clinic has this email") {
		t.Errorf("therapist without a clinic therapist: exit %d, %s", code, out)
	}
	code, out, _ = runCLI(t, "a long enough password\n", "user", "add", "--db", db, "--email", "coach@example.com", "--password-stdin")
	if u, _ := st.UserByEmail(ctx, "coach@example.com"); code != 0 || !strings.Contains(out, "(coach)") || u == nil || !slices.Equal(u.Roles, staff.Roles{staff.Coach}) {
		t.Errorf("default role: exit %d, %s", code, out)
	}
}

// On PostgreSQL, user add names the database without its password.
func TestUserAddPostgresNamesDatabase(t *testing.T) {
	dsn := freshSchema(t, needPostgres(t))
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret-pass") // trust auth ignores it
	code, out, errOut := runCLI(t, "a long enough password\n", "user", "add", "--db", u.String(), "--email", "boss@example.com", "--role", "admin", "--password-stdin")
	if code != 0 || strings.Contains(out, "s3cret-pass") || !strings.Contains(out, ":xxxxx@") {
		t.Errorf("exit %d: %s%s", code, out, errOut)
	}
}
