package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"unknot/internal/clinic"
)

// startClinicServer serves unknot with the clinic f imported.
func startClinicServer(t *testing.T, f clinic.File) string {
	t.Helper()
	ts, db := startTestServer(t, Config{})
	if err := db.ImportClinic(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	return ts.URL
}

func TestClinicPageShowsWhoWhereWhenAndWhat(t *testing.T) {
	base := startClinicServer(t, clinic.Demo())
	resp, body := get(t, base+"/clinic")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /clinic: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"Demo Clinic for Knots",
		`href="tel:&#43;493012345678"`,
		`href="tel:&#43;12125550100"`,
		`href="mailto:hello@demo-clinic.example"`,
		"Invalidenstraße 1, 10115 Berlin, Germany",
		`href="https://www.openstreetmap.org/search?query=350&#43;Fifth&#43;Avenue%2C&#43;New&#43;York%2C&#43;NY&#43;10118%2C&#43;USA"`,
		"Times here are in Berlin time (",
		"Times here are in New York time (",
		"<th scope=\"row\">Tuesday</th><td>09:00–18:00</td>",
		"<th scope=\"row\">Monday</th><td>09:00–12:00, 13:00–17:00</td>",
		"Trigger point therapy, 60 minutes",
		"90.00 EUR",
		"In person or by video",
		"This clinic is a demonstration",
		`id="style-trigger_point_therapy"`,
		`href="/clinic/therapists/ana"`,
		`href="/book?service=trigger-60"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/clinic lacks %q", want)
		}
	}
}

func TestTherapistPage(t *testing.T) {
	base := startClinicServer(t, clinic.Demo())
	resp, body := get(t, base+"/clinic/therapists/carmen")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET carmen: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"Carmen Demo", "Licensed massage therapist", "Demo licence 0003", "English",
		`href="/clinic#style-shiatsu_acupressure"`, "In person or by video",
		`href="/book?therapist=carmen"`, "Book with Carmen Demo", "New York time (",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("carmen's page lacks %q", want)
		}
	}
	_, body = get(t, base+"/clinic/therapists/ana")
	if !strings.Contains(body, "English, Spanish") {
		t.Error("ana's languages are not named in words")
	}
	for _, path := range []string{"/clinic/therapists/nobody", "/clinic/therapists/"} {
		if resp, _ := get(t, base+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestClinicPagesEscapeClinicText(t *testing.T) {
	f := clinic.Demo()
	f.Clinic.Name = `Knots & <b>Co</b>`
	f.Clinic.Website = `javascript:alert(1)`
	f.Therapists[0].Bio = `<script>alert("bio")</script>`
	f.Locations[0].Address = `1 "Quote" Street <i>`
	base := startClinicServer(t, f)
	for _, path := range []string{"/clinic", "/clinic/therapists/ana"} {
		_, body := get(t, base+path)
		for _, bad := range []string{"<b>Co</b>", "<script>alert", "<i>", `href="javascript:`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s writes %q unescaped", path, bad)
			}
		}
	}
	_, body := get(t, base+"/clinic")
	if !strings.Contains(body, "Knots &amp; &lt;b&gt;Co&lt;/b&gt;") {
		t.Error("the clinic's name is not shown escaped")
	}
}

func TestClinicPagesWithoutAClinic(t *testing.T) {
	ts := newTestServer(t, Config{})
	for _, path := range []string{"/clinic", "/clinic/therapists/ana"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s without a clinic: %d, want 404", path, resp.StatusCode)
		}
	}
}

func TestZoneSays(t *testing.T) {
	winter := time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)
	summer := time.Date(2027, 7, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		zone string
		at   time.Time
		want string
	}{
		{"Europe/Berlin", winter, "Berlin time (CET)"},
		{"Europe/Berlin", summer, "Berlin time (CEST)"},
		{"America/New_York", summer, "New York time (EDT)"},
		{"Asia/Kolkata", winter, "Kolkata time (IST)"},
		{"Asia/Dubai", winter, "Dubai time (UTC+04)"},
	} {
		loc, err := clinic.Zone(tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		if got := zoneSays(loc, tc.at); got != tc.want {
			t.Errorf("zoneSays(%s, %s) = %q, want %q", tc.zone, tc.at, got, tc.want)
		}
	}
}
