package care

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// FromForm turns the questionnaire's form values (field names are answer
// paths, as in Questions) into Answers. It builds the contract's JSON and
// hands it to Parse, so pages, the terminal and the API share one set of
// checks and one set of field paths. An empty value means "not answered".
func FromForm(v url.Values) (Answers, error) {
	doc := map[string]any{"version": Version}
	if regions := nonEmpty(v["regions"]); len(regions) > 0 {
		doc["regions"] = regions
	}
	for _, q := range Questions {
		raw := strings.TrimSpace(v.Get(q.Field))
		var val any
		switch q.Kind {
		case Many:
			if list := nonEmpty(v[q.Field]); len(list) > 0 {
				val = list
			}
		case Bool:
			val = formBool(raw)
		case Int, Number:
			val = formNumber(raw)
			if q.Field == "duration_days" {
				val = scaleDuration(val, v.Get("duration_unit"))
			}
		default:
			if raw != "" {
				val = raw
			}
		}
		if val != nil {
			setPath(doc, q.Field, val)
		}
	}
	var tried []map[string]any
	for _, r := range Remedies {
		if helped := strings.TrimSpace(v.Get("tried." + r.Value)); helped != "" {
			tried = append(tried, map[string]any{"what": r.Value, "helped": helped})
		}
	}
	if tried != nil {
		doc["tried"] = tried
	}
	for _, g := range SymptomGroups {
		for _, s := range g.Items {
			if b := formBool(v.Get("symptoms." + s.Value)); b != nil {
				setPath(doc, "symptoms."+s.Value, b)
			}
		}
	}
	for _, c := range ConditionQuestions {
		if b := formBool(v.Get("conditions." + c.Value)); b != nil {
			setPath(doc, "conditions."+c.Value, b)
		}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return Answers{}, err
	}
	return Parse(data)
}

// nonEmpty drops blank entries from a list of form values.
func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// formBool reads a checkbox or yes/no answer. Anything else is passed on as
// a string so that Parse names the field in its error.
func formBool(s string) any {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil
	case "yes", "on", "true", "1":
		return true
	case "no", "off", "false", "0":
		return false
	}
	return s
}

// formNumber reads a number; text that is not one is passed on as a string
// so that Parse names the field in its error.
func formNumber(s string) any {
	if s == "" {
		return nil
	}
	// NaN and infinities are not JSON numbers: passed on as text, Parse
	// names the field instead of the encoder failing.
	if n, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(n) && !math.IsInf(n, 0) {
		return json.Number(strconv.FormatFloat(n, 'f', -1, 64))
	}
	return s
}

// scaleDuration turns a duration given in weeks or months into whole days,
// rounded to the nearest ("2.5 weeks" is 18 days).
func scaleDuration(val any, unit string) any {
	n, ok := val.(json.Number)
	if !ok {
		return val
	}
	f, _ := n.Float64()
	switch unit {
	case "weeks":
		f *= 7
	case "months":
		f *= 30
	default:
		return val
	}
	return json.Number(strconv.FormatFloat(math.Round(f), 'f', -1, 64))
}

// setPath stores val in doc under a dotted path, making inner objects.
func setPath(doc map[string]any, path string, val any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		inner, ok := doc[p].(map[string]any)
		if !ok {
			inner = map[string]any{}
			doc[p] = inner
		}
		doc = inner
	}
	doc[parts[len(parts)-1]] = val
}
