package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"unknot/internal/mail"
	"unknot/internal/store"
	"unknot/internal/subscribe"
)

// mailServer is a test server whose mail goes to the dev mailbox.
type mailServer struct {
	*httptest.Server
	db     *store.DB
	worker *mail.Worker
}

func newMailServer(t testing.TB, cfg Config) *mailServer {
	t.Helper()
	if cfg.Mail.SignUpRate == 0 {
		cfg.Mail.SignUpRate, cfg.Mail.SignUpBurst = rate.Inf, 1
	}
	cfg.Mail.DevMailbox = true
	ts, db := startTestServer(t, cfg)
	const from = "guide@unknot.example"
	return &mailServer{Server: ts, db: db, worker: &mail.Worker{Queue: db, Sender: mail.DevMailbox{Store: db, From: from}, From: from}}
}

// deliver runs the mail worker once, as the server's worker would.
func (m *mailServer) deliver(t *testing.T) {
	t.Helper()
	if _, err := m.worker.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// inbox returns the dev mailbox's messages to addr, newest first, whole.
func (m *mailServer) inbox(t *testing.T, addr string) []*store.DevMail {
	t.Helper()
	list, err := m.db.DevMailbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []*store.DevMail
	for _, d := range list {
		if d.To == addr {
			full, err := m.db.DevMailByID(context.Background(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, full)
		}
	}
	return out
}

var linkRE = regexp.MustCompile(`https?://\S+/s/[A-Za-z0-9_-]{43}(/[a-z.]+)?`)

// link finds the link in a mail's text that ends with suffix.
func link(t *testing.T, m *store.DevMail, suffix string) string {
	t.Helper()
	for _, l := range linkRE.FindAllString(m.Text, -1) {
		if strings.HasSuffix(l, suffix) {
			return l
		}
	}
	t.Fatalf("no link ending in %q in:\n%s", suffix, m.Text)
	return ""
}

func signUpForm(name, email string) url.Values {
	return url.Values{"first_name": {name}, "email": {email}}
}

// The whole double opt-in through the pages and the dev mailbox.
func TestSubscribeDoubleOptIn(t *testing.T) {
	ts := newMailServer(t, Config{})
	_, home := get(t, ts.URL+"/")
	for _, want := range []string{`action="/subscribe"`, `name="first_name"`, `name="email"`, `name="website"`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page has no %s", want)
		}
	}
	resp, body := postForm(t, ts.URL+"/subscribe", signUpForm("Anna", "Anna@Example.com"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Check your inbox, and your spam folder") ||
		!strings.Contains(body, "Send it again") {
		t.Fatalf("sign-up: %d\n%s", resp.StatusCode, body)
	}
	ts.deliver(t)
	inbox := ts.inbox(t, "anna@example.com")
	if len(inbox) != 1 || inbox[0].Kind != mail.KindConfirm || !strings.Contains(inbox[0].Text, "Hi Anna,") || inbox[0].HTML == "" {
		t.Fatalf("inbox after sign-up: %+v", inbox)
	}
	// The mailbox pages show it, with the links clickable.
	_, box := get(t, ts.URL+"/dev/mailbox")
	if !strings.Contains(box, "Please confirm your address") {
		t.Errorf("dev mailbox does not list the mail:\n%s", box)
	}
	_, page := get(t, ts.URL+"/dev/mailbox/"+itoa(inbox[0].ID))
	if !strings.Contains(page, `<a href="`+link(t, inbox[0], "/confirm")+`">`) {
		t.Errorf("dev mailbox message has no clickable confirm link:\n%s", page)
	}
	resp, _ = get(t, ts.URL+"/dev/mailbox/"+itoa(inbox[0].ID)+"/html")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("HTML view: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}

	// Before confirming, the report cannot be downloaded.
	confirmLink := link(t, inbox[0], "/confirm")
	token := strings.TrimSuffix(strings.TrimPrefix(confirmLink, ts.URL+"/s/"), "/confirm")
	if resp, _ := get(t, ts.URL+"/s/"+token+"/report.pdf"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("download before confirming: %d", resp.StatusCode)
	}

	// Opening the link shows the page whose form confirms; posting it
	// confirms, and a second post changes nothing.
	resp, body = get(t, confirmLink)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Confirm my subscription") || strings.Contains(body, "your address is confirmed") {
		t.Fatalf("confirmation page: %d\n%s", resp.StatusCode, body)
	}
	resp, body = postForm(t, confirmLink, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "your address is confirmed") || !strings.Contains(body, "on its way") {
		t.Fatalf("confirm: %d\n%s", resp.StatusCode, body)
	}
	if _, body := postForm(t, confirmLink, nil); !strings.Contains(body, "already confirmed") {
		t.Errorf("second post:\n%s", body)
	}
	if _, body := get(t, confirmLink); !strings.Contains(body, "already confirmed") {
		t.Errorf("opening the link again:\n%s", body)
	}
	ts.deliver(t)
	inbox = ts.inbox(t, "anna@example.com")
	if len(inbox) != 2 || inbox[0].Kind != mail.KindReport {
		t.Fatalf("inbox after confirming: %d mails", len(inbox))
	}
	report := inbox[0]
	if len(report.Attachments) != 1 || !bytes.HasPrefix(report.Attachments[0].Data, []byte("%PDF-")) {
		t.Errorf("report mail attachments: %d", len(report.Attachments))
	}
	if report.Headers["List-Unsubscribe"] == "" || report.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Errorf("report mail headers: %v", report.Headers)
	}
	resp, pdf := get(t, link(t, report, "/report.pdf"))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF-") {
		t.Errorf("download: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// Their data, as JSON.
	resp, data := get(t, ts.URL+"/s/"+token+"/export.json")
	var export store.SubscriberData
	if err := json.Unmarshal([]byte(data), &export); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %v\n%s", resp.StatusCode, err, data)
	}
	if export.Subscriber.Email != "anna@example.com" || export.Subscriber.State != subscribe.Confirmed || len(export.Mails) != 2 {
		t.Errorf("export = %+v", export)
	}

	// One-click unsubscribe as a mail client does it (RFC 8058).
	unsub := strings.Trim(report.Headers["List-Unsubscribe"], "<>")
	resp, err := http.Post(unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("one-click unsubscribe: %d", resp.StatusCode)
	}
	if sub, _ := ts.db.SubscriberByEmail(context.Background(), "anna@example.com"); sub.State != subscribe.Unsubscribed {
		t.Errorf("after one-click unsubscribe: %s", sub.State)
	}
	// Opening the link (GET) only shows the page.
	if resp, body := get(t, unsub); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Delete my data") {
		t.Errorf("GET unsubscribe link: %d", resp.StatusCode)
	}

	// Delete everything, after being asked once; the links stop working.
	if _, body := get(t, ts.URL+"/s/"+token); !strings.Contains(body, `href="/s/`+token+`/delete"`) || strings.Contains(body, `action="/s/`+token+`/delete"`) {
		t.Error("the page deletes at once instead of linking to the question")
	}
	if resp, body := get(t, ts.URL+"/s/"+token+"/delete"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, "Delete your data?") || !strings.Contains(body, `<form method="post" action="/s/`+token+`/delete">`) {
		t.Errorf("delete question: %d\n%s", resp.StatusCode, body)
	}
	if sub, err := ts.db.SubscriberByEmail(context.Background(), "anna@example.com"); err != nil || sub == nil {
		t.Fatalf("asking deleted the data: %v", err)
	}
	resp, body = postForm(t, ts.URL+"/s/"+token+"/delete", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Your data is deleted") {
		t.Errorf("delete: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, ts.URL+"/s/"+token); resp.StatusCode != http.StatusNotFound {
		t.Errorf("manage page after delete: %d", resp.StatusCode)
	}
	if got := ts.inbox(t, "anna@example.com"); len(got) != 0 {
		t.Errorf("dev mailbox keeps %d mails after delete", len(got))
	}
}

// A visitor cannot tell a new address from a known, confirmed or rate
// limited one, nor a bot's sign-up from a person's.
func TestSubscribeNeutral(t *testing.T) {
	ts := newMailServer(t, Config{})
	const email = "ben@example.com"
	neutral := func(form url.Values) string {
		t.Helper()
		resp, body := postForm(t, ts.URL+"/subscribe", form)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-up: %d", resp.StatusCode)
		}
		return body
	}
	first := neutral(signUpForm("Ben", email)) // new
	for i, form := range []url.Values{
		signUpForm("Ben", email), // pending
		signUpForm("Ben", email), // pending, third mail
		signUpForm("Ben", email), // limit reached
		{"first_name": {"Ben"}, "email": {email}, "website": {"http://spam.example"}}, // honeypot
	} {
		if got := neutral(form); got != first {
			t.Errorf("answer %d differs from the first", i+2)
		}
	}
	ts.deliver(t)
	if n := len(ts.inbox(t, email)); n != subscribe.MailsPerDay {
		t.Errorf("%d mails, want %d", n, subscribe.MailsPerDay)
	}
	// The API gives one answer too.
	var answers []string
	for range 2 {
		resp, body := postJSON(t, ts.URL+"/api/v1/subscribers", `{"first_name":"Ben","email":"ben@example.com"}`)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("API: %d %s", resp.StatusCode, body)
		}
		answers = append(answers, string(body))
	}
	resp, body := postJSON(t, ts.URL+"/api/v1/subscribers", `{"first_name":"New","email":"new@example.com"}`)
	if resp.StatusCode != http.StatusAccepted || string(body) != answers[0] || answers[0] != answers[1] {
		t.Errorf("API answers differ: %q %q %q", answers[0], answers[1], body)
	}
}

func TestSubscribeBadInput(t *testing.T) {
	ts := newMailServer(t, Config{})
	resp, body := postForm(t, ts.URL+"/subscribe", signUpForm("http://spam.example", "not-an-address"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `value="not-an-address"`) ||
		!strings.Contains(body, `aria-invalid="true"`) || strings.Contains(body, "Check your inbox") {
		t.Errorf("bad form: %d\n%s", resp.StatusCode, body)
	}
	tests := []struct {
		body   string
		fields []string
	}{
		{`{"first_name":"","email":"x"}`, []string{"first_name", "email"}},
		{`{"email":"a@example.com"}`, []string{"first_name"}},
		{`{"first_name":"A","email":"a@example.com","phone":"1"}`, []string{"phone"}},
		{`{"first_name":"A","email":"a@example.com","email":"b@example.com"}`, []string{"email"}},
		{"{\"first_name\":\"\xffA\",\"email\":\"a@example.com\"}", []string{"first_name"}},
		{`{"first_name":"\ud800","email":"a@example.com"}`, []string{"first_name"}},
		{`not json`, []string{"body"}},
		{`{"first_name":"A","email":"a@example.com"} {}`, []string{"body"}},
	}
	for _, tt := range tests {
		resp, data := postJSON(t, ts.URL+"/api/v1/subscribers", tt.body)
		var got struct {
			Errors []struct{ Field, Message string }
		}
		json.Unmarshal(data, &got)
		var fields []string
		for _, e := range got.Errors {
			fields = append(fields, e.Field)
		}
		if resp.StatusCode != http.StatusBadRequest || strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("POST %s: %d %s, want 400 with %v", tt.body, resp.StatusCode, data, tt.fields)
		}
	}
	counts, _ := ts.db.SubscriberCounts(context.Background())
	if len(counts) != 0 {
		t.Errorf("bad input stored subscribers: %v", counts)
	}
	// Links that are not tokens, or unknown ones, are 404.
	for _, path := range []string{"/s/nonsense", "/s/" + strings.Repeat("a", 43) + "/confirm", "/s/" + strings.Repeat("a", 43) + "/report.pdf"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, resp.StatusCode)
		}
	}
}

func TestSubscribeRateLimitPerIP(t *testing.T) {
	ts := newMailServer(t, Config{Mail: MailConfig{SignUpRate: rate.Every(1e12), SignUpBurst: 2}})
	for i, want := range []int{200, 200, 429} {
		resp, _ := postForm(t, ts.URL+"/subscribe", signUpForm("C", "c"+itoa(int64(i))+"@example.com"))
		if resp.StatusCode != want {
			t.Errorf("sign-up %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
}

// The dev mailbox exists only when the server is told to serve it.
func TestDevMailboxOff(t *testing.T) {
	ts := newTestServer(t, Config{})
	if resp, _ := get(t, ts.URL+"/dev/mailbox"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/dev/mailbox without the dev mailbox: %d", resp.StatusCode)
	}
}

func TestLinkify(t *testing.T) {
	got := linkify("Open https://a.example/s/x/confirm?y=1 now.\nhttp://b.example")
	want := []textPart{{Text: "Open "}, {Text: "https://a.example/s/x/confirm?y=1", Link: true}, {Text: " now.\n"}, {Text: "http://b.example", Link: true}}
	if len(got) != len(want) {
		t.Fatalf("linkify = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
