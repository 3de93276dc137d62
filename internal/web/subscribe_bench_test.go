package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkSignUps measures sign-ups accepted per second through the API
// on loopback, with SQLite: each one a subscriber and a confirmation mail
// in the outbox, written in one transaction. Goal: 1,000/s or more.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkSignUps -benchtime 5000x
func BenchmarkSignUps(b *testing.B) {
	ts := newMailServer(b, Config{})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := fmt.Sprintf(`{"first_name":"Anna","email":"anna%d@example.com"}`, n.Add(1))
			resp, err := client.Post(ts.URL+"/api/v1/subscribers", "application/json", strings.NewReader(body))
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
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "signups/s")
	counts, err := ts.db.MailCounts(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if counts["queued"] != b.N {
		b.Fatalf("%d confirmation mails queued for %d sign-ups", counts["queued"], b.N)
	}
}
