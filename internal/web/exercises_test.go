package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"unknot/internal/library"
)

func TestExerciseLibraryPage(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, body := get(t, ts.URL+"/exercises")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`<h2 id="mobility">Mobility</h2>`, `<h2 id="modality">Heat and cold</h2>`} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s", want)
		}
	}
	// Every exercise is listed once, linking to its page.
	for _, e := range library.Default().Exercises {
		if n := strings.Count(body, `href="/exercises/`+e.ID+`"`); n != 1 {
			t.Errorf("%s linked %d times", e.ID, n)
		}
	}
	// Grouped by kind: chin tuck (mobility) comes before the heat pack.
	if strings.Index(body, "/exercises/chin_tuck\"") > strings.Index(body, "/exercises/heat_pack\"") {
		t.Error("not in the order of kinds")
	}
}

func TestExercisePage(t *testing.T) {
	ts := newTestServer(t, Config{})
	lib := library.Default()
	for _, e := range lib.Exercises {
		resp, body := get(t, ts.URL+"/exercises/"+e.ID)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", e.ID, resp.StatusCode)
		}
		for _, want := range append([]string{
			"<h1>" + esc(e.Name) + "</h1>",
			`src="/exercises/` + e.ID + `.svg" alt="` + esc(e.Movement) + `"`,
		}, escAll(e.Steps, e.Cautions)...) {
			if !strings.Contains(body, want) {
				t.Errorf("%s: no %s", e.ID, want)
			}
		}
		for _, id := range e.Sources {
			src, _ := lib.Source(id)
			if !strings.Contains(body, esc(src.Title)) {
				t.Errorf("%s: source %q not shown", e.ID, src.Title)
			}
			if src.URL != "" && !strings.Contains(body, `href="`+esc(src.URL)+`"`) {
				t.Errorf("%s: no link to %s", e.ID, src.URL)
			}
		}
	}
	_, body := get(t, ts.URL+"/exercises/chin_tuck")
	for _, want := range []string{"hold 2 to 3 seconds", "8 to 12 times", "1 to 3 sets", "<dd>Sitting</dd>", "<dd>nothing</dd>"} {
		if !strings.Contains(body, want) {
			t.Errorf("chin_tuck: no %q", want)
		}
	}
}

func TestExerciseUnknown(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/exercises/no_such", "/exercises/no_such.svg", "/exercises/CHIN_TUCK", "/exercises/chin_tuck.png"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
	}
}

// The pictures keep their addresses and may run their own animation.
func TestExercisePictureServed(t *testing.T) {
	ts := newTestServer(t, Config{})
	resp, body := get(t, ts.URL+"/exercises/chin_tuck.svg")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(body, "prefers-reduced-motion") {
		t.Error("not the animated picture")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'unsafe-inline'") || strings.Contains(csp, "script-src") {
		t.Errorf("picture CSP %q", csp)
	}
}

// esc is s as html/template writes it in text and attributes.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func escAll(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, s := range l {
			out = append(out, esc(s))
		}
	}
	return out
}

func TestExerciseAPI(t *testing.T) {
	ts := newTestServer(t, Config{})
	lib := library.Default()
	resp, body := get(t, ts.URL+"/api/v1/exercises")
	var all struct {
		Exercises []struct {
			ID, Movement, Page, Picture string
			Sources                     []struct{ ID, Title string }
		}
	}
	if err := json.Unmarshal([]byte(body), &all); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/exercises: %d %v", resp.StatusCode, err)
	}
	if len(all.Exercises) != len(lib.Exercises) {
		t.Fatalf("%d exercises, want %d", len(all.Exercises), len(lib.Exercises))
	}
	for _, e := range all.Exercises {
		want, _ := lib.Exercise(e.ID)
		if e.Movement != want.Movement || e.Page != "/exercises/"+e.ID || e.Picture != "/exercises/"+e.ID+".svg" || len(e.Sources) != len(want.Sources) || e.Sources[0].Title == "" {
			t.Errorf("%s: %+v", e.ID, e)
		}
	}
	if resp, body := get(t, ts.URL+"/api/v1/exercises/chin_tuck"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"name":"Chin tuck"`) {
		t.Errorf("GET chin_tuck: %d %s", resp.StatusCode, body)
	}
	if resp, body := get(t, ts.URL+"/api/v1/exercises/nope"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"field":"id"`) {
		t.Errorf("GET nope: %d %s", resp.StatusCode, body)
	}
}
