package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"unknot/internal/library"
)

func TestReport(t *testing.T) {
	var buf bytes.Buffer
	if err := Report(&buf, library.Default()); err != nil {
		t.Fatal(err)
	}
	pdf := buf.Bytes()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("report does not start with %%PDF: %q", pdf[:min(len(pdf), 20)])
	}
	if n := len(pdf); n > 2<<20 {
		t.Errorf("report is %d bytes; an email attachment should stay small", n)
	}
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skip("pdftoppm not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-png", "-r", "40", path, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	if dst := os.Getenv("UNKNOT_REPORT_PNG"); dst != "" {
		exec.Command("sh", "-c", "cp "+dir+"/page-*.png "+dst).Run()
	}
}

// TestReportTitle checks that the report has its own title, not the title
// of a source page it learnt from.
func TestReportTitle(t *testing.T) {
	if strings.Contains(strings.ToLower(ReportTitle), "five ways to get rid of the knots") {
		t.Errorf("ReportTitle %q repeats a source page's title", ReportTitle)
	}
	if strings.TrimSpace(ReportTitle) == "" {
		t.Error("ReportTitle is empty")
	}
}

// TestEmergencyBox checks that the report's alert box lists every sign of
// every emergency rule of the library, covers each emergency sign of the
// contract (version 2), and speaks of the emergency only.
func TestEmergencyBox(t *testing.T) {
	lib := library.Default()
	title, text, sources, err := emergencyBox(lib)
	if err != nil {
		t.Fatal(err)
	}
	box := strings.ToLower(title + "\n" + text)
	var rules int
	for _, r := range lib.Rules {
		if r.Urgency != library.Emergency {
			continue
		}
		rules++
		for _, s := range r.Signs {
			if !strings.Contains(text, s) {
				t.Errorf("box lacks the sign %q of rule %s", s, r.Code)
			}
		}
		for _, id := range r.Sources {
			if !slices.Contains(sources, id) {
				t.Errorf("box does not cite %s, a source of rule %s", id, r.Code)
			}
		}
	}
	if rules != 7 {
		t.Errorf("library has %d emergency rules; contract version 2 has 7", rules)
	}
	// The emergency signs of contract version 2, in a few words each.
	for _, sign := range []string{
		"chest pain", "pressure", "jaw", "throat", "arm", "cold sweat", "feeling sick", "breathlessness", "effort",
		"breathe in", "new pain", "tearing", "headache", "dizziness", "seeing", "speaking", "swallowing",
		"droops", "one side", "fainting", "drop attacks", "stiff neck with a fever", "bladder or bowel",
		"injury", "dangerous", "65", "tingling",
	} {
		if !strings.Contains(box, sign) {
			t.Errorf("box does not mention %q", sign)
		}
	}
	if !strings.Contains(box, "call emergency services now") {
		t.Error("box does not say to call emergency services now")
	}
	for _, lower := range []string{"within a day", "book", "physiotherapist", "massage", "home care", "self-check"} {
		if strings.Contains(box, lower) {
			t.Errorf("box mentions %q, a lower-level step", lower)
		}
	}

	if _, _, _, err := emergencyBox(&library.Library{}); err == nil {
		t.Error("emergencyBox of a library without emergency rules succeeded")
	}
}

// TestReportSigns checks the report's lists of urgent and see-a-professional
// signs, built from the library: arm tingling is urgent in both hands and a
// reason to book in one arm, as the contract says.
func TestReportSigns(t *testing.T) {
	lib := library.Default()
	urgent, _ := lib.SignsAt(library.Urgent)
	book, _ := lib.SignsAt(library.SeeProfessional)
	if !slices.Contains(urgent, "tingling or numbness in both hands") {
		t.Errorf("urgent signs %q lack tingling in both hands", urgent)
	}
	if !slices.Contains(book, "tingling or numbness in one arm") {
		t.Errorf("see-a-professional signs %q lack tingling in one arm", book)
	}
	if slices.Contains(urgent, "tingling or numbness in one arm") {
		t.Error("one-arm tingling is listed as urgent; contract version 2 made it see-a-professional")
	}
}

// TestReportProse checks the report's own words against the facts the
// library and the articles share.
func TestReportProse(t *testing.T) {
	prose := append(append([]string{}, reportOpening...), reportKinds...)
	prose = append(prose, reportBothKinds, reportCloser, reportDisclaimer)
	for _, w := range reportWays {
		prose = append(prose, w.title)
		prose = append(prose, w.why...)
	}
	all := strings.ToLower(strings.Join(prose, "\n"))
	if !strings.Contains(all, "4 out of 10 or below") {
		t.Error("the report must say that strengthening starts at pain 4 out of 10 or below")
	}
	for _, drift := range []string{"3 out of 10", "5 out of 10", "once the pain has eased", "never press the side", "sides of the neck"} {
		if strings.Contains(all, drift) {
			t.Errorf("the report says %q, which disagrees with the library", drift)
		}
	}
	if !strings.Contains(all, "dry needling") {
		t.Error("where the report suggests a professional it must mention dry needling")
	}
	for _, w := range reportWays {
		for _, id := range w.exercises {
			e, ok := library.Default().Exercise(id)
			if !ok {
				t.Errorf("way %q uses exercise %q, which is not in the library", w.title, id)
				continue
			}
			if e.Lying() {
				t.Errorf("way %q uses %s, done lying flat; the free report suits everyone, pregnant readers too", w.title, id)
			}
		}
	}
}

func BenchmarkReport(b *testing.B) {
	lib := library.Default()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Report(&buf, lib); err != nil {
			b.Fatal(err)
		}
	}
}
