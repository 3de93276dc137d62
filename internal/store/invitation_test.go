package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/staff"
)

// inviteMail is a stand-in for the web layer's invitation mail.
func inviteMail(to string) func(name string) (*mail.Message, error) {
	return func(name string) (*mail.Message, error) {
		return &mail.Message{Kind: "staff_invitation", To: to, Subject: "Welcome, " + name, Text: "Set your password."}, nil
	}
}

func TestInvitations(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		admin := &User{Email: "boss@clinic.example", PasswordHash: "h", Roles: staff.Roles{staff.Admin}}
		if err := db.CreateUser(ctx, admin); err != nil {
			t.Fatal(err)
		}
		made := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		token, hash := secret.NewToken()
		invite := Invite{Email: "ana@clinic.example", InvitedBy: admin.ID, TokenHash: hash, Now: made, Compose: inviteMail("ana@clinic.example")}

		if err := db.CreateInvitation(ctx, Invite{Email: "nobody@clinic.example", InvitedBy: admin.ID, TokenHash: secret.Hash("another token"),
			Now: made, Compose: inviteMail("nobody@clinic.example")}); !errors.Is(err, ErrNoTherapist) {
			t.Errorf("inviting an email no therapist has: %v, want ErrNoTherapist", err)
		}
		// A mail that cannot be queued leaves no invitation behind.
		broken := invite
		broken.Compose = func(string) (*mail.Message, error) { return &mail.Message{}, nil }
		if err := db.CreateInvitation(ctx, broken); err == nil {
			t.Fatal("an invitation with an invalid mail was saved")
		}
		if _, err := db.InvitationByToken(ctx, secret.Hash(token)); !errors.Is(err, ErrNotFound) {
			t.Fatalf("half-saved invitation: %v", err)
		}
		if err := db.CreateInvitation(ctx, invite); err != nil {
			t.Fatal(err)
		}
		mails, err := db.ClaimMail(ctx, made.Add(time.Second), time.Hour, 10)
		if err != nil || len(mails) != 1 || mails[0].To != "ana@clinic.example" || !strings.Contains(mails[0].Subject, "Ana") {
			t.Fatalf("invitation mail = %+v, %v", mails, err)
		}
		inv, err := db.InvitationByToken(ctx, secret.Hash(token))
		if err != nil || inv.TherapistID != "ana" || inv.Used || !inv.ExpiresAt.Equal(made.Add(48*time.Hour)) {
			t.Fatalf("InvitationByToken = %+v, %v", inv, err)
		}

		// At the 48-hour boundary the link no longer works; a moment
		// before, it does, once.
		if _, err := db.AcceptInvitation(ctx, secret.Hash(token), "$argon2id$p", made.Add(staff.InvitationValid)); !errors.Is(err, ErrInvitationExpired) {
			t.Errorf("accepting at 48 h: %v, want ErrInvitationExpired", err)
		}
		u, err := db.AcceptInvitation(ctx, secret.Hash(token), "$argon2id$p", made.Add(staff.InvitationValid-time.Microsecond))
		if err != nil {
			t.Fatalf("accepting just before 48 h: %v", err)
		}
		if u.Email != "ana@clinic.example" || u.TherapistID != "ana" || !slices.Equal(u.Roles, staff.Roles{staff.Therapist}) {
			t.Errorf("account = %+v", u)
		}
		got, err := db.UserByEmail(ctx, "ana@clinic.example")
		if err != nil || got.ID != u.ID || got.TherapistID != "ana" || got.PasswordHash != "$argon2id$p" || !slices.Equal(got.Roles, staff.Roles{staff.Therapist}) {
			t.Errorf("stored account = %+v, %v", got, err)
		}
		if _, err := db.AcceptInvitation(ctx, secret.Hash(token), "$argon2id$q", made.Add(time.Hour)); !errors.Is(err, ErrInvitationUsed) {
			t.Errorf("second use: %v, want ErrInvitationUsed", err)
		}
		if _, err := db.AcceptInvitation(ctx, secret.Hash("unknown"), "h", made); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown link: %v, want ErrNotFound", err)
		}
		// An account made as a therapist, without an invitation, is tied
		// to the therapist with its email too.
		ben := &User{Email: "ben@clinic.example", PasswordHash: "h", Roles: staff.Roles{staff.Therapist}}
		if err := db.CreateUser(ctx, ben); err != nil || ben.TherapistID != "ben" {
			t.Errorf("therapist's account = %+v, %v; want tied to ben", ben, err)
		}
		again := invite
		again.TokenHash = secret.Hash("a third token")
		if err := db.CreateInvitation(ctx, again); !errors.Is(err, ErrConflict) {
			t.Errorf("inviting an email with an account: %v, want ErrConflict", err)
		}
	})
}

// TestMigrateStaffToCoach takes a database back before migration 00400,
// adds accounts and a reply under the former roles, and migrates again.
func TestMigrateStaffToCoach(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		p, err := db.migrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 399); err != nil {
			t.Fatalf("down to 399: %v", err)
		}
		if _, err := db.wdb.ExecContext(ctx, `INSERT INTO users (email, password_hash, role, created_at)
			VALUES ('c@x.example', 'h', 'staff', $1), ('a@x.example', 'h', 'admin', $1)`, nowMicro()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.wdb.ExecContext(ctx, `INSERT INTO comments (article, name, body, body_html, role, status, created_at)
			VALUES ('a', 'Maria', 'b', 'b', 'staff', 'approved', $1)`, nowMicro()); err != nil {
			t.Fatal(err)
		}
		if err := db.migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var role string
		if err := db.queryRow(ctx, `SELECT role FROM comments`).Scan(&role); err != nil || role != "coach" {
			t.Errorf("reply's role after migrating: %q, %v; want coach", role, err)
		}
		for email, want := range map[string]staff.Roles{"c@x.example": {staff.Coach}, "a@x.example": {staff.Admin}} {
			u, err := db.UserByEmail(ctx, email)
			if err != nil || !slices.Equal(u.Roles, want) {
				t.Errorf("%s after migrating: %+v, %v; want %v", email, u, err, want)
			}
		}
	})
}
