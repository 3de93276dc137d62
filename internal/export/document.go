// Package export turns a plan and a diary into things that leave the site:
// PDF handouts, a CSV of the diary and an iCalendar feed. Everything here is
// pure: it writes to an io.Writer and never touches the network or database.
package export

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// DejaVu Sans (Debian's fonts-dejavu-core; the Bitstream Vera licence allows
// embedding) covers every character unknot writes, unlike the PDF core fonts,
// which are cp1252 only.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// fontRanges are the characters kept in the fonts each document loads:
// Latin, Greek and Cyrillic for what people write in their notes, and the
// punctuation, arrows and symbols the handouts use. Cutting the fonts to
// them once makes every PDF about three times quicker to start.
var fontRanges = [][2]rune{
	{0x20, 0x24f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x2000, 0x206f}, {0x20a0, 0x20cf}, {0x2100, 0x214f},
	{0x2190, 0x21ff}, {0x2200, 0x22ff}, {0x25a0, 0x25ff}, {0x2600, 0x26ff}, {0x2700, 0x27bf},
}

// fonts are the regular and bold fonts cut to fontRanges.
var fonts = sync.OnceValues(func() (regular, bold []byte) {
	var keep []rune
	for _, r := range fontRanges {
		for c := r[0]; c <= r[1]; c++ {
			keep = append(keep, c)
		}
	}
	return fpdf.UTF8CutFont(fontRegular, string(keep)), fpdf.UTF8CutFont(fontBold, string(keep))
})

// Page geometry in millimetres (A4 portrait) and the colours of the text.
const (
	pageMargin  = 18.0
	lineHeight  = 5.6
	fontFamily  = "dejavu"
	bodySize    = 10.5
	smallSize   = 8.5
	bulletWidth = 6.0
)

var (
	inkColor    = rgb{26, 26, 26}
	mutedColor  = rgb{74, 74, 74}
	accentColor = rgb{31, 111, 87}
	alertColor  = rgb{164, 18, 28}
	lineColor   = rgb{201, 211, 206}
)

type rgb struct{ r, g, b int }

// footer is the running footer of every page.
const footer = "unknot · not medical advice: it does not replace a doctor, physiotherapist or massage therapist"

// Document is a PDF being written: A4, DejaVu Sans, a running footer that
// says it is not medical advice, and the few building blocks unknot's
// handouts share (headings, paragraphs, lists, callouts, exercise pictures).
// Methods write at the current position and move it down; errors are kept
// and reported by Write.
type Document struct {
	pdf *fpdf.Fpdf
}

// NewDocument starts a document whose first page opens with title.
func NewDocument(title string) *Document {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle(fontText(title), true)
	pdf.SetCreator("unknot", true)
	pdf.SetCreationDate(time.Unix(0, 0).UTC()) // reproducible output
	pdf.SetMargins(pageMargin, pageMargin, pageMargin)
	pdf.SetAutoPageBreak(true, pageMargin+4)
	regular, bold := fonts()
	pdf.AddUTF8FontFromBytes(fontFamily, "", regular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", bold)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pageMargin)
		setColor(pdf, mutedColor)
		pdf.SetFont(fontFamily, "", smallSize)
		pdf.CellFormat(0, 4, fontText(footer), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 4, fmt.Sprintf("page %d", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	d := &Document{pdf: pdf}
	pdf.AddPage()
	d.Title(title)
	return d
}

// Title writes a large heading, as on the first page.
func (d *Document) Title(text string) {
	d.text(text, "B", 20, inkColor, 9)
	d.pdf.Ln(2)
}

// Heading writes a section heading, keeping it on the page of what follows.
func (d *Document) Heading(text string) {
	d.keep(24)
	d.pdf.Ln(3)
	d.text(text, "B", 14, accentColor, 7)
	d.rule()
}

// Subheading writes a smaller heading within a section, keeping it on the
// page of what follows.
func (d *Document) Subheading(text string) {
	d.keep(26)
	d.pdf.Ln(1.5)
	d.text(text, "B", 11.5, inkColor, 6)
}

// Paragraph writes body text, wrapped to the page.
func (d *Document) Paragraph(text string) {
	d.text(text, "", bodySize, inkColor, lineHeight)
	d.pdf.Ln(1.5)
}

// Strong writes a paragraph in bold.
func (d *Document) Strong(text string) {
	d.text(text, "B", bodySize, inkColor, lineHeight)
	d.pdf.Ln(1.5)
}

// Small writes a note in small grey type, such as a source.
func (d *Document) Small(text string) {
	d.text(text, "", smallSize, mutedColor, 4.2)
	d.pdf.Ln(1)
}

// List writes a bulleted list.
func (d *Document) List(items []string) {
	d.list(items, func(int) string { return "•" })
}

// Numbered writes a numbered list.
func (d *Document) Numbered(items []string) {
	d.list(items, func(i int) string { return fmt.Sprintf("%d.", i+1) })
}

// Checklist writes a list with a box to tick before each item.
func (d *Document) Checklist(items []string) {
	d.list(items, func(int) string { return "☐" })
}

func (d *Document) list(items []string, marker func(int) string) {
	p := d.pdf
	p.SetFont(fontFamily, "", bodySize)
	setColor(p, inkColor)
	left, _, right, _ := p.GetMargins()
	w, _ := p.GetPageSize()
	for i, item := range items {
		p.SetX(left)
		d.cell(bulletWidth, lineHeight, marker(i), 0)
		d.multiCell(w-left-right-bulletWidth, lineHeight, item)
	}
	p.Ln(1.5)
}

// Callout writes text in a coloured box that draws the eye: warnings and
// when to seek help. Alert boxes are red, others green.
func (d *Document) Callout(title, text string, alert bool) {
	p := d.pdf
	c := accentColor
	if alert {
		c = alertColor
	}
	left, _, right, _ := p.GetMargins()
	w, _ := p.GetPageSize()
	inner := w - left - right - 8
	p.SetFont(fontFamily, "", bodySize)
	lines := d.lines(text, inner)
	h := float64(lines)*lineHeight + 6
	if title != "" {
		h += 6.5
	}
	d.keep(h + 2)
	y := p.GetY()
	p.SetDrawColor(c.r, c.g, c.b)
	p.SetLineWidth(0.8)
	p.Rect(left, y, w-left-right, h, "D")
	p.SetXY(left+4, y+3)
	if title != "" {
		p.SetFont(fontFamily, "B", 11.5)
		setColor(p, c)
		d.cell(inner, 6.5, title, 2)
		p.SetX(left + 4)
	}
	p.SetFont(fontFamily, "", bodySize)
	setColor(p, inkColor)
	d.multiCell(inner, lineHeight, text)
	p.SetY(y + h + 3)
}

// PictureAt draws the picture of an exercise with its top left corner at
// (x, y), width millimetres wide, without moving the current position.
func (d *Document) PictureAt(exerciseID string, x, y, width float64) bool {
	pic, ok := picture(exerciseID)
	if !ok {
		return false
	}
	cx, cy := d.pdf.GetXY()
	pic.draw(d.pdf, x, y, width/pictureWidth)
	d.pdf.SetXY(cx, cy) // path drawing moves the current position
	setColor(d.pdf, inkColor)
	return true
}

// Beside runs write with the left edge of the text moved to x
// millimetres, to set text beside a picture.
func (d *Document) Beside(x float64, write func()) {
	left, top, right, _ := d.pdf.GetMargins()
	d.pdf.SetMargins(x, top, right)
	defer d.pdf.SetMargins(left, top, right)
	d.pdf.SetX(x)
	write()
}

// height estimates how tall paragraphs of body text are at width
// millimetres, with the space Paragraph leaves after each.
func (d *Document) height(width float64, paragraphs []string) float64 {
	d.pdf.SetFont(fontFamily, "", bodySize)
	h := 0.0
	for _, p := range paragraphs {
		if p != "" {
			h += float64(d.lines(p, width))*lineHeight + 1.5
		}
	}
	return h
}

// Width is the width of the text column in millimetres.
func (d *Document) Width() float64 {
	left, _, right, _ := d.pdf.GetMargins()
	w, _ := d.pdf.GetPageSize()
	return w - left - right
}

// Write finishes the document and writes it to w.
func (d *Document) Write(w io.Writer) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("writing PDF: %w", err)
	}
	return nil
}

// text writes wrapped text in the given style.
func (d *Document) text(s, style string, size float64, c rgb, h float64) {
	p := d.pdf
	p.SetFont(fontFamily, style, size)
	setColor(p, c)
	left, _, _, _ := p.GetMargins()
	p.SetX(left)
	d.multiCell(0, h, strings.TrimSpace(s))
}

// The methods below hand text to fpdf, each through fontText, so that no
// character reaches a font that lacks it; the footer and the pictures'
// labels (svg.go) pass through fontText too, and nothing else draws text.

// multiCell writes s wrapped to w millimetres (0: to the right margin),
// h millimetres a line, left-aligned.
func (d *Document) multiCell(w, h float64, s string) {
	d.pdf.MultiCell(w, h, fontText(s), "", "L", false)
}

// cell writes s on one line in a cell w by h millimetres; ln says where
// the position goes next, as in fpdf's CellFormat.
func (d *Document) cell(w, h float64, s string, ln int) {
	d.pdf.CellFormat(w, h, fontText(s), "", ln, "L", false, 0, "")
}

// lines is the number of lines multiCell would take for s at w millimetres
// in the current font.
func (d *Document) lines(s string, w float64) int {
	return len(d.pdf.SplitText(fontText(s), w))
}

// textAt writes s with its baseline starting at (x, y).
func (d *Document) textAt(x, y float64, s string) {
	d.pdf.Text(x, y, fontText(s))
}

// stringWidth is the width of s in millimetres in the current font.
func (d *Document) stringWidth(s string) float64 {
	return d.pdf.GetStringWidth(fontText(s))
}

// rule draws a thin line across the column under a heading.
func (d *Document) rule() {
	p := d.pdf
	left, _, right, _ := p.GetMargins()
	w, _ := p.GetPageSize()
	y := p.GetY() + 0.5
	p.SetDrawColor(lineColor.r, lineColor.g, lineColor.b)
	p.SetLineWidth(0.3)
	p.Line(left, y, w-right, y)
	p.SetY(y + 2.5)
}

// keep starts a new page unless h millimetres still fit on this one, so
// that a heading or box is not split from its content.
func (d *Document) keep(h float64) {
	p := d.pdf
	_, pageH := p.GetPageSize()
	_, _, _, bottom := p.GetMargins()
	if p.GetY()+h > pageH-bottom {
		p.AddPage()
	}
}

func setColor(p *fpdf.Fpdf, c rgb) { p.SetTextColor(c.r, c.g, c.b) }
