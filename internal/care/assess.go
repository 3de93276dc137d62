package care

import "unknot/internal/library"

// Assess runs the self-check on valid Answers (see Parse and Validate) and
// returns the Result the contract describes: the urgency and every rule that
// fired, most severe first, each naming the answers behind it; the pattern,
// stage, temperature and causes with their reasons; a suggestion to see
// someone; and, exactly when self-care is allowed, the personal plan. Texts
// and sources come from lib. Assess does no I/O and does not change a.
func Assess(lib *library.Library, a Answers) Result {
	r := Result{Version: Version, Urgency: SelfCare, Reasons: make([]Reason, 0, 8)}
	var see kinds // whom the rules at the result's urgency send the person to
	for i := range rules {
		if because := rules[i].fire(&a); because != nil {
			if len(r.Reasons) == 0 {
				r.Urgency = rules[i].level // rules run most severe first
			}
			if rules[i].level == r.Urgency {
				see |= rules[i].see
			}
			r.Reasons = append(r.Reasons, ruleReason(lib, rules[i].code, because))
		}
	}

	var because []string
	r.Pattern, because = pattern(&a)
	r.Reasons = append(r.Reasons, adviceReason(lib, "pattern_"+r.Pattern, because))
	r.Stage = stage(a.DurationDays)
	r.Temperature, because = temperature(&a)
	r.Reasons = append(r.Reasons, adviceReason(lib, "temperature_"+r.Temperature, because))
	r.Causes = make([]string, 0, len(causeRules))
	for _, c := range causeRules {
		if because := c.fire(&a); because != nil {
			r.Causes = append(r.Causes, c.code)
			r.Reasons = append(r.Reasons, causeReason(lib, c.code, c.reason, because))
		}
	}

	r.SelfCareAllowed = r.Urgency == SelfCare || r.Urgency == SeeProfessional
	r.Headline = advice(lib, "headline_"+r.Urgency).Says
	r.Professional = professional(lib, &a, &r, see)
	if r.SelfCareAllowed {
		r.Plan = buildPlan(lib, &a, &r)
	}
	return r
}

// The texts below come from the library by code, with the id of the entry's
// first (main) source; the library lists the others. An entry the library
// lacks (which its tests rule out) reads as empty rather than failing the
// check.

// ruleReason explains an urgency rule that fired.
func ruleReason(lib *library.Library, code string, because []string) Reason {
	r := Reason{Code: code, Because: because}
	if t, ok := lib.Rule(code); ok {
		r.Says, r.Source = t.Says, first(t.Sources)
	}
	return r
}

// causeReason explains a cause found, under the reason code given.
func causeReason(lib *library.Library, cause, code string, because []string) Reason {
	r := Reason{Code: code, Because: because}
	if c, ok := lib.Cause(cause); ok {
		r.Says, r.Source = c.Explain, first(c.Sources)
	}
	return r
}

// adviceReason explains a conclusion in the words of the advice with code.
func adviceReason(lib *library.Library, code string, because []string) Reason {
	t := advice(lib, code)
	return Reason{Code: code, Says: t.Says, Because: because, Source: t.Source}
}

// advice returns the library's advice with code.
func advice(lib *library.Library, code string) Advice {
	a := Advice{Code: code}
	if t, ok := lib.AdviceFor(code); ok {
		a.Says, a.Source = t.Says, first(t.Sources)
	}
	return a
}

func first(sources []string) string {
	if len(sources) == 0 {
		return ""
	}
	return sources[0]
}

// Massage styles (the library's massage_styles) that suit each pattern: an
// over-worked knot lets go under sustained pressure (or dry needling by a
// trained physiotherapist), an over-stretched one needs the tissue around it
// eased, not pounded. Sources: the seed articles, Travell and Simons, Gattie
// 2017 (dry needling).
var stylesFor = map[string][]string{
	Overworked:    {"trigger_point_therapy", "deep_tissue", "dry_needling"},
	Overstretched: {"myofascial_release", "swedish"},
	Mixed:         {"trigger_point_therapy", "myofascial_release", "dry_needling"},
	Unclear:       {"swedish", "trigger_point_therapy"},
}

// professional says whom to see: whom the rules at the result's urgency
// name, and for self-care or see_professional the massage styles that suit
// the pattern, less those the health background rules out (deep pressure
// and needles bruise on blood thinners; no deep pressure on thin bones; no
// needling in pregnancy). No massage is suggested before a doctor has seen
// an emergency or urgent case.
func professional(lib *library.Library, a *Answers, r *Result, see kinds) Professional {
	p := Professional{
		Suggest:       r.Urgency != SelfCare,
		Kinds:         see.list(),
		MassageStyles: []string{},
		Why:           advice(lib, "professional_"+r.Urgency).Says,
	}
	if !r.SelfCareAllowed {
		return p
	}
	c := &a.Conditions
	fragile := c.Osteoporosis || c.LongTermSteroids
	for _, style := range stylesFor[r.Pattern] {
		switch {
		case style == "deep_tissue" && (c.BloodThinners || fragile),
			style == "dry_needling" && (c.BloodThinners || c.Pregnant):
			continue
		}
		p.MassageStyles = append(p.MassageStyles, style)
	}
	return p
}
