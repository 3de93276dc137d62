package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/subscribe"
)

// Sign-ups racing through two handles on one database, as two instances
// would, share transactions (writeGrouped) and still each get their own
// outcome: every new address gets exactly one confirmation, one address
// signed up many times at once gets MailsPerDay mails and no more, and a
// sign-up that fails (a token hash already used, a mail that cannot be
// queued) fails alone, with its own error, leaving no trace.
func TestSignUpsTogether(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		dbs := []*DB{openTest(t, dsn), openTest(t, dsn)}
		_, taken := secret.NewToken()
		if _, err := dbs[0].SignUp(ctx, SignUp{Form: subscribe.Form{FirstName: "T", Email: "taken@example.com"}, TokenHash: taken, Compose: composeFor}); err != nil {
			t.Fatal(err)
		}
		badMail := func(*Subscriber, subscribe.Action) (*mail.Message, error) { return &mail.Message{}, nil }

		type attempt struct {
			email   string
			hash    []byte
			compose Compose
			action  subscribe.Action
			err     error
		}
		var attempts []*attempt
		for i := range 48 {
			_, hash := secret.NewToken()
			attempts = append(attempts, &attempt{email: fmt.Sprintf("new%d@example.com", i), hash: hash, compose: composeFor})
		}
		for range 10 {
			_, hash := secret.NewToken()
			attempts = append(attempts, &attempt{email: "same@example.com", hash: hash, compose: composeFor})
		}
		for i := range 4 {
			attempts = append(attempts, &attempt{email: fmt.Sprintf("reused%d@example.com", i), hash: taken, compose: composeFor})
			_, hash := secret.NewToken()
			attempts = append(attempts, &attempt{email: fmt.Sprintf("badmail%d@example.com", i), hash: hash, compose: badMail})
		}

		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, a := range attempts {
			wg.Go(func() {
				<-start
				a.action, a.err = dbs[i%2].SignUp(ctx, SignUp{Form: subscribe.Form{FirstName: "R", Email: a.email}, TokenHash: a.hash, Compose: a.compose})
			})
		}
		close(start)
		wg.Wait()

		sameSent := 0
		for _, a := range attempts {
			switch {
			case a.email == "same@example.com":
				if a.err != nil {
					t.Errorf("sign-up of %s: %v", a.email, a.err)
				}
				if a.action == subscribe.SendConfirmation {
					sameSent++
				}
			case string(a.hash) == string(taken):
				if !errors.Is(a.err, ErrConflict) {
					t.Errorf("sign-up of %s with a used token hash: %v, want ErrConflict", a.email, a.err)
				}
			case a.email[:3] == "bad":
				if a.err == nil || errors.Is(a.err, ErrConflict) {
					t.Errorf("sign-up of %s with a mail that cannot be queued: %v, want its own error", a.email, a.err)
				}
			default:
				if a.err != nil || a.action != subscribe.SendConfirmation {
					t.Errorf("sign-up of %s: %s, %v; want a confirmation", a.email, a.action, a.err)
				}
			}
		}
		for _, a := range attempts {
			got := subjects(t, dbs[0], a.email)
			_, err := dbs[0].SubscriberByEmail(ctx, a.email)
			switch {
			case a.email == "same@example.com":
				if len(got) != subscribe.MailsPerDay || sameSent != subscribe.MailsPerDay {
					t.Errorf("%s signed up 10 times at once: %d mails, %d callers told a confirmation went; want %d", a.email, len(got), sameSent, subscribe.MailsPerDay)
				}
			case a.err != nil:
				if len(got) != 0 || !errors.Is(err, ErrNotFound) {
					t.Errorf("failed sign-up of %s left %d mails and subscriber lookup %v", a.email, len(got), err)
				}
			default:
				if len(got) != 1 || err != nil {
					t.Errorf("%s: %d mails, subscriber lookup %v; want one mail", a.email, len(got), err)
				}
			}
		}
	})
}
