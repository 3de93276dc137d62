package export

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Invitation methods (iTIP, RFC 5546): a new or moved visit is a REQUEST,
// a called-off one a CANCEL. The same word goes in the calendar's METHOD
// and in the mail part's MIME type, which calendar apps check against
// each other.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
)

// Person is an organizer or attendee of an invitation.
type Person struct {
	Name  string
	Email string
}

// Invite is one visit as a calendar invitation. UID stays the same for the
// life of the visit and Sequence grows with every change, so that a
// calendar app updates or removes the event it already has instead of
// adding another (the mistakes Easy!Appointments and Cal.com made).
type Invite struct {
	Method      string // MethodRequest or MethodCancel
	UID         string
	Sequence    int
	Start, End  time.Time
	Summary     string
	Description string
	Location    string // the address, or the video link for a virtual visit
	URL         string // the page to manage the visit; may be empty
	Organizer   Person
	Attendees   []Person
	Stamp       time.Time // when the invitation was made (DTSTAMP)
}

// ContentType is the MIME type of the invitation's mail part.
func (inv *Invite) ContentType() string {
	return "text/calendar; method=" + inv.Method
}

// Invitation writes inv as an iCalendar object (RFC 5545, CRLF line ends)
// with one VEVENT whose times are in UTC: CONFIRMED for a request,
// CANCELLED for a cancel.
func Invitation(inv Invite) ([]byte, error) {
	if err := inv.check(); err != nil {
		return nil, fmt.Errorf("export: invitation: %w", err)
	}
	cal := ics.NewCalendarFor("unknot")
	method, status := ics.MethodRequest, ics.ObjectStatusConfirmed
	if inv.Method == MethodCancel {
		method, status = ics.MethodCancel, ics.ObjectStatusCancelled
	}
	cal.SetMethod(method)
	ev := cal.AddEvent(inv.UID)
	ev.SetSequence(inv.Sequence)
	ev.SetDtStampTime(inv.Stamp)
	ev.SetStartAt(inv.Start)
	ev.SetEndAt(inv.End)
	ev.SetStatus(status)
	ev.SetSummary(inv.Summary)
	if inv.Description != "" {
		ev.SetDescription(inv.Description)
	}
	if inv.Location != "" {
		ev.SetLocation(inv.Location)
	}
	if inv.URL != "" {
		ev.SetURL(inv.URL)
	}
	ev.SetOrganizer(inv.Organizer.Email, ics.WithCN(inv.Organizer.Name))
	for _, a := range inv.Attendees {
		ev.AddAttendee(a.Email, ics.WithCN(a.Name), ics.ParticipationRoleReqParticipant, ics.WithRSVP(false))
	}
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("export: invitation: %w", err)
	}
	return b.Bytes(), nil
}

// check refuses an invitation that calendar apps could not place.
func (inv *Invite) check() error {
	switch {
	case inv.Method != MethodRequest && inv.Method != MethodCancel:
		return fmt.Errorf("method %q", inv.Method)
	case inv.UID == "" || inv.Summary == "" || inv.Organizer.Email == "":
		return errors.New("uid, summary and organizer are required")
	case !inv.End.After(inv.Start):
		return errors.New("end must be after start")
	case inv.Sequence < 0:
		return errors.New("sequence must not be negative")
	}
	return nil
}
