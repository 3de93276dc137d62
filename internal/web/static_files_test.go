package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// TestStaticDirectoriesAreNotListed: /static/ and its directories are 404;
// its files are served.
func TestStaticDirectoriesAreNotListed(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/static/"} {
		if resp, body := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound || strings.Contains(body, `href="app.css"`) {
			t.Errorf("GET %s: %d\n%s", path, resp.StatusCode, body)
		}
	}
	if resp, body := get(t, ts.URL+"/static/app.css"); resp.StatusCode != http.StatusOK || body == "" {
		t.Errorf("GET /static/app.css: %d", resp.StatusCode)
	}

	files := fstest.MapFS{"img/knot.svg": {Data: []byte("<svg/>")}, "app.css": {Data: []byte("body{}")}}
	h := noListings(files, "/static/", http.NotFound, http.StripPrefix("/static/", http.FileServerFS(files)))
	for path, want := range map[string]int{
		"/static/": 404, "/static/img": 404, "/static/img/": 404,
		"/static/img/knot.svg": 200, "/static/app.css": 200, "/static/nothing.css": 404,
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != want {
			t.Errorf("GET %s: %d, want %d", path, w.Code, want)
		}
	}
}
