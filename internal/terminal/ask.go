// Package terminal runs the self-check and the plan in a text terminal: it
// asks the questionnaire with numbered choices and writes results for a
// person to read.
package terminal

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"

	"unknot/internal/care"
	"unknot/internal/valid"
)

// ErrInputEnded is returned when the input closes before the questionnaire
// is finished.
var ErrInputEnded = errors.New("input ended before the questionnaire was finished")

// asker reads one answer at a time and re-asks until the answer is usable.
type asker struct {
	in  *bufio.Scanner
	out io.Writer
}

// Ask asks the whole questionnaire, step by step in the order the page
// asks it, and returns the Answers. Bad answers are explained and asked
// again; nothing is guessed. An age under care.MinAge ends it at once with
// care.TooYoung, as a valid.Errors on age: the check is not made for
// children.
func Ask(in io.Reader, out io.Writer) (care.Answers, error) {
	a := &asker{in: bufio.NewScanner(in), out: out}
	v := url.Values{}
	fmt.Fprintln(out, "unknot self-check: a few questions about your neck or upper back.")
	fmt.Fprintln(out, "Type the number of your answer and press Enter. Press Enter alone to skip a question marked (optional).")
	fmt.Fprintln(out, "This is not medical advice. In an emergency, call your local emergency number (911, 112, 999) now.")

	for i, title := range care.Steps {
		step := i + 1
		fmt.Fprintf(out, "\n== Step %d of %d: %s ==\n", step, len(care.Steps), title)
		var err error
		switch step {
		case care.StepSymptoms:
			err = a.boxes(v, "symptoms.", care.SymptomsPrompt, care.SymptomsHint, care.SymptomGroups)
		case care.StepConditions:
			err = a.boxes(v, "conditions.", care.ConditionsPrompt, care.ConditionsHint, []care.SymptomGroup{{Items: care.ConditionQuestions}})
		}
		if err != nil {
			return care.Answers{}, err
		}
		for _, q := range care.Questions {
			if q.Step != step || q.Field == "injury.dangerous_mechanism" && v.Get("onset") != "after_injury" {
				continue
			}
			if err := a.question(v, q); err != nil {
				return care.Answers{}, err
			}
			if q.Field != "age" {
				continue
			}
			if age, _ := strconv.ParseFloat(v.Get("age"), 64); age < care.MinAge {
				return care.Answers{}, valid.Errors{{Field: "age", Message: care.TooYoung}}
			}
			// The body map's question comes right after the age, as on the page.
			if err := a.many(v, "regions", care.RegionsPrompt, care.Regions, true); err != nil {
				return care.Answers{}, err
			}
		}
		if step == care.StepDays {
			if err := a.tried(v); err != nil {
				return care.Answers{}, err
			}
		}
	}
	answers, err := care.FromForm(v)
	if err != nil {
		return care.Answers{}, fmt.Errorf("checking answers: %w", err)
	}
	return answers, nil
}

// line reads one trimmed line.
func (a *asker) line() (string, error) {
	fmt.Fprint(a.out, "> ")
	if !a.in.Scan() {
		if err := a.in.Err(); err != nil {
			return "", fmt.Errorf("reading answer: %w", err)
		}
		return "", ErrInputEnded
	}
	return strings.TrimSpace(a.in.Text()), nil
}

func (a *asker) prompt(text string, required bool) {
	if !required {
		text += " (optional)"
	}
	fmt.Fprintf(a.out, "\n%s\n", text)
}

func (a *asker) question(v url.Values, q care.Question) error {
	switch q.Kind {
	case care.One:
		return a.one(v, q.Field, q.Prompt, q.Choices, q.Required)
	case care.Many:
		return a.many(v, q.Field, q.Prompt, q.Choices, q.Required)
	case care.Bool:
		return a.one(v, q.Field, q.Prompt, []care.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}, q.Required)
	default:
		return a.number(v, q)
	}
}

func listChoices(w io.Writer, choices []care.Choice) {
	for i, c := range choices {
		fmt.Fprintf(w, "  %d. %s\n", i+1, c.Label)
	}
}

// one asks for exactly one numbered choice.
func (a *asker) one(v url.Values, field, text string, choices []care.Choice, required bool) error {
	a.prompt(text, required)
	listChoices(a.out, choices)
	for {
		s, err := a.line()
		if err != nil {
			return err
		}
		if s == "" && !required {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err == nil && n >= 1 && n <= len(choices) {
			v.Set(field, choices[n-1].Value)
			return nil
		}
		fmt.Fprintf(a.out, "Please type a number from 1 to %d.\n", len(choices))
	}
}

// many asks for any number of numbered choices, separated by spaces or commas.
func (a *asker) many(v url.Values, field, text string, choices []care.Choice, required bool) error {
	a.prompt(text, required)
	listChoices(a.out, choices)
	fmt.Fprintln(a.out, "Type the numbers that apply, separated by spaces.")
	for {
		s, err := a.line()
		if err != nil {
			return err
		}
		if s == "" && !required {
			return nil
		}
		picked, ok := pickNumbers(s, len(choices))
		if ok && len(picked) > 0 {
			v.Del(field)
			for _, n := range picked {
				v.Add(field, choices[n-1].Value)
			}
			return nil
		}
		fmt.Fprintf(a.out, "Please type one or more numbers from 1 to %d, like: 1 3\n", len(choices))
	}
}

// pickNumbers parses "1 3, 4" into distinct numbers within 1..max.
func pickNumbers(s string, max int) ([]int, bool) {
	seen := map[int]bool{}
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > max {
			return nil, false
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, true
}

// number asks for a number within the question's range. A whole age
// below it is taken too: Ask answers it with care.TooYoung.
func (a *asker) number(v url.Values, q care.Question) error {
	text := q.Prompt
	if q.Hint != "" {
		text += "\n" + q.Hint
	}
	a.prompt(text, q.Required)
	for {
		s, err := a.line()
		if err != nil {
			return err
		}
		if s == "" && !q.Required {
			return nil
		}
		f, err := strconv.ParseFloat(s, 64)
		whole := q.Kind == care.Int
		young := q.Field == "age" && f < float64(q.Min)
		if err == nil && (f >= float64(q.Min) || young) && f <= float64(q.Max) && (!whole || f == math.Trunc(f)) {
			v.Set(q.Field, s)
			return nil
		}
		kind := "a number"
		if whole {
			kind = "a whole number"
		}
		fmt.Fprintf(a.out, "Please type %s from %d to %d.\n", kind, q.Min, q.Max)
	}
}

// boxes asks a list of yes-or-no questions at once, numbered across its
// groups (with their titles, if any), with 0 for care.NoneOfThese: the
// answer must be some numbers or 0, never nothing, so that a skipped list
// is not read as "no". Each number picked sets prefix+value to yes.
func (a *asker) boxes(v url.Values, prefix, prompt, hint string, groups []care.SymptomGroup) error {
	a.prompt(prompt+"\n"+hint, true)
	var all []care.Choice
	for _, g := range groups {
		if g.Title != "" {
			fmt.Fprintln(a.out, g.Title)
		}
		for _, c := range g.Items {
			all = append(all, c)
			fmt.Fprintf(a.out, "  %d. %s\n", len(all), c.Label)
		}
	}
	fmt.Fprintf(a.out, "  0. %s\n", care.NoneOfThese)
	fmt.Fprintln(a.out, "Type the numbers that apply, separated by spaces, or 0 if none of these apply.")
	for {
		s, err := a.line()
		if err != nil {
			return err
		}
		if s == "0" {
			return nil
		}
		picked, ok := pickNumbers(s, len(all))
		if ok && len(picked) > 0 {
			for _, n := range picked {
				v.Set(prefix+all[n-1].Value, "yes")
			}
			return nil
		}
		fmt.Fprintf(a.out, "Please type numbers from 1 to %d, or 0 if none of these apply.\n", len(all))
	}
}

// tried asks what was tried, then whether each helped.
func (a *asker) tried(v url.Values) error {
	if err := a.many(v, "tried", care.TriedPrompt, care.Remedies, false); err != nil {
		return err
	}
	helped := care.Helped[1:] // "not tried" is not a choice once it was tried
	for _, what := range v["tried"] {
		label := what
		for _, r := range care.Remedies {
			if r.Value == what {
				label = r.Label
			}
		}
		if err := a.one(v, "tried."+what, "Did "+strings.ToLower(label)+" help?", helped, true); err != nil {
			return err
		}
	}
	v.Del("tried")
	return nil
}
