package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// hookedStore is the real store with a few methods that a test may replace,
// to make the database hang, fail or lose its client at a chosen moment.
// A nil hook leaves the method to the real store.
type hookedStore struct {
	*store.DB
	ping func(ctx context.Context) error
	// read runs before each read of a plan (its pages' and its export's);
	// its error is the read's.
	read    func(ctx context.Context, tokenHash []byte) error
	create  func(ctx context.Context, a *store.Assessment) error
	enqueue func(ctx context.Context, m *mail.Message) error
}

func (h *hookedStore) Ping(ctx context.Context) error {
	if h.ping != nil {
		return h.ping(ctx)
	}
	return h.DB.Ping(ctx)
}

func (h *hookedStore) ExportPlan(ctx context.Context, tokenHash []byte) (*store.PlanExport, error) {
	if h.read != nil {
		if err := h.read(ctx, tokenHash); err != nil {
			return nil, err
		}
	}
	return h.DB.ExportPlan(ctx, tokenHash)
}

func (h *hookedStore) PlanDiary(ctx context.Context, tokenHash []byte, recent int, now time.Time) (*store.PlanDiary, error) {
	if h.read != nil {
		if err := h.read(ctx, tokenHash); err != nil {
			return nil, err
		}
	}
	return h.DB.PlanDiary(ctx, tokenHash, recent, now)
}

func (h *hookedStore) CreateAssessment(ctx context.Context, a *store.Assessment) error {
	if h.create != nil {
		return h.create(ctx, a)
	}
	return h.DB.CreateAssessment(ctx, a)
}

func (h *hookedStore) EnqueueMail(ctx context.Context, m *mail.Message) error {
	if h.enqueue != nil {
		return h.enqueue(ctx, m)
	}
	return h.DB.EnqueueMail(ctx, m)
}

// hang waits for the end of ctx, as a query to a database that never
// answers does, and returns the driver's error.
func hang(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

// logBuffer collects log output written from the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newHookedServer serves unknot over hs, whose real store is a fresh SQLite
// database, with everything logged at debug level into the returned buffer.
func newHookedServer(t *testing.T, cfg Config, hs *hookedStore) (*Server, *logBuffer) {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	hs.DB = db
	cfg.WriteRate, cfg.WriteBurst = rate.Inf, 1
	cfg.SecretKey = testSecretKey
	logs := &logBuffer{}
	srv, err := New(cfg, library.Default(), hs, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	return srv, logs
}

// savePlan saves a self-check through srv and returns its token.
func savePlan(t *testing.T, srv *Server) string {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/assessments", strings.NewReader(deskWorkerJSON)))
	var saved struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); rec.Code != http.StatusCreated || err != nil || !secret.Valid(saved.Token) {
		t.Fatalf("POST /api/v1/assessments: %d %s", rec.Code, rec.Body)
	}
	return saved.Token
}

// deskWorkerJSON is a plain self-care case as the API takes it.
const deskWorkerJSON = `{"version":2,"age":30,"regions":["shoulder_blade"],"duration_days":2,"onset":"after_lifting","pain_now":5,"habits":{"repetitive_back_use":true}}`

// requestIDPattern is what X-Request-Id looks like.
var requestIDPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// A database that accepts and never answers: the page says so with 503
// and Retry-After, the API answers 503 in its error shape, and /healthz
// says why, each once the deadline has passed instead of never.
func TestHungDatabaseAnswers503(t *testing.T) {
	hs := &hookedStore{}
	srv, logs := newHookedServer(t, Config{DBTimeout: 50 * time.Millisecond}, hs)
	token := savePlan(t, srv)
	hs.ping = hang
	hs.read = func(ctx context.Context, _ []byte) error { return hang(ctx) }
	hs.create = func(ctx context.Context, _ *store.Assessment) error { return hang(ctx) }
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	resp, body := get(t, ts.URL+"/plan/"+token)
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "We could not reach our database — please try again in a moment") ||
		!strings.Contains(body, "quote this reference: <code>"+id+"</code>") || !requestIDPattern.MatchString(id) {
		t.Errorf("page: %d Retry-After %q X-Request-Id %q\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), id, body)
	}

	for _, call := range []struct{ method, path, body string }{
		{http.MethodGet, "/api/v1/plans/" + token, ""},
		{http.MethodPost, "/api/v1/assessments", deskWorkerJSON},
	} {
		req, _ := http.NewRequest(call.method, ts.URL+call.path, strings.NewReader(call.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		errs := apiErrors(t, data)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || len(errs) != 1 ||
			resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d Retry-After %q %s", call.method, call.path, resp.StatusCode, resp.Header.Get("Retry-After"), data)
		}
	}

	resp, body = get(t, ts.URL+"/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable || body != "database: timeout after 50ms\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	if out := logs.String(); strings.Contains(out, "level=ERROR") || !strings.Contains(out, "request_id="+id) {
		t.Errorf("a timeout is logged as an error, or without the request id %s:\n%s", id, out)
	}
}

func TestHealthzSaysOKOrWhy(t *testing.T) {
	hs := &hookedStore{}
	srv, _ := newHookedServer(t, Config{}, hs)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	if resp, body := get(t, ts.URL+"/healthz"); resp.StatusCode != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz of a healthy database: %d %q", resp.StatusCode, body)
	}
	hs.ping = func(context.Context) error { return errors.New("store: ping: disk I/O error") }
	resp, body := get(t, ts.URL+"/healthz")
	if want := "database: error (reference " + resp.Header.Get("X-Request-Id") + ")\n"; resp.StatusCode != http.StatusServiceUnavailable || body != want {
		t.Errorf("/healthz of a failing database: %d %q, want %q", resp.StatusCode, body, want)
	}
}

// A fault on our side: a 500 page that gives the request id, and an error
// line that carries it, so that support can find one from the other.
func TestServerErrorPageQuotesTheRequestID(t *testing.T) {
	hs := &hookedStore{}
	srv, logs := newHookedServer(t, Config{}, hs)
	token := savePlan(t, srv)
	hs.read = func(context.Context, []byte) error { return errors.New("disk I/O error") }
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	resp, body := get(t, ts.URL+"/plan/"+token+"/diary")
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusInternalServerError || !requestIDPattern.MatchString(id) ||
		!strings.Contains(body, "quote this reference: <code>"+id+"</code>") {
		t.Errorf("500 page: %d X-Request-Id %q\n%s", resp.StatusCode, id, body)
	}
	var lines []string
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "request_id="+id) {
			lines = append(lines, line)
		}
	}
	// The error, and the request log's line.
	if len(lines) != 2 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], "disk I/O error") {
		t.Errorf("lines with request_id=%s: %q\nlog:\n%s", id, lines, logs.String())
	}
	if other, _ := get(t, ts.URL+"/"); other.Header.Get("X-Request-Id") == id {
		t.Error("two requests share an id")
	}
}

// clientLeaves returns a request whose client goes away when leave is
// called, as a closed connection cancels the request's context.
func clientLeaves(method, path, body string) (r *http.Request, leave func()) {
	ctx, cancel := context.WithCancel(context.Background())
	return httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body)), cancel
}

// A write whose client goes away while it is being saved is saved all
// the same, and logged as a completed request whose client went away,
// with no error line.
func TestWriteWhoseClientWentAwayCompletes(t *testing.T) {
	hs := &hookedStore{}
	srv, logs := newHookedServer(t, Config{}, hs)
	req, leave := clientLeaves(http.MethodPost, "/api/v1/assessments", deskWorkerJSON)
	hs.create = func(ctx context.Context, a *store.Assessment) error {
		leave()
		return hs.DB.CreateAssessment(ctx, a)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)

	var saved struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &saved); rec.Code != http.StatusCreated || err != nil {
		t.Fatalf("answer: %d %s", rec.Code, rec.Body)
	}
	if _, err := hs.DB.AssessmentByToken(t.Context(), secret.Hash(saved.Token)); err != nil {
		t.Errorf("the assessment was not saved: %v", err)
	}
	out := logs.String()
	if strings.Contains(out, "level=ERROR") || !regexp.MustCompile(`level=INFO msg="client went away" request_id=\w+ method=POST path=/api/v1/assessments status=201`).MatchString(out) {
		t.Errorf("log:\n%s", out)
	}
}

// A read whose client goes away is cut short and logged as that, not as
// a server error.
func TestReadWhoseClientWentAwayIsNoError(t *testing.T) {
	hs := &hookedStore{}
	srv, logs := newHookedServer(t, Config{}, hs)
	token := savePlan(t, srv)
	req, leave := clientLeaves(http.MethodGet, "/plan/"+token, "")
	hs.read = func(context.Context, []byte) error {
		leave()
		return nil
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	out := logs.String()
	if strings.Contains(out, "level=ERROR") || strings.Contains(out, "level=WARN") ||
		!regexp.MustCompile(`level=INFO msg="client went away" request_id=\w+ method=GET path=/plan/… status=499`).MatchString(out) {
		t.Errorf("answer %d; log:\n%s", rec.Code, out)
	}
}

// tokenRoutes are the routes whose path carries a private link's token, as
// the route tables in this package's files declare them: a route added
// later is checked without being listed here.
func tokenRoutes(t *testing.T) [][2]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	route := regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+) (/[^"]*\{token\}[^"]*)"`)
	var routes [][2]string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			routes = append(routes, [2]string{m[1], m[2]})
		}
	}
	if len(routes) < 40 {
		t.Fatalf("found only %d routes with a token: %v", len(routes), routes)
	}
	return routes
}

// No log line, at debug level, holds a private link's token: not the
// request log, not the error lines of a database that fails with the
// token in its error, on any route that carries one, found or not.
func TestLogsHoldNoToken(t *testing.T) {
	hs := &hookedStore{}
	srv, logs := newHookedServer(t, Config{}, hs)
	plan := savePlan(t, srv)
	unknown, _ := secret.NewToken()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	drive := func(token string) {
		for _, rt := range tokenRoutes(t) {
			path := strings.ReplaceAll(rt[1], "{token}", token)
			body, kind := "email="+token+"&plan="+token, "application/x-www-form-urlencoded"
			if strings.HasPrefix(path, "/api/") {
				body, kind = `{"email":"`+token+`","start":"`+token+`"}`, "application/json"
			}
			req, _ := http.NewRequest(rt[0], ts.URL+path+"?plan="+token, strings.NewReader(body))
			req.Header.Set("Content-Type", kind)
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	drive(plan)
	drive(unknown)
	// A database whose errors quote the token, as a driver's may quote
	// the query's arguments.
	hs.read = func(context.Context, []byte) error {
		return errors.New("query plan " + plan + ": disk I/O error at /plan/" + plan)
	}
	drive(plan)

	out := logs.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "disk I/O error") {
		t.Fatalf("the failing database was not logged:\n%s", out)
	}
	for _, token := range []string{plan, unknown} {
		if strings.Contains(out, token) {
			t.Errorf("the log holds the token %s:\n%s", token, out)
		}
	}
}

// A plan link that cannot be queued: 500 with the request id, and an error
// line that names neither the address nor the plan's token.
func TestPlanLinkMailFailureLogsNoAddress(t *testing.T) {
	hs := &hookedStore{}
	srv, logs := newHookedServer(t, Config{}, hs)
	token := savePlan(t, srv)
	hs.enqueue = func(_ context.Context, m *mail.Message) error {
		return errors.New("outbox full: mail to " + m.To + " with " + m.Text)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	resp, data := postJSON(t, ts.URL+"/api/v1/plans/"+token+"/email", `{"email":"keeper@example.com"}`)
	if resp.StatusCode != http.StatusInternalServerError || len(apiErrors(t, data)) != 1 {
		t.Errorf("answer: %d %s", resp.StatusCode, data)
	}
	out := logs.String()
	if !strings.Contains(out, "outbox full: mail to …") || strings.Contains(out, "keeper@") || strings.Contains(out, token) ||
		!strings.Contains(out, "request_id="+resp.Header.Get("X-Request-Id")) {
		t.Errorf("log:\n%s", out)
	}
}

// BenchmarkBegin is what begin and logRequests add to each request: an
// id, the deadline's timer, two context values and the (disabled) debug
// log line.
func BenchmarkBegin(b *testing.B) {
	srv, err := New(Config{}, library.Default(), nil, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	h := srv.begin(srv.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	req := httptest.NewRequest(http.MethodPost, "/api/v1/assessments", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
}
