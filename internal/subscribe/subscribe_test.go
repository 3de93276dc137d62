package subscribe

import (
	"math/rand"
	"strings"
	"testing"
	"testing/quick"
	"time"
)

func TestSignUpAgain(t *testing.T) {
	tests := []struct {
		state      State
		mailsToday int
		action     Action
		after      State
	}{
		{Pending, 0, SendConfirmation, Pending}, // a new address
		{Pending, 1, SendConfirmation, Pending},
		{Pending, 2, SendConfirmation, Pending},
		{Pending, 3, Nothing, Pending}, // three a day at most
		{Pending, 9, Nothing, Pending},
		{Confirmed, 0, SendReport, Confirmed},
		{Confirmed, 2, SendReport, Confirmed},
		{Confirmed, 3, Nothing, Confirmed},
		{Unsubscribed, 0, SendConfirmation, Pending}, // must confirm again
		{Unsubscribed, 3, Nothing, Pending},
	}
	for _, tt := range tests {
		action, after := SignUpAgain(tt.state, tt.mailsToday)
		if action != tt.action || after != tt.after {
			t.Errorf("SignUpAgain(%s, %d) = %s, %s; want %s, %s", tt.state, tt.mailsToday, action, after, tt.action, tt.after)
		}
	}
}

// Whatever the state and the count, a sign-up never confirms anybody and
// never sends the report to an address that has not confirmed, and never
// sends more than MailsPerDay a day.
func TestSignUpAgainNeverConfirms(t *testing.T) {
	states := []State{Pending, Confirmed, Unsubscribed}
	f := func(s uint8, mails uint16) bool {
		state := states[int(s)%len(states)]
		action, after := SignUpAgain(state, int(mails))
		if after == Confirmed && state != Confirmed {
			return false
		}
		if action == SendReport && state != Confirmed {
			return false
		}
		if int(mails) >= MailsPerDay && action != Nothing {
			return false
		}
		return true
	}
	if err := quick.Check(f, &quick.Config{Rand: rand.New(rand.NewSource(3))}); err != nil {
		t.Error(err)
	}
}

func TestConfirmLinkValid(t *testing.T) {
	made := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		after time.Duration
		ok    bool
	}{
		{0, true},
		{time.Hour, true},
		{7*24*time.Hour - time.Second, true},
		{7 * 24 * time.Hour, false}, // expires after 7 days
		{8 * 24 * time.Hour, false},
		{-time.Hour, false}, // made in the future: not ours
	}
	for _, tt := range tests {
		if got := ConfirmLinkValid(made, made.Add(tt.after)); got != tt.ok {
			t.Errorf("ConfirmLinkValid after %v = %v, want %v", tt.after, got, tt.ok)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		form   Form
		fields []string // fields with problems
		want   Form
	}{
		{Form{FirstName: " Anna ", Email: " Anna@Example.COM "}, nil, Form{FirstName: "Anna", Email: "anna@example.com"}},
		{Form{FirstName: "José María", Email: "jm@example.es"}, nil, Form{FirstName: "José María", Email: "jm@example.es"}},
		{Form{FirstName: "", Email: ""}, []string{"first_name", "email"}, Form{}},
		{Form{FirstName: strings.Repeat("a", 61), Email: "a@example.com"}, []string{"first_name"}, Form{}},
		{Form{FirstName: strings.Repeat("é", 60), Email: "a@example.com"}, nil, Form{FirstName: strings.Repeat("é", 60), Email: "a@example.com"}},
		{Form{FirstName: "Anna\x00", Email: "a@example.com"}, []string{"first_name"}, Form{}},
		{Form{FirstName: "An\nna", Email: "a@example.com"}, []string{"first_name"}, Form{}},
		{Form{FirstName: "cheap pills http://spam.example", Email: "a@example.com"}, []string{"first_name"}, Form{}},
		{Form{FirstName: "www.spam.example", Email: "a@example.com"}, []string{"first_name"}, Form{}},
		{Form{FirstName: "Anna", Email: "anna"}, []string{"email"}, Form{}},
		{Form{FirstName: "Anna", Email: "Anna <anna@example.com>"}, []string{"email"}, Form{}},
	}
	for _, tt := range tests {
		got, errs := tt.form.Clean()
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("Clean(%+v) problems with %v, want %v (%v)", tt.form, fields, tt.fields, errs)
		}
		if len(errs) == 0 && got != tt.want {
			t.Errorf("Clean(%+v) = %+v, want %+v", tt.form, got, tt.want)
		}
	}
}

func TestBot(t *testing.T) {
	if (Form{Website: ""}).Bot() || (Form{Website: "  "}).Bot() {
		t.Error("an empty honeypot counts as a bot")
	}
	if !(Form{Website: "http://x.example"}).Bot() {
		t.Error("a filled honeypot does not count as a bot")
	}
}

func FuzzClean(f *testing.F) {
	f.Add("Anna", "anna@example.com")
	f.Add("", "x")
	f.Add("http://a", "a@b.c")
	f.Fuzz(func(t *testing.T, name, email string) {
		got, errs := Form{FirstName: name, Email: email}.Clean()
		if len(errs) > 0 {
			return
		}
		if got.FirstName == "" || len([]rune(got.FirstName)) > maxFirstName || strings.ContainsAny(got.FirstName, "\r\n\x00") {
			t.Fatalf("accepted first name %q", got.FirstName)
		}
		// A clean form is clean again, unchanged.
		again, errs := got.Clean()
		if len(errs) > 0 || again != got {
			t.Fatalf("Clean is not idempotent: %+v → %+v, %v", got, again, errs)
		}
	})
}
