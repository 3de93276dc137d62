package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

func TestCheckFormAsksEveryQuestionInOrder(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, body := get(t, ts.URL+"/check")
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q: a page that may hold answers must not be stored", cc)
	}
	// Every answer in the order the terminal asks it too: age first, the
	// body map right after it, the warning signs group by group, the health
	// background as one step, what was tried last.
	var names []string
	for _, q := range care.Questions {
		names = append(names, q.Field)
		if q.Field == "age" {
			names = append(names, "regions")
		}
		if q.Step == care.StepPain && q.Field == "recurring" {
			for _, g := range care.SymptomGroups {
				for _, c := range g.Items {
					names = append(names, "symptoms."+c.Value)
				}
			}
			names = append(names, "symptoms_none")
			for _, c := range care.ConditionQuestions {
				names = append(names, "conditions."+c.Value)
			}
			names = append(names, "conditions_none")
		}
	}
	for _, r := range care.Remedies {
		names = append(names, "tried."+r.Value)
	}
	at := 0
	for _, name := range names {
		i := strings.Index(body[at:], `name="`+name+`"`)
		if i < 0 {
			t.Fatalf("no %s after the answers before it", name)
		}
		at += i
	}
	// Each step is in the page, the first one shown.
	for n := 1; n <= len(care.Steps); n++ {
		hidden := n != 1
		if got := strings.Contains(body, `id="step-`+strconv.Itoa(n)+`" aria-labelledby="step-`+strconv.Itoa(n)+`-title" hidden`); got != hidden {
			t.Errorf("step %d hidden: %v, want %v", n, got, hidden)
		}
	}
	for _, g := range care.SymptomGroups {
		if !strings.Contains(body, "<legend>"+g.Title+"</legend>") {
			t.Errorf("warning signs: no group %q with its own legend", g.Title)
		}
	}
	// Every input with an id is labelled.
	for _, m := range regexp.MustCompile(`<(?:input|select) id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `for="`+m[1]+`"`) {
			t.Errorf("input %s has no label", m[1])
		}
	}
}

// The rules check.js applies are care's, in care's words.
func TestCheckPageCarriesCaresRules(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, body := get(t, ts.URL+"/check")
	_, err := care.FromForm(url.Values{"age": {"111"}})
	var errs valid.Errors
	if !errors.As(err, &errs) || errs.For("age") == "" {
		t.Fatalf("care.FromForm with age 111: %v", err)
	}
	ageRange := errs.For("age")
	for _, want := range []string{
		`data-field="age" data-label="your age" data-missing="is required" data-nan="must be a whole number" data-range="` + ageRange + `" data-min="12" data-max="110" data-whole data-young`,
		`data-field="regions" data-label="where it hurts" data-missing="is required"`,
		`data-field="symptoms" data-label="Warning signs" data-missing="` + confirmMissing + `"`,
		`data-field="conditions" data-label="Your health" data-missing="` + confirmMissing + `"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for field, r := range fieldRules {
		if r.Label == "" {
			t.Errorf("%s: no label", field)
		}
	}
	for _, q := range care.Questions {
		r := fieldRules[q.Field]
		if q.Required && r.Missing == "" {
			t.Errorf("%s is required but has no message for a missing answer", q.Field)
		}
		if (q.Kind == care.Int || q.Kind == care.Number) && (r.NaN == "" || r.Range == "") {
			t.Errorf("%s: rule %+v lacks a message for a bad number", q.Field, r)
		}
	}
}

// browser is a client without JavaScript: it keeps cookies and shows
// redirects instead of following them.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	// visited are the addresses the browser went to, to check that none
	// carries an answer.
	visited []string
}

func newBrowserClient(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); loc != "" {
		b.visited = append(b.visited, loc)
	}
	return resp, string(data)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	b.visited = append(b.visited, path)
	req, _ := http.NewRequest("GET", b.base+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// step posts the page's form at step n (the whole form, as a browser
// sends it: hidden steps included) and expects to be sent to want.
func (b *browser) step(n int, form url.Values, goTo, want string) {
	b.t.Helper()
	resp, body := b.post("/check", withStep(form, n, goTo))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		b.t.Fatalf("step %d, go=%s: %d to %q, want 303 to %q\n%s", n, goTo, resp.StatusCode, resp.Header.Get("Location"), want, body)
	}
}

func TestCheckStepByStepWithoutJavaScript(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	b := newBrowserClient(t, ts.URL)
	form := url.Values{"age": {"44"}, "regions": {"back_of_neck"}}
	b.step(1, form, "next", "/check?step=2")

	// The draft's cookie is for /check only, out of scripts' reach.
	cookie := b.client.Jar.Cookies(mustURL(ts.URL + "/check"))
	if len(cookie) != 1 || cookie[0].Name != draftCookie || !secret.Valid(cookie[0].Value) {
		t.Fatalf("cookies for /check: %v, want one draft token", cookie)
	}
	if len(b.client.Jar.Cookies(mustURL(ts.URL+"/plan/x"))) != 0 {
		t.Error("the draft cookie is sent beyond /check")
	}

	// Reload: step 2 shows, and the answers of step 1 are still there.
	_, body := b.get("/check?step=2")
	if !strings.Contains(body, `id="step-2" aria-labelledby="step-2-title">`) || !strings.Contains(body, `name="age" type="text" inputmode="numeric" value="44"`) ||
		!strings.Contains(body, `name="regions" value="back_of_neck" checked`) {
		t.Fatalf("reloaded step 2 lost the answers or the step:\n%s", body)
	}

	// Next with step 2 half answered: the errors are at their fields.
	form.Set("duration_days", "3")
	form.Set("pain_now", "5")
	resp, body := b.post("/check", withStep(form, 2, "next"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("step 2 without onset: %d, want 400", resp.StatusCode)
	}
	for _, want := range []string{
		"<title>Error: Self-check",
		`id="step-2" aria-labelledby="step-2-title">`,
		`<a href="#f-onset">How did it start: is required.</a>`,
		`id="f-onset" data-field="onset"`, `aria-invalid="true" aria-describedby="e-onset"`,
		`<p class="error" id="e-onset">Is required.</p>`,
		`value="3" size="5"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("step 2 with an error lacks %s", want)
		}
	}
	if strings.Contains(body, `href="#f-habits`) || strings.Contains(body, `href="#f-symptoms`) {
		t.Error("errors of later steps are shown before the person got there")
	}

	// Back keeps what was typed, even unfinished.
	b.step(2, form, "back", "/check?step=1")
	if _, body := b.get("/check?step=2"); !strings.Contains(body, `name="duration_days" type="text" inputmode="numeric" value="3"`) {
		t.Error("Back lost the answers of the step it left")
	}

	form.Set("onset", "gradual")
	b.step(2, form, "next", "/check?step=3")
	// The warning signs need a tick or "none of these".
	resp, body = b.post("/check", withStep(form, 3, "next"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="#f-symptoms">`+sentence("Warning signs: "+confirmMissing)+`</a>`) ||
		!strings.Contains(body, `id="f-symptoms" name="symptoms_none" value="yes" data-none aria-invalid="true" aria-describedby="e-symptoms"`) {
		t.Fatalf("step 3 with nothing ticked: %d\n%s", resp.StatusCode, body)
	}
	form.Set("symptoms_none", "yes")
	b.step(3, form, "next", "/check?step=4")
	form.Set("conditions.pregnant", "yes")
	b.step(4, form, "next", "/check?step=5")
	b.step(5, form, "next", "/check?step=6")
	form.Set("habits.desk_hours", "7")
	resp, _ = b.post("/check", withStep(form, 6, "next"))
	plan := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(plan, "/plan/") {
		t.Fatalf("last step: %d to %q, want the plan", resp.StatusCode, plan)
	}
	saved, err := db.AssessmentByToken(context.Background(), secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"age":44`, `"pregnant":true`, `"desk_hours":7`, `"regions":["back_of_neck"]`} {
		if !strings.Contains(string(saved.Answers), want) {
			t.Errorf("saved answers lack %s: %s", want, saved.Answers)
		}
	}

	// The draft is gone, and so is its cookie.
	if _, err := db.Draft(context.Background(), secret.Hash(cookie[0].Value), time.Now()); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("draft after the result: %v, want ErrNotFound", err)
	}
	if c := b.client.Jar.Cookies(mustURL(ts.URL + "/check")); len(c) != 0 {
		t.Errorf("cookies after the result: %v", c)
	}
	// No address the browser saw holds an answer.
	for _, addr := range b.visited {
		u := mustURL(ts.URL + addr)
		for k := range u.Query() {
			if k != "step" {
				t.Errorf("address %q carries %s", addr, k)
			}
		}
	}
}

func TestCheckShowsTheFirstStepLeftUnanswered(t *testing.T) {
	ts := newTestServer(t, Config{})
	b := newBrowserClient(t, ts.URL)
	_, body := b.get("/check?step=4")
	if !strings.Contains(body, `id="step-1" aria-labelledby="step-1-title">`) || !strings.Contains(body, `name="step" value="1"`) {
		t.Error("step 4 of an empty questionnaire did not show step 1")
	}
	if strings.Contains(body, `class="error"`) || !strings.Contains(body, `id="errors" tabindex="-1" hidden`) {
		t.Error("a page not yet posted shows errors")
	}
	b.step(1, url.Values{"age": {"30"}, "regions": {"top_of_shoulder"}}, "next", "/check?step=2")
	if _, body := b.get("/check?step=4"); !strings.Contains(body, `name="step" value="2"`) {
		t.Error("step 4 with only step 1 answered did not show step 2")
	}
}

func TestCheckUnder12IsGuidanceNotAnError(t *testing.T) {
	ts := newTestServer(t, Config{})
	b := newBrowserClient(t, ts.URL)
	resp, body := b.post("/check", url.Values{"step": {"1"}, "go": {"next"}, "age": {"9"}, "regions": {"back_of_neck"}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("age 9: %d, want 200", resp.StatusCode)
	}
	if !strings.Contains(body, sentence(care.TooYoung)) || !strings.Contains(body, `href="/check?step=1"`) {
		t.Errorf("age 9: no guidance, or no way back to change the age\n%s", body)
	}
	for _, unwanted := range []string{`class="error"`, `class="errors"`, "Error:", `<form method="post" action="/check" `} {
		if strings.Contains(body, unwanted) {
			t.Errorf("the guidance for a child shows %s", unwanted)
		}
	}
	// The age can be changed: the draft kept it.
	if _, body := b.get("/check?step=1"); !strings.Contains(body, `value="9"`) {
		t.Error("changing the age: the answers were not kept")
	}
}

func TestCheckWholeFormAtOnce(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, _ := postForm(t, ts.URL+"/check", deskWorker())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /check: %d, want 303", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/plan/[A-Za-z0-9_-]{43}$`).MatchString(loc) {
		t.Fatalf("redirect to %q, want a private plan link", loc)
	}
	if resp.Header.Get("Set-Cookie") != "" {
		t.Error("a questionnaire posted whole started a draft")
	}
	resp, body := get(t, ts.URL+loc)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET plan: %d", resp.StatusCode)
	}
	for _, want := range []string{"Relief right now", "/exercises/suboccipital_release.svg"} {
		if !strings.Contains(body, want) {
			t.Errorf("plan page has no %q", want)
		}
	}
}

// Answers posted whole with problems show the first step with a problem,
// its errors at their fields, every answer kept.
func TestCheckWholeFormWithErrorsKeepsAnswers(t *testing.T) {
	ts := newTestServer(t, Config{})
	form := deskWorker()
	form.Del("regions")
	form.Set("pain_now", "12")
	form.Set("duration_days", "2")
	form.Set("duration_unit", "weeks")
	form.Del("conditions_none")
	form.Set("step", "6")
	resp, body := postForm(t, ts.URL+"/check", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("POST /check with bad answers: %d, want 400", resp.StatusCode)
	}
	for _, want := range []string{`href="#f-regions"`, `name="step" value="1"`, `id="step-1" aria-labelledby="step-1-title">`,
		`name="habits.posture" value="forward_head" checked`, `value="weeks" selected`, `name="duration_days" type="text" inputmode="numeric" value="2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("re-shown form has no %s", want)
		}
	}
	if strings.Contains(body, `href="#f-pain_now"`) {
		t.Error("the summary lists a problem of a later step")
	}
}

func TestCheckDraftCookieIsSecureOverHTTPS(t *testing.T) {
	ts := newTestServer(t, Config{BaseURL: "https://unknot.example"})
	resp, _ := postForm(t, ts.URL+"/check", url.Values{"step": {"1"}, "age": {"30"}})
	c := resp.Cookies()
	if len(c) != 1 || !c[0].Secure || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].Path != "/check" ||
		c[0].MaxAge != int(draftLife/time.Second) {
		t.Errorf("draft cookie over https: %+v", c)
	}
}

func TestCheckStartAgainForgetsTheDraft(t *testing.T) {
	ts := newTestServer(t, Config{})
	b := newBrowserClient(t, ts.URL)
	b.step(1, url.Values{"age": {"52"}, "regions": {"shoulder_blade"}}, "next", "/check?step=2")
	resp, _ := b.post("/check/restart", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/check" {
		t.Fatalf("start again: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := b.get("/check?step=1"); strings.Contains(body, `value="52"`) || strings.Contains(body, "shoulder_blade\" checked") {
		t.Error("start again kept the answers")
	}
}

func TestCheckStepsAreRateLimited(t *testing.T) {
	ts := newTestServer(t, Config{WriteRate: 0.001, WriteBurst: 2})
	var codes []int
	for range 3 {
		resp, _ := postForm(t, ts.URL+"/check", url.Values{"step": {"1"}, "age": {"30"}, "regions": {"back_of_neck"}})
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 303 || codes[1] != 303 || codes[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want [303 303 429]", codes)
	}
}

// TestCheckPageWeight keeps /check with everything it loads under 60 KB and
// free of third-party requests.
func TestCheckPageWeight(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, page := get(t, ts.URL+"/check")
	total := len(page)
	// The canonical link names the page itself under the base URL; it loads nothing.
	loaded := regexp.MustCompile(`<link rel="canonical" href="[^"]*">`).ReplaceAllString(page, "")
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"#]+)"`).FindAllStringSubmatch(loaded, -1) {
		ref := m[1]
		if strings.HasPrefix(ref, "http") || strings.HasPrefix(ref, "//") {
			t.Errorf("third-party reference %q", ref)
			continue
		}
		if !strings.HasPrefix(ref, "/static/") && !strings.HasPrefix(ref, "/exercises/") {
			continue // links to other pages, not loaded with this one
		}
		_, body := get(t, ts.URL+ref)
		total += len(body)
	}
	if total > 60_000 {
		t.Errorf("/check weighs %d bytes with its assets, budget 60,000", total)
	}
	t.Logf("/check with assets: %d bytes", total)
}

func withStep(form url.Values, n int, goTo string) url.Values {
	posted := url.Values{"step": {strconv.Itoa(n)}, "go": {goTo}}
	for k, v := range form {
		posted[k] = v
	}
	return posted
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
