package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"unknot/internal/library"
	"unknot/internal/store"
)

// BenchmarkAPICreateAssessmentLimits is BenchmarkAPICreateAssessment with
// the write limit at work (a limit high enough never to refuse) counted
// in this process or in the database, on each database (unknot serve
// counts in the database on PostgreSQL only; sqlite/shared shows what it
// would cost on SQLite's single writer). Each parallel
// client comes through a trusted proxy as an address of its own, as
// clients behind a reverse proxy do.
func BenchmarkAPICreateAssessmentLimits(b *testing.B) {
	for _, bb := range []struct {
		name   string
		pg     bool
		shared bool
	}{{"sqlite/memory", false, false}, {"sqlite/shared", false, true}, {"postgres/memory", true, false}, {"postgres/shared", true, true}} {
		b.Run(bb.name, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "bench.db")
			if bb.pg {
				dsn = testPostgres(b)
			}
			db, err := store.Open(b.Context(), dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			cfg := Config{WriteRate: 1e9, WriteBurst: 1e9, SecretKey: testSecretKey, TrustedProxies: Proxies{netip.MustParsePrefix("127.0.0.1/32")}}
			if bb.shared {
				cfg.SharedLimits = db
			}
			srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv.Handler())
			defer ts.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var clients atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				addr := "198.51.100." + strconv.FormatInt(clients.Add(1), 10)
				for pb.Next() {
					req, _ := http.NewRequest("POST", ts.URL+"/api/v1/assessments", strings.NewReader(benchAnswers))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-Forwarded-For", addr)
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
