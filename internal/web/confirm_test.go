package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"unknot/internal/mail"
	"unknot/internal/subscribe"
)

// TestConfirmationNeedsADeliberatePost: HEAD, GET and prefetches of the
// confirmation link change nothing; the page's POST confirms, once.
func TestConfirmationNeedsADeliberatePost(t *testing.T) {
	ts := newMailServer(t, Config{})
	if resp, data := postJSON(t, ts.URL+"/api/v1/subscribers", `{"first_name":"Ida","email":"ida@example.com"}`); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("sign-up: %d %s", resp.StatusCode, data)
	}
	ts.deliver(t)
	confirmLink := link(t, ts.inbox(t, "ida@example.com")[0], "/confirm")
	state := func() subscribe.State {
		t.Helper()
		sub, err := ts.db.SubscriberByEmail(t.Context(), "ida@example.com")
		if err != nil {
			t.Fatal(err)
		}
		return sub.State
	}
	fetch := func(method string, header http.Header) string {
		t.Helper()
		req, _ := http.NewRequest(method, confirmLink, nil)
		req.Header = header
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %v: %d", method, header, resp.StatusCode)
		}
		return string(page)
	}

	fetch(http.MethodHead, http.Header{})
	for _, h := range []http.Header{
		{"Sec-Purpose": {"prefetch"}}, {"Sec-Purpose": {"prefetch;prerender"}}, {"Purpose": {"prefetch"}}, {"X-Moz": {"prefetch"}},
	} {
		if page := fetch(http.MethodGet, h); !strings.Contains(page, "Confirm my subscription") || strings.Contains(page, "data-autosubmit") {
			t.Errorf("prefetch %v: the page would send itself, or has no button", h)
		}
	}
	page := fetch(http.MethodGet, http.Header{})
	if !strings.Contains(page, `<form method="post" action="/s/`) || !strings.Contains(page, "data-autosubmit") ||
		!strings.Contains(page, `src="/static/confirm.`) || !strings.Contains(page, "Confirm my subscription") {
		t.Errorf("the page opened by the link has no self-sending form:\n%s", page)
	}
	if got := state(); got != subscribe.Pending {
		t.Fatalf("HEAD, prefetches and GET left the subscriber %s", got)
	}

	resp, body := postForm(t, confirmLink, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "your address is confirmed") || state() != subscribe.Confirmed {
		t.Fatalf("POST: %d, state %s", resp.StatusCode, state())
	}
	// A replayed post, and the link opened again, are harmless.
	if _, body := postForm(t, confirmLink, nil); !strings.Contains(body, "already confirmed") {
		t.Errorf("second post:\n%s", body)
	}
	ts.deliver(t)
	reports := 0
	for _, m := range ts.inbox(t, "ida@example.com") {
		if m.Kind == mail.KindReport {
			reports++
		}
	}
	if reports != 1 {
		t.Errorf("%d report mails, want 1", reports)
	}
}
