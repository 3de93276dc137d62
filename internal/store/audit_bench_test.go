package store

import (
	"context"
	"testing"
	"time"
)

// BenchmarkRecordView appends rows to the audit log, one transaction
// each as a client view does, on SQLite and (when it answers) PostgreSQL:
// the cost the audit adds to every view of a client's data.
//
//	go test ./internal/store/ -run '^$' -bench BenchmarkRecordView -benchmem -count 3 -benchtime 2s
func BenchmarkRecordView(b *testing.B) {
	for _, c := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{SQLite, sqliteDSN}, {Postgres, postgresDSN}} {
		b.Run(c.name, func(b *testing.B) {
			db := openTest(b, c.dsn(b))
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				e := AuditEntry{At: time.Now(), AccountID: 1, AccountEmail: "ana@clinic.example", TherapistName: "Ana",
					ShareID: 7, AssessmentID: 7, Action: AuditClientView, ClientIP: "192.0.2.1"}
				if err := db.RecordView(ctx, &e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
