package export

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

// unicodeSeeds are texts beyond the fonts' reach: emoji (one beyond the
// Basic Multilingual Plane broke the progress report for good), combining
// marks, right-to-left scripts, CJK, NUL and other controls, bytes that
// are not UTF-8, and a long word without spaces.
var unicodeSeeds = []string{
	"Felt better today 😀",
	"👍🏽👨‍👩‍👧 flags 🇩🇪",
	"e\u0301 a\u0308 q\u0303 Z\u0337\u0336",
	"שלום עולם مرحبا",
	"中文 日本語 한국어",
	"a\x00b\x01c\x1b[31m\x7f\u0085\u200b\u202e",
	"\xff\xfe\xc3\x28 \xed\xa0\x80",
	"tab\there\r\nnext\n\n",
	strings.Repeat("x", 400),
	"",
}

func TestFontText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ASCII (0–10) – “quoted” • ☐", "plain ASCII (0–10) – “quoted” • ☐"},
		{"Felt better today 😀", "Felt better today □"},
		{"e\u0301", "é"},                      // composed with its accent
		{"q\u0303", "q□"},                     // no composed form: the mark is shown missing
		{"a\x00b", "a□b"},                     // a control character is visible
		{"a\xffb", "a□b"},                     // so are bytes that are not UTF-8
		{"שלום", "□□□□"},                      // a script the fonts lack
		{"tab\tand\r\nline", "tab and\nline"}, // lines kept, tabs spaced
		{"Ж ß ø ł", "Ж ß ø ł"},
	}
	for _, tt := range tests {
		if got := fontText(tt.in); got != tt.want {
			t.Errorf("fontText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDrawableCharacters(t *testing.T) {
	set := drawable()
	for _, r := range "aZ09 éÀŁЖΩ–—“”•…←→☐☑□✓€" {
		if !set[r] {
			t.Errorf("%q (U+%04X) is not drawable", r, r)
		}
	}
	for _, r := range []rune{0, '\n', 0x7f, 0x85, 0x300, 0x5d0, 0x4e2d, 0xfffd, 0x1f600} {
		if set[r] {
			t.Errorf("U+%04X is drawable", r)
		}
	}
	if len(set) < 1500 {
		t.Errorf("only %d drawable characters", len(set))
	}
}

// TestProgressReportWithAnEmoji is the defect: one emoji in a diary note
// made every later progress report fail.
func TestProgressReportWithAnEmoji(t *testing.T) {
	pdf, err := progressWith("Felt better today 😀")
	if err != nil {
		t.Fatal(err)
	}
	has(t, "progress report", pdfText(t, pdf), "Felt better today □")
}

// progressWith writes the progress report of a diary whose texts are s: a
// note, a region and an exercise id (both read from the database as they
// were saved).
func progressWith(s string) ([]byte, error) {
	taken := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	entries := []diary.Entry{
		{At: taken.Add(time.Hour), Pain: 3, Note: s, Regions: []string{"top_of_shoulder", s}, Done: []string{"chin_tuck", s}},
		diary.RoutineEntry(taken.Add(26*time.Hour), 2, []string{s}),
	}
	r := care.Assess(library.Default(), care.Answers{Version: care.Version, Age: 38, Regions: []string{"top_of_shoulder"}, DurationDays: 5, Onset: "gradual", PainNow: 4})
	r.Headline += " " + s
	r.Causes = append(r.Causes, s)
	answers, err := json.Marshal(map[string]any{"pain_now": 4, "regions": []string{s}, "symptoms": map[string]bool{s: true}})
	if err != nil {
		return nil, err
	}
	rechecks := []diary.Recheck{{At: taken.Add(7 * 24 * time.Hour), PainNow: 2, Urgency: care.SelfCare}}
	now := taken.Add(8 * 24 * time.Hour)
	progress := diary.Assess(taken, taken, entries, rechecks, time.UTC, now)
	var buf bytes.Buffer
	err = ProgressReport(&buf, library.Default(), ProgressData{Result: r, Answers: answers, Taken: taken, Progress: progress, Entries: entries, Rechecks: rechecks, Location: time.UTC, Now: now, Clinic: clinic.Contact{Name: s, Email: s}})
	return buf.Bytes(), err
}

// handoutWith writes the handout of a result whose words include s
// wherever a result carries text, with a plan and without one.
func handoutWith(s string, plan bool) ([]byte, error) {
	lib := library.Default()
	a := care.Answers{Version: care.Version, Age: 38, Regions: []string{"top_of_shoulder"}, DurationDays: 5, Onset: "gradual", PainNow: 4}
	if !plan {
		a.Symptoms = care.Symptoms{TinglingOrNumbnessBothHands: true}
	}
	r := care.Assess(lib, a)
	r.Headline = s + " " + r.Headline
	r.Reasons = append(r.Reasons, care.Reason{Code: s, Says: s, Because: []string{s}, Source: s})
	r.Professional = care.Professional{Suggest: true, Why: s}
	if r.Plan != nil {
		r.Plan.ReliefNow = append(r.Plan.ReliefNow, care.Item{Exercise: s, Note: s, Sides: s, Minutes: 1})
		r.Plan.Avoid = append(r.Plan.Avoid, care.Advice{Says: s})
		r.Plan.Days[0].Focus = s
		r.Plan.Exercises = append(r.Plan.Exercises, s)
	}
	var buf bytes.Buffer
	err := Handout(&buf, lib, r, urgency.Numbers{}, clinic.Contact{Name: s, Address: s + "\n" + s, Phone: s})
	return buf.Bytes(), err
}

// documentWith writes a document that puts s through every building block
// (the free report is made of these and the library's words only).
func documentWith(s string) ([]byte, error) {
	d := NewDocument(s)
	d.Heading(s)
	d.Subheading(s)
	d.Paragraph(s)
	d.Strong(s)
	d.Small(s)
	d.List([]string{s, s})
	d.Numbered([]string{s})
	d.Checklist([]string{s})
	d.Callout(s, s, true)
	d.Table([]float64{30, 30}, []string{s, s}, [][]string{{s, s}, {s, s}})
	d.chart(diary.ChartData{Width: 640, Height: 240, Summary: s, YTicks: []diary.ChartTick{{At: 10, Text: s}}, XTicks: []diary.ChartTick{{At: 20, Text: s}, {At: 600, Text: s}}})
	var buf bytes.Buffer
	err := d.Write(&buf)
	return buf.Bytes(), err
}

// isPDF fails t unless write succeeded with a PDF.
func isPDF(t *testing.T, s string, pdf []byte, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.Contains(pdf[max(0, len(pdf)-64):], []byte("%%EOF")) {
		t.Fatalf("%q: not a whole PDF", s)
	}
}

func TestEveryPDFTakesAnyText(t *testing.T) {
	for _, s := range unicodeSeeds {
		pdf, err := progressWith(s)
		isPDF(t, s, pdf, err)
		pdf, err = handoutWith(s, true)
		isPDF(t, s, pdf, err)
		pdf, err = handoutWith(s, false)
		isPDF(t, s, pdf, err)
		pdf, err = documentWith(s)
		isPDF(t, s, pdf, err)
	}
}

// The fuzz targets run their seeds as tests; to search further, run each
// on its own for a while (docs/performance.md has the command):
//
//	go test -run x -fuzz FuzzProgressPDF -fuzztime 20s ./internal/export/

func FuzzProgressPDF(f *testing.F) {
	for _, s := range unicodeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pdf, err := progressWith(s)
		isPDF(t, s, pdf, err)
	})
}

func FuzzHandoutPDF(f *testing.F) {
	for _, s := range unicodeSeeds {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, plan bool) {
		pdf, err := handoutWith(s, plan)
		isPDF(t, s, pdf, err)
	})
}

// FuzzDocumentPDF covers the free report (export.Report), whose text is
// the library's, by the building blocks it is made of.
func FuzzDocumentPDF(f *testing.F) {
	for _, s := range unicodeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pdf, err := documentWith(s)
		isPDF(t, s, pdf, err)
	})
}
