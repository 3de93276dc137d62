package web

import (
	"encoding/xml"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"unknot/internal/diary"
)

// The diary chart on a phone: labels at least 12 px and points at least
// 24 px across at the narrowest width it is drawn at, re-checks marked
// apart, and the re-check's pain score in the list of entries.
func TestDiaryChartOnPhone(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	if resp, _ := postForm(t, ts.URL+plan+"/diary", url.Values{"pain": {"6"}}); resp.StatusCode >= 400 {
		t.Fatalf("diary entry: %d", resp.StatusCode)
	}
	if resp, _ := postForm(t, ts.URL+plan+"/recheck", url.Values{"pain_now": {"3"}}); resp.StatusCode >= 400 {
		t.Fatalf("re-check: %d", resp.StatusCode)
	}
	_, body := get(t, ts.URL+plan+"/diary")

	svg := regexp.MustCompile(`(?s)<svg viewBox="0 0 (\d+) \d+"[^>]*font-size="([\d.]+)">.*?</svg>`).FindStringSubmatch(body)
	if svg == nil {
		t.Fatal("no chart with a font size")
	}
	width, _ := strconv.ParseFloat(svg[1], 64)
	font, _ := strconv.ParseFloat(svg[2], 64)
	px := diary.MinRenderWidth / width // CSS pixels per chart unit on a small phone
	if font*px < 12 {
		t.Errorf("labels %.1f px at %d px wide", font*px, diary.MinRenderWidth)
	}
	if strings.Contains(svg[0], "font-size:") || strings.Contains(svg[0], "style=") {
		t.Error("a style overrides the chart's font size")
	}
	if err := xml.Unmarshal([]byte(svg[0]), new(struct{})); err != nil {
		t.Errorf("chart is not well-formed: %v", err)
	}
	hits := regexp.MustCompile(`<circle class="hit" cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"/>`).FindAllStringSubmatch(svg[0], -1)
	if len(hits) != 2 { // today's entry and the re-check
		t.Fatalf("%d touch targets, want 2", len(hits))
	}
	for _, h := range hits {
		if r, _ := strconv.ParseFloat(h[1], 64); 2*r*px < 24 {
			t.Errorf("touch target %.1f px across", 2*r*px)
		}
	}
	for _, want := range []string{`<g class="pt recheck" tabindex="-1">`, `<path class="mark" d="M`, `>Re-check `, `: 3</text>`, `<span class="key recheck">Weekly re-check</span>`} {
		if !strings.Contains(svg[0]+body, want) {
			t.Errorf("no %s", want)
		}
	}
	// The list shows the re-check with its pain score, newest first.
	if !regexp.MustCompile(`<li class="recheck"><p><strong>[^<]+</strong> · weekly re-check: pain 3</p>`).MatchString(body) {
		t.Error("re-check's pain score not in the entries")
	}
	if strings.Index(body, "weekly re-check: pain 3") > strings.Index(body, ": pain 6") {
		t.Error("re-check, the newest, not listed first")
	}
}
