package metrics

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"unknot/internal/mail"
	"unknot/internal/store"
)

// fakeStore answers ScrapeStats with stats, or err.
type fakeStore struct {
	stats store.ScrapeStats
	err   error
}

func (f *fakeStore) ScrapeStats(context.Context) (store.ScrapeStats, error) { return f.stats, f.err }
func (f *fakeStore) Pools() map[string]*sql.DB                              { return nil }

// scrape fetches h's /metrics with the headers given as name, value pairs
// and parses the answer, which must be 200.
func scrape(t *testing.T, h http.Handler, header ...string) map[string]*dto.MetricFamily {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("parsing the scrape: %v", err)
	}
	return fams
}

// find returns the metric of family name whose labels include all of
// labels (name, value pairs), or nil.
func find(fams map[string]*dto.MetricFamily, name string, labels ...string) *dto.Metric {
	fam := fams[name]
	if fam == nil {
		return nil
	}
next:
	for _, m := range fam.GetMetric() {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		return m
	}
	return nil
}

// value is the value of a counter or gauge series, or -1 when it is missing.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	m := find(fams, name, labels...)
	switch {
	case m == nil:
		return -1
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return -1
}

func newTest(st Store) *Metrics { return New(st, slog.New(slog.DiscardHandler)) }

// A site of a few routes, as web.Server's mux has them.
func testSite() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /plan/{token}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "plan") })
	mux.HandleFunc("POST /api/v1/assessments", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond) // so that the histogram's sum cannot be 0
		w.WriteHeader(http.StatusCreated)
	})
	mux.HandleFunc("GET /quiet", func(w http.ResponseWriter, r *http.Request) {}) // writes nothing: 200
	return mux
}

// Requests are counted and timed by method, route pattern and status;
// unmatched routes and unknown methods fall into "other", and no private
// token from a path becomes a label.
func TestMiddlewareCountsByRoute(t *testing.T) {
	m := newTest(&fakeStore{})
	site := m.Middleware(testSite())
	for _, r := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/plan/secret-token-1", 200},
		{"GET", "/plan/secret-token-2", 200},
		{"POST", "/api/v1/assessments", 201},
		{"GET", "/quiet", 200},
		{"GET", "/nowhere", 404},
		{"BREW", "/plan/x", 405},
	} {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest(r.method, r.path, nil))
		if rec.Code != r.want {
			t.Fatalf("%s %s: %d, want %d", r.method, r.path, rec.Code, r.want)
		}
	}
	fams := scrape(t, m.Handler())
	const requests, latency = "unknot_http_requests_total", "unknot_http_request_duration_seconds"
	for _, c := range []struct {
		method, route, code string
		want                float64
	}{
		{"GET", "GET /plan/{token}", "200", 2},
		{"POST", "POST /api/v1/assessments", "201", 1},
		{"GET", "GET /quiet", "200", 1},
		{"GET", "other", "404", 1},
		{"other", "other", "405", 1},
	} {
		if got := value(fams, requests, "method", c.method, "route", c.route, "code", c.code); got != c.want {
			t.Errorf("%s{method=%q,route=%q,code=%q} = %v, want %v", requests, c.method, c.route, c.code, got, c.want)
		}
	}
	post := find(fams, latency, "method", "POST", "route", "POST /api/v1/assessments", "status", "2xx")
	if post == nil || post.Histogram == nil {
		t.Fatalf("no latency histogram for the POST in %v", fams[latency])
	}
	if h := post.Histogram; h.GetSampleCount() != 1 || h.GetSampleSum() < 0.002 || h.GetSampleSum() > 10 {
		t.Errorf("POST latency: count %d, sum %v s", h.GetSampleCount(), h.GetSampleSum())
	}
	plan := find(fams, latency, "route", "GET /plan/{token}", "status", "2xx")
	// The text format adds the +Inf bucket to ours.
	if plan == nil || plan.Histogram.GetSampleCount() != 2 || len(plan.Histogram.GetBucket()) != len(durationBuckets)+1 {
		t.Errorf("plan latency = %v", plan)
	}
	for _, fam := range fams {
		for _, s := range fam.GetMetric() {
			for _, l := range s.GetLabel() {
				if strings.Contains(l.GetValue(), "secret-token") {
					t.Errorf("%s has a token in label %s=%q", fam.GetName(), l.GetName(), l.GetValue())
				}
			}
		}
	}
}

// The outbox and bookings are read from the store on each scrape; a store
// that fails leaves them out, says so in unknot_store_up, and the rest of
// the scrape still arrives.
func TestStoreCollector(t *testing.T) {
	st := &fakeStore{stats: store.ScrapeStats{
		Queued: 7, Sending: 2, OldestUnsent: time.Now().Add(-90 * time.Second), Bookings: 5, Cancelled: 1,
	}}
	m := newTest(st)
	fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"unknot_store_up", nil, 1},
		{"unknot_outbox_messages", []string{"state", "queued"}, 7},
		{"unknot_outbox_messages", []string{"state", "sending"}, 2},
		{"unknot_bookings_created_total", nil, 5},
		{"unknot_bookings_cancelled_total", nil, 1},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if age := value(fams, "unknot_outbox_oldest_unsent_age_seconds"); age < 90 || age > 90+60 {
		t.Errorf("oldest unsent age = %v s, want about 90", age)
	}
	if fams["unknot_bookings_created_total"].GetType() != dto.MetricType_COUNTER {
		t.Errorf("bookings created is a %v, want a counter", fams["unknot_bookings_created_total"].GetType())
	}

	st.stats = store.ScrapeStats{}
	if age := value(scrape(t, m.Handler()), "unknot_outbox_oldest_unsent_age_seconds"); age != 0 {
		t.Errorf("empty outbox: age %v, want 0", age)
	}

	st.err = errors.New("database is down")
	fams = scrape(t, m.Handler())
	if up := value(fams, "unknot_store_up"); up != 0 {
		t.Errorf("unknot_store_up = %v with a failing store, want 0", up)
	}
	if fams["unknot_outbox_messages"] != nil {
		t.Error("outbox depth reported from a failing store")
	}
	if fams["go_goroutines"] == nil || fams["process_cpu_seconds_total"] == nil || fams["go_build_info"] == nil {
		t.Error("the runtime, process and build collectors are missing")
	}
}

// fakeSender fails with err, and counts Close.
type fakeSender struct {
	err    error
	closed int
}

func (f *fakeSender) Send(context.Context, *mail.Queued, string) error { return f.err }
func (f *fakeSender) Close() error                                     { f.closed++; return nil }

// Sends are counted by kind and outcome, and the worker can still close
// the sender's connection through the counting one.
func TestCountMail(t *testing.T) {
	m := newTest(&fakeStore{})
	f := &fakeSender{}
	s := m.CountMail(f)
	send := func(kind string, err error) {
		f.err = err
		q := &mail.Queued{Message: mail.Message{Kind: kind}}
		if got := s.Send(context.Background(), q, "<id@x>"); !errors.Is(got, err) {
			t.Errorf("Send = %v, want %v", got, err)
		}
	}
	send(mail.KindConfirm, nil)
	send(mail.KindConfirm, nil)
	send(mail.KindReport, errors.New("421 try later"))
	send(mail.KindReport, &mail.PermanentError{Err: errors.New("550 no such user")})
	fams := scrape(t, m.Handler())
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"unknot_mail_sent_total", []string{"kind", mail.KindConfirm}, 2},
		{"unknot_mail_sent_total", []string{"kind", mail.KindReport}, -1},
		{"unknot_mail_send_errors_total", []string{"kind", mail.KindReport, "permanent", "false"}, 1},
		{"unknot_mail_send_errors_total", []string{"kind", mail.KindReport, "permanent", "true"}, 1},
	} {
		if got := value(fams, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if err := s.(interface{ Close() error }).Close(); err != nil || f.closed != 1 {
		t.Errorf("Close: %v, closed %d times", err, f.closed)
	}
}

const goodToken = "0123456789abcdef0123456789abcdef"

// On the public port /metrics answers only to the token; without one it
// is the site's 404. Other paths are the site's either way.
func TestPublicToken(t *testing.T) {
	m := newTest(&fakeStore{})
	site := http.NotFoundHandler()
	for _, c := range []struct {
		name, token, path, auth string
		want                    int
	}{
		{"no token set", "", "/metrics", "Bearer " + goodToken, 404},
		{"no header", goodToken, "/metrics", "", 401},
		{"wrong token", goodToken, "/metrics", "Bearer " + strings.Repeat("x", len(goodToken)), 401},
		{"a prefix of the token", goodToken, "/metrics", "Bearer " + goodToken[:31], 401},
		{"basic scheme", goodToken, "/metrics", "Basic " + goodToken, 401},
		{"no scheme", goodToken, "/metrics", goodToken, 401},
		{"right token", goodToken, "/metrics", "Bearer " + goodToken, 200},
		{"scheme in lower case", goodToken, "/metrics", "bearer " + goodToken, 200},
		{"other path with token", goodToken, "/metrics/x", "Bearer " + goodToken, 404},
	} {
		req := httptest.NewRequest("GET", c.path, nil)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		rec := httptest.NewRecorder()
		m.Public(site, c.token).ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
		if rec.Code == 401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: 401 without a Bearer challenge", c.name)
		}
		if rec.Code == 200 && !strings.Contains(rec.Body.String(), "unknot_store_up") {
			t.Errorf("%s: body is not the metrics", c.name)
		}
	}
}

// The metrics listener serves pprof only when profiling is on, and asks
// for the token on everything when one is set.
func TestAdmin(t *testing.T) {
	m := newTest(&fakeStore{})
	get := func(h http.Handler, path, auth string) int {
		req := httptest.NewRequest("GET", path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	plain, profiled, guarded := m.Admin("", false), m.Admin("", true), m.Admin(goodToken, true)
	for _, c := range []struct {
		name string
		h    http.Handler
		path string
		auth string
		want int
	}{
		{"metrics", plain, "/metrics", "", 200},
		{"pprof off", plain, "/debug/pprof/", "", 404},
		{"pprof off, a profile", plain, "/debug/pprof/heap", "", 404},
		{"pprof on", profiled, "/debug/pprof/", "", 200},
		{"pprof on, a profile", profiled, "/debug/pprof/heap?debug=1", "", 200},
		{"pprof on, a CPU profile", profiled, "/debug/pprof/profile?seconds=1", "", 200},
		{"pprof on, no command line", profiled, "/debug/pprof/cmdline", "", 404},
		{"token: metrics without it", guarded, "/metrics", "", 401},
		{"token: pprof without it", guarded, "/debug/pprof/heap", "", 401},
		{"token: pprof with it", guarded, "/debug/pprof/heap?debug=1", "Bearer " + goodToken, 200},
		{"token: metrics with it", guarded, "/metrics", "Bearer " + goodToken, 200},
	} {
		if got := get(c.h, c.path, c.auth); got != c.want {
			t.Errorf("%s: GET %s = %d, want %d", c.name, c.path, got, c.want)
		}
	}
}

func TestCheckToken(t *testing.T) {
	for _, c := range []struct {
		token string
		ok    bool
	}{
		{goodToken, true},
		{"Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==", true},
		{goodToken[:31], false},
		{"", false},
		{goodToken + " x", false},
		{goodToken + "\n", false},
		{"=" + goodToken, false},
		{goodToken + "é", false},
	} {
		if err := CheckToken(c.token); (err == nil) != c.ok {
			t.Errorf("CheckToken(%q) = %v, want ok %v", c.token, err, c.ok)
		}
	}
}
