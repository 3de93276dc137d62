package metrics

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/http/pprof"
	"regexp"
	"strings"
)

// MinTokenLength is the shortest bearer token accepted: 32 characters, 128
// bits or more when they are hex or base64 from a random source, such as
// `openssl rand -hex 32`. The token guards /metrics on the public port,
// where anyone may guess.
const MinTokenLength = 32

// tokenSyntax is RFC 6750's b64token, the form a bearer token may take in
// an Authorization header.
var tokenSyntax = regexp.MustCompile(`^[A-Za-z0-9._~+/-]+=*$`)

// CheckToken reports what is wrong with token as a bearer token.
func CheckToken(token string) error {
	if len(token) < MinTokenLength {
		return fmt.Errorf("must be at least %d characters, such as the output of openssl rand -hex 32", MinTokenLength)
	}
	if !tokenSyntax.MatchString(token) {
		return errors.New("may hold only letters, digits and - . _ ~ + / (then = at the end)")
	}
	return nil
}

// Public serves /metrics on the site's own port to requests that carry
// "Authorization: Bearer <token>", and hands every other request to site.
// With no token, /metrics goes to site too, which answers 404: metrics are
// then served only on a listener of their own (Admin), if at all.
func (m *Metrics) Public(site http.Handler, token string) http.Handler {
	if token == "" {
		return site
	}
	guarded := requireToken(token, m.Handler())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			guarded.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(w, r)
	})
}

// Admin is the handler of the metrics listener: /metrics, and with
// profiling net/http/pprof's profiles under /debug/pprof/. With a token,
// both ask for it. pprof's cmdline is left out: it would show the
// command line, and with it any secret given as a flag (--smtp-url's
// password, --metrics-token).
func (m *Metrics) Admin(token string, profiling bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	if profiling {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	if token == "" {
		return mux
	}
	return requireToken(token, mux)
}

// requireToken answers 401 to requests without the bearer token. Only the
// token's SHA-256 is kept, and the one a request carries is hashed and
// compared in constant time, so the comparison's time tells nothing of
// the token or its length.
func requireToken(token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, given, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		got := sha256.Sum256([]byte(given))
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="unknot metrics"`)
			http.Error(w, "Unauthorized: send Authorization: Bearer <metrics token>.", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
