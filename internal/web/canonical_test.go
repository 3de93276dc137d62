package web

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"unknot/internal/clinic"
)

// TestCanonicalLinks: each public page names its address under the
// configured base URL, whatever Host the request gave; private pages
// (a plan and its diary) name none.
func TestCanonicalLinks(t *testing.T) {
	const base = "https://unknot.example"
	ts, db := startTestServer(t, Config{BaseURL: base + "/"})
	if err := db.ImportClinic(t.Context(), clinic.Demo()); err != nil {
		t.Fatal(err)
	}
	canonical := regexp.MustCompile(`<link rel="canonical" href="([^"]*)">`)
	first := func(page, pattern string) string {
		_, body := get(t, ts.URL+page)
		m := regexp.MustCompile(`href="(` + pattern + `)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s links nothing like %s", page, pattern)
		}
		return m[1]
	}
	public := []string{"/", "/about", "/privacy", "/articles", "/exercises", "/exercises/chin_tuck", "/clinic", "/check", "/subscribe", "/book",
		first("/articles", `/articles/[a-z0-9-]+`),
		first("/articles", `/articles/tag/[a-z0-9-]+`),
		first("/clinic", `/clinic/therapists/[a-z0-9-]+`),
	}
	for _, path := range public {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Host = "evil.example" // must not show
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := canonical.FindAllStringSubmatch(string(body), -1)
		if resp.StatusCode != http.StatusOK || len(got) != 1 || got[0][1] != base+path {
			t.Errorf("%s: %d, canonical links %q, want one to %s", path, resp.StatusCode, got, base+path)
		}
	}
	plan := newPlan(t, ts.URL, deskWorker())
	for _, path := range []string{plan, plan + "/diary", plan + "/today"} {
		_, body := get(t, ts.URL+path)
		if strings.Contains(body, `rel="canonical"`) || !strings.Contains(body, `content="noindex"`) {
			t.Errorf("%s: a private page has a canonical link or no noindex", path)
		}
	}
}
