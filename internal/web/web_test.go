package web

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/store"
)

// newTestServer serves unknot over a fresh SQLite database.
func newTestServer(t testing.TB, cfg Config) *httptest.Server {
	ts, _ := startTestServer(t, cfg)
	return ts
}

// startTestServer serves unknot over a fresh SQLite database, which it
// returns too, for seeding and for reading what was written. Write limits
// are off unless cfg sets them, comment forms are signed with the key
// derived from testSecretKey, and the base URL is the server's own
// address unless cfg sets one, as unknot serve does.
func startTestServer(t testing.TB, cfg Config) (*httptest.Server, *store.DB) {
	t.Helper()
	return startTestServerOn(t, cfg, filepath.Join(t.TempDir(), "test.db"))
}

// startTestServerOn is startTestServer over the database named by dsn.
func startTestServerOn(t testing.TB, cfg Config, dsn string) (*httptest.Server, *store.DB) {
	t.Helper()
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if cfg.WriteRate == 0 {
		cfg.WriteRate, cfg.WriteBurst = rate.Inf, 1
	}
	if cfg.SecretKey == nil {
		cfg.SecretKey = testSecretKey
	}
	ts := httptest.NewUnstartedServer(nil)
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + ts.Listener.Addr().String()
	}
	srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		ts.Close()
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, db
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func postForm(t *testing.T, url string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirect.PostForm(url, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func postJSON(t *testing.T, url, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, data
}

// deskWorker is a plain self-care case: a desk worker with a knot, the
// whole questionnaire posted at once.
func deskWorker() url.Values {
	return url.Values{
		"age":               {"35"},
		"regions":           {"top_of_shoulder", "base_of_skull"},
		"duration_days":     {"5"},
		"duration_unit":     {"days"},
		"onset":             {"gradual"},
		"pain_now":          {"4"},
		"habits.desk_hours": {"8"},
		"habits.posture":    {"rounded_shoulders", "forward_head"},
		"tried.heat":        {"somewhat"},
		"symptoms_none":     {"yes"},
		"conditions_none":   {"yes"},
	}
}

func TestPagesCarryDisclaimerAndEmergencyAdvice(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/", "/check", "/nowhere"} {
		resp, body := get(t, ts.URL+path)
		if path != "/nowhere" && resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		for _, want := range []string{"Not medical advice", "call your emergency number now"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s: no %q", path, want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: CSP %q", path, csp)
		}
		if resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s: Referrer-Policy %q", path, resp.Header.Get("Referrer-Policy"))
		}
	}
}

func TestEmergencyResultHasNothingElse(t *testing.T) {
	ts := newTestServer(t, Config{})
	form := deskWorker()
	form.Set("symptoms.chest_pain_or_pressure", "yes")
	resp, _ := postForm(t, ts.URL+"/check", form)
	_, body := get(t, ts.URL+resp.Header.Get("Location"))
	if !strings.Contains(body, "Call emergency services now") {
		t.Fatal("emergency result does not say to call emergency services")
	}
	for _, unwanted := range []string{"Relief right now", "Your 7 days", "/exercises/", "Take your plan with you", "/diary", "Keep this page", "kind of knot"} {
		if strings.Contains(body, unwanted) {
			t.Errorf("emergency result shows %q", unwanted)
		}
	}
}

func TestPlanLinksThatDoNotExist(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/plan/short", "/plan/" + strings.Repeat("A", 43), "/plan/..%2F..%2Fetc"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestAPICreateAssessment(t *testing.T) {
	// A base URL given with its trailing slash still makes links with one.
	ts := newTestServer(t, Config{BaseURL: "https://unknot.example/"})
	resp, data := postJSON(t, ts.URL+"/api/v1/assessments",
		`{"version":2,"age":30,"regions":["shoulder_blade"],"duration_days":2,"onset":"after_lifting","pain_now":5,"habits":{"repetitive_back_use":true}}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d: %s", resp.StatusCode, data)
	}
	var got struct {
		Urgency string          `json:"urgency"`
		Plan    json.RawMessage `json:"plan"`
		Token   string          `json:"token"`
		URL     string          `json:"url"`
		Pattern string          `json:"pattern"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if got.Urgency != "self_care" || got.Pattern != "overworked" || string(got.Plan) == "null" {
		t.Errorf("got urgency %q pattern %q plan %s", got.Urgency, got.Pattern, got.Plan)
	}
	if got.URL != "https://unknot.example/plan/"+got.Token {
		t.Errorf("url %q does not carry token %q", got.URL, got.Token)
	}
	if resp, _ := get(t, ts.URL+"/plan/"+got.Token); resp.StatusCode != http.StatusOK {
		t.Errorf("saved plan: %d", resp.StatusCode)
	}
}

func TestAPIRejectsBadAnswersWithFieldErrors(t *testing.T) {
	ts := newTestServer(t, Config{})
	cases := map[string]string{
		`{"version":2,"age":30,"regions":[],"duration_days":2,"onset":"gradual","pain_now":5}`:                                          "regions",
		`{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":11}`:                           "pain_now",
		`{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":5,"x":1}`:                      "x",
		`{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":5,"habits":{"desk_hours":25}}`: "habits.desk_hours",
		`{"version":1,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":5}`:                                     "version",
		`{"version":2,"age":11,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":5}`:                            "age",
		`not json`: "",
	}
	for body, field := range cases {
		resp, data := postJSON(t, ts.URL+"/api/v1/assessments", body)
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", body, resp.StatusCode)
			continue
		}
		var got struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		}
		if err := json.Unmarshal(data, &got); err != nil || len(got.Errors) == 0 {
			t.Errorf("%s: body %s is not a list of errors", body, data)
			continue
		}
		if field != "" && got.Errors[0].Field != field {
			t.Errorf("%s: first error on %q, want %q", body, got.Errors[0].Field, field)
		}
	}
}

func TestCrossSiteFormPostIsRefused(t *testing.T) {
	ts := newTestServer(t, Config{})
	req, _ := http.NewRequest("POST", ts.URL+"/check", strings.NewReader(deskWorker().Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d, want 403", resp.StatusCode)
	}
}

func TestWritesAreRateLimited(t *testing.T) {
	ts := newTestServer(t, Config{WriteRate: 0.001, WriteBurst: 2})
	body := `{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":3}`
	var codes []int
	for range 3 {
		resp, _ := postJSON(t, ts.URL+"/api/v1/assessments", body)
		codes = append(codes, resp.StatusCode)
	}
	if codes[0] != 201 || codes[1] != 201 || codes[2] != http.StatusTooManyRequests {
		t.Errorf("statuses %v, want [201 201 429]", codes)
	}
}

func TestHealthz(t *testing.T) {
	ts := newTestServer(t, Config{})
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
}
