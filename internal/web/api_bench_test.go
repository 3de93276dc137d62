package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// benchAnswers is a typical desk worker's self-check.
const benchAnswers = `{"version":2,"age":38,"regions":["top_of_shoulder","base_of_skull"],"side":"both","duration_days":9,"onset":"gradual","pain_now":5,"trend":"same","home_care_days":3,"habits":{"desk_hours":8,"phone_hours":3,"breaks":"rarely","stress":"high","posture":["forward_head","rounded_shoulders"],"sleep_position":"stomach"},"tried":[{"what":"heat","helped":"somewhat"}]}`

// BenchmarkAPICreateAssessment posts self-checks over loopback HTTP to a
// server on SQLite, as the load test does, from parallel clients.
func BenchmarkAPICreateAssessment(b *testing.B) {
	ts := newTestServer(b, Config{})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(ts.URL+"/api/v1/assessments", "application/json", strings.NewReader(benchAnswers))
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
}
