package web

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"unknot/internal/mail"
	"unknot/internal/mail/mailtest"
)

// deliver sends everything in the outbox to a test SMTP server and
// returns what it received.
func (bs *bookingServer) deliver(t *testing.T) []*mailtest.Message {
	t.Helper()
	srv := mailtest.NewServer(t)
	sender, err := mail.NewSMTP(srv.URL(), "desk@clinic.example")
	if err != nil {
		t.Fatal(err)
	}
	w := &mail.Worker{Queue: bs.db, Sender: sender, From: "desk@clinic.example"}
	for {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	sender.Close()
	return srv.Messages()
}

// invitation is what a test checks of a mail's calendar invitation.
type invitation struct {
	mimeMethod, method, uid, sequence, status, start, end, location, attendees string
}

// readInvitation parses the calendar part of m, which must also be
// attached as visit.ics.
func readInvitation(t *testing.T, m *mailtest.Message) invitation {
	t.Helper()
	if m.Calendar == "" || string(m.Attachments[inviteFile]) != m.Calendar {
		t.Fatalf("mail to %v: calendar part %q, %s attached %q", m.To, m.Calendar, inviteFile, m.Attachments[inviteFile])
	}
	cal, err := ics.ParseCalendar(strings.NewReader(m.Calendar))
	if err != nil {
		t.Fatalf("parse the invitation back: %v\n%s", err, m.Calendar)
	}
	var inv invitation
	if i := strings.Index(m.CalendarType, "method="); i >= 0 {
		inv.mimeMethod = strings.TrimRight(strings.Fields(m.CalendarType[i+len("method="):])[0], ";")
	}
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "METHOD" {
			inv.method = p.Value
		}
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	ev := events[0]
	prop := func(p ics.ComponentProperty) string {
		if v := ev.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	inv.uid, inv.sequence, inv.status = prop(ics.ComponentPropertyUniqueId), prop(ics.ComponentPropertySequence), prop(ics.ComponentPropertyStatus)
	inv.start, inv.end, inv.location = prop(ics.ComponentPropertyDtStart), prop(ics.ComponentPropertyDtEnd), prop(ics.ComponentPropertyLocation)
	var who []string
	for _, a := range ev.Attendees() {
		who = append(who, a.Email())
	}
	inv.attendees = strings.Join(who, ",")
	return inv
}

func icsUTC(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// A booking, its move and its cancellation each mail the client and the
// therapist once, with an invitation that calendars match to one event:
// the same UID, a growing SEQUENCE, REQUEST then CANCEL in the calendar
// and in the MIME type, times in UTC.
func TestBookingMailInvitations(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	start := bs.hoursAhead(72)
	a := bs.book(t, bookBody(start, ""))
	moved := start.Add(2 * time.Hour)
	if status, data := bs.send(t, "/api/v1/bookings/"+a.Token+"/reschedule", `{"start":"`+moved.Format(time.RFC3339)+`"}`); status != 200 {
		t.Fatalf("reschedule: %d %s", status, data)
	}
	if status, data := bs.send(t, "/api/v1/bookings/"+a.Token+"/cancel", ``); status != 200 {
		t.Fatalf("cancel: %d %s", status, data)
	}
	msgs := bs.deliver(t)
	if len(msgs) != 6 {
		t.Fatalf("%d mails, want 3 to the client and 3 to the therapist", len(msgs))
	}
	var uid string
	byRecipient := map[string][]*mailtest.Message{}
	for _, m := range msgs {
		byRecipient[m.To[0]] = append(byRecipient[m.To[0]], m)
	}
	want := []invitation{
		{"REQUEST", "REQUEST", "", "0", "CONFIRMED", icsUTC(start), icsUTC(start.Add(time.Hour)), "Invalidenstraße 1, 10115 Berlin", ""},
		{"REQUEST", "REQUEST", "", "1", "CONFIRMED", icsUTC(moved), icsUTC(moved.Add(time.Hour)), "Invalidenstraße 1, 10115 Berlin", ""},
		{"CANCEL", "CANCEL", "", "2", "CANCELLED", icsUTC(moved), icsUTC(moved.Add(time.Hour)), "Invalidenstraße 1, 10115 Berlin", ""},
	}
	for _, who := range []string{"kim@example.com", "ana@clinic.example"} {
		got := byRecipient[who]
		if len(got) != 3 {
			t.Fatalf("%d mails to %s, want 3", len(got), who)
		}
		for i, m := range got {
			inv := readInvitation(t, m)
			if uid == "" {
				uid = inv.uid
			}
			w := want[i]
			w.uid, w.attendees = uid, "kim@example.com,ana@clinic.example"
			if inv != w {
				t.Errorf("mail %d to %s: invitation\n%+v, want\n%+v", i, who, inv, w)
			}
			text := m.Text
			switch {
			case who == "kim@example.com" && i < 2 && !strings.Contains(text, "https://clinic.example/bookings/"+a.Token):
				t.Errorf("mail %d to the client has no link to manage the visit:\n%s", i, text)
			case who == "ana@clinic.example" && strings.Contains(text, a.Token):
				t.Errorf("mail to the therapist holds the client's private link")
			case !strings.Contains(text, "(Europe/Berlin time)"):
				t.Errorf("mail %d to %s does not say the time's zone:\n%s", i, who, text)
			}
		}
	}
	if !regexp.MustCompile(`^booking-\d+@clinic\.example$`).MatchString(uid) {
		t.Errorf("UID %q, want one made of the booking's id and the site's host", uid)
	}

	// A virtual visit's invitation gives the video link as its place.
	bs.book(t, bookBody(start, `"service":"talk-30","mode":"virtual","email":"vic@example.com"`))
	for _, m := range bs.deliver(t) {
		if inv := readInvitation(t, m); inv.location != "https://video.example/ana" {
			t.Errorf("virtual visit's location %q", inv.location)
		}
		if !strings.Contains(m.Text, "https://video.example/ana") {
			t.Errorf("mail to %v has no video link", m.To)
		}
	}
}

// claim takes the mail due at at out of the outbox, as sent, for tests
// that move the clock forward.
func (bs *bookingServer) claim(t *testing.T, at time.Time) []mail.Queued {
	t.Helper()
	q, err := bs.db.ClaimMail(context.Background(), at, time.Minute, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range q {
		if err := bs.db.MarkMailSent(context.Background(), mail.Sent{ID: m.ID, Claim: m.Claim, MessageID: m.MessageID("desk@clinic.example"), At: at}); err != nil {
			t.Fatal(err)
		}
	}
	return q
}

// The reminder is written when it is due, about a day ahead, with a fresh
// link that opens the booking; no reminder waits in the outbox, and none
// comes for a visit booked less than a day ahead.
func TestBookingReminder(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	ctx := context.Background()
	start := bs.hoursAhead(72)
	a := bs.book(t, bookBody(start, ""))
	bs.book(t, bookBody(bs.hoursAhead(5), `"email":"soon@example.com"`))
	if n := len(bs.claim(t, time.Now())); n != 4 {
		t.Fatalf("%d mails about the two bookings, want 4", n)
	}

	if err := bs.srv.QueueReminders(ctx, start.Add(-25*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if q := bs.claim(t, start); len(q) != 0 {
		t.Fatalf("%d mails before the reminder is due", len(q))
	}
	if err := bs.srv.QueueReminders(ctx, start.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	q := bs.claim(t, start.Add(-24*time.Hour))
	if len(q) != 1 || q[0].To != "kim@example.com" || q[0].Kind != kindReminder || !strings.HasPrefix(q[0].Subject, "Reminder:") {
		t.Fatalf("reminders %+v", q)
	}
	links := regexp.MustCompile(`https://clinic\.example/bookings/([A-Za-z0-9_-]+)`).FindAllStringSubmatch(q[0].Text, -1)
	if len(links) == 0 || links[0][1] == a.Token {
		t.Fatalf("the reminder's links %v: want a fresh one", links)
	}
	resp, body := get(t, bs.URL+"/api/v1/bookings/"+links[0][1])
	if resp.StatusCode != 200 || !strings.Contains(body, start.Format(time.RFC3339)) {
		t.Errorf("the reminder's link opens %d %s", resp.StatusCode, body)
	}
	if err := bs.srv.QueueReminders(ctx, start.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if q := bs.claim(t, start); len(q) != 0 {
		t.Errorf("%d more reminders", len(q))
	}
	recs, err := bs.db.MailTo(ctx, "soon@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range recs {
		kinds = append(kinds, r.Kind)
	}
	if !slices.Equal(kinds, []string{kindBooked}) {
		t.Errorf("mail to a visit booked 5 hours ahead: %v, want the confirmation only", kinds)
	}
}
