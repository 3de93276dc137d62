package mail

import (
	"strings"
	"testing"
	"time"
)

func validMessage() *Message {
	return &Message{Kind: KindConfirm, To: "anna@example.com", Subject: "Hello", Text: "Hi Anna"}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *Message)
		ok     bool
	}{
		{"valid", func(*Message) {}, true},
		{"with headers and attachment", func(m *Message) {
			m.SetListUnsubscribe("https://example.com/u/x")
			m.Attachments = []Attachment{{Name: "report.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}
		}, true},
		{"no recipient", func(m *Message) { m.To = "" }, false},
		{"display name", func(m *Message) { m.To = "Anna <anna@example.com>" }, false},
		{"two recipients", func(m *Message) { m.To = "a@example.com, b@example.com" }, false},
		{"no subject", func(m *Message) { m.Subject = " " }, false},
		{"header injection in subject", func(m *Message) { m.Subject = "Hi\r\nBcc: x@example.com" }, false},
		{"no text", func(m *Message) { m.Text = "" }, false},
		{"no kind", func(m *Message) { m.Kind = "" }, false},
		{"header injection", func(m *Message) { m.Headers = map[string]string{"X-A": "b\nBcc: x@example.com"} }, false},
		{"bad header name", func(m *Message) { m.Headers = map[string]string{"X A": "b"} }, false},
		{"overriding From", func(m *Message) { m.Headers = map[string]string{"from": "x@example.com"} }, false},
		{"attachment without type", func(m *Message) { m.Attachments = []Attachment{{Name: "a.pdf"}} }, false},
		{"attachment path", func(m *Message) {
			m.Attachments = []Attachment{{Name: "../a.pdf", ContentType: "application/pdf"}}
		}, false},
		{"too large", func(m *Message) { m.Text = strings.Repeat("x", maxBody+1) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validMessage()
			tt.change(m)
			if err := m.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"anna@example.com", "anna@example.com", true},
		{"  Anna.B+knots@Example.COM ", "Anna.B+knots@example.com", true},
		{"", "", false},
		{"anna", "", false},
		{"anna@localhost", "", false},
		{"anna@example.", "", false},
		{"Anna <anna@example.com>", "", false},
		{"anna@[127.0.0.1]", "", false},
		{"a@b.c, d@e.f", "", false},
		{strings.Repeat("a", 65) + "@example.com", "", false},
		{"a@" + strings.Repeat("b", 250) + ".com", "", false},
	}
	for _, tt := range tests {
		got, err := ParseAddress(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseAddress(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"anna@example.com", "a <b@c.d>", "\"x y\"@example.com", "a@b", "@", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := ParseAddress(s)
		if err != nil {
			return
		}
		// Whatever is accepted is one address that can go in a header
		// and parses to itself again.
		if strings.ContainsAny(addr, "\r\n<>,") {
			t.Fatalf("ParseAddress(%q) = %q, which can break a header", s, addr)
		}
		again, err := ParseAddress(addr)
		if err != nil || again != addr {
			t.Fatalf("ParseAddress(%q) = %q, but that parses to %q, %v", s, addr, again, err)
		}
	})
}

func TestSetListUnsubscribe(t *testing.T) {
	m := validMessage()
	m.SetListUnsubscribe("https://example.com/s/tok/unsubscribe")
	if got := m.Headers["List-Unsubscribe"]; got != "<https://example.com/s/tok/unsubscribe>" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if got := m.Headers["List-Unsubscribe-Post"]; got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
}

func TestLetter(t *testing.T) {
	l := &Letter{
		Greeting:    "Hi <Anna>,",
		Before:      []string{"Please confirm."},
		Button:      &Link{Label: "Yes, send me the report", URL: "https://example.com/s/abc/confirm?x=1&y=2"},
		After:       []string{"If you did not ask, ignore this."},
		SignOff:     "Take care,\nthe unknot team",
		Footer:      []string{"You get this because someone signed up."},
		FooterLinks: []Link{{Label: "Unsubscribe", URL: "https://example.com/s/abc"}},
	}
	m, err := l.Message(KindConfirm, "anna@example.com", "Confirm")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Hi <Anna>,\n\nPlease confirm.\n\n", "Yes, send me the report:\nhttps://example.com/s/abc/confirm?x=1&y=2\n",
		"Take care,\nthe unknot team\n\n-- \n", "Unsubscribe: https://example.com/s/abc\n"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text has no %q:\n%s", want, m.Text)
		}
	}
	for _, want := range []string{"Hi &lt;Anna&gt;,", `href="https://example.com/s/abc/confirm?x=1&amp;y=2"`, "Take care,<br>the unknot team", "<title>Confirm</title>"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML has no %q", want)
		}
	}
	if err := m.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, 30 * time.Second},
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{10, 256 * time.Minute},
		{11, 6 * time.Hour},
		{1000, 6 * time.Hour},
	}
	for _, tt := range tests {
		if got := Backoff(tt.n); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	// It never shrinks.
	for n := 1; n < 100; n++ {
		if Backoff(n+1) < Backoff(n) {
			t.Fatalf("Backoff(%d) < Backoff(%d)", n+1, n)
		}
	}
}

func TestQueuedMessageID(t *testing.T) {
	q := &Queued{Key: "abc"}
	for from, want := range map[string]string{
		"report@clinic.example": "<abc@clinic.example>",
		"Clinic <a@b.example>":  "<abc@b.example>",
		"":                      "<abc@unknot.invalid>",
	} {
		if got := q.MessageID(from); got != want {
			t.Errorf("MessageID(%q) = %q, want %q", from, got, want)
		}
	}
}

func TestCheckFrom(t *testing.T) {
	for from, ok := range map[string]bool{
		"guide@clinic.example":                true,
		"unknot <guide@clinic.example>":       true,
		"\"Clinic, Inc.\" <a@clinic.example>": true,
		"guide":                               false,
		"unknot <guide@localhost>":            false,
		"":                                    false,
	} {
		if err := CheckFrom(from); (err == nil) != ok {
			t.Errorf("CheckFrom(%q) = %v, want ok=%v", from, err, ok)
		}
	}
}
