package e2e

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/store"
	"unknot/internal/web"
)

// newLinkSite is newMailSite with the base URL set to its own address, as
// `unknot serve` sets it, so that links in mail lead back to it.
func newLinkSite(t *testing.T) string {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "link.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	cfg := web.Config{BaseURL: base, WriteRate: rate.Inf, WriteBurst: 1, Mail: web.MailConfig{DevMailbox: true}}
	srv, err := web.New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Handler()}}
	ts.Start()
	t.Cleanup(ts.Close)
	const from = "plans@unknot.example"
	w := &mail.Worker{Queue: db, Sender: mail.DevMailbox{Store: db, From: from}, From: from, Poll: 50 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	return base
}

// A person saves their plan to email on a phone, finds the mail in the dev
// mailbox and opens the plan from it; the QR code for moving it to a phone
// is drawn with its text alternative.
func TestSavePlanToEmailAndOpenItFromTheMail(t *testing.T) {
	_, ctx := newBrowser(t)
	base := newLinkSite(t)
	plan := newPlan(t, base)
	var sent, link, opened, qrAlt string
	var qrWidth int
	err := chromedp.Run(ctx,
		within("the plan page", chromedp.Navigate(base+plan),
			chromedp.WaitVisible(`#save-email`, chromedp.ByID),
			chromedp.Evaluate(`document.querySelector('details.qr').open = true`, nil),
			waitFor(`(() => { const i = document.querySelector('details.qr img'); return i && i.complete && i.naturalWidth > 0 })()`),
			chromedp.Evaluate(`document.querySelector('details.qr img').naturalWidth`, &qrWidth),
			chromedp.AttributeValue(`details.qr img`, "alt", &qrAlt, nil, chromedp.ByQuery),
			chromedp.SendKeys(`#save-email`, "keeper@example.com", chromedp.ByID),
			chromedp.Click(`.save-form button[type=submit]`, chromedp.ByQuery),
			waitPage(`document.title.startsWith("Link sent") && document.readyState === "complete"`),
			chromedp.Text(`main h1`, &sent, chromedp.ByQuery)),
		within("the mail", openMail(base, "Your unknot plan"),
			chromedp.AttributeValue(`.mailtext a[href*="/plan/"]`, "href", &link, nil, chromedp.ByQuery)),
		// The link is read above, so navigate to it when this step runs.
		within("opening the link", chromedp.ActionFunc(func(ctx context.Context) error { return chromedp.Navigate(link).Do(ctx) }),
			waitPage(`document.readyState === "complete" && !!document.querySelector('#save-email')`),
			chromedp.Location(&opened)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sent, "Check your inbox") {
		t.Errorf("after sending: %q", sent)
	}
	if link != base+plan || opened != base+plan {
		t.Errorf("the mail's link %q opened %q, want %q", link, opened, base+plan)
	}
	if qrWidth == 0 || !strings.Contains(qrAlt, base+plan) {
		t.Errorf("QR code: width %d, alt %q", qrWidth, qrAlt)
	}
}
