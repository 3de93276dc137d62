//go:build unix

package store

import (
	"context"
	"syscall"
	"testing"
	"time"

	"unknot/internal/mail"
)

// BenchmarkMailWorkerStore measures the mail worker's own database work
// per mail, on both databases: claim a batch of 50 due mails, then mark
// them sent together, as mail.Worker does (sending itself left out). The
// outbox holds b.N mails, queued before the timer starts. cpu-µs/mail is
// the CPU time of this process (the Go side, SQLite included; not
// PostgreSQL's server) per mail, steadier than the wall time on shared
// cores.
//
//	go test ./internal/store/ -run '^$' -bench MailWorkerStore -benchtime 2000x -count 3
func BenchmarkMailWorkerStore(b *testing.B) {
	for _, open := range []struct {
		name string
		dsn  func(testing.TB) string
	}{{SQLite, sqliteDSN}, {Postgres, postgresDSN}} {
		b.Run(open.name, func(b *testing.B) {
			db := openTest(b, open.dsn(b))
			ctx := context.Background()
			for i := range b.N {
				if err := db.EnqueueMail(ctx, testMail(i)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			cpu := cpuTime(b)
			b.ResetTimer()
			for done := 0; done < b.N; {
				batch, err := db.ClaimMail(ctx, time.Now(), time.Minute, 50)
				if err != nil || len(batch) == 0 {
					b.Fatalf("claimed %d: %v", len(batch), err)
				}
				sent := make([]mail.Sent, len(batch))
				for i, q := range batch {
					sent[i] = mail.Sent{ID: q.ID, Claim: q.Claim, MessageID: q.MessageID("desk@unknot.example"), At: time.Now()}
				}
				if err := db.MarkMailSent(ctx, sent...); err != nil {
					b.Fatal(err)
				}
				done += len(batch)
			}
			b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/mail")
		})
	}
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
