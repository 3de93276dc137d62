// Package urgency holds what every output of a self-check result (the
// page, the terminal and the PDFs) shows alike for its urgency level: the
// emergency numbers to call, what to do while waiting for help, the
// warning signs that call for help at once, which reasons stand beside the
// level's instruction, and the warning on a result whose questions missed
// warning signs. The words of each level are care.LevelOf's. It does no
// I/O.
package urgency

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"unknot/internal/care"
	"unknot/internal/library"
)

// OutdatedSays warns that a result was saved under an earlier version of
// the self-check (care.Result.Outdated), whose questions missed warning
// signs.
const OutdatedSays = "This plan was made with an earlier version of the self-check, which did not ask about some warning signs. " +
	"Please take the self-check again for an up-to-date result and plan."

// Number is an emergency telephone number and where it is answered.
type Number struct {
	Digits string // what to dial: digits only
	Where  string // the countries it serves, in a few words; empty when not known
}

// Numbers are the emergency numbers a deployment shows, in the order given.
type Numbers []Number

// known are the emergency numbers whose countries the outputs can name.
var known = Numbers{
	{"911", "US and Canada"},
	{"112", "Europe and many other countries"},
	{"999", "UK and Ireland"},
}

// DefaultNumbers are shown when a deployment sets none: the numbers of
// North America, Europe and the UK and Ireland; 112 also works from mobile
// phones in many other countries.
func DefaultNumbers() Numbers { return slices.Clone(known) }

// maxDigits is the longest telephone number there is (ITU-T E.164).
const maxDigits = 15

// ParseNumbers reads a deployment's emergency numbers from a list such as
// "911" or "112,999": digits only, separated by commas, each once. Numbers
// that the outputs know (911, 112, 999) keep the countries they serve.
func ParseNumbers(list string) (Numbers, error) {
	var out Numbers
	for field := range strings.SplitSeq(list, ",") {
		n := Number{Digits: strings.TrimSpace(field)}
		if i := slices.IndexFunc(known, func(k Number) bool { return k.Digits == n.Digits }); i >= 0 {
			n.Where = known[i].Where
		}
		out = append(out, n)
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}

// Validate reports the first problem with ns: none at all, a number that
// is not digits only (it becomes a tel: link), or one listed twice.
func (ns Numbers) Validate() error {
	if len(ns) == 0 {
		return errors.New("no emergency number is given")
	}
	for i, n := range ns {
		switch {
		case n.Digits == "":
			return errors.New("an emergency number is empty; give digits separated by commas, such as 112,999")
		case len(n.Digits) > maxDigits || strings.Trim(n.Digits, "0123456789") != "":
			return fmt.Errorf("%q is not a telephone number: use digits only, at most %d", n.Digits, maxDigits)
		case slices.ContainsFunc(ns[:i], func(m Number) bool { return m.Digits == n.Digits }):
			return fmt.Errorf("%s is listed twice", n.Digits)
		}
	}
	return nil
}

// String says the numbers for plain text: "911 (US and Canada), 112
// (Europe and many other countries) or 999 (UK and Ireland)".
func (ns Numbers) String() string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.Digits
		if n.Where != "" {
			parts[i] += " (" + n.Where + ")"
		}
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// List is a titled list that every output shows alike.
type List struct {
	Title string
	Items []string
}

// waitCategory is the library's category of advice on what to do while
// waiting for help.
const waitCategory = "emergency"

// WhileWaiting is what to do while waiting for help after calling
// emergency services: the library's advice of that category, in the
// library's order.
func WhileWaiting(lib *library.Library) List {
	l := List{Title: "While you wait for help"}
	for _, a := range lib.Advice {
		if a.Category == waitCategory {
			l.Items = append(l.Items, a.Says)
		}
	}
	return l
}

// EmergencySigns are the warning signs of every emergency rule, in the
// library's words, for lists that tell a person when to call at once:
// taken from the rules, they cannot drift from them.
func EmergencySigns(lib *library.Library) []string {
	signs, _ := lib.SignsAt(care.Emergency)
	return signs
}

// Reasons are the reasons that an output of r shows in full as why. For
// an emergency or an urgent result these are the rules of that level
// only: a lower rule says what to do at its own level (book a
// professional; home care may go on), which must not stand beside the
// instruction, and the knot's type, heat or cold and causes matter only
// once a doctor has seen the person. For home care they are every reason.
// A rule's level is the library's.
func Reasons(lib *library.Library, r care.Result) []care.Reason {
	if care.Rank(r.Urgency) < care.Rank(care.Urgent) {
		return r.Reasons
	}
	var out []care.Reason
	for _, reason := range r.Reasons {
		if rule, ok := lib.Rule(reason.Code); ok && rule.Urgency == r.Urgency {
			out = append(out, reason)
		}
	}
	return out
}

// AlsoFound names, for an urgent result, the lower rules that fired too,
// each by its warning signs in the library's words (the library holds at
// least one sign for every rule), so that the person can
// tell the doctor without being told to book or to go on with home care.
// An emergency speaks of the emergency only, and home care shows every
// reason in full: for them it has no items.
func AlsoFound(lib *library.Library, r care.Result) List {
	l := List{Title: "Also tell the doctor about"}
	if r.Urgency != care.Urgent {
		return l
	}
	for _, reason := range r.Reasons {
		if rule, ok := lib.Rule(reason.Code); ok && care.Rank(rule.Urgency) < care.Rank(care.Urgent) {
			signs := strings.Join(rule.Signs, " or ")
			l.Items = append(l.Items, strings.ToUpper(signs[:1])+signs[1:])
		}
	}
	return l
}
