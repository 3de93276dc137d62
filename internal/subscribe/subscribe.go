// Package subscribe holds the rules of the free report's double opt-in:
// what a sign-up may contain, what happens when an address signs up again,
// how long a confirmation link lasts and how much mail one address may be
// sent. It does no I/O; the store applies these rules inside a transaction.
//
// The rules keep two promises. Nobody is put on the list without a click
// from their own mailbox. And a visitor learns nothing about whether an
// address is already known: every sign-up gets the same answer, and what
// differs (a confirmation, the report again, or nothing when the daily
// limit is reached) only ever reaches the address's own mailbox.
package subscribe

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"unknot/internal/mail"
	"unknot/internal/valid"
)

// State is where a subscriber stands.
type State string

// States of a subscriber.
const (
	Pending      State = "pending"      // signed up, has not clicked the confirmation link yet
	Confirmed    State = "confirmed"    // clicked it: gets the report
	Unsubscribed State = "unsubscribed" // left the list
)

// Action is what a sign-up leads to.
type Action string

// Actions of a sign-up.
const (
	Nothing          Action = "nothing"           // the daily limit for this address is reached
	SendConfirmation Action = "send_confirmation" // ask the address's owner to confirm
	SendReport       Action = "send_report"       // already confirmed: send the report again
)

const (
	// ConfirmWithin is how long a confirmation link works.
	ConfirmWithin = 7 * 24 * time.Hour
	// MailsPerDay is how many sign-up mails (confirmations and reports)
	// one address may be sent in 24 hours, so that nobody can flood
	// somebody else's mailbox through the sign-up form.
	MailsPerDay = 3
	// Day is the window MailsPerDay counts in.
	Day = 24 * time.Hour
)

// SignUpAgain decides what a sign-up does for an address in state (a new
// address is Pending with no mails yet), given how many sign-up mails it
// was sent in the last Day. It returns the action and the state after it.
// An address that left the list starts over as Pending: it must confirm
// again before it gets anything but a confirmation.
func SignUpAgain(state State, mailsToday int) (Action, State) {
	if state == Unsubscribed {
		state = Pending
	}
	if mailsToday >= MailsPerDay {
		return Nothing, state
	}
	if state == Confirmed {
		return SendReport, state
	}
	return SendConfirmation, state
}

// KeepsName reports whether a sign-up may replace the first name stored for
// an address in state. A confirmed subscriber's name is theirs: someone else
// typing their address must not change how their mail greets them.
func KeepsName(state State) bool { return state == Confirmed }

// ConfirmLinkValid reports whether a confirmation link made at made still
// works at now.
func ConfirmLinkValid(made, now time.Time) bool {
	return !now.Before(made) && now.Sub(made) < ConfirmWithin
}

// Form is what a person types into the sign-up box.
type Form struct {
	FirstName string `json:"first_name"`
	Email     string `json:"email"`
	// Website is the honeypot: a field hidden from people that bots fill
	// in. A sign-up with it set gets the usual answer and nothing else.
	Website string `json:"-"`
}

// Bot reports whether the honeypot was filled in.
func (f Form) Bot() bool { return strings.TrimSpace(f.Website) != "" }

// maxFirstName is the longest first name accepted, in characters.
const maxFirstName = 60

// Clean checks f and returns it tidied (spaces trimmed, the address in
// lower case, so that Anna@Example.com and anna@example.com are one
// subscriber with one daily limit), with a problem for each field that is
// not right.
func (f Form) Clean() (Form, valid.Errors) {
	var errs valid.Errors
	f.FirstName = strings.TrimSpace(f.FirstName)
	switch n := utf8.RuneCountInString(f.FirstName); {
	case n == 0:
		errs.Add("first_name", "Please tell us your first name, so that we know how to greet you.")
	case n > maxFirstName:
		errs.Add("first_name", "Please keep your first name under 60 characters.")
	case !utf8.ValidString(f.FirstName) || strings.IndexFunc(f.FirstName, unicode.IsControl) >= 0:
		errs.Add("first_name", "Your first name has characters we cannot use.")
	case looksLikeLink(f.FirstName):
		errs.Add("first_name", "Please give just your first name, without a web address.")
	}
	email, err := mail.ParseAddress(f.Email)
	if err != nil {
		errs.Add("email", "Please check your email address: "+err.Error()+".")
	} else {
		f.Email = strings.ToLower(email)
	}
	return f, errs
}

// looksLikeLink catches names that are web addresses, the usual way spam
// gets a link into a greeting.
func looksLikeLink(s string) bool {
	s = strings.ToLower(s)
	for _, sign := range []string{"://", "www.", ".com", ".net", ".org", ".ru", ".io", "http", "@"} {
		if strings.Contains(s, sign) {
			return true
		}
	}
	return false
}
