package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"unknot/internal/staff"
	"unknot/internal/store"
	"unknot/internal/web"
)

// newCommentSite starts a server with one staff account and returns its
// address.
func newCommentSite(t *testing.T, email, password string) string {
	t.Helper()
	db := newDB(t)
	if err := db.CreateUser(t.Context(), &store.User{Email: email, Roles: staff.Roles{staff.Coach}, PasswordHash: staff.HashPassword(password, staff.DefaultParams)}); err != nil {
		t.Fatal(err)
	}
	base, _ := startSite(t, db, web.Config{}, nil)
	return base
}

// A reader comments and finds it held; a coach signs in, approves it and
// answers; the article then shows both, the answer nested and marked as the
// coach's. On the way the reader answers "was this helpful?" in place.
func TestCommentHeldApprovedAndAnswered(t *testing.T) {
	_, ctx := newBrowser(t)
	base := newCommentSite(t, "coach@example.com", "a long staff password")
	var held, thanks, published, replied, thread string
	var nested bool
	step := func(name string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	step("comment",
		chromedp.Navigate(base+"/articles/neck-knots"),
		chromedp.WaitVisible(`#cf-name`, chromedp.ByID),
		chromedp.SendKeys(`#cf-name`, "Anna", chromedp.ByID),
		chromedp.SendKeys(`#cf-body`, "Does heat help a neck knot at night?", chromedp.ByID),
		// People take a moment to write; the form turns away faster robots.
		chromedp.Sleep(3*time.Second),
		chromedp.Click(`#comment-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#comment-form .notice`, chromedp.ByQuery),
		chromedp.Text(`#comment-form .notice`, &held, chromedp.ByQuery),
	)
	step("was this helpful?",
		chromedp.Click(`button[name=helpful][value=yes]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#helpful h2[tabindex]`, chromedp.ByQuery),
		chromedp.Text(`#helpful h2`, &thanks, chromedp.ByQuery),
	)
	step("sign in and approve",
		chromedp.Navigate(base+"/staff/login"),
		chromedp.WaitVisible(`#login-email`, chromedp.ByID),
		chromedp.SendKeys(`#login-email`, "coach@example.com", chromedp.ByID),
		chromedp.SendKeys(`#login-password`, "a long staff password", chromedp.ByID),
		chromedp.Click(`form[action="/staff/login"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#pending-title`, chromedp.ByID),
		chromedp.Click(`#pending form[action$="/approve"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#done-approved`, chromedp.ByID),
		chromedp.Text(`#done-approved`, &published, chromedp.ByID),
	)
	step("reply",
		chromedp.Click(`#recent details summary`, chromedp.ByQuery),
		chromedp.SendKeys(`#recent input[name=name]`, "Maria", chromedp.ByQuery),
		chromedp.SendKeys(`#recent textarea[name=body]`, "Yes: 15 minutes of warmth before bed often helps.", chromedp.ByQuery),
		chromedp.Click(`#recent .staff-reply button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#done-replied`, chromedp.ByID),
		chromedp.Text(`#done-replied`, &replied, chromedp.ByID),
	)
	step("article",
		chromedp.Navigate(base+"/articles/neck-knots"),
		chromedp.WaitVisible(`#comments .thread`, chromedp.ByQuery),
		chromedp.Text(`#comments .thread`, &thread, chromedp.ByQuery),
		chromedp.Evaluate(`!!document.querySelector('#comments .thread > li .thread > li.by-staff .badge')`, &nested),
	)
	for _, c := range []struct{ got, want string }{
		{held, "waiting for approval"},
		{thanks, "Thank you"},
		{published, "Comment published"},
		{replied, "reply is published"},
		{thread, "Does heat help a neck knot at night?"},
		{thread, "unknot coach"},
		{thread, "15 minutes of warmth"},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%q does not say %q", c.got, c.want)
		}
	}
	if !nested {
		t.Error("the coach's reply is not nested under the comment with its badge")
	}
}
