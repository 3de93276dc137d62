package web

import (
	"html/template"
	"net/url"
	"strings"

	"unknot/internal/care"
	"unknot/internal/library"
)

// funcs are the helpers templates call.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"exercise": func(id string) *library.Exercise {
			if e, ok := s.lib.Exercise(id); ok {
				return e
			}
			return &library.Exercise{ID: id, Name: words(id)}
		},
		"cause": func(code string) *library.Cause {
			if c, ok := s.lib.Cause(code); ok {
				return c
			}
			return &library.Cause{Code: code, Title: words(code)}
		},
		"styleName": func(id string) string {
			if m, ok := s.lib.MassageStyle(id); ok {
				return m.Name
			}
			return words(id)
		},
		"sourceTitle": func(id string) string {
			if src, ok := s.lib.Source(id); ok {
				return src.Title + " (" + src.Publisher + ")"
			}
			return id
		},
		"answerLabel":   care.Label,
		"linkify":       linkify,
		"isUrgencyRule": care.IsUrgencyRule,
		"isCause":       func(code string) bool { return strings.HasPrefix(code, causePrefix) },
		"causeCode":     func(code string) string { return strings.TrimPrefix(code, causePrefix) },
		"words":         words,
		"questions":     questionsOfStep,
		"steps":         func() []string { return care.Steps },
		"regions":       func() []care.Choice { return care.Regions },
		"symptoms":      func() []care.Choice { return care.SymptomQuestions },
		"remedies":      func() []care.Choice { return care.Remedies },
		"helped":        func() []care.Choice { return care.Helped },
		"add":           func(a, b int) int { return a + b },
		"field":         newFieldView,
		"scale":         func(lo, hi int) []int { return scale(lo, hi) },
	}
}

// causePrefix starts the codes of the reasons that explain a cause.
const causePrefix = "cause_"

// words turns a code such as "trigger_point_therapy" into words.
func words(code string) string { return strings.ReplaceAll(code, "_", " ") }

// questionsOfStep returns the questions asked in a step (1-based).
func questionsOfStep(step int) []care.Question {
	var out []care.Question
	for _, q := range care.Questions {
		if q.Step == step {
			out = append(out, q)
		}
	}
	return out
}

// fieldView is one question of the form with what the person entered and
// the problem with it, if any.
type fieldView struct {
	Q      care.Question
	Values []string
	Error  string
	Form   url.Values
}

func newFieldView(p checkPage, q care.Question) fieldView {
	return fieldView{Q: q, Values: p.Form[q.Field], Error: p.Errors.For(q.Field), Form: p.Form}
}

// Value is the first value entered.
func (f fieldView) Value() string {
	if len(f.Values) == 0 {
		return ""
	}
	return f.Values[0]
}

// Has reports whether value was entered, to re-check a box or radio.
func (f fieldView) Has(value string) bool {
	for _, v := range f.Values {
		if v == value {
			return true
		}
	}
	return false
}

// ID is the element id of the question, the target of error links.
func (f fieldView) ID() string { return "f-" + f.Q.Field }

func scale(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}
