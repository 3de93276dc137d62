package diary

import (
	"strings"
	"testing"
)

func TestChartDaily(t *testing.T) {
	stats := Daily([]Entry{
		{At: onDay(1), Pain: 6},
		RoutineEntry(onDay(1), 1, nil),
		{At: onDay(3), Pain: 4},
		{At: onDay(3), Pain: 2},
	}, berlin)
	c := Chart(stats, 300, 200)
	if c.BinDays != 1 || len(c.Points) != 2 || len(c.Care) != 1 {
		t.Fatalf("chart = %+v", c)
	}
	// Three days across the plot; pain 6 on day 1, mean 3 on day 3.
	if c.Points[0].Y >= c.Points[1].Y { // SVG's y grows downwards
		t.Errorf("pain 6 not drawn above pain 3: %+v", c.Points)
	}
	if c.Points[0].X >= c.Points[1].X || c.Points[0].X < c.Left || c.Points[1].X > c.Right {
		t.Errorf("points out of place: %+v", c.Points)
	}
	if got := strings.Count(c.Line, ","); got != 2 {
		t.Errorf("line %q has %d points", c.Line, got)
	}
	if c.Points[1].Label != "4 Mar: 3" || !strings.Contains(c.Summary, "2 days") {
		t.Errorf("label %q, summary %q", c.Points[1].Label, c.Summary)
	}
	// Pain 10 is at the top and 0 at the bottom.
	if y(&c, 10) != c.PainTop || y(&c, 0) != c.PainBottom {
		t.Error("scale is off")
	}
}

func TestChartEmpty(t *testing.T) {
	c := Chart(nil, 300, 200)
	if c.Line != "" || len(c.Points) != 0 || c.Summary == "" {
		t.Errorf("empty chart = %+v", c)
	}
}

// A five-year diary is drawn in whole-week bins, at most 120 of them, all
// inside the plot.
func TestChartFiveYearsIsSmall(t *testing.T) {
	es, _ := fiveYears()
	c := Chart(Daily(es, berlin), 640, 240)
	if c.BinDays%7 != 0 || len(c.Points) > maxBins || len(c.Points) < maxBins/2 {
		t.Errorf("%d-day bins, %d points", c.BinDays, len(c.Points))
	}
	for _, p := range c.Points {
		if p.X < c.Left || p.X > c.Right || p.Y < c.PainTop || p.Y > c.PainBottom {
			t.Fatalf("point %+v outside the plot", p)
		}
	}
	for _, b := range c.Care {
		if b.Y < c.CareTop-0.1 || b.Y+b.H > c.CareBottom+0.1 {
			t.Fatalf("bar %+v outside the strip", b)
		}
	}
	if len(c.Line) > 2000 {
		t.Errorf("line is %d bytes", len(c.Line))
	}
	if !strings.Contains(c.Summary, "weeks") {
		t.Errorf("summary %q does not say points are weekly means", c.Summary)
	}
}
