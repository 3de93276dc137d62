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
// them sent, each on its own as mail.Worker does ("each"), or all 50 in
// one MarkMailSent ("together", what batching would cost); sending itself
// is left out. The
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
		for _, together := range []bool{false, true} {
			name := open.name + "/each"
			if together {
				name = open.name + "/together"
			}
			b.Run(name, func(b *testing.B) { benchMailWorkerStore(b, open.dsn(b), together) })
		}
	}
}

// benchMailWorkerStore is BenchmarkMailWorkerStore on the database at dsn.
func benchMailWorkerStore(b *testing.B, dsn string, together bool) {
	db := openTest(b, dsn)
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
		marks := [][]mail.Sent{sent}
		if !together {
			marks = marks[:0]
			for i := range sent {
				marks = append(marks, sent[i:i+1])
			}
		}
		for _, m := range marks {
			if err := db.MarkMailSent(ctx, m...); err != nil {
				b.Fatal(err)
			}
		}
		done += len(batch)
	}
	b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/mail")
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
