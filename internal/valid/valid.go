// Package valid reports bad input as a list of problems, each naming the
// field it concerns, in the shape every input of unknot answers with
// (`{"errors":[{"field":…,"message":…}]}` for the API, one line per problem
// for the CLI, the form shown again with its errors for pages).
package valid

import (
	"strconv"
	"strings"
)

// Error is one problem with one field. Field is the answer path, such as
// "habits.desk_hours" or "regions[2]".
type Error struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e Error) Error() string { return e.Field + ": " + e.Message }

// Errors is a list of problems; a nil or empty list means the input is valid.
type Errors []Error

// Add appends a problem with field.
func (es *Errors) Add(field, message string) {
	*es = append(*es, Error{Field: field, Message: message})
}

// Err returns es as an error, or nil when there is no problem.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// MaxShown is how many problems an answer lists at most. A body of a few
// kilobytes can hold thousands of wrong list items; the person fixes the
// first ones and sends again, so an answer that grows with the input only
// costs bandwidth and hides the first problem's link in a wall of text.
const MaxShown = 50

// Capped returns es when it has at most MaxShown problems; otherwise the first
// MaxShown and one more line saying how many were left out (field "errors").
// Every answer that lists problems (the API's JSON, the CLI's lines, the
// pages' lists) shows es.Capped().
func (es Errors) Capped() Errors {
	if len(es) <= MaxShown {
		return es
	}
	out := make(Errors, MaxShown, MaxShown+1)
	copy(out, es)
	more := len(es) - MaxShown
	word := "problems"
	if more == 1 {
		word = "problem"
	}
	return append(out, Error{Field: "errors", Message: "and " + strconv.Itoa(more) + " more " + word})
}

// Error lists the problems, one per line, capped as Capped says.
func (es Errors) Error() string {
	shown := es.Capped()
	lines := make([]string, len(shown))
	for i, e := range shown {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// For returns the message of the first problem with field, or "".
func (es Errors) For(field string) string {
	for _, e := range es {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}
