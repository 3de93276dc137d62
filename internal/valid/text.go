package valid

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// TextProblem returns what is wrong with free text of at most max runes,
// or "". Line breaks and tabs are allowed; other control characters are
// not. The diary's notes and a home program's notes share it.
func TextProblem(s string, max int) string {
	if !utf8.ValidString(s) {
		return "must be valid UTF-8 text"
	}
	if utf8.RuneCountInString(s) > max {
		return "must be at most " + strconv.Itoa(max) + " characters"
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return "must not contain control characters"
		}
	}
	return ""
}
