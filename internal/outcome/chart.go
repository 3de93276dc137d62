package outcome

import (
	"math"
	"strconv"
	"strings"
	"time"

	"unknot/internal/diary"
)

// ChartData lays out a History for an SVG template: one line per current
// activity and one for pain, on a shared 0–10 axis, one column per
// measurement, oldest on the left. Each series has its own marker shape,
// so that lines are told apart without colour.
type ChartData struct {
	Width, Height int
	Left, Right   float64 // the plot's horizontal extent
	Top, Bottom   float64 // y of 10 and of 0
	// FontSize and HitRadius are the diary chart's (diary.LabelSizes):
	// legible and touchable at the narrowest width a page draws them.
	FontSize, HitRadius float64
	YLabelX             float64
	YTicks              []diary.ChartTick
	XTicks              []diary.ChartTick
	Series              []Series
	Summary             string // the chart in words, for screen readers
}

// Series is one scale's scores across the measurements.
type Series struct {
	Name   string
	Kind   string // "pain" or "activity"
	Marker string // "circle", "square" or "diamond" for activities; pain is "cross"
	Line   string // polyline points "x,y x,y …"
	Points []Point
}

// Point is one plotted score with its label.
type Point struct {
	X, Y  float64
	Label string // "12 Mar: 6"
}

// markers are the shapes of the activities' points, by slot.
var markers = [MaxActivities]string{"circle", "square", "diamond"}

// Chart lays out h in a width × height box; dates are shown in loc.
func Chart(h History, width, height int, loc *time.Location) ChartData {
	font, hit := diary.LabelSizes(width)
	c := ChartData{
		Width: width, Height: height, FontSize: font, HitRadius: hit,
		Left: math.Ceil(2.2 * font), Right: float64(width) - 10,
		Top: font, Bottom: float64(height) - 2*font,
	}
	c.YLabelX = c.Left - 6
	c.YTicks = []diary.ChartTick{{At: c.Bottom, Text: "0"}, {At: c.y(MaxScore / 2), Text: strconv.Itoa(MaxScore / 2)}, {At: c.Top, Text: strconv.Itoa(MaxScore)}}
	ms := h.Measurements
	if len(ms) == 0 {
		c.Summary = "No measurements yet."
		return c
	}
	x := func(i int) float64 {
		if len(ms) == 1 {
			return round1((c.Left + c.Right) / 2)
		}
		return round1(c.Left + (c.Right-c.Left)*float64(i)/float64(len(ms)-1))
	}
	day := func(i int) string { return ms[i].At.In(loc).Format("2 Jan") }
	for _, a := range h.Current() {
		s := Series{Name: a.Name, Kind: "activity", Marker: markers[(a.Slot-1)%MaxActivities]}
		for i, m := range ms {
			for _, sc := range m.Scores {
				if sc.Activity == a.ID {
					s.Points = append(s.Points, Point{X: x(i), Y: c.y(float64(sc.Score)), Label: day(i) + ": " + strconv.Itoa(sc.Score)})
				}
			}
		}
		if len(s.Points) > 0 {
			s.Line = line(s.Points)
			c.Series = append(c.Series, s)
		}
	}
	pain := Series{Name: "pain (lower is better)", Kind: "pain", Marker: "cross"}
	for i, m := range ms {
		pain.Points = append(pain.Points, Point{X: x(i), Y: c.y(float64(m.Pain)), Label: day(i) + ": " + strconv.Itoa(m.Pain)})
	}
	pain.Line = line(pain.Points)
	c.Series = append(c.Series, pain)
	c.XTicks = []diary.ChartTick{{At: x(0), Text: day(0)}}
	if len(ms) > 1 {
		c.XTicks = append(c.XTicks, diary.ChartTick{At: x(len(ms) - 1), Text: day(len(ms) - 1)})
	}
	n := strconv.Itoa(len(ms)) + " measurements"
	if len(ms) == 1 {
		n = "1 measurement"
	}
	c.Summary = n + " from " + ms[0].At.In(loc).Format("2 January 2006") + " to " + ms[len(ms)-1].At.In(loc).Format("2 January 2006") + ". " + activities(len(c.Series)-1) + " and pain, each from 0 to 10; for activities higher is better, for pain lower is better."
	return c
}

// y is the height of a score.
func (c *ChartData) y(score float64) float64 {
	return round1(c.Bottom - (c.Bottom-c.Top)*score/MaxScore)
}

func line(ps []Point) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(p.X, 'f', -1, 64) + "," + strconv.FormatFloat(p.Y, 'f', -1, 64))
	}
	return b.String()
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }

// activities says n activities in words.
func activities(n int) string {
	if n == 1 {
		return "1 activity"
	}
	return strconv.Itoa(n) + " activities"
}
