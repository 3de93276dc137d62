package main

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unknot/internal/mail"
)

func TestDBTimeoutFlag(t *testing.T) {
	for _, bad := range []string{"soon", "0", "-1s", "50ms", "21s", "1h", "NaN"} {
		code, _, errOut := runCLI(t, "", "serve", "--db-timeout", bad)
		if code != exitUsage || !strings.HasPrefix(errOut, "--db-timeout: ") {
			t.Errorf("--db-timeout %s: exit %d, %q; want exit 2 naming the flag", bad, code, errOut)
		}
	}
	t.Setenv("UNKNOT_DB_TIMEOUT", "forever")
	if code, _, errOut := runCLI(t, "", "serve"); code != exitUsage || !strings.HasPrefix(errOut, "--db-timeout: ") {
		t.Errorf("UNKNOT_DB_TIMEOUT=forever: exit %d, %q", code, errOut)
	}
	for in, want := range map[string]time.Duration{"100ms": 100 * time.Millisecond, "5s": 5 * time.Second, "20s": 20 * time.Second} {
		if got, err := parseDBTimeout(in); err != nil || got != want {
			t.Errorf("parseDBTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// hungQueue is an outbox whose database never answers.
type hungQueue struct{}

func (hungQueue) ClaimMail(ctx context.Context, _ time.Time, _ time.Duration, _ int) ([]mail.Queued, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (hungQueue) RenewMail(ctx context.Context, _ string, _ time.Time) (int, error) {
	<-ctx.Done()
	return 0, ctx.Err()
}

func (hungQueue) MarkMailSent(ctx context.Context, _ ...mail.Sent) error {
	<-ctx.Done()
	return ctx.Err()
}

func (hungQueue) RetryMail(ctx context.Context, _ int64, _ string, _ time.Time, _ string) error {
	<-ctx.Done()
	return ctx.Err()
}

func (hungQueue) FailMail(ctx context.Context, _ int64, _, _ string) error {
	<-ctx.Done()
	return ctx.Err()
}

// Each call the mail worker makes ends at the deadline even when the
// worker's own context never ends (without it, this test hangs), and so
// does the preparation of due reminders.
func TestMailWorkerCallsHaveADeadline(t *testing.T) {
	q := deadlineQueue{queue: hungQueue{}, timeout: 10 * time.Millisecond}
	ctx := context.Background()
	_, claim := q.ClaimMail(ctx, time.Now(), time.Minute, 10)
	_, renew := q.RenewMail(ctx, "c1", time.Now().Add(time.Minute))
	for name, err := range map[string]error{
		"claim": claim,
		"renew": renew,
		"mark":  q.MarkMailSent(ctx, mail.Sent{ID: 1, Claim: "c1", MessageID: "<id@example>", At: time.Now()}),
		"retry": q.RetryMail(ctx, 1, "c1", time.Now(), "later"),
		"fail":  q.FailMail(ctx, 1, "c1", "never"),
		"prepare": withDeadline(10*time.Millisecond, func(ctx context.Context, _ time.Time) error {
			<-ctx.Done()
			return ctx.Err()
		})(ctx, time.Now()),
	} {
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want the deadline", name, err)
		}
	}
	if withDeadline(time.Second, nil) != nil {
		t.Error("no preparation became one")
	}
}

// unknot serve with UNKNOT_DB_TIMEOUT=300ms, while another process holds
// SQLite's write lock (and would for longer than the lock wait of 10 s):
// a save answers 503 in the API's shape instead of waiting for the lock.
// (/healthz is not asked here: whether its ping finds the one write
// connection free depends on when the driver gives the held save up; its
// answers to a database that does not answer are tested in package web,
// TestHungDatabaseAnswers503, and package store, on a frozen PostgreSQL.)
func TestServeAnswers503WhenTheDatabaseIsHeld(t *testing.T) {
	path := filepath.Join(t.TempDir(), "unknot.db")
	t.Setenv("UNKNOT_DB_TIMEOUT", "300ms")
	_, base := startServer(t, path)
	createPlan(t, base)

	holder, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), "ROLLBACK")

	resp, err := http.Post(base+"/api/v1/assessments", "application/json", strings.NewReader(deskAnswers))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.HasPrefix(string(body), `{"errors":[{"field":"body",`) {
		t.Errorf("save with the database held: %d %s", resp.StatusCode, body)
	}
}
