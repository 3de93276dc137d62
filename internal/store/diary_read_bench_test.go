package store

import (
	"context"
	"syscall"
	"testing"
	"time"

	"unknot/internal/diary"
)

// BenchmarkPlanDiary5000 reads what a plan's pages show of a diary of
// 5,000 entries over a year in Europe/Berlin, on SQLite: cold (the days
// counted in SQL), warm (the days kept in memory still current) and with
// one entry added since they were kept.
//
//	go test ./internal/store/ -run '^$' -bench BenchmarkPlanDiary5000 -benchmem -cpu 1 -count 3 -benchtime 1s
func BenchmarkPlanDiary5000(b *testing.B) {
	db := openTest(b, sqliteDSN(b))
	ctx := context.Background()
	a := savedAssessment(b, db)
	if err := db.SavePlanSettings(ctx, a.ID, diary.Settings{TimeZone: "Europe/Berlin", WorkStart: 9 * 60, WorkEnd: 17 * 60, WorkDays: []time.Weekday{time.Monday}}); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	for i := range 5000 {
		e := diary.Entry{At: now.Add(-time.Duration(5000-i) * 105 * time.Minute), Pain: i % 11, Regions: []string{"back_of_neck"}, Note: "long day at the desk"}
		if i%3 == 0 {
			e.Routine, e.Done = true, []string{"chin_tuck"}
		}
		if err := db.AddEntry(ctx, a.ID, &e); err != nil {
			b.Fatal(err)
		}
	}
	read := func(b *testing.B, before func()) {
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			before()
			if _, err := db.PlanDiary(ctx, a.TokenHash, 20, now); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
	b.Run("cold", func(b *testing.B) { read(b, func() { db.days = dayCache{} }) })
	b.Run("warm", func(b *testing.B) { read(b, func() {}) })
	b.Run("one-new", func(b *testing.B) {
		read(b, func() {
			b.StopTimer()
			e := diary.Entry{At: now, Pain: 3}
			if err := db.AddEntry(ctx, a.ID, &e); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		})
	})
}

// processCPU is the CPU time this process has used, in nanoseconds: on a
// shared machine, where ns/op counts waiting for a core too.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
