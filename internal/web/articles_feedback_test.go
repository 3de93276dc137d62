package web

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// "Was this helpful?" remembers this browser's answer, without JavaScript
// (the form's redirect) and with it (the JSON answer), for that article
// only.
func TestFeedbackIsRemembered(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, tt := range []struct {
		name, accept, helpful, says string
	}{
		{"form", "", "yes", "You told us this article helped."},
		{"json", "application/json", "no", "You told us this article did not help."},
	} {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		page := func(path string) string {
			resp, err := client.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return string(b)
		}
		if body := page("/articles/neck-knots"); !strings.Contains(body, "Was this article helpful?") {
			t.Fatalf("%s: no question before answering", tt.name)
		}
		req, _ := http.NewRequest("POST", ts.URL+"/articles/neck-knots/feedback", strings.NewReader(url.Values{"helpful": {tt.helpful}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if tt.accept != "" {
			req.Header.Set("Accept", tt.accept)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		body := page("/articles/neck-knots")
		if strings.Contains(body, "Was this article helpful?") || !strings.Contains(body, tt.says) {
			t.Errorf("%s: coming back, the box does not show the answer %q", tt.name, tt.says)
		}
		if body := page("/articles"); strings.Contains(body, tt.says) {
			t.Errorf("%s: the answer shows elsewhere", tt.name)
		}
	}
}
