package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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

func BenchmarkReport(b *testing.B) {
	lib := library.Default()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Report(&buf, lib); err != nil {
			b.Fatal(err)
		}
	}
}
