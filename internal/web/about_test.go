package web

import (
	"net/http"
	"strings"
	"testing"

	"unknot/internal/clinic"
	"unknot/internal/export"
)

func TestAboutShowsTheClinicsDetails(t *testing.T) {
	base := startClinicServer(t, clinic.Demo())
	resp, body := get(t, base+"/about")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /about: %d", resp.StatusCode)
	}
	for _, want := range []string{"About Demo Clinic for Knots", `href="mailto:hello@demo-clinic.example"`,
		"Invalidenstraße 1, 10115 Berlin, Germany", `href="/privacy"`, `href="/clinic"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/about lacks %s", want)
		}
	}
	if _, body := get(t, base+"/privacy"); !strings.Contains(body, `href="mailto:hello@demo-clinic.example"`) || !strings.Contains(body, "run by Demo Clinic for Knots") {
		t.Error("/privacy does not name the clinic and how to reach it")
	}
}

func TestAboutAndPrivacyWithoutAClinic(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/about", "/privacy"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s without a clinic: %d, want 200", path, resp.StatusCode)
		}
	}
}

// The privacy page says what the code does: how long drafts and unconfirmed
// sign-ups live, that visits keep "deleted client", where to export and
// delete.
func TestPrivacyIsTrueToTheCode(t *testing.T) {
	ts := newTestServer(t, Config{})
	_, body := get(t, ts.URL+"/privacy")
	for _, want := range []string{
		"at most 2 hours",             // draftLife
		"expires (7 days)",            // subscribe.ConfirmWithin
		"“deleted client”",            // store.DeletedClient
		"stop sharing from your plan", // share withdraw on the plan page
		"never the private part",      // logs.Redact
		"delete it for good",
		"forget", // "email me this link"
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/privacy lacks %q", want)
		}
	}
	if int(draftLife.Hours()) != 2 {
		t.Errorf("draftLife is %v; the test's words need updating", draftLife)
	}
}

// The free report has one name everywhere: export.ReportTitle.
func TestTheFreeReportHasOneName(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/", "/subscribe"} {
		_, body := get(t, ts.URL+path)
		if !strings.Contains(body, export.ReportTitle) {
			t.Errorf("%s does not name the report %q", path, export.ReportTitle)
		}
		if strings.Contains(strings.ToLower(body), "five ways to get rid of") || strings.Contains(body, "free report") {
			t.Errorf("%s calls the report by another name", path)
		}
	}
}
