package export

import (
	"fmt"
	"io"
	"strings"

	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

// Widths of the pictures in the handout, in millimetres.
const (
	itemPicture     = 32.0
	exercisePicture = 64.0
)

// Handout writes a self-check result as a printable PDF, from the clinic
// named under its title. A result with a
// plan gets the plan: what the result means, relief right now, the daily
// routine, the 7 days, every exercise with its picture, steps and
// cautions, what to avoid, and when to seek help. An emergency gets the
// numbers to call, what to do while waiting and the emergency's reasons,
// and nothing else; an urgent result gets the doctor's visit and its
// reasons. Each level is said in care.LevelOf's words.
func Handout(w io.Writer, lib *library.Library, r care.Result, call urgency.Numbers, from clinic.Contact) error {
	level := care.LevelOf(r.Urgency)
	if r.Plan == nil {
		d := NewDocument("Your self-check result")
		d.from(from)
		d.outdated(r)
		text := r.Headline
		if r.Urgency == care.Emergency {
			text = "Dial " + call.String() + ". " + text
		}
		d.Callout(level.Title, strings.TrimSpace(text+" "+level.Until), true)
		if r.Urgency == care.Emergency {
			d.titledList(urgency.WhileWaiting(lib))
		} else if level.Worse != "" {
			d.Paragraph(level.Worse)
		}
		d.Heading("Why")
		d.List(reasonLines(urgency.Reasons(lib, r)))
		d.titledList(urgency.AlsoFound(lib, r))
		return d.Write(w)
	}
	d := NewDocument("Your plan for a knot in the neck and upper back")
	d.from(from)
	d.outdated(r)
	d.Callout(level.Title, r.Headline, r.Urgency != care.SelfCare)
	if r.Professional.Suggest {
		d.Paragraph(r.Professional.Why)
	}
	p := r.Plan
	if p.From != "" && len(p.Days) > 0 {
		d.Callout("Your home program", p.Days[0].Focus, false)
	}
	d.Small("Move gently. A stretch should feel like a pull, never sharp pain; stop anything that makes the pain worse, spreads it, or brings on tingling or numbness.")

	d.Heading("Relief right now")
	d.Paragraph("Two or three minutes, no equipment.")
	d.items(lib, p.ReliefNow)

	d.Heading(everyDay(p))
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

	if p.From == "" { // a home program's days are all its every day
		d.Heading(fmt.Sprintf("Your %d days", len(p.Days)))
		d.Paragraph(fmt.Sprintf("On top of the daily routine. Tick each session when it is done. Leave out the strengthening "+
			"exercises until your pain is %d out of 10 or less; the rest of the day's session still helps.", care.StrengthMaxPain))
		d.schedule(lib, p.Days)
	}

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
	d.Paragraph(level.Worse)
	d.Callout(care.LevelOf(care.Emergency).Title+": "+call.String(),
		"if you have any of these: "+strings.Join(urgency.EmergencySigns(lib), "; ")+".", true)
	d.Callout("Not medical advice", "This handout gives general information about muscle knots. It does not diagnose "+
		"and does not replace a doctor, physiotherapist or massage therapist.", false)
	return d.Write(w)
}

// titledList writes a titled list under its own heading, when it has
// items.
func (d *Document) titledList(l urgency.List) {
	if len(l.Items) > 0 {
		d.Heading(l.Title)
		d.List(l.Items)
	}
}

// outdated warns, at the top of a document, when r was saved under an
// earlier version of the self-check.
func (d *Document) outdated(r care.Result) {
	if r.Outdated() {
		d.Callout("Made with an earlier version of the self-check", urgency.OutdatedSays, true)
	}
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
		d.multiCell(w, lineHeight, exerciseName(lib, it.Exercise))
		p.SetX(text)
		p.SetFont(fontFamily, "", bodySize)
		d.multiCell(w, lineHeight, it.Dose())
		if it.Note != "" {
			p.SetX(text)
			p.SetFont(fontFamily, "", smallSize)
			setColor(p, mutedColor)
			d.multiCell(w, 4.2, it.Note)
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

// reasonLines says each reason with the answers that led to it, in the
// questionnaire's words.
func reasonLines(reasons []care.Reason) []string {
	out := make([]string, len(reasons))
	for i, reason := range reasons {
		out[i] = reason.Says
		if len(reason.Because) > 0 {
			labels := make([]string, len(reason.Because))
			for j, path := range reason.Because {
				labels[j] = care.Label(path)
			}
			out[i] += " (Because of your answers: " + strings.Join(labels, "; ") + ".)"
		}
	}
	return out
}

// capital writes s with a capital first letter.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// everyDay is the heading of the daily routine: the self-check's, or the
// home program from a therapist that replaces it.
func everyDay(p *care.Plan) string {
	if p.From != "" {
		return "Every day: your home program from " + p.From
	}
	return "Every day"
}
