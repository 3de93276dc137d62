package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/mail/mailtest"
	"unknot/internal/store"
	"unknot/internal/web"
)

// startTestMail starts the mail worker as `unknot serve` would with args.
func startTestMail(t *testing.T, db *store.DB, args ...string) func() {
	t.Helper()
	fs := newFlags("serve", io.Discard)
	opts := addMailFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	if err := opts.check("https://unknot.example"); err != nil {
		t.Fatal(err)
	}
	stop, err := opts.startMail(db, time.Second, nil, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return stop
}

// Sign-ups through the API reach a real SMTP server, and a restart of
// the mail worker halfway loses and doubles nothing.
func TestServeMailAcrossRestart(t *testing.T) {
	smtp := mailtest.NewServer(t)
	path := filepath.Join(t.TempDir(), "unknot.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := web.Config{WriteRate: rate.Inf, WriteBurst: 1, Mail: web.MailConfig{SignUpRate: rate.Inf, SignUpBurst: 1}}
	srv, err := web.New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	const total = 60
	for i := range total {
		resp, err := http.Post(ts.URL+"/api/v1/subscribers", "application/json",
			strings.NewReader(fmt.Sprintf(`{"first_name":"P%d","email":"p%d@example.com"}`, i, i)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("sign-up %d: %d", i, resp.StatusCode)
		}
	}
	ts.Close()
	args := []string{"--smtp-url", smtp.URL(), "--mail-from", "guide@clinic.example", "--mail-rate", "20"}
	waitFor := func(n int) {
		for deadline := time.Now().Add(20 * time.Second); len(smtp.Messages()) < n && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
	}
	stop := startTestMail(t, db, args...)
	waitFor(total / 3)
	stop()
	db.Close()
	if n := len(smtp.Messages()); n == 0 || n == total {
		t.Fatalf("%d of %d sent before the restart; the test wants it stopped midway", n, total)
	}

	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stop = startTestMail(t, db, args...)
	waitFor(total)
	stop()

	got := map[string]int{}
	for _, m := range smtp.Messages() {
		got[m.To[0]]++
		if !strings.Contains(m.Text, "/confirm") || m.Header.Get("List-Unsubscribe-Post") == "" {
			t.Errorf("mail to %s lacks its confirm link or one-click header", m.To[0])
		}
	}
	for i := range total {
		if n := got[fmt.Sprintf("p%d@example.com", i)]; n != 1 {
			t.Errorf("p%d received %d confirmations, want 1", i, n)
		}
	}
	if counts, _ := db.MailCounts(ctx); counts["sent"] != total {
		t.Errorf("outbox: %v, want %d sent", counts, total)
	}
}
