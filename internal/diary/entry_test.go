package diary

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"unknot/internal/valid"
)

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	e, err := Parse([]byte(`{"pain":4,"regions":["back_of_neck","top_of_shoulder"],"at":"2026-03-10T08:30:00+01:00","note":"after the meeting","done":["chin_tuck"]}`), now)
	if err != nil {
		t.Fatal(err)
	}
	want := Entry{At: time.Date(2026, 3, 10, 7, 30, 0, 0, time.UTC), Pain: 4, Regions: []string{"back_of_neck", "top_of_shoulder"}, Note: "after the meeting", Done: []string{"chin_tuck"}}
	if !e.At.Equal(want.At) || e.Pain != want.Pain || !slices.Equal(e.Regions, want.Regions) || e.Note != want.Note || !slices.Equal(e.Done, want.Done) || e.Routine {
		t.Errorf("Parse = %+v, want %+v", e, want)
	}
	// Only pain is required; at defaults to now.
	e, err = Parse([]byte(` {"pain":0} `), now)
	if err != nil || !e.At.Equal(now) || e.Pain != 0 {
		t.Errorf("minimal entry: %+v, %v", e, err)
	}
}

func TestParseErrorsNameTheField(t *testing.T) {
	tests := []struct {
		body   string
		fields []string
	}{
		{`not json`, []string{"body"}},
		{`[1]`, []string{"body"}},
		{`{}`, []string{"pain"}},
		{`{"pain":null}`, []string{"pain"}},
		{`{"pain":11}`, []string{"pain"}},
		{`{"pain":-1}`, []string{"pain"}},
		{`{"pain":4.5}`, []string{"pain"}},
		{`{"pain":"4"}`, []string{"pain"}},
		{`{"pain":1e400}`, []string{"pain"}},
		{`{"pain":4,"pain":5}`, []string{"pain"}},
		{`{"pain":4,"mood":"ok"}`, []string{"mood"}},
		{`{"pain":4,"regions":"back_of_neck"}`, []string{"regions"}},
		{`{"pain":4,"regions":["elbow","back_of_neck","back_of_neck"]}`, []string{"regions[0]", "regions[2]"}},
		{`{"pain":4,"regions":[1]}`, []string{"regions[0]"}},
		{`{"pain":4,"at":"yesterday"}`, []string{"at"}},
		{`{"pain":4,"at":""}`, []string{"at"}},
		{`{"pain":4,"at":"2026-03-10T12:06:00Z"}`, []string{"at"}},
		{`{"pain":4,"at":"1999-12-31T23:00:00Z"}`, []string{"at"}},
		{`{"pain":4,"note":7}`, []string{"note"}},
		{`{"pain":4,"at":"2026-03-11T08:00:00+24:00"}`, []string{"at"}},
		{`{"pain":4,"at":"2026-03-10T09:00:00+01:60"}`, []string{"at"}},
		{`{"pain":1e-400}`, []string{"pain"}},
		{"{\"pain\":4,\"note\":\"caf\xe9\"}", []string{"note"}},
		{`{"pain":4,"note":"\udfff"}`, []string{"note"}},
		{`{"pain":4,"note":"` + strings.Repeat("é", MaxNote+1) + `"}`, []string{"note"}},
		{`{"pain":4,"note":"bell\u0007"}`, []string{"note"}},
		{`{"pain":4,"done":["Chin Tuck"]}`, []string{"done[0]"}},
		{`{"pain":12,"regions":["x"],"extra":1}`, []string{"pain", "regions[0]", "extra"}},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.body), now)
		var es valid.Errors
		if !errors.As(err, &es) {
			t.Errorf("%s: error %v, want valid.Errors", tt.body, err)
			continue
		}
		var fields []string
		for _, e := range es {
			fields = append(fields, e.Field)
		}
		slices.Sort(fields)
		want := slices.Clone(tt.fields)
		slices.Sort(want)
		if !slices.Equal(fields, want) {
			t.Errorf("%.60s: fields %v, want %v (%v)", tt.body, fields, want, es)
		}
	}
}

func TestValidateRoutineEntry(t *testing.T) {
	if errs := RoutineEntry(now, 3, []string{"chin_tuck"}).Validate(now); len(errs) > 0 {
		t.Errorf("routine entry: %v", errs)
	}
	if errs := (Entry{At: now, Pain: NoScore}).Validate(now); errs.For("pain") == "" {
		t.Error("an entry with no score and no routine is valid")
	}
	if errs := (Entry{At: now, Pain: 3, Day: 8}).Validate(now); errs.For("day") == "" {
		t.Error("program day 8 is valid")
	}
}

// FuzzParse: Parse never panics, and what it accepts is valid and survives
// a second look; what it rejects names fields.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"pain":4}`, `{"pain":4,"regions":["back_of_neck"],"note":"x","done":["chin_tuck"],"at":"2026-03-10T08:30:00Z"}`,
		`{"pain":4,"pain":4}`, `{}`, `[]`, `null`, `{"pain":"a"}`, `{"note":"\u0000"}`,
		"{\"pain\":4,\"note\":\"\xff\"}", `{"pain":4,"note":"\ud800"}`, `{"pain":1e-400}`, `{"pain":4,"at":"2026-03-11T08:00:00+24:00"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data, now)
		if err != nil {
			var es valid.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not a list of field errors", err)
			}
			for _, x := range es {
				if x.Field == "" || x.Message == "" {
					t.Fatalf("error without field or message: %+v", x)
				}
			}
			return
		}
		if errs := e.Validate(now); len(errs) > 0 {
			t.Fatalf("accepted an invalid entry %+v: %v", e, errs)
		}
		if e.Pain < 0 || e.Pain > 10 || !utf8.ValidString(e.Note) || e.Routine {
			t.Fatalf("accepted %+v", e)
		}
		// What is accepted was sent as UTF-8 JSON without repeated names
		// (jsontext's strict defaults), and its time has an offset within
		// a day.
		if !jsontext.Value(data).IsValid() {
			t.Fatalf("accepted %q: not strict JSON", data)
		}
		if _, off := e.At.Zone(); off <= -24*60*60 || off >= 24*60*60 {
			t.Fatalf("accepted %q: offset %d s", data, off)
		}
	})
}

func TestSettings(t *testing.T) {
	if errs := DefaultSettings().Validate(); len(errs) > 0 {
		t.Errorf("defaults invalid: %v", errs)
	}
	bad := Settings{TimeZone: "Nowhere/Land", WorkStart: 17 * 60, WorkEnd: 9 * 60, WorkDays: []time.Weekday{time.Monday, time.Monday, 9}}
	es := bad.Validate()
	for _, f := range []string{"time_zone", "work_end", "work_days[1]", "work_days[2]"} {
		if es.For(f) == "" {
			t.Errorf("no error for %s in %v", f, es)
		}
	}
	if (Settings{TimeZone: "Local"}).Validate().For("time_zone") == "" {
		t.Error(`"Local" accepted as a time zone`)
	}
	if loc := (Settings{TimeZone: "Asia/Tokyo"}).Location(); loc.String() != "Asia/Tokyo" {
		t.Errorf("Location = %v", loc)
	}
	if (Settings{}).Location() != time.UTC {
		t.Error("unset time zone is not UTC")
	}
	for in, want := range map[string]Clock{"00:00": 0, "09:30": 570, "23:59": 1439} {
		if got, err := ParseClock(in); err != nil || got != want || got.String() != in {
			t.Errorf("ParseClock(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"24:00", "9:30", "09:60", "ab:cd", "", "-1:00", "09:3x"} {
		if _, err := ParseClock(in); err == nil {
			t.Errorf("ParseClock(%q) accepted", in)
		}
	}
	days, err := ParseWeekdays([]string{"fri", "Mon", "mon"})
	if err != nil || !slices.Equal(days, []time.Weekday{time.Monday, time.Friday}) || !slices.Equal(WeekdayNames(days), []string{"mon", "fri"}) {
		t.Errorf("ParseWeekdays = %v, %v", days, err)
	}
	if _, err := ParseWeekdays([]string{"funday"}); err == nil {
		t.Error("funday accepted")
	}
}
