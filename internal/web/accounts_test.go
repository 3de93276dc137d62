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

	"unknot/internal/library"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// signInSite is a site with the account owner@example.com, whose client
// addresses a test chooses (X-Forwarded-For from a trusted loopback).
// With shared limits it runs as two instances on one database, and
// sign-ins alternate between them, so the counts must hold across both.
type signInSite struct {
	urls []string
	next int
	db   *store.DB
}

const ownerPassword = "the owner's long password"

func newSignInSite(t *testing.T, shared bool) *signInSite {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "signin.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := Config{WriteRate: rate.Inf, WriteBurst: 1, SecretKey: testSecretKey, TrustedProxies: mustProxies(t, "127.0.0.0/8,::1/128")}
	instances := 1
	if shared {
		cfg.SharedLimits, instances = db, 2
	}
	site := &signInSite{db: db}
	for range instances {
		srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		t.Cleanup(ts.Close)
		site.urls = append(site.urls, ts.URL)
	}
	if err := db.CreateUser(t.Context(), &store.User{Email: "owner@example.com", Roles: staff.Roles{staff.Coach},
		PasswordHash: staff.HashPassword(ownerPassword, staff.DefaultParams)}); err != nil {
		t.Fatal(err)
	}
	return site
}

// signIn posts the sign-in form from addr with the cookies given, and
// returns the status and the known-browser cookie it set, if any.
func (s *signInSite) signIn(t *testing.T, addr, email, password string, cookies ...*http.Cookie) (int, *http.Cookie) {
	t.Helper()
	u := s.urls[s.next%len(s.urls)]
	s.next++
	req, _ := http.NewRequest("POST", u+"/staff/login", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", addr)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == knownBrowserCookie {
			return resp.StatusCode, c
		}
	}
	return resp.StatusCode, nil
}

const (
	guesser = "203.0.113.9"
	office  = "198.51.100.20"
)

// eachLimits runs fn with limits counted in the process and, on two
// instances, in the database.
func eachLimits(t *testing.T, fn func(t *testing.T, site *signInSite)) {
	for _, shared := range []bool{false, true} {
		name := "local"
		if shared {
			name = "shared"
		}
		t.Run(name, func(t *testing.T) { fn(t, newSignInSite(t, shared)) })
	}
}

// Wrong passwords from one address block that address, not the owner
// signing in from another.
func TestSignInGuesserDoesNotBlockOwner(t *testing.T) {
	eachLimits(t, func(t *testing.T, site *signInSite) {
		var last int
		for range signInFailsPerAccount + 1 {
			last, _ = site.signIn(t, guesser, "owner@example.com", "a wrong guess")
		}
		if last != http.StatusTooManyRequests {
			t.Fatalf("guesses past the limit: %d, want 429", last)
		}
		if got, _ := site.signIn(t, office, "owner@example.com", ownerPassword); got != http.StatusSeeOther {
			t.Errorf("the owner at another address: %d, want 303", got)
		}
	})
}

// Successful sign-ins do not count, and one resets the account's count of
// failures at that address.
func TestSignInSuccessesDoNotCount(t *testing.T) {
	eachLimits(t, func(t *testing.T, site *signInSite) {
		for i := range signInFailsPerAddress + 2 {
			if got, _ := site.signIn(t, office, "owner@example.com", ownerPassword); got != http.StatusSeeOther {
				t.Fatalf("sign-in %d from one address: %d, want 303", i+1, got)
			}
		}
		for round := range 2 {
			for i := range signInFailsPerAccount - 1 {
				if got, _ := site.signIn(t, office, "owner@example.com", "a typo"); got != http.StatusBadRequest {
					t.Fatalf("round %d, typo %d: %d, want 400", round+1, i+1, got)
				}
			}
			if got, _ := site.signIn(t, office, "owner@example.com", ownerPassword); got != http.StatusSeeOther {
				t.Fatalf("round %d: sign-in after typos: %d, want 303", round+1, got)
			}
		}
	})
}

// A browser that signed in before passes the per-account limit that a
// guesser at the same address exhausted; the address limit still holds.
func TestSignInKnownBrowser(t *testing.T) {
	eachLimits(t, func(t *testing.T, site *signInSite) {
		got, known := site.signIn(t, office, "owner@example.com", ownerPassword)
		if got != http.StatusSeeOther || known == nil || !known.HttpOnly || known.Path != "/staff/login" {
			t.Fatalf("sign-in: %d, known-browser cookie %+v", got, known)
		}
		for range signInFailsPerAccount {
			site.signIn(t, office, "owner@example.com", "a guess")
		}
		if got, _ := site.signIn(t, office, "owner@example.com", ownerPassword); got != http.StatusTooManyRequests {
			t.Errorf("a new browser at the guesser's address: %d, want 429", got)
		}
		forged := &http.Cookie{Name: knownBrowserCookie, Value: known.Value[:len(known.Value)-2] + "AA"}
		if got, _ := site.signIn(t, office, "owner@example.com", ownerPassword, forged); got != http.StatusTooManyRequests {
			t.Errorf("a forged cookie: %d, want 429", got)
		}
		if got, _ := site.signIn(t, office, "owner@example.com", ownerPassword, known); got != http.StatusSeeOther {
			t.Errorf("the known browser: %d, want 303", got)
		}

		// The cookie is for its account only, and the address limit
		// counts failures of every account.
		if err := site.db.CreateUser(t.Context(), &store.User{Email: "other@example.com", Roles: staff.Roles{staff.Coach},
			PasswordHash: staff.HashPassword(ownerPassword, staff.Params{Memory: 64, Time: 1, Threads: 1})}); err != nil {
			t.Fatal(err)
		}
		var last int
		for range signInFailsPerAccount + 1 {
			last, _ = site.signIn(t, guesser, "other@example.com", "a guess", known)
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("another account with the owner's cookie: %d, want 429", last)
		}
		for i := range signInFailsPerAddress + 1 {
			last, _ = site.signIn(t, "192.0.2.50", "nobody"+itoa64(int64(i))+"@example.com", "a guess")
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("failures of many accounts from one address: %d, want 429", last)
		}
	})
}

// The known-browser cookie expires.
func TestKnownBrowserExpires(t *testing.T) {
	s := &Server{accounts: &accounts{knownKey: deriveKey(testSecretKey, keyKnownBrowser)}}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	w := httptest.NewRecorder()
	s.rememberBrowser(w, httptest.NewRequest("POST", "/staff/login", nil), "a@example.com", now)
	r := httptest.NewRequest("POST", "/staff/login", nil)
	r.AddCookie(w.Result().Cookies()[0])
	if !s.knownBrowser(r, "a@example.com", now.Add(knownBrowserFor-time.Second)) {
		t.Error("the cookie is refused before it expires")
	}
	if s.knownBrowser(r, "a@example.com", now.Add(knownBrowserFor)) {
		t.Error("the cookie is accepted when it expires")
	}
	if s.knownBrowser(r, "b@example.com", now) {
		t.Error("the cookie is accepted for another account")
	}
}
