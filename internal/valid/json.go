package valid

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Reader reads a JSON document level by level, strictly, so that every
// problem carries the path of the field it concerns: unknown or repeated
// members, wrong types and fractional whole numbers are reported, never
// guessed. The document must already be known to be valid JSON. Null reads
// as "not given" everywhere.
type Reader struct {
	Errors Errors
	fields map[string]bool // the fields of Errors
}

// Object calls field for every member of the JSON object raw, with the
// member's path, and reports members that field does not know (it returns
// false), members given twice, and raw not being an object.
func (r *Reader) Object(path string, raw json.RawMessage, field func(name, path string, v json.RawMessage) bool) {
	if IsNull(raw) {
		return
	}
	if raw[0] != '{' {
		r.Fail(path, "must be an object")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token()       // {; raw is known to be valid JSON
	var seen []string // known members so far, few
	for dec.More() {
		tok, _ := dec.Token()
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			r.Fail(path, "is not valid JSON")
			return
		}
		at := name
		if name == "" {
			at = `""` // so that the problem still names a field
		}
		if path != "" {
			at = path + "." + at
		}
		switch {
		case !field(name, at, v):
			r.Fail(at, "is not a known field")
		case slices.Contains(seen, name):
			r.Fail(at, "is given more than once")
		default:
			seen = append(seen, name)
		}
	}
}

// Array returns the elements of the JSON array raw, reporting raw not being
// an array.
func (r *Reader) Array(path string, raw json.RawMessage) []json.RawMessage {
	if IsNull(raw) {
		return nil
	}
	var elems []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &elems) != nil {
		r.Fail(path, "must be a list")
	}
	return elems
}

// Strings reads a list of strings; which strings are allowed is for the
// caller to check.
func (r *Reader) Strings(path string, raw json.RawMessage) []string {
	elems := r.Array(path, raw)
	if len(elems) == 0 {
		return nil
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		if json.Unmarshal(e, &out[i]) != nil || IsNull(e) {
			r.Fail(path+"["+strconv.Itoa(i)+"]", "must be a string")
		}
	}
	return out
}

// String reads a string; failing says what was expected instead.
func (r *Reader) String(path string, raw json.RawMessage, failing string) string {
	var s string
	if IsNull(raw) {
		return ""
	}
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		r.Fail(path, failing)
	}
	return s
}

// Bool reads true or false.
func (r *Reader) Bool(path string, raw json.RawMessage) bool {
	switch string(raw) {
	case "true":
		return true
	case "false", "null":
		return false
	}
	r.Fail(path, "must be true or false")
	return false
}

// Whole reads a whole number; null reads as 0, left to a required check.
func (r *Reader) Whole(path string, raw json.RawMessage) int {
	n := r.OptWhole(path, raw)
	if n == nil {
		return 0
	}
	return *n
}

// OptWhole reads a whole number or null. Numbers beyond the int32 range are
// clamped so that range checks report them.
func (r *Reader) OptWhole(path string, raw json.RawMessage) *int {
	f, ok := number(raw)
	if !ok || f != math.Trunc(f) {
		if !IsNull(raw) {
			r.Fail(path, "must be a whole number")
		}
		return nil
	}
	n := int(max(math.MinInt32, min(math.MaxInt32, f)))
	return &n
}

// OptNumber reads a number or null.
func (r *Reader) OptNumber(path string, raw json.RawMessage) *float64 {
	f, ok := number(raw)
	if !ok {
		if !IsNull(raw) {
			r.Fail(path, "must be a number")
		}
		return nil
	}
	return &f
}

// number reads a JSON number; one too large to hold reads as ±Inf, which
// every range check rejects.
func number(raw json.RawMessage) (float64, bool) {
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return 0, false
	}
	f, _ := strconv.ParseFloat(string(raw), 64)
	return f, true
}

// Fail reports a problem with the field at path.
func (r *Reader) Fail(path, message string) {
	r.Errors.Add(path, message)
	if r.fields == nil {
		r.fields = make(map[string]bool)
	}
	r.fields[path] = true
}

// Reported tells whether a problem was reported at path or at a field that
// holds it (a problem at "tried[0]" covers "tried[0].what").
func (r *Reader) Reported(path string) bool {
	for {
		if r.fields[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return false
		}
		path = path[:i]
	}
}

// Merge adds the problems of errs that no earlier problem already covers,
// such as range checks on a field whose JSON was already rejected.
func (r *Reader) Merge(errs Errors) {
	for _, e := range errs {
		if !r.Reported(e.Field) {
			r.Errors = append(r.Errors, e)
		}
	}
}

// IsNull reports whether raw is JSON null.
func IsNull(raw json.RawMessage) bool { return string(raw) == "null" }
