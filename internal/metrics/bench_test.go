package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmarks
// measure the handlers and not a recorder.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// BenchmarkMiddleware is what counting and timing adds to a request: the
// same mux and route served bare and through the middleware.
func BenchmarkMiddleware(b *testing.B) {
	site := testSite()
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", site},
		{"metrics", newTest(&fakeStore{}).Middleware(site)},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/plan/some-token", nil)
			w := discard{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				c.h.ServeHTTP(w, req)
			}
		})
	}
}
