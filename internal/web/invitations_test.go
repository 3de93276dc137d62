package web

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// An admin invites a therapist of the clinic; the link in the mail lets
// them choose a password once, which opens a therapist's account tied to
// that therapist and signs them in.
func TestInviteTherapist(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	if _, err := db.LoadDemoClinic(t.Context()); err != nil {
		t.Fatal(err)
	}
	admin := staffClient(t, ts, db, "boss@example.com", staff.Admin)
	if resp, body := send(t, admin, "GET", ts.URL+"/staff", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, `href="/staff/invitations"`) {
		t.Fatalf("the admin's desk has no way to invite: %d", resp.StatusCode)
	}
	for email, want := range map[string]string{
		"not an address":         "Please type one email address",
		"nobody@clinic.example":  "No therapist of the clinic has this email",
		"boss@example.com":       "No therapist of the clinic has this email",
		"ana@demo-clinic":        "Please type one email address",
		"":                       "Please type one email address",
		strings.Repeat("a", 300): "Please type one email address",
	} {
		resp, body := send(t, admin, "POST", ts.URL+"/staff/invitations", url.Values{"email": {email}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("invite %q: %d, want 400 saying %q at the field", email, resp.StatusCode, want)
		}
	}
	resp, _ := send(t, admin, "POST", ts.URL+"/staff/invitations", url.Values{"email": {" Ana@Demo-Clinic.example "}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/invitations?sent=1" {
		t.Fatalf("invite Ana: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	mails, err := db.ClaimMail(t.Context(), time.Now().Add(time.Second), time.Hour, 10)
	if err != nil || len(mails) != 1 || mails[0].Kind != mail.KindInvitation || mails[0].To != "ana@demo-clinic.example" {
		t.Fatalf("invitation mail: %+v, %v", mails, err)
	}
	link := regexp.MustCompile(regexp.QuoteMeta(ts.URL) + `/staff/welcome/[A-Za-z0-9_-]{43}`).FindString(mails[0].Text)
	if link == "" || !strings.Contains(mails[0].Text, "Hi Ana Demo") {
		t.Fatalf("no link from the base URL in the mail:\n%s", mails[0].Text)
	}

	jar, _ := cookiejar.New(nil)
	ana := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	if resp, body := send(t, ana, "GET", link, nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "ana@demo-clinic.example") {
		t.Fatalf("welcome page: %d", resp.StatusCode)
	}
	for _, tc := range []struct{ password, again, field string }{
		{"short", "short", "e-password"},
		{strings.Repeat(" ", 20), strings.Repeat(" ", 20), "e-password"},
		{"a long enough password", "another long password", "e-again"},
	} {
		resp, body := send(t, ana, "POST", link, url.Values{"password": {tc.password}, "again": {tc.again}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `id="`+tc.field+`"`) {
			t.Errorf("password %q/%q: %d, want 400 with %s", tc.password, tc.again, resp.StatusCode, tc.field)
		}
	}
	resp, _ = send(t, ana, "POST", link, url.Values{"password": {"ana's long password"}, "again": {"ana's long password"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff" {
		t.Fatalf("choosing the password: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := send(t, ana, "GET", ts.URL+"/staff", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "(therapist)") {
		t.Errorf("Ana's desk after the invitation: %d", resp.StatusCode)
	}
	if resp, _ := send(t, ana, "GET", ts.URL+"/staff/invitations", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a therapist may invite: %d", resp.StatusCode)
	}
	u, err := db.UserByEmail(t.Context(), "ana@demo-clinic.example")
	if err != nil || u.TherapistID != "ana" {
		t.Errorf("Ana's account: %+v, %v", u, err)
	}

	// The link works once; unknown and expired links say so.
	if resp, body := send(t, ana, "GET", link, nil); resp.StatusCode != http.StatusGone || !strings.Contains(body, `id="invitation-used"`) {
		t.Errorf("used link: %d", resp.StatusCode)
	}
	if resp, body := send(t, ana, "POST", link, url.Values{"password": {"another long password"}, "again": {"another long password"}}); resp.StatusCode != http.StatusGone || !strings.Contains(body, `id="invitation-used"`) {
		t.Errorf("used link posted again: %d", resp.StatusCode)
	}
	for _, bad := range []string{"not-a-token", strings.Repeat("A", 43)} {
		if resp, body := get(t, ts.URL+"/staff/welcome/"+bad); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `id="invitation-unknown"`) {
			t.Errorf("unknown link %q: %d", bad, resp.StatusCode)
		}
	}
	boss, err := db.UserByEmail(t.Context(), "boss@example.com")
	if err != nil {
		t.Fatal(err)
	}
	token, hash := secret.NewToken()
	if err := db.CreateInvitation(t.Context(), store.Invite{Email: "ben@demo-clinic.example", TokenHash: hash, InvitedBy: boss.ID,
		Now: time.Now().Add(-staff.InvitationValid),
		Compose: func(name string) (*mail.Message, error) {
			return invitationMail("ben@demo-clinic.example", name, "http://x/")
		}}); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, ts.URL+"/staff/welcome/"+token); resp.StatusCode != http.StatusGone || !strings.Contains(body, `id="invitation-expired"`) {
		t.Errorf("expired link: %d", resp.StatusCode)
	}
	if resp, body := postForm(t, ts.URL+"/staff/welcome/"+token, url.Values{"password": {"ben's long password"}, "again": {"ben's long password"}}); resp.StatusCode != http.StatusGone || !strings.Contains(body, `id="invitation-expired"`) {
		t.Errorf("expired link posted: %d", resp.StatusCode)
	}
}

// An admin's invitations are limited.
func TestInvitationsLimited(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	admin := staffClient(t, ts, db, "boss@example.com", staff.Admin)
	var last int
	for range 21 {
		resp, _ := send(t, admin, "POST", ts.URL+"/staff/invitations", url.Values{"email": {"nobody@clinic.example"}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("21 invitations at once: %d, want 429", last)
	}
}
