package web

import (
	"errors"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"unknot/internal/care"
	"unknot/internal/valid"
)

// The questionnaire page: every step is in the page, one of them shown.
// With JavaScript, check.js shows one step at a time and checks it before
// the next; without it, each step is posted and the server shows the next
// (check.go). Both check a step with the same rules, in care's words.

// checkPage is the data of the questionnaire page.
type checkPage struct {
	Form url.Values
	// Step is the step shown (1-based); the others are in the page, hidden.
	Step int
	// Errors are the problems of the shown step.
	Errors valid.Errors
	// TooYoung shows the guidance for children instead of the form.
	TooYoung bool
}

// Has reports whether the form holds value for field, to re-check boxes.
func (p checkPage) Has(field, value string) bool { return slices.Contains(p.Form[field], value) }

// stepView is one step of the questionnaire.
type stepView struct {
	N     int
	Title string
	Shown bool
	Last  bool
}

// Symptoms, Conditions and Days tell the steps apart that ask more than
// care.Questions.
func (v stepView) Symptoms() bool   { return v.N == care.StepSymptoms }
func (v stepView) Conditions() bool { return v.N == care.StepConditions }
func (v stepView) Days() bool       { return v.N == care.StepDays }

// Steps lists the questionnaire's steps in order.
func (p checkPage) Steps() []stepView {
	out := make([]stepView, len(care.Steps))
	for i, title := range care.Steps {
		out[i] = stepView{N: i + 1, Title: title, Shown: i+1 == p.Step, Last: i == len(care.Steps)-1}
	}
	return out
}

// Questions returns the questions of a step, in care's order.
func (p checkPage) Questions(step int) []fieldView {
	var out []fieldView
	for _, q := range care.Questions {
		if q.Step == step {
			out = append(out, fieldView{
				Q:      q,
				Values: p.Form[q.Field],
				Error:  p.errorFor(q.Field),
				Unit:   p.Form.Get("duration_unit"),
				Rule:   fieldRules[q.Field],
			})
		}
	}
	return out
}

// Regions is the body map's question, asked right after the age.
func (p checkPage) Regions() fieldView {
	return fieldView{
		Q:      care.Question{Field: "regions", Step: care.StepWhere, Prompt: care.RegionsPrompt, Kind: care.Many, Choices: care.Regions, Required: true},
		Values: p.Form["regions"],
		Error:  p.errorFor("regions"),
		Rule:   fieldRules["regions"],
	}
}

// triedView is one remedy of "what have you tried?" with how it helped.
type triedView struct {
	Name, Label string
	Options     []optionView
}

// optionView is one option of a select.
type optionView struct {
	Value, Label string
	Selected     bool
}

// TriedPrompt asks what was tried; Tried lists the remedies.
func (p checkPage) TriedPrompt() string { return care.TriedPrompt }

func (p checkPage) Tried() []triedView {
	out := make([]triedView, len(care.Remedies))
	for i, r := range care.Remedies {
		name := "tried." + r.Value
		options := make([]optionView, len(care.Helped))
		for j, h := range care.Helped {
			options[j] = optionView{Value: h.Value, Label: h.Label, Selected: p.Form.Get(name) == h.Value}
		}
		out[i] = triedView{Name: name, Label: r.Label, Options: options}
	}
	return out
}

// TooYoungSays is the guidance for a child, in care's words.
func (p checkPage) TooYoungSays() string { return sentence(care.TooYoung) }

// boxView is one yes-or-no box of the warning signs or the health
// background.
type boxView struct {
	Name, Label string
	Checked     bool
}

// groupView is one group of warning signs.
type groupView struct {
	Title string
	Items []boxView
}

func (p checkPage) boxes(prefix string, choices []care.Choice) []boxView {
	out := make([]boxView, len(choices))
	for i, c := range choices {
		out[i] = boxView{Name: prefix + c.Value, Label: c.Label, Checked: p.Has(prefix+c.Value, "yes")}
	}
	return out
}

// Confirm is a step of yes-or-no boxes: the warning signs in their groups,
// or the health background, with its "None of these apply to me" box.
func (p checkPage) Confirm(step int) confirmView {
	for _, c := range confirms {
		if c.Step != step {
			continue
		}
		v := confirmView{
			confirm: c,
			Label:   care.NoneOfThese,
			Checked: p.Has(c.None, "yes"),
			Error:   p.errorFor(c.Field),
			Rule:    fieldRule{Label: care.Steps[step-1], Missing: confirmMissing},
		}
		if step == care.StepSymptoms {
			for _, g := range care.SymptomGroups {
				v.Groups = append(v.Groups, groupView{Title: g.Title, Items: p.boxes("symptoms.", g.Items)})
			}
		} else {
			v.Boxes = p.boxes("conditions.", care.ConditionQuestions)
		}
		return v
	}
	return confirmView{}
}

// confirmView is a step of yes-or-no boxes: in groups (Groups) or not
// (Boxes), and the box that says none of them applies.
type confirmView struct {
	confirm
	Groups  []groupView
	Boxes   []boxView
	Label   string // of the "none" box
	Checked bool   // the "none" box
	Error   string
	Rule    fieldRule
}

// problemView is one line of the error summary, linking to its field.
type problemView struct {
	Href, Text string
}

// Problems lists the shown step's problems for the summary at the top, at
// most valid.MaxShown and a last line, linking to the first, that says how
// many more there are.
func (p checkPage) Problems() []problemView {
	shown := p.Errors.Capped()
	out := make([]problemView, len(shown))
	for i, e := range shown {
		if i == valid.MaxShown {
			out[i] = problemView{Href: out[0].Href, Text: sentence(e.Message)}
			break
		}
		field := baseField(e.Field)
		label := fieldRules[field].Label
		for _, c := range confirms {
			if c.Field == field {
				label = care.Steps[c.Step-1]
			}
		}
		if label == "" {
			label = care.Label(field)
		}
		out[i] = problemView{Href: "#f-" + field, Text: sentence(label + ": " + e.Message)}
	}
	return out
}

// errorFor returns, as a sentence, the first problem with field or with an
// entry of it ("regions[2]" belongs to "regions").
func (p checkPage) errorFor(field string) string {
	for _, e := range p.Errors {
		if baseField(e.Field) == field {
			return sentence(e.Message)
		}
	}
	return ""
}

// baseField is the form field an answer path belongs to: "regions" for
// "regions[2]", "tried" for "tried[0].helped".
func baseField(path string) string {
	field, _, _ := strings.Cut(path, "[")
	return field
}

// sentence starts message with a capital letter and ends it with a full
// stop, to show it on its own.
func sentence(message string) string {
	r, n := utf8.DecodeRuneInString(message)
	message = string(unicode.ToUpper(r)) + message[n:]
	if !strings.HasSuffix(message, ".") {
		message += "."
	}
	return message
}

// fieldView is one question of the form with what the person entered, the
// problem with it, if any, and the rule check.js applies to it.
type fieldView struct {
	Q      care.Question
	Values []string
	Error  string
	Unit   string // of duration_days: days, weeks or months
	Rule   fieldRule
}

// Value is the first value entered.
func (f fieldView) Value() string {
	if len(f.Values) == 0 {
		return ""
	}
	return f.Values[0]
}

// Has reports whether value was entered, to re-check a box or radio.
func (f fieldView) Has(value string) bool { return slices.Contains(f.Values, value) }

// ID is the element id of the question, the target of error links.
func (f fieldView) ID() string { return "f-" + f.Q.Field }

// Scale reports whether the question is a 0–10 rating, asked with eleven
// buttons rather than a text box.
func (f fieldView) Scale() bool { return f.Q.Kind == care.Int && f.Q.Min == 0 && f.Q.Max == 10 }

// Text reports whether the question is a number typed in a box.
func (f fieldView) Text() bool {
	return (f.Q.Kind == care.Int || f.Q.Kind == care.Number) && !f.Scale()
}

// Described lists the ids of the hint and the error that describe the
// question, for aria-describedby.
func (f fieldView) Described() string {
	var ids []string
	if f.Q.Hint != "" {
		ids = append(ids, "h-"+f.Q.Field)
	}
	if f.Error != "" {
		ids = append(ids, "e-"+f.Q.Field)
	}
	return strings.Join(ids, " ")
}

// Young reports whether the question is the age, under whose minimum the
// page shows the guidance for children instead of an error.
func (f fieldView) Young() bool { return f.Q.Field == "age" }

// fieldRule is what check.js checks of one answer before a step moves on,
// with the words to show.
type fieldRule struct {
	Label   string // the answer's name in the error summary
	Missing string // a required answer left out
	NaN     string // a number box holding something else
	Range   string // a number outside the question's Min..Max
}

// fieldRules holds the rule of every question that can be answered wrongly
// on the page. The messages are care's own, found once by asking
// care.FromForm about a form that is right but for that one answer: so the
// page says the same with and without JavaScript, and no message is
// written twice.
var fieldRules = findRules()

func findRules() map[string]fieldRule {
	right := url.Values{"regions": {care.Regions[0].Value}}
	for _, q := range care.Questions {
		switch {
		case !q.Required:
		case q.Kind == care.One:
			right.Set(q.Field, q.Choices[0].Value)
		default:
			right.Set(q.Field, strconv.Itoa(q.Min))
		}
	}
	problem := func(field, value string) string {
		form := maps.Clone(right)
		form.Set(field, value)
		_, err := care.FromForm(form)
		var errs valid.Errors
		errors.As(err, &errs)
		return errs.For(field)
	}
	rules := map[string]fieldRule{"regions": {Label: care.Label("regions"), Missing: problem("regions", "")}}
	for _, q := range care.Questions {
		r := fieldRule{Label: care.Label(q.Field)}
		if q.Required {
			r.Missing = problem(q.Field, "")
		}
		if q.Kind == care.Int || q.Kind == care.Number {
			r.NaN = problem(q.Field, "x")
			r.Range = problem(q.Field, strconv.Itoa(q.Max+1))
		}
		rules[q.Field] = r
	}
	return rules
}

// confirm is a step of yes-or-no boxes where ticking none must be
// confirmed with a box of its own, so that a skipped step is never read as
// "no to everything".
type confirm struct {
	Step         int
	Field        string // the prefix of the step's boxes, and the problem's field
	None         string // the name of the "none of these" box
	Prompt, Hint string
}

var confirms = []confirm{
	{Step: care.StepSymptoms, Field: "symptoms", None: "symptoms_none", Prompt: care.SymptomsPrompt, Hint: care.SymptomsHint},
	{Step: care.StepConditions, Field: "conditions", None: "conditions_none", Prompt: care.ConditionsPrompt, Hint: care.ConditionsHint},
}

// confirmMissing is the problem of a step of boxes left empty.
const confirmMissing = "tick each one that applies, or “" + care.NoneOfThese + "”"

// confirmProblems reports the steps of boxes answered with neither a box
// nor "none of these". A box ticked beside "none of these" (possible only
// without JavaScript) counts as ticked: a warning sign is never dropped.
func confirmProblems(form url.Values) valid.Errors {
	var errs valid.Errors
	for _, c := range confirms {
		answered := form.Get(c.None) == "yes"
		for name := range form {
			if strings.HasPrefix(name, c.Field+".") && form.Get(name) != "" {
				answered = true
			}
		}
		if !answered {
			errs.Add(c.Field, confirmMissing)
		}
	}
	return errs
}

// stepOf returns the step that asks the answer at path; an answer no step
// asks belongs to the first, so that its problem is shown, not lost.
func stepOf(path string) int {
	field := baseField(path)
	switch {
	case field == "regions":
		return care.StepWhere
	case strings.HasPrefix(field, "symptoms"):
		return care.StepSymptoms
	case strings.HasPrefix(field, "conditions"):
		return care.StepConditions
	case strings.HasPrefix(field, "tried"):
		return care.StepDays
	}
	for _, q := range care.Questions {
		if q.Field == field {
			return q.Step
		}
	}
	return care.StepWhere
}

// firstProblem returns the first step up to upTo with a problem among errs,
// and that step's problems; 0 and nil when steps 1 to upTo are fine.
func firstProblem(errs valid.Errors, upTo int) (int, valid.Errors) {
	step := 0
	for _, e := range errs {
		if n := stepOf(e.Field); n <= upTo && (step == 0 || n < step) {
			step = n
		}
	}
	var out valid.Errors
	for _, e := range errs {
		if step != 0 && stepOf(e.Field) == step {
			out = append(out, e)
		}
	}
	return step, out
}

// formFields are the names the questionnaire posts; anything else posted is
// not kept in a draft.
var formFields = func() map[string]bool {
	names := map[string]bool{"regions": true, "duration_unit": true}
	for _, q := range care.Questions {
		names[q.Field] = true
	}
	for _, g := range care.SymptomGroups {
		for _, c := range g.Items {
			names["symptoms."+c.Value] = true
		}
	}
	for _, c := range care.ConditionQuestions {
		names["conditions."+c.Value] = true
	}
	for _, r := range care.Remedies {
		names["tried."+r.Value] = true
	}
	for _, c := range confirms {
		names[c.None] = true
	}
	return names
}()

// questionnaire keeps the questionnaire's answers of a posted form.
func questionnaire(posted url.Values) url.Values {
	form := url.Values{}
	for name, values := range posted {
		if formFields[name] {
			form[name] = values
		}
	}
	return form
}
