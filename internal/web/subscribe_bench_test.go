package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/time/rate"

	"unknot/internal/store"
)

// BenchmarkSignUps measures sign-ups accepted per second through the API
// on loopback, with SQLite and with PostgreSQL (a schema of its own; skipped
// when no server answers): each one a subscriber and a confirmation mail in
// the outbox, written in one transaction, from 8 parallel clients per
// GOMAXPROCS. Goals: 1,000/s or more on SQLite, 1,500/s on PostgreSQL.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkSignUps -benchmem -cpu 1 -count 5 -benchtime 2s
func BenchmarkSignUps(b *testing.B) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		b.Run(dialect, func(b *testing.B) {
			dsn := b.TempDir() + "/test.db"
			if dialect == store.Postgres {
				dsn = testPostgres(b)
			}
			cfg := Config{}
			cfg.Mail.SignUpRate, cfg.Mail.SignUpBurst = rate.Inf, 1
			ts, db := startTestServerOn(b, cfg, dsn)
			benchSignUps(b, ts.URL, db)
		})
	}
}

// benchSignUps posts distinct sign-ups to url from parallel clients and
// checks that db queued one confirmation mail for each.
func benchSignUps(b *testing.B, url string, db *store.DB) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	cpu := processCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := fmt.Sprintf(`{"first_name":"Anna","email":"anna%d@example.com"}`, n.Add(1))
			resp, err := client.Post(url+"/api/v1/subscribers", "application/json", strings.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.StopTimer()
	reportCPU(b, cpu)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signups/s")
	counts, err := db.MailCounts(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if int64(counts["queued"]) != n.Load() {
		b.Fatalf("%d confirmation mails queued for %d sign-ups", counts["queued"], n.Load())
	}
}
