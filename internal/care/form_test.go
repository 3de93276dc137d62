package care

import (
	"errors"
	"net/url"
	"testing"

	"unknot/internal/valid"
)

func TestFromForm(t *testing.T) {
	form := func(extra url.Values) url.Values {
		v := url.Values{"age": {"44"}, "regions": {"back_of_neck", ""}, "duration_days": {"3"}, "onset": {"gradual"}, "pain_now": {"4"},
			"symptoms.short_of_breath": {"yes"}, "conditions.pregnant": {"on"}, "tried.heat": {"somewhat"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	a, err := FromForm(form(nil))
	if err != nil {
		t.Fatal(err)
	}
	if a.Age != 44 || len(a.Regions) != 1 || !a.Symptoms.ShortOfBreath || !a.Conditions.Pregnant || a.Tried[0] != (Tried{"heat", "somewhat"}) {
		t.Errorf("got %+v", a)
	}
	for _, tt := range []struct {
		unit, n string
		days    int
	}{{"weeks", "2.5", 18}, {"weeks", "2", 14}, {"months", "1", 30}, {"days", "5", 5}} {
		a, err := FromForm(form(url.Values{"duration_days": {tt.n}, "duration_unit": {tt.unit}}))
		if err != nil || a.DurationDays != tt.days {
			t.Errorf("%s %s: %d days, %v; want %d", tt.n, tt.unit, a.DurationDays, err, tt.days)
		}
	}
	for field, bad := range map[string]string{"pain_now": "NaN", "age": "Inf", "habits.desk_hours": "-Inf", "duration_days": "1e400"} {
		_, err := FromForm(form(url.Values{field: {bad}}))
		var es valid.Errors
		if !errors.As(err, &es) || len(es) != 1 || es[0].Field != field {
			t.Errorf("%s=%s: error %v, want one field error on %s", field, bad, err, field)
		}
	}
}
