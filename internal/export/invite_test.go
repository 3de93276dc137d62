package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func TestInvitationRoundTrip(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// The Sunday the clocks go forward in Berlin: local 09:00 is 07:00 UTC
	// (CEST), the day before it was 08:00 UTC.
	start := time.Date(2027, 3, 28, 9, 0, 0, 0, berlin)
	base := Invite{
		UID: "booking-42@unknot.example", Start: start, End: start.Add(time.Hour),
		Summary: "Trigger point therapy with Ana", Location: "Torstraße 1, Berlin",
		URL:       "https://clinic.example/bookings/abc",
		Organizer: Person{"Mitte Clinic", "clinic@clinic.example"},
		Attendees: []Person{{"Lena Client", "lena@example.com"}, {"Ana", "ana@clinic.example"}},
		Stamp:     time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC),
	}
	for _, tt := range []struct {
		method   string
		sequence int
		status   string
	}{{MethodRequest, 0, "CONFIRMED"}, {MethodRequest, 1, "CONFIRMED"}, {MethodCancel, 2, "CANCELLED"}} {
		inv := base
		inv.Method, inv.Sequence = tt.method, tt.sequence
		data, err := Invitation(inv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) {
			t.Errorf("lines must end in CRLF:\n%q", data)
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("parse back: %v\n%s", err, data)
		}
		if got := cal.CalendarProperties; !hasProp(got, "METHOD", tt.method) {
			t.Errorf("calendar properties %v lack METHOD:%s", got, tt.method)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events", len(events))
		}
		ev := events[0]
		for prop, want := range map[ics.ComponentProperty]string{
			ics.ComponentPropertyUniqueId:  base.UID,
			ics.ComponentPropertySequence:  map[int]string{0: "0", 1: "1", 2: "2"}[tt.sequence],
			ics.ComponentPropertyStatus:    tt.status,
			ics.ComponentPropertyDtStart:   "20270328T070000Z",
			ics.ComponentPropertyDtEnd:     "20270328T080000Z",
			ics.ComponentPropertyDtstamp:   "20270301T120000Z",
			ics.ComponentPropertyOrganizer: "mailto:clinic@clinic.example",
			ics.ComponentPropertyLocation:  base.Location,
		} {
			if p := ev.GetProperty(prop); p == nil || p.Value != want {
				t.Errorf("%s %s: %v, want %q", tt.method, prop, p, want)
			}
		}
		if n := len(ev.Attendees()); n != 2 {
			t.Errorf("%d attendees", n)
		}
		if got := inv.ContentType(); got != "text/calendar; method="+tt.method {
			t.Errorf("content type %q", got)
		}
	}
}

func hasProp(props []ics.CalendarProperty, name, value string) bool {
	for _, p := range props {
		if p.IANAToken == name && p.Value == value {
			return true
		}
	}
	return false
}

func TestInvitationRefusesWhatCalendarsCannotPlace(t *testing.T) {
	ok := Invite{Method: MethodRequest, UID: "u", Summary: "s", Organizer: Person{Email: "o@example.com"},
		Start: time.Unix(0, 0), End: time.Unix(3600, 0)}
	for name, change := range map[string]func(*Invite){
		"method":    func(i *Invite) { i.Method = "PUBLISH" },
		"uid":       func(i *Invite) { i.UID = "" },
		"organizer": func(i *Invite) { i.Organizer.Email = "" },
		"end":       func(i *Invite) { i.End = i.Start },
		"sequence":  func(i *Invite) { i.Sequence = -1 },
	} {
		inv := ok
		change(&inv)
		if _, err := Invitation(inv); err == nil || !strings.Contains(err.Error(), "invitation") {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if _, err := Invitation(ok); err != nil {
		t.Fatal(err)
	}
}
