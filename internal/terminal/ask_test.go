package terminal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"unknot/internal/care"
	"unknot/internal/valid"
)

// script answers the questionnaire in the page's order: age, the body map,
// the rest of each step's questions, the warning signs at the start of
// their step, the health background, what was tried at the end. answers
// gives the lines typed for a field (several when the first are refused);
// optional questions not in it are skipped with an empty line. It returns
// the input and the prompts in the order they must appear.
func script(answers map[string][]string) (string, []string) {
	var lines, prompts []string
	say := func(field, prompt string) {
		prompts = append(prompts, prompt)
		if a, ok := answers[field]; ok {
			lines = append(lines, a...)
		} else {
			lines = append(lines, "")
		}
	}
	for i := range care.Steps {
		step := i + 1
		switch step {
		case care.StepSymptoms:
			say("symptoms", care.SymptomsPrompt)
		case care.StepConditions:
			say("conditions", care.ConditionsPrompt)
		}
		for _, q := range care.Questions {
			if q.Step != step || q.Field == "injury.dangerous_mechanism" {
				continue
			}
			say(q.Field, q.Prompt)
			if q.Field == "age" {
				say("regions", care.RegionsPrompt)
			}
		}
		if step == care.StepDays {
			say("tried", care.TriedPrompt)
		}
	}
	return strings.Join(lines, "\n") + "\n", prompts
}

func TestAskFollowsThePagesOrder(t *testing.T) {
	in, prompts := script(map[string][]string{
		"age":           {"40"},
		"regions":       {"2 4"},
		"duration_days": {"abc", "12"},
		"onset":         {"1"},
		"pain_now":      {"5"},
		"symptoms":      {"", "3"},
		"conditions":    {"1 2 x", "10"},
	})
	var out strings.Builder
	a, err := Ask(strings.NewReader(in), &out)
	if err != nil {
		t.Fatalf("Ask: %v\n%s", err, out.String())
	}
	text := out.String()
	at := 0
	for _, p := range prompts {
		i := strings.Index(text[at:], p)
		if i < 0 {
			t.Fatalf("%q is not asked after the questions before it:\n%s", p, text)
		}
		at += i
	}
	for _, g := range care.SymptomGroups {
		if !strings.Contains(text, "\n"+g.Title+"\n") {
			t.Errorf("the warning signs are not grouped under %q", g.Title)
		}
	}
	for _, want := range []string{"0. " + care.NoneOfThese, "Please type a whole number from 0 to 3650.", "or 0 if none of these apply."} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	signs, _ := json.Marshal(a.Symptoms)
	if a.Age != 40 || strings.Join(a.Regions, " ") != care.Regions[1].Value+" "+care.Regions[3].Value || a.DurationDays != 12 ||
		a.Onset != "gradual" || !a.Conditions.Pregnant || a.Conditions.HistoryOfCancer ||
		!strings.Contains(string(signs), `"`+care.SymptomGroups[0].Items[2].Value+`":true`) {
		t.Errorf("answers %+v", a)
	}
}

func TestAskNoneOfTheseIsAnAnswer(t *testing.T) {
	in, _ := script(map[string][]string{
		"age": {"30"}, "regions": {"1"}, "duration_days": {"3"}, "onset": {"2"}, "pain_now": {"2"},
		"symptoms": {"0"}, "conditions": {"0"},
	})
	a, err := Ask(strings.NewReader(in), new(strings.Builder))
	if err != nil {
		t.Fatal(err)
	}
	if a.Symptoms != (care.Symptoms{}) || a.Conditions != (care.Conditions{}) {
		t.Errorf("“none of these” set something: %+v %+v", a.Symptoms, a.Conditions)
	}
}

func TestAskUnder12EndsKindly(t *testing.T) {
	var out strings.Builder
	_, err := Ask(strings.NewReader("9\n1\n"), &out)
	var errs valid.Errors
	if !errors.As(err, &errs) || errs.For("age") != care.TooYoung {
		t.Fatalf("age 9: %v, want age: %s", err, care.TooYoung)
	}
	if strings.Contains(out.String(), care.RegionsPrompt) {
		t.Error("the questions went on after an age under 12")
	}
}

func TestAskInputEnding(t *testing.T) {
	if _, err := Ask(strings.NewReader("40\n"), new(strings.Builder)); !errors.Is(err, ErrInputEnded) {
		t.Errorf("input ending early: %v, want ErrInputEnded", err)
	}
}
