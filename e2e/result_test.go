package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// resultAnswers are answers of each urgency level, posted to the API as an
// app would: each a desk worker with an over-stretched knot (so that a
// knot type, heat or cold and causes are found), plus what raises the
// level; each level above self-care also fires rules of the levels below.
var resultAnswers = map[string]string{
	"emergency":        resultWith(`"recurring":true,"symptoms":{"chest_pain_or_pressure":true,"tingling_or_numbness_one_arm":true}`),
	"urgent":           resultWith(`"recurring":true,"symptoms":{"fever_or_chills":true,"pain_spreads_to_arm":true}`),
	"see_professional": resultWith(`"recurring":true`),
	"self_care":        resultWith(""),
}

func resultWith(fields string) string {
	a := `{"version":2,"age":45,"regions":["top_of_shoulder","base_of_skull"],"duration_days":5,"onset":"gradual","pain_now":4,` +
		`"habits":{"desk_hours":8,"posture":["rounded_shoulders","forward_head"],"stress":"high"}`
	if fields != "" {
		a += "," + fields
	}
	return a + "}"
}

// resultPage is what a person sees of a result page.
type resultPage struct {
	Level   string   `json:"level"`   // the urgency banner's class
	Title   string   `json:"title"`   // its heading
	Text    string   `json:"text"`    // the main content as read
	Calls   []string `json:"calls"`   // tel: links in the main content
	CallTop float64  `json:"callTop"` // where the first one is, from the top of the window
	Height  float64  `json:"height"`  // of the window
	Plan    bool     `json:"plan"`    // relief right now is shown
	Knot    bool     `json:"knot"`    // "about your knot" is shown
}

// readResult reads the result page the browser shows.
const readResult = `(() => {
  const main = document.querySelector('main');
  const banner = main.querySelector('.urgency');
  const calls = [...main.querySelectorAll('a[href^="tel:"]')];
  return {
    level: banner ? banner.classList[1] : '',
    title: document.querySelector('#urgency-title')?.textContent.trim() ?? '',
    text: main.innerText,
    calls: calls.map(a => a.getAttribute('href')),
    callTop: calls.length ? calls[0].getBoundingClientRect().top : -1,
    height: window.innerHeight,
    plan: !!document.querySelector('#relief-title'),
    knot: !!document.querySelector('#knot-title'),
  };
})()`

// postResult saves the answers of level through the API and returns the
// private link of the result.
func postResult(t *testing.T, base, level string) string {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/assessments", "application/json", strings.NewReader(resultAnswers[level]))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Urgency string `json:"urgency"`
		URL     string `json:"url"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("%s: POST /api/v1/assessments: %d %v", level, resp.StatusCode, err)
	}
	if got.Urgency != level {
		t.Fatalf("answers meant for %s gave %s", level, got.Urgency)
	}
	return got.URL
}

func TestResultPagesOfEachLevel(t *testing.T) {
	base, ctx := newBrowser(t)
	for _, tt := range []struct {
		level, title   string
		want, unwanted []string // in the main text, compared in lower case
		calls          []string
		plan           bool
	}{
		{
			level: "emergency", title: "Call emergency services now",
			want:     []string{"call 911", "call 112", "call 999", "us and canada", "while you wait for help", "unlock the front door", "heart attack"},
			unwanted: []string{"doctor", "book", "within a day", "over-stretched", "about your knot", "heat or cold", "likely causes", "massage", "keep coming back"},
			calls:    []string{"tel:911", "tel:112", "tel:999"},
		},
		{
			level: "urgent", title: "See a doctor within a day",
			want:     []string{"no massage, stretching or exercise", "infection", "also tell the doctor about", "knots that keep coming back", "a doctor comes first", "book a visit after seeing a doctor"},
			unwanted: []string{"call 911", "home care may go on", "over-stretched", "about your knot", "heat or cold", "likely causes", "relief right now"},
		},
		{
			level: "see_professional", title: "Book a professional; home care may go on meanwhile",
			want:     []string{"who to see", "about your knot", "over-stretched", "likely causes", "relief right now", "your 7 days", "book a visit"},
			unwanted: []string{"call 911", "while you wait for help", "a doctor comes first"},
			plan:     true,
		},
		{
			level: "self_care", title: "You can look after this at home",
			want:     []string{"about your knot", "over-stretched", "likely causes", "relief right now", "your 7 days", "chin tuck"},
			unwanted: []string{"call 911", "while you wait for help", "who to see"},
			plan:     true,
		},
	} {
		t.Run(tt.level, func(t *testing.T) {
			link := postResult(t, base, tt.level)
			var page resultPage
			err := chromedp.Run(ctx,
				chromedp.Navigate(link),
				chromedp.WaitVisible(`#urgency-title`, chromedp.ByID),
				chromedp.Evaluate(readResult, &page),
			)
			if err != nil {
				t.Fatal(err)
			}
			if page.Level != tt.level || page.Title != tt.title {
				t.Errorf("banner %q %q, want %q %q", page.Level, page.Title, tt.level, tt.title)
			}
			text := strings.ToLower(page.Text)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("the page does not say %q:\n%s", w, page.Text)
				}
			}
			for _, u := range tt.unwanted {
				if strings.Contains(text, u) {
					t.Errorf("the page says %q:\n%s", u, page.Text)
				}
			}
			if strings.Join(page.Calls, " ") != strings.Join(tt.calls, " ") {
				t.Errorf("tel: links %v, want %v", page.Calls, tt.calls)
			}
			if len(page.Calls) > 0 && (page.CallTop < 0 || page.CallTop > page.Height) {
				t.Errorf("the first number to call is at %.0f px, below the first screen (%.0f px) of a phone", page.CallTop, page.Height)
			}
			if page.Plan != tt.plan || page.Knot != tt.plan {
				t.Errorf("plan shown %v, knot shown %v; want %v", page.Plan, page.Knot, tt.plan)
			}
		})
	}
}
