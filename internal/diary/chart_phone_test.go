package diary

import (
	"strings"
	"testing"
	"time"
)

// At the narrowest width a page draws it, the chart's labels are at least
// 12 px and its points at least 24 px across, whatever box it is laid out
// in; and everything stays inside that box.
func TestChartReadableOnPhone(t *testing.T) {
	stats := Daily([]Entry{{At: onDay(1), Pain: 10}, {At: onDay(2), Pain: 0}, {At: onDay(9), Pain: 5}}, berlin)
	for _, box := range [][2]int{{300, 200}, {360, 220}, {640, 240}} {
		c := Chart(stats, box[0], box[1])
		px := float64(MinRenderWidth) / float64(c.Width) // CSS pixels per chart unit
		if got := c.FontSize * px; got < minLabelPx {
			t.Errorf("%v: labels %.1f px", box, got)
		}
		if got := 2 * c.HitRadius * px; got < minTargetPx {
			t.Errorf("%v: touch targets %.1f px", box, got)
		}
		// Room for the labels: the pain axis's labels left of the plot, the
		// dates under the home-care strip, "10" below the top edge.
		if c.YLabelX < 2*0.6*c.FontSize || c.PainTop < c.FontSize/2 || float64(c.Height)-c.CareBottom < c.FontSize+6 {
			t.Errorf("%v: no room for labels: %+v", box, c)
		}
		if c.PainBottom >= c.CareTop {
			t.Errorf("%v: pain plot overlaps the home-care strip", box)
		}
		for _, p := range c.Points {
			half := float64(len(p.Label)) * c.FontSize * 0.3
			if p.TipX-half < c.Left-0.1 || p.TipX+half > c.Right+0.1 || p.TipY < c.FontSize-0.1 || p.TipY > c.PainBottom+c.HitRadius+c.FontSize {
				t.Errorf("%v: label of %+v leaves the chart", box, p)
			}
		}
	}
}

func TestChartMarksRechecks(t *testing.T) {
	stats := Daily([]Entry{{At: onDay(1), Pain: 6}, {At: onDay(8), Pain: 4}}, berlin)
	c := Chart(stats, 360, 220)
	c.MarkRechecks([]Recheck{
		{At: onDay(0), PainNow: 9}, // before the chart: left out
		{At: onDay(1).Add(2 * 3600e9), PainNow: 5},
		{At: onDay(8), PainNow: 2},
		{At: onDay(9), PainNow: 1}, // after the last day: left out
	})
	if len(c.Rechecks) != 2 {
		t.Fatalf("rechecks %+v", c.Rechecks)
	}
	first, second := c.Rechecks[0], c.Rechecks[1]
	// At their days' points, at their own scores.
	if first.X != c.Points[0].X || second.X != c.Points[1].X {
		t.Errorf("re-checks at x %v and %v, points at %v and %v", first.X, second.X, c.Points[0].X, c.Points[1].X)
	}
	if first.Y != round1(y(&c, 5)) || second.Y != round1(y(&c, 2)) {
		t.Errorf("re-check heights %v, %v", first.Y, second.Y)
	}
	if first.Label != "Re-check 2 Mar: 5" || !strings.Contains(c.Summary, "Weekly re-checks: 2.") {
		t.Errorf("label %q, summary %q", first.Label, c.Summary)
	}
	// An empty chart takes no marks.
	e := Chart(nil, 360, 220)
	e.MarkRechecks([]Recheck{{At: onDay(1), PainNow: 3}})
	if len(e.Rechecks) != 0 {
		t.Error("marks on an empty chart")
	}
}

// A re-check on a day without entries still gets its mark: the chart's
// days are widened to it, and only to those at or after the chart's start.
func TestChartSpansRechecks(t *testing.T) {
	stats := Daily([]Entry{{At: onDay(3), Pain: 6}, {At: onDay(5), Pain: 4}}, berlin)
	rs := []Recheck{{At: onDay(1), PainNow: 7}, {At: onDay(4), PainNow: 5}, {At: onDay(10), PainNow: 2}}
	spanned := SpanRechecks(stats, rs, onDay(2), berlin)
	if len(stats) != 2 || len(spanned) != 4 {
		t.Fatalf("%d days, want the 2 of the entries and 2 re-check days (day 1 is before the start)", len(spanned))
	}
	for i := 1; i < len(spanned); i++ {
		if !spanned[i-1].Date.Before(spanned[i].Date) {
			t.Fatalf("days out of order: %v", spanned)
		}
	}
	c := Chart(spanned, 360, 220)
	c.MarkRechecks(rs)
	if len(c.Points) != 2 || len(c.Rechecks) != 2 {
		t.Fatalf("%d points and %d re-checks, want 2 and 2", len(c.Points), len(c.Rechecks))
	}
	if last := c.Rechecks[1]; last.X <= c.Points[1].X || last.X > c.Right || last.Label != "Re-check 11 Mar: 2" {
		t.Errorf("the last re-check %+v, after the last entry at %v", last, c.Points[1].X)
	}
	if got := SpanRechecks(stats, nil, time.Time{}, berlin); len(got) != 2 {
		t.Errorf("no re-checks: %d days", len(got))
	}
}
