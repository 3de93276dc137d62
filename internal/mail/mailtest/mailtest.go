// Package mailtest runs a real SMTP server on loopback for tests
// (github.com/emersion/go-smtp) and takes the messages it receives apart:
// headers, text and HTML bodies (decoded from quoted-printable or base64)
// and attachments.
package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is an SMTP server on 127.0.0.1 that keeps what it receives.
type Server struct {
	Addr string // host:port
	// User and Password, when set, are required to log in (PLAIN).
	User, Password string

	mu       sync.Mutex
	received []*Message
	refuse   []*smtp.SMTPError // answers to the next DATA commands
}

// NewServer starts a server that stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.MaxMessageBytes = 20 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return s
}

// URL is the server's address as an --smtp-url.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr}
	if s.User != "" {
		u.User = url.UserPassword(s.User, s.Password)
	}
	return u.String()
}

// Refuse makes the server answer the next message with code (such as 451,
// try later, or 550, no such mailbox) instead of accepting it.
func (s *Server) Refuse(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = append(s.refuse, &smtp.SMTPError{Code: code, Message: fmt.Sprintf("refused for the test (%d)", code)})
}

// Messages returns what the server has accepted so far, in order.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.received...)
}

type session struct {
	srv      *Server
	authed   bool
	from     string
	to       []string
	identity string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.srv.User || pass != ss.srv.Password {
			return errors.New("wrong user or password")
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.User != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.srv.mu.Lock()
	defer ss.srv.mu.Unlock()
	if len(ss.srv.refuse) > 0 {
		e := ss.srv.refuse[0]
		ss.srv.refuse = ss.srv.refuse[1:]
		return e
	}
	m, err := Parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To = ss.from, ss.to
	ss.srv.received = append(ss.srv.received, m)
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// Message is a received email taken apart.
type Message struct {
	From        string   // envelope sender
	To          []string // envelope recipients
	Header      mail.Header
	Text, HTML  string            // decoded bodies
	Attachments map[string][]byte // by file name, decoded
	// Calendar is the decoded calendar part (not a file), and
	// CalendarType its full Content-Type, such as
	// "text/calendar; method=REQUEST; charset=UTF-8".
	Calendar, CalendarType string
	Raw                    []byte
}

// Parse takes a raw message apart.
func Parse(raw []byte) (*Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	m := &Message{Header: msg.Header, Raw: raw, Attachments: map[string][]byte{}}
	if err := m.walk(msg.Header, msg.Body); err != nil {
		return nil, err
	}
	return m, nil
}

// header is a message's or a part's header.
type header interface{ Get(string) string }

// walk reads one MIME part, descending into multiparts.
func (m *Message) walk(h header, body io.Reader) error {
	ctype, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		ctype = "text/plain"
	}
	if strings.HasPrefix(ctype, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header, p); err != nil {
				return err
			}
		}
	}
	data, err := io.ReadAll(decode(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return err
	}
	_, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	switch {
	case dparams["filename"] != "":
		m.Attachments[dparams["filename"]] = data
	case ctype == "text/html":
		m.HTML = string(data)
	case ctype == "text/calendar":
		m.Calendar, m.CalendarType = string(data), h.Get("Content-Type")
	default:
		m.Text = string(data)
	}
	return nil
}

func decode(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r) // skips line breaks
	}
	return r
}
