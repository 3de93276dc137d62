package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A person saves their plan to email on a phone, finds the mail in the dev
// mailbox and opens the plan from it; the QR code for moving it to a phone
// is drawn with its text alternative.
func TestSavePlanToEmailAndOpenItFromTheMail(t *testing.T) {
	_, ctx := newBrowser(t)
	base := newMailSite(t, false)
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
