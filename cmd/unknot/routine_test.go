package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/library"
	"unknot/internal/program"
	"unknot/internal/routine"
	"unknot/internal/secret"
	"unknot/internal/store"
)

func TestRoutineFromAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(path, []byte(deskAnswers), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "routine", "--answers", path, "--no-wait", "--day", "5")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Day 5:", "[1/", "Get ready: 5 s", "Done for today"} {
		if !strings.Contains(out, want) {
			t.Errorf("output has no %q:\n%s", want, out)
		}
	}
	// Standard input works too.
	if code, out, _ := runCLI(t, deskAnswers, "routine", "--answers", "-", "--no-wait"); code != exitOK || !strings.Contains(out, "Day 1:") {
		t.Errorf("from stdin: exit %d\n%s", code, out)
	}
}

func TestRoutineBadInput(t *testing.T) {
	tests := [][]string{
		{"routine"},
		{"routine", "--plan", "x", "--answers", "-"},
		{"routine", "--answers", "-", "--speed", "0"},
		{"routine", "--answers", "-", "--day", "8"},
		{"routine", "--plan", "not-a-token"},
		{"routine", "--answers", "-", "extra"},
	}
	for _, args := range tests {
		if code, _, errOut := runCLI(t, deskAnswers, args...); code != exitUsage || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	code, _, errOut := runCLI(t, `{"version":2,"age":30,"regions":[],"duration_days":2,"onset":"gradual","pain_now":11}`, "routine", "--answers", "-")
	if code != exitUsage || !strings.Contains(errOut, "pain_now:") || !strings.Contains(errOut, "regions:") {
		t.Errorf("bad answers: exit %d, stderr %q", code, errOut)
	}
}

func TestRoutineOfASavedPlanIsLogged(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "unknot.db")
	db, err := store.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var answers care.Answers
	if err := json.Unmarshal([]byte(deskAnswers), &answers); err != nil {
		t.Fatal(err)
	}
	result, _ := json.Marshal(care.Assess(library.Default(), answers))
	token, hash := secret.NewToken()
	a := &store.Assessment{TokenHash: hash, Answers: json.RawMessage(deskAnswers), Result: result, Urgency: care.SelfCare}
	if err := db.CreateAssessment(t.Context(), a); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCLI(t, "", "routine", "--plan", "https://unknot.example/plan/"+token+"/today", "--db", dbPath, "--no-wait")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "It is in your diary.") {
		t.Errorf("output:\n%s", out)
	}
	entries, err := db.Entries(t.Context(), a.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || !entries[0].Routine || entries[0].Day != 1 || len(entries[0].Done) == 0 {
		t.Errorf("diary after the routine: %+v", entries)
	}

	unknown, _ := secret.NewToken()
	if code, _, errOut := runCLI(t, "", "routine", "--plan", unknown, "--db", dbPath); code != exitUsage || !strings.Contains(errOut, "no plan") {
		t.Errorf("unknown plan: exit %d, %q", code, errOut)
	}
}

func TestGuideCountsDownAndStopsOnInterrupt(t *testing.T) {
	steps := []routine.Step{{Exercise: "chin_tuck", Name: "Chin tuck", Session: "morning", Dose: "hold 2 s, 2 times",
		Segments: routine.Segments(care.Item{HoldSeconds: 2, Reps: 2})}}
	var out bytes.Buffer
	done, err := guide{out: &out, speed: 100, wait: true}.run(context.Background(), 1, steps)
	if err != nil || len(done) != 1 {
		t.Fatalf("done %v, err %v", done, err)
	}
	for _, want := range []string{"\r  Get ready", "   5 ", "Hold 2 of 2", "✓ \a\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("countdown has no %q:\n%q", want, out.String())
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (guide{out: &out, speed: 1, wait: true}).run(ctx, 1, steps); !errors.Is(err, context.Canceled) {
		t.Errorf("after Ctrl-C: %v", err)
	}
}

// A saved plan whose therapist gave a home program follows the program,
// and says whose it is.
func TestRoutineFollowsTheHomeProgram(t *testing.T) {
	ctx := t.Context()
	dbPath := filepath.Join(t.TempDir(), "unknot.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.LoadDemoClinic(ctx); err != nil {
		t.Fatal(err)
	}
	var answers care.Answers
	if err := json.Unmarshal([]byte(deskAnswers), &answers); err != nil {
		t.Fatal(err)
	}
	result := care.Assess(library.Default(), answers)
	raw, _ := json.Marshal(result)
	token, hash := secret.NewToken()
	a := &store.Assessment{TokenHash: hash, Answers: json.RawMessage(deskAnswers), Result: raw, Urgency: result.Urgency}
	if err := db.CreateAssessment(ctx, a); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
	_, bookingHash := secret.NewToken()
	if _, _, err := db.CreateBooking(ctx, store.NewBooking{
		Booking: booking.Booking{Service: "trigger-60", Therapist: "ana", Location: "mitte", Mode: clinic.InPerson,
			Start: start, End: start.Add(time.Hour), Name: "Kim", Email: "kim@example.com"},
		TokenHash: bookingHash, AssessmentID: a.ID, SharePlan: true,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveProgram(ctx, store.ProgramSave{AssessmentID: a.ID, Therapist: "ana", By: "desk@example.com",
		Check: func(*store.Assessment) (program.Program, error) {
			return program.Program{Items: []program.Item{{Item: care.Item{Exercise: "chin_tuck", HoldSeconds: 2, Reps: 8, Sets: 1}, TimesADay: 2}}}, nil
		}}); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCLI(t, "", "routine", "--plan", token, "--db", dbPath, "--no-wait")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Your home program from your therapist, Ana Demo.") || strings.Count(out, "Chin tuck") < 2 || strings.Contains(out, "Shoulder rolls") {
		t.Errorf("output:\n%s", out)
	}
}
