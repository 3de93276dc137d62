package diary

import (
	"math"
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
}

// ChartPoint is one plotted mean pain.
type ChartPoint struct {
	X, Y  float64
	Label string // "3 Mar: 4.5"
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
	c := ChartData{
		Width: width, Height: height,
		Left: 30, Right: float64(width) - 8,
		PainTop: 10, PainBottom: float64(height) - 44,
		CareTop: float64(height) - 38, CareBottom: float64(height) - 24,
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
			c.Points = append(c.Points, ChartPoint{X: round1(x), Y: round1(py), Label: binLabel(i, bins, last, c.BinDays, loc) + ": " + oneDecimal(mean)})
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
