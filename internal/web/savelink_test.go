package web

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/store"
)

const saveBase = "https://unknot.example"

// newSaveServer serves unknot with the base URL saveBase, logging at debug
// level into the returned buffer.
func newSaveServer(t *testing.T) (*httptest.Server, *store.DB, *bytes.Buffer) {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(Config{WriteRate: rate.Inf, WriteBurst: 1, BaseURL: saveBase + "/", SecretKey: testSecretKey}, library.Default(), db, log)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, db, &logs
}

// sendAll runs the outbox into the dev mailbox and returns the mailbox.
func sendAll(t *testing.T, db *store.DB) []store.DevMail {
	t.Helper()
	const from = "plans@unknot.example"
	w := &mail.Worker{Queue: db, Sender: mail.DevMailbox{Store: db, From: from}, From: from}
	for {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	list, err := db.DevMailbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestEmailMeThisLinkSendsThePlanLinkOnceAndForgetsTheAddress(t *testing.T) {
	ts, db, logs := newSaveServer(t)
	plan := newPlan(t, ts.URL, deskWorker())
	_, page := get(t, ts.URL+plan)
	for _, want := range []string{`action="` + plan + `/email"`, `src="` + plan + `/qr.svg"`, `value="` + saveBase + plan + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("plan page lacks %s", want)
		}
	}

	const addr = "Keeper@Example.com"
	resp, body := postForm(t, ts.URL+plan+"/email", url.Values{"email": {addr}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Check your inbox") {
		t.Fatalf("POST email: %d\n%s", resp.StatusCode, body)
	}
	want := "Keeper@example.com"
	recs, err := db.MailTo(t.Context(), want)
	if err != nil || len(recs) != 1 || recs[0].Kind != mail.KindPlanLink {
		t.Fatalf("outbox for %s: %+v, %v", want, recs, err)
	}
	box := sendAll(t, db)
	if len(box) != 1 {
		t.Fatalf("dev mailbox has %d mails, want 1", len(box))
	}
	m, err := db.DevMailByID(t.Context(), box[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.To != want || !strings.Contains(m.Text, saveBase+plan) || !strings.Contains(m.HTML, saveBase+plan) {
		t.Errorf("mail to %q does not carry the link %s:\n%s", m.To, saveBase+plan, m.Text)
	}
	if strings.Contains(m.Text, ts.URL) {
		t.Error("the link is built from the request's host, not the base URL")
	}
	// Once sent, the outbox no longer knows the address.
	if recs, _ := db.MailTo(t.Context(), want); len(recs) != 0 {
		t.Errorf("outbox still holds the address after sending: %+v", recs)
	}
	// Not on any list.
	if data, err := db.ExportSubscriber(t.Context(), want); err == nil && data != nil {
		t.Errorf("the address became a subscriber: %+v", data)
	}
	token := strings.TrimPrefix(plan, "/plan/")
	if strings.Contains(strings.ToLower(logs.String()), "keeper@") || strings.Contains(logs.String(), token) {
		t.Errorf("the log holds the address or the token:\n%s", logs.String())
	}
}

func TestEmailMeThisLinkChecksTheAddressAndLimits(t *testing.T) {
	ts, db, _ := newSaveServer(t)
	plan := newPlan(t, ts.URL, deskWorker())

	resp, body := postForm(t, ts.URL+plan+"/email", url.Values{"email": {"not an address"}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-email"`) || !strings.Contains(body, `value="not an address"`) {
		t.Errorf("bad address: %d\n%s", resp.StatusCode, body)
	}
	// Per address: three an hour, then the same answer and no mail.
	for range 5 {
		resp, body := postForm(t, ts.URL+plan+"/email", url.Values{"email": {"often@example.com"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Check your inbox") {
			t.Fatalf("POST email: %d", resp.StatusCode)
		}
	}
	if recs, _ := db.MailTo(t.Context(), "often@example.com"); len(recs) != 3 {
		t.Errorf("%d mails to one address, want 3", len(recs))
	}
	// Per plan: five an hour; then per client address: ten in a burst, then 429.
	for i := range 5 {
		postForm(t, ts.URL+plan+"/email", url.Values{"email": {"other" + string(rune('a'+i)) + "@example.com"}})
	}
	if resp, _ := postForm(t, ts.URL+plan+"/email", url.Values{"email": {"last@example.com"}}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("eleventh mail from one client: %d, want 429", resp.StatusCode)
	}
	counts, _ := db.MailCounts(t.Context())
	if counts["queued"] != 5 {
		t.Errorf("%d mails queued, want 5 (3 to one address, then 2 until the plan's limit)", counts["queued"])
	}
}

func TestEmailAndQRForUnknownPlans(t *testing.T) {
	ts, _, _ := newSaveServer(t)
	for _, path := range []string{"/plan/nope/email", "/plan/nope/qr.svg", "/plan/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/qr.svg"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := postForm(t, ts.URL+"/plan/nope/email", url.Values{"email": {"a@example.com"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST to an unknown plan: %d, want 404", resp.StatusCode)
	}
}

func TestQRCodeIsAnSVGOfThePlanLink(t *testing.T) {
	ts, _, _ := newSaveServer(t)
	plan := newPlan(t, ts.URL, deskWorker())
	resp, body := get(t, ts.URL+plan+"/qr.svg")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("GET qr.svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("qr.svg Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	if err := xml.Unmarshal([]byte(body), new(struct{})); err != nil {
		t.Errorf("qr.svg is not well-formed: %v", err)
	}
	if !strings.Contains(body, "<title>") || !strings.Contains(body, `d="M4 4h7`) {
		t.Errorf("qr.svg lacks a title or the finder pattern at the quiet zone:\n%.300s", body)
	}
}

// The drawing is the encoder's matrix: every dark module, and only those,
// is covered by one of the path's runs.
func TestQRSVGDrawsEveryModule(t *testing.T) {
	svg, err := qrSVG(saveBase + "/plan/abc")
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, "<svg") || !strings.HasSuffix(s, "</svg>") {
		t.Fatalf("not an svg: %.80s", s)
	}
	if strings.Count(s, "M") < 21 {
		t.Errorf("too few runs for a QR code: %d", strings.Count(s, "M"))
	}
}

func TestManifestForTheHomeScreen(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, home := get(t, ts.URL+"/")
	if !strings.Contains(home, `<link rel="manifest" href="/static/manifest.webmanifest">`) ||
		!strings.Contains(home, `<meta name="theme-color"`) {
		t.Error("the layout does not link the manifest and theme colour")
	}
	resp, body := get(t, ts.URL+"/static/manifest.webmanifest")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var m struct {
		Name, ShortName, StartURL, Display, ThemeColor string
		Icons                                          []struct{ Src, Sizes, Type, Purpose string }
	}
	dec := json.NewDecoder(strings.NewReader(strings.NewReplacer("short_name", "ShortName", "start_url", "StartURL", "theme_color", "ThemeColor").Replace(body)))
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	if m.Name == "" || m.ShortName == "" || m.StartURL != "/" || m.Display != "standalone" || m.ThemeColor == "" {
		t.Errorf("manifest %+v", m)
	}
	sizes := map[string]bool{}
	for _, ic := range m.Icons {
		resp, err := http.Get(ts.URL + ic.Src)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || len(data) == 0 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ic.Type) {
			t.Errorf("icon %s: %d %s", ic.Src, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		sizes[ic.Sizes] = true
	}
	if !sizes["192x192"] || !sizes["512x512"] {
		t.Errorf("icon sizes %v: need 192 and 512", sizes)
	}
}

func TestEmailMeThisLinkAPI(t *testing.T) {
	ts, db, _ := newSaveServer(t)
	plan := newPlan(t, ts.URL, deskWorker())
	api := ts.URL + "/api/v1" + strings.Replace(plan, "/plan/", "/plans/", 1) + "/email"
	for _, tt := range []struct {
		body   string
		status int
		field  string
	}{
		{`{"email": "api@example.com"}`, http.StatusAccepted, ""},
		{`{"email": "nope"}`, http.StatusBadRequest, "email"},
		{`{"email": "a@example.com", "x": 1}`, http.StatusBadRequest, "x"},
		{`{"email": "a@example.com", "email": "b@example.com"}`, http.StatusBadRequest, "email"},
		{"{\"email\": \"a\xff@example.com\"}", http.StatusBadRequest, "email"},
		{`[]`, http.StatusBadRequest, "body"},
	} {
		resp, data := postJSON(t, api, tt.body)
		if resp.StatusCode != tt.status || (tt.field != "" && !strings.Contains(string(data), `"field":"`+tt.field+`"`)) {
			t.Errorf("%s: %d %s, want %d naming %q", tt.body, resp.StatusCode, data, tt.status, tt.field)
		}
	}
	if recs, _ := db.MailTo(t.Context(), "api@example.com"); len(recs) != 1 || recs[0].Kind != mail.KindPlanLink {
		t.Errorf("outbox: %+v", recs)
	}
	if resp, _ := postJSON(t, ts.URL+"/api/v1/plans/nope/email", `{"email": "a@example.com"}`); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown plan: %d, want 404", resp.StatusCode)
	}
}
