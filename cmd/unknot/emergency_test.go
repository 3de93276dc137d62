package main

import (
	"strings"
	"testing"
)

const chestPainAnswers = `{"version":2,"age":58,"regions":["between_shoulder_blades"],"duration_days":1,"onset":"unknown","pain_now":6,"symptoms":{"chest_pain_or_pressure":true}}`

func TestEmergencyNumberFlag(t *testing.T) {
	code, out, errOut := runCLI(t, chestPainAnswers, "check", "--answers", "-")
	if code != 0 || !strings.Contains(out, "Dial 911 (US and Canada), 112 (Europe and many other countries) or 999 (UK and Ireland).") {
		t.Errorf("default numbers: exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv("UNKNOT_EMERGENCY_NUMBER", "999")
	code, out, errOut = runCLI(t, chestPainAnswers, "check", "--answers", "-")
	if code != 0 || !strings.Contains(out, "Dial 999 (UK and Ireland).") || strings.Contains(out, "911") {
		t.Errorf("UNKNOT_EMERGENCY_NUMBER=999: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, chestPainAnswers, "check", "--emergency-number", "112,000", "--answers", "-")
	if code != 0 || !strings.Contains(out, "Dial 112 (Europe and many other countries) or 000.") {
		t.Errorf("--emergency-number 112,000: exit %d\n%s%s", code, out, errOut)
	}
	for _, cmd := range []string{"check", "serve"} {
		code, _, errOut = runCLI(t, "", cmd, "--emergency-number", "11a")
		if code != exitUsage || !strings.HasPrefix(errOut, "--emergency-number: ") {
			t.Errorf("%s --emergency-number 11a: exit %d, %q; want exit 2 naming the flag", cmd, code, errOut)
		}
	}
}
