package web

import (
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/library"
)

// benchAnswers is a typical desk worker's self-check.
const benchAnswers = `{"version":2,"age":38,"regions":["top_of_shoulder","base_of_skull"],"side":"both","duration_days":9,"onset":"gradual","pain_now":5,"trend":"same","home_care_days":3,"habits":{"desk_hours":8,"phone_hours":3,"breaks":"rarely","stress":"high","posture":["forward_head","rounded_shoulders"],"sleep_position":"stomach"},"tried":[{"what":"heat","helped":"somewhat"}]}`

// BenchmarkAPICreateAssessment posts self-checks over loopback HTTP to a
// server on SQLite, as the load test does, from parallel clients.
func BenchmarkAPICreateAssessment(b *testing.B) {
	benchPost(b, newTestServer(b, Config{}).URL+"/api/v1/assessments")
}

// benchPost posts benchAnswers to url from 8 parallel clients per
// GOMAXPROCS, expecting 201, and reports the CPU per request (client and
// server together) and the requests per second.
func benchPost(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	cpu := processCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(url, "application/json", strings.NewReader(benchAnswers))
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
	reportCPU(b, cpu)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkAPIBareFloor is the floor BenchmarkAPICreateAssessment is
// measured against: a bare net/http handler that reads the same body and
// inserts it with the same result's bytes into a SQLite file opened as the
// store opens it (WAL, synchronous NORMAL, one writer, the statement
// prepared), one transaction per request, and answers with the result.
// No parsing, no assessing, no middleware. Its answers-only run stores the
// body and an empty result instead: what storing the answers alone would
// save on the write.
//
//	go test ./internal/web/ -run '^$' -bench 'APICreateAssessment|APIBareFloor' -benchmem -cpu 1 -count 5 -benchtime 2s
func BenchmarkAPIBareFloor(b *testing.B) {
	b.Run("result", func(b *testing.B) { benchBareFloor(b, true) })
	b.Run("answers-only", func(b *testing.B) { benchBareFloor(b, false) })
}

// benchBareFloor runs BenchmarkAPIBareFloor, storing the result's bytes
// or not.
func benchBareFloor(b *testing.B, storeResult bool) {
	answers, err := care.Parse([]byte(benchAnswers))
	if err != nil {
		b.Fatal(err)
	}
	result, err := json.Marshal(care.Assess(library.Default(), answers))
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(b.TempDir(), "bare.db")+
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE assessments (id INTEGER PRIMARY KEY, token_hash BLOB NOT NULL UNIQUE,
		answers TEXT NOT NULL, result TEXT NOT NULL, urgency TEXT NOT NULL, created_at DATETIME NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	insert, err := db.Prepare(`INSERT INTO assessments (token_hash, answers, result, urgency, created_at) VALUES ($1, $2, $3, $4, $5)`)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		hash := make([]byte, 32)
		rand.Read(hash)
		stored := ""
		if storeResult {
			stored = string(result)
		}
		if _, err := insert.ExecContext(r.Context(), hash, string(body), stored, "self_care", time.Now().UTC()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(result)
	}))
	defer ts.Close()
	benchPost(b, ts.URL)
}
