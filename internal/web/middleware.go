package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/valid"
)

// securityHeaders sets the headers every response carries: a strict content
// security policy (no third-party anything), no referrer (private plan links
// must not leak to other sites), and no framing.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status code for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs each request at debug level, and server errors at warn.
// A request whose client went away is logged at info as that, with the
// status it was answered with: a write that completed says 2xx or 3xx.
// Tokens in paths are redacted by the log's handler (internal/logs).
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		level, msg := slog.LevelDebug, "request"
		switch {
		case clientGone(r):
			level, msg = slog.LevelInfo, "client went away"
		case sw.status >= 500:
			level = slog.LevelWarn
		}
		if s.log.Enabled(r.Context(), level) {
			s.log.Log(r.Context(), level, msg, "method", r.Method, "path", r.URL.Path,
				"status", sw.status, "duration", time.Since(start))
		}
	})
}

// recover turns a panic in a handler into a 500 and a log line.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// limiter is a token bucket per client address.
type limiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim *rate.Limiter
}

func newLimiter(limit rate.Limit, burst int) *limiter {
	return &limiter{limit: limit, burst: burst, buckets: map[string]*bucket{}, swept: time.Now()}
}

// allow reports whether key may act now. Buckets that have filled up
// again are dropped so the map stays small: a full bucket is the same as a
// new one, so dropping it forgets nothing, however slow the limit.
func (l *limiter) allow(key string) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucketAt(key, now).lim.AllowN(now, 1)
}

// bucketAt returns key's bucket, made when new, with l.mu held.
func (l *limiter) bucketAt(key string, now time.Time) *bucket {
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if b.lim.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	return b
}

// limitWrites answers 429 when a client writes faster than allowed: in the
// API's error shape for the API, as text for forms.
func (s *Server) limitWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.writes.allow(r.Context(), clientIP(r)) {
			w.Header().Set("Retry-After", "10")
			const says = "Too many requests from your address. Please wait a few seconds and try again."
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeErrors(w, http.StatusTooManyRequests, valid.Errors{{Field: "body", Message: says}})
				return
			}
			http.Error(w, says, http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	b.Reset()
	buffers.Put(b)
}
