package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/comments"
	"unknot/internal/library"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// twoInstances serves unknot twice over one database, as two instances
// behind a proxy would, each with its own cfg.
func twoInstances(t *testing.T, first, second Config) (a, b *httptest.Server, srvA *Server, db *store.DB) {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "shared.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var servers [2]*httptest.Server
	for i, cfg := range []Config{first, second} {
		srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			srvA = srv
		}
		servers[i] = httptest.NewServer(srv.Handler())
		t.Cleanup(servers[i].Close)
	}
	return servers[0], servers[1], srvA, db
}

// A second instance with the same secret key accepts the comment forms
// the first served, and a staff session made on the first is valid on
// the second; with another key, the second refuses the first's form.
func TestSecondInstanceAcceptsFormsAndSessions(t *testing.T) {
	shared := []byte("one secret key for every instance, 32+ bytes")
	for _, tt := range []struct {
		name   string
		second []byte
		want   int
	}{
		{"same secret", shared, http.StatusSeeOther},
		{"another secret", []byte("another secret key for the second one, 32+"), http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{WriteRate: rate.Inf, WriteBurst: 1, SecretKey: shared}
			second := cfg
			second.SecretKey = tt.second
			a, b, srvA, db := twoInstances(t, cfg, second)

			// The form as the first instance served it a minute ago.
			stamp := comments.Stamp(srvA.content.formKey, time.Now().Add(-time.Minute))
			resp, body := postForm(t, b.URL+"/articles/neck-knots/comments",
				url.Values{"name": {"Ana"}, "body": {"Thank you for this."}, "stamp": {stamp}})
			if resp.StatusCode != tt.want {
				t.Errorf("first instance's form sent to the second: %d, want %d\n%s", resp.StatusCode, tt.want, body)
			}

			c := staffClient(t, a, db, "coach@unknot.example", staff.Coach)
			resp, body = send(t, c, "GET", b.URL+"/staff", nil)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, "coach@unknot.example") {
				t.Errorf("session made on the first instance, on the second: %d", resp.StatusCode)
			}
		})
	}
}

// With shared limits, the write limit and the per-address sign-up limit
// count a client's requests on both instances together.
func TestSharedLimitsCountAcrossInstances(t *testing.T) {
	cfg := Config{WriteRate: 0.001, WriteBurst: 3, SecretKey: testSecretKey,
		Mail: MailConfig{SignUpRate: rate.Every(time.Hour), SignUpBurst: 1}}
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "limits.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg.SharedLimits = db
	a, b, _, _ := twoInstances(t, cfg, cfg)

	signUp := func(ts *httptest.Server, email string) int {
		resp, _ := postJSON(t, ts.URL+"/api/v1/subscribers", `{"first_name":"Ann","email":"`+email+`"}`)
		return resp.StatusCode
	}
	if got := signUp(a, "ann@example.com"); got != http.StatusAccepted {
		t.Fatalf("first sign-up: %d", got)
	}
	if got := signUp(b, "bob@example.com"); got != http.StatusTooManyRequests {
		t.Errorf("second sign-up from the same address, on the other instance: %d, want 429", got)
	}
	// Two writes used, one left: on the first instance, then none on either.
	if resp, _ := postJSON(t, a.URL+"/api/v1/assessments", "{"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("third write: %d, want 400", resp.StatusCode)
	}
	for _, ts := range []*httptest.Server{a, b} {
		if resp, _ := postJSON(t, ts.URL+"/api/v1/assessments", "{"); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("fourth write: %d, want 429", resp.StatusCode)
		}
	}
}
