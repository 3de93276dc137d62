package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/diary"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

// deskWorker is the result of a desk worker with an over-stretched knot at
// the base of the skull: a plan with micro-breaks and every kind of item.
func deskWorker(t testing.TB) care.Result {
	t.Helper()
	desk := 8.0
	r := care.Assess(library.Default(), care.Answers{
		Version: care.Version, Age: 38, Regions: []string{"top_of_shoulder", "base_of_skull"}, DurationDays: 5, Onset: "gradual", PainNow: 4,
		Habits: care.Habits{DeskHours: &desk, Posture: []string{"rounded_shoulders"}, RepetitiveBackUse: true},
		Tried:  []care.Tried{{What: "heat", Helped: "somewhat"}},
	})
	if r.Plan == nil || r.Plan.Daily.WorkdayBreaks == nil {
		t.Fatalf("no plan with desk breaks: %s", r.Urgency)
	}
	return r
}

func TestEveryPictureIsSupported(t *testing.T) {
	for _, e := range library.Default().Exercises {
		src, ok := library.Picture(e.ID)
		if !ok {
			t.Errorf("%s: no picture", e.ID)
			continue
		}
		d, err := parseSVG(src)
		if err != nil {
			t.Errorf("%s: %v", e.ID, err)
			continue
		}
		if len(d.shapes) < 5 {
			t.Errorf("%s: only %d shapes", e.ID, len(d.shapes))
		}
		if _, ok := picture(e.ID); !ok {
			t.Errorf("%s: not in the parsed pictures", e.ID)
		}
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		d    string
		want string // commands
		end  [2]float64
	}{
		{"M4 150H316", "ML", [2]float64{316, 150}},
		{"M36 111 70 111", "ML", [2]float64{70, 111}},
		{"M152 80h16m-5-4 5 4-5 4", "MLMLL", [2]float64{163, 84}},
		{"M55 106Q52 78 59 51", "MQ", [2]float64{59, 51}},
		{"M10 10q5 5 10 0z", "MQZ", [2]float64{20, 10}},
		{"M84 29A7 7 0 1 1 76 30", "MCCCC", [2]float64{76, 30}},
		{"M0 0a10 10 0 0 1 20 0", "MCC", [2]float64{20, 0}},
		{"M0 0A5 5 0 1120 0", "MCC", [2]float64{20, 0}}, // compact flags; radius scaled up
		{"M1.5.5L2e1,3", "ML", [2]float64{20, 3}},
	}
	for _, tt := range tests {
		segs, err := parsePath(tt.d)
		if err != nil {
			t.Errorf("%q: %v", tt.d, err)
			continue
		}
		var cmds []byte
		for _, s := range segs {
			cmds = append(cmds, s.cmd)
		}
		if string(cmds) != tt.want {
			t.Errorf("%q: commands %s, want %s", tt.d, cmds, tt.want)
		}
		last := segs[len(segs)-1]
		if last.cmd == 'Z' {
			continue
		}
		p := last.pts[len(last.pts)-2:]
		if math.Abs(p[0]-tt.end[0]) > 1e-9 || math.Abs(p[1]-tt.end[1]) > 1e-9 {
			t.Errorf("%q: ends at %v, want %v", tt.d, p, tt.end)
		}
	}
	for _, bad := range []string{"10 10", "M10", "M0 0S1 1 2 2", "M0 0A5 5 0 2 1 3 3", "M0 0L1 x", "M0 0Z1 2", "Z152 80"} {
		if _, err := parsePath(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestArcStaysOnTheCircle checks the Bézier approximation of a half circle
// against the circle it stands for.
func TestArcStaysOnTheCircle(t *testing.T) {
	segs := arcToCubics(0, 0, 10, 10, 0, false, true, 20, 0)
	x0, y0 := 0.0, 0.0
	for _, s := range segs {
		// Each curve's midpoint (t = 0.5) lies on the circle of radius 10
		// around (10, 0).
		mx := (x0 + 3*s.pts[0] + 3*s.pts[2] + s.pts[4]) / 8
		my := (y0 + 3*s.pts[1] + 3*s.pts[3] + s.pts[5]) / 8
		if r := math.Hypot(mx-10, my); math.Abs(r-10) > 0.01 {
			t.Errorf("midpoint (%.3f, %.3f) is %.4f from the centre, want 10", mx, my, r)
		}
		x0, y0 = s.pts[4], s.pts[5]
	}
	if len(segs) != 2 {
		t.Errorf("a half circle in %d curves, want 2", len(segs))
	}
}

func FuzzParsePath(f *testing.F) {
	for _, d := range []string{"M4 150H316", "M152 80h16m-5-4 5 4-5 4", "M84 29A7 7 0 1 1 76 30", "M0 0A5 5 0 1120 0z", "M1e5-.5"} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, d string) {
		segs, err := parsePath(d)
		if err != nil {
			return
		}
		for _, s := range segs {
			want := map[byte]int{'M': 2, 'L': 2, 'Q': 4, 'C': 6, 'Z': 0}[s.cmd]
			if len(s.pts) != want {
				t.Fatalf("%q: segment %c with %d numbers", d, s.cmd, len(s.pts))
			}
		}
	})
}

// render turns page 1 of a PDF into a PNG with poppler's pdftoppm, which
// fails on a broken PDF. Without pdftoppm the check is skipped, except in
// CI, where .ci/run installs it. UNKNOT_KEEP_PNG=DIR keeps the PNG to look at.
func render(t *testing.T, name string, pdf []byte) {
	t.Helper()
	exe, err := exec.LookPath("pdftoppm")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftoppm is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftoppm is missing; install poppler-utils to render the PDF")
	}
	dir := t.TempDir()
	if keep := os.Getenv("UNKNOT_KEEP_PNG"); keep != "" {
		dir = keep
	}
	in := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(exe, "-png", "-r", "50", "-f", "1", "-l", "2", in, filepath.Join(dir, name)).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, name+"*.png"))
	if len(pngs) == 0 {
		t.Fatal("pdftoppm wrote no page")
	}
}

func TestHandout(t *testing.T) {
	var buf bytes.Buffer
	if err := Handout(&buf, library.Default(), deskWorker(t), urgency.DefaultNumbers(), clinic.Contact{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("does not start with %%PDF: %q", buf.Bytes()[:min(8, buf.Len())])
	}
	render(t, "handout", buf.Bytes())
}

func TestHandoutWithoutPlan(t *testing.T) {
	r := care.Assess(library.Default(), care.Answers{Version: care.Version, Age: 38, Regions: []string{"back_of_neck"}, DurationDays: 1, Onset: "gradual", PainNow: 5,
		Symptoms: care.Symptoms{TinglingOrNumbnessBothHands: true}})
	if r.Plan != nil {
		t.Fatal("an urgent result has a plan")
	}
	var buf bytes.Buffer
	if err := Handout(&buf, library.Default(), r, urgency.DefaultNumbers(), clinic.Contact{}); err != nil {
		t.Fatal(err)
	}
	render(t, "urgent", buf.Bytes())
}

func BenchmarkHandoutPDF(b *testing.B) {
	lib, r := library.Default(), deskWorker(b)
	for b.Loop() {
		if err := Handout(io.Discard, lib, r, urgency.DefaultNumbers(), clinic.Contact{}); err != nil {
			b.Fatal(err)
		}
	}
}

// feed is a calendar feed of the desk worker's plan in Berlin, on the day
// summer time ends, with working hours 09:00–17:00 on Monday to Friday.
func feed(t *testing.T, now time.Time) Feed {
	s := diary.DefaultSettings()
	s.TimeZone = "Europe/Berlin"
	return Feed{Plan: deskWorker(t).Plan, Lib: library.Default(), Key: "k3y", ProgramDay: 1, Phase: diary.Relief, Settings: s, Now: now, Link: "https://unknot.example/plan/x/today"}
}

func TestCalendar(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 10, 23, 10, 0, 0, 0, berlin) // a Friday; summer time ends on Sunday the 25th
	var buf bytes.Buffer
	if err := Calendar(&buf, feed(t, now)); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
		t.Error("a line ends without CRLF")
	}
	for _, line := range strings.Split(text, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parsing the feed back: %v", err)
	}
	if tz := cal.Timezones(); len(tz) != 1 || len(tz[0].Components) != 2 {
		t.Errorf("want one VTIMEZONE with summer and winter time, got %d", len(cal.Timezones()))
	}
	events := cal.Events()
	breaks := map[string]int{} // date → breaks
	sessions := 0
	uids := map[string]bool{}
	for _, ev := range events {
		uid := ev.Id()
		if uids[uid] {
			t.Errorf("UID %s twice", uid)
		}
		uids[uid] = true
		if len(ev.Alarms()) != 1 {
			t.Errorf("%s: %d alarms", uid, len(ev.Alarms()))
		}
		start := ev.GetProperty(ics.ComponentPropertyDtStart)
		if tzid := start.ICalParameters["TZID"]; len(tzid) != 1 || tzid[0] != "Europe/Berlin" {
			t.Errorf("%s: DTSTART TZID %v", uid, tzid)
		}
		at, err := ev.GetStartAt()
		if err != nil {
			t.Fatalf("%s: %v", uid, err)
		}
		at = at.In(berlin)
		if strings.Contains(uid, "-break-") {
			breaks[at.Format("Mon 02")]++
			if h := at.Hour()*60 + at.Minute(); h < 9*60 || h > 17*60-2 {
				t.Errorf("%s: a break at %s, outside working hours", uid, at.Format("15:04"))
			}
		} else {
			sessions++
			if !strings.Contains(ev.GetProperty(ics.ComponentPropertyDescription).Value, "/today") {
				t.Errorf("%s: no link to the routine", uid)
			}
		}
	}
	every := deskWorker(t).Plan.Daily.WorkdayBreaks.EveryMinutes
	perDay := (8*60 - every) / every // from 09:00+every, the last ending by 17:00
	want := map[string]int{"Fri 23": perDay, "Mon 26": perDay, "Tue 27": perDay, "Wed 28": perDay, "Thu 29": perDay}
	for day, n := range breaks {
		if want[day] != n {
			t.Errorf("%s: %d breaks, want %d", day, n, want[day])
		}
	}
	if len(breaks) != len(want) {
		t.Errorf("breaks on %v, want on %v", breaks, want)
	}
	if sessions < 7 {
		t.Errorf("%d routine sessions in 7 days", sessions)
	}

	// The same feed made later the same day has the same UIDs.
	var again bytes.Buffer
	if err := Calendar(&again, feed(t, now.Add(3*time.Hour))); err != nil {
		t.Fatal(err)
	}
	cal2, err := ics.ParseCalendar(&again)
	if err != nil {
		t.Fatal(err)
	}
	var first, second []string
	for _, ev := range events {
		first = append(first, ev.Id())
	}
	for _, ev := range cal2.Events() {
		second = append(second, ev.Id())
	}
	if !slices.Equal(first, second) {
		t.Error("UIDs differ between two renders")
	}
}

func TestCalendarInUTCHasNoTimezone(t *testing.T) {
	f := feed(t, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	f.Settings.TimeZone = ""
	var buf bytes.Buffer
	if err := Calendar(&buf, f); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "VTIMEZONE") || strings.Contains(buf.String(), "TZID=") {
		t.Error("a UTC feed names a time zone")
	}
	if !strings.Contains(buf.String(), "DTSTART:20260302T173000Z") {
		t.Error("no afternoon session at 17:30 UTC on the first day")
	}
}

func TestUTCOffset(t *testing.T) {
	for secs, want := range map[int]string{3600: "+0100", -5 * 3600: "-0500", 19800: "+0530", 0: "+0000"} {
		if got := utcOffset(secs); got != want {
			t.Errorf("utcOffset(%d) = %s, want %s", secs, got, want)
		}
	}
}

func TestDiaryCSV(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC) // 08:30 the next day in Tokyo
	entries := []diary.Entry{
		{At: at, Pain: 6, Regions: []string{"back_of_neck", "top_of_shoulder"}, Note: "sore, \"stiff\"\nafter work"},
		{At: at.Add(time.Hour), Pain: diary.NoScore, Done: []string{"chin_tuck"}, Routine: true, Day: 2},
		{At: at.Add(2 * time.Hour), Pain: 3, Note: "=HYPERLINK(\"http://evil\")"},
		{At: at.Add(3 * time.Hour), Pain: 0, Note: "+1"},
		{At: at.Add(4 * time.Hour), Pain: 0, Note: "@SUM(A1)"},
		{At: at.Add(5 * time.Hour), Pain: 0, Note: "-2 after heat"},
	}
	var buf bytes.Buffer
	if err := DiaryCSV(&buf, entries, tokyo); err != nil {
		t.Fatal(err)
	}
	if strings.Count(buf.String(), "\r\n") != 1+len(entries)+1 { // one line break inside the first note
		t.Errorf("want CRLF line ends:\n%q", buf.String())
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], csvHeader) || len(rows) != 1+len(entries) {
		t.Fatalf("header %v and %d rows", rows[0], len(rows))
	}
	want := [][]string{
		{"2026-03-02", "08:30", "2026-03-02T08:30:00+09:00", "6", "back_of_neck;top_of_shoulder", "", "false", "", "sore, \"stiff\"\nafter work"},
		{"2026-03-02", "09:30", "2026-03-02T09:30:00+09:00", "", "", "chin_tuck", "true", "2", ""},
	}
	for i, w := range want {
		if !slices.Equal(rows[1+i], w) {
			t.Errorf("row %d\n got %q\nwant %q", i+1, rows[1+i], w)
		}
	}
	for i, note := range []string{"'=HYPERLINK(\"http://evil\")", "'+1", "'@SUM(A1)", "'-2 after heat"} {
		if got := rows[3+i][8]; got != note {
			t.Errorf("note %q, want %q", got, note)
		}
	}
}

// diaryOf makes a diary of n days with a pain score every day (falling from
// 7 towards 3), home care most days and a note now and then.
func diaryOf(n int, start time.Time) []diary.Entry {
	var out []diary.Entry
	for i := range n {
		at := start.AddDate(0, 0, i).Add(8 * time.Hour)
		e := diary.Entry{At: at, Pain: max(3, 7-i/5), Regions: []string{"top_of_shoulder"}}
		if i%4 == 0 {
			e.Note = "Stiff after a long day at the desk; heat helped."
		}
		out = append(out, e)
		if i%3 != 2 {
			out = append(out, diary.RoutineEntry(at.Add(10*time.Hour), min(i+1, 7), []string{"chin_tuck", "cat_cow"}))
		}
	}
	return out
}

func TestProgressReport(t *testing.T) {
	r := deskWorker(t)
	taken := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	now := taken.AddDate(0, 0, 30)
	entries := diaryOf(30, taken)
	rechecks := []diary.Recheck{{At: taken.AddDate(0, 0, 7), PainNow: 5, Urgency: care.SelfCare}, {At: taken.AddDate(0, 0, 14), PainNow: 4, Urgency: care.SelfCare}}
	progress := diary.Assess(taken.AddDate(0, 0, -5), taken, entries, rechecks, time.UTC, now)
	if len(progress.Alerts) == 0 {
		t.Fatal("want an alert in the report (pain beyond 21 days)")
	}
	var buf bytes.Buffer
	err := ProgressReport(&buf, library.Default(), ProgressData{
		Result: r, Answers: json.RawMessage(`{"version":2,"regions":["top_of_shoulder"],"duration_days":5,"pain_now":4}`),
		Taken: taken, Progress: progress, Entries: entries, Rechecks: rechecks, Location: time.UTC, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	render(t, "progress", buf.Bytes())
}

func TestProgressReportOfAnEmptyDiary(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	err := ProgressReport(&buf, library.Default(), ProgressData{Result: deskWorker(t), Answers: json.RawMessage(`{}`), Taken: now, Progress: diary.Assess(now, now, nil, nil, time.UTC, now), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	render(t, "empty", buf.Bytes())
}

// fiveYears is a diary of five years: a score and a routine most days,
// about 5,000 entries.
func fiveYears() ([]diary.Entry, diary.Progress, time.Time) {
	start := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	entries := diaryOf(5*365, start)
	now := start.AddDate(5, 0, 0)
	return entries, diary.Assess(start, start, entries, nil, time.UTC, now), now
}

func BenchmarkProgressReport5Years(b *testing.B) {
	lib, r := library.Default(), deskWorker(b)
	entries, progress, now := fiveYears()
	b.ReportMetric(float64(len(entries)), "entries")
	for b.Loop() {
		err := ProgressReport(io.Discard, lib, ProgressData{Result: r, Answers: json.RawMessage(`{}`), Taken: now, Progress: progress, Entries: entries, Location: time.UTC, Now: now})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiaryCSV5Years(b *testing.B) {
	entries, _, _ := fiveYears()
	for b.Loop() {
		if err := DiaryCSV(io.Discard, entries, time.UTC); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalendar(b *testing.B) {
	s := diary.DefaultSettings()
	s.TimeZone = "Europe/Berlin"
	f := Feed{Plan: deskWorker(b).Plan, Lib: library.Default(), Key: "k", ProgramDay: 3, Phase: diary.Mobility, Settings: s, Now: time.Date(2026, 10, 23, 10, 0, 0, 0, time.UTC)}
	for b.Loop() {
		if err := Calendar(io.Discard, f); err != nil {
			b.Fatal(err)
		}
	}
}
