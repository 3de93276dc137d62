package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/time/rate"

	"unknot/internal/mail"
	"unknot/internal/store"
	"unknot/internal/web"
)

// newMailSite starts a server whose mail goes to the dev mailbox, with
// its mail worker running, as `unknot serve` does without SMTP: links in
// mail lead to the server's own address (its base URL), and demo loads the
// demo clinic first.
func newMailSite(t *testing.T, demo bool) string {
	t.Helper()
	base, _ := newMailSiteDB(t, demo)
	return base
}

// newMailSiteDB is newMailSite that also returns its database, for a test
// that makes staff accounts as `unknot user add` does.
func newMailSiteDB(t *testing.T, demo bool) (string, *store.DB) {
	t.Helper()
	db := newDB(t)
	if demo {
		if _, err := db.LoadDemoClinic(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	base, srv := startSite(t, db, web.Config{Mail: web.MailConfig{DevMailbox: true, SignUpRate: rate.Inf, SignUpBurst: 1}}, nil)
	const from = "guide@unknot.example"
	w := &mail.Worker{Queue: db, Sender: mail.DevMailbox{Store: db, From: from}, From: from,
		Poll: 50 * time.Millisecond, Prepare: srv.QueueReminders}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { w.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	return base, db
}

// openMail waits until a mail whose subject contains subject is in the dev
// mailbox, and opens it.
func openMail(base, subject string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var found bool
			if err := chromedp.Run(ctx,
				chromedp.Navigate(base+"/dev/mailbox"),
				chromedp.Evaluate(`[...document.querySelectorAll('.mails a')].some(a => a.textContent.includes(`+jsString(subject)+`))`, &found),
			); err != nil {
				return err
			}
			if found {
				break
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		return chromedp.Run(ctx,
			chromedp.Evaluate(`[...document.querySelectorAll('.mails a')].find(a => a.textContent.includes(`+jsString(subject)+`)).click()`, nil),
			chromedp.WaitVisible(`.mailtext`, chromedp.ByQuery),
		)
	})
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// Sign up on the home page, find the confirmation in the dev mailbox,
// follow its link, and get the report: the mail with the PDF attached and
// a download link that returns the PDF.
func TestSubscribeConfirmAndGetReport(t *testing.T) {
	_, ctx := newBrowser(t)
	base := newMailSite(t, false)
	var inboxHeading, confirmed, attachment, download string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#signup-first-name`, chromedp.ByID),
		chromedp.SendKeys(`#signup-first-name`, "Anna", chromedp.ByID),
		chromedp.SendKeys(`#signup-email`, "anna@example.com", chromedp.ByID),
		chromedp.Click(`.signup-form button[type=submit]`, chromedp.ByQuery),
		// The home page has a main h1 too: wait for the page the click
		// leads to, not for any heading, or the read can hit a node that
		// the navigation removes.
		waitPage(`document.title.startsWith("Check your inbox") && document.readyState === "complete"`),
		chromedp.Text(`main h1`, &inboxHeading, chromedp.ByQuery),
		openMail(base, "Please confirm"),
		chromedp.Click(`.mailtext a[href$="/confirm"]`, chromedp.ByQuery),
		waitPage(`document.title.startsWith("Your address is confirmed") && document.readyState === "complete"`),
		chromedp.WaitVisible(`a[href$="/report.pdf"]`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &confirmed, chromedp.ByQuery),
		openMail(base, "Your free guide"),
		chromedp.AttributeValue(`a[href*="/attachments/0"]`, "href", &attachment, nil, chromedp.ByQuery),
		chromedp.AttributeValue(`.mailtext a[href$="/report.pdf"]`, "href", &download, nil, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(inboxHeading, "Check your inbox") {
		t.Errorf("after signing up: %q", inboxHeading)
	}
	if !strings.Contains(confirmed, "your address is confirmed") {
		t.Errorf("after the confirmation link: %q", confirmed)
	}
	for _, link := range []string{base + attachment, download} {
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "%PDF-") {
			t.Errorf("GET %s: %d, %d bytes, want a PDF", link, resp.StatusCode, len(body))
		}
	}
}
