package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"unknot/internal/diary"
)

// TestAPIEntriesPages walks a diary back by the next links, 4 entries a
// page, and finds every entry once, in order; bad paging is 400 naming
// its field.
func TestAPIEntriesPages(t *testing.T) {
	const base = "https://unknot.example"
	ts := newTestServer(t, Config{BaseURL: base})
	plan := newPlan(t, ts.URL, deskWorker())
	api := "/api/v1/plans/" + strings.TrimPrefix(plan, "/plan/")
	for i := range 10 {
		at := fmt.Sprintf("2026-01-%02dT08:00:00Z", 1+i)
		if resp, data := postJSON(t, ts.URL+api+"/entries", `{"pain":`+fmt.Sprint(i)+`,"at":"`+at+`"}`); resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST entry: %d %s", resp.StatusCode, data)
		}
	}
	var pains []int
	next, pages := ts.URL+api+"/entries?from=2026-01-02T00:00:00Z&limit=4", 0
	for next != "" {
		resp, body := get(t, next)
		var page struct {
			Entries []diary.Entry
			Next    string
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", next, resp.StatusCode, body)
		}
		var these []int
		for _, e := range page.Entries {
			these = append(these, e.Pain)
		}
		pains = append(these, pains...)
		if pages++; pages > 5 {
			t.Fatal("the pages do not end")
		}
		next = ""
		if page.Next != "" {
			if !strings.HasPrefix(page.Next, base+api+"/entries?") || !strings.Contains(page.Next, "from=2026-01-02") {
				t.Fatalf("next = %q, want the same query under the base URL", page.Next)
			}
			next = ts.URL + strings.TrimPrefix(page.Next, base)
		}
	}
	if fmt.Sprint(pains) != "[1 2 3 4 5 6 7 8 9]" || pages != 3 {
		t.Errorf("%d pages gave pains %v, want 3 giving 1…9", pages, pains)
	}
	// Without paging asked for, a short diary comes whole, as before.
	if _, body := get(t, ts.URL+api+"/entries"); strings.Count(body, `"pain"`) != 10 || strings.Contains(body, `"next"`) {
		t.Errorf("the whole diary: %s", body)
	}
	for _, c := range []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=ten", "limit"},
		{"before=0", "before"}, {"before=-4", "before"}, {"before=x", "before"},
		{"before=99999999999999999999", "before"},
		{"before=999999", "before"}, // no entry of this diary
	} {
		resp, data := getJSON(t, ts.URL+api+"/entries?"+c.query)
		if resp.StatusCode != http.StatusBadRequest || apiErrors(t, data)[c.field] == "" {
			t.Errorf("?%s: %d %s, want 400 naming %s", c.query, resp.StatusCode, data, c.field)
		}
	}
}

func getJSON(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, body := get(t, url)
	return resp, []byte(body)
}
