package e2e

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// On the narrowest phone (320 CSS pixels), the diary chart's labels are
// at least 12 px as rendered, its points at least 24 px across, the
// re-check is marked on it, and touching a point shows its score.
func TestDiaryChartOnSmallPhone(t *testing.T) {
	base, ctx := newBrowser(t)
	plan := base + newPlan(t, base) // newPlan is in routine_test.go
	for path, form := range map[string]url.Values{"/diary": {"pain": {"6"}}, "/recheck": {"pain_now": {"3"}}} {
		resp, err := http.PostForm(plan+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 400 {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
	}
	var smallestLabel, smallestTarget float64
	var marks int
	var tipShown bool
	err := chromedp.Run(ctx,
		emulation.SetDeviceMetricsOverride(320, 640, 2, true),
		chromedp.Navigate(plan+"/diary"),
		chromedp.WaitVisible(`.chart svg`, chromedp.ByQuery),
		// Rendered size: the font size in the chart's units times the
		// chart's scale on the screen.
		chromedp.Evaluate(`Math.min(...[...document.querySelectorAll('.chart svg text.tick')].map(t =>
			parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))`, &smallestLabel),
		chromedp.Evaluate(`Math.min(...[...document.querySelectorAll('.chart svg .hit')].map(c =>
			c.getBoundingClientRect().width))`, &smallestTarget),
		chromedp.Evaluate(`document.querySelectorAll('.chart svg .recheck .mark').length`, &marks),
		chromedp.Click(`.chart svg .recheck .hit`, chromedp.ByQuery),
		chromedp.Evaluate(`getComputedStyle(document.querySelector('.chart svg .recheck .tip')).display !== 'none'`, &tipShown),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("at 320 px: smallest label %.1f px, smallest touch target %.1f px", smallestLabel, smallestTarget)
	if smallestLabel < 12 {
		t.Errorf("smallest label %.1f px, want at least 12", smallestLabel)
	}
	if smallestTarget < 24 {
		t.Errorf("smallest touch target %.1f px, want at least 24", smallestTarget)
	}
	if marks != 1 {
		t.Errorf("%d re-check marks, want 1", marks)
	}
	if !tipShown {
		t.Error("touching the re-check does not show its score")
	}
}

// The exercise library on a phone: every picture loads and says what the
// movement is.
func TestExercisePageOnPhone(t *testing.T) {
	base, ctx := newBrowser(t)
	var alt string
	var loaded bool
	var width float64
	err := chromedp.Run(ctx,
		emulation.SetDeviceMetricsOverride(340, 700, 2, true),
		chromedp.Navigate(base+"/exercises"),
		chromedp.Click(`a[href="/exercises/chin_tuck"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.movement img`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('.movement img').alt`, &alt),
		chromedp.Poll(`document.querySelector('.movement img').complete && document.querySelector('.movement img').naturalWidth > 0`, &loaded),
		chromedp.Evaluate(`document.querySelector('.movement img').getBoundingClientRect().width`, &width),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(alt) < 40 || !loaded {
		t.Errorf("picture alt %q, loaded %v", alt, loaded)
	}
	if width < 300 {
		t.Errorf("picture %.0f px wide on a 340 px phone", width)
	}
}
