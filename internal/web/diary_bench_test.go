package web

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// benchDiary saves a plan whose diary holds n entries spread evenly over
// the days before now, in Europe/Berlin (so across changes of daylight
// saving), and returns the handler serving it with the plan's path.
func benchDiary(b *testing.B, n, days int) (http.Handler, string) {
	b.Helper()
	srv, _, plan := benchDiaryServer(b, "", n, days)
	return srv.Handler(), plan
}

// benchDiaryServer is benchDiary's server over the database at dsn (""
// for a temporary SQLite file), with the database.
func benchDiaryServer(b *testing.B, dsn string, n, days int) (*Server, *store.DB, string) {
	b.Helper()
	if dsn == "" {
		dsn = filepath.Join(b.TempDir(), "bench.db")
	}
	db, err := store.Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	srv, err := New(Config{WriteRate: rate.Inf, WriteBurst: 1, SecretKey: testSecretKey}, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(h)
	plan := newPlan(b, ts.URL, deskWorker())
	ts.Close()
	ctx := context.Background()
	a, err := db.AssessmentByToken(ctx, secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		b.Fatal(err)
	}
	if err := db.SavePlanSettings(ctx, a.ID, diary.Settings{TimeZone: "Europe/Berlin", WorkStart: 9 * 60, WorkEnd: 17 * 60, WorkDays: []time.Weekday{time.Monday, time.Tuesday}}); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5000, 1))
	now := time.Now()
	step := time.Duration(days) * 24 * time.Hour / time.Duration(n)
	for i := range n {
		e := diary.Entry{At: now.Add(-time.Duration(n-i) * step), Pain: rng.IntN(11), Regions: []string{"back_of_neck", "top_of_shoulder"}, Note: "long day at the desk, better after the walk"}
		if i%3 == 0 {
			e = diary.RoutineEntry(e.At, 1+i%7, []string{"chin_tuck", "shoulder_rolls", "doorway_stretch"})
		}
		if err := db.AddEntry(ctx, a.ID, &e); err != nil {
			b.Fatal(err)
		}
	}
	return srv, db, plan
}

// benchPages measures the CPU of serving each page that shows the diary,
// in process (no network), for a diary of n entries over days days.
func benchPages(b *testing.B, n, days int) {
	h, plan := benchDiary(b, n, days)
	api := "/api/v1/plans/" + strings.TrimPrefix(plan, "/plan/")
	for _, page := range []struct{ name, path string }{
		{"plan", plan},
		{"diary", plan + "/diary"},
		{"today", plan + "/today"},
		{"api-plan", api},
		{"api-entries", api + "/entries"},
	} {
		b.Run(page.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			cpu := processCPU(b)
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, page.path, nil))
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

// BenchmarkDiaryPages5000 serves the diary's pages with 5,000 entries
// logged over a year.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkDiaryPages -benchmem -cpu 1 -count 3 -benchtime 1s
func BenchmarkDiaryPages5000(b *testing.B) { benchPages(b, 5000, 365) }

// BenchmarkDiaryPagesFiveYears serves them for five years of three
// entries a day.
func BenchmarkDiaryPagesFiveYears(b *testing.B) { benchPages(b, 3*1826, 1826) }
