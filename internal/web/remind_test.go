package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/remind"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// reminderServer serves unknot with the dev mailbox and a mail worker
// whose Prepare hook runs at the test clock *now instead of the real time.
type reminderServer struct {
	*httptest.Server
	db     *store.DB
	worker *mail.Worker
	now    time.Time
}

const reminderBase = "https://unknot.example"

func newReminderServer(t *testing.T) *reminderServer {
	t.Helper()
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := Config{WriteRate: rate.Inf, WriteBurst: 1, BaseURL: reminderBase, Mail: MailConfig{DevMailbox: true}}
	srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	rs := &reminderServer{Server: httptest.NewServer(srv.Handler()), db: db}
	t.Cleanup(rs.Close)
	const from = "reminders@unknot.example"
	rs.worker = &mail.Worker{Queue: db, Sender: mail.DevMailbox{Store: db, From: from}, From: from,
		Prepare: func(ctx context.Context, _ time.Time) error { return srv.QueueReminders(ctx, rs.now) }}
	return rs
}

// runAt runs the mail worker once with the clock at now and returns the
// dev mailbox, newest first.
func (rs *reminderServer) runAt(t *testing.T, now time.Time) []store.DevMail {
	t.Helper()
	rs.now = now
	if _, err := rs.worker.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	list, err := rs.db.DevMailbox(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestReminderArrivesAtTheChosenLocalTimeAndStopsAfterUnsubscribe(t *testing.T) {
	rs := newReminderServer(t)
	plan := newPlan(t, rs.URL, deskWorker())
	if _, body := get(t, rs.URL+plan); !strings.Contains(body, `href="`+plan+`/reminders"`) {
		t.Error("the plan's tools have no link to the reminders")
	}
	if _, body := get(t, rs.URL+plan+"/reminders"); !strings.Contains(body, `name="at" value="08:00"`) {
		t.Error("the reminder form does not offer 08:00")
	}
	resp, _ := postForm(t, rs.URL+plan+"/reminders", url.Values{
		"email": {"ana@example.com"}, "at": {"07:30"}, "time_zone": {"Europe/Berlin"}, "daily": {"1"},
	})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != plan+"/reminders?saved=1" {
		t.Fatalf("saving reminders: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := get(t, rs.URL+plan+"/reminders?saved=1"); !strings.Contains(body, "ana@example.com") || !strings.Contains(body, "at 07:30 (Europe/Berlin)") {
		t.Errorf("the reminder page does not show what was saved:\n%s", body)
	}

	berlin, _ := time.LoadLocation("Europe/Berlin")
	due := remind.NextDaily(7*60+30, berlin, time.Now())
	if got := rs.runAt(t, due.Add(-time.Minute)); len(got) != 0 {
		t.Fatalf("%d mails before 07:30", len(got))
	}
	list := rs.runAt(t, due)
	if len(list) != 1 || list[0].To != "ana@example.com" || list[0].Subject != "Time for today's routine" {
		t.Fatalf("at 07:30 Berlin time the mailbox has %+v", list)
	}
	if l := due.In(berlin); l.Hour() != 7 || l.Minute() != 30 {
		t.Fatalf("due at %s", l)
	}
	m, err := rs.db.DevMailByID(context.Background(), list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	unsub := strings.Trim(m.Headers["List-Unsubscribe"], "<>")
	if !strings.HasPrefix(unsub, reminderBase+"/reminders/") || !strings.HasSuffix(unsub, "/unsubscribe") ||
		m.Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Errorf("unsubscribe headers %q", m.Headers)
	}
	manage := strings.TrimSuffix(unsub, "/unsubscribe")
	if !strings.Contains(m.Text, manage) || !strings.Contains(m.HTML, manage) {
		t.Error("the mail has no visible link to stop the reminders")
	}
	if token := strings.TrimPrefix(plan, "/plan/"); strings.Contains(m.Text+m.HTML, token) {
		t.Error("the reminder holds the private link of the plan")
	}
	// Opening the link changes nothing; the one-click POST stops them.
	local := rs.URL + strings.TrimPrefix(manage, reminderBase)
	if _, body := get(t, local); !strings.Contains(body, "Stop these reminders") {
		t.Errorf("the mail's page:\n%s", body)
	}
	if list := rs.runAt(t, due.Add(24*time.Hour)); len(list) != 2 {
		t.Fatalf("%d mails the next morning, want 2", len(list))
	}
	resp, err = http.Post(rs.URL+strings.TrimPrefix(unsub, reminderBase), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
	}
	if _, body := postForm(t, rs.URL+strings.TrimPrefix(unsub, reminderBase), nil); !strings.Contains(body, "Nothing to stop with this link") {
		t.Error("a second unsubscribe claims to stop something")
	}
	if _, body := get(t, local); !strings.Contains(body, "Nothing to stop with this link") {
		t.Error("the mail's page still offers to stop the reminders")
	}
	if list := rs.runAt(t, due.Add(48*time.Hour)); len(list) != 2 {
		t.Errorf("%d mails after unsubscribe, want still 2", len(list))
	}
	if _, body := get(t, rs.URL+plan+"/reminders"); strings.Contains(body, "ana@example.com") {
		t.Error("the address is kept after unsubscribe")
	}
}

func TestRemindersStopWhenAReCheckIsUrgent(t *testing.T) {
	rs := newReminderServer(t)
	plan := newPlan(t, rs.URL, deskWorker())
	postForm(t, rs.URL+plan+"/reminders", url.Values{"email": {"ben@example.com"}, "at": {"18:00"}, "time_zone": {"America/New_York"}, "daily": {"1"}, "weekly": {"1"}})
	ctx := context.Background()
	a, err := rs.db.AssessmentByToken(ctx, secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		t.Fatal(err)
	}
	if err := rs.db.AddRecheck(ctx, a.ID, &diary.Recheck{At: time.Now(), PainNow: 8, Urgency: care.Urgent}, a.Result); err != nil {
		t.Fatal(err)
	}
	ny, _ := time.LoadLocation("America/New_York")
	if list := rs.runAt(t, remind.NextDaily(18*60, ny, time.Now())); len(list) != 0 {
		t.Errorf("%d reminders after an urgent re-check", len(list))
	}
	if _, err := rs.db.ReminderByToken(ctx, a.TokenHash); err != store.ErrNotFound {
		t.Errorf("the reminders are kept after an urgent re-check: %v", err)
	}
	resp, body := get(t, rs.URL+plan+"/reminders")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "We send no reminders for this plan") {
		t.Errorf("the reminder page after an urgent re-check: %d", resp.StatusCode)
	}
}

func TestReminderFormErrorsAtTheirFields(t *testing.T) {
	rs := newReminderServer(t)
	plan := newPlan(t, rs.URL, deskWorker())
	resp, body := postForm(t, rs.URL+plan+"/reminders", url.Values{"email": {"not an address"}, "at": {"25:00"}, "time_zone": {"Mars/Olympus"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad form: %d", resp.StatusCode)
	}
	for _, f := range []string{"email", "at", "time_zone", "daily"} {
		if !strings.Contains(body, `id="e-`+f+`"`) || !strings.Contains(body, `href="#rem-`+f+`"`) {
			t.Errorf("no error at the field %s", f)
		}
	}
	if !strings.Contains(body, `value="not an address"`) {
		t.Error("the form lost what was typed")
	}
	// One address, a few plans at most.
	for i := range store.MaxRemindersPerAddress + 1 {
		p := newPlan(t, rs.URL, deskWorker())
		resp, body := postForm(t, rs.URL+p+"/reminders", url.Values{"email": {"many@example.com"}, "at": {"07:00"}, "time_zone": {"UTC"}, "weekly": {"1"}})
		if i < store.MaxRemindersPerAddress && resp.StatusCode != http.StatusSeeOther ||
			i == store.MaxRemindersPerAddress && (resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="e-email"`)) {
			t.Errorf("plan %d for one address: %d", i+1, resp.StatusCode)
		}
	}
	for _, bad := range []string{"/plan/nope/reminders", "/reminders/nope"} {
		if resp, _ := get(t, rs.URL+bad); bad == "/plan/nope/reminders" && resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
}

func TestRemindersAPI(t *testing.T) {
	rs := newReminderServer(t)
	plan := newPlan(t, rs.URL, deskWorker())
	api := rs.URL + "/api/v1/plans/" + strings.TrimPrefix(plan, "/plan/") + "/reminders"
	do := func(method, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, api, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, body := do("GET", ""); code != http.StatusNotFound || !strings.Contains(body, `"field":"reminders"`) {
		t.Errorf("GET with none set: %d %s", code, body)
	}
	code, body := do("PUT", `{"email":"x","at":"7pm","time_zone":"Nowhere/Land","weekly":"yes","extra":1}`)
	if code != http.StatusBadRequest {
		t.Fatalf("bad PUT: %d", code)
	}
	for _, f := range []string{`"field":"weekly"`, `"field":"extra"`} {
		if !strings.Contains(body, f) {
			t.Errorf("bad PUT does not name %s: %s", f, body)
		}
	}
	if code, body := do("PUT", `{"email":"x","at":"7pm","time_zone":"Nowhere/Land"}`); code != http.StatusBadRequest ||
		!strings.Contains(body, `"field":"email"`) || !strings.Contains(body, `"field":"at"`) || !strings.Contains(body, `"field":"time_zone"`) || !strings.Contains(body, `"field":"daily"`) {
		t.Errorf("bad PUT: %d %s", code, body)
	}
	code, body = do("PUT", `{"email":"ana@example.com","at":"07:30","time_zone":"Europe/Berlin","daily":true}`)
	if code != http.StatusOK || !strings.Contains(body, `"daily_due"`) || strings.Contains(body, `"weekly_due"`) {
		t.Fatalf("PUT: %d %s", code, body)
	}
	if code, body := do("GET", ""); code != http.StatusOK || !strings.Contains(body, `"at":"07:30"`) {
		t.Errorf("GET: %d %s", code, body)
	}
	// The person's download holds the address their reminders go to.
	if _, body := get(t, rs.URL+plan+"/export.json"); !strings.Contains(body, `"reminders":{"email":"ana@example.com","time_zone":"Europe/Berlin","at":"07:30","daily":true,"weekly":false}`) {
		t.Errorf("export lacks the reminders: %s", body)
	}
	if code, _ := do("DELETE", ""); code != http.StatusNoContent {
		t.Errorf("DELETE: %d", code)
	}
	if code, _ := do("GET", ""); code != http.StatusNotFound {
		t.Errorf("GET after DELETE: %d", code)
	}
}
