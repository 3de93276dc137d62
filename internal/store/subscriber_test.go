package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/subscribe"
)

// composeFor writes a small mail naming the action, as the web layer
// would with its letters.
func composeFor(sub *Subscriber, action subscribe.Action) (*mail.Message, error) {
	kind := mail.KindConfirm
	if action == subscribe.SendReport {
		kind = mail.KindReport
	}
	return &mail.Message{Kind: kind, To: sub.Email, Subject: string(action), Text: "Hi " + sub.FirstName}, nil
}

func signUp(t *testing.T, db *DB, name, email string, at time.Time) (subscribe.Action, string) {
	t.Helper()
	token, hash := secret.NewToken()
	action, err := db.SignUp(context.Background(), SignUp{
		Form: subscribe.Form{FirstName: name, Email: email}, TokenHash: hash, Compose: composeFor, Now: at,
	})
	if err != nil {
		t.Fatalf("SignUp(%s): %v", email, err)
	}
	return action, token
}

func confirm(db *DB, token string, at time.Time) (*Subscriber, bool, error) {
	_, hash := secret.NewToken()
	return db.ConfirmSubscriber(context.Background(), Confirm{
		TokenHash: secret.Hash(token), ReportTokenHash: hash, Compose: composeFor, Now: at,
	})
}

// subjects lists the subjects (the actions, with composeFor) of the mail
// queued for email.
func subjects(t *testing.T, db *DB, email string) []string {
	t.Helper()
	recs, err := db.MailTo(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, r.Subject)
	}
	return out
}

func TestDoubleOptIn(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		day0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		const email = "anna@example.com"

		action, token1 := signUp(t, db, "Anna", email, day0)
		if action != subscribe.SendConfirmation {
			t.Fatalf("first sign-up: %s", action)
		}
		sub, err := db.SubscriberByEmail(ctx, email)
		if err != nil || sub.State != subscribe.Pending || sub.FirstName != "Anna" {
			t.Fatalf("after sign-up: %+v, %v", sub, err)
		}
		// Again, unconfirmed: the confirmation again, three a day at most.
		signUp(t, db, "Anna B", email, day0.Add(time.Hour))
		signUp(t, db, "Anna", email, day0.Add(2*time.Hour))
		if action, _ := signUp(t, db, "Anna", email, day0.Add(3*time.Hour)); action != subscribe.Nothing {
			t.Errorf("fourth sign-up in a day: %s, want nothing", action)
		}
		if got := subjects(t, db, email); len(got) != 3 {
			t.Errorf("mails after four sign-ups in a day: %v, want 3 confirmations", got)
		}
		// A day later the limit has passed.
		if action, _ := signUp(t, db, "Anna", email, day0.Add(25*time.Hour)); action != subscribe.SendConfirmation {
			t.Errorf("sign-up the next day: %s", action)
		}

		// The first link still works within 7 days, and confirming queues
		// the report.
		sub, confirmed, err := confirm(db, token1, day0.Add(26*time.Hour))
		if err != nil || !confirmed || sub.State != subscribe.Confirmed || sub.ConfirmedAt == nil {
			t.Fatalf("confirm: %+v, %v, %v", sub, confirmed, err)
		}
		// A second click changes nothing and sends nothing more.
		if _, confirmed, err := confirm(db, token1, day0.Add(27*time.Hour)); err != nil || confirmed {
			t.Errorf("second click: confirmed=%v, %v", confirmed, err)
		}
		want := []string{"send_confirmation", "send_confirmation", "send_confirmation", "send_confirmation", "send_report"}
		if got := subjects(t, db, email); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("mails = %v, want %v", got, want)
		}
		// Signing up again when confirmed sends the report again, and
		// does not change the name.
		if action, _ := signUp(t, db, "Mallory", email, day0.Add(50*time.Hour)); action != subscribe.SendReport {
			t.Errorf("sign-up when confirmed: %s", action)
		}
		sub, _ = db.SubscriberByEmail(ctx, email)
		if sub.FirstName != "Anna" || sub.State != subscribe.Confirmed {
			t.Errorf("after a sign-up by someone else: %+v", sub)
		}

		// Unsubscribe, then sign up again: pending, must confirm again.
		if err := db.Unsubscribe(ctx, email); err != nil {
			t.Fatal(err)
		}
		if err := db.Unsubscribe(ctx, email); err != nil {
			t.Errorf("second unsubscribe: %v", err)
		}
		sub, _ = db.SubscriberByEmail(ctx, email)
		if sub.State != subscribe.Unsubscribed || sub.UnsubscribedAt == nil {
			t.Errorf("after unsubscribe: %+v", sub)
		}
		if action, _ := signUp(t, db, "Anna", email, day0.Add(100*time.Hour)); action != subscribe.SendConfirmation {
			t.Errorf("sign-up after unsubscribing: %s", action)
		}
		sub, _ = db.SubscriberByEmail(ctx, email)
		if sub.State != subscribe.Pending {
			t.Errorf("after signing up again: %s, want pending", sub.State)
		}
	})
}

func TestConfirmLinkExpires(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		day0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		_, token := signUp(t, db, "Ben", "ben@example.com", day0)
		if _, _, err := confirm(db, token, day0.Add(subscribe.ConfirmWithin)); !errors.Is(err, ErrNotFound) {
			t.Errorf("confirm after 7 days: %v, want ErrNotFound", err)
		}
		if _, _, err := confirm(db, "no-such-token", day0); !errors.Is(err, ErrNotFound) {
			t.Errorf("confirm with an unknown token: %v", err)
		}
		sub, _, err := confirm(db, token, day0.Add(subscribe.ConfirmWithin-time.Minute))
		if err != nil || sub.State != subscribe.Confirmed {
			t.Fatalf("confirm within 7 days: %+v, %v", sub, err)
		}
		// A report link cannot confirm.
		_, reportToken := signUp(t, db, "Ben", "ben@example.com", day0.Add(time.Hour))
		if _, _, err := confirm(db, reportToken, day0.Add(2*time.Hour)); !errors.Is(err, ErrNotFound) {
			t.Errorf("confirm with a report link: %v", err)
		}
		// Every link finds its subscriber.
		for _, tok := range []string{token, reportToken} {
			if got, err := db.SubscriberByLink(context.Background(), secret.Hash(tok)); err != nil || got.Email != "ben@example.com" {
				t.Errorf("SubscriberByLink: %+v, %v", got, err)
			}
		}
	})
}

// Many sign-ups of one address at once still send at most MailsPerDay.
func TestSignUpConcurrentLimit(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				_, hash := secret.NewToken()
				if _, err := db.SignUp(context.Background(), SignUp{
					Form: subscribe.Form{FirstName: "C", Email: "c@example.com"}, TokenHash: hash, Compose: composeFor,
				}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := subjects(t, db, "c@example.com"); len(got) != subscribe.MailsPerDay {
			t.Errorf("%d mails after 10 sign-ups at once, want %d", len(got), subscribe.MailsPerDay)
		}
	})
}

func TestExportAndDeleteSubscriber(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		_, token := signUp(t, db, "Dana", "dana@example.com", time.Time{})
		signUp(t, db, "Eve", "eve@example.com", time.Time{})
		data, err := db.ExportSubscriber(ctx, "dana@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if data.Subscriber.FirstName != "Dana" || len(data.Mails) != 1 || data.Mails[0].State != "queued" {
			t.Errorf("export = %+v", data)
		}
		if err := db.DeleteSubscriber(ctx, "dana@example.com"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubscriberByEmail(ctx, "dana@example.com"); !errors.Is(err, ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if _, err := db.SubscriberByLink(ctx, secret.Hash(token)); !errors.Is(err, ErrNotFound) {
			t.Errorf("link after delete: %v", err)
		}
		if got := subjects(t, db, "dana@example.com"); len(got) != 0 {
			t.Errorf("mail records after delete: %v", got)
		}
		if got := subjects(t, db, "eve@example.com"); len(got) != 1 {
			t.Errorf("someone else's mail went too: %v", got)
		}
		if err := db.DeleteSubscriber(ctx, "dana@example.com"); !errors.Is(err, ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		counts, err := db.SubscriberCounts(ctx)
		if err != nil || counts[subscribe.Pending] != 1 {
			t.Errorf("counts = %v, %v", counts, err)
		}
	})
}

// A mail that cannot be queued leaves no trace of the sign-up's change.
func TestSignUpAtomic(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		_, hash := secret.NewToken()
		_, err := db.SignUp(context.Background(), SignUp{
			Form: subscribe.Form{FirstName: "F", Email: "f@example.com"}, TokenHash: hash,
			Compose: func(*Subscriber, subscribe.Action) (*mail.Message, error) { return &mail.Message{}, nil },
		})
		if err == nil {
			t.Fatal("sign-up with an invalid mail succeeded")
		}
		if _, err := db.SubscriberByEmail(context.Background(), "f@example.com"); !errors.Is(err, ErrNotFound) {
			t.Errorf("subscriber kept after a failed sign-up: %v", err)
		}
	})
}

// Addresses never confirmed are deleted once their last link has expired;
// confirmed ones and fresh sign-ups stay.
func TestPurgeUnconfirmed(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		day0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		signUp(t, db, "Old", "old@example.com", day0)
		_, token := signUp(t, db, "Kept", "kept@example.com", day0)
		if _, _, err := confirm(db, token, day0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		signUp(t, db, "Again", "again@example.com", day0)
		signUp(t, db, "Again", "again@example.com", day0.Add(6*24*time.Hour)) // a fresh link
		n, err := db.PurgeUnconfirmed(ctx, day0.Add(subscribe.ConfirmWithin+time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("PurgeUnconfirmed = %d, %v; want 1", n, err)
		}
		if _, err := db.SubscriberByEmail(ctx, "old@example.com"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old@ kept: %v", err)
		}
		if got := subjects(t, db, "old@example.com"); len(got) != 0 {
			t.Errorf("old@'s mail records kept: %v", got)
		}
		for _, email := range []string{"kept@example.com", "again@example.com"} {
			if _, err := db.SubscriberByEmail(ctx, email); err != nil {
				t.Errorf("%s: %v", email, err)
			}
		}
	})
}
