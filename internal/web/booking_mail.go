package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/export"
	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// Kinds of booking mail, for the record of what was sent. The client and
// the therapist get the same kind, each their own letter.
const (
	kindBooked    = "booking_booked"
	kindMoved     = "booking_moved"
	kindCancelled = "booking_cancelled"
	kindReminder  = "booking_reminder"
)

// mailEvent is the change to a booking that a mail tells of.
type mailEvent int

const (
	mailBooked mailEvent = iota
	mailMoved
	mailCancelled
)

// inviteFile is the file name of a booking's calendar invitation.
const inviteFile = "visit.ics"

// bookingMail returns the store's hook that writes the mail of event for
// a booking of offer o inside the booking's transaction: a letter with the
// calendar invitation to the client (whose links carry token) and one to
// the therapist. A client whose details were deleted gets none. The
// letters are written now, from want (the booking as the change leaves
// it), so that SQLite's single writer is not held while their templates
// run; the hook only adds the invitations, which need the booking's id
// and sequence. wasAt is the visit's start before it was moved
// (mailMoved only).
func (s *Server) bookingMail(o *store.Offer, event mailEvent, token string, want *booking.Booking, wasAt time.Time) (store.BookingMail, error) {
	var letters []*mail.Message
	if want.Email != "" {
		m, err := s.clientMail(o, want, event, token, wasAt)
		if err != nil {
			return nil, fmt.Errorf("mail to the client: %w", err)
		}
		letters = append(letters, m)
	}
	m, err := s.therapistMail(o, want, event, wasAt)
	if err != nil {
		return nil, fmt.Errorf("mail to the therapist: %w", err)
	}
	letters = append(letters, m)
	method := export.MethodRequest
	if event == mailCancelled {
		method = export.MethodCancel
	}
	return func(b *booking.Booking) ([]*mail.Message, error) {
		out := make([]*mail.Message, len(letters))
		for i, l := range letters {
			manage := "" // the therapist's copy, the last
			if i < len(letters)-1 {
				manage = s.baseURL + managePath(token)
			}
			inv, err := s.invite(o, b, method, b.Name, manage)
			if err != nil {
				return nil, err
			}
			m := *l
			m.Attachments = []mail.Attachment{inv}
			out[i] = &m
		}
		return out, nil
	}, nil
}

// clientMail is the letter to the client about event, without its
// invitation.
func (s *Server) clientMail(o *store.Offer, b *booking.Booking, event mailEvent, token string, wasAt time.Time) (*mail.Message, error) {
	manage := s.baseURL + managePath(token)
	when := visitTime(b.Start, b.End, o.Zone)
	what := o.Service.Name + " with " + o.Therapist.Name
	l := &mail.Letter{
		Greeting: "Hi " + b.Name + ",",
		SignOff:  "See you soon,\n" + o.Clinic.Name,
		Footer: []string{
			"You get this email because you booked a visit at " + o.Clinic.Name + ". " +
				"Keep it to yourself: its link lets whoever has it move or cancel the visit.",
		},
	}
	s.brandVisitMail(l, o)
	var kind, subject string
	switch event {
	case mailBooked:
		kind, subject = kindBooked, "Booked: "+o.Service.Name+", "+shortTime(b.Start, o.Zone)
		l.Before = []string{"Your visit is booked: " + what + ", " + when + ".", place(o, b)}
		l.Button = &mail.Link{Label: "See, move or cancel your visit", URL: manage}
		l.After = []string{
			"The invitation attached adds the visit to your calendar.",
			changeRule(o, b),
		}
	case mailMoved:
		kind, subject = kindMoved, "Moved: "+o.Service.Name+", now "+shortTime(b.Start, o.Zone)
		l.Before = []string{
			"Your visit has moved. It is now " + when + " (it was " + visitTime(wasAt, wasAt.Add(b.End.Sub(b.Start)), o.Zone) + "): " + what + ".",
			place(o, b),
		}
		l.Button = &mail.Link{Label: "See, move or cancel your visit", URL: manage}
		l.After = []string{
			"The invitation attached moves the visit in your calendar.",
			changeRule(o, b),
		}
	case mailCancelled:
		kind, subject = kindCancelled, "Cancelled: "+o.Service.Name+", "+shortTime(b.Start, o.Zone)
		l.Before = []string{"Your visit is cancelled: " + what + ", " + when + ". The time is free again."}
		l.Button = &mail.Link{Label: "Book another visit", URL: s.baseURL + "/clinic"}
		l.After = []string{"The invitation attached removes the visit from your calendar."}
		l.SignOff = "Take care,\n" + o.Clinic.Name
	}
	return l.Message(kind, b.Email, subject)
}

// therapistMail is the letter to the therapist about event, without its
// invitation: who comes, when, and what the client wrote. It holds no link
// to the client's booking page.
func (s *Server) therapistMail(o *store.Offer, b *booking.Booking, event mailEvent, wasAt time.Time) (*mail.Message, error) {
	t := o.Therapist
	when := visitTime(b.Start, b.End, o.Zone)
	client := b.Name
	contact := "Email: " + orNone(b.Email) + ". Phone: " + orNone(b.Phone) + "."
	l := &mail.Letter{
		Greeting: "Hi " + t.Name + ",",
		SignOff:  o.Clinic.Name,
		Footer:   []string{"You get this email because you are a therapist at " + o.Clinic.Name + "."},
	}
	s.brandVisitMail(l, o)
	var kind, subject string
	switch event {
	case mailBooked:
		kind, subject = kindBooked, "New booking: "+client+", "+shortTime(b.Start, o.Zone)
		l.Before = []string{client + " booked " + o.Service.Name + ", " + when + ". " + place(o, b), contact}
		if b.Note != "" {
			l.Before = append(l.Before, "Their note: "+b.Note)
		}
	case mailMoved:
		kind, subject = kindMoved, "Moved: "+client+", now "+shortTime(b.Start, o.Zone)
		l.Before = []string{client + " moved " + o.Service.Name + " to " + when + " (it was " +
			visitTime(wasAt, wasAt.Add(b.End.Sub(b.Start)), o.Zone) + "). " + place(o, b), contact}
	case mailCancelled:
		kind, subject = kindCancelled, "Cancelled: "+client+", "+shortTime(b.Start, o.Zone)
		l.Before = []string{client + " cancelled " + o.Service.Name + ", " + when + ". The time is free again."}
	}
	l.After = []string{"The invitation attached keeps your calendar up to date."}
	return l.Message(kind, t.Email, subject)
}

// reminderMail writes the reminder of v, when it is due, with a fresh
// private link: the reminder waits in the store as a due time only, so
// no link waits in the outbox (store.QueueReminders).
func (s *Server) reminderMail(v *store.Visit) (*mail.Message, []byte, error) {
	token, hash := secret.NewToken()
	b := v.Booking
	manage := s.baseURL + managePath(token)
	l := &mail.Letter{
		Greeting: "Hi " + b.Name + ",",
		Before: []string{
			"A reminder of your visit: " + v.Service.Name + " with " + v.Therapist.Name + ", " + visitTime(b.Start, b.End, v.Zone) + ".",
			place(&v.Offer, b),
		},
		Button:  &mail.Link{Label: "See, move or cancel your visit", URL: manage},
		After:   []string{changeRule(&v.Offer, b)},
		SignOff: "See you soon,\n" + v.Clinic.Name,
		Footer: []string{
			"You get this email because you booked a visit at " + v.Clinic.Name + ". " +
				"Keep it to yourself: its link lets whoever has it move or cancel the visit.",
		},
	}
	s.brandVisitMail(l, &v.Offer)
	m, err := l.Message(kindReminder, b.Email, "Reminder: "+v.Service.Name+", "+shortTime(b.Start, v.Zone))
	if err != nil {
		return nil, nil, err
	}
	return m, hash, nil
}

// QueueReminders writes the booking reminders due at now into the outbox,
// and the plan reminders (QueuePlanReminders).
// The mail worker calls it before each claim (mail.Worker.Prepare).
func (s *Server) QueueReminders(ctx context.Context, now time.Time) error {
	n, err := s.store.QueueReminders(ctx, now, s.reminderMail)
	if n > 0 {
		s.log.InfoContext(ctx, "booking reminders written", "count", n)
	}
	return errors.Join(err, s.QueuePlanReminders(ctx, now))
}

// invite is b's calendar invitation as an attachment: method REQUEST or
// CANCEL, the booking's UID and sequence, times in UTC, the clinic as
// organizer and the client and the therapist as attendees. client is the
// name of the client in the summary of the therapist's copy, "" in the
// client's; manage is the client's page, "" in the therapist's copy.
func (s *Server) invite(o *store.Offer, b *booking.Booking, method, client, manage string) (mail.Attachment, error) {
	summary := o.Service.Name + " with " + o.Therapist.Name
	if manage == "" {
		summary = o.Service.Name + ": " + client
	}
	inv := export.Invite{
		Method:      method,
		UID:         s.bookingUID(b),
		Sequence:    b.Sequence,
		Start:       b.Start,
		End:         b.End,
		Summary:     summary,
		Description: place(o, b),
		Location:    o.Location.Address,
		URL:         manage,
		Organizer:   export.Person{Name: o.Clinic.Name, Email: o.Clinic.Email},
		Stamp:       b.UpdatedAt,
	}
	if b.Mode == clinic.Virtual {
		inv.Location = o.Therapist.VideoURL
	}
	if b.Email != "" {
		inv.Attendees = append(inv.Attendees, export.Person{Name: b.Name, Email: b.Email})
	}
	inv.Attendees = append(inv.Attendees, export.Person{Name: o.Therapist.Name, Email: o.Therapist.Email})
	data, err := export.Invitation(inv)
	if err != nil {
		return mail.Attachment{}, err
	}
	return mail.Attachment{Name: inviteFile, ContentType: inv.ContentType(), Data: data}, nil
}

// bookingUID is the UID of b's calendar event for its whole life: made of
// its id and the site's host, so that calendars match a change or a
// cancellation to the event they have, and the private link stays out of
// it.
func (s *Server) bookingUID(b *booking.Booking) string {
	host := "unknot.invalid"
	if u, err := url.Parse(s.baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "booking-" + strconv.FormatInt(b.ID, 10) + "@" + host
}

// place says where the visit takes place: the address, or the video link.
func place(o *store.Offer, b *booking.Booking) string {
	if b.Mode == clinic.Virtual {
		return "It takes place online, by video: " + o.Therapist.VideoURL
	}
	return "Where: " + o.Location.Name + ", " + o.Location.Address + "."
}

// changeRule says until when the visit can be changed online.
func changeRule(o *store.Offer, b *booking.Booking) string {
	by := b.Start.Add(-time.Duration(o.Clinic.CancelHours) * time.Hour)
	return "You can move or cancel it online until " + shortTime(by, o.Zone) + "; after that, please call the clinic" +
		clinicPhone(o) + "."
}

// visitTime says when a visit is, on the location's wall clock, with the
// zone named: "Monday 29 March 2027, 09:00–10:00 (Europe/Berlin time)".
func visitTime(start, end time.Time, zone *time.Location) string {
	s, e := start.In(zone), end.In(zone)
	return s.Format("Monday 2 January 2006, 15:04") + "–" + e.Format("15:04") + " (" + zone.String() + " time)"
}

// shortTime is a time on the location's wall clock for a subject line:
// "Mon 29 Mar, 09:00".
func shortTime(t time.Time, zone *time.Location) string {
	return t.In(zone).Format("Mon 2 Jan, 15:04")
}

func orNone(s string) string {
	if s == "" {
		return "not given"
	}
	return s
}
