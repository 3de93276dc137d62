package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/store"
)

// Links in mail come from the base URL, never from the request's Host,
// which whoever sends the request chooses: a sign-up sent with
// "Host: evil.example" gets a mail whose links point at the site, both
// when a base URL is configured and when none is (then the server's
// default, as unknot serve's is its listening address).
func TestMailLinksIgnoreTheHostHeader(t *testing.T) {
	for _, tt := range []struct{ base, want string }{
		{"https://unknot.example/", "https://unknot.example/s/"},
		{"", "http://localhost/s/"},
	} {
		t.Run("base "+tt.base, func(t *testing.T) {
			db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "test.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			cfg := Config{BaseURL: tt.base, WriteRate: rate.Inf, WriteBurst: 1, SecretKey: testSecretKey,
				Mail: MailConfig{DevMailbox: true, SignUpRate: rate.Inf, SignUpBurst: 1}}
			srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			t.Cleanup(ts.Close)
			const from = "guide@unknot.example"
			ms := &mailServer{Server: ts, db: db, worker: &mail.Worker{Queue: db, Sender: mail.DevMailbox{Store: db, From: from}, From: from}}

			for path, body := range map[string]string{
				"/api/v1/subscribers": `{"first_name":"Eve","email":"eve@example.com"}`,
				"/subscribe":          "first_name=Ann&email=ann@example.com",
			} {
				req, err := http.NewRequest("POST", ts.URL+path, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				req.Host = "evil.example"
				if strings.HasPrefix(body, "{") {
					req.Header.Set("Content-Type", "application/json")
				} else {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode >= 300 {
					t.Fatalf("POST %s: %d", path, resp.StatusCode)
				}
			}
			ms.deliver(t)
			for _, to := range []string{"eve@example.com", "ann@example.com"} {
				inbox := ms.inbox(t, to)
				if len(inbox) != 1 {
					t.Fatalf("%s: %d mails, want 1", to, len(inbox))
				}
				m := inbox[0]
				if strings.Contains(m.Text+m.HTML, "evil.example") {
					t.Errorf("%s: the mail names the request's Host:\n%s", to, m.Text)
				}
				if got := link(t, m, "/confirm"); !strings.HasPrefix(got, tt.want) {
					t.Errorf("%s: confirm link %s, want it under %s", to, got, tt.want)
				}
			}
		})
	}
}
