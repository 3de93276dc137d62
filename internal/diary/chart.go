package diary

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// ChartData is a trend chart of pain and home-care days, ready for an SVG
// template: a polyline of mean pain (0 at the bottom, 10 at the top) and
// bars for the share of days with home care, in a width × height box.
type ChartData struct {
	Width, Height int
	Left, Right   float64 // the plot's horizontal extent
	PainTop       float64 // y of pain 10
	PainBottom    float64 // y of pain 0
	CareTop       float64 // top of the home-care strip (a full bar)
	CareBottom    float64
	PlotWidth     float64      // Right − Left
	CareHeight    float64      // CareBottom − CareTop
	YLabelX       float64      // where the pain labels end, left of the plot
	Line          string       // polyline points "x,y x,y …"
	Points        []ChartPoint // one per bin with a score
	Care          []ChartBar   // one per bin with home care
	XTicks        []ChartTick
	YTicks        []ChartTick
	BinDays       int    // days per point: 1, or whole weeks for long diaries
	Summary       string // the chart in words, for screen readers and print
	// FontSize and HitRadius are in the chart's units, large enough that
	// at the narrowest width a page shows the chart (MinRenderWidth CSS
	// pixels) its labels are at least 12 px and each point is a touch
	// target at least 24 px across.
	FontSize, HitRadius float64
	// Rechecks are the weekly re-checks' pain scores, marked apart from
	// the diary's points (see MarkRechecks).
	Rechecks []ChartPoint

	// The day numbering of the bins, for MarkRechecks.
	loc               *time.Location
	first, last, bins int
	step              float64
}

// MinRenderWidth is the narrowest width in CSS pixels a page draws a chart
// at: a small phone's 320 px less the page's margins. FontSize and
// HitRadius are sized for it.
const MinRenderWidth = 280

// Smallest label and touch target, in CSS pixels at MinRenderWidth.
const (
	minLabelPx  = 12
	minTargetPx = 24
)

// LabelSizes are the font size and the touch targets' radius, in the
// units of a chart width wide, that are legible and touchable when the
// page draws it at MinRenderWidth: every chart of the site uses them.
func LabelSizes(width int) (font, hitRadius float64) {
	scale := float64(width) / MinRenderWidth // chart units per CSS pixel at the narrowest
	return math.Ceil(minLabelPx * scale), math.Ceil(minTargetPx * scale / 2)
}

// ChartPoint is one plotted mean pain.
type ChartPoint struct {
	X, Y  float64
	Label string // "3 Mar: 4.5"
	// TipX and TipY place the label shown when the point is touched,
	// kept inside the chart.
	TipX, TipY float64
}

// ChartBar is the share of days with home care in one bin.
type ChartBar struct{ X, Y, W, H float64 }

// ChartTick is one axis label at a position along its axis.
type ChartTick struct {
	At   float64
	Text string
}

// maxBarWidth keeps a lone bar of a short diary from filling the strip.
const maxBarWidth = 16

// maxBins bounds the points of a chart: a five-year diary is drawn as
// about this many multi-week means, so the page stays small.
const maxBins = 120

// Chart lays out stats (oldest first, as Daily returns them) in a width ×
// height box. Up to 120 days are drawn day by day; longer diaries in bins
// of whole weeks, as few as keep the chart to at most 120 points, the last
// bin ending on the last day.
func Chart(stats []DayStat, width, height int) ChartData {
	font, hit := LabelSizes(width)
	c := ChartData{
		Width: width, Height: height,
		FontSize: font, HitRadius: hit,
		Left: math.Ceil(2.2 * font), Right: float64(width) - 8,
		PainTop: font, PainBottom: float64(height) - 2*font - 22,
		CareTop: float64(height) - 2*font - 14, CareBottom: float64(height) - font - 10,
		BinDays: 1,
	}
	c.PlotWidth, c.CareHeight, c.YLabelX = c.Right-c.Left, c.CareBottom-c.CareTop, c.Left-6
	c.YTicks = []ChartTick{{c.PainBottom, "0"}, {y(&c, 5), "5"}, {c.PainTop, "10"}}
	if len(stats) == 0 {
		c.Summary = "No entries yet."
		return c
	}
	// Day numbers in the stats' own zone: Date is midnight there.
	loc := stats[0].Date.Location()
	first, last := dayNumber(stats[0].Date, loc), dayNumber(stats[len(stats)-1].Date, loc)
	span := last - first + 1
	if span > maxBins {
		weeks := (span + 7*maxBins - 1) / (7 * maxBins)
		c.BinDays = 7 * weeks
	}
	bins := (span + c.BinDays - 1) / c.BinDays
	type bin struct {
		pain            float64
		scored, careDay int
	}
	acc := make([]bin, bins)
	// Bins count back from the last day, so the newest bin is whole.
	index := func(day int) int { return bins - 1 - (last-day)/c.BinDays }
	painDays, careDays := 0, 0
	for _, d := range stats {
		b := &acc[index(dayNumber(d.Date, loc))]
		if d.Scored > 0 {
			b.pain += d.MeanPain
			b.scored++
			painDays++
		}
		if d.Adherent {
			b.careDay++
			careDays++
		}
	}
	step := (c.Right - c.Left) / float64(bins)
	c.loc, c.first, c.last, c.bins, c.step = loc, first, last, bins, step
	line := make([]byte, 0, bins*12)
	for i, b := range acc {
		x := c.Left + (float64(i)+0.5)*step
		if b.scored > 0 {
			mean := b.pain / float64(b.scored)
			py := y(&c, mean)
			if len(line) > 0 {
				line = append(line, ' ')
			}
			line = appendCoord(line, x, py)
			c.Points = append(c.Points, c.point(x, py, binLabel(i, bins, last, c.BinDays, loc)+": "+oneDecimal(mean)))
		}
		if b.careDay > 0 {
			h := (c.CareBottom - c.CareTop) * float64(b.careDay) / float64(c.BinDays)
			w := min(max(1, step-1), maxBarWidth)
			c.Care = append(c.Care, ChartBar{X: round1(x - w/2), Y: round1(c.CareBottom - h), W: round1(w), H: round1(h)})
		}
	}
	c.Line = string(line)
	format := "2 Jan"
	if span > 365 {
		format = "Jan 2006"
	}
	c.XTicks = []ChartTick{{round1(c.Left), stats[0].Date.Format(format)}}
	if span > 1 {
		c.XTicks = append(c.XTicks, ChartTick{round1(c.Right), stats[len(stats)-1].Date.Format(format)})
	}
	c.Summary = "Pain scores on " + days(painDays) + " and home care on " + days(careDays)
	if span > 1 {
		c.Summary += " between " + stats[0].Date.Format("2 January 2006") + " and " + stats[len(stats)-1].Date.Format("2 January 2006") + "."
	} else {
		c.Summary += " on " + stats[0].Date.Format("2 January 2006") + "."
	}
	if c.BinDays > 1 {
		c.Summary += " Each point is the mean of " + strconv.Itoa(c.BinDays/7) + " weeks."
	}
	return c
}

// point is a plotted score at x, y with its label placed above it, or below
// it near the top, and kept clear of the chart's sides.
func (c *ChartData) point(x, y float64, label string) ChartPoint {
	half := float64(len([]rune(label))) * c.FontSize * 0.3 // about half the label's width
	tipY := y - c.HitRadius - 2
	if tipY < c.FontSize {
		tipY = y + c.HitRadius + c.FontSize
	}
	tipX := min(max(x, c.Left+half), c.Right-half)
	return ChartPoint{X: round1(x), Y: round1(y), Label: label, TipX: round1(tipX), TipY: round1(tipY)}
}

// MarkRechecks adds the pain score of each weekly re-check that falls on
// the chart's days, at its day, so that a re-check reads apart from the
// daily scores. Re-checks before the first day or after the last are left
// out.
func (c *ChartData) MarkRechecks(rs []Recheck) {
	if c.bins == 0 {
		return
	}
	n := 0
	for _, r := range rs {
		day := dayNumber(r.At, c.loc)
		if day < c.first || day > c.last {
			continue
		}
		i := c.bins - 1 - (c.last-day)/c.BinDays
		x := c.Left + (float64(i)+0.5)*c.step
		at := r.At.In(c.loc).Format("2 Jan")
		c.Rechecks = append(c.Rechecks, c.point(x, y(c, float64(r.PainNow)), "Re-check "+at+": "+strconv.Itoa(r.PainNow)))
		n++
	}
	if n > 0 {
		c.Summary += " Weekly re-checks: " + strconv.Itoa(n) + "."
	}
}

// SpanRechecks returns stats, oldest first, with an empty day added for
// each re-check at or after from (zero: any) on a day without entries, so
// that a chart of them spans every re-check and MarkRechecks can mark it
// even when no score was logged that day. stats is not changed.
func SpanRechecks(stats []DayStat, rs []Recheck, from time.Time, loc *time.Location) []DayStat {
	have := map[int]bool{}
	for _, d := range stats {
		have[dayNumber(d.Date, loc)] = true
	}
	out := slices.Clone(stats)
	for _, r := range rs {
		if r.At.Before(from) {
			continue
		}
		if n := dayNumber(r.At, loc); !have[n] {
			have[n] = true
			out = append(out, DayStat{Date: dateOf(n, loc)})
		}
	}
	if len(out) > len(stats) {
		slices.SortFunc(out, func(a, b DayStat) int { return a.Date.Compare(b.Date) })
	}
	return out
}

// days says n days in words.
func days(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// y is the height of a pain score on the chart.
func y(c *ChartData, pain float64) float64 {
	return c.PainBottom - (c.PainBottom-c.PainTop)*pain/10
}

// binLabel names bin i by the date it ends on.
func binLabel(i, bins, last, binDays int, loc *time.Location) string {
	end := dateOf(last-(bins-1-i)*binDays, loc)
	if binDays == 1 {
		return end.Format("2 Jan")
	}
	return "week to " + end.Format("2 Jan 2006")
}

func appendCoord(b []byte, x, y float64) []byte {
	b = strconv.AppendFloat(b, round1(x), 'f', -1, 64)
	b = append(b, ',')
	return strconv.AppendFloat(b, round1(y), 'f', -1, 64)
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
