package care

import (
	"encoding/json"
	"strconv"

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
	raw, err := valid.Document("answers", data)
	if err != nil {
		return Answers{}, err
	}
	var p parser
	var a Answers
	p.answers(&a, raw)
	if a.Version != 0 && a.Version != Version && !p.Reported("version") {
		// Answers of another version mean other things by the same names:
		// say only that this version is required.
		return Answers{}, valid.Errors{{Field: "version", Message: VersionRequired}}
	}
	// Validate checks ranges and choices; a field whose JSON was already
	// rejected is not reported twice.
	p.Merge(a.Validate())
	if len(p.Errors) > 0 {
		return Answers{}, p.Errors
	}
	if a.Trend == "" {
		a.Trend = "unknown"
	}
	return a, nil
}

// requiredFields are the answers Parse insists on (ASSESSMENT.md, Answers).
var requiredFields = []string{"version", "age", "regions", "duration_days", "onset", "pain_now"}

// parser decodes the JSON level by level so that every problem carries the
// path of the field it concerns.
type parser struct {
	valid.Reader
}

func (p *parser) answers(a *Answers, raw json.RawMessage) {
	given := make(map[string]bool, len(requiredFields))
	p.Object("", raw, func(name, path string, v json.RawMessage) bool {
		given[name] = !valid.IsNull(v)
		switch name {
		case "version":
			a.Version = p.Whole(path, v)
		case "age":
			a.Age = p.Whole(path, v)
		case "regions":
			a.Regions = p.Strings(path, v)
		case "side":
			a.Side = p.choice(path, v, sideValues)
		case "duration_days":
			a.DurationDays = p.Whole(path, v)
		case "onset":
			a.Onset = p.choice(path, v, onsetValues)
		case "injury":
			p.Object(path, v, func(name, path string, v json.RawMessage) bool {
				if name != "dangerous_mechanism" {
					return false
				}
				a.Injury.DangerousMechanism = p.Bool(path, v)
				return true
			})
		case "pain_now":
			a.PainNow = p.Whole(path, v)
		case "pain_worst_24h":
			a.PainWorst24h = p.OptWhole(path, v)
		case "trend":
			a.Trend = p.choice(path, v, trendValues)
		case "home_care_days":
			a.HomeCareDays = p.Whole(path, v)
		case "interferes_with_daily_life":
			a.InterferesWithDailyLife = p.choice(path, v, interferenceValues)
		case "recurring":
			a.Recurring = p.Bool(path, v)
		case "stretch_feel":
			a.StretchFeel = p.choice(path, v, feelValues)
		case "pressure_feel":
			a.PressureFeel = p.choice(path, v, feelValues)
		case "habits":
			p.habits(&a.Habits, path, v)
		case "tried":
			a.Tried = p.tried(path, v)
		case "symptoms":
			p.bools(path, v, a.Symptoms.fields())
		case "conditions":
			p.bools(path, v, a.Conditions.fields())
		default:
			return false
		}
		return true
	})
	for _, name := range requiredFields {
		if !given[name] && !p.Reported(name) {
			p.Fail(name, "is required")
		}
	}
}

// bools reads an object of yes/no answers into fields, by path.
func (p *parser) bools(path string, raw json.RawMessage, fields []namedBool) {
	p.Object(path, raw, func(_, path string, v json.RawMessage) bool {
		for _, f := range fields {
			if f.path == path {
				*f.value = p.Bool(path, v)
				return true
			}
		}
		return false
	})
}

func (p *parser) habits(h *Habits, path string, raw json.RawMessage) {
	p.Object(path, raw, func(name, path string, v json.RawMessage) bool {
		switch name {
		case "desk_hours":
			h.DeskHours = p.OptNumber(path, v)
		case "phone_hours":
			h.PhoneHours = p.OptNumber(path, v)
		case "breaks":
			h.Breaks = p.choice(path, v, breaksValues)
		case "stress":
			h.Stress = p.choice(path, v, stressValues)
		case "activity":
			h.Activity = p.choice(path, v, activityValues)
		case "front_dominant_training":
			h.FrontDominantTraining = p.Bool(path, v)
		case "repetitive_back_use":
			h.RepetitiveBackUse = p.Bool(path, v)
		case "sleep_position":
			h.SleepPosition = p.choice(path, v, sleepValues)
		case "pillow":
			h.Pillow = p.choice(path, v, pillowValues)
		case "posture":
			h.Posture = p.Strings(path, v)
		default:
			return false
		}
		return true
	})
}

func (p *parser) tried(path string, raw json.RawMessage) []Tried {
	elems := p.Array(path, raw)
	if len(elems) == 0 {
		return nil
	}
	tried := make([]Tried, len(elems))
	for i, e := range elems {
		at := path + "[" + strconv.Itoa(i) + "]"
		t := &tried[i]
		if valid.IsNull(e) {
			p.Fail(at, "must be an object with what and helped")
			continue
		}
		p.Object(at, e, func(name, path string, v json.RawMessage) bool {
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

// choice reads one of allowed. An empty string is rejected here because in
// Answers it would read as "not answered"; other values are left to Validate.
func (p *parser) choice(path string, raw json.RawMessage, allowed []string) string {
	var s string
	if valid.IsNull(raw) {
		return ""
	}
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil || s == "" {
		p.Fail(path, oneOf(allowed))
	}
	return s
}
