package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unknot/internal/store"
)

const testMetricsToken = "feedfacefeedfacefeedfacefeedface"

// get fetches url, with auth as the Authorization header if not empty.
func get(t *testing.T, url, auth string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// freeAddr returns a loopback address with a port that was free a moment
// ago, for a child server's --metrics-addr.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeMetricsFlagsExitTwo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--pprof"}, "--pprof: needs --metrics-addr"},
		{[]string{"--metrics-addr", "localhost"}, "--metrics-addr: want host:port"},
		{[]string{"--metrics-addr", "127.0.0.1:99999"}, "--metrics-addr: port"},
		{[]string{"--metrics-addr", "127.0.0.1:http"}, "--metrics-addr: port"},
		{[]string{"--addr", "127.0.0.1:9000", "--metrics-addr", "127.0.0.1:9000"}, "--metrics-addr: must differ from --addr"},
		{[]string{"--metrics-token", "tooshort"}, "--metrics-token: must be at least 32"},
		{[]string{"--metrics-token", testMetricsToken + " spaced"}, "--metrics-token: may hold only"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"serve", "--db", db}, c.args...)...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("serve %v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
		if strings.Contains(errOut, "tooshort") || strings.Contains(errOut, testMetricsToken) {
			t.Errorf("serve %v: the token is printed: %q", c.args, errOut)
		}
	}
}

// A served site with --metrics-addr (here from UNKNOT_METRICS_ADDR): its
// requests, the mail its worker sent, the outbox and the database pools
// appear on the metrics listener, and /metrics is not on the public port.
func TestServeMetricsOnTheirOwnListener(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	metricsURL := "http://" + freeAddr(t) + "/metrics"
	t.Setenv("UNKNOT_METRICS_ADDR", strings.TrimSuffix(strings.TrimPrefix(metricsURL, "http://"), "/metrics"))
	_, base := startServer(t, filepath.Join(t.TempDir(), "unknot.db"))

	token := createPlan(t, base)
	if code, _ := get(t, base+"/plan/"+token, ""); code != http.StatusOK {
		t.Fatalf("plan page: %d", code)
	}
	resp, err := http.Post(base+"/api/v1/subscribers", "application/json", strings.NewReader(`{"first_name":"Kim","email":"kim@example.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("sign-up: %d", resp.StatusCode)
	}
	if code, _ := get(t, base+"/metrics", ""); code != http.StatusNotFound {
		t.Errorf("/metrics on the public port: %d, want 404", code)
	}
	if code, _ := get(t, strings.TrimSuffix(metricsURL, "metrics")+"debug/pprof/", ""); code != http.StatusNotFound {
		t.Errorf("pprof without --pprof: %d, want 404", code)
	}

	// The worker sends the confirmation within a second or so.
	const sent = `unknot_mail_sent_total{kind="subscribe_confirm"} 1`
	var body string
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(body, sent) && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		_, body = get(t, metricsURL, "")
	}
	for _, want := range []string{
		sent,
		`unknot_http_requests_total{code="201",method="POST",route="POST /api/v1/assessments"} 1`,
		`unknot_http_requests_total{code="200",method="GET",route="GET /plan/{token}"} 1`,
		`unknot_http_requests_total{code="202",method="POST",route="POST /api/v1/subscribers"} 1`,
		`unknot_http_requests_total{code="404",method="GET",route="/"} 1`,
		`unknot_http_request_duration_seconds_count{method="GET",route="GET /plan/{token}",status="2xx"} 1`,
		`unknot_store_up 1`,
		`unknot_outbox_messages{state="queued"} 0`,
		`unknot_bookings_created_total 0`,
		`go_sql_max_open_connections{db_name="sqlite_write"} 1`,
		`go_sql_open_connections{db_name="sqlite_read"}`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, token) {
		t.Error("a plan's token is in the metrics")
	}
}

// Without --metrics-addr, the public port serves /metrics to the token
// (here from UNKNOT_METRICS_TOKEN) and to nobody else.
func TestServeMetricsOnThePublicPort(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	t.Setenv("UNKNOT_METRICS_TOKEN", testMetricsToken)
	_, base := startServer(t, filepath.Join(t.TempDir(), "unknot.db"))
	if code, _ := get(t, base+"/healthz", ""); code != http.StatusOK {
		t.Fatalf("healthz: %d", code)
	}
	if code, _ := get(t, base+"/metrics", ""); code != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", code)
	}
	if code, _ := get(t, base+"/metrics", "Bearer "+strings.ToUpper(testMetricsToken)); code != http.StatusUnauthorized {
		t.Errorf("/metrics with a wrong token: %d, want 401", code)
	}
	// Refused before it reaches a route: counted as "other".
	req, err := http.NewRequest("POST", base+"/api/v1/assessments", strings.NewReader(deskAnswers))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	code, body := get(t, base+"/metrics", "Bearer "+testMetricsToken)
	for _, want := range []string{
		`unknot_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`,
		`unknot_http_requests_total{code="403",method="POST",route="other"} 1`,
	} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/metrics with the token: %d, lacks %s\n%s", code, want, body)
		}
	}
	if code, _ := get(t, base+"/debug/pprof/", "Bearer "+testMetricsToken); code != http.StatusNotFound {
		t.Errorf("pprof on the public port: %d, want 404", code)
	}
}

// --pprof adds the profiles to the metrics listener; without it they are
// not there.
func TestMetricsListenerProfiles(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "unknot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--metrics-addr", "127.0.0.1:0"}, http.StatusNotFound},
		{[]string{"--metrics-addr", "127.0.0.1:0", "--pprof"}, http.StatusOK},
	} {
		fs := newFlags("serve", io.Discard)
		opts := addMetricsFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if err := opts.check("127.0.0.1:8080"); err != nil {
			t.Fatal(err)
		}
		obs, stop, err := opts.start(db, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		admin := "http://" + obs.addr.String()
		if code, _ := get(t, admin+"/debug/pprof/goroutine?debug=1", ""); code != c.want {
			t.Errorf("%v: pprof %d, want %d", c.args, code, c.want)
		}
		if code, _ := get(t, admin+"/metrics", ""); code != http.StatusOK {
			t.Errorf("%v: metrics %d", c.args, code)
		}
		stop()
	}
}
