package store

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRecordView appends rows to the audit log as client views do,
// on SQLite and (when it answers) PostgreSQL: "serial" one view at a
// time, the cost the audit adds to a lone view; "parallel" 16 views at a
// time (b.SetParallelism on one core), whose rows share commits through
// the group commit.
//
//	go test ./internal/store/ -run '^$' -bench BenchmarkRecordView -benchmem -cpu 1 -count 3 -benchtime 2s
func BenchmarkRecordView(b *testing.B) {
	for _, c := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{SQLite, sqliteDSN}, {Postgres, postgresDSN}} {
		b.Run(c.name, func(b *testing.B) {
			db := openTest(b, c.dsn(b))
			ctx := context.Background()
			view := func() {
				e := AuditEntry{At: time.Now(), AccountID: 1, AccountEmail: "ana@clinic.example", TherapistName: "Ana",
					ShareID: 7, AssessmentID: 7, Action: AuditClientView, ClientIP: "192.0.2.1"}
				if err := db.RecordView(ctx, &e); err != nil {
					b.Error(err)
				}
			}
			b.Run("serial", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					view()
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.ReportAllocs()
				b.SetParallelism(16)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						view()
					}
				})
			})
		})
	}
}
