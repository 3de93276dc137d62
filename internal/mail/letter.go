package mail

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
)

// Letter is the content of an email, written once and turned into both a
// plain-text and an HTML body, so that the two always say the same thing.
type Letter struct {
	Greeting string   // such as "Hi Anna,"
	Before   []string // paragraphs before the button
	Button   *Link    // the one thing to do, if any
	After    []string // paragraphs after the button
	SignOff  string   // such as "Take care,\nthe unknot team"
	// Footer is the small print: why the person gets this mail and links
	// to leave the list or see and delete their data.
	Footer      []string
	FooterLinks []Link
}

// Link is a labelled address.
type Link struct {
	Label string
	URL   string
}

// Message returns a message to to with the letter as its text and HTML
// bodies.
func (l *Letter) Message(kind, to, subject string) (*Message, error) {
	var html bytes.Buffer
	if err := letterHTML.Execute(&html, struct {
		Subject string
		*Letter
	}{subject, l}); err != nil {
		return nil, fmt.Errorf("mail: rendering %s: %w", kind, err)
	}
	return &Message{Kind: kind, To: to, Subject: subject, Text: l.text(), HTML: html.String()}, nil
}

// text is the plain-text body: paragraphs separated by blank lines, the
// button as its label and address, and the footer after a signature
// separator ("-- "), which mail clients know to dim.
func (l *Letter) text() string {
	var b strings.Builder
	para := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteString("\n\n")
		}
	}
	para(l.Greeting)
	for _, p := range l.Before {
		para(p)
	}
	if l.Button != nil {
		para(l.Button.Label + ":\n" + l.Button.URL)
	}
	for _, p := range l.After {
		para(p)
	}
	para(l.SignOff)
	if len(l.Footer) > 0 || len(l.FooterLinks) > 0 {
		b.WriteString("-- \n")
		for _, p := range l.Footer {
			b.WriteString(p)
			b.WriteString("\n")
		}
		for _, link := range l.FooterLinks {
			b.WriteString(link.Label + ": " + link.URL + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// letterHTML is a plain, single-column email that reads well on a phone and
// in clients that block images and styles sheets: inline styles only, no
// pictures, system fonts, a large button.
var letterHTML = template.Must(template.New("letter").Funcs(template.FuncMap{
	"lines": func(s string) []string { return strings.Split(s, "\n") },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f1ec;">
<div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:17px;line-height:1.5;color:#1f2a2e;">
<div style="background:#ffffff;border-radius:8px;padding:24px;">
{{with .Greeting}}<p style="margin:0 0 16px;">{{.}}</p>{{end}}
{{range .Before}}<p style="margin:0 0 16px;">{{.}}</p>
{{end}}
{{with .Button}}<p style="margin:24px 0;"><a href="{{.URL}}" style="display:inline-block;background:#1d5c63;color:#ffffff;text-decoration:none;font-weight:bold;padding:14px 22px;border-radius:6px;">{{.Label}}</a></p>
<p style="margin:0 0 16px;font-size:14px;color:#4a5a5f;">If the button does not work, copy this address into your browser:<br><a href="{{.URL}}" style="color:#1d5c63;word-break:break-all;">{{.URL}}</a></p>
{{end}}
{{range .After}}<p style="margin:0 0 16px;">{{.}}</p>
{{end}}
{{with .SignOff}}<p style="margin:16px 0 0;">{{range $i, $l := lines .}}{{if $i}}<br>{{end}}{{$l}}{{end}}</p>{{end}}
</div>
{{if or .Footer .FooterLinks}}<div style="padding:16px 8px;font-size:13px;color:#4a5a5f;">
{{range .Footer}}<p style="margin:0 0 8px;">{{.}}</p>
{{end}}
{{if .FooterLinks}}<p style="margin:0;">{{range $i, $l := .FooterLinks}}{{if $i}} · {{end}}<a href="{{$l.URL}}" style="color:#1d5c63;">{{$l.Label}}</a>{{end}}</p>{{end}}
</div>{{end}}
</div>
</body>
</html>
`))
