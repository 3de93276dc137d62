package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A person logs two entries, sees them in the chart and the list, and then
// deletes the plan and diary for good.
func TestDiaryLogChartAndDelete(t *testing.T) {
	base, ctx := newBrowser(t)
	plan := base + newPlan(t, base) // newPlan is in routine_test.go
	var zone, dotTitle, deleted, after string
	var entries, dots, detect int
	err := chromedp.Run(ctx,
		chromedp.Navigate(plan+"/diary"),
		chromedp.WaitVisible(`#log-title`, chromedp.ByID),
		// The script fills in the browser's time zone while none is set.
		chromedp.Value(`#time_zone`, &zone, chromedp.ByID),

		chromedp.Click(`input[name="pain"][value="6"] + span`, chromedp.ByQuery),
		chromedp.Click(`input[name="regions"][value="top_of_shoulder"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#note`, "stiff after a long meeting", chromedp.ByID),
		chromedp.Click(`.diary-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.saved`, chromedp.ByQuery),

		chromedp.Click(`input[name="pain"][value="3"] + span`, chromedp.ByQuery),
		chromedp.Click(`input[name="done"][value="chin_tuck"]`, chromedp.ByQuery),
		chromedp.Click(`.diary-form button[type=submit]`, chromedp.ByQuery),
		// The page before already says "Saved": wait for the second entry.
		chromedp.WaitVisible(`.entries li:nth-child(2)`, chromedp.ByQuery),

		chromedp.Evaluate(`document.querySelectorAll('.entries li').length`, &entries),
		// The first entry saved the browser's zone: nothing left to detect.
		chromedp.Evaluate(`document.querySelectorAll('[data-detect]').length`, &detect),
		chromedp.Evaluate(`document.querySelectorAll('.chart svg circle.dot').length`, &dots),
		chromedp.Evaluate(`document.querySelector('.chart svg circle.dot title').textContent`, &dotTitle),

		chromedp.Navigate(plan+"/delete"),
		chromedp.WaitVisible(`form[action$="/delete"] button`, chromedp.ByQuery),
		chromedp.Click(`form[action$="/delete"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`//h1[contains(., "are deleted")]`, chromedp.BySearch),
		chromedp.Text(`main h1`, &deleted, chromedp.ByQuery),
		chromedp.Navigate(plan),
		chromedp.Title(&after),
	)
	if err != nil {
		t.Fatal(err)
	}
	if zone == "" {
		t.Error("the time zone was not filled in from the browser")
	}
	if detect != 0 {
		t.Error("the time zone sent with the first entry was not saved")
	}
	if entries != 2 {
		t.Errorf("%d entries listed, want 2", entries)
	}
	// Both entries fall on today: one point, their mean.
	if dots != 1 || !strings.HasSuffix(dotTitle, ": 4.5") {
		t.Errorf("chart: %d points, first labelled %q; want one point at 4.5", dots, dotTitle)
	}
	if !strings.Contains(deleted, "deleted") {
		t.Errorf("after deleting: %q", deleted)
	}
	if !strings.Contains(after, "not found") {
		t.Errorf("the plan still opens after deletion: %q", after)
	}
}
