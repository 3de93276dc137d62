package terminal

import (
	"fmt"
	"io"
	"strings"

	"unknot/internal/care"
	"unknot/internal/library"
)

// WriteResult writes a self-check result for a person in pain: urgency
// first, what to do in an emergency, then why, then the plan.
func WriteResult(w io.Writer, lib *library.Library, r care.Result) {
	p := &printer{w: w, lib: lib}
	switch r.Urgency {
	case care.Emergency:
		p.banner("EMERGENCY: CALL YOUR EMERGENCY NUMBER NOW (911, 112, 999)")
		p.line("%s", r.Headline)
		p.line("Do not drive yourself. Do not exercise, stretch or massage. Stay with someone if you can.")
	case care.Urgent:
		p.banner("URGENT: SEE A DOCTOR TODAY")
		p.line("%s", r.Headline)
		p.line("Until a doctor has seen you, do no massage, stretching or exercise for this.")
	case care.SeeProfessional:
		p.banner("BOOK A PROFESSIONAL; YOU CAN START HOME CARE MEANWHILE")
		p.line("%s", r.Headline)
	default:
		p.banner("SELF-CARE")
		p.line("%s", r.Headline)
	}

	p.section("Why")
	for _, reason := range r.Reasons {
		if r.Urgency == care.Emergency && !care.IsUrgencyRule(reason.Code) {
			continue // nothing about the knot may compete with the call
		}
		p.line("- %s", reason.Says)
		if len(reason.Because) > 0 {
			labels := make([]string, len(reason.Because))
			for i, path := range reason.Because {
				labels[i] = care.Label(path)
			}
			p.line("  (because of your answers: %s)", strings.Join(labels, "; "))
		}
	}
	if r.Professional.Suggest {
		p.section("Who to see")
		p.line("%s", r.Professional.Why)
		if len(r.Professional.Kinds) > 0 {
			p.line("Who: %s", humanList(r.Professional.Kinds))
		}
		if len(r.Professional.MassageStyles) > 0 {
			p.line("Massage styles that suit this pattern: %s", humanList(r.Professional.MassageStyles))
		}
	}
	if r.Plan != nil {
		p.section("About your knot")
		p.line("Kind of knot: %s. Stage: %s. Use: %s.", patternWords(r.Pattern), stageWords(r.Stage), temperatureWords(r.Temperature))
		if len(r.Causes) > 0 {
			p.line("Likely causes: %s.", humanList(r.Causes))
		}
		p.plan(r.Plan)
	}
	fmt.Fprintln(w)
	p.line("unknot gives general information, not medical advice. If you are worried, or it gets worse, see a doctor.")
}

type printer struct {
	w   io.Writer
	lib *library.Library
}

func (p *printer) line(format string, args ...any) { fmt.Fprintf(p.w, format+"\n", args...) }

func (p *printer) banner(s string) {
	bar := strings.Repeat("=", len(s)+4)
	p.line("%s\n  %s\n%s", bar, s, bar)
}

func (p *printer) section(title string) { p.line("\n%s\n%s", title, strings.Repeat("-", len(title))) }

func (p *printer) plan(plan *care.Plan) {
	p.section("Relief right now (2–3 minutes)")
	p.items(plan.ReliefNow)
	p.section("Every day")
	p.line("Morning:")
	p.items(plan.Daily.Morning)
	if b := plan.Daily.WorkdayBreaks; b != nil {
		p.line("At your desk, every %d minutes, for %d minute(s):", b.EveryMinutes, b.Minutes)
		p.items(b.Items)
	}
	p.line("Afternoon:")
	p.items(plan.Daily.Afternoon)
	p.line("Evening:")
	p.items(plan.Daily.Evening)
	p.line("Night:")
	p.advice(plan.Daily.Night)
	p.section("Your 7 days")
	for _, d := range plan.Days {
		p.line("Day %d: %s", d.Day, d.Focus)
		for _, s := range d.Sessions {
			names := make([]string, len(s.Items))
			for i, it := range s.Items {
				names[i] = p.name(it.Exercise)
			}
			p.line("  %s: %s", s.When, strings.Join(names, ", "))
		}
	}
	for _, group := range []struct {
		title string
		list  []care.Advice
	}{
		{"Avoid", plan.Avoid},
		{"At your desk", plan.Ergonomics},
		{"Day to day", plan.Lifestyle},
		{"See a professional if", plan.SeeProfessionalIf},
	} {
		if len(group.list) > 0 {
			p.section(group.title)
			p.advice(group.list)
		}
	}
}

func (p *printer) items(items []care.Item) {
	for _, it := range items {
		p.line("  * %s — %s", p.name(it.Exercise), it.Dose())
		if it.Note != "" {
			p.line("    %s", it.Note)
		}
	}
}

func (p *printer) advice(list []care.Advice) {
	for _, a := range list {
		p.line("  * %s", a.Says)
	}
}

func (p *printer) name(id string) string {
	if e, ok := p.lib.Exercise(id); ok {
		return e.Name
	}
	return id
}

func words(code string) string { return strings.ReplaceAll(code, "_", " ") }

func humanList(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = words(c)
	}
	return strings.Join(out, ", ")
}

func patternWords(p string) string {
	switch p {
	case care.Overstretched:
		return "over-stretched (a protective knot in a muscle kept long)"
	case care.Overworked:
		return "over-worked (a muscle that stays contracted)"
	case care.Mixed:
		return "a mix of both kinds"
	}
	return "not clear from your answers"
}

func stageWords(s string) string {
	switch s {
	case care.Acute:
		return "recent (under 6 weeks)"
	case care.Subacute:
		return "6 to 12 weeks"
	}
	return "long-standing (over 12 weeks)"
}

func temperatureWords(t string) string {
	switch t {
	case "cold":
		return "cold for the first days"
	case "heat":
		return "heat"
	}
	return "heat or cold, whichever feels better"
}
