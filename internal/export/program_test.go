package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"unknot/internal/care"
	"unknot/internal/program"
	"unknot/internal/urgency"
)

// withProgram is the desk worker's result with a therapist's home program
// (chin tucks three times a day, wall slides once, with notes) in place of
// the self-check's routine.
func withProgram(t *testing.T) care.Result {
	t.Helper()
	r := deskWorker(t)
	p := program.Program{Note: "Keep at it for two weeks.", Items: []program.Item{
		{Item: care.Item{Exercise: "chin_tuck", HoldSeconds: 3, Reps: 10, Sets: 2, Note: "Keep your chin level."}, TimesADay: 3},
		{Item: care.Item{Exercise: "wall_slide", Reps: 8, Sets: 2}, TimesADay: 1},
	}}
	r.Plan = p.Plan(r.Plan, "Ana Ruiz")
	return r
}

func TestHandoutFollowsTheProgram(t *testing.T) {
	text := handoutText(t, withProgram(t), urgency.DefaultNumbers())
	has(t, "handout", text,
		"Your home program",
		"Your home program from your therapist, Ana Ruiz. Keep at it for two weeks.",
		"Every day: your home program from your therapist, Ana Ruiz",
		"Keep your chin level.",
		"Wall slide",
		"hold 3 s, 10 times, 2 sets",
	)
	// Its days are all alike: no 7-day schedule that would contradict it.
	hasNot(t, "handout", text, "Your 7 days")

	// The self-check's own handout says nothing of a therapist.
	own := handoutText(t, deskWorker(t), urgency.DefaultNumbers())
	hasNot(t, "self-check handout", own, "home program")
	has(t, "self-check handout", own, "Your 7 days")
}

func TestCalendarFollowsTheProgram(t *testing.T) {
	f := feed(t, time.Date(2026, 10, 23, 10, 0, 0, 0, time.UTC))
	f.Plan = withProgram(t).Plan
	f.Phase = "strengthening"
	var buf bytes.Buffer
	if err := Calendar(&buf, f); err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	sessions := map[string]int{}
	for _, ev := range cal.Events() {
		summary := ev.GetProperty(ics.ComponentPropertySummary).Value
		if strings.HasPrefix(summary, "Desk break") {
			continue
		}
		desc := strings.ReplaceAll(ev.GetProperty(ics.ComponentPropertyDescription).Value, `\n`, "\n")
		if !strings.HasPrefix(desc, "Your home program from your therapist, Ana Ruiz.\n") {
			t.Fatalf("%s: %q does not say whose program it is", summary, desc)
		}
		for _, when := range program.Sessions {
			if strings.Contains(summary, when) {
				sessions[when]++
				wall := strings.Contains(desc, "Wall slide")
				if wall != (when == "morning") {
					t.Errorf("%s: wall slides %v in %q", summary, wall, desc)
				}
				if !strings.Contains(desc, "Chin tuck") {
					t.Errorf("%s: no chin tucks in %q", summary, desc)
				}
			}
		}
	}
	for _, when := range program.Sessions {
		if sessions[when] != FeedDays {
			t.Errorf("%d %s sessions in %d days", sessions[when], when, FeedDays)
		}
	}
}
