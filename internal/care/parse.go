package care

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"unknot/internal/valid"
)

// Parse reads Answers from the contract's JSON strictly: unknown or repeated
// fields at any depth, wrong types, fractional whole numbers, empty or unknown
// choices, values out of range and missing required fields are all rejected,
// never guessed. The error is a valid.Errors naming every problem by its
// answer path. JSON null for an optional field means "not answered". On
// success the defaults are applied (trend "unknown"); on error the Answers are
// zero.
func Parse(data []byte) (Answers, error) {
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Answers{}, valid.Errors{{Field: "answers", Message: "is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}}
	}
	if raw[0] != '{' {
		return Answers{}, valid.Errors{{Field: "answers", Message: "must be a JSON object"}}
	}
	var p parser
	var a Answers
	p.answers(&a, raw)
	// Validate checks ranges and choices; a field whose JSON was already
	// rejected is not reported twice.
	for _, e := range a.Validate() {
		if !p.reported(e.Field) {
			p.errs = append(p.errs, e)
		}
	}
	if len(p.errs) > 0 {
		return Answers{}, p.errs
	}
	if a.Trend == "" {
		a.Trend = "unknown"
	}
	return a, nil
}

// requiredFields are the answers Parse insists on (ASSESSMENT.md, Answers).
var requiredFields = []string{"version", "regions", "duration_days", "onset", "pain_now"}

// parser decodes the JSON level by level so that every problem carries the
// path of the field it concerns.
type parser struct {
	errs   valid.Errors
	fields map[string]bool // the fields of errs
}

func (p *parser) answers(a *Answers, raw json.RawMessage) {
	given := make(map[string]bool, len(requiredFields))
	p.object("", raw, func(name, path string, v json.RawMessage) bool {
		given[name] = !isNull(v)
		switch name {
		case "version":
			a.Version = p.whole(path, v)
		case "age":
			a.Age = p.optWhole(path, v)
		case "regions":
			a.Regions = p.strings(path, v)
		case "side":
			a.Side = p.choice(path, v, sideValues)
		case "duration_days":
			a.DurationDays = p.whole(path, v)
		case "onset":
			a.Onset = p.choice(path, v, onsetValues)
		case "injury":
			p.object(path, v, func(name, path string, v json.RawMessage) bool {
				if name != "dangerous_mechanism" {
					return false
				}
				a.Injury.DangerousMechanism = p.boolean(path, v)
				return true
			})
		case "pain_now":
			a.PainNow = p.whole(path, v)
		case "pain_worst_24h":
			a.PainWorst24h = p.optWhole(path, v)
		case "trend":
			a.Trend = p.choice(path, v, trendValues)
		case "home_care_days":
			a.HomeCareDays = p.whole(path, v)
		case "interferes_with_daily_life":
			a.InterferesWithDailyLife = p.choice(path, v, interferenceValues)
		case "recurring":
			a.Recurring = p.boolean(path, v)
		case "stretch_feel":
			a.StretchFeel = p.choice(path, v, feelValues)
		case "pressure_feel":
			a.PressureFeel = p.choice(path, v, feelValues)
		case "habits":
			p.habits(&a.Habits, path, v)
		case "tried":
			a.Tried = p.tried(path, v)
		case "symptoms":
			fields := a.Symptoms.fields()
			p.object(path, v, func(_, path string, v json.RawMessage) bool {
				for _, f := range fields {
					if f.path == path {
						*f.value = p.boolean(path, v)
						return true
					}
				}
				return false
			})
		default:
			return false
		}
		return true
	})
	for _, name := range requiredFields {
		if !given[name] && !p.reported(name) {
			p.fail(name, "is required")
		}
	}
}

func (p *parser) habits(h *Habits, path string, raw json.RawMessage) {
	p.object(path, raw, func(name, path string, v json.RawMessage) bool {
		switch name {
		case "desk_hours":
			h.DeskHours = p.optNumber(path, v)
		case "phone_hours":
			h.PhoneHours = p.optNumber(path, v)
		case "breaks":
			h.Breaks = p.choice(path, v, breaksValues)
		case "stress":
			h.Stress = p.choice(path, v, stressValues)
		case "activity":
			h.Activity = p.choice(path, v, activityValues)
		case "front_dominant_training":
			h.FrontDominantTraining = p.boolean(path, v)
		case "repetitive_back_use":
			h.RepetitiveBackUse = p.boolean(path, v)
		case "sleep_position":
			h.SleepPosition = p.choice(path, v, sleepValues)
		case "pillow":
			h.Pillow = p.choice(path, v, pillowValues)
		case "posture":
			h.Posture = p.strings(path, v)
		default:
			return false
		}
		return true
	})
}

func (p *parser) tried(path string, raw json.RawMessage) []Tried {
	elems := p.array(path, raw)
	if len(elems) == 0 {
		return nil
	}
	tried := make([]Tried, len(elems))
	for i, e := range elems {
		at := path + "[" + strconv.Itoa(i) + "]"
		t := &tried[i]
		if isNull(e) {
			p.fail(at, "must be an object with what and helped")
			continue
		}
		p.object(at, e, func(name, path string, v json.RawMessage) bool {
			switch name {
			case "what":
				t.What = p.choice(path, v, triedValues)
			case "helped":
				t.Helped = p.choice(path, v, helpedValues)
			default:
				return false
			}
			return true
		})
	}
	return tried
}

// object calls field for every member of the JSON object raw, with the
// member's path, and reports members that field does not know (it returns
// false), members given twice, and raw not being an object. Null is an
// object not given.
func (p *parser) object(path string, raw json.RawMessage, field func(name, path string, v json.RawMessage) bool) {
	if isNull(raw) {
		return
	}
	if raw[0] != '{' {
		p.fail(path, "must be an object")
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
			p.fail(path, "is not valid JSON")
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
			p.fail(at, "is not a known field")
		case slices.Contains(seen, name):
			p.fail(at, "is given more than once")
		default:
			seen = append(seen, name)
		}
	}
}

// array returns the elements of the JSON array raw, reporting raw not being
// an array. Null is an array not given.
func (p *parser) array(path string, raw json.RawMessage) []json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var elems []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &elems) != nil {
		p.fail(path, "must be a list")
	}
	return elems
}

// strings reads a list of strings; which strings are allowed is Validate's
// business.
func (p *parser) strings(path string, raw json.RawMessage) []string {
	elems := p.array(path, raw)
	if len(elems) == 0 {
		return nil
	}
	out := make([]string, len(elems))
	for i, e := range elems {
		if json.Unmarshal(e, &out[i]) != nil || isNull(e) {
			p.fail(path+"["+strconv.Itoa(i)+"]", "must be a string")
		}
	}
	return out
}

// choice reads one of allowed. An empty string is rejected here because in
// Answers it would read as "not answered"; other values are left to Validate.
func (p *parser) choice(path string, raw json.RawMessage, allowed []string) string {
	var s string
	if isNull(raw) {
		return ""
	}
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil || s == "" {
		p.fail(path, oneOf(allowed))
	}
	return s
}

func (p *parser) boolean(path string, raw json.RawMessage) bool {
	switch string(raw) {
	case "true":
		return true
	case "false", "null":
		return false
	}
	p.fail(path, "must be true or false")
	return false
}

// whole reads a whole number; null reads as 0, left to the required check.
func (p *parser) whole(path string, raw json.RawMessage) int {
	n := p.optWhole(path, raw)
	if n == nil {
		return 0
	}
	return *n
}

// optWhole reads a whole number or null. Numbers beyond the int32 range are
// clamped so that Validate reports them as out of range.
func (p *parser) optWhole(path string, raw json.RawMessage) *int {
	f, ok := number(raw)
	if !ok || f != math.Trunc(f) {
		if !isNull(raw) {
			p.fail(path, "must be a whole number")
		}
		return nil
	}
	n := int(max(math.MinInt32, min(math.MaxInt32, f)))
	return &n
}

// optNumber reads a number or null.
func (p *parser) optNumber(path string, raw json.RawMessage) *float64 {
	f, ok := number(raw)
	if !ok {
		if !isNull(raw) {
			p.fail(path, "must be a number")
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

func (p *parser) fail(path, message string) {
	p.errs.Add(path, message)
	if p.fields == nil {
		p.fields = make(map[string]bool)
	}
	p.fields[path] = true
}

// reported tells whether a problem was reported at path or at a field that
// holds it (a problem at "tried[0]" covers "tried[0].what").
func (p *parser) reported(path string) bool {
	for {
		if p.fields[path] {
			return true
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return false
		}
		path = path[:i]
	}
}

func isNull(raw json.RawMessage) bool { return string(raw) == "null" }
