package web

import (
	"unknot/internal/clinic"
	"unknot/internal/mail"
	"unknot/internal/store"
)

// brandVisitMail adds to the letter about a visit of offer o who sends it: the
// clinic, with its own address or else the visit location's (fromClinic).
func (s *Server) brandVisitMail(l *mail.Letter, o *store.Offer) {
	var locs []clinic.Location
	if o.Location != nil {
		locs = []clinic.Location{*o.Location}
	}
	fromClinic(l, clinic.ContactOf(o.Clinic, locs), s.baseURL+"/")
}

// fromClinic adds to a letter's small print who sends it and how to reach
// them: the clinic's name, address, phone, email and website on one line,
// and a link to the clinic's page under home, the configured base URL.
// Without a clinic (none, or only the demo) it adds nothing.
func fromClinic(l *mail.Letter, c clinic.Contact, home string) {
	line := c.Line()
	if line == "" {
		return
	}
	l.Footer = append(l.Footer, line)
	l.FooterLinks = append(l.FooterLinks, mail.Link{Label: "About " + c.Name, URL: home + "clinic"})
}
