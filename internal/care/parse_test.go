package care

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"unknot/internal/valid"
)

const minimal = `{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":3,"onset":"gradual","pain_now":4}`

const full = `{
  "version": 2, "age": 34, "regions": ["base_of_skull", "between_shoulder_blades"], "side": "left",
  "duration_days": 12, "onset": "after_injury", "injury": {"dangerous_mechanism": false},
  "pain_now": 5, "pain_worst_24h": 7, "trend": "same", "home_care_days": 4,
  "interferes_with_daily_life": "somewhat", "recurring": false,
  "stretch_feel": "relieves", "pressure_feel": "unsure",
  "habits": {"desk_hours": 7.5, "phone_hours": 2, "breaks": "rarely", "stress": "high",
    "activity": "sedentary", "front_dominant_training": true, "repetitive_back_use": false,
    "sleep_position": "stomach", "pillow": "too_high", "posture": ["forward_head", "slouching"]},
  "tried": [{"what": "heat", "helped": "yes"}, {"what": "rest", "helped": "no"}],
  "symptoms": {"chest_pain_or_pressure": false, "constant_night_pain": false, "pain_on_breathing": true},
  "conditions": {"pregnant": true, "blood_thinners": false}
}`

func TestParseValid(t *testing.T) {
	a, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	want := Answers{Version: 2, Age: 30, Regions: []string{"back_of_neck"}, DurationDays: 3, Onset: "gradual", PainNow: 4, Trend: "unknown"}
	if !reflect.DeepEqual(a, want) {
		t.Errorf("got %+v, want %+v (trend defaults to unknown)", a, want)
	}

	spaced := strings.NewReplacer("{", " {\n ", ":", " : ", ",", " ,\t", "[", "[ ").Replace(minimal)
	if b, err := Parse([]byte(spaced)); err != nil || !reflect.DeepEqual(b, want) {
		t.Errorf("%s: got %+v, %v", spaced, b, err)
	}

	a, err = Parse([]byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if a.Age != 34 || !a.Symptoms.PainOnBreathing || !a.Conditions.Pregnant || a.Conditions.BloodThinners || *a.PainWorst24h != 7 || *a.Habits.DeskHours != 7.5 || *a.Habits.PhoneHours != 2 ||
		a.Tried[1] != (Tried{"rest", "no"}) || !a.Habits.FrontDominantTraining || a.Habits.Posture[1] != "slouching" {
		t.Errorf("got %+v", a)
	}

	// null is "not answered" for every optional field; 2.0 is a whole number.
	a, err = Parse([]byte(`{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":3.0,"onset":"gradual","pain_now":4,
		"side":null,"injury":null,"pain_worst_24h":null,"trend":null,"home_care_days":null,"recurring":null,
		"habits":{"desk_hours":null,"posture":null,"breaks":null},"tried":null,"symptoms":{"fever_or_chills":null},"conditions":null}`))
	if err != nil || a.Habits.DeskHours != nil || a.Trend != "unknown" || a.DurationDays != 3 {
		t.Errorf("got %+v, %v", a, err)
	}
}

func TestParseInvalid(t *testing.T) {
	// with sets fields of the minimal answers (a JSON object of top-level
	// fields that replace or add to them).
	with := func(fields string) string {
		var m map[string]json.RawMessage
		json.Unmarshal([]byte(minimal), &m)
		var add map[string]json.RawMessage
		if err := json.Unmarshal([]byte(fields), &add); err != nil {
			panic(err)
		}
		for k, v := range add {
			if string(v) == `"DELETE"` {
				delete(m, k)
			} else {
				m[k] = v
			}
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name  string
		input string
		want  []string // every problem as the CLI prints it, in any order
	}{
		{"not JSON", `{"version":2,`, []string{"answers: is not valid JSON: it ends too early"}},
		{"trailing data", minimal + `{}`, []string{"answers: is not valid JSON: more follows the first value"}},
		{"invalid UTF-8", minimal[:len(minimal)-1] + ",\"side\":\"le\xfft\"}", []string{"side: is not valid UTF-8 text"}},
		{"unpaired surrogate", minimal[:len(minimal)-1] + `,"tried":[{"what":"heat"},{"what":"\ud800"}]}`, []string{"tried[1].what: is not valid UTF-8 text"}},
		{"invalid UTF-8 in a name", minimal[:len(minimal)-1] + ",\"si\xffde\":\"left\"}", []string{"answers: is not valid UTF-8 text"}},
		{"pain underflows", with(`{"pain_now":1e-400}`), []string{"pain_now: is too close to 0 to be read: write 0 or a larger number"}},
		{"phone hours underflow", with(`{"habits":{"phone_hours":5E-1000}}`), []string{"habits.phone_hours: is too close to 0 to be read: write 0 or a larger number"}},
		{"not an object", `[1]`, []string{"answers: must be a JSON object"}},
		{"null", `null`, []string{"answers: must be a JSON object"}},
		{"empty object", `{}`, []string{
			"version: is required", "age: is required", "regions: is required", "duration_days: is required",
			"onset: is required", "pain_now: is required"}},
		{"required nulls", with(`{"version":null,"age":null,"regions":null,"onset":null,"pain_now":null,"duration_days":null}`), []string{
			"version: is required", "age: is required", "regions: is required", "duration_days: is required",
			"onset: is required", "pain_now: is required"}},
		{"no age", with(`{"age":"DELETE"}`), []string{"age: is required"}},
		{"version 1", with(`{"version":1}`), []string{"version: " + VersionRequired}},
		{"version 1 answers", `{"version":1,"regions":["back_of_neck"],"duration_days":3,"onset":"gradual","pain_now":4,
			"symptoms":{"pain_spreads_to_arm_or_jaw":true,"history_of_cancer":false}}`, []string{"version: " + VersionRequired}},
		{"version 3", with(`{"version":3}`), []string{"version: " + VersionRequired}},
		{"version string", with(`{"version":"2"}`), []string{"version: must be a whole number"}},
		{"unknown field", with(`{"colour":"red"}`), []string{"colour: is not a known field"}},
		{"case matters", with(`{"Version":2}`), []string{"Version: is not a known field"}},
		{"empty name", with(`{"":1,"habits":{"":2}}`), []string{`"": is not a known field`, `habits."": is not a known field`}},
		{"repeated field", `{"version":2,"version":2,"age":30,"regions":["back_of_neck"],"duration_days":3,"onset":"gradual","pain_now":4}`,
			[]string{"version: is given more than once"}},
		{"unknown nested", with(`{"habits":{"desk_hours":2,"naps":3},"symptoms":{"itch":true},"injury":{"fall":true},"conditions":{"gout":true}}`), []string{
			"habits.naps: is not a known field", "symptoms.itch: is not a known field", "injury.fall: is not a known field", "conditions.gout: is not a known field"}},
		{"version 1 symptom", with(`{"symptoms":{"pain_spreads_to_arm_or_jaw":true}}`), []string{"symptoms.pain_spreads_to_arm_or_jaw: is not a known field"}},
		{"symptom moved to conditions", with(`{"symptoms":{"history_of_cancer":true}}`), []string{"symptoms.history_of_cancer: is not a known field"}},
		{"condition not a bool", with(`{"conditions":{"pregnant":"yes"}}`), []string{"conditions.pregnant: must be true or false"}},
		{"conditions not an object", with(`{"conditions":[true]}`), []string{"conditions: must be an object"}},
		{"unknown in tried", with(`{"tried":[{"what":"heat","helped":"yes","when":"today"}]}`), []string{"tried[0].when: is not a known field"}},
		{"pain 2.5", with(`{"pain_now":2.5}`), []string{"pain_now: must be a whole number"}},
		{"pain 11", with(`{"pain_now":11}`), []string{"pain_now: must be between 0 and 10"}},
		{"pain -1", with(`{"pain_now":-1}`), []string{"pain_now: must be between 0 and 10"}},
		{"pain huge", with(`{"pain_now":1e400}`), []string{"pain_now: must be between 0 and 10"}},
		{"pain huge int", with(`{"pain_now":123456789012345678901234567890}`), []string{"pain_now: must be between 0 and 10"}},
		{"pain string", with(`{"pain_now":"5"}`), []string{"pain_now: must be a whole number"}},
		{"worst 12", with(`{"pain_worst_24h":12}`), []string{"pain_worst_24h: must be between 0 and 10"}},
		{"age 11", with(`{"age":11}`), []string{"age: " + TooYoung}},
		{"age 0", with(`{"age":0}`), []string{"age: " + TooYoung}},
		{"age -5", with(`{"age":-5}`), []string{"age: " + TooYoung}},
		{"age 12.5", with(`{"age":12.5}`), []string{"age: must be a whole number"}},
		{"age 111", with(`{"age":111}`), []string{"age: must be between 12 and 110"}},
		{"duration 3651", with(`{"duration_days":3651}`), []string{"duration_days: must be between 0 and 3650"}},
		{"home care -1", with(`{"home_care_days":-1}`), []string{"home_care_days: must be between 0 and 3650"}},
		{"desk hours", with(`{"habits":{"desk_hours":24.5,"phone_hours":-0.5}}`), []string{
			"habits.desk_hours: must be between 0 and 24", "habits.phone_hours: must be between 0 and 24"}},
		{"desk hours string", with(`{"habits":{"desk_hours":"8"}}`), []string{"habits.desk_hours: must be a number"}},
		{"no regions", with(`{"regions":[]}`), []string{"regions: must name at least one region"}},
		{"regions not a list", with(`{"regions":"back_of_neck"}`), []string{"regions: must be a list"}},
		{"bad region", with(`{"regions":["back_of_neck","elbow"]}`), []string{"regions[1]: " + oneOf(regionValues)}},
		{"region not a string", with(`{"regions":["back_of_neck",3,null]}`), []string{"regions[1]: must be a string", "regions[2]: must be a string"}},
		{"repeated region", with(`{"regions":["back_of_neck","side_of_neck","back_of_neck"]}`), []string{"regions[2]: repeats regions[0]"}},
		{"bad onset", with(`{"onset":"sudden"}`), []string{"onset: " + oneOf(onsetValues)}},
		{"empty onset", with(`{"onset":""}`), []string{"onset: " + oneOf(onsetValues)}},
		{"empty side", with(`{"side":""}`), []string{"side: " + oneOf(sideValues)}},
		{"bad enums", with(`{"side":"up","trend":"up","interferes_with_daily_life":"yes","stretch_feel":"good","pressure_feel":1}`), []string{
			"side: " + oneOf(sideValues), "trend: " + oneOf(trendValues), "interferes_with_daily_life: " + oneOf(interferenceValues),
			"stretch_feel: " + oneOf(feelValues), "pressure_feel: " + oneOf(feelValues)}},
		{"bad habits", with(`{"habits":{"breaks":"never","stress":"none","activity":"lazy","sleep_position":"standing","pillow":"none","posture":["slouching","hunched","slouching"],"front_dominant_training":"yes"}}`), []string{
			"habits.breaks: " + oneOf(breaksValues), "habits.stress: " + oneOf(stressValues), "habits.activity: " + oneOf(activityValues),
			"habits.sleep_position: " + oneOf(sleepValues), "habits.pillow: " + oneOf(pillowValues),
			"habits.posture[1]: " + oneOf(postureValues), "habits.posture[2]: repeats habits.posture[0]",
			"habits.front_dominant_training: must be true or false"}},
		{"habits not an object", with(`{"habits":[]}`), []string{"habits: must be an object"}},
		{"symptom not a bool", with(`{"symptoms":{"fever_or_chills":"no","chest_pain_or_pressure":0}}`), []string{
			"symptoms.fever_or_chills: must be true or false", "symptoms.chest_pain_or_pressure: must be true or false"}},
		{"bad tried", with(`{"tried":[{"what":"yoga","helped":"yes"},{"what":"heat"},{"helped":"no"},{"what":"heat","helped":"maybe"},5,null]}`), []string{
			"tried[0].what: " + oneOf(triedValues), "tried[1].helped: is required", "tried[2].what: is required",
			"tried[3].helped: " + oneOf(helpedValues), "tried[3].what: repeats tried[1].what",
			"tried[4]: must be an object", "tried[5]: must be an object with what and helped"}},
		{"tried not a list", with(`{"tried":{"what":"heat"}}`), []string{"tried: must be a list"}},
		{"every problem at once", with(`{"version":"DELETE","pain_now":99,"habits":{"desk_hours":25},"bogus":1}`), []string{
			"bogus: is not a known field", "version: is required", "pain_now: must be between 0 and 10",
			"habits.desk_hours: must be between 0 and 24"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse([]byte(tt.input))
			var es valid.Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %v (%T), want valid.Errors", err, err)
			}
			got := strings.Split(es.Error(), "\n")
			slices.Sort(got)
			slices.Sort(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if !reflect.DeepEqual(a, Answers{}) {
				t.Errorf("answers %+v on error, want zero", a)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	a := base()
	a.Version, a.Age, a.Regions, a.Onset, a.PainNow = 0, 111, nil, "", 11
	a.Habits.DeskHours = ptr(-1.0)
	a.Tried = []Tried{{}}
	want := []string{
		"version: " + VersionRequired, "age: must be between 12 and 110", "regions: must name at least one region", "onset: is required",
		"pain_now: must be between 0 and 10", "habits.desk_hours: must be between 0 and 24",
		"tried[0].what: is required", "tried[0].helped: is required",
	}
	if got := strings.Split(a.Validate().Error(), "\n"); !slices.Equal(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
	if es := base().Validate(); es != nil {
		t.Errorf("base answers: %v", es)
	}
}

// TestRoundTrip checks that valid answers survive being written and read.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 2000 {
		a := randomAnswers(r)
		if a.Trend == "" {
			a.Trend = "unknown"
		}
		if es := a.Validate(); es != nil {
			t.Fatalf("random answers are invalid: %v", es)
		}
		js, _ := json.Marshal(a)
		b, err := Parse(js)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: got %+v, %v", js, b, err)
		}
	}
}

// TestQuestionsMatchContract keeps the questionnaire's choices (questions.go)
// the same as the values Parse accepts.
func TestQuestionsMatchContract(t *testing.T) {
	values := func(cs []Choice) []string {
		var out []string
		for _, c := range cs {
			if c.Value != "" {
				out = append(out, c.Value)
			}
		}
		return out
	}
	check := func(field string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: questionnaire offers %v, the contract allows %v", field, got, want)
		}
	}
	check("regions", values(Regions), regionValues)
	check("tried.what", values(Remedies), triedValues)
	check("tried.helped", values(Helped), helpedValues)
	var syms []string
	for _, f := range (&Symptoms{}).fields() {
		syms = append(syms, strings.TrimPrefix(f.path, "symptoms."))
	}
	var got []string
	for _, g := range SymptomGroups {
		got = append(got, values(g.Items)...)
	}
	slices.Sort(got)
	slices.Sort(syms)
	check("symptoms (each asked once)", got, syms)
	var conds []string
	for _, f := range (&Conditions{}).fields() {
		conds = append(conds, strings.TrimPrefix(f.path, "conditions."))
	}
	check("conditions", values(ConditionQuestions), conds)
	choices := map[string][]string{
		"side": sideValues, "onset": onsetValues, "trend": trendValues, "interferes_with_daily_life": interferenceValues,
		"stretch_feel": feelValues, "pressure_feel": feelValues, "habits.breaks": breaksValues, "habits.stress": stressValues,
		"habits.activity": activityValues, "habits.sleep_position": sleepValues, "habits.pillow": pillowValues,
		"habits.posture": postureValues,
	}
	for _, q := range Questions {
		if want, ok := choices[q.Field]; ok {
			check(q.Field, values(q.Choices), want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte(full))
	f.Add([]byte(`{"version":2,"age":41,"regions":["base_of_skull"],"duration_days":2,"onset":"after_lifting","pain_now":8,"habits":{"desk_hours":4,"posture":["slouching"],"sleep_position":"stomach"},"stretch_feel":"relieves","conditions":{"pregnant":true}}`))
	f.Add([]byte(`{"version":2,"regions":["upper_back_spine"],"duration_days":1,"onset":"after_injury","pain_now":2,"age":70,"symptoms":{"chest_pain_or_pressure":true},"conditions":{"osteoporosis":true}}`))
	f.Add([]byte(`{"version":1,"regions":[],"pain_now":2.5,"tried":[5,null,{}]}`))
	f.Add([]byte(`{"version":2,"age":11,"regions":["side_of_neck"],"duration_days":0,"onset":"unknown","pain_now":0,"symptoms":{"new_headache":true}}`))
	f.Add([]byte(minimal[:len(minimal)-1] + ",\"side\":\"le\xfft\"}"))
	f.Add([]byte(minimal[:len(minimal)-1] + `,"tried":[{"what":"heat","helped":"\ud800"}]}`))
	f.Add([]byte(minimal[:len(minimal)-1] + `,"age":30}`))
	f.Add([]byte(`{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":3,"onset":"gradual","pain_now":1e-400}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse(data)
		if err != nil {
			var es valid.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v is not a list of field errors", err)
			}
			for _, e := range es {
				if e.Field == "" || e.Message == "" {
					t.Fatalf("error without field or message: %+v", e)
				}
			}
			return
		}
		if es := a.Validate(); es != nil {
			t.Fatalf("accepted answers are invalid: %v", es)
		}
		// What is accepted was sent as UTF-8 JSON without repeated names,
		// as jsontext's strict defaults read it.
		if !jsontext.Value(data).IsValid() {
			t.Fatalf("accepted %q: not strict JSON", data)
		}
		r := Assess(lib, a)
		checkPlan(t, a, r)
		js, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(js)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("re-parse of %s: %+v, %v; first parse %+v", js, b, err, a)
		}
	})
}
