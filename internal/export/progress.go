package export

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

// maxReportEntries bounds the diary table of the progress report; the CSV
// has every entry.
const maxReportEntries = 150

// ProgressData is what the progress report is made from.
type ProgressData struct {
	Result care.Result // the plan's current result
	// Answers are the self-check's answers as saved. The report reads them
	// leniently, so that answers saved under an earlier version of the
	// contract, whose warning signs had other names, read as they were
	// saved.
	Answers  json.RawMessage
	Taken    time.Time // when the self-check was done
	Progress diary.Progress
	Entries  []diary.Entry // oldest first
	Rechecks []diary.Recheck
	Location *time.Location // the person's time zone
	Now      time.Time
	// Clinic is the clinic that gives the report out, named under its
	// title; empty without one.
	Clinic clinic.Contact
}

// reportAnswers are the answers the report shows, by their names in
// every version of the contract.
type reportAnswers struct {
	PainNow      int             `json:"pain_now"`
	DurationDays int             `json:"duration_days"`
	Regions      []string        `json:"regions"`
	Symptoms     map[string]bool `json:"symptoms"`
}

// ProgressReport writes a PDF for a doctor or therapist: what the diary
// raised, a chart of pain and home care, the weekly re-checks, the
// self-check's result and reasons, and the latest diary entries.
func ProgressReport(w io.Writer, lib *library.Library, r ProgressData) error {
	var answers reportAnswers
	if err := json.Unmarshal(r.Answers, &answers); err != nil {
		return fmt.Errorf("progress report: reading the saved answers: %w", err)
	}
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	d := NewDocument("Progress report: knot in the neck and upper back")
	d.from(r.Clinic)
	d.Small(fmt.Sprintf("Made on %s from the person's own diary in unknot. Times are in %s. It is a record kept by the person, not a clinical assessment.",
		r.Now.In(loc).Format("2 January 2006"), loc))
	d.outdated(r.Result)

	for _, a := range r.Progress.Alerts {
		d.Callout(a.Says, a.Because+" "+a.Action, true)
	}

	d.Heading("Summary")
	scored, adherent := 0, 0
	for _, day := range r.Progress.Daily {
		if day.Scored > 0 {
			scored++
		}
		if day.Adherent {
			adherent++
		}
	}
	facts := []string{
		"Self-check on " + r.Taken.In(loc).Format("2 January 2006") + ": " + care.LevelOf(r.Result.Urgency).Title + ". Pain then " + strconv.Itoa(answers.PainNow) + " out of 10, for " + days(answers.DurationDays) + " before.",
		"Where: " + regionNames(answers.Regions) + ".",
		"Latest pain score: " + painText(r.Progress.LatestPain) + ".",
		fmt.Sprintf("Diary: %d entries; pain scored on %d days; home care on %d days.", len(r.Entries), scored, adherent),
	}
	if r.Result.Plan != nil {
		facts = append(facts, fmt.Sprintf("Program: day %d of %d, %s phase.", r.Progress.ProgramDay, care.ProgramDays, r.Progress.Phase))
	}
	d.List(facts)

	d.Heading("Pain and home care")
	d.chart(diary.Chart(r.Progress.Daily, 640, 240))

	if len(r.Rechecks) > 0 {
		d.Heading("Weekly re-checks")
		before := answers.PainNow
		rows := make([][]string, 0, len(r.Rechecks))
		for _, rc := range r.Rechecks {
			flag := "none"
			if rc.RedFlag() {
				flag = "yes"
			}
			rows = append(rows, []string{rc.At.In(loc).Format("2 Jan 2006"), strconv.Itoa(rc.PainNow), diary.Compare(before, rc.PainNow).Says(), flag, care.LevelOf(rc.Urgency).Name})
			before = rc.PainNow
		}
		d.Table([]float64{24, 12, 72, 24, 42}, []string{"Date", "Pain", "Change", "Warning sign", "Result"}, rows)
	}

	d.Heading("The self-check")
	d.Strong(care.LevelOf(r.Result.Urgency).Title + ". " + r.Result.Headline)
	if why := urgency.Reasons(lib, r.Result); len(why) > 0 {
		d.List(reasonLines(why))
	}
	d.titledList(urgency.AlsoFound(lib, r.Result))
	if len(r.Result.Causes) > 0 && r.Result.Plan != nil {
		names := make([]string, len(r.Result.Causes))
		for i, c := range r.Result.Causes {
			names[i] = c
			if cause, ok := lib.Cause(c); ok {
				names[i] = cause.Title
			}
		}
		d.Paragraph("Likely causes: " + strings.Join(names, ", ") + ".")
	}
	if yes := symptomsYes(answers.Symptoms); len(yes) > 0 {
		d.Paragraph("Warning signs answered yes: " + strings.Join(yes, "; ") + ".")
	} else {
		d.Paragraph("No warning signs were answered yes at the self-check.")
	}

	d.Heading("Diary")
	entries := slices.Clone(r.Entries)
	slices.Reverse(entries) // newest first
	if len(entries) > maxReportEntries {
		d.Small(fmt.Sprintf("The latest %d of %d entries; the CSV export has them all.", maxReportEntries, len(entries)))
		entries = entries[:maxReportEntries]
	}
	if len(entries) == 0 {
		d.Paragraph("No entries yet.")
	}
	rows := make([][]string, 0, len(entries))
	for _, e := range entries {
		done := strings.Join(namesOf(lib, e.Done), ", ")
		if e.Routine {
			done = strings.TrimSuffix("Routine, day "+strconv.Itoa(e.Day)+". "+done, " ")
		}
		rows = append(rows, []string{e.At.In(loc).Format("2 Jan 2006 15:04"), painText(e.Pain), regionNames(e.Regions), done, e.Note})
	}
	if len(rows) > 0 {
		d.Table([]float64{30, 12, 36, 48, 48}, []string{"When", "Pain", "Where", "Done", "Note"}, rows)
	}
	d.Callout("Not medical advice", "unknot gives general information about muscle knots; this report is the person's own record and not a diagnosis.", false)
	return d.Write(w)
}

// chart draws a diary chart laid out by diary.Chart, scaled to the width of
// the text column: pain as a line with points (0 to 10), home care as bars.
func (d *Document) chart(c diary.ChartData) {
	p := d.pdf
	scale := d.Width() / float64(c.Width)
	h := float64(c.Height) * scale
	d.keep(h + 12)
	left, _, _, _ := p.GetMargins()
	top := p.GetY()
	X := func(v float64) float64 { return left + v*scale }
	Y := func(v float64) float64 { return top + v*scale }

	p.SetLineWidth(0.2)
	p.SetDrawColor(lineColor.r, lineColor.g, lineColor.b)
	p.SetFont(fontFamily, "", smallSize)
	setColor(p, mutedColor)
	for _, t := range c.YTicks {
		p.Line(X(c.Left), Y(t.At), X(c.Right), Y(t.At))
		d.textAt(X(c.Left)-5, Y(t.At)+1, t.Text)
	}
	d.textAt(X(c.Left), Y(c.PainTop)-2, "pain (0–10)")
	d.textAt(X(c.Left), Y(c.CareTop)-1, "home care")
	for i, t := range c.XTicks {
		w := d.stringWidth(t.Text)
		x := X(t.At)
		if i == len(c.XTicks)-1 {
			x -= w
		}
		d.textAt(x, Y(c.CareBottom)+5, t.Text)
	}
	p.SetFillColor(accentColor.r, accentColor.g, accentColor.b)
	p.SetAlpha(0.45, "Normal")
	for _, b := range c.Care {
		p.Rect(X(b.X), Y(b.Y), b.W*scale, b.H*scale, "F")
	}
	p.SetAlpha(1, "Normal")
	p.SetDrawColor(alertColor.r, alertColor.g, alertColor.b)
	p.SetFillColor(alertColor.r, alertColor.g, alertColor.b)
	p.SetLineWidth(0.5)
	for i, pt := range c.Points {
		if i > 0 {
			prev := c.Points[i-1]
			p.Line(X(prev.X), Y(prev.Y), X(pt.X), Y(pt.Y))
		}
		if len(c.Points) <= 60 {
			p.Circle(X(pt.X), Y(pt.Y), 0.7, "F")
		}
	}
	p.SetY(top + h + 2)
	d.Small(c.Summary)
}

// Table writes rows under a header, each cell wrapped to its column's width
// in millimetres; a row never breaks across pages, and the header is
// repeated on each new page.
func (d *Document) Table(widths []float64, header []string, rows [][]string) {
	p := d.pdf
	const lh = 4.4
	row := func(cells []string, style string, fill bool) {
		p.SetFont(fontFamily, style, smallSize)
		lines := 1
		for i, c := range cells {
			lines = max(lines, d.lines(c, widths[i]-2))
		}
		h := float64(lines)*lh + 1.5
		if d.keep(h); p.GetY() < pageMargin+0.1 && style == "" {
			d.tableHeader(widths, header, lh)
			p.SetFont(fontFamily, style, smallSize)
		}
		left, _, _, _ := p.GetMargins()
		x, y := left, p.GetY()
		if fill {
			p.SetFillColor(243, 246, 244)
			p.Rect(x, y, sum(widths), h, "F")
		}
		setColor(p, inkColor)
		for i, c := range cells {
			p.SetXY(x+1, y+0.75)
			d.multiCell(widths[i]-2, lh, c)
			x += widths[i]
		}
		p.SetDrawColor(lineColor.r, lineColor.g, lineColor.b)
		p.SetLineWidth(0.2)
		p.Line(left, y+h, left+sum(widths), y+h)
		p.SetXY(left, y+h)
	}
	d.keep(3 * lh)
	d.tableHeader(widths, header, lh)
	for i, r := range rows {
		row(r, "", i%2 == 1)
	}
	p.Ln(3)
}

// tableHeader writes the header row of a table.
func (d *Document) tableHeader(widths []float64, header []string, lh float64) {
	p := d.pdf
	p.SetFont(fontFamily, "B", smallSize)
	setColor(p, inkColor)
	left, _, _, _ := p.GetMargins()
	x, y := left, p.GetY()
	for i, h := range header {
		p.SetXY(x+1, y+0.75)
		d.cell(widths[i]-2, lh, h, 0)
		x += widths[i]
	}
	p.SetDrawColor(inkColor.r, inkColor.g, inkColor.b)
	p.SetLineWidth(0.4)
	p.Line(left, y+lh+1.5, left+sum(widths), y+lh+1.5)
	p.SetXY(left, y+lh+1.5)
}

func sum(fs []float64) float64 {
	t := 0.0
	for _, f := range fs {
		t += f
	}
	return t
}

// painText says a pain score, or that there is none.
func painText(pain int) string {
	if pain == diary.NoScore {
		return "–"
	}
	return strconv.Itoa(pain)
}

// days says a number of days.
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// regionNames says body-map regions in the questionnaire's words.
func regionNames(regions []string) string {
	names := make([]string, 0, len(regions))
	for _, r := range regions {
		name := strings.ReplaceAll(r, "_", " ")
		for _, c := range care.Regions {
			if c.Value == r {
				name = c.Label
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// namesOf names exercises.
func namesOf(lib *library.Library, ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = exerciseName(lib, id)
	}
	return out
}

// symptomsYes lists the warning signs answered yes, in the
// questionnaire's words: first those it asks today, in its order, then
// any of an earlier version, by their names.
func symptomsYes(answered map[string]bool) []string {
	var yes []string
	seen := map[string]bool{}
	for _, g := range care.SymptomGroups {
		for _, q := range g.Items {
			if answered[q.Value] {
				yes = append(yes, q.Label)
			}
			seen[q.Value] = true
		}
	}
	var older []string
	for name, on := range answered {
		if on && !seen[name] {
			older = append(older, strings.ReplaceAll(name, "_", " "))
		}
	}
	slices.Sort(older)
	return append(yes, older...)
}
