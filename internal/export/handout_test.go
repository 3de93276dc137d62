package export

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
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

// pdfText is the text of a PDF as poppler's pdftotext reads it, without
// the running footer and with all white space (line and page breaks too)
// as single spaces. Without
// pdftotext the test is skipped, except in CI, where .ci/run installs it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	exe, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing; install poppler-utils to read the PDF")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(exe, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return oneLine(strings.ReplaceAll(string(out), footer, ""))
}

// oneLine puts s on one line with single spaces, as pdfText does.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func handoutText(t *testing.T, r care.Result, call urgency.Numbers) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Handout(&buf, library.Default(), r, call, clinic.Contact{}); err != nil {
		t.Fatal(err)
	}
	return pdfText(t, buf.Bytes())
}

func has(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, oneLine(want)) {
			t.Errorf("%s: no %q in\n%s", what, want, text)
		}
	}
}

func hasNot(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, oneLine(u)) {
			t.Errorf("%s: says %q in\n%s", what, u, text)
		}
	}
}

// levelWords are the words of r's level and its headline.
func levelWords(r care.Result) []string {
	l := care.LevelOf(r.Urgency)
	out := []string{l.Title, r.Headline}
	for _, s := range []string{l.Until, l.Worse} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestEmergencyHandoutIsAboutTheEmergencyOnly(t *testing.T) {
	r := caretest.ResultAt(t, care.Emergency)
	text := handoutText(t, r, urgency.DefaultNumbers())
	has(t, "emergency", text, levelWords(r)...)
	has(t, "emergency", text, "Dial 911 (US and Canada), 112 (Europe and many other countries) or 999 (UK and Ireland).")
	has(t, "emergency", text, urgency.WhileWaiting(library.Default()).Items...)
	has(t, "emergency", text, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) == care.Emergency })...)
	has(t, "emergency", text, care.Label("symptoms.chest_pain_or_pressure"))
	hasNot(t, "emergency", text, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) != care.Emergency })...)
	hasNot(t, "emergency", strings.ToLower(text), "doctor", "book", "within a day", "massage", "relief right now")

	numbers, err := urgency.ParseNumbers("112,999")
	if err != nil {
		t.Fatal(err)
	}
	text = handoutText(t, r, numbers)
	has(t, "emergency in Europe", text, "Dial 112 (Europe and many other countries) or 999 (UK and Ireland).")
	hasNot(t, "emergency in Europe", text, "911")
}

func TestUrgentHandoutHasNoKnot(t *testing.T) {
	r := caretest.ResultAt(t, care.Urgent)
	text := handoutText(t, r, urgency.DefaultNumbers())
	has(t, "urgent", text, levelWords(r)...)
	has(t, "urgent", text, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) == care.Urgent })...)
	also := urgency.AlsoFound(library.Default(), r)
	has(t, "urgent", text, also.Title)
	has(t, "urgent", text, also.Items...)
	hasNot(t, "urgent", text, caretest.Says(r, func(c string) bool { return caretest.RuleLevel(c) != care.Urgent })...)
	hasNot(t, "urgent", strings.ToLower(text), "dial", "book", "home care may go on", "relief right now", "your 7 days")
}

func TestHomeCareHandoutHasThePlan(t *testing.T) {
	for _, level := range []string{care.SeeProfessional, care.SelfCare} {
		r := caretest.ResultAt(t, level)
		text := handoutText(t, r, urgency.DefaultNumbers())
		has(t, level, text, levelWords(r)...)
		has(t, level, text, "Relief right now", "Your 7 days", "Chin tuck", "When to seek help",
			"your pain is 4 out of 10 or less")
		// The emergency box names every emergency sign, from the rules.
		has(t, level, text, "Call emergency services now: 911 (US and Canada)")
		has(t, level, text, urgency.EmergencySigns(library.Default())...)
	}
}

func TestOutdatedHandoutAndReportSayToTakeTheCheckAgain(t *testing.T) {
	r := caretest.ResultAt(t, care.SelfCare)
	r.Version = 1
	has(t, "version 1 handout", handoutText(t, r, urgency.DefaultNumbers()), urgency.OutdatedSays)

	// Version 1 named its warning signs differently: the report reads them
	// as they were saved.
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	err := ProgressReport(&buf, library.Default(), ProgressData{
		Result:   r,
		Answers:  json.RawMessage(`{"version":1,"regions":["back_of_neck"],"duration_days":3,"pain_now":5,"symptoms":{"pain_spreads_to_arm_or_jaw":true,"fever_or_chills":true,"chest_pain_or_pressure":false}}`),
		Taken:    now,
		Progress: diary.Assess(now, now, nil, nil, time.UTC, now),
		Now:      now,
	})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	has(t, "version 1 report", text, urgency.OutdatedSays, "Pain then 5 out of 10, for 3 days before.",
		"Warning signs answered yes: Fever or chills; pain spreads to arm or jaw.")
}
