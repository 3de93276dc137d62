package clinic

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"unknot/internal/valid"
)

// Known tells ParseWith which locations and services exist already, outside
// the file (in the database), so that a file may refer to them.
type Known interface {
	HasLocation(id string) bool
	HasService(id string) bool
}

// Parse reads a clinic file strictly and checks it (see File.Validate); a
// file may only refer to locations and services it lists itself.
func Parse(data []byte) (File, error) { return ParseWith(data, nil) }

// ParseWith reads a clinic file strictly: unknown or repeated fields at any
// depth, wrong types, missing required fields, bad times and every problem
// File.Validate finds are all reported, never guessed. The error is a
// valid.Errors naming each problem by its path, such as
// `therapists[1].hours.mon[0]`. References may name what the file lists or
// what known has (known may be nil). On error the File is zero.
func ParseWith(data []byte, known Known) (File, error) {
	var raw json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return File{}, valid.Errors{{Field: "file", Message: "is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}}
	}
	if raw[0] != '{' {
		return File{}, valid.Errors{{Field: "file", Message: "must be a JSON object"}}
	}
	var p parser
	var f File
	p.file(&f, raw)
	// Validate checks values; a field whose JSON was already rejected is
	// not reported twice.
	p.Merge(f.Validate(known))
	if len(p.Errors) > 0 {
		return File{}, p.Errors
	}
	for i := range f.Therapists {
		f.Therapists[i].Hours.Sort()
	}
	return f, nil
}

// parser decodes the file level by level so that every problem carries the
// path of the field it concerns.
type parser struct {
	valid.Reader
}

// object reads a JSON object whose members are read by fields, by name,
// and reports those of required that are missing or null.
func (p *parser) object(path string, raw json.RawMessage, required []string, fields map[string]func(path string, v json.RawMessage)) {
	given := make(map[string]bool, len(fields))
	p.Object(path, raw, func(name, at string, v json.RawMessage) bool {
		read, ok := fields[name]
		if ok {
			given[name] = !valid.IsNull(v)
			read(at, v)
		}
		return ok
	})
	if p.Reported(path) {
		return
	}
	for _, name := range required {
		at := name
		if path != "" {
			at = path + "." + name
		}
		if !given[name] && !p.Reported(at) {
			p.Fail(at, "is required")
		}
	}
}

// objects reads a JSON array of objects, each with elem.
func objects[T any](p *parser, path string, raw json.RawMessage, elem func(*T, string, json.RawMessage)) []T {
	elems := p.Array(path, raw)
	out := make([]T, len(elems))
	for i, v := range elems {
		at := path + "[" + strconv.Itoa(i) + "]"
		if valid.IsNull(v) {
			p.Fail(at, "must be an object")
			continue
		}
		elem(&out[i], at, v)
	}
	return out
}

func (p *parser) file(f *File, raw json.RawMessage) {
	p.object("", raw, []string{"clinic", "locations", "services", "therapists"}, map[string]func(string, json.RawMessage){
		"clinic":     func(path string, v json.RawMessage) { p.clinic(&f.Clinic, path, v) },
		"locations":  func(path string, v json.RawMessage) { f.Locations = objects(p, path, v, p.location) },
		"services":   func(path string, v json.RawMessage) { f.Services = objects(p, path, v, p.service) },
		"therapists": func(path string, v json.RawMessage) { f.Therapists = objects(p, path, v, p.therapist) },
	})
}

func (p *parser) clinic(c *Clinic, path string, raw json.RawMessage) {
	p.object(path, raw, []string{"name", "email", "cancel_hours", "min_notice_minutes", "horizon_days", "slot_step_minutes"}, map[string]func(string, json.RawMessage){
		"name":               p.text(&c.Name),
		"phone":              p.text(&c.Phone),
		"email":              p.text(&c.Email),
		"website":            p.text(&c.Website),
		"insurance_note":     p.text(&c.InsuranceNote),
		"address":            p.text(&c.Address),
		"cancel_hours":       p.whole(&c.CancelHours),
		"min_notice_minutes": p.whole(&c.MinNoticeMinutes),
		"horizon_days":       p.whole(&c.HorizonDays),
		"slot_step_minutes":  p.whole(&c.SlotStepMinutes),
	})
}

func (p *parser) location(l *Location, path string, raw json.RawMessage) {
	p.object(path, raw, []string{"id", "name", "address", "time_zone"}, map[string]func(string, json.RawMessage){
		"id":        p.text(&l.ID),
		"name":      p.text(&l.Name),
		"address":   p.text(&l.Address),
		"time_zone": p.text(&l.TimeZone),
		"phone":     p.text(&l.Phone),
	})
}

func (p *parser) service(s *Service, path string, raw json.RawMessage) {
	p.object(path, raw, []string{"id", "name", "style", "minutes", "buffer_before_minutes", "buffer_after_minutes", "price", "currency", "modes"}, map[string]func(string, json.RawMessage){
		"id":                    p.text(&s.ID),
		"name":                  p.text(&s.Name),
		"style":                 p.text(&s.Style),
		"minutes":               p.whole(&s.Minutes),
		"buffer_before_minutes": p.whole(&s.BufferBeforeMinutes),
		"buffer_after_minutes":  p.whole(&s.BufferAfterMinutes),
		"price":                 p.text(&s.Price),
		"currency":              p.text(&s.Currency),
		"modes":                 p.modes(&s.Modes),
	})
}

func (p *parser) therapist(t *Therapist, path string, raw json.RawMessage) {
	p.object(path, raw, []string{"id", "name", "email", "credentials", "specialties", "location", "services", "modes", "hours"}, map[string]func(string, json.RawMessage){
		"id":          p.text(&t.ID),
		"name":        p.text(&t.Name),
		"email":       p.text(&t.Email),
		"credentials": p.text(&t.Credentials),
		"licence":     p.text(&t.Licence),
		"bio":         p.text(&t.Bio),
		"specialties": p.texts(&t.Specialties),
		"languages":   p.texts(&t.Languages),
		"location":    p.text(&t.Location),
		"services":    p.texts(&t.Services),
		"modes":       p.modes(&t.Modes),
		"video_url":   p.text(&t.VideoURL),
		"hours":       func(path string, v json.RawMessage) { p.week(&t.Hours, path, v) },
		"time_off":    func(path string, v json.RawMessage) { t.TimeOff = objects(p, path, v, p.timeOff) },
	})
}

// week reads {"mon": [["09:00", "12:00"], …], …}; a missing day has no
// hours.
func (p *parser) week(w *Week, path string, raw json.RawMessage) {
	fields := make(map[string]func(string, json.RawMessage), 7)
	for day, name := range dayNames {
		fields[name] = func(path string, v json.RawMessage) {
			for i, v := range p.Array(path, v) {
				if r, ok := p.span(path+"["+strconv.Itoa(i)+"]", v); ok {
					w[day] = append(w[day], r)
				}
			}
		}
	}
	p.object(path, raw, nil, fields)
}

// span reads one working range, ["HH:MM", "HH:MM"]; its end may be 24:00.
func (p *parser) span(path string, raw json.RawMessage) (Range, bool) {
	var pair []string
	if json.Unmarshal(raw, &pair) != nil || len(pair) != 2 || valid.IsNull(raw) {
		p.Fail(path, `must be a pair of times ["HH:MM", "HH:MM"]`)
		return Range{}, false
	}
	from, ok := ParseClock(pair[0], false)
	if !ok {
		p.Fail(path, strconv.Quote(pair[0])+" is not HH:MM")
		return Range{}, false
	}
	to, ok := ParseClock(pair[1], true)
	if !ok {
		p.Fail(path, strconv.Quote(pair[1])+" is not HH:MM")
		return Range{}, false
	}
	// That to is after from is for Validate to check.
	return Range{from, to}, true
}

func (p *parser) timeOff(o *TimeOff, path string, raw json.RawMessage) {
	var from, to string
	p.object(path, raw, []string{"from", "to"}, map[string]func(string, json.RawMessage){
		"from": p.text(&from),
		"to":   p.text(&to),
	})
	o.From = p.wall(path+".from", from)
	o.To = p.wall(path+".to", to)
}

// wall reads a wall time at path, unless a problem with it was reported.
func (p *parser) wall(path, s string) Wall {
	if p.Reported(path) {
		return Wall{}
	}
	w, err := ParseWall(s)
	if err != nil {
		p.Fail(path, err.Error())
	}
	return w
}

// text returns a reader of a string into s.
func (p *parser) text(s *string) func(string, json.RawMessage) {
	return func(path string, v json.RawMessage) { *s = p.String(path, v, "must be a string") }
}

// texts returns a reader of a list of strings into s.
func (p *parser) texts(s *[]string) func(string, json.RawMessage) {
	return func(path string, v json.RawMessage) {
		// An empty list stays a list, so that it is written back as one.
		if *s = p.Strings(path, v); *s == nil && !valid.IsNull(v) {
			*s = []string{}
		}
	}
}

// whole returns a reader of a whole number into n.
func (p *parser) whole(n *int) func(string, json.RawMessage) {
	return func(path string, v json.RawMessage) { *n = p.Whole(path, v) }
}

// modes returns a reader of a list of modes into m; which modes are
// allowed is for Validate to check.
func (p *parser) modes(m *[]Mode) func(string, json.RawMessage) {
	return func(path string, v json.RawMessage) {
		for _, s := range p.Strings(path, v) {
			*m = append(*m, Mode(s))
		}
	}
}

// Sort puts each day's ranges in order, which Validate has checked do not
// overlap.
func (w *Week) Sort() {
	for _, ranges := range w {
		slices.SortFunc(ranges, func(a, b Range) int { return cmp.Compare(a.From, b.From) })
	}
}
