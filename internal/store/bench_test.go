package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// benchAssessment is about the size of a real saved self-check: a couple
// of hundred bytes of answers and a couple of kilobytes of result.
func benchAssessment() *Assessment {
	a := newAssessment()
	a.Result = json.RawMessage(`{"urgency":"self_care","why":"` + strings.Repeat("x", 2000) + `"}`)
	return a
}

// BenchmarkCreateAssessment measures saves per second on SQLite with many
// goroutines saving at once (all through the single writer):
//
//	go test ./internal/store/ -run '^$' -bench CreateAssessment -benchtime 5s
func BenchmarkCreateAssessment(b *testing.B) {
	ctx := context.Background()
	db := openTest(b, sqliteDSN(b))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := db.CreateAssessment(ctx, benchAssessment()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// BenchmarkAssessmentByToken measures lookups per second on SQLite, in
// parallel on the read pool, in a table of 10,000 assessments.
func BenchmarkAssessmentByToken(b *testing.B) {
	ctx := context.Background()
	db := openTest(b, sqliteDSN(b))
	hashes := make([][]byte, 10000)
	for i := range hashes {
		a := benchAssessment()
		if err := db.CreateAssessment(ctx, a); err != nil {
			b.Fatal(err)
		}
		hashes[i] = a.TokenHash
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := db.AssessmentByToken(ctx, hashes[i%len(hashes)]); err != nil {
				b.Error(err)
				return
			}
			i += 7
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
}
