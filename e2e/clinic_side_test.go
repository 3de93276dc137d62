package e2e

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"unknot/internal/staff"
	"unknot/internal/store"
)

// The accounts of the clinic-side test, each with its password.
const (
	adminEmail     = "admin@clinic.example"
	coachEmail     = "coach@clinic.example"
	therapistEmail = "dora@clinic.example"
	staffPassword  = "a long staff password"
)

// browserTab opens a tab of the browser of ctx with its own cookies, as
// another person's browser would be: the admin, the therapist, the coach
// and the client each sign in (or not) apart. Headless Chromium opens a
// tab of a new browser context only in a window of its own, which
// chromedp's WithNewBrowserContext does not ask for.
func browserTab(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	var id target.ID
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		browser := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
		bc, err := target.CreateBrowserContext().WithDisposeOnDetach(true).Do(browser)
		if err != nil {
			return err
		}
		id, err = target.CreateTarget("about:blank").WithBrowserContextID(bc).WithNewWindow(true).Do(browser)
		return err
	}))
	if err != nil {
		t.Fatalf("opening a tab with its own cookies: %v", err)
	}
	tab, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(id))
	t.Cleanup(cancel)
	return tab
}

// signIn signs email in on the staff sign-in page and waits for the desk.
func signIn(base, email string) chromedp.Action {
	return within("signing in "+email,
		chromedp.Navigate(base+"/staff/login"),
		chromedp.WaitVisible(`#login-email`, chromedp.ByID),
		typeIn(`#login-email`, email),
		typeIn(`#login-password`, staffPassword),
		chromedp.Click(`form[action="/staff/login"] button`, chromedp.ByQuery),
		waitPage(`location.pathname === "/staff" && document.readyState === "complete"`))
}

// follow clicks the link sel and waits until the page it leads to has
// loaded at path.
func follow(sel, path string) chromedp.Action {
	return within("following "+sel,
		waitPage(`!!document.querySelector(`+js(sel)+`)`),
		chromedp.Click(sel, chromedp.ByQuery),
		waitPage(`location.pathname === `+js(path)+` && document.readyState === "complete"`))
}

// submit presses the button sel and waits until the page the form leads
// to has loaded and cond holds on it.
func submit(sel, cond string) chromedp.Action {
	return within("pressing "+sel,
		chromedp.Click(sel, chromedp.ByQuery),
		waitPage(`document.readyState === "complete" && (`+cond+`)`))
}

// statusOf opens address in the tab ctx and returns the HTTP status of the
// page it shows.
func statusOf(t *testing.T, ctx context.Context, address string) int {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(address))
	if err != nil {
		t.Fatalf("opening %s: %v", address, err)
	}
	return int(resp.Status)
}

// Done when (issue 9), in a real browser: an admin sets up a therapist in
// the clinic setup pages and invites them; the therapist signs in from
// the invitation, sees a booking with a shared self-check, opens the
// client (urgency first) and assigns a home program, which the person then
// follows in the guided routine; the person withdraws the share and the
// therapist loses access at once; each role is refused what it may not do,
// and the admin's audit log lists the therapist's view.
func TestClinicSide(t *testing.T) {
	exe := chromiumPath(t)
	base, db := newMailSiteDB(t, true)
	for _, u := range []struct {
		email string
		role  staff.Role
	}{{adminEmail, staff.Admin}, {coachEmail, staff.Coach}} {
		err := db.CreateUser(t.Context(), &store.User{Email: u.email, Roles: staff.Roles{u.role}, PasswordHash: staff.HashPassword(staffPassword, staff.DefaultParams)})
		if err != nil {
			t.Fatal(err)
		}
	}
	browser := launch(t, exe, 1024, 900, 60*time.Second)
	// The first tab starts the browser, whose other tabs are new contexts.
	if err := chromedp.Run(browser); err != nil {
		t.Fatal(err)
	}
	admin, therapist, person, coach := browserTab(t, browser), browserTab(t, browser), browserTab(t, browser), browserTab(t, browser)
	step := func(name string, ctx context.Context, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	// 1. The admin adds Dora to the clinic with hours every day, and
	// invites her; she sets her password from the mail and is signed in.
	step("the admin adds a therapist", admin,
		signIn(base, adminEmail),
		follow(`a[href="/staff/setup"]`, "/staff/setup"),
		follow(`a[href="/staff/setup/therapists/new"]`, "/staff/setup/therapists/new"),
		typeIn(`#f-id`, "dora"),
		typeIn(`#f-name`, "Dora Test"),
		typeIn(`#f-email`, therapistEmail),
		typeIn(`#f-credentials`, "RMT"),
		chromedp.SetValue(`#f-location`, "mitte", chromedp.ByQuery),
		tick(`input[name=services][value="trigger-60"]`),
		tick(`input[name=modes][value="in_person"]`),
		submit(`.setup-form button[type=submit]`, `location.pathname === "/staff/setup" && location.search === "?done=saved"`),
		follow(`a[href="/staff/setup/therapists/dora/hours"]`, "/staff/setup/therapists/dora/hours"),
	)
	for _, day := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		step("hours of "+day, admin, typeIn(`[id="f-hours.`+day+`"]`, "08:00-20:00"))
	}
	step("the admin invites her", admin,
		submit(`.setup-form button[type=submit]`, `location.search === "?done=saved"`),
		chromedp.Navigate(base+"/staff"),
		follow(`a[href="/staff/invitations"]`, "/staff/invitations"),
		typeIn(`#invite-email`, therapistEmail),
		submit(`form[action="/staff/invitations"] button`, `!!document.getElementById("invite-sent")`),
	)
	var signedInAs string
	step("the therapist accepts the invitation", therapist,
		openMail(base, "Your account on the clinic's desk"),
		chromedp.Click(`.mailtext a[href*="/staff/welcome/"]`, chromedp.ByQuery),
		waitPage(`!!document.getElementById("welcome-password") && document.readyState === "complete"`),
		typeIn(`#welcome-password`, staffPassword),
		typeIn(`#welcome-again`, staffPassword),
		submit(`form[action^="/staff/welcome/"] button`, `location.pathname === "/staff"`),
		chromedp.Text(`.staff-bar`, &signedInAs, chromedp.ByQuery),
	)
	if !strings.Contains(signedInAs, therapistEmail) || !strings.Contains(signedInAs, "therapist") {
		t.Errorf("after the invitation the desk says %q", signedInAs)
	}

	// 2. A person with a self-care plan books a visit with Dora and shares
	// the self-check.
	plan := newPlan(t, base)
	var firstDate, booked string
	step("the person books with Dora, sharing", person,
		chromedp.Navigate(base+plan),
		chromedp.WaitVisible(`#book-link-title`, chromedp.ByID),
		choose(`.book-link form[action="/book"] button[type=submit]`, `button[name=service][value="trigger-60"]`),
		choose(`button[name=service][value="trigger-60"]`, `button[name=therapist][value=dora]`),
		choose(`button[name=therapist][value=dora]`, `button[name=date]`),
		chromedp.AttributeValue(`button[name=date]`, "value", &firstDate, nil, chromedp.ByQuery),
		choose(`button[name=date]`, `button[name=start]`),
		choose(`button[name=start]`, `#b-name`),
		typeIn(`#b-name`, "Mia Muster"),
		typeIn(`#b-email`, "mia@example.com"),
		typeIn(`#b-phone`, "+49 30 555"),
		tick(`input[name=share_plan]`),
		choose(`.book-form button[type=submit]`, `.done h1`),
		chromedp.Text(`.done h1`, &booked, chromedp.ByQuery),
	)
	if booked != "Your visit is booked" {
		t.Fatalf("after booking: %q", booked)
	}

	// The therapist finds it on her week, marked shared, and opens the
	// client: urgency first.
	var visit string
	var headings []string
	step("the therapist's week", therapist,
		chromedp.Navigate(base+"/staff"),
		follow(`a[href="/staff/week"]`, "/staff/week"),
		chromedp.Navigate(base+"/staff/week?week="+firstDate),
		chromedp.WaitVisible(`.desk-visit`, chromedp.ByQuery),
		chromedp.Text(`.desk-visit`, &visit, chromedp.ByQuery),
	)
	if !strings.Contains(visit, "Mia Muster") || !strings.Contains(visit, "Self-check shared") || strings.Contains(visit, "No self-check") {
		t.Errorf("the week shows the visit as %q, want Mia Muster's, marked shared", visit)
	}
	var clientURL string
	step("the client view", therapist,
		follow(`.desk-nav a[href="/staff/clients"]`, "/staff/clients"),
		chromedp.Click(`//ul[@class="clients"]//a[contains(., "Mia Muster")]`, chromedp.BySearch),
		waitPage(`/^\/staff\/clients\/[0-9]+$/.test(location.pathname) && document.readyState === "complete"`),
		chromedp.Location(&clientURL),
		chromedp.Evaluate(`[...document.querySelectorAll("main h2")].map(h => h.id)`, &headings),
	)
	if flags, chart := slices.Index(headings, "flags-title"), slices.Index(headings, "chart-title"); len(headings) == 0 ||
		headings[0] != "urgency-title" || flags < 0 || chart < 0 || flags > chart {
		t.Errorf("the client view's sections are %v, want the urgency first and the warning signs before the diary", headings)
	}

	// She assigns a home program: two exercises of the library and a note.
	var saved, program string
	step("the home program", therapist,
		follow(`a[href="/staff/clients"]`, "/staff/clients"),
		chromedp.Click(`//ul[@class="clients"]//li[contains(., "Mia Muster")]//a[contains(@href, "/program")]`, chromedp.BySearch),
		waitPage(`location.pathname.endsWith("/program") && !!document.getElementById("f-add")`),
		chromedp.SetValue(`#f-add`, "chin_tuck", chromedp.ByQuery),
		submit(`button[name=action][value=add]`, `!!document.getElementById("row-0")`),
		chromedp.SetValue(`#f-add`, "doorway_chest_stretch", chromedp.ByQuery),
		submit(`button[name=action][value=add]`, `!!document.getElementById("row-1")`),
		typeIn(`#f-note`, "Do them at your desk."),
		submit(`button[name=action][value=save]`, `!!document.getElementById("saved")`),
		chromedp.Text(`#saved`, &saved, chromedp.ByID),
		chromedp.Evaluate(`location.origin + location.pathname`, &program),
	)
	if !strings.Contains(saved, "they have an email") {
		t.Errorf("after saving the program: %q", saved)
	}

	// 3. The person gets a mail, and the guided routine is the program,
	// from the therapist.
	var mailText, mailFiles, lead, steps string
	step("the person's routine", person,
		mailSays(base, "Dora Test updated your home program", &mailText, &mailFiles),
		chromedp.Navigate(base+plan+"/today"),
		chromedp.WaitVisible(`#player`, chromedp.ByID),
		chromedp.Text(`main .lead`, &lead, chromedp.ByQuery),
		chromedp.TextContent(`#routine-steps`, &steps, chromedp.ByID),
	)
	if !strings.Contains(lead, "from your therapist, Dora Test") || !strings.Contains(lead, "Do them at your desk.") {
		t.Errorf("the routine says %q, want the program from Dora Test with her note", lead)
	}
	if !strings.Contains(steps, "Chin tuck") || !strings.Contains(steps, "Doorway chest stretch") || strings.Contains(steps, "Slow belly breathing") {
		t.Errorf("the routine's steps are %q, want the program's", steps)
	}
	if !strings.Contains(mailText, "Dora Test, updated your home program") {
		t.Errorf("the mail says:\n%s", mailText)
	}

	// 4. The person stops sharing on the plan page; the therapist loses the
	// client view and the program at once.
	step("the person withdraws the share", person,
		chromedp.Navigate(base+plan),
		chromedp.WaitVisible(`#sharing`, chromedp.ByID),
		submit(`#sharing form[action$="/share/withdraw"] button`, `!document.getElementById("sharing") && !!document.getElementById("book-link-title")`),
	)
	if got := statusOf(t, therapist, clientURL); got != http.StatusNotFound {
		t.Errorf("the client view after the share was withdrawn: %d, want 404", got)
	}
	if got := statusOf(t, therapist, program); got != http.StatusNotFound {
		t.Errorf("the home program after the share was withdrawn: %d, want 404", got)
	}

	// 5. Each role is refused what it may not do.
	step("the coach signs in", coach, signIn(base, coachEmail))
	for _, c := range []struct {
		who  string
		tab  context.Context
		path string
		want int
	}{
		{"coach", coach, clientURL, http.StatusForbidden},
		{"coach", coach, base + "/staff/clients", http.StatusForbidden},
		{"coach", coach, base + "/staff/audit", http.StatusForbidden},
		{"coach", coach, base + "/staff/setup", http.StatusForbidden},
		{"coach", coach, base + "/staff/week", http.StatusForbidden},
		{"therapist", therapist, base + "/staff/audit", http.StatusForbidden},
		{"therapist", therapist, base + "/staff/setup", http.StatusForbidden},
		{"therapist", therapist, base + "/staff/invitations", http.StatusForbidden},
		{"admin", admin, clientURL, http.StatusForbidden},
		{"admin", admin, base + "/staff/audit", http.StatusOK},
	} {
		if got := statusOf(t, c.tab, c.path); got != c.want {
			t.Errorf("%s: GET %s: %d, want %d", c.who, c.path, got, c.want)
		}
	}
	// The admin's audit log lists Dora's view of the client.
	var rows []string
	step("the audit log", admin,
		chromedp.Navigate(base+"/staff/audit"),
		chromedp.WaitVisible(`table.audit`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("table.audit tbody tr")].map(r => r.innerText)`, &rows),
	)
	// Each of Dora's views of the client's data is a row: the client page
	// once, and the home program's page each time it was shown (opened,
	// exercises added, saved).
	share := clientURL[strings.LastIndex(clientURL, "/")+1:]
	pages, programs := 0, 0
	for _, row := range rows {
		if !strings.Contains(row, therapistEmail) || !strings.Contains(row, "Dora Test") || !strings.Contains(row, "share "+share) {
			t.Errorf("audit row %q is not Dora's view of share %s", row, share)
		}
		switch {
		case strings.Contains(row, "client page"):
			pages++
		case strings.Contains(row, "home program"):
			programs++
		}
	}
	if pages != 1 || programs == 0 || pages+programs != len(rows) {
		t.Errorf("the audit log lists %q, want one view of the client page and the home program's views", rows)
	}
}
