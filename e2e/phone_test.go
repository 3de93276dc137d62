package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"unknot/internal/web"
)

// The phone of issue 10: 390×844 CSS pixels.
const phoneWidth, phoneHeight = 390, 844

// newPhone starts the server behind a switch that can take it off the
// network, and a headless Chromium sized as a phone. With down set, every
// request to the server fails as a dropped connection does, for the page
// and for its service worker alike (Chromium's network emulation does not
// reach a service worker's own fetches).
func newPhone(t *testing.T) (base string, ctx context.Context, down *atomic.Bool) {
	t.Helper()
	exe := chromiumPath(t)
	down = new(atomic.Bool)
	base, _ = startSite(t, newDB(t), web.Config{}, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if down.Load() {
				if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
					c.Close()
				}
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	bctx := launch(t, exe, phoneWidth, phoneHeight, 90*time.Second)
	if err := chromedp.Run(bctx, emulation.SetDeviceMetricsOverride(phoneWidth, phoneHeight, 3, true)); err != nil {
		t.Fatal(err)
	}
	return base, bctx, down
}

// logPain adds a diary entry with a pain score days ago through the API.
func logPain(t *testing.T, base, plan string, daysAgo, pain int) {
	t.Helper()
	token := strings.TrimPrefix(plan, "/plan/")
	body, _ := json.Marshal(map[string]any{
		"at":      time.Now().AddDate(0, 0, -daysAgo).Format(time.RFC3339),
		"pain":    pain,
		"regions": []string{"top_of_shoulder"},
	})
	resp, err := http.Post(base+"/api/v1/plans/"+token+"/entries", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("logging pain %d days ago: %d", daysAgo, resp.StatusCode)
	}
}

// box is where an element lies on the page, in CSS pixels from the top
// of the document.
type box struct {
	Top, Bottom, Left, Right float64
}

// boxOf measures the element sel, or fails when there is none.
func boxOf(sel string, b *box) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`(() => {
  const r = document.querySelector(%s).getBoundingClientRect();
  return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right};
})()`, js(sel)), b)
}

// TestPlanPageTodayFirstOnAPhone: on a 390×844 phone the plan page shows
// today's Start button and the progress at a glance on its first screen,
// and the whole page, its sections closed as served, is under 4 screens.
func TestPlanPageTodayFirstOnAPhone(t *testing.T) {
	base, ctx, _ := newPhone(t)
	plan := newPlan(t, base)
	logPain(t, base, plan, 2, 6)
	logPain(t, base, plan, 1, 5)
	logPain(t, base, plan, 0, 4)
	var start, glance box
	var height, screen float64
	var href, spark string
	var closed, open []string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+plan),
		chromedp.WaitVisible(`#start-today`, chromedp.ByID),
		boxOf(`#start-today`, &start),
		boxOf(`.glance`, &glance),
		chromedp.Evaluate(`document.documentElement.scrollHeight`, &height),
		chromedp.Evaluate(`innerHeight`, &screen),
		chromedp.Evaluate(`document.getElementById('start-today').getAttribute('href')`, &href),
		chromedp.Evaluate(`document.querySelector('.spark')?.getAttribute('aria-label') ?? ''`, &spark),
		chromedp.Evaluate(`[...document.querySelectorAll('section.fold > details:not([open]) h2')].map(h => h.id)`, &closed),
		chromedp.Evaluate(`[...document.querySelectorAll('section.fold > details[open] h2')].map(h => h.id)`, &open),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("390×844: Start %.0f–%.0f px, progress %.0f–%.0f px, page %.0f px (%.2f screens); closed %v, open %v",
		start.Top, start.Bottom, glance.Top, glance.Bottom, height, height/screen, closed, open)
	if screen != phoneHeight {
		t.Fatalf("viewport %v px high, want %d", screen, phoneHeight)
	}
	if start.Bottom > screen || glance.Bottom > screen {
		t.Errorf("Start ends at %.0f px and the progress at %.0f px; want both within the first %v px", start.Bottom, glance.Bottom, screen)
	}
	if height >= 4*screen {
		t.Errorf("the plan page is %.0f px, %.2f screens; want under 4", height, height/screen)
	}
	// On the first visit, before any diary entry, relief right now and
	// the knot are open; closed, the page is under 4 screens too.
	first := base + newPlan(t, base)
	var firstStart box
	var firstHeight float64
	err = chromedp.Run(ctx,
		chromedp.Navigate(first),
		chromedp.WaitVisible(`#start-today`, chromedp.ByID),
		boxOf(`.glance`, &firstStart),
		chromedp.Evaluate(`document.querySelectorAll('main details[open]').forEach(d => d.open = false); document.documentElement.scrollHeight`, &firstHeight),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first visit: progress ends at %.0f px; sections closed, page %.0f px (%.2f screens)", firstStart.Bottom, firstHeight, firstHeight/screen)
	if firstStart.Bottom > screen || firstHeight >= 4*screen {
		t.Errorf("first visit: progress ends at %.0f px, page %.0f px with sections closed; want within %v px and under 4 screens", firstStart.Bottom, firstHeight, screen)
	}
	if href != plan+"/today" {
		t.Errorf("Start goes to %q, want %q", href, plan+"/today")
	}
	if !strings.Contains(spark, "from 6 to 4") {
		t.Errorf("pain trend %q, want from 6 to 4", spark)
	}
	// Once the diary has entries, the routine comes first and relief
	// right now folds away with the rest.
	for _, id := range []string{"why-title", "knot-title", "relief-title", "daily-title", "days-title", "more-title"} {
		if !strings.Contains(" "+strings.Join(closed, " ")+" ", " "+id+" ") {
			t.Errorf("section %s is not closed; closed %v, open %v", id, closed, open)
		}
	}
}

// fit is how the routine's player fits the screen.
type fit struct {
	Width, Overflow       float64 // the viewport, and how far the page reaches past it
	SkipLeft, SkipRight   float64
	SkipClipped, Overflew bool // Skip's label wider than Skip; a player element wider than the player
}

const measureFit = `(() => {
  const skip = document.getElementById('p-skip').getBoundingClientRect();
  const player = document.getElementById('player').getBoundingClientRect();
  const b = document.getElementById('p-skip');
  return {
    width: innerWidth,
    overflow: document.documentElement.scrollWidth - innerWidth,
    skipLeft: skip.left, skipRight: skip.right,
    skipClipped: b.scrollWidth > b.clientWidth + 1,
    overflew: [...document.querySelectorAll('#player *')].some(e => e.offsetParent && e.getBoundingClientRect().right > player.right + 1),
  };
})()`

// checkFit fails the test when the player does not fit.
func checkFit(t *testing.T, what string, f fit) {
	t.Helper()
	t.Logf("%s: %+v", what, f)
	if f.Overflow > 0 || f.SkipLeft < 0 || f.SkipRight > f.Width || f.SkipClipped || f.Overflew {
		t.Errorf("%s: the player does not fit: %+v", what, f)
	}
}

// TestRoutineOnAPhone opens today's routine on a phone: it fits at 200 %
// text and in landscape, nothing moves when the timer starts, and after
// one visit it opens from the service worker's cache with the network
// gone; finished offline, it reaches the diary once the network is back.
func TestRoutineOnAPhone(t *testing.T) {
	base, ctx, down := newPhone(t)
	plan := newPlan(t, base)
	today := base + plan + "/today?speed=50"
	var before, after [3]float64 // Skip's top, the how-to's top, the page's height
	var weight float64
	var cached []string
	var normal, large, landscape fit
	const positions = `[document.getElementById('p-skip').getBoundingClientRect().top + scrollY,
  document.querySelector('.player-how').getBoundingClientRect().top + scrollY,
  document.documentElement.scrollHeight]`
	err := chromedp.Run(ctx,
		chromedp.Navigate(today),
		chromedp.WaitVisible(`#player`, chromedp.ByID),
		within("the service worker caching the routine",
			waitFor(`document.documentElement.dataset.offlineReady === 'true' && !!navigator.serviceWorker.controller`)),
		chromedp.Evaluate(`caches.open('unknot-routine-v1').then(c => c.keys().then(ks => Promise.all(ks.map(k => c.match(k).then(r => r.blob()).then(b => [new URL(k.url).pathname, b.size])))))
  .then(all => all.map(([p, n]) => p + ' ' + n))`, &cached, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.Evaluate(measureFit, &normal),
		chromedp.Evaluate(positions, &before),
		chromedp.Click(`#p-start`, chromedp.ByID),
		chromedp.WaitVisible(`#p-pause`, chromedp.ByID),
		chromedp.Evaluate(positions, &after),
		chromedp.Click(`#p-pause`, chromedp.ByID),
		chromedp.WaitVisible(`//button[@id="p-pause"][text()="Resume"]`, chromedp.BySearch),
		// 200 % text: the browser's default font size doubled.
		page.SetFontSizes(&page.FontSizes{Standard: 32, Fixed: 26}),
		waitFor(`parseFloat(getComputedStyle(document.documentElement).fontSize) === 32`),
		chromedp.Evaluate(measureFit, &large),
		page.SetFontSizes(&page.FontSizes{Standard: 16, Fixed: 13}),
		waitFor(`parseFloat(getComputedStyle(document.documentElement).fontSize) === 16`),
		emulation.SetDeviceMetricsOverride(phoneHeight, phoneWidth, 3, true).
			WithScreenOrientation(&emulation.ScreenOrientation{Type: emulation.OrientationTypeLandscapePrimary, Angle: 90}),
		waitFor(`innerWidth === `+fmt.Sprint(phoneHeight)),
		chromedp.Evaluate(measureFit, &landscape),
		emulation.SetDeviceMetricsOverride(phoneWidth, phoneHeight, 3, true),
		waitFor(`innerWidth === `+fmt.Sprint(phoneWidth)),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cached {
		var path string
		var n float64
		fmt.Sscan(c, &path, &n)
		weight += n
	}
	t.Logf("cached for offline, %.0f bytes: %v", weight, cached)
	if weight >= 100_000 {
		t.Errorf("the routine page with its pictures weighs %.0f bytes, budget 100,000", weight)
	}
	if before != after {
		t.Errorf("starting the timer moved the page: Skip, how-to and height %v before, %v after", before, after)
	}
	checkFit(t, "390×844", normal)
	checkFit(t, "200 % text", large)
	checkFit(t, "landscape", landscape)

	// Offline: the server unreachable for the page and its service worker,
	// and the browser told so (navigator.onLine).
	down.Store(true)
	var offlineStart, response float64
	var steps int
	var controlled bool
	err = chromedp.Run(ctx,
		network.Enable(),
		network.EmulateNetworkConditions(true, 0, -1, -1),
		waitFor(`!navigator.onLine`),
		within("reloading offline",
			chromedp.Reload(),
			chromedp.WaitVisible(`#player`, chromedp.ByID)),
		chromedp.Evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd - n.startTime; })()`, &offlineStart),
		chromedp.Evaluate(`(() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseEnd - n.startTime; })()`, &response),
		chromedp.Evaluate(`JSON.parse(document.getElementById('routine-data').textContent).length`, &steps),
		chromedp.Evaluate(`!!navigator.serviceWorker.controller`, &controlled),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !controlled {
		t.Error("offline, the routine page is not controlled by the service worker")
	}
	t.Logf("offline start from the service worker's cache: response %.0f ms, player shown (DOMContentLoaded) %.0f ms", response, offlineStart)
	var tasks chromedp.Tasks
	for i := 1; i <= steps; i++ {
		if i < steps {
			tasks = append(tasks, chromedp.Click(`#p-done`, chromedp.ByID),
				chromedp.WaitVisible(fmt.Sprintf(`//span[@id="p-index"][text()="%d"]`, i+1), chromedp.BySearch))
		} else {
			tasks = append(tasks, chromedp.Click(`#p-done`, chromedp.ByID), chromedp.WaitNotVisible(`#player`, chromedp.ByID))
		}
	}
	var queuedNote, sentNote, diary string
	err = chromedp.Run(ctx,
		within("doing the routine offline", tasks),
		within("finishing offline",
			chromedp.Click(`#finish`, chromedp.ByID),
			waitFor(`document.documentElement.dataset.queued === '1'`)),
		chromedp.Text(`#offline-note`, &queuedNote, chromedp.ByID),
		chromedp.ActionFunc(func(context.Context) error { down.Store(false); return nil }),
		within("back online",
			network.EmulateNetworkConditions(false, 0, -1, -1),
			waitFor(`document.documentElement.dataset.queued === '0'`)),
		chromedp.Text(`#offline-note`, &sentNote, chromedp.ByID),
		chromedp.Navigate(base+plan+"/diary"),
		chromedp.WaitVisible(`#entries`, chromedp.ByID),
		chromedp.Text(`#entries`, &diary, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(queuedNote, "offline") || !strings.Contains(sentNote, "now in your diary") {
		t.Errorf("notes %q then %q", queuedNote, sentNote)
	}
	if !strings.Contains(diary, "finished the routine of day 1") {
		t.Errorf("the diary does not show the routine finished offline:\n%s", diary)
	}
}
