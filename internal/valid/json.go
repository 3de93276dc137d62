package valid

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Document checks that data is exactly one JSON object and returns it
// without the space around it; whole names the document in problems
// ("body" for the API, "answers" for the self-check). Every JSON parser
// starts here, then reads the object with a Reader.
//
// The check is jsontext's (github.com/go-json-experiment/json, the proposed
// encoding/json/v2) rather than json.Valid, because encoding/json reads
// invalid UTF-8 and unpaired surrogate escapes ("\ud800") as U+FFFD without
// a word: a note would be saved other than it was sent, where a form with
// the same bytes is refused. jsontext refuses them and says where, as a JSON
// Pointer turned into the field's path here. Repeated names are let through
// so that Object reports them together with every other problem.
func Document(whole string, data []byte) (json.RawMessage, error) {
	// Most documents are valid: check in place, without copying, and read
	// again to find the problem only when there is one.
	if v := jsontext.Value(bytes.Trim(data, " \t\r\n")); v.IsValid(jsontext.AllowDuplicateNames(true)) {
		if v.Kind() != '{' {
			return nil, Errors{{Field: whole, Message: "must be a JSON object"}}
		}
		return json.RawMessage(v), nil
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	_, err := dec.ReadValue()
	if err == nil {
		// The first value is whole, so what follows it is the problem.
		if _, err = dec.ReadToken(); err == nil {
			return nil, Errors{{Field: whole, Message: "is not valid JSON: more follows the first value"}}
		}
	}
	field := whole
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		if path := pointerPath(se.JSONPointer); path != "" {
			field = path
		}
		err = se.Err
	}
	return nil, Errors{{Field: field, Message: syntaxProblem(err)}}
}

// syntaxProblem says what is wrong with a document jsontext refused.
// jsontext has no exported error for bad text, so its two messages for it
// (invalid UTF-8, an unpaired surrogate escape) are recognised by their
// words; TestDocument holds them to this version of the library.
func syntaxProblem(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "is not valid JSON: it ends too early"
	case strings.Contains(msg, "UTF-8"), strings.Contains(msg, "surrogate"):
		return "is not valid UTF-8 text"
	}
	return "is not valid JSON: " + msg
}

// pointerPath turns a JSON Pointer ("/tried/0/what") into a field path as
// Object and Array name them ("tried[0].what"). A pointer does not say
// whether a number is a list index or a member's name; it is read as an
// index, which only misnames members no parser knows.
func pointerPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		_, err := strconv.ParseUint(tok, 10, 64)
		switch {
		case err == nil && b.Len() > 0:
			b.WriteString("[" + tok + "]")
		case tok == "":
			b.WriteString(dot(b.Len()) + `""`)
		default:
			b.WriteString(dot(b.Len()) + tok)
		}
	}
	return b.String()
}

// dot is the separator before a member's name in a path of length n.
func dot(n int) string {
	if n == 0 {
		return ""
	}
	return "."
}

// Reader reads a JSON document level by level, strictly, so that every
// problem carries the path of the field it concerns: unknown or repeated
// members, wrong types and fractional whole numbers are reported, never
// guessed. The document must already have passed Document. Null reads
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
	f, problem, ok := number(raw)
	if !ok || f != math.Trunc(f) {
		if problem == "" {
			problem = "must be a whole number"
		}
		if !IsNull(raw) {
			r.Fail(path, problem)
		}
		return nil
	}
	n := int(max(math.MinInt32, min(math.MaxInt32, f)))
	return &n
}

// OptNumber reads a number or null.
func (r *Reader) OptNumber(path string, raw json.RawMessage) *float64 {
	f, problem, ok := number(raw)
	if !ok {
		if problem == "" {
			problem = "must be a number"
		}
		if !IsNull(raw) {
			r.Fail(path, problem)
		}
		return nil
	}
	return &f
}

// tooSmall is the problem with a number so close to 0 that it reads as 0.
const tooSmall = "is too close to 0 to be read: write 0 or a larger number"

// number reads a JSON number; one too large to hold reads as ±Inf, which
// every range check rejects. One too close to 0 to hold (1e-400) is
// refused with tooSmall rather than read as 0: a form would refuse it, and
// "0" is not what was sent. problem is set only in that case.
func number(raw json.RawMessage) (f float64, problem string, ok bool) {
	if c := raw[0]; c != '-' && (c < '0' || c > '9') {
		return 0, "", false
	}
	f, _ = strconv.ParseFloat(string(raw), 64)
	if f == 0 {
		mantissa, _, _ := strings.Cut(strings.ToLower(string(raw)), "e")
		if strings.ContainsAny(mantissa, "123456789") {
			return 0, tooSmall, false
		}
	}
	return f, "", true
}

// ParseTime reads an RFC 3339 time such as 2026-03-01T08:30:00+01:00.
// time.Parse also takes offsets such as "+24:00" and "+01:60", which RFC
// 3339's grammar (time-hour 00–23, time-minute 00–59) does not allow and no
// place uses; they are refused here, as a form's time field would refuse
// them.
func ParseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false
	}
	// time.Parse succeeded, so s ends in Z or in ±hh:mm.
	if n := len(s); s[n-1] != 'Z' && s[n-1] != 'z' && (s[n-5:n-3] > "23" || s[n-2:] > "59") {
		return time.Time{}, false
	}
	return t, true
}

// Time reads an RFC 3339 time with ParseTime; failing says what was
// expected. Null reads as the zero time, left to a required check.
func (r *Reader) Time(path string, raw json.RawMessage, failing string) time.Time {
	if IsNull(raw) {
		return time.Time{}
	}
	s := r.String(path, raw, failing)
	if r.Reported(path) {
		return time.Time{}
	}
	t, ok := ParseTime(s)
	if !ok {
		r.Fail(path, failing)
	}
	return t
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
