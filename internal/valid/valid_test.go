package valid

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	var es Errors
	if es.Err() != nil {
		t.Fatal("an empty list is an error")
	}
	es.Add("habits.desk_hours", "must be between 0 and 24")
	es.Add("regions[1]", "repeats regions[0]")
	err := es.Err()
	var got Errors
	if !errors.As(err, &got) || len(got) != 2 {
		t.Fatalf("Err() = %v, want the two problems", err)
	}
	if want := "habits.desk_hours: must be between 0 and 24\nregions[1]: repeats regions[0]"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if es.For("regions[1]") != "repeats regions[0]" || es.For("age") != "" {
		t.Errorf("For gives the wrong message")
	}
}

func TestReaderNamesEveryProblemByPath(t *testing.T) {
	var r Reader
	var n *int
	var list []string
	r.Object("", []byte(`{"a":{"b":2.5,"b":1,"c":true},"list":["x",3],"n":null,"bad":"x"}`),
		func(name, path string, v json.RawMessage) bool {
			switch name {
			case "a":
				r.Object(path, v, func(name, path string, v json.RawMessage) bool {
					if name != "b" {
						return false
					}
					r.Whole(path, v)
					return true
				})
			case "list":
				list = r.Strings(path, v)
			case "n":
				n = r.OptWhole(path, v)
			default:
				return false
			}
			return true
		})
	var got []string
	for _, e := range r.Errors {
		got = append(got, e.Error())
	}
	want := []string{
		"a.b: must be a whole number",
		"a.b: is given more than once",
		"a.c: is not a known field",
		"list[1]: must be a string",
		"bad: is not a known field",
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n%q\nwant\n%q", got, want)
	}
	if n != nil || len(list) != 2 || list[0] != "x" {
		t.Errorf("n = %v, list = %q", n, list)
	}
	if !r.Reported("a.b") || !r.Reported("list[1].x") || r.Reported("list") {
		t.Error("Reported does not follow the paths of the problems")
	}
	r.Merge(Errors{{Field: "a.b", Message: "must be between 0 and 10"}, {Field: "n", Message: "is required"}})
	if r.Errors[len(r.Errors)-1].Field != "n" || len(r.Errors) != 6 {
		t.Errorf("Merge kept %v", r.Errors)
	}
}

func TestCapped(t *testing.T) {
	var es Errors
	for i := range MaxShown {
		es.Add("regions["+strconv.Itoa(i)+"]", "is not a known region")
	}
	if got := es.Capped(); len(got) != MaxShown {
		t.Fatalf("%d problems capped to %d", MaxShown, len(got))
	}
	for range 1000 {
		es.Add("regions[x]", "is not a known region")
	}
	got := es.Capped()
	if len(got) != MaxShown+1 || got[MaxShown] != (Error{Field: "errors", Message: "and 1000 more problems"}) {
		t.Fatalf("Capped() = %d problems ending in %v", len(got), got[len(got)-1])
	}
	if lines := strings.Split(es.Error(), "\n"); len(lines) != MaxShown+1 || lines[MaxShown] != "errors: and 1000 more problems" {
		t.Errorf("Error() has %d lines, the last %q", len(lines), lines[len(lines)-1])
	}
	if got := append(es[:MaxShown:MaxShown], Error{"age", "is required"}).Capped(); got[MaxShown].Message != "and 1 more problem" {
		t.Errorf("one more: %q", got[MaxShown].Message)
	}
}

func TestDocument(t *testing.T) {
	for _, tt := range []struct{ in, field, message string }{
		{" {\"a\":1} \n", "", ""},
		{`{"a":1,"a":2}`, "", ""}, // repeated names are Object's to report, with the rest
		{`{"note":"caf` + "\xe9" + `"}`, "note", "is not valid UTF-8 text"},
		{`{"tried":[{"what":"x"},{"what":"\udc00 alone"}]}`, "tried[1].what", "is not valid UTF-8 text"},
		{`{"a":{"":["\ud83d"]}}`, `a.""[0]`, "is not valid UTF-8 text"},
		{"{\"\xff\":1}", "body", "is not valid UTF-8 text"},
		{`{"a":1`, "body", "is not valid JSON: it ends too early"},
		{`{"a":[1,]}`, "a[1]", "is not valid JSON: invalid character ']' at start of value"},
		{`{"a":1}{"a":1}`, "body", "is not valid JSON: more follows the first value"},
		{`[{"a":1}]`, "body", "must be a JSON object"},
		{"\u00a0{\"a\":1}", "body", "is not valid JSON: invalid character '\\u00a0' at start of value"},
		{``, "body", "is not valid JSON: it ends too early"},
	} {
		raw, err := Document("body", []byte(tt.in))
		if tt.field == "" {
			if err != nil || string(raw) != strings.TrimSpace(tt.in) {
				t.Errorf("Document(%q) = %q, %v", tt.in, raw, err)
			}
			continue
		}
		var es Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0] != (Error{tt.field, tt.message}) {
			t.Errorf("Document(%q): %v, want %s: %s", tt.in, err, tt.field, tt.message)
		}
	}
}

func TestNumbersTooCloseToZero(t *testing.T) {
	for in, want := range map[string]string{
		"1e-400":        "n: " + tooSmall,
		"-2.5E-999":     "n: " + tooSmall,
		"0.000001e-330": "n: " + tooSmall,
		"0e-400":        "",
		"-0.000e5":      "",
		"0":             "",
		"1e-300":        "",
	} {
		var r Reader
		r.OptNumber("n", json.RawMessage(in))
		if r.Errors.Error() != want {
			t.Errorf("OptNumber(%s): %q, want %q", in, r.Errors.Error(), want)
		}
	}
	var r Reader
	if r.Whole("n", json.RawMessage("3e-1000")); r.Errors.For("n") != tooSmall {
		t.Errorf("Whole(3e-1000): %v", r.Errors)
	}
}

func TestTimeOffsets(t *testing.T) {
	for in, ok := range map[string]bool{
		"2026-03-01T08:30:00+01:00": true,
		"2026-03-01T08:30:00Z":      true,
		"2026-03-01T08:30:00+23:59": true,
		"2026-03-01T08:30:00-23:59": true,
		"2026-03-01T08:30:00+24:00": false,
		"2026-03-01T08:30:00-24:00": false,
		"2026-03-01T08:30:00+99:00": false,
		"2026-03-01T08:30:00+01:60": false,
		"2026-03-01 08:30:00+01:00": false,
	} {
		if _, got := ParseTime(in); got != ok {
			t.Errorf("ParseTime(%s) ok = %v, want %v", in, got, ok)
		}
		var r Reader
		r.Time("at", json.RawMessage(strconv.Quote(in)), "must be a time")
		if (r.Errors.For("at") == "") != ok {
			t.Errorf("Reader.Time(%s): %v", in, r.Errors)
		}
	}
	var r Reader
	if at := r.Time("at", json.RawMessage("null"), "must be a time"); !at.IsZero() || r.Errors != nil {
		t.Errorf("null read as %v, %v", at, r.Errors)
	}
}

// BenchmarkDocument measures Document on a 14 KB object against the
// json.Unmarshal into a json.RawMessage that it replaced as the parsers'
// first check (docs/performance.md, issue 11).
func BenchmarkDocument(b *testing.B) {
	data := []byte(`{"version":2,"note":"Felt better today, café ☕","tried":[` +
		strings.Repeat(`{"what":"heat","helped":"somewhat","days":3.5},`, 300) + `{"what":"ice","helped":"no"}]}`)
	b.Run("Document", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Document("body", data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var raw json.RawMessage
			if err := json.Unmarshal(data, &raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}
