package web

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"unknot/internal/library"
	"unknot/internal/store"
)

func mustProxies(t *testing.T, list string) Proxies {
	t.Helper()
	p, err := ParseProxies(list)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestParseProxies(t *testing.T) {
	p := mustProxies(t, " 10.0.0.0/8, ::1/128 ,192.168.1.7/24,")
	if got := len(p); got != 3 {
		t.Fatalf("%d ranges, want 3", got)
	}
	if p[2].String() != "192.168.1.0/24" {
		t.Errorf("range %s, want it masked to 192.168.1.0/24", p[2])
	}
	if p, err := ParseProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty list: %v, %v; want none", p, err)
	}
	for _, bad := range []string{"10.0.0.1", "10.0.0.0/33", "::1/129", "localhost/8", "10.0.0.0/8;", "10.0.0.0/8,nonsense"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// Client believes X-Forwarded-For only from a trusted peer, and then takes
// the right-most address that is not a trusted proxy.
func TestProxiesClient(t *testing.T) {
	trusted := mustProxies(t, "10.0.0.0/8,2001:db8:ffff::/48")
	for _, tt := range []struct {
		name, peer string
		xff        []string
		proxies    Proxies
		want       string
	}{
		{"no proxies trusted", "10.0.0.1:5000", []string{"198.51.100.9"}, nil, "10.0.0.1"},
		{"peer outside the ranges", "192.0.2.4:5000", []string{"198.51.100.9"}, trusted, "192.0.2.4"},
		{"peer just outside a range", "11.0.0.0:5000", []string{"198.51.100.9"}, trusted, "11.0.0.0"},
		{"peer at a range's first address", "10.0.0.0:5000", []string{"198.51.100.9"}, trusted, "198.51.100.9"},
		{"peer at a range's last address", "10.255.255.255:5000", []string{"198.51.100.9"}, trusted, "198.51.100.9"},
		{"trusted peer, no header", "10.0.0.1:5000", nil, trusted, "10.0.0.1"},
		{"trusted peer, empty header", "10.0.0.1:5000", []string{""}, trusted, "10.0.0.1"},
		{"spoofed left-most value", "10.0.0.1:5000", []string{"1.2.3.4, 198.51.100.9"}, trusted, "198.51.100.9"},
		{"several hops of trusted proxies", "10.0.0.1:5000", []string{"1.2.3.4, 198.51.100.9, 10.1.1.1, 10.2.2.2"}, trusted, "198.51.100.9"},
		{"hops split over header lines", "10.0.0.1:5000", []string{"1.2.3.4", "198.51.100.9, 10.1.1.1"}, trusted, "198.51.100.9"},
		{"every hop trusted", "10.0.0.1:5000", []string{"10.3.3.3, 10.2.2.2"}, trusted, "10.3.3.3"},
		{"hop with a port", "10.0.0.1:5000", []string{"198.51.100.9:4711"}, trusted, "198.51.100.9"},
		{"IPv6 client through an IPv4 proxy", "10.0.0.1:5000", []string{"2001:db8::7"}, trusted, "2001:db8::7"},
		{"IPv6 client with a port", "10.0.0.1:5000", []string{"[2001:db8::7]:4711"}, trusted, "2001:db8::7"},
		{"IPv6 proxy trusted", "[2001:db8:ffff::1]:5000", []string{"198.51.100.9"}, trusted, "198.51.100.9"},
		{"IPv6 peer outside the range", "[2001:db8:fffe::1]:5000", []string{"198.51.100.9"}, trusted, "2001:db8:fffe::1"},
		{"IPv4-mapped peer matches an IPv4 range", "[::ffff:10.0.0.1]:5000", []string{"198.51.100.9"}, trusted, "198.51.100.9"},
		{"IPv4-mapped client is shown as IPv4", "10.0.0.1:5000", []string{"::ffff:198.51.100.9"}, trusted, "198.51.100.9"},
		{"zone dropped", "10.0.0.1:5000", []string{"fe80::1%eth0"}, trusted, "fe80::1"},
		{"malformed right-most value: the proxy", "10.0.0.1:5000", []string{"198.51.100.9, not-an-address"}, trusted, "10.0.0.1"},
		{"malformed value behind a trusted hop: that hop", "10.0.0.1:5000", []string{"garbage, 10.1.1.1"}, trusted, "10.1.1.1"},
		{"malformed value left of the client: ignored", "10.0.0.1:5000", []string{"<script>, 198.51.100.9"}, trusted, "198.51.100.9"},
		{"empty value between commas", "10.0.0.1:5000", []string{"198.51.100.9,,"}, trusted, "10.0.0.1"},
		{"host name instead of an address", "10.0.0.1:5000", []string{"evil.example"}, trusted, "10.0.0.1"},
		{"peer without a port", "10.0.0.1", []string{"198.51.100.9"}, trusted, "198.51.100.9"},
		{"peer that is no address", "pipe", []string{"198.51.100.9"}, trusted, "pipe"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := tt.proxies.Client(r); got != tt.want {
				t.Errorf("Client = %q, want %q", got, tt.want)
			}
		})
	}
}

// HTTPS believes X-Forwarded-Proto only from a trusted peer.
func TestProxiesHTTPS(t *testing.T) {
	trusted := mustProxies(t, "10.0.0.0/8,::1/128")
	for _, tt := range []struct {
		name, peer string
		proto      []string
		tls        bool
		proxies    Proxies
		want       bool
	}{
		{"plain http", "192.0.2.4:5000", nil, false, trusted, false},
		{"TLS connection", "192.0.2.4:5000", nil, true, trusted, true},
		{"TLS connection, header says http", "10.0.0.1:5000", []string{"http"}, true, trusted, true},
		{"untrusted peer says https", "192.0.2.4:5000", []string{"https"}, false, trusted, false},
		{"no proxies trusted", "10.0.0.1:5000", []string{"https"}, false, nil, false},
		{"trusted peer says https", "10.0.0.1:5000", []string{"https"}, false, trusted, true},
		{"trusted IPv6 peer says HTTPS", "[::1]:5000", []string{"HTTPS"}, false, trusted, true},
		{"trusted peer says http", "10.0.0.1:5000", []string{"http"}, false, trusted, false},
		{"nearest proxy appended http", "10.0.0.1:5000", []string{"https, http"}, false, trusted, false},
		{"nearest proxy appended https", "10.0.0.1:5000", []string{"http,https"}, false, trusted, true},
		{"two header lines, last says https", "10.0.0.1:5000", []string{"http", "https"}, false, trusted, true},
		{"malformed value", "10.0.0.1:5000", []string{"https://"}, false, trusted, false},
		{"empty value", "10.0.0.1:5000", []string{""}, false, trusted, false},
		{"peer that is no address", "pipe", []string{"https"}, false, trusted, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for _, v := range tt.proto {
				r.Header.Add("X-Forwarded-Proto", v)
			}
			if got := tt.proxies.HTTPS(r); got != tt.want {
				t.Errorf("HTTPS = %v, want %v", got, tt.want)
			}
		})
	}
}

// fetch sends a request to ts with headers set and returns the response.
func fetch(t *testing.T, method, url, body string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// HSTS goes with every response to a client that came over https, and
// never over plain http, whatever a client that is no trusted proxy says.
func TestStrictTransportSecurity(t *testing.T) {
	https := map[string]string{"X-Forwarded-Proto": "https"}
	for _, tt := range []struct {
		name    string
		proxies string
		header  map[string]string
		want    string
	}{
		{"plain http", "", nil, ""},
		{"https claimed by an untrusted peer", "", https, ""},
		{"https through a trusted proxy", "127.0.0.1/32", https, hsts},
		{"http through a trusted proxy", "127.0.0.1/32", map[string]string{"X-Forwarded-Proto": "http"}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t, Config{TrustedProxies: mustProxies(t, tt.proxies)})
			for _, path := range []string{"/", "/static/app.css", "/no-such-page", "/healthz"} {
				resp := fetch(t, "GET", ts.URL+path, "", tt.header)
				if got := resp.Header.Get("Strict-Transport-Security"); got != tt.want {
					t.Errorf("GET %s: HSTS %q, want %q", path, got, tt.want)
				}
			}
			resp := fetch(t, "POST", ts.URL+"/api/v1/assessments", "{", tt.header)
			if got := resp.Header.Get("Strict-Transport-Security"); got != tt.want {
				t.Errorf("POST with bad input (%d): HSTS %q, want %q", resp.StatusCode, got, tt.want)
			}
		})
	}
	// A TLS connection needs no proxy to say so.
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "tls.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := New(Config{SecretKey: testSecretKey}, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	defer ts.Close()
	resp, err := ts.Client().Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Strict-Transport-Security"); got != hsts {
		t.Errorf("over TLS: HSTS %q, want %q", got, hsts)
	}
}

// Cookies are Secure when the client came over https through a trusted
// proxy, and not when an untrusted client only says so; an https base URL
// (which --production requires) makes them Secure always.
func TestSecureCookieFollowsTheOriginalScheme(t *testing.T) {
	for _, tt := range []struct {
		proxies, base string
		secure        bool
	}{{"", "", false}, {"127.0.0.1/32", "", true}, {"", "https://unknot.example", true}} {
		ts := newTestServer(t, Config{TrustedProxies: mustProxies(t, tt.proxies), BaseURL: tt.base})
		resp := fetch(t, "POST", ts.URL+"/articles/neck-knots/feedback", "helpful=yes",
			map[string]string{"X-Forwarded-Proto": "https", "Content-Type": "application/x-www-form-urlencoded"})
		var found bool
		for _, c := range resp.Cookies() {
			found = true
			if c.Secure != tt.secure {
				t.Errorf("proxies %q: cookie %s Secure=%v, want %v", tt.proxies, c.Name, c.Secure, tt.secure)
			}
		}
		if !found {
			t.Fatalf("proxies %q: feedback (%d) set no cookie", tt.proxies, resp.StatusCode)
		}
	}
}

// Behind a trusted proxy, each client has its own write limit; a client
// that is no proxy cannot escape its limit by naming other addresses.
func TestWriteLimitKeysOnTheForwardedClient(t *testing.T) {
	post := func(ts *httptest.Server, xff string) int {
		return fetch(t, "POST", ts.URL+"/api/v1/assessments", "{", map[string]string{"X-Forwarded-For": xff}).StatusCode
	}
	behind := newTestServer(t, Config{WriteRate: 0.001, WriteBurst: 2, TrustedProxies: mustProxies(t, "127.0.0.1/32")})
	for i := range 2 {
		if got := post(behind, "198.51.100.1"); got != http.StatusBadRequest {
			t.Fatalf("write %d of the first client: %d, want 400 (bad input, not limited)", i+1, got)
		}
	}
	if got := post(behind, "198.51.100.1"); got != http.StatusTooManyRequests {
		t.Errorf("third write of the first client: %d, want 429", got)
	}
	if got := post(behind, "6.6.6.6, 198.51.100.1"); got != http.StatusTooManyRequests {
		t.Errorf("first client with a spoofed left-most value: %d, want 429", got)
	}
	if got := post(behind, "198.51.100.2"); got != http.StatusBadRequest {
		t.Errorf("a second client behind the same proxy: %d, want 400, not limited by the first", got)
	}

	direct := newTestServer(t, Config{WriteRate: 0.001, WriteBurst: 2})
	for i, xff := range []string{"198.51.100.1", "198.51.100.2"} {
		if got := post(direct, xff); got != http.StatusBadRequest {
			t.Fatalf("write %d: %d, want 400", i+1, got)
		}
	}
	if got := post(direct, "198.51.100.3"); got != http.StatusTooManyRequests {
		t.Errorf("untrusted client naming a new address: %d, want 429", got)
	}
}
