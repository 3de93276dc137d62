package clinic

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"unknot/internal/valid"
)

// contractExample is the clinic file of BOOKING.md, with its comments
// taken out and its blanks filled in.
const contractExample = `{
  "clinic": {
    "name": "Knot Clinic", "phone": "+1 555 0100", "email": "desk@clinic.example", "website": "https://clinic.example",
    "insurance_note": "Most plans cover massage therapy with a referral.",
    "cancel_hours": 24, "min_notice_minutes": 120, "horizon_days": 90, "slot_step_minutes": 15
  },
  "locations": [
    {"id": "mitte", "name": "Mitte", "address": "Invalidenstraße 1, Berlin", "time_zone": "Europe/Berlin", "phone": "+49 30 1"}
  ],
  "services": [
    {"id": "trigger-60", "name": "Trigger point therapy, 60 minutes",
     "style": "trigger_point_therapy",
     "minutes": 60, "buffer_before_minutes": 0, "buffer_after_minutes": 15,
     "price": "95.00", "currency": "USD",
     "modes": ["in_person", "virtual"]}
  ],
  "therapists": [
    {"id": "ana", "name": "Ana", "email": "ana@clinic.example",
     "credentials": "RMT", "licence": "L-1", "bio": "Knots.",
     "specialties": ["trigger_point_therapy", "myofascial_release"],
     "languages": ["en", "es"],
     "location": "mitte",
     "services": ["trigger-60"],
     "modes": ["in_person", "virtual"],
     "video_url": "https://video.example/ana",
     "hours": {"mon": [["13:00", "17:00"], ["09:00", "12:00"]], "tue": [], "wed": [["09:00", "17:00"]]},
     "time_off": [{"from": "2027-03-30T00:00", "to": "2027-04-01T00:00"}]}
  ]
}`

func TestParseContractExample(t *testing.T) {
	f, err := Parse([]byte(contractExample))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ana := f.Therapists[0]
	want := Week{}
	want[1] = []Range{{9 * 60, 12 * 60}, {13 * 60, 17 * 60}} // in order
	want[3] = []Range{{9 * 60, 17 * 60}}
	if !reflect.DeepEqual(ana.Hours, want) {
		t.Errorf("hours = %v, want %v", ana.Hours, want)
	}
	if got := ana.TimeOff[0].From.String() + " " + ana.TimeOff[0].To.String(); got != "2027-03-30T00:00 2027-04-01T00:00" {
		t.Errorf("time off = %s", got)
	}
	if !ana.Offers("trigger-60", Virtual) || ana.Offers("trigger-60", "phone") || ana.Offers("other", InPerson) {
		t.Error("Offers is wrong")
	}
	if f.Clinic.SlotStepMinutes != 15 || f.Services[0].Length().Minutes() != 60 || f.Services[0].BufferAfter().Minutes() != 15 {
		t.Errorf("numbers read wrong: %+v %+v", f.Clinic, f.Services[0])
	}
}

// What a file says survives being written out and read back: export prints
// what import reads.
func TestRoundTrip(t *testing.T) {
	empty := edit(t, "therapists.0.specialties", []string{})
	for name, data := range map[string][]byte{"contract": []byte(contractExample), "demo": demoJSON, "empty lists": empty} {
		f, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		g, err := Parse(out)
		if err != nil {
			t.Fatalf("%s: reading back %s: %v", name, out, err)
		}
		if !reflect.DeepEqual(f, g) {
			t.Errorf("%s: round trip changed the file:\n%+v\n%+v", name, f, g)
		}
	}
}

func TestDemo(t *testing.T) {
	f := Demo()
	if len(f.Therapists) != 3 || len(f.Locations) < 1 {
		t.Fatalf("demo has %d therapists and %d locations", len(f.Therapists), len(f.Locations))
	}
	styles := map[string]bool{}
	modes := map[Mode]bool{}
	for _, s := range f.Services {
		styles[s.Style] = true
		for _, m := range s.Modes {
			modes[m] = true
		}
	}
	if len(styles) < 4 || !modes[InPerson] || !modes[Virtual] {
		t.Errorf("demo services cover styles %v and modes %v; want several styles and both modes", styles, modes)
	}
	for _, th := range f.Therapists {
		hours := 0
		for _, day := range th.Hours {
			hours += len(day)
		}
		if hours == 0 {
			t.Errorf("demo therapist %s has no hours", th.ID)
		}
	}
}

// edit returns the contract example with the JSON at path (dot-separated,
// numbers index lists) replaced by value, or removed when value is nil.
func edit(t *testing.T, path string, value any) []byte {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(contractExample), &doc); err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(path, ".")
	node := doc
	for _, p := range parts[:len(parts)-1] {
		switch n := node.(type) {
		case map[string]any:
			node = n[p]
		case []any:
			node = n[atoi(t, p)]
		}
	}
	last := parts[len(parts)-1]
	switch n := node.(type) {
	case map[string]any:
		if value == nil {
			delete(n, last)
		} else {
			n[last] = value
		}
	case []any:
		n[atoi(t, last)] = value
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func atoi(t *testing.T, s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("bad index %q", s)
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// raw is JSON text to put into the file as it is.
type raw string

func (r raw) MarshalJSON() ([]byte, error) { return []byte(r), nil }

func TestParseRejects(t *testing.T) {
	for _, c := range []struct {
		path  string
		value any
		want  []string // every problem, as the CLI prints them
	}{
		{"therapists.0.hours.mon.0", []string{"9:00", "12:00"}, []string{`therapists[0].hours.mon[0]: "9:00" is not HH:MM`}},
		{"therapists.0.hours.mon.0", []string{"09:00", "24:01"}, []string{`therapists[0].hours.mon[0]: "24:01" is not HH:MM`}},
		{"therapists.0.hours.mon.0", []string{"12:00", "09:00"}, []string{`therapists[0].hours.mon[0]: "09:00" is not after "12:00"`}},
		{"therapists.0.hours.mon.0", []string{"12:00"}, []string{`therapists[0].hours.mon[0]: must be a pair of times ["HH:MM", "HH:MM"]`}},
		{"therapists.0.hours.mon.0", []string{"11:00", "14:00"}, []string{`therapists[0].hours.mon[1]: overlaps mon[0] (11:00-14:00)`}},
		{"therapists.0.hours.mon.0", []string{"12:00", "14:00"}, nil}, // touching is not overlapping
		{"therapists.0.hours.sunday", []any{}, []string{`therapists[0].hours.sunday: is not a known field`}},
		{"therapists.0.hours", nil, []string{`therapists[0].hours: is required`}},
		{"therapists.0.time_off.0.to", "2027-03-30T00:00", []string{`therapists[0].time_off[0].to: "2027-03-30T00:00" is not after "2027-03-30T00:00"`}},
		{"therapists.0.time_off.0.from", "2027-03-30", []string{`therapists[0].time_off[0].from: "2027-03-30" is not YYYY-MM-DDTHH:MM`}},
		{"therapists.0.time_off.0.from", nil, []string{`therapists[0].time_off[0].from: is required`}},
		{"therapists.0.video_url", nil, []string{`therapists[0].video_url: is required when modes has "virtual"`}},
		{"therapists.0.video_url", "ftp://x", []string{`therapists[0].video_url: "ftp://x" is not a web address starting with https://`}},
		{"therapists.0.location", "kreuzberg", []string{`therapists[0].location: "kreuzberg" is not a location in the file or the database`}},
		{"therapists.0.services", []string{"trigger-60", "swedish-60", "trigger-60"}, []string{
			`therapists[0].services[1]: "swedish-60" is not a service in the file or the database`,
			`therapists[0].services[2]: repeats therapists[0].services[0]`}},
		{"therapists.0.modes", []string{"phone"}, []string{`therapists[0].modes[0]: "phone" is not "in_person" or "virtual"`}},
		{"therapists.0.modes", []string{}, []string{`therapists[0].modes: must list "in_person", "virtual" or both`}},
		{"therapists.0.email", "ana", []string{`therapists[0].email: "ana": this does not look like an email address`}},
		{"therapists.0.id", "Ana", []string{`therapists[0].id: "Ana" is not an id of 1 to 40 characters a-z, 0-9 and -`}},
		{"therapists.0.specialties", raw(`"massage"`), []string{`therapists[0].specialties: must be a list`}},
		{"therapists.0.age", 40, []string{`therapists[0].age: is not a known field`}},
		{"therapists.0", nil, []string{`therapists[0]: must be an object`}},
		{"services.0.minutes", 481, []string{`services[0].minutes: must be between 5 and 480`}},
		{"services.0.minutes", 60.5, []string{`services[0].minutes: must be a whole number`}},
		{"services.0.minutes", "60", []string{`services[0].minutes: must be a whole number`}},
		{"services.0.buffer_after_minutes", -1, []string{`services[0].buffer_after_minutes: must be between 0 and 120`}},
		{"services.0.buffer_before_minutes", nil, []string{`services[0].buffer_before_minutes: is required`}},
		{"services.0.style", "hot_stones", []string{`services[0].style: "hot_stones" is neither a massage style of the library nor "consultation"`}},
		{"services.0.price", "95", nil},
		{"services.0.price", "9.999", []string{`services[0].price: "9.999" is not a price such as "95.00"`}},
		{"services.0.currency", "usd", []string{`services[0].currency: "usd" is not a currency code such as "USD"`}},
		{"services.0.modes", []string{"virtual", "virtual"}, []string{`services[0].modes[1]: is given twice`}},
		{"locations.0.time_zone", "Mars/Olympus", []string{`locations[0].time_zone: "Mars/Olympus" is not an IANA time zone`}},
		{"locations.0.time_zone", "Local", []string{`locations[0].time_zone: "Local" is not an IANA time zone`}},
		{"locations.0.address", " ", []string{`locations[0].address: is required`}},
		{"locations.0.phone", "a\x00b", []string{`locations[0].phone: has characters that cannot be shown`}},
		{"clinic.cancel_hours", 169, []string{`clinic.cancel_hours: must be between 0 and 168`}},
		{"clinic.min_notice_minutes", 10081, []string{`clinic.min_notice_minutes: must be between 0 and 10080`}},
		{"clinic.horizon_days", 0, []string{`clinic.horizon_days: must be between 1 and 365`}},
		{"clinic.slot_step_minutes", 25, []string{`clinic.slot_step_minutes: must be one of [5 10 15 20 30 60]`}},
		{"clinic.slot_step_minutes", nil, []string{`clinic.slot_step_minutes: is required`, `clinic.slot_step_minutes: must be one of [5 10 15 20 30 60]`}[:1]},
		{"clinic.website", "clinic.example", []string{`clinic.website: "clinic.example" is not a web address starting with https://`}},
		{"clinic", nil, []string{`clinic: is required`}},
		{"clinic", raw(`[]`), []string{`clinic: must be an object`}},
		{"locations", nil, []string{`locations: is required`, `therapists[0].location: "mitte" is not a location in the file or the database`}},
		{"extra", true, []string{`extra: is not a known field`}},
	} {
		t.Run(c.path, func(t *testing.T) {
			_, err := Parse(edit(t, c.path, c.value))
			var got []string
			var es valid.Errors
			if err != nil && !errors.As(err, &es) {
				t.Fatalf("error %v is not a valid.Errors", err)
			}
			for _, e := range es {
				got = append(got, e.Error())
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s = %v:\n got %q\nwant %q", c.path, c.value, got, c.want)
			}
		})
	}
}

// A repeated id, in each list, names the first.
func TestParseRepeatedIDs(t *testing.T) {
	var doc map[string]any
	json.Unmarshal([]byte(contractExample), &doc)
	for _, list := range []string{"locations", "services", "therapists"} {
		l := doc[list].([]any)
		doc[list] = append(l, l[0])
	}
	data, _ := json.Marshal(doc)
	_, err := Parse(data)
	want := "locations[1].id: repeats locations[0].id\nservices[1].id: repeats services[0].id\ntherapists[1].id: repeats therapists[0].id"
	if err == nil || err.Error() != want {
		t.Errorf("Parse = %v, want\n%s", err, want)
	}
}

// known lists what the database has.
type known struct{ locations, services []string }

func (k known) HasLocation(id string) bool { return slices.Contains(k.locations, id) }
func (k known) HasService(id string) bool  { return slices.Contains(k.services, id) }

func TestParseWithKnown(t *testing.T) {
	data := edit(t, "therapists.0.services", []string{"trigger-60", "swedish-60"})
	data = []byte(strings.Replace(string(data), `"location":"mitte"`, `"location":"kreuzberg"`, 1))
	if _, err := Parse(data); err == nil {
		t.Fatal("references to the database accepted without it")
	}
	if _, err := ParseWith(data, known{[]string{"kreuzberg"}, []string{"swedish-60"}}); err != nil {
		t.Errorf("ParseWith: %v", err)
	}
}

func TestParseNotJSON(t *testing.T) {
	for _, s := range []string{``, `{`, `[]`, `"x"`, `{"clinic": {}} x`} {
		_, err := Parse([]byte(s))
		var es valid.Errors
		if !errors.As(err, &es) || es[0].Field != "file" {
			t.Errorf("Parse(%q) = %v, want a problem with file", s, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(contractExample))
	f.Add(demoJSON)
	for _, s := range []string{`{}`, `null`, `[]`, `{"clinic":null}`, `{"therapists":[{"hours":{"mon":[["09:00","24:00"]]}}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			var es valid.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not a list of field errors", err)
			}
			for _, e := range es {
				if e.Field == "" || e.Message == "" {
					t.Fatalf("problem without field or message: %+v", e)
				}
			}
			return
		}
		if errs := file.Validate(nil); len(errs) > 0 {
			t.Fatalf("accepted a file that does not validate: %v", errs)
		}
		out, err := json.Marshal(file)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse(out)
		if err != nil || !reflect.DeepEqual(file, again) {
			t.Fatalf("an accepted file does not read back the same: %v", err)
		}
	})
}
