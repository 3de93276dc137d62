package export

import (
	"fmt"
	"io"
	"strings"

	"unknot/internal/care"
	"unknot/internal/library"
)

// Widths of the pictures in the handout, in millimetres.
const (
	itemPicture     = 32.0
	exercisePicture = 64.0
)

// Handout writes the plan of a self-check result as a printable PDF: what
// the result means, relief right now, the daily routine, the 7 days, every
// exercise with its picture, steps and cautions, what to avoid, and when to
// seek help. A result without a plan (urgent or emergency) gets a single
// page that says what to do instead.
func Handout(w io.Writer, lib *library.Library, r care.Result) error {
	d := NewDocument("Your plan for a knot in the neck and upper back")
	if r.Plan == nil {
		d.Callout(urgencyTitle(r.Urgency), r.Headline+" This result has no home plan: do no massage, stretching "+
			"or exercise for this until a doctor has seen you.", true)
		d.Heading("Why")
		d.List(reasons(r))
		return d.Write(w)
	}
	d.Paragraph(r.Headline)
	if r.Urgency == care.SeeProfessional {
		d.Callout("See a professional", r.Professional.Why+" You can start the home care below meanwhile.", true)
	}
	p := r.Plan
	d.Small("Move gently. A stretch should feel like a pull, never sharp pain; stop anything that makes the pain worse, spreads it, or brings on tingling or numbness.")

	d.Heading("Relief right now")
	d.Paragraph("Two or three minutes, no equipment.")
	d.items(lib, p.ReliefNow)

	d.Heading("Every day")
	d.Subheading("Morning")
	d.items(lib, p.Daily.Morning)
	if b := p.Daily.WorkdayBreaks; b != nil {
		d.Subheading(fmt.Sprintf("At your desk: every %d minutes, for %d minute%s", b.EveryMinutes, b.Minutes, plural(b.Minutes)))
		d.items(lib, b.Items)
	}
	d.Subheading("Afternoon")
	d.items(lib, p.Daily.Afternoon)
	d.Subheading("Evening")
	d.items(lib, p.Daily.Evening)
	if len(p.Daily.Night) > 0 {
		d.Subheading("Night")
		d.List(says(p.Daily.Night))
	}

	d.Heading("Your 7 days")
	d.Paragraph("On top of the daily routine. Tick each session when it is done. Leave out the strengthening " +
		"exercises until your pain is 4 out of 10 or less; the rest of the day's session still helps.")
	d.schedule(lib, p.Days)

	d.Heading("How to do each exercise")
	for _, id := range p.Exercises {
		d.exercise(lib, id)
	}

	if len(p.Avoid) > 0 {
		d.Heading("Avoid")
		d.List(says(p.Avoid))
	}
	if len(p.Ergonomics) > 0 {
		d.Heading("At your desk")
		d.List(says(p.Ergonomics))
	}
	if len(p.Lifestyle) > 0 {
		d.Heading("Day to day")
		d.List(says(p.Lifestyle))
	}
	d.Heading("When to seek help")
	d.List(says(p.SeeProfessionalIf))
	d.Callout("Call your emergency number at once",
		"if you have chest pain or pressure, pain spreading to the arm or jaw with shortness of breath or sweating, "+
			"a sudden severe headache, trouble speaking, seeing or swallowing, a stiff neck with fever, "+
			"or new trouble controlling your bladder or bowels.", true)
	d.Callout("Not medical advice", "This handout gives general information about muscle knots. It does not diagnose "+
		"and does not replace a doctor, physiotherapist or massage therapist.", false)
	return d.Write(w)
}

// items lists plan items, each with a small picture, its name, dose and note.
func (d *Document) items(lib *library.Library, items []care.Item) {
	p := d.pdf
	left, _, _, _ := p.GetMargins()
	h := itemPicture * pictureHeight / pictureWidth
	for _, it := range items {
		d.keep(h + 2)
		y := p.GetY()
		d.PictureAt(it.Exercise, left, y, itemPicture)
		text := left + itemPicture + 4
		w := d.Width() - itemPicture - 4
		p.SetXY(text, y+1)
		p.SetFont(fontFamily, "B", bodySize)
		setColor(p, inkColor)
		p.MultiCell(w, lineHeight, exerciseName(lib, it.Exercise), "", "L", false)
		p.SetX(text)
		p.SetFont(fontFamily, "", bodySize)
		p.MultiCell(w, lineHeight, it.Dose(), "", "L", false)
		if it.Note != "" {
			p.SetX(text)
			p.SetFont(fontFamily, "", smallSize)
			setColor(p, mutedColor)
			p.MultiCell(w, 4.2, it.Note, "", "L", false)
		}
		p.SetY(max(p.GetY(), y+h) + 2)
	}
}

// schedule writes the 7 days as a checklist: each day's focus and its
// sessions with their exercises and doses.
func (d *Document) schedule(lib *library.Library, days []care.Day) {
	for _, day := range days {
		var lines []string
		for _, s := range day.Sessions {
			names := make([]string, len(s.Items))
			for i, it := range s.Items {
				names[i] = exerciseName(lib, it.Exercise) + " (" + it.Dose() + ")"
			}
			lines = append(lines, capital(s.When)+": "+strings.Join(names, "; "))
		}
		d.keep(8 + float64(len(lines))*2*lineHeight)
		d.Strong(fmt.Sprintf("Day %d: %s", day.Day, day.Focus))
		d.Checklist(lines)
	}
}

// exercise writes one exercise: its picture with the summary, steps and
// cautions beside it, kept together on one page.
func (d *Document) exercise(lib *library.Library, id string) {
	e, ok := lib.Exercise(id)
	if !ok {
		return
	}
	left, _, _, _ := d.pdf.GetMargins()
	column := left + exercisePicture + 5
	width := d.Width() - exercisePicture - 5
	h := exercisePicture * pictureHeight / pictureWidth
	d.keep(12 + max(h, d.height(width, append([]string{e.Summary, strings.Join(e.Cautions, " ")}, e.Steps...))))
	d.Subheading(e.Name)
	y := d.pdf.GetY()
	d.PictureAt(id, left, y+1, exercisePicture)
	d.Beside(column, func() {
		if e.Summary != "" {
			d.Paragraph(e.Summary)
		}
		d.Numbered(e.Steps)
		if len(e.Cautions) > 0 {
			d.Small("Careful: " + strings.Join(e.Cautions, " "))
		}
	})
	d.pdf.SetY(max(d.pdf.GetY(), y+h+2) + 2)
}

// says returns the text of each piece of advice.
func says(advice []care.Advice) []string {
	out := make([]string, len(advice))
	for i, a := range advice {
		out[i] = a.Says
	}
	return out
}

// reasons returns what each rule of a result says.
func reasons(r care.Result) []string {
	out := make([]string, len(r.Reasons))
	for i, reason := range r.Reasons {
		out[i] = reason.Says
	}
	return out
}

// urgencyTitle says an urgency level as a heading.
func urgencyTitle(urgency string) string {
	switch urgency {
	case care.Emergency:
		return "Call emergency services now"
	case care.Urgent:
		return "See a doctor today"
	case care.SeeProfessional:
		return "See a professional"
	}
	return "You can look after this at home"
}

// capital writes s with a capital first letter.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
