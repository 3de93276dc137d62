package web

import (
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestStaticFilesFingerprinted follows the page's links to its style and
// script: fingerprinted addresses, cached for a year, serving the embedded
// files; the plain names still serve them, cached for an hour.
func TestStaticFilesFingerprinted(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, page := get(t, ts.URL+"/check")
	links := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(links) < 3 {
		t.Fatalf("the page links %d static files", len(links))
	}
	printed := regexp.MustCompile(`^/static/([a-z0-9-]+)\.[0-9a-f]{8}(\.[a-z]+)$`)
	for _, l := range links {
		ref := l[1]
		if ref == "/static/manifest.webmanifest" {
			continue // keeps its address (keepPlainAddress)
		}
		m := printed.FindStringSubmatch(ref)
		if m == nil {
			t.Errorf("%s is not fingerprinted", ref)
			continue
		}
		want, err := fs.ReadFile(staticFS, "static/"+m[1]+m[2])
		if err != nil {
			t.Fatal(err)
		}
		resp, body := get(t, ts.URL+ref)
		if resp.StatusCode != http.StatusOK || body != string(want) || resp.Header.Get("Cache-Control") != cacheFingerprinted {
			t.Errorf("%s: %d, %d bytes of %d, Cache-Control %q", ref, resp.StatusCode, len(body), len(want), resp.Header.Get("Cache-Control"))
		}
		resp, body = get(t, ts.URL+"/static/"+m[1]+m[2])
		if resp.StatusCode != http.StatusOK || body != string(want) || resp.Header.Get("Cache-Control") != cachePlain {
			t.Errorf("plain %s: %d, %d bytes of %d, Cache-Control %q", m[1]+m[2], resp.StatusCode, len(body), len(want), resp.Header.Get("Cache-Control"))
		}
		// Revalidation costs a 304.
		req, _ := http.NewRequest(http.MethodGet, ts.URL+ref, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s with its ETag: %v %v", ref, resp.StatusCode, err)
		} else {
			resp.Body.Close()
		}
	}
	for _, ref := range []string{"/static/nothing.css", "/static/app.00000000.css", "/static/app.css/x"} {
		if resp, _ := get(t, ts.URL+ref); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", ref, resp.StatusCode)
		}
	}
}

// TestTemplatesLinkStaticFilesByAsset keeps every template's links to
// static files going through the asset function, and the function from
// naming a file that is not there.
func TestTemplatesLinkStaticFilesByAsset(t *testing.T) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	partials, _ := fs.Glob(templateFS, "templates/partials/*.html")
	for _, name := range append(names, partials...) {
		b, _ := fs.ReadFile(templateFS, name)
		if strings.Contains(string(b), "/static/") {
			t.Errorf("%s links /static/ by a plain address; use {{asset \"name\"}}", name)
		}
	}
	if _, err := staticAssets.URL("nothing.css"); err == nil {
		t.Error("asset of a missing file gave no error")
	}
	if u, err := staticAssets.URL("manifest.webmanifest"); err != nil || u != "/static/manifest.webmanifest" {
		t.Errorf("the manifest's address = %q, %v", u, err)
	}
}

// mustAsset is the address pages link for the static file name.
func mustAsset(t *testing.T, name string) string {
	t.Helper()
	u, err := staticAssets.URL(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
