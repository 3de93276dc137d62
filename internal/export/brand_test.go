package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/care/caretest"
	"unknot/internal/clinic"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

// The clinic that gives a handout or report out is named under its title,
// with how to reach it; characters the font lacks come out as □, not as a
// broken PDF.
func TestHandoutAndReportNameTheClinic(t *testing.T) {
	from := clinic.Contact{
		Name: "Clinique Zoë 🌿", Phone: "+49 30 1234", Email: "desk@zoe.example",
		Address: "Invalidenstraße 1\n10115 Berlin", Website: "https://zoe.example",
	}
	want := "From Clinique Zoë □ · Invalidenstraße 1, 10115 Berlin · +49 30 1234 · desk@zoe.example · https://zoe.example"

	for _, level := range []string{care.SelfCare, care.Emergency} {
		var buf bytes.Buffer
		if err := Handout(&buf, library.Default(), caretest.ResultAt(t, level), urgency.DefaultNumbers(), from); err != nil {
			t.Fatal(err)
		}
		has(t, "handout "+level, pdfText(t, buf.Bytes()), want)
	}

	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	err := ProgressReport(&buf, library.Default(), ProgressData{
		Result: caretest.ResultAt(t, care.SelfCare), Answers: json.RawMessage(`{}`), Taken: now,
		Progress: diary.Assess(now, now, nil, nil, time.UTC, now), Now: now, Clinic: from,
	})
	if err != nil {
		t.Fatal(err)
	}
	has(t, "progress report", pdfText(t, buf.Bytes()), want)

	// Without a clinic, no line says who it is from.
	buf.Reset()
	if err := Handout(&buf, library.Default(), caretest.ResultAt(t, care.SelfCare), urgency.DefaultNumbers(), clinic.Contact{}); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); strings.Contains(text, "From ") {
		t.Errorf("a handout without a clinic says who it is from:\n%s", text)
	}
}
