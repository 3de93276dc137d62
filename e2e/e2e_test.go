// Package e2e drives unknot's pages in headless Chromium, as a person would.
package e2e

import (
	"context"
	"log/slog"
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
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, err := web.New(web.Config{WriteRate: rate.Inf, WriteBurst: 1}, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

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
		chromedp.WindowSize(412, 915), // a phone
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	bctx, cancelTimeout := context.WithTimeout(bctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ts.URL, bctx
}

// next presses the visible step's Next button and waits for step n.
func next(n string) chromedp.Action {
	return chromedp.Tasks{
		chromedp.Click(`.step:not([hidden]) .stepnav .button:not(.secondary)`, chromedp.ByQuery),
		chromedp.WaitVisible(`#step-`+n, chromedp.ByID),
	}
}

func TestCheckThroughBodyMapToPlan(t *testing.T) {
	base, ctx := newBrowser(t)
	var checked bool
	var pressed, title, url string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		// The body map: a click on the picture ticks the region's box, and
		// the keyboard works too.
		chromedp.Click(`g[data-region="top_of_shoulder"] path:first-child`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('input[name=regions][value=top_of_shoulder]').checked`, &checked),
		chromedp.Focus(`g[data-region="base_of_skull"]`, chromedp.ByQuery),
		chromedp.KeyEvent(" "),
		chromedp.AttributeValue(`g[data-region="base_of_skull"]`, "aria-checked", &pressed, nil, chromedp.ByQuery),
		next("2"),
		chromedp.SendKeys(`#f-duration_days`, "5", chromedp.ByID),
		chromedp.Click(`input[name="onset"][value="gradual"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="pain_now"][value="4"] + span`, chromedp.ByQuery),
		next("3"),
		next("4"),
		next("5"),
		chromedp.SendKeys(`#f-habits\.desk_hours`, "8", chromedp.ByQuery),
		chromedp.Click(`input[name="habits.posture"][value="rounded_shoulders"]`, chromedp.ByQuery),
		chromedp.Click(`.submit button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#relief-title`, chromedp.ByID),
		chromedp.Title(&title),
		chromedp.Location(&url),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Error("clicking the body map did not tick top_of_shoulder")
	}
	if pressed != "true" {
		t.Errorf("space on base_of_skull: aria-checked %q, want true", pressed)
	}
	if !strings.Contains(url, "/plan/") || !strings.Contains(title, "Your result") {
		t.Errorf("landed on %q (%q), want the plan", url, title)
	}
	var text string
	if err := chromedp.Run(ctx, chromedp.Text(`main`, &text, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Your 7 days", "Chin tuck", "At your desk: every"} {
		if !strings.Contains(text, want) {
			t.Errorf("plan page lacks %q", want)
		}
	}
}

func TestCheckReachesEmergency(t *testing.T) {
	base, ctx := newBrowser(t)
	var heading string
	var planShown bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-1`, chromedp.ByID),
		chromedp.Click(`input[name="regions"][value="between_shoulder_blades"]`, chromedp.ByQuery),
		next("2"),
		chromedp.SendKeys(`#f-duration_days`, "1", chromedp.ByID),
		chromedp.Click(`input[name="onset"][value="unknown"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="pain_now"][value="6"] + span`, chromedp.ByQuery),
		next("3"),
		chromedp.Click(`input[name="symptoms.chest_pain_or_pressure"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="symptoms.short_of_breath_sweating_or_nausea"]`, chromedp.ByQuery),
		next("4"),
		next("5"),
		chromedp.Click(`.submit button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.urgency.emergency`, chromedp.ByQuery),
		chromedp.Text(`#urgency-title`, &heading, chromedp.ByID),
		chromedp.Evaluate(`!!document.querySelector('#relief-title')`, &planShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	if heading != "Call emergency services now" {
		t.Errorf("heading %q", heading)
	}
	if planShown {
		t.Error("an emergency result shows a self-care plan")
	}
}

func TestCheckWorksWithoutJavaScript(t *testing.T) {
	base, ctx := newBrowser(t)
	var url string
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(base+"/check"),
		chromedp.WaitVisible(`#step-5`, chromedp.ByID), // all steps on one page
		chromedp.Click(`input[name="regions"][value="back_of_neck"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-duration_days`, "10", chromedp.ByID),
		chromedp.Click(`input[name="onset"][value="woke_up_with_it"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="pain_now"][value="3"] + span`, chromedp.ByQuery),
		chromedp.Click(`.submit button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#relief-title`, chromedp.ByID),
		chromedp.Location(&url),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(url, "/plan/") {
		t.Errorf("landed on %q", url)
	}
}
