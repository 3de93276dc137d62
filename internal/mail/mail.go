// Package mail builds unknot's emails and delivers them. Every email goes
// through an outbox in the database (see store.DB.EnqueueMail) so that a
// mail is written in the same transaction as the change that causes it; a
// [Worker] then claims due mail, hands it to a [Sender] (SMTP, or the
// built-in dev mailbox when no SMTP server is configured), and records what
// was sent.
package mail

import (
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of mail, for the record of what was sent and for the dev mailbox.
// Other capabilities may add their own.
const (
	KindConfirm = "subscribe_confirm" // double opt-in: confirm your address
	KindReport  = "subscribe_report"  // the free report, after confirmation
	// KindPlanLink is "email me this link": the private link of a plan,
	// sent once. The outbox forgets its recipient once it is sent or given up.
	KindPlanLink = "plan_link"
	// KindInvitation invites a therapist to set the password of their
	// account on the staff desk.
	KindInvitation = "staff_invitation"
)

// Message is one email to one person, as it is queued in the outbox.
type Message struct {
	To      string // the recipient's address, such as "anna@example.com"
	Subject string
	Text    string // the plain-text body; required
	HTML    string // the HTML body; optional, sent as an alternative to Text
	// Headers are extra header fields, such as List-Unsubscribe. Set them
	// with methods like [Message.SetListUnsubscribe] where there is one.
	Headers     map[string]string
	Attachments []Attachment
	// Kind names what the mail is for (KindConfirm, "comment_reply"…), so
	// the record of sent mail can be read without the bodies.
	Kind string
}

// Attachment is a file sent with a message. A calendar invitation is an
// attachment whose ContentType is "text/calendar; method=…" (see
// CalendarMethod): senders also put it in the message as a calendar part
// that mail clients offer to add to the calendar.
type Attachment struct {
	Name        string // file name shown to the recipient, such as "report.pdf"
	ContentType string // such as "application/pdf"
	Data        []byte
}

// CalendarMethod returns the iTIP method of a calendar invitation
// ("REQUEST", "CANCEL"), or "" when a is not one.
func (a Attachment) CalendarMethod() string {
	ctype, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || ctype != "text/calendar" {
		return ""
	}
	return strings.ToUpper(params["method"])
}

// Limits that keep a single message within what mail servers accept.
const (
	maxSubject     = 200
	maxBody        = 1 << 20
	maxAttachments = 10 << 20
)

// Validate reports the first thing that would make m unsendable: no valid
// recipient, no subject or text, a line break in a header (which would let
// one header smuggle in others), or sizes mail servers refuse.
func (m *Message) Validate() error {
	if _, err := ParseAddress(m.To); err != nil {
		return fmt.Errorf("mail: recipient: %w", err)
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		return errors.New("mail: empty subject")
	case utf8.RuneCountInString(m.Subject) > maxSubject:
		return errors.New("mail: subject too long")
	case strings.ContainsAny(m.Subject, "\r\n"):
		return errors.New("mail: line break in subject")
	case strings.TrimSpace(m.Text) == "":
		return errors.New("mail: empty text body")
	case len(m.Text) > maxBody || len(m.HTML) > maxBody:
		return errors.New("mail: body too large")
	case m.Kind == "":
		return errors.New("mail: no kind")
	}
	for name, value := range m.Headers {
		if !validHeaderName(name) {
			return fmt.Errorf("mail: bad header name %q", name)
		}
		if strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("mail: line break in header %s", name)
		}
	}
	size := 0
	for _, a := range m.Attachments {
		if a.Name == "" || strings.ContainsAny(a.Name, "\r\n\"/\\") {
			return fmt.Errorf("mail: bad attachment name %q", a.Name)
		}
		if a.ContentType == "" {
			return fmt.Errorf("mail: attachment %s has no content type", a.Name)
		}
		size += len(a.Data)
	}
	if size > maxAttachments {
		return errors.New("mail: attachments too large")
	}
	return nil
}

// validHeaderName reports whether name is a header field name (RFC 5322:
// printable ASCII but the colon) that is not one the sender sets itself.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	switch strings.ToLower(name) {
	case "from", "to", "cc", "bcc", "subject", "date", "message-id", "content-type", "mime-version", "content-transfer-encoding":
		return false
	}
	return true
}

// SetListUnsubscribe marks m as list mail that the recipient can leave with
// one click: a List-Unsubscribe header pointing at url and the RFC 8058
// List-Unsubscribe-Post header, which lets mail clients unsubscribe by
// POSTing to url without opening it. url should be https in production.
func (m *Message) SetListUnsubscribe(url string) {
	if m.Headers == nil {
		m.Headers = map[string]string{}
	}
	m.Headers["List-Unsubscribe"] = "<" + url + ">"
	m.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
}

// Limits on addresses (RFC 5321: 64 octets for the local part, 254 for the
// whole path).
const (
	maxAddress = 254
	maxLocal   = 64
)

// ParseAddress checks that s is one plain email address, such as
// "anna@example.com" (no display name, no angle brackets, a dot in the
// domain), and returns it trimmed, with the domain in lower case.
func ParseAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("no email address")
	}
	if len(s) > maxAddress {
		return "", errors.New("the email address is too long")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", errors.New("this does not look like an email address")
	}
	local, domain, ok := strings.Cut(a.Address, "@")
	if !ok || local == "" || len(local) > maxLocal {
		return "", errors.New("this does not look like an email address")
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.ContainsAny(domain, "[]") {
		return "", errors.New("the part after @ should be a domain, such as example.com")
	}
	return local + "@" + strings.ToLower(domain), nil
}

// CheckFrom checks the address mail is sent from, which may carry a
// display name, such as "unknot <guide@clinic.example>".
func CheckFrom(from string) error {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return errors.New("this does not look like an email address")
	}
	_, err = ParseAddress(a.Address)
	return err
}

// Queued is a message claimed from the outbox for sending.
type Queued struct {
	ID int64
	// Key is random and fixed when the message is queued; the Message-ID
	// header is made from it, so every attempt to send the same row carries
	// the same Message-ID and a receiver can drop a duplicate.
	Key string
	// Claim is the lease the message was claimed under, shared by its
	// batch: only its holder may renew the lease or record the outcome.
	Claim    string
	Attempts int // attempts so far, this one included
	Message
}

// Sent is a claimed message that the mail server accepted, to be recorded
// as sent (Queue.MarkMailSent).
type Sent struct {
	ID        int64
	Claim     string // Queued.Claim
	MessageID string
	At        time.Time
}

// MessageID returns the Message-ID of q for mail sent from the domain of
// from, in angle brackets.
func (q *Queued) MessageID(from string) string {
	domain := "unknot.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "<" + q.Key + "@" + domain + ">"
}
