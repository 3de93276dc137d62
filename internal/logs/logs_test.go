package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"unknot/internal/secret"
)

func TestRedact(t *testing.T) {
	token, _ := secret.NewToken()
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"/plan/" + token, "/plan/…"},
		{"/plan/" + token + "/diary", "/plan/…/diary"},
		{token, "…"},
		{"GET /api/v1/plans/" + token + "/entries?x=" + token, "GET /api/v1/plans/…/entries?x=…"},
		{"a token cut short: " + token[:32] + ".", "a token cut short: …."},
		{"too short to be one: " + token[:31], "too short to be one: " + token[:31]},
		{"request 0123456789abcdef failed", "request 0123456789abcdef failed"},
		{"héllo " + token + " wörld", "héllo … wörld"},
	} {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// stringer formats itself with a token inside, as a URL would.
type stringer struct{ s string }

func (s stringer) String() string { return s.s }

func TestHandlerStampsRequestIDAndRedactsEveryAttribute(t *testing.T) {
	token, _ := secret.NewToken()
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx := WithRequestID(context.Background(), "0123456789abcdef")

	log.With("path", "/s/"+token).WithGroup("g").DebugContext(ctx, "failed for "+token,
		"err", fmt.Errorf("query %q: %w", token, errors.New("boom")),
		"url", stringer{"https://example.org/plan/" + token},
		slog.Group("inner", "link", "/bookings/"+token),
		"count", 3)
	log.Info("no request")

	out := buf.String()
	if strings.Contains(out, token) {
		t.Fatalf("token in log:\n%s", out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got:\n%s", out)
	}
	for _, want := range []string{"request_id=0123456789abcdef", `msg="failed for …"`, "path=/s/…", "boom", "g.url=https://example.org/plan/…", "g.inner.link=/bookings/…", "g.count=3"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("no %q in %s", want, lines[0])
		}
	}
	if strings.Contains(lines[1], "request_id") {
		t.Errorf("a line logged without a request carries an id: %s", lines[1])
	}
}

// net/http's own complaints reach the log through slog.NewLogLogger, as
// unknot serve wires http.Server.ErrorLog: they are redacted too.
func TestServerErrorLogIsRedacted(t *testing.T) {
	token, _ := secret.NewToken()
	var buf bytes.Buffer
	errorLog := slog.NewLogLogger(NewHandler(slog.NewTextHandler(&buf, nil)), slog.LevelWarn)
	errorLog.Printf("http: superfluous response.WriteHeader call from /plan/%s/diary", token)
	if out := buf.String(); strings.Contains(out, token) || !strings.Contains(out, "/plan/…/diary") {
		t.Errorf("error log: %s", out)
	}
}
