package web

import (
	"unknot/internal/clinic"
	"unknot/internal/export"
	"unknot/internal/mail"
	"unknot/internal/store"
)

// reportFile is the file name of the report, attached and downloaded.
const reportFile = "unknot-your-upper-back.pdf"

const signOff = "Take care,\nthe unknot team"

// confirmMail asks the owner of the address to confirm it.
func confirmMail(sub *store.Subscriber, links subscriberLinks, from clinic.Contact) (*mail.Message, error) {
	l := &mail.Letter{
		Greeting: "Hi " + sub.FirstName + ",",
		Before: []string{
			"Thank you for asking for our free guide, “" + export.ReportTitle + "”.",
			"Before we send it, please confirm that this email address is yours. It takes one click:",
		},
		Button: &mail.Link{Label: "Yes, send me the guide", URL: links.Confirm},
		After: []string{
			"The link works for 7 days.",
			"Did not ask for this? Then you do not need to do anything. Without a click on the link we send you nothing more, " +
				"and we delete this address once the link has expired.",
		},
		SignOff:     signOff,
		Footer:      []string{"You get this email because someone typed this address into the sign-up box on unknot."},
		FooterLinks: []mail.Link{{Label: "Remove this address now", URL: links.Manage}},
	}
	fromClinic(l, from, links.Home)
	m, err := l.Message(mail.KindConfirm, sub.Email, "Please confirm your address to get your free guide")
	if err != nil {
		return nil, err
	}
	m.SetListUnsubscribe(links.Unsubscribe)
	return m, nil
}

// reportMail sends the report, attached and as a download link.
func reportMail(sub *store.Subscriber, links subscriberLinks, pdf []byte, from clinic.Contact) (*mail.Message, error) {
	l := &mail.Letter{
		Greeting: "Hi " + sub.FirstName + ",",
		Before: []string{
			"Here is your free guide, “" + export.ReportTitle + "”. It is attached to this email as a PDF, " +
				"and you can download it again whenever you like:",
		},
		Button: &mail.Link{Label: "Download the guide", URL: links.Download},
		After: []string{
			"Start with whichever of its five ways feels easiest today. A few minutes most days does more than one long session once a week.",
			"If the pain is severe, spreads into an arm, or comes with numbness, chest pain or a fever, please see a doctor " +
				"instead of treating it at home.",
			"Would you like a plan made for your own knot? Our two-minute self-check gives you one: " + links.Home + "check",
		},
		SignOff: signOff,
		Footer:  []string{"You get this email because you asked for our free guide and confirmed your address."},
		FooterLinks: []mail.Link{
			{Label: "Unsubscribe", URL: links.Unsubscribe},
			{Label: "See or delete your data", URL: links.Manage},
		},
	}
	fromClinic(l, from, links.Home)
	m, err := l.Message(mail.KindReport, sub.Email, "Your free guide: "+export.ReportTitle)
	if err != nil {
		return nil, err
	}
	m.SetListUnsubscribe(links.Unsubscribe)
	m.Attachments = []mail.Attachment{{Name: reportFile, ContentType: "application/pdf", Data: pdf}}
	return m, nil
}
