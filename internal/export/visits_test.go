package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func TestVisitFeed(t *testing.T) {
	start := time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC)
	visit := VisitEvent{
		UID: "booking-7@clinic.example", Sequence: 2, Start: start, End: start.Add(time.Hour),
		Summary: "Trigger point therapy: Kim", Location: "Invalidenstraße 1, Berlin", Stamp: start.Add(-time.Hour),
	}
	data, err := VisitFeed("unknot: Ana's visits", 5*time.Minute, []VisitEvent{visit})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("\r\n")) || !bytes.Contains(data, []byte("METHOD:PUBLISH")) || !bytes.Contains(data, []byte("REFRESH-INTERVAL;VALUE=DURATION:PT5M")) {
		t.Errorf("feed lacks CRLF, METHOD:PUBLISH or its refresh:\n%s", data)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	e := events[0]
	got, err := e.GetStartAt()
	if err != nil || !got.Equal(start) || e.Id() != visit.UID ||
		e.GetProperty(ics.ComponentPropertySequence).Value != "2" ||
		e.GetProperty(ics.ComponentPropertyLocation).Value != visit.Location {
		t.Errorf("event = %v %s\n%s", got, e.Id(), data)
	}
	if !strings.Contains(string(data), "DTSTART:20270329T080000Z") {
		t.Errorf("start is not in UTC:\n%s", data)
	}

	for _, bad := range []VisitEvent{{Summary: "x", Start: start, End: start.Add(time.Hour)}, {UID: "u", Start: start, End: start.Add(time.Hour)}, {UID: "u", Summary: "x", Start: start, End: start}} {
		if _, err := VisitFeed("x", time.Minute, []VisitEvent{bad}); err == nil {
			t.Errorf("VisitFeed(%+v) = nil error", bad)
		}
	}
}
