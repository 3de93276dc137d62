package staff

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is what an account may do on the staff desk. An account holds one
// or more (Roles).
type Role string

// The roles of DESIGN.md's "Roles on the clinic's side".
const (
	// Admin runs the clinic: setup, accounts, invitations, the audit
	// log, and the reading side. Their replies say "the clinic".
	Admin Role = "admin"
	// Therapist treats the clinic's clients: their own bookings, hours,
	// shared self-checks, notes and home programs.
	Therapist Role = "therapist"
	// Coach answers and moderates the reading side (articles, comments,
	// feedback, subscribers); their replies say "unknot coach". Accounts
	// with the former role "staff" became coaches (migration 00400).
	Coach Role = "coach"
)

// AllRoles lists every role, in the order pages and messages name them.
var AllRoles = []Role{Admin, Therapist, Coach}

// ParseRole returns the role called s (any case, spaces around ignored).
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(AllRoles, r) {
		return "", fmt.Errorf("%q is not a role: must be admin, therapist or coach", s)
	}
	return r, nil
}

// Roles is the set of roles an account holds, sorted as AllRoles and
// without repeats.
type Roles []Role

// ParseRoles reads roles given as a list whose items may each be a comma
// list ("admin,therapist"), as repeated CLI flags and form values arrive.
// At least one role is needed; a repeated one counts once.
func ParseRoles(list []string) (Roles, error) {
	var rs Roles
	for _, item := range list {
		for _, s := range strings.Split(item, ",") {
			r, err := ParseRole(s)
			if err != nil {
				return nil, err
			}
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return nil, errors.New("at least one role is needed: admin, therapist or coach")
	}
	return NewRoles(rs...), nil
}

// NewRoles returns the set of rs in AllRoles' order, without repeats.
func NewRoles(rs ...Role) Roles {
	var out Roles
	for _, r := range AllRoles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

// Has reports whether the set holds r.
func (rs Roles) Has(r Role) bool { return slices.Contains(rs, r) }

// String lists the roles with commas, as the CLI takes them.
func (rs Roles) String() string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = string(r)
	}
	return strings.Join(parts, ",")
}

// ReplyRole is the role a reply to a comment by an account with rs is
// published under: "the clinic" outranks "unknot coach"; "" when rs may
// not answer comments.
func (rs Roles) ReplyRole() Role {
	switch {
	case rs.Has(Admin):
		return Admin
	case rs.Has(Coach):
		return Coach
	}
	return ""
}

// Badge is how a reply by someone with role is marked in public, or "" for
// a visitor.
func Badge(role string) string {
	switch Role(role) {
	case Coach:
		return "unknot coach"
	case Admin:
		return "the clinic"
	}
	return ""
}
