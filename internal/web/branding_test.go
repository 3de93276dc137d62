package web

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/mail"
)

// Every booking mail says who the clinic is and how to reach it, with a
// link to its page from the configured base URL: its own address once it
// has one, else the visit location's.
func TestBookingMailNamesTheClinic(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	start := bs.hoursAhead(72)
	bs.book(t, bookBody(start, ""))
	sent := bs.claim(t, time.Now())
	want := "Test Clinic · Invalidenstraße 1, 10115 Berlin · +49 30 1 · desk@clinic.example"
	checkBranded(t, sent, 2, want)

	err := bs.db.EditClinic(t.Context(), time.Now(), func(f *clinic.File) error {
		f.Clinic.Address = "Torstraße 9\n10119 Berlin"
		f.Clinic.Website = "https://test-clinic.example"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := bs.srv.QueueReminders(t.Context(), start.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	checkBranded(t, bs.claim(t, start.Add(-24*time.Hour)), 1,
		"Test Clinic · Torstraße 9, 10119 Berlin · +49 30 1 · desk@clinic.example · https://test-clinic.example")
}

func checkBranded(t *testing.T, sent []mail.Queued, n int, want string) {
	t.Helper()
	if len(sent) != n {
		t.Fatalf("%d mails, want %d", len(sent), n)
	}
	for _, m := range sent {
		if !strings.Contains(m.Text, want+"\n") || !strings.Contains(m.Text, "About Test Clinic: https://clinic.example/clinic") {
			t.Errorf("%s to %s: the text has no %q and link to the clinic's page:\n%s", m.Kind, m.To, want, m.Text)
		}
		if !strings.Contains(m.HTML, `<a href="https://clinic.example/clinic"`) || !strings.Contains(m.HTML, "Test Clinic · ") {
			t.Errorf("%s to %s: the HTML does not name the clinic:\n%s", m.Kind, m.To, m.HTML)
		}
	}
}

// The free guide's mails name the clinic that runs the site once there is
// one (not the demo), and nothing before.
func TestGuideMailNamesTheClinic(t *testing.T) {
	ts := newMailServer(t, Config{})
	postForm(t, ts.URL+"/subscribe", signUpForm("Anna", "anna@example.com"))
	ts.deliver(t)
	if inbox := ts.inbox(t, "anna@example.com"); len(inbox) != 1 || strings.Contains(inbox[0].Text, "About ") {
		t.Fatalf("a mail without a clinic: %+v", inbox)
	}
	f, err := clinic.Parse([]byte(bookingClinicJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.db.ImportClinic(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	postForm(t, ts.URL+"/subscribe", signUpForm("Bo", "bo@example.com"))
	ts.deliver(t)
	inbox := ts.inbox(t, "bo@example.com")
	if len(inbox) != 1 {
		t.Fatalf("%d mails to bo", len(inbox))
	}
	resp, _ := postForm(t, link(t, inbox[0], "/confirm"), url.Values{})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	ts.deliver(t)
	inbox = ts.inbox(t, "bo@example.com")
	if len(inbox) != 2 {
		t.Fatalf("%d mails to bo after confirming", len(inbox))
	}
	for _, m := range inbox {
		if !strings.Contains(m.Text, "Test Clinic · Invalidenstraße 1, 10115 Berlin · +49 30 1 · desk@clinic.example\n") ||
			!strings.Contains(m.Text, "About Test Clinic: "+ts.URL+"/clinic") {
			t.Errorf("%s: the text does not name the clinic:\n%s", m.Kind, m.Text)
		}
	}
}

// The handout and the progress report a plan's page links to name the
// clinic (their text read by poppler's pdftotext, as internal/export's
// tests read it).
func TestPlanPDFsNameTheClinic(t *testing.T) {
	exe, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing; install poppler-utils to read the PDF")
	}
	bs := newBookingServer(t, Config{}, "")
	plan := newPlan(t, bs.URL, deskWorker())
	for _, file := range []string{"/handout.pdf", "/progress.pdf"} {
		resp, body := get(t, bs.URL+plan+file)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", file, resp.StatusCode)
		}
		in := filepath.Join(t.TempDir(), "doc.pdf")
		if err := os.WriteFile(in, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(exe, "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		if want := "From Test Clinic · Invalidenstraße 1, 10115 Berlin · +49 30 1 · desk@clinic.example"; !strings.Contains(text, want) {
			t.Errorf("%s has no %q:\n%s", file, want, text)
		}
	}
}
