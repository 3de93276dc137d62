package mail_test

import (
	"context"
	"fmt"
	"testing"

	"unknot/internal/mail"
	"unknot/internal/mail/mailtest"
)

// BenchmarkWorkerSMTP measures how fast the worker delivers queued mail
// to an SMTP server on loopback, with SQLite: claim, send, mark sent, one
// message at a time. Goal: 200 mails/s or more.
//
//	go test ./internal/mail/ -run '^$' -bench BenchmarkWorkerSMTP -benchtime 2000x
func BenchmarkWorkerSMTP(b *testing.B) {
	srv := mailtest.NewServer(b)
	db := openDB(b)
	ctx := context.Background()
	for i := range b.N {
		l := &mail.Letter{
			Greeting: fmt.Sprintf("Hi person %d,", i),
			Before:   []string{"Thank you for asking for our free guide. Before we send it, please confirm that this email address is yours."},
			Button:   &mail.Link{Label: "Yes, send me the report", URL: fmt.Sprintf("https://unknot.example/s/%043d/confirm", i)},
			After:    []string{"The link works for 7 days."},
			SignOff:  "Take care,\nthe unknot team",
		}
		m, err := l.Message(mail.KindConfirm, fmt.Sprintf("person%d@example.com", i), "Please confirm your address")
		if err != nil {
			b.Fatal(err)
		}
		m.SetListUnsubscribe(fmt.Sprintf("https://unknot.example/s/%043d/unsubscribe", i))
		if err := db.EnqueueMail(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	w := &mail.Worker{Queue: db, Sender: newSMTP(b, srv), From: from}
	b.ResetTimer()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
	got := srv.Messages()
	if len(got) != b.N {
		b.Fatalf("server received %d of %d", len(got), b.N)
	}
	b.ReportMetric(float64(len(got[0].Raw)), "bytes/mail")
}
