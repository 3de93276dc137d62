package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/mail"
	"unknot/internal/store"
)

// devMailFrom is the sender of mail when none is set, good enough for the
// dev mailbox only.
const devMailFrom = "unknot@localhost.localdomain"

// defaultMailRate is how many mails a second the worker sends at most by
// default. The old 10 a second left a 10-second burst of sign-ups (about
// 15,000 at the 1,500 a second one instance takes) queued for half an
// hour, when a confirmation mail is only useful within minutes; 50 a
// second sends that burst in 5 minutes. Relays that allow less answer
// with temporary (4xx) errors, and the worker tries those mails again
// later; set --mail-rate to the relay's quota to avoid the retries.
const defaultMailRate = 50

// mailFlags are the settings of outgoing mail on unknot serve.
type mailFlags struct {
	smtpURL    *string
	from       *string
	rate       *float64
	production *bool
}

func addMailFlags(fs *flag.FlagSet) *mailFlags {
	return &mailFlags{
		smtpURL: fs.String("smtp-url", env("UNKNOT_SMTP_URL", ""),
			"send mail through the SMTP server at `URL`: smtp://user:password@host:port (STARTTLS when offered) or smtps://…; "+
				"without it, mail goes to the dev mailbox at /dev/mailbox (UNKNOT_SMTP_URL)"),
		from: fs.String("mail-from", env("UNKNOT_MAIL_FROM", devMailFrom),
			"`address` mail is sent from, such as \"unknot <guide@clinic.example>\" (UNKNOT_MAIL_FROM)"),
		rate: fs.Float64("mail-rate", defaultMailRate,
			"mails a second at most, per instance; the default sends a 10-second burst of sign-ups within minutes, "+
				"and a relay that answers faster sending with a temporary error gets the mail again later (UNKNOT_MAIL_RATE)"),
		production: fs.Bool("production", env("UNKNOT_ENV", "") == "production",
			"production mode: SMTP, --mail-from, --secret-key and an https --base-url are required, cookies are Secure, "+
				"and there is no dev mailbox (UNKNOT_PRODUCTION=true or UNKNOT_ENV=production)"),
	}
}

// check reports a problem with the mail settings, given the site's base
// URL, as a usage error.
func (m *mailFlags) check(baseURL string) error {
	if err := mail.CheckFrom(*m.from); err != nil {
		return fmt.Errorf("--mail-from: %v", err)
	}
	if err := positive("mail-rate", *m.rate); err != nil {
		return err
	}
	if *m.smtpURL != "" {
		if _, err := mail.NewSMTP(*m.smtpURL, *m.from); err != nil {
			return fmt.Errorf("--smtp-url: %v", err)
		}
		// Without a base URL, links in real mail would point at the
		// listening address, or be built from a visitor's Host.
		if baseURL == "" {
			return errors.New("--base-url: required with --smtp-url, so that links in emails point at the site")
		}
	}
	if !*m.production {
		return nil
	}
	// Links in mail must not be built from the request's Host header,
	// which a visitor controls, and one-click unsubscribe needs https.
	if u, err := url.Parse(baseURL); err != nil || u.Scheme != "https" || u.Host == "" {
		return errors.New("--base-url: an https URL is required in production, for the links in emails")
	}
	if *m.smtpURL == "" {
		return errors.New("--smtp-url: required in production (the dev mailbox is for development only)")
	}
	if *m.from == devMailFrom {
		return errors.New("--mail-from: set the address mail is sent from in production")
	}
	return nil
}

// devMailbox reports whether mail goes to the dev mailbox.
func (m *mailFlags) devMailbox() bool { return *m.smtpURL == "" && !*m.production }

// startMail starts the mail worker on db, and an hourly clean-up of
// sign-ups never confirmed, and returns the function that stops both,
// waiting for the message being sent to be recorded. prepare, if not nil,
// runs before each claim of the worker (mail.Worker.Prepare); count, if not
// nil, wraps the sender to count what it sends. Each call to the database
// runs under dbTimeout (--db-timeout).
func (m *mailFlags) startMail(db *store.DB, dbTimeout time.Duration, prepare func(context.Context, time.Time) error, count func(mail.Sender) mail.Sender, log *slog.Logger) (stop func(), err error) {
	var sender mail.Sender = mail.DevMailbox{Store: db, From: *m.from}
	if !m.devMailbox() {
		s, err := mail.NewSMTP(*m.smtpURL, *m.from)
		if err != nil {
			return nil, err
		}
		sender = s
	}
	if count != nil {
		sender = count(sender)
	}
	w := &mail.Worker{
		Queue:   deadlineQueue{queue: db, timeout: dbTimeout},
		Sender:  sender,
		From:    *m.from,
		Log:     log,
		Limit:   rate.NewLimiter(rate.Limit(*m.rate), max(1, int(*m.rate))),
		Prepare: withDeadline(dbTimeout, prepare),
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	wg.Go(func() { purgeUnconfirmed(ctx, db, dbTimeout, log) })
	if m.devMailbox() {
		log.Info("no SMTP server set: mail goes to the dev mailbox at /dev/mailbox")
	}
	return func() { cancel(); wg.Wait() }, nil
}

// purgeUnconfirmed deletes, every hour until ctx ends, the sign-ups whose
// confirmation links have all expired, each time within timeout.
func purgeUnconfirmed(ctx context.Context, db *store.DB, timeout time.Duration, log *slog.Logger) {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	purge := func() (int, error) {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		return db.PurgeUnconfirmed(ctx, time.Now())
	}
	for {
		if n, err := purge(); err != nil && ctx.Err() == nil {
			log.Error("deleting unconfirmed sign-ups", "err", err)
		} else if n > 0 {
			log.Info("deleted unconfirmed sign-ups", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
