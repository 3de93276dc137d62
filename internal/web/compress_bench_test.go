package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCompressedPages serves the self-check page and the plan page
// (of a 5,000-entry diary) in process as identity, gzip and brotli, to
// weigh the CPU compression adds against the bytes it saves.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkCompressedPages -benchmem -cpu 1 -count 3 -benchtime 1s
func BenchmarkCompressedPages(b *testing.B) {
	h, plan := benchDiary(b, 5000, 365)
	for _, page := range []struct{ name, path string }{{"check", "/check"}, {"plan", plan}, {"app.css", "/static/app.css"}} {
		for _, coding := range []string{"identity", "gzip", "br"} {
			b.Run(page.name+"/"+coding, func(b *testing.B) {
				b.ReportAllocs()
				var size int
				cpu := processCPU(b)
				for b.Loop() {
					req := httptest.NewRequest(http.MethodGet, page.path, nil)
					req.Header.Set("Accept-Encoding", coding)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("GET %s: %d", page.path, w.Code)
					}
					size = w.Body.Len()
				}
				b.ReportMetric(float64(size), "bytes")
				b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
