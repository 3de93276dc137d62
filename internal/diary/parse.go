package diary

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/valid"
)

// Parse reads an entry from the API's JSON body:
//
//	{"pain":0-10, "regions":[…], "at":"RFC 3339" (optional), "note":"…", "done":[…]}
//
// strictly: unknown or repeated fields, wrong types and values out of range
// are rejected, each problem named by its field path in a valid.Errors. A
// missing "at" means now. On error the Entry is zero.
func Parse(data []byte, now time.Time) (Entry, error) {
	var es valid.Errors
	if !json.Valid(data) {
		return Entry{}, valid.Errors{{Field: "body", Message: "is not valid JSON"}}
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return Entry{}, valid.Errors{{Field: "body", Message: "must be a JSON object"}}
	}
	e := Entry{At: now}
	var seen []string
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.Token() // {; data is known to be valid JSON
	for dec.More() {
		tok, _ := dec.Token()
		name, _ := tok.(string)
		var v json.RawMessage
		dec.Decode(&v) // cannot fail on valid JSON
		if name == "" {
			es.Add("body", "has a field with an empty name")
			continue
		}
		if slices.Contains(seen, name) {
			es.Add(name, "is given more than once")
			continue
		}
		seen = append(seen, name)
		switch name {
		case "pain":
			e.Pain = parsePain(&es, v)
		case "regions":
			e.Regions = parseStrings(&es, name, v)
		case "done":
			e.Done = parseStrings(&es, name, v)
		case "note":
			e.Note = parseString(&es, name, v)
		case "at":
			if s := parseString(&es, name, v); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					es.Add(name, "must be a time such as 2026-03-01T08:30:00+01:00 (RFC 3339)")
				} else {
					e.At = t
				}
			} else if !isNull(v) && !reported(es, name) {
				es.Add(name, "must not be empty")
			}
		default:
			es.Add(name, "is not a known field")
		}
	}
	if !slices.Contains(seen, "pain") {
		es.Add("pain", "is required")
	}
	// Validate checks ranges and choices; a field already rejected for its
	// JSON is not reported twice.
	for _, v := range e.Validate(now) {
		if !reported(es, v.Field) {
			es = append(es, v)
		}
	}
	if len(es) > 0 {
		return Entry{}, es
	}
	// Lists not given are empty, as the store gives them back.
	if e.Regions == nil {
		e.Regions = []string{}
	}
	if e.Done == nil {
		e.Done = []string{}
	}
	return e, nil
}

// parsePain reads a whole number; anything else is reported and reads as
// 0 so that Validate does not report it again.
func parsePain(es *valid.Errors, raw json.RawMessage) int {
	var f float64
	if raw[0] == '"' || json.Unmarshal(raw, &f) != nil || isNull(raw) || f != math.Trunc(f) {
		es.Add("pain", "must be a whole number from 0 to 10")
		return 0
	}
	if f < 0 || f > 10 {
		es.Add("pain", "must be between 0 and 10")
		return 0
	}
	return int(f)
}

// parseString reads a string; null reads as "".
func parseString(es *valid.Errors, path string, raw json.RawMessage) string {
	var s string
	if isNull(raw) {
		return ""
	}
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		es.Add(path, "must be a string")
	}
	return s
}

// parseStrings reads a list of strings; null reads as none.
func parseStrings(es *valid.Errors, path string, raw json.RawMessage) []string {
	if isNull(raw) {
		return nil
	}
	var elems []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &elems) != nil {
		es.Add(path, "must be a list of strings")
		return nil
	}
	out := make([]string, 0, len(elems))
	for i, el := range elems {
		var s string
		if el[0] != '"' || json.Unmarshal(el, &s) != nil {
			es.Add(path+"["+strconv.Itoa(i)+"]", "must be a string")
		}
		out = append(out, s)
	}
	return out
}

func isNull(raw json.RawMessage) bool { return strings.TrimSpace(string(raw)) == "null" }

// reported tells whether es has a problem at path or at a field that holds
// it ("regions" holds "regions[2]").
func reported(es valid.Errors, path string) bool {
	for _, e := range es {
		if path == e.Field || strings.HasPrefix(path, e.Field+"[") {
			return true
		}
	}
	return false
}
