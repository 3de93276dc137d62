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
		rate: fs.Float64("mail-rate", 10, "mails a second at most"),
		production: fs.Bool("production", env("UNKNOT_ENV", "") == "production",
			"production mode: SMTP, --mail-from and an https --base-url are required, and there is no dev mailbox (UNKNOT_ENV=production)"),
	}
}

// check reports a problem with the mail settings, given the site's base
// URL, as a usage error.
func (m *mailFlags) check(baseURL string) error {
	if err := mail.CheckFrom(*m.from); err != nil {
		return fmt.Errorf("--mail-from: %v", err)
	}
	if *m.rate <= 0 {
		return errors.New("--mail-rate: must be greater than 0")
	}
	if *m.smtpURL != "" {
		if _, err := mail.NewSMTP(*m.smtpURL, *m.from); err != nil {
			return fmt.Errorf("--smtp-url: %v", err)
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
// runs before each claim of the worker (mail.Worker.Prepare). Each call
// to the database runs under dbTimeout (--db-timeout).
func (m *mailFlags) startMail(db *store.DB, dbTimeout time.Duration, prepare func(context.Context, time.Time) error, log *slog.Logger) (stop func(), err error) {
	var sender mail.Sender = mail.DevMailbox{Store: db, From: *m.from}
	if !m.devMailbox() {
		s, err := mail.NewSMTP(*m.smtpURL, *m.from)
		if err != nil {
			return nil, err
		}
		sender = s
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
