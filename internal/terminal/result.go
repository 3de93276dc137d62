package terminal

import (
	"fmt"
	"io"
	"strings"

	"unknot/internal/care"
	"unknot/internal/library"
	"unknot/internal/urgency"
)

// WriteResult writes a self-check result for a person in pain, each level
// in care.LevelOf's words, the level first. An emergency gets the numbers
// to call (call), what to do while waiting and the emergency's reasons,
// and nothing else; an urgent result gets the doctor's visit and its
// reasons, without the knot; home care gets why, whom to see and the plan.
func WriteResult(w io.Writer, lib *library.Library, r care.Result, call urgency.Numbers) {
	p := &printer{w: w, lib: lib}
	level := care.LevelOf(r.Urgency)
	p.banner(strings.ToUpper(level.Name + ": " + level.Title))
	if r.Urgency == care.Emergency {
		p.line("Dial %s.", call)
	}
	p.line("%s", r.Headline)
	for _, s := range []string{level.Until, level.Worse} {
		if s != "" {
			p.line("%s", s)
		}
	}
	if r.Urgency == care.Emergency {
		p.list(urgency.WhileWaiting(lib))
	}

	p.section("Why")
	for _, reason := range urgency.Reasons(lib, r) {
		p.line("- %s", reason.Says)
		if len(reason.Because) > 0 {
			labels := make([]string, len(reason.Because))
			for i, path := range reason.Because {
				labels[i] = care.Label(path)
			}
			p.line("  (because of your answers: %s)", strings.Join(labels, "; "))
		}
	}
	if r.Urgency == care.Emergency {
		p.disclaimer()
		return
	}
	p.list(urgency.AlsoFound(lib, r))
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
		p.line("Kind of knot: %s. Stage: %s. Heat or cold: %s.", care.PatternWords(r.Pattern), care.StageWords(r.Stage), care.TemperatureWords(r.Temperature))
		if len(r.Causes) > 0 {
			p.line("Likely causes: %s.", humanList(r.Causes))
		}
		p.plan(r.Plan)
	}
	p.disclaimer()
}

// list writes a titled list as a section, when it has items.
func (p *printer) list(l urgency.List) {
	if len(l.Items) == 0 {
		return
	}
	p.section(l.Title)
	for _, s := range l.Items {
		p.line("- %s", s)
	}
}

// disclaimer ends every result.
func (p *printer) disclaimer() {
	p.line("\nunknot gives general information about muscle knots, not medical advice; it does not diagnose.")
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
	p.section(fmt.Sprintf("Your %d days", len(plan.Days)))
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
