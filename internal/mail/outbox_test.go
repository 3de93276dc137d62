package mail_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unknot/internal/mail"
	"unknot/internal/mail/mailtest"
	"unknot/internal/store"
)

const from = "report@unknot.example"

func openDB(t testing.TB) *store.DB {
	t.Helper()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "mail.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newSMTP(t testing.TB, srv *mailtest.Server) *mail.SMTP {
	t.Helper()
	s, err := mail.NewSMTP(srv.URL(), from)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func message(i int) *mail.Message {
	m := &mail.Message{
		Kind:    mail.KindReport,
		To:      fmt.Sprintf("person%d@example.com", i),
		Subject: fmt.Sprintf("Your report, number %d", i),
		Text:    fmt.Sprintf("Hello number %d. Here is a link: https://example.com/s/tok%d/report.pdf — with a long line that must be wrapped by quoted-printable encoding because it goes on and on.", i, i),
		HTML:    fmt.Sprintf("<p>Hello number %d. Caf\u00e9.</p>", i),
	}
	m.SetListUnsubscribe(fmt.Sprintf("https://example.com/s/tok%d/unsubscribe", i))
	return m
}

// A message goes through the outbox and the worker to a real SMTP server
// with its headers, both bodies and its attachment intact.
func TestSMTPRoundTrip(t *testing.T) {
	srv := mailtest.NewServer(t)
	srv.User, srv.Password = "unknot", "s3cret pass"
	db := openDB(t)
	ctx := context.Background()
	m := message(1)
	pdf := []byte("%PDF-1.4 pretend\x00\xff binary")
	m.Attachments = []mail.Attachment{{Name: "five-ways.pdf", ContentType: "application/pdf", Data: pdf}}
	if err := db.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{Queue: db, Sender: newSMTP(t, srv), From: from}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		recs, _ := db.MailTo(ctx, m.To)
		t.Fatalf("server received %d messages, want 1; outbox: %+v", len(got), recs)
	}
	r := got[0]
	if r.From != from || len(r.To) != 1 || r.To[0] != m.To {
		t.Errorf("envelope from %q to %v", r.From, r.To)
	}
	if r.Header.Get("Subject") != m.Subject {
		t.Errorf("Subject = %q", r.Header.Get("Subject"))
	}
	if r.Header.Get("List-Unsubscribe") != "<https://example.com/s/tok1/unsubscribe>" ||
		r.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("list headers: %q, %q", r.Header.Get("List-Unsubscribe"), r.Header.Get("List-Unsubscribe-Post"))
	}
	if strings.TrimSpace(r.Text) != m.Text {
		t.Errorf("text = %q, want %q", r.Text, m.Text)
	}
	if strings.TrimSpace(r.HTML) != m.HTML {
		t.Errorf("HTML = %q, want %q", r.HTML, m.HTML)
	}
	if string(r.Attachments["five-ways.pdf"]) != string(pdf) {
		t.Errorf("attachment = %q", r.Attachments["five-ways.pdf"])
	}
	if r.Calendar != "" {
		t.Errorf("a calendar part without an invitation: %q", r.Calendar)
	}
	recs, err := db.MailTo(ctx, m.To)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].State != "sent" || recs[0].SentAt == nil || recs[0].MessageID != r.Header.Get("Message-Id") {
		t.Errorf("record = %+v, want sent with Message-ID %s", recs, r.Header.Get("Message-Id"))
	}
}

// TestSMTPInvitation checks that a calendar invitation travels as a
// calendar part whose MIME method matches the invitation's, and as a file.
func TestSMTPInvitation(t *testing.T) {
	srv := mailtest.NewServer(t)
	db := openDB(t)
	ctx := context.Background()
	ics := "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"
	m := message(1)
	m.Attachments = []mail.Attachment{{Name: "visit.ics", ContentType: "text/calendar; method=CANCEL", Data: []byte(ics)}}
	if err := db.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{Queue: db, Sender: newSMTP(t, srv), From: from}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	r := srv.Messages()[0]
	ctype, params, err := mime.ParseMediaType(r.CalendarType)
	if err != nil || ctype != "text/calendar" || params["method"] != "CANCEL" {
		t.Errorf("calendar part type %q (%v)", r.CalendarType, err)
	}
	if r.Calendar != ics || string(r.Attachments["visit.ics"]) != ics {
		t.Errorf("calendar part %q, file %q", r.Calendar, r.Attachments["visit.ics"])
	}
	if strings.TrimSpace(r.Text) != m.Text {
		t.Errorf("text = %q", r.Text)
	}
}

func TestNewSMTPRejects(t *testing.T) {
	for _, u := range []string{"http://host", "smtp://", "smtp://host:0", "smtp://host:x", "::"} {
		if _, err := mail.NewSMTP(u, from); err == nil {
			t.Errorf("NewSMTP(%q) succeeded", u)
		}
	}
	if _, err := mail.NewSMTP("smtp://host:25", "not an address"); err == nil {
		t.Error("NewSMTP with a bad from address succeeded")
	}
	// Errors never repeat the password.
	if _, err := mail.NewSMTP("smtp://user:s3cret pass@host:25", from); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("NewSMTP with an unescaped password: %v", err)
	}
}

// A refusal with a 4xx code is retried later with backoff; one with a 5xx
// code is given up at once.
func TestWorkerRetriesAndGivesUp(t *testing.T) {
	srv := mailtest.NewServer(t)
	db := openDB(t)
	ctx := context.Background()
	for i := range 2 {
		if err := db.EnqueueMail(ctx, message(i)); err != nil {
			t.Fatal(err)
		}
	}
	srv.Refuse(451)
	srv.Refuse(550)
	w := &mail.Worker{Queue: db, Sender: newSMTP(t, srv), From: from}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	temp, _ := db.MailTo(ctx, "person0@example.com")
	perm, _ := db.MailTo(ctx, "person1@example.com")
	if temp[0].State != "queued" || !strings.Contains(temp[0].LastError, "451") {
		t.Errorf("after 451: %+v, want queued with the error", temp[0])
	}
	if perm[0].State != "failed" || !strings.Contains(perm[0].LastError, "550") {
		t.Errorf("after 550: %+v, want failed", perm[0])
	}
	// Not due yet: nothing is claimed.
	if n, _ := w.RunOnce(ctx); n != 0 {
		t.Errorf("claimed %d messages before the backoff ran out", n)
	}
	// Once due, it is sent.
	claimed, err := db.ClaimMail(ctx, time.Now().Add(mail.Backoff(1)+time.Second), time.Minute, 10)
	if err != nil || len(claimed) != 1 || claimed[0].Attempts != 2 {
		t.Fatalf("claim after backoff = %+v, %v", claimed, err)
	}
}

// Mail whose worker died after claiming it is sent once its lease runs
// out, exactly once.
func TestLeaseExpiry(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	if err := db.EnqueueMail(ctx, message(1)); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	first, err := db.ClaimMail(ctx, now, time.Minute, 10)
	if err != nil || len(first) != 1 {
		t.Fatalf("first claim = %v, %v", first, err)
	}
	if again, _ := db.ClaimMail(ctx, now.Add(59*time.Second), time.Minute, 10); len(again) != 0 {
		t.Fatalf("claimed again within the lease: %v", again)
	}
	second, err := db.ClaimMail(ctx, now.Add(61*time.Second), time.Minute, 10)
	if err != nil || len(second) != 1 || second[0].Key != first[0].Key {
		t.Fatalf("claim after the lease = %v, %v", second, err)
	}
	if first[0].MessageID(from) != second[0].MessageID(from) {
		t.Error("Message-ID changed between attempts")
	}
}

// The restart test: a worker is stopped while mail is being sent (as at a
// restart), a new worker on a new connection to the same database carries
// on, and every message arrives exactly once.
func TestRestartLosesAndDoublesNothing(t *testing.T) {
	srv := mailtest.NewServer(t)
	path := filepath.Join(t.TempDir(), "restart.db")
	ctx := context.Background()
	const total = 300
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range total {
		if err := db.EnqueueMail(ctx, message(i)); err != nil {
			t.Fatal(err)
		}
	}
	// Also a claim left behind by a worker that crashed: its lease is
	// already over.
	if _, err := db.ClaimMail(ctx, time.Now().Add(-time.Hour), time.Minute, 5); err != nil {
		t.Fatal(err)
	}

	// run runs a worker until it has sent stopAfter messages, then stops
	// it as a shutdown does, in the middle of a batch (or gives up after
	// 20 s, when mail was lost).
	run := func(db *store.DB, stopAfter int) {
		ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		sender := &stopAfterSends{Sender: newSMTP(t, srv), left: stopAfter, stop: cancel}
		w := &mail.Worker{Queue: db, Sender: sender, From: from, Poll: 10 * time.Millisecond, Batch: 20}
		w.Run(ctx)
	}
	run(db, total/3)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	sentBefore := len(srv.Messages())
	if sentBefore == 0 || sentBefore >= total {
		t.Fatalf("first worker sent %d of %d; the test wants it stopped midway", sentBefore, total)
	}

	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run(db, total-len(srv.Messages()))

	ids, to := map[string]int{}, map[string]int{}
	for _, m := range srv.Messages() {
		ids[m.Header.Get("Message-Id")]++
		to[m.To[0]]++
	}
	for i := range total {
		if n := to[fmt.Sprintf("person%d@example.com", i)]; n != 1 {
			t.Errorf("person%d received %d copies, want 1", i, n)
		}
	}
	if len(ids) != total {
		t.Errorf("%d distinct Message-IDs, want %d", len(ids), total)
	}
	if n := len(srv.Messages()); n != total {
		t.Errorf("server received %d messages, want %d", n, total)
	}
	counts, err := db.MailCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["sent"] != total {
		t.Errorf("outbox counts %v, want %d sent", counts, total)
	}
}

// The dev mailbox keeps one copy of each message, even when a message is
// delivered twice.
func TestDevMailbox(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	m := message(7)
	m.Attachments = []mail.Attachment{{Name: "r.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}
	if err := db.EnqueueMail(ctx, m); err != nil {
		t.Fatal(err)
	}
	claimed, err := db.ClaimMail(ctx, time.Now(), time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatal(claimed, err)
	}
	dev := mail.DevMailbox{Store: db, From: from}
	id := claimed[0].MessageID(from)
	for range 2 {
		if err := dev.Send(ctx, &claimed[0], id); err != nil {
			t.Fatal(err)
		}
	}
	box, err := db.DevMailbox(ctx, 10)
	if err != nil || len(box) != 1 {
		t.Fatalf("DevMailbox = %v, %v; want one message", box, err)
	}
	got, err := db.DevMailByID(ctx, box[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != m.Subject || got.Text != m.Text || got.HTML != m.HTML || got.From != from || got.MessageID != id ||
		len(got.Attachments) != 1 || string(got.Attachments[0].Data) != "%PDF" || got.Headers["List-Unsubscribe-Post"] == "" {
		t.Errorf("dev mail = %+v", got)
	}
	if _, err := db.DevMailByID(ctx, 999); err != store.ErrNotFound {
		t.Errorf("DevMailByID(999) = %v, want ErrNotFound", err)
	}
}

// stopAfterSends is a sender that cancels its worker's context once it
// has sent left messages.
type stopAfterSends struct {
	mail.Sender
	left int
	stop context.CancelFunc
}

func (s *stopAfterSends) Send(ctx context.Context, q *mail.Queued, messageID string) error {
	err := s.Sender.Send(ctx, q, messageID)
	if s.left--; s.left == 0 {
		s.stop()
	}
	return err
}

// Mail written by Prepare, just before the claim, goes out in that same
// run; a failing Prepare does not stop the mail already queued.
func TestWorkerPrepare(t *testing.T) {
	srv := mailtest.NewServer(t)
	db := openDB(t)
	ctx := context.Background()
	calls := 0
	w := &mail.Worker{Queue: db, Sender: newSMTP(t, srv), From: from,
		Prepare: func(ctx context.Context, now time.Time) error {
			calls++
			if calls == 2 {
				return errors.New("prepare failed")
			}
			return db.EnqueueMail(ctx, message(calls))
		}}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("first run: %d claimed, %v, %d sent; want the prepared mail sent", n, err, len(srv.Messages()))
	}
	if err := db.EnqueueMail(ctx, message(9)); err != nil {
		t.Fatal(err)
	}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Errorf("run after a failing prepare: %d claimed, %v; want the queued mail sent", n, err)
	}
}
