package care

import (
	"slices"
	"strconv"
	"strings"

	"unknot/internal/valid"
)

// The closed sets of values the contract allows (ASSESSMENT.md, Answers).
var (
	regionValues       = []string{"base_of_skull", "back_of_neck", "side_of_neck", "top_of_shoulder", "shoulder_blade", "between_shoulder_blades", "upper_back_spine"}
	sideValues         = []string{"left", "right", "both", "middle"}
	onsetValues        = []string{"gradual", "woke_up_with_it", "after_exercise", "after_lifting", "after_injury", "unknown"}
	trendValues        = []string{"better", "same", "worse", "unknown"}
	interferenceValues = []string{"no", "somewhat", "a_lot"}
	feelValues         = []string{"relieves", "worsens", "no_change", "unsure"}
	breaksValues       = []string{"hourly", "sometimes", "rarely"}
	stressValues       = []string{"low", "moderate", "high"}
	activityValues     = []string{"sedentary", "light", "active", "athlete"}
	sleepValues        = []string{"back", "side", "stomach", "varies"}
	pillowValues       = []string{"too_high", "too_flat", "fine", "unsure"}
	postureValues      = []string{"rounded_shoulders", "forward_head", "slouching"}
	triedValues        = []string{"heat", "ice", "stretching", "self_massage", "painkillers", "muscle_relaxants", "massage_therapy", "physiotherapy", "rest"}
	helpedValues       = []string{"yes", "somewhat", "no"}
)

// Messages for answers the check cannot take, shown as they are.
var (
	// VersionRequired answers a version other than the contract's.
	VersionRequired = "must be " + strconv.Itoa(Version) + ": version " + strconv.Itoa(Version) +
		" of the self-check is required (version 1 missed warning signs)"
	// TooYoung answers an age under MinAge. Pages show it as guidance, not
	// as an error.
	TooYoung = "this check is made for ages " + strconv.Itoa(MinAge) +
		" and over; a child with neck or back pain should see a doctor"
)

// Validate checks Answers built in Go (pages and the terminal build them
// directly) against the contract's ranges, choices and required fields, and
// lists every problem with its answer path. An empty string means "not
// answered" for optional choices; Parse rejects an empty string in JSON.
func (a Answers) Validate() valid.Errors {
	var es valid.Errors
	if a.Version != Version {
		es.Add("version", VersionRequired)
	}
	if a.Age < MinAge {
		es.Add("age", TooYoung)
	} else {
		between(&es, "age", a.Age, MinAge, MaxAge)
	}
	if len(a.Regions) == 0 {
		es.Add("regions", "must name at least one region")
	}
	list(&es, "regions", a.Regions, regionValues)
	choice(&es, "side", a.Side, sideValues, false)
	between(&es, "duration_days", a.DurationDays, 0, 3650)
	choice(&es, "onset", a.Onset, onsetValues, true)
	between(&es, "pain_now", a.PainNow, 0, 10)
	if a.PainWorst24h != nil {
		between(&es, "pain_worst_24h", *a.PainWorst24h, 0, 10)
	}
	choice(&es, "trend", a.Trend, trendValues, false)
	between(&es, "home_care_days", a.HomeCareDays, 0, 3650)
	choice(&es, "interferes_with_daily_life", a.InterferesWithDailyLife, interferenceValues, false)
	choice(&es, "stretch_feel", a.StretchFeel, feelValues, false)
	choice(&es, "pressure_feel", a.PressureFeel, feelValues, false)

	h := a.Habits
	hours(&es, "habits.desk_hours", h.DeskHours)
	hours(&es, "habits.phone_hours", h.PhoneHours)
	choice(&es, "habits.breaks", h.Breaks, breaksValues, false)
	choice(&es, "habits.stress", h.Stress, stressValues, false)
	choice(&es, "habits.activity", h.Activity, activityValues, false)
	choice(&es, "habits.sleep_position", h.SleepPosition, sleepValues, false)
	choice(&es, "habits.pillow", h.Pillow, pillowValues, false)
	list(&es, "habits.posture", h.Posture, postureValues)

	for i, t := range a.Tried {
		path := "tried[" + strconv.Itoa(i) + "]"
		choice(&es, path+".what", t.What, triedValues, true)
		choice(&es, path+".helped", t.Helped, helpedValues, true)
		if !slices.Contains(triedValues, t.What) {
			continue // reported above, and not compared: a list of many made-up remedies stays linear
		}
		if j := slices.IndexFunc(a.Tried[:i], func(u Tried) bool { return u.What == t.What }); j >= 0 {
			es.Add(path+".what", "repeats tried["+strconv.Itoa(j)+"].what")
		}
	}
	return es
}

// between reports n outside lo..hi.
func between(es *valid.Errors, path string, n, lo, hi int) {
	if n < lo || n > hi {
		es.Add(path, "must be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi))
	}
}

// hours reports a number of hours a day outside 0..24 (NaN included).
func hours(es *valid.Errors, path string, h *float64) {
	if h != nil && !(*h >= 0 && *h <= 24) {
		es.Add(path, "must be between 0 and 24")
	}
}

// choice reports v not in allowed; an empty v is reported only when the
// answer is required.
func choice(es *valid.Errors, path, v string, allowed []string, required bool) {
	switch {
	case v == "" && required:
		es.Add(path, "is required")
	case v != "" && !slices.Contains(allowed, v):
		es.Add(path, oneOf(allowed))
	}
}

// list reports entries of vs that are not allowed or that repeat an earlier
// entry, each by its index. Only allowed entries are compared, so that the
// work stays linear in the length of the list.
func list(es *valid.Errors, path string, vs, allowed []string) {
	for i, v := range vs {
		at := path + "[" + strconv.Itoa(i) + "]"
		if !slices.Contains(allowed, v) {
			es.Add(at, oneOf(allowed))
		} else if j := slices.Index(vs[:i], v); j >= 0 {
			es.Add(at, "repeats "+path+"["+strconv.Itoa(j)+"]")
		}
	}
}

// oneOf is the message for a value outside a closed set.
func oneOf(allowed []string) string {
	return "must be one of " + strings.Join(allowed, ", ")
}
