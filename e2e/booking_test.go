package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// choose presses the choice sel on a booking step and waits for the next
// step, whose choices or fields next selects.
func choose(sel, next string) chromedp.Action {
	return within("choosing "+sel,
		chromedp.Click(sel, chromedp.ByQuery),
		chromedp.WaitVisible(next, chromedp.ByQuery))
}

// mailSays opens the newest mail whose subject has subject and reads its
// text and its list of attachments.
func mailSays(base, subject string, text, attachments *string) chromedp.Action {
	return within("the mail "+subject,
		openMail(base, subject),
		chromedp.Text(`.mailtext`, text, chromedp.ByQuery),
		chromedp.Text(`main`, attachments, chromedp.ByQuery))
}

// bookMoveCancel books a trigger point therapy through the pages, as a
// person would from the clinic page, moves it and cancels it, checking
// the page and the mail of each change.
func bookMoveCancel(t *testing.T, base string, ctx context.Context) {
	t.Helper()
	var booked, manage, moved, cancelled, when, newWhen string
	var bookedMail, bookedFiles, movedMail, movedFiles, cancelMail, cancelFiles string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/clinic"),
		chromedp.WaitVisible(`#clinic-title`, chromedp.ByID),
		choose(`main a.button.big[href="/book"]`, `button[name=service][value="trigger-60"]`),
		choose(`button[name=service][value="trigger-60"]`, `button[name=therapist][value=any]`),
		choose(`button[name=therapist][value=any]`, `button[name=date]`),
		// The last day shown is days ahead: far enough to change online.
		choose(`li:last-child > button[name=date]`, `button[name=start]`),
		choose(`button[name=start]`, `#b-name`),
		typeIn(`#b-name`, "Mia Muster"),
		typeIn(`#b-email`, "mia@example.com"),
		typeIn(`#b-phone`, "+49 30 555"),
		choose(`.book-form button[type=submit]`, `.done h1`),
		chromedp.Text(`.done h1`, &booked, chromedp.ByQuery),
		chromedp.Text(`.visit dd:nth-of-type(3)`, &when, chromedp.ByQuery),

		mailSays(base, "Booked: Trigger point therapy", &bookedMail, &bookedFiles),
		// The link in the mail is the booking's private page.
		choose(`.mailtext a[href*="/bookings/"]`, `#visit-title`),
		chromedp.Location(&manage),

		choose(`a[href$="/reschedule"]`, `button[name=date]`),
		choose(`li:last-child > button[name=date]`, `button[name=start]`),
		choose(`li:last-child > button[name=start]`, `.actions button[type=submit]`),
		choose(`.actions button[type=submit]`, `.done h1`),
		chromedp.Text(`.done h1`, &moved, chromedp.ByQuery),
		chromedp.Text(`.visit dd:nth-of-type(3)`, &newWhen, chromedp.ByQuery),
		mailSays(base, "Moved: Trigger point therapy", &movedMail, &movedFiles),

		chromedp.ActionFunc(func(ctx context.Context) error { return chromedp.Navigate(manage).Do(ctx) }),
		chromedp.WaitVisible(`#visit-title`, chromedp.ByID),
		choose(`a[href$="/cancel"]`, `.actions button.danger`),
		choose(`.actions button.danger`, `.done h1`),
		chromedp.Text(`.done h1`, &cancelled, chromedp.ByQuery),
		mailSays(base, "Cancelled: Trigger point therapy", &cancelMail, &cancelFiles),
	)
	if err != nil {
		t.Fatal(err)
	}
	if booked != "Your visit is booked" || moved != "Your visit has moved" || cancelled != "Your visit is cancelled" {
		t.Errorf("headings %q, %q, %q", booked, moved, cancelled)
	}
	if !strings.Contains(manage, "/bookings/") {
		t.Errorf("the mail's link led to %q", manage)
	}
	newTime, _, _ := strings.Cut(newWhen, "\n") // "Friday 4 December 2027, 16:00–17:00"
	if when == newWhen || !strings.Contains(movedMail, newTime) {
		t.Errorf("moved from %q to %q; the mail says:\n%s", when, newWhen, movedMail)
	}
	for _, m := range []struct{ name, text, files, says, method string }{
		{"invitation", bookedMail, bookedFiles, "Your visit is booked", "text/calendar; method=REQUEST"},
		{"change", movedMail, movedFiles, "Your visit has moved", "text/calendar; method=REQUEST"},
		{"cancellation", cancelMail, cancelFiles, "Your visit is cancelled", "text/calendar; method=CANCEL"},
	} {
		if !strings.Contains(m.text, m.says) {
			t.Errorf("the %s says:\n%s", m.name, m.text)
		}
		if !strings.Contains(m.files, "visit.ics ("+m.method) {
			t.Errorf("the %s has no visit.ics of %s:\n%s", m.name, m.method, m.files)
		}
	}
}

// Done when (issue 8): on a fresh server with the demo clinic, a person
// books, moves and cancels a visit in a real browser, and the invitation,
// the change and the cancellation land in the dev mailbox.
func TestBookingBookMoveAndCancel(t *testing.T) {
	_, ctx := newBrowser(t)
	bookMoveCancel(t, newMailSite(t, true), ctx)
}

// The same, with JavaScript switched off.
func TestBookingWorksWithoutJavaScript(t *testing.T) {
	_, ctx := newBrowser(t)
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true)); err != nil {
		t.Fatal(err)
	}
	bookMoveCancel(t, newMailSite(t, true), ctx)
}
