package e2e

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// newPlan takes the self-check of a desk worker over HTTP and returns the
// plan's path; its day 1 is breathing (2 minutes), neck turns and
// shoulder rolls.
func newPlan(t *testing.T, base string) string {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/check", url.Values{
		"age": {"35"}, "regions": {"top_of_shoulder"}, "duration_days": {"5"}, "duration_unit": {"days"}, "onset": {"gradual"},
		"pain_now": {"4"}, "habits.desk_hours": {"8"}, "habits.posture": {"rounded_shoulders"},
		"symptoms_none": {"yes"}, "conditions_none": {"yes"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /check: %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// TestRoutineWithTheTimer follows day 1 in the browser: the first exercise
// runs its whole timer (at 50 times real speed: ?speed=50 exists for this),
// the second is skipped, the third marked done; finishing logs it.
func TestRoutineWithTheTimer(t *testing.T) {
	base, ctx := newBrowser(t)
	plan := base + newPlan(t, base)
	var listHidden bool
	var first, label, count, second, finished string
	err := chromedp.Run(ctx,
		chromedp.Navigate(plan+"/today?speed=50"),
		chromedp.WaitVisible(`#player`, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("routine-steps").hidden`, &listHidden),
		chromedp.Text(`#p-name`, &first, chromedp.ByID),
		chromedp.Click(`#p-start`, chromedp.ByID),
		chromedp.WaitVisible(`#p-pause`, chromedp.ByID),
		chromedp.Text(`#p-label`, &label, chromedp.ByID),
		chromedp.Text(`#p-count`, &count, chromedp.ByID),
		// The timer runs through the first exercise by itself and moves on.
		chromedp.WaitVisible(`//span[@id="p-index"][text()="2"]`, chromedp.BySearch),
		chromedp.Text(`#p-name`, &second, chromedp.ByID),
		chromedp.Click(`#p-skip`, chromedp.ByID),
		chromedp.WaitVisible(`//span[@id="p-index"][text()="3"]`, chromedp.BySearch),
		chromedp.Click(`#p-pause`, chromedp.ByID),
		chromedp.WaitVisible(`//button[@id="p-pause"][text()="Resume"]`, chromedp.BySearch),
		chromedp.Click(`#p-done`, chromedp.ByID),
		chromedp.WaitNotVisible(`#player`, chromedp.ByID),
		chromedp.Click(`#finish`, chromedp.ByID),
		chromedp.WaitVisible(`#finished`, chromedp.ByID),
		chromedp.Text(`#finished-title`, &finished, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !listHidden {
		t.Error("the plain list shows under the guided player")
	}
	if first != "Slow belly breathing" || second != "Neck turns" {
		t.Errorf("exercises %q then %q", first, second)
	}
	// At 50 times real speed the 5-second lead-in may be over already.
	if (!strings.HasPrefix(label, "Get ready") && label != "Keep going") || count == "" || count[0] < '0' || count[0] > '9' {
		t.Errorf("after start: label %q, count %q; want a countdown", label, count)
	}
	if !strings.Contains(finished, "Done for today") {
		t.Errorf("after finishing: %q", finished)
	}

	// The diary has the routine: the timed and the done exercise, not the
	// skipped one.
	resp, err := http.Get(plan + "/diary.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("diary: %v, %d rows", err, len(rows))
	}
	if got := rows[1][5]; got != "deep_breathing;shoulder_rolls" || rows[1][6] != "true" {
		t.Errorf("logged done %q routine %q, want deep_breathing;shoulder_rolls and true", got, rows[1][6])
	}
}

// TestRoutineWorksWithoutJavaScript: the steps show as a list and the done
// button logs the routine.
func TestRoutineWorksWithoutJavaScript(t *testing.T) {
	base, ctx := newBrowser(t)
	plan := base + newPlan(t, base)
	var steps []*cdp.Node
	var finished string
	err := chromedp.Run(ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(plan+"/today"),
		chromedp.WaitVisible(`#routine-steps`, chromedp.ByID),
		chromedp.Nodes(`.routine-step`, &steps, chromedp.ByQueryAll),
		chromedp.Click(`#finish`, chromedp.ByID),
		chromedp.WaitVisible(`#finished`, chromedp.ByID),
		chromedp.Text(`#finished-title`, &finished, chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || !strings.Contains(finished, "Done for today") {
		t.Errorf("%d steps listed; after done: %q", len(steps), finished)
	}
}

// TestRoutineDaysOneToSeven follows every day of the program with the timer
// running (100 times faster), pressing done on each exercise, and finds
// seven routines in the diary. A pain score of 3 logged first puts the plan
// in its strengthening phase, so days 5–7 have their strength work.
func TestRoutineDaysOneToSeven(t *testing.T) {
	base, ctx := newBrowser(t)
	plan := base + newPlan(t, base)
	_, token, _ := strings.Cut(plan, "/plan/")
	resp, err := http.Post(base+"/api/v1/plans/"+token+"/entries", "application/json", strings.NewReader(`{"pain":3,"regions":["top_of_shoulder"]}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("logging pain: %d", resp.StatusCode)
	}
	names := map[int][]string{}
	for day := 1; day <= 7; day++ {
		err := chromedp.Run(ctx,
			chromedp.Navigate(plan+"/today?speed=100&day="+strconv.Itoa(day)),
			chromedp.WaitVisible(`#player`, chromedp.ByID),
			chromedp.Click(`#p-start`, chromedp.ByID),
		)
		if err != nil {
			t.Fatalf("day %d: %v", day, err)
		}
		for guided := true; guided; {
			var name string
			err := chromedp.Run(ctx,
				chromedp.Text(`#p-name`, &name, chromedp.ByID),
				chromedp.Click(`#p-done`, chromedp.ByID),
				chromedp.Evaluate(`document.getElementById("player").hidden`, &guided),
			)
			if err != nil {
				t.Fatalf("day %d: %v", day, err)
			}
			guided = !guided
			names[day] = append(names[day], name)
		}
		// From day 2 on the page already says today's routine is done:
		// take that away to see the page the done button leads to.
		if err := chromedp.Run(ctx,
			chromedp.Evaluate(`document.getElementById("finished")?.remove(); true`, nil),
			chromedp.Click(`#finish`, chromedp.ByID),
			chromedp.WaitVisible(`#finished`, chromedp.ByID)); err != nil {
			t.Fatalf("day %d: finishing: %v", day, err)
		}
	}
	if !slices.Contains(names[5], "Wall angel") || slices.Contains(names[1], "Wall angel") {
		t.Errorf("strength work on day 1 or none on day 5: %v", names)
	}
	resp, err = http.Get(plan + "/diary.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	for _, row := range rows[1:] {
		if row[6] == "true" {
			days = append(days, row[7])
		}
	}
	if strings.Join(days, ",") != "1,2,3,4,5,6,7" {
		t.Errorf("routines logged for days %v, want 1 to 7", days)
	}
}
