package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"unknot/internal/care"
)

// runCLI runs the command line in-process and returns exit code and output.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

const deskAnswers = `{"version":2,"age":33,"regions":["top_of_shoulder"],"duration_days":4,"onset":"gradual","pain_now":3,"habits":{"desk_hours":9,"posture":["forward_head"]}}`

func TestCheckFromFileAsJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(path, []byte(deskAnswers), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "check", "--answers", path, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Version int             `json:"version"`
		Urgency string          `json:"urgency"`
		Plan    json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if r.Version != 2 || r.Urgency != "self_care" || string(r.Plan) == "null" {
		t.Errorf("result %+v", r)
	}
}

func TestCheckFromStdinAsText(t *testing.T) {
	code, out, errOut := runCLI(t, deskAnswers, "check", "--answers", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"SELF-CARE", "Relief right now", "not medical advice"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckBadInputExitsTwoNamingFields(t *testing.T) {
	bad := `{"version":2,"age":30,"regions":["elbow"],"duration_days":-1,"onset":"gradual","pain_now":3,"habits":{"desk_hours":30}}`
	code, out, errOut := runCLI(t, bad, "check", "--answers", "-", "--format", "json")
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if out != "" {
		t.Errorf("printed a result for bad input: %s", out)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	for _, prefix := range []string{"regions[0]: ", "duration_days: ", "habits.desk_hours: "} {
		found := false
		for _, l := range lines {
			found = found || strings.HasPrefix(l, prefix)
		}
		if !found {
			t.Errorf("no line starting with %q in:\n%s", prefix, errOut)
		}
	}
}

// TestCheckAnswersAreCapped: a file or standard input over 1 MiB, even one
// without end, exits 2 naming the answers instead of reading on.
func TestCheckAnswersAreCapped(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.json")
	padded := deskAnswers[:len(deskAnswers)-1] + strings.Repeat(" ", maxAnswers) + "}"
	if err := os.WriteFile(big, []byte(padded), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--answers", big}, {"--answers", "/dev/zero"}, {"--answers", "-"}} {
		code, out, errOut := runCLI(t, padded, append([]string{"check"}, args...)...)
		if code != 2 || out != "" || errOut != "answers: must be at most 1 MiB\n" {
			t.Errorf("check %v: exit %d, %q, %q", args, code, out, errOut)
		}
	}
	// Just under the cap is read.
	fits := deskAnswers[:len(deskAnswers)-1] + strings.Repeat(" ", maxAnswers-len(deskAnswers)) + "}"
	if code, _, errOut := runCLI(t, fits, "check", "--answers", "-"); code != 0 {
		t.Errorf("answers of exactly 1 MiB: exit %d: %s", code, errOut)
	}
}

// TestCheckRefusesWhatFormsRefuse: the CLI reads answers as the API does.
func TestCheckRefusesWhatFormsRefuse(t *testing.T) {
	start := deskAnswers[:len(deskAnswers)-1]
	for in, want := range map[string]string{
		start + ",\"side\":\"le\xfft\"}":                        "side: is not valid UTF-8 text",
		start + `,"pain_worst_24h":1e-400}`:                     "pain_worst_24h: is too close to 0",
		start + `,"age":34}`:                                    "age: is given more than once",
		start + `,"tried":[` + strings.Repeat(`1,`, 99) + `1]}`: "errors: and 50 more problems",
	} {
		code, out, errOut := runCLI(t, in, "check", "--answers", "-")
		if code != 2 || out != "" || !strings.Contains(errOut, want) {
			t.Errorf("%.80q: exit %d, %q, want %q", in, code, errOut, want)
		}
	}
}

func TestCheckRefusesVersionOne(t *testing.T) {
	v1 := `{"version":1,"regions":["back_of_neck"],"duration_days":3,"onset":"gradual","pain_now":2,"symptoms":{"pain_spreads_to_arm_or_jaw":false}}`
	code, out, errOut := runCLI(t, v1, "check", "--answers", "-", "--format", "json")
	if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "version: ") || !strings.Contains(errOut, "version 2") {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and a message on version", code, out, errOut)
	}
}

func TestCheckAsksQuestionsInTheTerminal(t *testing.T) {
	// Step 1: age 35, regions 2 and 4, side skipped. Step 2: a bad then a
	// good duration, onset 1 (gradual), pain 5, the optional ones skipped.
	// Steps 3 and 4: none of these. Steps 5 and 6: skip everything.
	input := strings.Join([]string{
		"35", "2 4", "",
		"abc", "12", "1", "5", "", "", "", "", "",
		"0",
		"0",
		"", "",
		"", "", "", "", "", "", "", "", "", "", "",
	}, "\n") + "\n"
	code, out, errOut := runCLI(t, input, "check")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	if !strings.Contains(out, "Please type a whole number from 0 to 3650.") {
		t.Error("a bad answer was not asked again")
	}
	if !strings.Contains(out, "SELF-CARE") {
		t.Errorf("no result in output:\n%s", out)
	}
}

func TestCheckInTheTerminalUnder12ExitsTwo(t *testing.T) {
	code, out, errOut := runCLI(t, "9\n", "check")
	if code != 2 || !strings.Contains(errOut, "age: "+care.TooYoung) || strings.Contains(out, care.RegionsPrompt) {
		t.Errorf("age 9: exit %d, stderr %q", code, errOut)
	}
}

func TestCheckInputEndingEarlyExitsTwo(t *testing.T) {
	code, _, errOut := runCLI(t, "40\n", "check")
	if code != 2 || !strings.Contains(errOut, "nothing was assessed") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestExercisesJSONListsTheContractIDs(t *testing.T) {
	code, out, errOut := runCLI(t, "", "exercises", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var list []struct{ ID, Name, Kind string }
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, e := range list {
		kinds[e.ID] = e.Kind
	}
	for id, kind := range map[string]string{"chin_tuck": "mobility", "doorway_chest_stretch": "stretch",
		"wall_angel": "strength", "tennis_ball_release": "massage", "cold_pack": "modality",
		"deep_breathing": "relaxation", "brisk_walk": "aerobic"} {
		if kinds[id] != kind {
			t.Errorf("%s: kind %q, want %q", id, kinds[id], kind)
		}
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"nonsense"}, {"check", "--format", "xml"}, {"check", "--bogus"}, {"backup"}, {"exercises", "extra"}} {
		if code, _, _ := runCLI(t, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "unknot serve") {
		t.Errorf("help: exit %d", code)
	}
}

func TestCheckEmergencyTextPutsTheCallFirst(t *testing.T) {
	answers := `{"version":2,"age":33,"regions":["back_of_neck"],"duration_days":1,"onset":"gradual","pain_now":3,"symptoms":{"stiff_neck_with_fever":true}}`
	code, out, errOut := runCLI(t, answers, "check", "--answers", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(strings.TrimSpace(out), "=") || !strings.Contains(strings.SplitN(out, "\n", 3)[1], "EMERGENCY") {
		t.Errorf("the emergency is not the first thing said:\n%s", out)
	}
	for _, unwanted := range []string{"Relief right now", "Kind of knot", "kind of knot"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("an emergency result also says %q:\n%s", unwanted, out)
		}
	}
}
