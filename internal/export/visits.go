package export

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// VisitEvent is one visit in a therapist's calendar feed. It carries what
// the therapist needs to be in the right place at the right time and
// nothing of the client's health: the client's name and the service.
type VisitEvent struct {
	UID        string // the same as the visit's invitations' UID
	Sequence   int
	Start, End time.Time
	Summary    string
	Location   string    // the address, or the video link for a virtual visit
	Stamp      time.Time // when the visit last changed (DTSTAMP)
}

// VisitFeed writes a therapist's visits as an iCalendar feed (RFC 5545,
// METHOD:PUBLISH, CRLF line ends) called name, with times in UTC. Each
// event keeps its visit's UID and sequence, so that a calendar holding
// the visit's invitation updates that event instead of adding another.
// refresh is how often a calendar app should fetch it again.
func VisitFeed(name string, refresh time.Duration, events []VisitEvent) ([]byte, error) {
	cal := ics.NewCalendarFor("unknot")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	period := fmt.Sprintf("PT%dM", int(refresh/time.Minute))
	cal.SetRefreshInterval(period)
	cal.SetXPublishedTTL(period)
	for _, e := range events {
		if e.UID == "" || e.Summary == "" || !e.End.After(e.Start) {
			return nil, errors.New("export: visit feed: every visit needs a uid, a summary and an end after its start")
		}
		ev := cal.AddEvent(e.UID)
		ev.SetSequence(e.Sequence)
		ev.SetDtStampTime(e.Stamp)
		ev.SetStartAt(e.Start)
		ev.SetEndAt(e.End)
		ev.SetStatus(ics.ObjectStatusConfirmed)
		ev.SetSummary(e.Summary)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
	}
	var b bytes.Buffer
	if err := cal.SerializeTo(&b, ics.WithNewLineWindows); err != nil {
		return nil, fmt.Errorf("export: visit feed: %w", err)
	}
	return b.Bytes(), nil
}
