package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTP sends mail to an SMTP server with github.com/wneessen/go-mail,
// keeping one connection open while there is mail to send. It is safe for
// concurrent use; sends are serialised on the connection.
type SMTP struct {
	from   string
	mu     sync.Mutex
	client *gomail.Client
	open   bool // the client holds a connection
}

// NewSMTP returns a sender for the server named by rawURL, of the form
// smtp://user:password@host:port (port 587 when left out, STARTTLS when
// the server offers it) or smtps://user:password@host:port (TLS from the
// start, port 465), sending from the address from (which may carry a
// display name).
func NewSMTP(rawURL, from string) (*SMTP, error) {
	if err := CheckFrom(from); err != nil {
		return nil, fmt.Errorf("mail from %q: %w", from, err)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error repeats the URL, password included.
		return nil, errors.New("smtp url: cannot be read; characters such as @ : / in the password must be percent-encoded")
	}
	opts := []gomail.Option{
		gomail.WithTimeout(30 * time.Second),
		gomail.WithTLSPortPolicy(gomail.TLSOpportunistic),
	}
	port := 587
	switch u.Scheme {
	case "smtp":
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("smtp url: scheme must be smtp or smtps, not %q", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("smtp url: bad port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		// go-mail picks the best mechanism the server offers, and never
		// sends a password in the clear; only a server on this machine
		// may take PLAIN without TLS.
		auth := gomail.SMTPAuthAutoDiscover
		if ip := net.ParseIP(u.Hostname()); u.Hostname() == "localhost" || ip != nil && ip.IsLoopback() {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts,
			gomail.WithSMTPAuth(auth),
			gomail.WithUsername(user),
			gomail.WithPassword(pass))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return &SMTP{from: from, client: c}, nil
}

// Send delivers q under messageID. Refusals with a 5xx code are returned
// as a *PermanentError.
func (s *SMTP) Send(ctx context.Context, q *Queued, messageID string) error {
	msg, err := s.build(q, messageID)
	if err != nil {
		return &PermanentError{err}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// A connection kept from an earlier send may have been closed by the
	// server meanwhile; then dial once more before giving up.
	for try := 0; ; try++ {
		if !s.open {
			if err := s.client.DialWithContext(ctx); err != nil {
				return fmt.Errorf("smtp: connecting: %w", err)
			}
			s.open = true
		}
		err = s.client.Send(msg)
		if err == nil {
			return nil
		}
		s.client.Close()
		s.open = false
		var serr *gomail.SendError
		if errors.As(err, &serr) && serr.Reason == gomail.ErrConnCheck && try == 0 {
			continue
		}
		if errors.As(err, &serr) && serr.ErrorCode() >= 500 && serr.ErrorCode() < 600 {
			return &PermanentError{err}
		}
		return fmt.Errorf("smtp: %w", err)
	}
}

// Close ends the connection, if one is open. The next Send opens another.
func (s *SMTP) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.open {
		return nil
	}
	s.open = false
	return s.client.Close()
}

// build turns q into a go-mail message: text, with HTML as an
// alternative, its extra headers and its attachments.
func (s *SMTP) build(q *Queued, messageID string) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(s.from); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := m.To(q.To); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	m.Subject(q.Subject)
	m.SetMessageIDWithValue(messageID[1 : len(messageID)-1])
	m.SetDate()
	for name, value := range q.Headers {
		m.SetGenHeaderPreformatted(gomail.Header(name), value)
	}
	m.SetBodyString(gomail.TypeTextPlain, q.Text)
	if q.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, q.HTML)
	}
	for _, a := range q.Attachments {
		ctype := a.ContentType
		if method := a.CalendarMethod(); method != "" {
			// An invitation goes in as a calendar part, whose method mail
			// clients read, and as a file for those that only offer files.
			m.AddAlternativeString(gomail.ContentType("text/calendar; method="+method), string(a.Data))
			ctype = "application/ics"
		}
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(ctype))); err != nil {
			return nil, fmt.Errorf("attachment %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// DevStore keeps the dev mailbox; *store.DB implements it.
type DevStore interface {
	SaveDevMail(ctx context.Context, q *Queued, from, messageID string) error
}

// DevMailbox "sends" mail by keeping it in the database, to be read at
// /dev/mailbox, so that every email flow works on a machine without an
// SMTP server. It must never be used in production.
type DevMailbox struct {
	Store DevStore
	From  string
}

// Send stores q in the dev mailbox. Storing the same message twice keeps
// one copy.
func (d DevMailbox) Send(ctx context.Context, q *Queued, messageID string) error {
	return d.Store.SaveDevMail(ctx, q, d.From, messageID)
}
