package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestStaticDirectoriesAreNotListed: /static/ and its directories are 404;
// its files are served.
func TestStaticDirectoriesAreNotListed(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/static/", "/static/nothing.css"} {
		if resp, body := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound || strings.Contains(body, `href="app.css"`) {
			t.Errorf("GET %s: %d\n%s", path, resp.StatusCode, body)
		}
	}
	if resp, body := get(t, ts.URL+"/static/app.css"); resp.StatusCode != http.StatusOK || body == "" {
		t.Errorf("GET /static/app.css: %d", resp.StatusCode)
	}

}
