// Package comments holds the rules for what readers write under an article:
// comments (validation, plain text with safe links, threading, spam signals,
// signed form stamps) and "was this helpful?" answers. It does no I/O; the
// store keeps comments and the web layer serves them.
package comments

import (
	"html/template"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"unknot/internal/mail"
	"unknot/internal/staff"
	"unknot/internal/valid"
)

// Limits on what a visitor may write, in runes.
const (
	MaxName = 60
	MaxBody = 3000
	MaxNote = 500
)

// Status is where a comment stands in moderation.
type Status string

const (
	// Pending comments wait for a moderator and are shown to nobody else.
	Pending Status = "pending"
	// Approved comments are public.
	Approved Status = "approved"
)

// Comment is one comment under an article. Role is empty for a visitor and
// the staff role of the author otherwise. The commenter's email, if any, is
// not part of it: it is used for reply notifications only and never shown.
type Comment struct {
	ID       int64
	Article  string // slug
	ParentID int64  // 0 for a top-level comment
	Name     string
	Body     string // plain text as written
	// HTML is Body as Render made it when the comment was written, so that
	// showing a page of comments renders nothing.
	HTML      template.HTML
	Role      string
	Status    Status
	CreatedAt time.Time
}

// Draft is a comment as a visitor submitted it.
type Draft struct {
	ParentID int64
	Name     string
	Body     string
	// Email is kept only when Notify is set: it is where a reply
	// notification goes, once the address has been confirmed.
	Email  string
	Notify bool
}

// Clean trims d in place and reports every problem, each naming its form
// field. An email given without asking for notifications is dropped, so that
// nothing is stored that is not needed.
func (d *Draft) Clean() valid.Errors {
	var errs valid.Errors
	d.Name = strings.TrimSpace(d.Name)
	d.Body = strings.TrimSpace(strings.ReplaceAll(d.Body, "\r\n", "\n"))
	d.Email = strings.TrimSpace(d.Email)
	if !d.Notify {
		d.Email = ""
	}
	switch n := utf8.RuneCountInString(d.Name); {
	case n == 0:
		errs.Add("name", "please give a name to show with your comment (a first name is fine)")
	case n > MaxName:
		errs.Add("name", "must be at most 60 characters")
	case !printable(d.Name, false):
		errs.Add("name", "must be plain text on one line")
	}
	switch n := utf8.RuneCountInString(d.Body); {
	case n == 0:
		errs.Add("body", "please write your comment")
	case n > MaxBody:
		errs.Add("body", "must be at most 3000 characters; please shorten it a little")
	case !printable(d.Body, true):
		errs.Add("body", "must be plain text")
	}
	if d.Notify {
		switch email, err := mail.ParseAddress(d.Email); {
		case d.Email == "":
			errs.Add("email", "please give the address to tell you about replies, or untick the box")
		case err != nil:
			errs.Add("email", err.Error())
		default:
			d.Email = email
		}
	}
	if d.ParentID < 0 {
		errs.Add("parent", "is not a comment")
	}
	return errs
}

// printable reports whether s holds no control characters other than
// newlines (when multiline) and tabs.
func printable(s string, multiline bool) bool {
	for _, r := range s {
		if r == '\n' && multiline || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// Feedback is one answer to "was this helpful?".
type Feedback struct {
	Helpful bool
	Note    string // optional, at most MaxNote runes
}

// ParseFeedback reads the "helpful" ("yes" or "no") and "note" fields of
// the form.
func ParseFeedback(helpful, note string) (Feedback, valid.Errors) {
	var (
		f    Feedback
		errs valid.Errors
	)
	switch helpful {
	case "yes":
		f.Helpful = true
	case "no":
	default:
		errs.Add("helpful", `please choose "yes" or "no"`)
	}
	f.Note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	switch {
	case utf8.RuneCountInString(f.Note) > MaxNote:
		errs.Add("note", "must be at most 500 characters")
	case !printable(f.Note, true):
		errs.Add("note", "must be plain text")
	}
	return f, errs
}

// Badge is how the comment's author is marked in public: "unknot coach" or
// "the clinic" for staff, nothing for a visitor.
func (c Comment) Badge() string { return staff.Badge(c.Role) }
