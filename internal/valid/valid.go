// Package valid reports bad input as a list of problems, each naming the
// field it concerns, in the shape every input of unknot answers with
// (`{"errors":[{"field":…,"message":…}]}` for the API, one line per problem
// for the CLI, the form shown again with its errors for pages).
package valid

import "strings"

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

// Error lists every problem, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
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
