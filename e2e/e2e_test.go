// Package e2e drives unknot's pages in headless Chromium, as a person would.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/time/rate"

	"unknot/internal/care"
	"unknot/internal/library"
	"unknot/internal/store"
	"unknot/internal/web"
)

// chromiumPath finds Debian's Chromium; without it the tests fail in CI and
// are skipped elsewhere.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium); .ci/run installs it")
	}
	t.Skip("chromium is not installed; run .ci/run or apt-get install chromium")
	return ""
}

// newBrowser starts the server on loopback and a headless Chromium.
func newBrowser(t *testing.T) (base string, ctx context.Context) {
	t.Helper()
	exe := chromiumPath(t)
	base, _ = startSite(t, newDB(t), web.Config{}, nil)
	return base, launch(t, exe, 412, 915, 60*time.Second) // a phone
}

// newDB opens a fresh database for a browser test.
func newDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// startSite serves db on loopback with cfg, write limits off and the
// server's own address as its base URL, as unknot serve does, so that
// links in pages, the API and mail lead back to it. wrap, if not nil,
// stands between the listener and the site. It returns the address and
// the server.
func startSite(t *testing.T, db *store.DB, cfg web.Config, wrap func(http.Handler) http.Handler) (string, *web.Server) {
	t.Helper()
	// The address is known before the server is made, for its links.
	var handler http.Handler
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	cfg.WriteRate, cfg.WriteBurst = rate.Inf, 1
	srv, err := web.New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	handler = srv.Handler()
	if wrap != nil {
		handler = wrap(handler)
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return cfg.BaseURL, srv
}

// launch starts headless Chromium (exe) with a window of width × height,
// and returns a context for its first tab that ends after limit.
func launch(t *testing.T, exe string, width, height int, limit time.Duration) context.Context {
	t.Helper()
	// Not t.TempDir: Chromium's helpers may still write to the profile as
	// they exit, so its removal is best effort.
	profile, err := os.MkdirTemp("", "unknot-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(cancelTimeout)
	return ctx
}

// The questionnaire's tests wait for the state each action produces (a box
// checked, a step shown with its heading focused, a page loaded), never for
// a time. TestCheckThroughBodyMapToPlan once failed 6 runs in 17: it
// pressed Space on a region of the body map, and the keypress that
// followed the handled keydown scrolled the page with a smooth animation
// that outlived the step; two steps later the page was still moving while
// the onset was clicked, so the click landed beside its radio and the step
// never moved on. The map is now a pointer shortcut hidden from keyboards
// and screen readers, whose path is the region checkboxes.

// within names a group of actions, so that a failure says where it was.
func within(name string, actions ...chromedp.Action) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		if err := chromedp.Tasks(actions).Do(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

// waitFor waits until a JavaScript condition holds in the page.
func waitFor(cond string) chromedp.Action {
	return chromedp.Poll(cond, nil, chromedp.WithPollingTimeout(10*time.Second))
}

// waitPage waits until a JavaScript condition holds on the page that a
// click or a form leads to. Unlike waitFor it lives through the navigation:
// an evaluation that fails because the old page is going away is tried
// again, each try bounded so that one stuck on a dying page cannot use up
// the wait.
func waitPage(cond string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			var ok bool
			try, cancel := context.WithTimeout(ctx, time.Second)
			err := chromedp.Evaluate(cond, &ok).Do(try)
			cancel()
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("waiting for the page where %s: last error %v", cond, err)
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// js quotes s for JavaScript.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// tick clicks a box or radio and waits until it is checked.
func tick(sel string) chromedp.Action {
	return press(sel, sel)
}

// press clicks what (a label's visible part, say) and waits until the box
// or radio box is checked.
func press(what, box string) chromedp.Action {
	return within("checking "+box,
		chromedp.Click(what, chromedp.ByQuery),
		waitFor(`document.querySelector(`+js(box)+`).checked`))
}

// typeIn types text into an empty box and waits until it holds it.
func typeIn(sel, text string) chromedp.Action {
	return within("typing into "+sel,
		chromedp.SendKeys(sel, text, chromedp.ByQuery),
		waitFor(`document.querySelector(`+js(sel)+`).value === `+js(text)))
}

// next presses step from's Next and waits until check.js shows step to,
// its heading focused for screen readers.
func next(from, to int) chromedp.Action {
	return within(fmt.Sprintf("step %d to %d", from, to),
		chromedp.Click(fmt.Sprintf(`#step-%d button[value=next]`, from), chromedp.ByQuery),
		waitFor(fmt.Sprintf(`!document.getElementById('step-%d').hidden && document.activeElement.id === 'step-%d-title'`, to, to)))
}

// post presses step from's button (next or back) without JavaScript and
// waits for the page of step to.
func post(from int, button string, to int) chromedp.Action {
	return within(fmt.Sprintf("posting step %d (%s) to %d", from, button, to),
		chromedp.Click(fmt.Sprintf(`#step-%d button[value=%s]`, from, button), chromedp.ByQuery),
		chromedp.WaitVisible(fmt.Sprintf(`#step-%d`, to), chromedp.ByQuery))
}

// stepOne answers the first step: age and, on the body map, a region.
func stepOne(age, region string) chromedp.Action {
	return chromedp.Tasks{
		typeIn(`#f-age`, age),
		press(`g[data-region="`+region+`"] > :first-child`, `input[name=regions][value=`+region+`]`),
	}
}

// painStep answers the required questions of step 2.
func painStep(days, onset, pain string) chromedp.Action {
	return chromedp.Tasks{
		typeIn(`#f-duration_days`, days),
		tick(`input[name=onset][value=` + onset + `]`),
		press(`input[name=pain_now][value="`+pain+`"] + span`, `input[name=pain_now][value="`+pain+`"]`),
	}
}

func TestCheckThroughBodyMapToPlan(t *testing.T) {
	base, ctx := newBrowser(t)
	var lit bool
	var search, title, url string
	var kept bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		stepOne("35", "top_of_shoulder"),
		// The keyboard's way is the boxes, and each lights its region.
		within("space on a region's box",
			chromedp.Focus(`input[name=regions][value=base_of_skull]`, chromedp.ByQuery),
			chromedp.KeyEvent(" "),
			waitFor(`document.querySelector('input[name=regions][value=base_of_skull]').checked`)),
		chromedp.Evaluate(`document.querySelector('g[data-region=base_of_skull]').classList.contains('on')`, &lit),
		next(1, 2),
		painStep("5", "gradual", "4"),
		next(2, 3),
		tick(`#f-symptoms`),
		next(3, 4),
		tick(`#f-conditions`),
		next(4, 5),
		next(5, 6),
		typeIn(`#f-habits\.desk_hours`, "8"),
		tick(`input[name="habits.posture"][value="rounded_shoulders"]`),
		chromedp.Evaluate(`location.search`, &search),
		within("see my result",
			chromedp.Click(`#step-6 button[value=next]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#relief-title`, chromedp.ByID)),
		chromedp.Title(&title),
		chromedp.Location(&url),
		chromedp.Evaluate(`sessionStorage.getItem('unknot.check') !== null`, &kept),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !lit {
		t.Error("ticking base_of_skull's box did not light its region")
	}
	if search != "?step=6" {
		t.Errorf("address at step 6 ends %q, want ?step=6 and no answer", search)
	}
	if !strings.Contains(url, "/plan/") || !strings.Contains(title, "Your result") {
		t.Errorf("landed on %q (%q), want the plan", url, title)
	}
	if kept {
		t.Error("the answers stayed in sessionStorage after the result")
	}
}

// The 62-year-old of the issue: new pain between the shoulder blades since
// yesterday, a cold sweat and nausea.
func TestCheckReachesEmergency(t *testing.T) {
	base, ctx := newBrowser(t)
	var noneLeft, planShown bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		stepOne("62", "between_shoulder_blades"),
		next(1, 2),
		painStep("1", "unknown", "6"),
		next(2, 3),
		// "None of these" and a sign exclude each other.
		tick(`#f-symptoms`),
		tick(`input[name="symptoms.cold_sweat_or_nausea"]`),
		chromedp.Evaluate(`document.querySelector('#f-symptoms').checked`, &noneLeft),
		next(3, 4),
		tick(`#f-conditions`),
		next(4, 5),
		next(5, 6),
		within("see my result",
			chromedp.Click(`#step-6 button[value=next]`, chromedp.ByQuery),
			chromedp.WaitVisible(`.urgency.emergency`, chromedp.ByQuery)),
		chromedp.Evaluate(`!!document.querySelector('#relief-title')`, &planShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if noneLeft {
		t.Error("ticking a warning sign left “None of these” ticked")
	}
	if planShown {
		t.Error("an emergency result shows a self-care plan")
	}
}

// Errors show at their fields, are listed at the top with links, and go
// once the answers are given.
func TestCheckErrorsShowAtTheirFields(t *testing.T) {
	base, ctx := newBrowser(t)
	var links []string
	var described, focused string
	var errorsLeft int
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		within("next with nothing answered",
			chromedp.Click(`#step-1 button[value=next]`, chromedp.ByQuery),
			waitFor(`!document.getElementById('errors').hidden && document.activeElement.id === 'errors'`)),
		chromedp.Evaluate(`[...document.querySelectorAll('#errors a')].map(a => a.getAttribute('href'))`, &links),
		chromedp.AttributeValue(`#f-age`, "aria-describedby", &described, nil, chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		stepOne("30", "back_of_neck"),
		next(1, 2),
		chromedp.Evaluate(`document.querySelectorAll('.error').length + (document.getElementById('errors').hidden ? 0 : 1)`, &errorsLeft),
		painStep("3", "gradual", "2"),
		next(2, 3),
		within("next with no sign and no “none of these”",
			chromedp.Click(`#step-3 button[value=next]`, chromedp.ByQuery),
			waitFor(`document.querySelector('#f-symptoms').getAttribute('aria-invalid') === 'true' && !!document.getElementById('e-symptoms')`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(links, " ") != "#f-age #f-regions" {
		t.Errorf("error summary links %v, want age and regions", links)
	}
	if described != "h-age e-age" {
		t.Errorf("age aria-describedby %q, want its hint and its error", described)
	}
	if errorsLeft != 0 {
		t.Errorf("%d errors left after the answers were given", errorsLeft)
	}
}

// Back, the browser's Back and reload keep every answer, in the tab only.
func TestCheckBackAndReloadKeepAnswers(t *testing.T) {
	base, ctx := newBrowser(t)
	var days, search string
	var age string
	var gradual, region bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		stepOne("41", "shoulder_blade"),
		next(1, 2),
		painStep("9", "gradual", "5"),
		next(2, 3),
		within("the page's Back",
			chromedp.Click(`#step-3 button[value=back]`, chromedp.ByQuery),
			waitFor(`!document.getElementById('step-2').hidden && location.search === '?step=2'`)),
		chromedp.Value(`#f-duration_days`, &days, chromedp.ByQuery),
		within("the browser's Back",
			chromedp.NavigateBack(),
			waitFor(`!document.getElementById('step-1').hidden`)),
		chromedp.Value(`#f-age`, &age, chromedp.ByQuery),
		within("the browser's Forward",
			chromedp.NavigateForward(),
			waitFor(`!document.getElementById('step-2').hidden`)),
		within("reload",
			chromedp.Reload(),
			chromedp.WaitVisible(`#step-2`, chromedp.ByID)),
		chromedp.Evaluate(`document.querySelector('input[name=onset][value=gradual]').checked`, &gradual),
		chromedp.Evaluate(`document.querySelector('input[name=regions][value=shoulder_blade]').checked && document.querySelector('g[data-region=shoulder_blade]').classList.contains('on')`, &region),
		chromedp.Evaluate(`location.search`, &search),
	)
	if err != nil {
		t.Fatal(err)
	}
	if days != "9" || age != "41" || !gradual || !region {
		t.Errorf("after Back, Back, Forward and reload: days %q, age %q, gradual %v, region %v", days, age, gradual, region)
	}
	if search != "?step=2" {
		t.Errorf("address %q, want ?step=2 and no answer", search)
	}
}

// Without JavaScript each step is posted, and the server's draft keeps the
// answers through Back and reload.
func TestCheckWorksWithoutJavaScript(t *testing.T) {
	base, ctx := newBrowser(t)
	var shown int
	var noneKept bool
	var url string
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll('.step:not([hidden])').length`, &shown),
		typeIn(`#f-age`, "28"),
		tick(`input[name=regions][value=back_of_neck]`),
		post(1, "next", 2),
		typeIn(`#f-duration_days`, "10"),
		tick(`input[name=onset][value=woke_up_with_it]`),
		press(`input[name=pain_now][value="3"] + span`, `input[name=pain_now][value="3"]`),
		post(2, "next", 3),
		tick(`#f-symptoms`),
		post(3, "next", 4),
		tick(`#f-conditions`),
		post(4, "next", 5),
		post(5, "back", 4),
		within("reload",
			chromedp.Reload(),
			chromedp.WaitVisible(`#step-4`, chromedp.ByID)),
		chromedp.Evaluate(`document.querySelector('#f-conditions').checked && document.querySelector('#f-age').value === '28'`, &noneKept),
		post(4, "next", 5),
		post(5, "next", 6),
		within("see my result",
			chromedp.Click(`#step-6 button[value=next]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#relief-title`, chromedp.ByID)),
		chromedp.Location(&url),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shown != 1 {
		t.Errorf("%d steps shown at once without JavaScript, want 1", shown)
	}
	if !noneKept {
		t.Error("Back and reload without JavaScript lost answers")
	}
	if !strings.Contains(url, "/plan/") {
		t.Errorf("landed on %q", url)
	}
}

// Under 12 the page says, kindly, to see a doctor: with JavaScript and
// without.
func TestCheckUnder12(t *testing.T) {
	for _, script := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", script), func(t *testing.T) {
			base, ctx := newBrowser(t)
			var text string
			var errorsShown int
			err := chromedp.Run(ctx,
				emulation.SetScriptExecutionDisabled(!script),
				chromedp.Navigate(base+"/check"),
				chromedp.WaitVisible(`#step-1`, chromedp.ByID),
				typeIn(`#f-age`, "9"),
				tick(`input[name=regions][value=back_of_neck]`),
				chromedp.Click(`#step-1 button[value=next]`, chromedp.ByQuery),
				chromedp.WaitVisible(`#too-young`, chromedp.ByID),
				chromedp.Text(`#too-young`, &text, chromedp.ByID),
				chromedp.Evaluate(`[...document.querySelectorAll('.error, .errors')].filter(e => e.offsetParent).length`, &errorsShown),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.ToLower(text), care.TooYoung) {
				t.Errorf("guidance %q does not say %q", text, care.TooYoung)
			}
			if errorsShown != 0 {
				t.Errorf("%d error boxes shown beside the guidance", errorsShown)
			}
		})
	}
}
