package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Middleware counts and times each request that next serves, labelled by
// the pattern of the ServeMux route that served it. ServeMux sets
// r.Pattern on the request it is handed, so next must pass the same
// *http.Request down to its mux: a middleware in between that replaces it
// (r.WithContext) hides the pattern, and the request counts as "other".
// Patterns, unlike paths, never hold a private link's token, and their
// number is fixed, as is that of the methods and status codes counted.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		took := time.Since(start).Seconds()
		route := r.Pattern
		if route == "" {
			route = "other"
		}
		s := m.series(seriesKey{methodLabel(r.Method), route, sw.code()})
		s.requests.Inc()
		s.latency.Observe(took)
	})
}

// seriesKey names the series a request is counted in.
type seriesKey struct {
	method, route string
	code          int
}

// series are the counter and histogram of one seriesKey.
type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// series returns the series of k, found once through the vectors and then
// kept: the vectors check and hash every label value on each lookup, which
// was most of the middleware's cost (BenchmarkMiddleware).
func (m *Metrics) series(k seriesKey) *series {
	if s, ok := m.cache.Load(k); ok {
		return s.(*series)
	}
	s := &series{
		requests: m.requests.WithLabelValues(k.method, k.route, strconv.Itoa(k.code)),
		latency:  m.latency.WithLabelValues(k.method, k.route, classLabel(k.code)),
	}
	found, _ := m.cache.LoadOrStore(k, s)
	return found.(*series)
}

// statusWriter remembers the status code a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int // 0 until the final header is written
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx headers are not the answer
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer, to
// flush or set deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// code is the status the client received: 200 when the handler wrote
// nothing, as net/http then answers.
func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// methodLabel keeps the label's values to the methods HTTP defines: a
// client can send any word as a method, and each would be a new series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// classLabel is the class of status code c: "2xx", "4xx", …
func classLabel(c int) string {
	switch c / 100 {
	case 1:
		return "1xx"
	case 2:
		return "2xx"
	case 3:
		return "3xx"
	case 4:
		return "4xx"
	case 5:
		return "5xx"
	}
	return "other"
}
