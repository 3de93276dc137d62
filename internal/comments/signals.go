package comments

import "unicode"

// Signals lists what makes a comment look like spam, in words for the
// moderator: many links, shouting, or a character typed over and over.
// Every visitor comment is held anyway; these help the moderator decide.
func Signals(body string) []string {
	var out []string
	if Links(body) > 2 {
		out = append(out, "many links")
	}
	var letters, upper, run, longest int
	var prev rune
	for _, r := range body {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
		if r == prev && !unicode.IsSpace(r) {
			run++
		} else {
			run, prev = 1, r
		}
		longest = max(longest, run)
	}
	if letters >= 20 && upper*10 > letters*7 {
		out = append(out, "mostly capitals")
	}
	if longest >= 10 {
		out = append(out, "a character repeated many times")
	}
	return out
}
