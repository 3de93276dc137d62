package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// eachDesk runs test on a clinic server over SQLite and PostgreSQL whose
// cookies go over the test's plain http.
func eachDesk(t *testing.T, test func(t *testing.T, bs *bookingServer)) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect == store.Postgres {
				dsn = testPostgres(t)
			}
			test(t, newBookingServer(t, Config{BaseURL: "http://clinic.example"}, dsn))
		})
	}
}

// sharedClient saves an urgent self-check (a warning sign answered yes),
// books it with Ana cleared by a doctor and shared, logs a diary entry
// with note, and returns the plan's token and the share's id.
func sharedClient(t *testing.T, bs *bookingServer, note string) (string, int64) {
	t.Helper()
	plan := assessAt(t, bs.URL, care.Urgent).Token
	bs.book(t, bookBody(bs.hoursAhead(72), `"plan_token":"`+plan+`","share_plan":true,"cleared_by_doctor":true`))
	if resp, body := postForm(t, bs.URL+"/plan/"+plan+"/diary", url.Values{"pain": {"6"}, "note": {note}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("diary entry: %d %s", resp.StatusCode, body)
	}
	list, err := bs.db.Clients(t.Context(), "ana", time.Now())
	if err != nil || len(list) == 0 {
		t.Fatalf("Ana's clients = %+v, %v", list, err)
	}
	return plan, list[0].ShareID
}

// auditRows is the whole audit log, newest first.
func auditRows(t *testing.T, db *store.DB) []store.AuditEntry {
	t.Helper()
	rows, _, err := db.AuditLog(t.Context(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// A therapist sees the clients who shared with them: the result's
// urgency and warning signs before the diary, and the diary; each view
// and each download writes exactly one audit row before the data goes
// out; another therapist, an account of no therapist and a signed-out
// visitor see nothing; withdrawing the share ends access at once; and the
// person's export lists the views by therapist name only.
func TestClientViewAuditedAndWithdrawn(t *testing.T) {
	eachDesk(t, func(t *testing.T, bs *bookingServer) {
		const note = "worse after the long drive"
		plan, share := sharedClient(t, bs, note)
		page := fmt.Sprintf("/staff/clients/%d", share)

		if resp, _ := get(t, bs.URL+page); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/login" {
			t.Errorf("signed out: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		coach := staffClient(t, bs.Server, bs.db, "coach@clinic.example", staff.Coach)
		if resp, _ := send(t, coach, "GET", bs.URL+page, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an account of no therapist: %d, want 403", resp.StatusCode)
		}
		ben := staffClient(t, bs.Server, bs.db, "ben@clinic.example", staff.Therapist)
		for _, path := range []string{page, page + "/diary.csv"} {
			if resp, _ := send(t, ben, "GET", bs.URL+path, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("another therapist: GET %s: %d, want 404", path, resp.StatusCode)
			}
		}
		if _, body := send(t, ben, "GET", bs.URL+"/staff/clients", nil); strings.Contains(body, page) {
			t.Error("another therapist's list shows the client")
		}
		if n := len(auditRows(t, bs.db)); n != 0 {
			t.Fatalf("%d audit rows before any view", n)
		}

		// A re-check that found a new warning sign.
		a, err := bs.db.AssessmentByToken(t.Context(), secret.Hash(plan))
		if err != nil {
			t.Fatal(err)
		}
		rc := diary.Recheck{At: time.Now().Add(-time.Minute), Symptoms: care.Symptoms{ConstantNightPain: true}, PainNow: 7, Urgency: care.Urgent}
		if err := bs.db.AddRecheck(t.Context(), a.ID, &rc, a.Result); err != nil {
			t.Fatal(err)
		}

		ana := staffClient(t, bs.Server, bs.db, "ana@clinic.example", staff.Therapist)
		resp, body := send(t, ana, "GET", bs.URL+"/staff/clients", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("list: %d", resp.StatusCode)
		}
		mustContain(t, "client list", body, `href="`+page+`"`, "Kim Client")
		mustNotContain(t, "client list", body, note, care.LevelOf(care.Urgent).Title, care.Label("symptoms.fever_or_chills"))
		if n := len(auditRows(t, bs.db)); n != 0 {
			t.Errorf("the list, which shows no health data, wrote %d audit rows", n)
		}

		resp, body = send(t, ana, "GET", bs.URL+page, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("client page: %d", resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		level := care.LevelOf(care.Urgent)
		mustContain(t, "client page", body, level.Name, level.Title, care.Label("symptoms.fever_or_chills"), note, `class="chart"`, "Home care")
		if u, f, n, c := strings.Index(body, level.Title), strings.Index(body, `id="flags-title"`), strings.Index(body, care.Label("symptoms.constant_night_pain")),
			strings.Index(body, `id="chart-title"`); u < 0 || f < u || n < f || c < n {
			t.Errorf("urgency at %d, warning signs at %d, the re-check's at %d, chart at %d: want them in that order", u, f, n, c)
		}
		mustContain(t, "client page", body, "pain 7 · "+level.Name)
		rows := auditRows(t, bs.db)
		anaUser, _ := bs.db.UserByEmail(t.Context(), "ana@clinic.example")
		if len(rows) != 1 || rows[0].AccountID != anaUser.ID || rows[0].AccountEmail != "ana@clinic.example" || rows[0].TherapistName != "Ana" ||
			rows[0].ShareID != share || rows[0].Action != store.AuditClientView || rows[0].ClientIP != "127.0.0.1" ||
			time.Since(rows[0].At) > time.Minute {
			t.Fatalf("audit after one view = %+v", rows)
		}

		resp, body = send(t, ana, "GET", bs.URL+page+"/diary.csv", nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(body, note) {
			t.Fatalf("diary CSV: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if rows = auditRows(t, bs.db); len(rows) != 2 || rows[0].Action != store.AuditClientCSV || rows[0].ShareID != share {
			t.Fatalf("audit after the download = %+v", rows)
		}

		if resp, _ := send(t, ana, "GET", bs.URL+"/staff/clients/nope", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a share that is no number: %d", resp.StatusCode)
		}

		if resp, _ := postForm(t, bs.URL+"/plan/"+plan+"/share/withdraw", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("withdraw: %d", resp.StatusCode)
		}
		for _, path := range []string{page, page + "/diary.csv"} {
			if resp, body := send(t, ana, "GET", bs.URL+path, nil); resp.StatusCode != http.StatusNotFound || strings.Contains(body, note) {
				t.Errorf("after withdrawing: GET %s: %d, want 404 without the data", path, resp.StatusCode)
			}
		}
		if _, body := send(t, ana, "GET", bs.URL+"/staff/clients", nil); strings.Contains(body, page) {
			t.Error("the list still shows the client after withdrawing")
		}
		if n := len(auditRows(t, bs.db)); n != 2 {
			t.Errorf("%d audit rows after refused views, want 2", n)
		}

		resp, body = get(t, bs.URL+"/plan/"+plan+"/export.json")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		var x struct {
			Shares []exportShare     `json:"shares"`
			Views  []json.RawMessage `json:"views"`
		}
		if err := json.Unmarshal([]byte(body), &x); err != nil {
			t.Fatal(err)
		}
		if len(x.Shares) != 1 || x.Shares[0].WithdrawnAt == nil || len(x.Views) != 2 {
			t.Errorf("export: shares %+v, %d views", x.Shares, len(x.Views))
		}
		var v map[string]any
		if err := json.Unmarshal(x.Views[0], &v); err != nil || v["therapist"] != "Ana" || v["what"] != store.AuditClientView || len(v) != 3 {
			t.Errorf("exported view = %v (%v), want at, what and the therapist's name only", v, err)
		}
		mustNotContain(t, "export", body, "ana@clinic.example", "127.0.0.1")
	})
}

// failingAudit is the store with an audit log that cannot be written.
type failingAudit struct{ *store.DB }

func (failingAudit) RecordView(context.Context, *store.AuditEntry) error {
	return errors.New("disk full")
}

// When the audit row cannot be written, the client's data is not sent.
func TestClientViewNotShownUnaudited(t *testing.T) {
	bs := newBookingServer(t, Config{BaseURL: "http://clinic.example"}, "")
	const note = "only for the audited"
	_, share := sharedClient(t, bs, note)
	srv, err := New(Config{BaseURL: "http://clinic.example", SecretKey: testSecretKey}, bs.srv.lib, failingAudit{bs.db}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	bs.Config.Handler = srv.Handler()
	ana := staffClient(t, bs.Server, bs.db, "ana@clinic.example", staff.Therapist)
	for _, path := range []string{"", "/diary.csv"} {
		resp, body := send(t, ana, "GET", fmt.Sprintf("%s/staff/clients/%d%s", bs.URL, share, path), nil)
		if resp.StatusCode != http.StatusInternalServerError || strings.Contains(body, note) {
			t.Errorf("GET client%s with the audit log failing: %d, data shown: %v", path, resp.StatusCode, strings.Contains(body, note))
		}
	}
}

// The audit log is for the administrator only: newest first, a page at
// a time, filtered by account or client, bad filters named with 400.
func TestAuditLogPage(t *testing.T) {
	eachDesk(t, func(t *testing.T, bs *bookingServer) {
		ctx := t.Context()
		for i := range auditPageSize + 5 {
			if err := bs.db.RecordView(ctx, &store.AuditEntry{
				At: time.Now(), AccountID: int64(1 + i%2), AccountEmail: fmt.Sprintf("t%d@clinic.example", 1+i%2), TherapistName: "Ana",
				ShareID: int64(100 + i%3), AssessmentID: 1, Action: store.AuditClientView, ClientIP: "192.0.2.7",
			}); err != nil {
				t.Fatal(err)
			}
		}
		if resp, _ := get(t, bs.URL+"/staff/audit"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/login" {
			t.Errorf("signed out: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		for email, role := range map[string]staff.Role{"ana@clinic.example": staff.Therapist, "coach@clinic.example": staff.Coach} {
			c := staffClient(t, bs.Server, bs.db, email, role)
			if resp, body := send(t, c, "GET", bs.URL+"/staff/audit", nil); resp.StatusCode != http.StatusForbidden || strings.Contains(body, "192.0.2.7") {
				t.Errorf("%s (not an admin): %d", email, resp.StatusCode)
			}
		}
		admin := staffClient(t, bs.Server, bs.db, "admin@clinic.example", staff.Admin)
		resp, body := send(t, admin, "GET", bs.URL+"/staff/audit", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("admin: %d", resp.StatusCode)
		}
		if n := strings.Count(body, "<tr>") - 1; n != auditPageSize {
			t.Errorf("first page lists %d rows, want %d", n, auditPageSize)
		}
		all := auditRows(t, bs.db)
		newest, oldestShown := all[0], all[auditPageSize-1]
		next := "/staff/audit?before=" + strconv.FormatInt(oldestShown.ID, 10)
		mustContain(t, "audit page", body, "t1@clinic.example", "192.0.2.7", fmt.Sprintf(`href="/staff/audit?client=%d"`, newest.ShareID), strings.ReplaceAll(next, "&", "&amp;"))
		if first, second := strings.Index(body, fmt.Sprintf("share %d", all[0].ShareID)), strings.Index(body, fmt.Sprintf("share %d", all[1].ShareID)); first < 0 || second < first {
			t.Error("not newest first")
		}
		_, body = send(t, admin, "GET", bs.URL+next, nil)
		if n := strings.Count(body, "<tr>") - 1; n != 5 || strings.Contains(body, "Older entries") {
			t.Errorf("second page lists %d rows", n)
		}
		_, body = send(t, admin, "GET", bs.URL+"/staff/audit?client=101&account=2", nil)
		if n := strings.Count(body, "<tr>") - 1; n == 0 || strings.Contains(body, "share 100<") || strings.Contains(body, "t1@clinic.example") {
			t.Errorf("filtered page: %d rows\n%s", n, body)
		}
		for _, bad := range []string{"account=x", "client=-1", "before=1.5"} {
			resp, body := send(t, admin, "GET", bs.URL+"/staff/audit?"+bad, nil)
			field, _, _ := strings.Cut(bad, "=")
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="f-`+field+`"`) || !strings.Contains(body, "whole number") {
				t.Errorf("?%s: %d", bad, resp.StatusCode)
			}
		}
	})
}

// Deleting the plan for good ends the therapist's access like
// withdrawing does; the audit rows about it stay, and the clinic keeps
// the visit as "deleted client".
func TestClientGoneWithDeletedPlan(t *testing.T) {
	bs := newBookingServer(t, Config{BaseURL: "http://clinic.example"}, "")
	plan, share := sharedClient(t, bs, "a note")
	ana := staffClient(t, bs.Server, bs.db, "ana@clinic.example", staff.Therapist)
	page := fmt.Sprintf("%s/staff/clients/%d", bs.URL, share)
	if resp, _ := send(t, ana, "GET", page, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("client page: %d", resp.StatusCode)
	}
	if resp, _ := postForm(t, bs.URL+"/plan/"+plan+"/delete", url.Values{}); resp.StatusCode != http.StatusOK {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if resp, body := send(t, ana, "GET", page, nil); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "a note") {
		t.Errorf("after deleting: %d", resp.StatusCode)
	}
	_, body := send(t, ana, "GET", bs.URL+"/staff/clients", nil)
	mustNotContain(t, "client list after deleting", body, "Kim Client", fmt.Sprintf("/staff/clients/%d", share))
	if rows := auditRows(t, bs.db); len(rows) != 1 || rows[0].ShareID != share {
		t.Errorf("audit rows after deleting = %+v, want the one view kept", rows)
	}
	_, body = get(t, bs.URL+"/privacy")
	mustContain(t, "privacy page", body, "Who looked:", "ends every share at once")
}
