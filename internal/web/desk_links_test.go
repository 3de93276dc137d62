package web

import (
	"net/http"
	"strings"
	"testing"

	"unknot/internal/staff"
)

// The desk's start page, where sign-in and an accepted invitation lead,
// links the pages of the account's roles, and each link opens: a
// therapist finds their day, week and clients; an admin the clinic's
// setup, invitations and audit log; a coach none of these. No desk bar
// links a page the account may not open. From the client list a
// therapist reaches each client's home program.
func TestDeskStartLinksTheRolesPages(t *testing.T) {
	pc := newProgramClient(t)
	admin := staffClient(t, pc.Server, pc.db, "admin@example.com", staff.Admin)
	coach := staffClient(t, pc.Server, pc.db, "coach@example.com", staff.Coach)
	for _, c := range []struct {
		role      string
		client    *http.Client
		want, not []string
	}{
		{"therapist", pc.desk,
			[]string{"/staff/day", "/staff/week", "/staff/clients", "/staff/time-off", "/staff/calendar-feed"},
			[]string{"/staff/setup", "/staff/invitations", "/staff/audit"}},
		{"admin", admin,
			[]string{"/staff/setup", "/staff/invitations", "/staff/audit"},
			[]string{"/staff/day", "/staff/week", "/staff/clients"}},
		{"coach", coach, nil,
			[]string{"/staff/setup", "/staff/invitations", "/staff/audit", "/staff/day", "/staff/week", "/staff/clients"}},
	} {
		resp, body := send(t, c.client, "GET", pc.URL+"/staff", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET /staff: %d", c.role, resp.StatusCode)
		}
		for _, p := range c.want {
			if !strings.Contains(body, `href="`+p+`"`) {
				t.Errorf("%s: the desk does not link %s", c.role, p)
			}
			if resp, _ := send(t, c.client, "GET", pc.URL+p, nil); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: the desk's link %s answers %d", c.role, p, resp.StatusCode)
			}
		}
		for _, p := range c.not {
			if strings.Contains(body, `href="`+p+`"`) {
				t.Errorf("%s: the desk links %s, which is not for this role", c.role, p)
			}
		}
	}
	// The bar of the audit log links the admin's pages only.
	if _, audit := send(t, admin, "GET", pc.URL+"/staff/audit", nil); strings.Contains(audit, `href="/staff/clients"`) {
		t.Error("the audit log links the client list, which an admin may not open")
	}
	program := strings.TrimPrefix(pc.page, pc.URL)
	if _, list := send(t, pc.desk, "GET", pc.URL+"/staff/clients", nil); !strings.Contains(list, `href="`+program+`"`) {
		t.Errorf("the client list does not link the client's home program %s", program)
	}
}
