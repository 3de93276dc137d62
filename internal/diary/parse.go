package diary

import (
	"encoding/json"
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
	data, err := valid.Document("body", data)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{At: now}
	var r valid.Reader
	painGiven := false
	r.Object("", data, func(name, path string, v json.RawMessage) bool {
		switch name {
		case "pain":
			painGiven = !valid.IsNull(v)
			e.Pain = r.Whole(path, v)
		case "regions":
			e.Regions = r.Strings(path, v)
		case "done":
			e.Done = r.Strings(path, v)
		case "note":
			e.Note = r.String(path, v, "must be a string")
		case "at":
			if t := r.Time(path, v, "must be a time such as 2026-03-01T08:30:00+01:00 (RFC 3339)"); !t.IsZero() {
				e.At = t
			}
		default:
			return false
		}
		return true
	})
	if !painGiven && !r.Reported("pain") {
		r.Fail("pain", "is required")
	}
	// Validate checks ranges and choices; a field already rejected for its
	// JSON is not reported twice.
	r.Merge(e.Validate(now))
	if len(r.Errors) > 0 {
		return Entry{}, r.Errors
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
