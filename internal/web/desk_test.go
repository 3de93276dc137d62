package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"unknot/internal/staff"
)

// deskRoles is who may use each route of the desk (DESIGN.md's role
// table). A route added to deskTable must be added here too, with the
// roles it is for, or TestDeskRoles fails.
var deskRoles = map[string][]staff.Role{
	"GET /staff":                              {staff.Admin, staff.Therapist, staff.Coach},
	"POST /staff/comments/{id}/approve":       {staff.Admin, staff.Coach},
	"GET /staff/comments/{id}/delete":         {staff.Admin, staff.Coach},
	"POST /staff/comments/{id}/delete":        {staff.Admin, staff.Coach},
	"POST /staff/comments/{id}/reply":         {staff.Admin, staff.Coach},
	"GET /staff/invitations":                  {staff.Admin},
	"POST /staff/invitations":                 {staff.Admin},
	"GET /staff/day":                          {staff.Admin, staff.Therapist},
	"GET /staff/week":                         {staff.Admin, staff.Therapist},
	"GET /staff/bookings":                     {staff.Admin, staff.Therapist},
	"GET /staff/visits/{id}":                  {staff.Therapist},
	"POST /staff/visits/{id}/outcome":         {staff.Therapist},
	"POST /staff/visits/{id}/notes":           {staff.Therapist},
	"GET /staff/time-off":                     {staff.Admin, staff.Therapist},
	"POST /staff/time-off":                    {staff.Admin, staff.Therapist},
	"GET /staff/calendar-feed":                {staff.Admin, staff.Therapist},
	"POST /staff/calendar-feed":               {staff.Admin, staff.Therapist},
	"POST /staff/calendar-feed/revoke":        {staff.Admin, staff.Therapist},
	"GET /staff/setup":                        {staff.Admin},
	"GET /staff/setup/clinic":                 {staff.Admin},
	"POST /staff/setup/clinic":                {staff.Admin},
	"GET /staff/setup/{list}/new":             {staff.Admin},
	"POST /staff/setup/{list}/new":            {staff.Admin},
	"GET /staff/setup/{list}/{id}":            {staff.Admin},
	"POST /staff/setup/{list}/{id}":           {staff.Admin},
	"POST /staff/setup/{list}/{id}/remove":    {staff.Admin},
	"GET /staff/setup/therapists/{id}/hours":  {staff.Admin},
	"POST /staff/setup/therapists/{id}/hours": {staff.Admin},
	"GET /staff/hours":                        {staff.Admin, staff.Therapist},
	"POST /staff/hours":                       {staff.Admin, staff.Therapist},
	"GET /staff/clients/{id}/program":         {staff.Therapist},
	"GET /staff/clients":                      {staff.Therapist},
	"GET /staff/clients/{share}":              {staff.Therapist},
	"GET /staff/clients/{share}/diary.csv":    {staff.Therapist},
	"GET /staff/audit":                        {staff.Admin},
	"POST /staff/clients/{id}/program":        {staff.Therapist},
}

// TestDeskRoles walks every route of the desk's table with each role and
// with no session: a visitor is sent to sign in, a role the route is not
// for is refused (403), and a role it is for gets past the check.
func TestDeskRoles(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	clients := map[staff.Role]*http.Client{}
	for _, r := range staff.AllRoles {
		clients[r] = staffClient(t, ts, db, string(r)+"@example.com", r)
	}
	table := (&Server{}).deskTable()
	if len(table) != len(deskRoles) {
		t.Errorf("the desk has %d routes, the test knows %d", len(table), len(deskRoles))
	}
	for _, rt := range table {
		want, known := deskRoles[rt.pattern]
		if !known {
			t.Errorf("%s: not in deskRoles; say which roles it is for", rt.pattern)
		}
		if !slices.ContainsFunc(staff.AllRoles, func(r staff.Role) bool { return staff.Can(staff.Roles{r}, rt.needs) }) {
			t.Errorf("%s needs %q, which no role may do", rt.pattern, rt.needs)
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.NewReplacer("{id}", "1").Replace(path)
		var form url.Values
		if method == http.MethodPost {
			form = url.Values{}
		}
		if resp, _ := send(t, &http.Client{CheckRedirect: noRedirect.CheckRedirect}, method, ts.URL+path, form); resp.StatusCode != http.StatusSeeOther ||
			resp.Header.Get("Location") != "/staff/login" {
			t.Errorf("%s without a session: %d → %q, want 303 → /staff/login", rt.pattern, resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, r := range staff.AllRoles {
			resp, _ := send(t, clients[r], method, ts.URL+path, form)
			refused := resp.StatusCode == http.StatusForbidden
			signIn := resp.Header.Get("Location") == "/staff/login"
			if allowed := slices.Contains(want, r); allowed && (refused || signIn) {
				t.Errorf("%s as %s: %d, want it allowed", rt.pattern, r, resp.StatusCode)
			} else if !allowed && !refused {
				t.Errorf("%s as %s: %d, want 403", rt.pattern, r, resp.StatusCode)
			}
		}
	}
}

// An account with several roles may do what each of them may.
func TestDeskSeveralRoles(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	c := staffClient(t, ts, db, "both@example.com", staff.Therapist, staff.Coach)
	if resp, body := send(t, c, "GET", ts.URL+"/staff", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Waiting for approval") {
		t.Errorf("a therapist who is also a coach does not see the comments: %d", resp.StatusCode)
	}
	if resp, _ := send(t, c, "GET", ts.URL+"/staff/invitations", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("invitations without admin: %d, want 403", resp.StatusCode)
	}
	th := staffClient(t, ts, db, "t@example.com", staff.Therapist)
	if _, body := send(t, th, "GET", ts.URL+"/staff", nil); strings.Contains(body, "Waiting for approval") || strings.Contains(body, "/staff/invitations") {
		t.Error("a therapist's desk shows moderation or invitations")
	}
}
