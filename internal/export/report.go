package export

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"unknot/internal/library"
)

// ReportTitle is the title of the free report that people sign up for. It
// is the project's own title, not that of any source it draws on.
const ReportTitle = "Unknot your upper back: a home guide to easing knots in the neck and shoulders"

// reportWay is one of the report's five ways: why it works, what to do,
// and the exercises and remedies from the library that do it.
type reportWay struct {
	title     string
	why       []string
	exercises []string // library exercise IDs, in order
	remedies  []string // library remedy IDs
	advice    []string // library advice codes, as a list of tips
}

// The report's own words around the library's entries. Facts with a dose
// or a threshold (how long to hold, when strengthening starts) come from the
// library or agree with it; the tests check that they do.
var (
	reportOpening = []string{
		"Knots in the neck and upper back are common, and most of them ease with simple things you can do at home. " +
			"This short guide gives you five that work well together, with the steps, how long to hold, and what to watch out for.",
		"First, a word about the two kinds of knot, because it helps to know which one you have:",
	}
	reportKinds = []string{
		"An over-worked knot sits in a muscle that is used hard or held tense for hours, such as the one along the top " +
			"of the shoulder. It feels tight and short. Steady pressure, warmth and stretching help it let go.",
		"An over-stretched knot sits in a back muscle that is pulled long all day, because the chest is tight and the " +
			"shoulders roll forward. It aches rather than feels tight. Opening the chest and strengthening the back help it most.",
	}
	reportBothKinds = "Many people have a bit of both. The five ways below cover both kinds."
	reportCloser    = "A massage therapist, physiotherapist or doctor can find what keeps a knot coming back and treat it " +
		"with their hands; a physiotherapist can also offer dry needling for a knot that will not let go. Our two-minute " +
		"self-check tells you whether your pain needs one, and gives you a plan for every day."
	reportDisclaimer = "This guide gives general information about muscle knots. It does not diagnose " +
		"and does not replace a doctor, physiotherapist or massage therapist."
)

var reportWays = []reportWay{
	{
		title: "1. Press on the knot until it lets go",
		why: []string{
			"A knot is a small patch of muscle that stays tight when the rest of the muscle relaxes. Steady pressure on it, " +
				"held still for a while, is one of the simplest ways to help it soften. You do not need anyone else: a tennis " +
				"ball and a wall, or your own fingertips, are enough.",
			"Aim for a firm, 'good' ache. If it turns sharp, ease off. Pressing harder does not work faster, and on the " +
				"side of the neck only light, moving fingertip pressure is safe, never deep or held pressure.",
		},
		exercises: []string{"tennis_ball_release", "fingertip_circles"},
		advice:    []string{"self_massage_dose", "deep_pressure_blood_thinners"},
	},
	{
		title: "2. Use warmth (and cold only in the first days)",
		why: []string{
			"A tight muscle lets go more easily when it is warm. Heat is the usual choice for a knot that has built up slowly. " +
				"If the pain came on suddenly after a strain or a hard workout, cold can calm it for the first two or three days; " +
				"after that, switch to heat.",
		},
		remedies: []string{"heat", "cold"},
	},
	{
		title: "3. Stretch the tight muscles gently",
		why: []string{
			"Some knots sit in muscles that are held short all day, such as the ones running from the neck to the shoulder " +
				"blade. Others sit in muscles that are pulled long because the chest is tight and the shoulders roll forward. " +
				"Stretching the short, tight side helps both kinds.",
			"Stretch slowly, breathe, and never bounce. A stretch should feel like a pull, not pain.",
		},
		exercises: []string{"levator_scapulae_stretch", "doorway_chest_stretch"},
		advice:    []string{"arm_symptoms"},
	},
	{
		title: "4. Move a little, every hour",
		why: []string{
			"Long hours in one position, especially at a desk or looking down at a phone, are the most common reason knots " +
				"come back. A minute of movement every hour does more than one long session at the end of the day.",
		},
		exercises: []string{"shoulder_rolls", "posture_reset"},
		advice:    []string{"micro_breaks", "screen_at_eye_level", "phone_at_eye_level"},
	},
	{
		title: "5. Strengthen the muscles between your shoulder blades",
		why: []string{
			"Once your pain is at 4 out of 10 or below, stronger upper-back muscles hold your shoulders back without strain, " +
				"so the same muscles stop being overstretched or overworked. Start light and build up over a few weeks.",
		},
		exercises: []string{"shoulder_blade_squeeze", "wall_angel"},
		advice:    []string{"load_gradually"},
	},
}

// emergencyBox is the report's alert box: every sign of every emergency rule
// of the library, so that the box cannot drift from the self-check. It
// speaks of the emergency only, never of a lower-level step.
func emergencyBox(lib *library.Library) (title, text string, sources []string, err error) {
	signs, sources := lib.SignsAt(library.Emergency)
	if len(signs) == 0 {
		return "", "", nil, fmt.Errorf("report: the library has no emergency rule with signs")
	}
	return "Call emergency services now if you have…",
		"• " + strings.Join(signs, "\n• ") + "\n\nThese are not knots. Do not drive yourself, and do not wait to see if it passes.",
		sources, nil
}

// Report writes the free report (ReportTitle) from the exercises, remedies,
// rules and advice of lib.
func Report(w io.Writer, lib *library.Library) error {
	var used []string // sources, in the order first cited
	cite := func(ids []string) {
		for _, id := range ids {
			if !slices.Contains(used, id) {
				used = append(used, id)
			}
		}
	}

	d := NewDocument(ReportTitle)
	for _, p := range reportOpening {
		d.Paragraph(p)
	}
	d.List(reportKinds)
	d.Paragraph(reportBothKinds)
	title, text, sources, err := emergencyBox(lib)
	if err != nil {
		return err
	}
	d.Callout(title, text, true)
	cite(sources)

	for _, way := range reportWays {
		d.Heading(way.title)
		for _, p := range way.why {
			d.Paragraph(p)
		}
		for _, id := range way.exercises {
			e, ok := lib.Exercise(id)
			if !ok {
				return fmt.Errorf("report: no exercise %q in the library", id)
			}
			d.exercise(lib, id)
			d.Small("How much: " + rangeDose(e.Dose) + ".")
			cite(e.Sources)
		}
		for _, id := range way.remedies {
			r, ok := lib.Remedy(id)
			if !ok {
				return fmt.Errorf("report: no remedy %q in the library", id)
			}
			d.Subheading(r.Name)
			d.Paragraph("When: " + r.When)
			d.Paragraph("How: " + r.How)
			if len(r.Cautions) > 0 {
				d.Small("Careful: " + strings.Join(r.Cautions, " "))
			}
			cite(r.Sources)
		}
		var tips []string
		for _, code := range way.advice {
			a, ok := lib.AdviceFor(code)
			if !ok {
				return fmt.Errorf("report: no advice %q in the library", code)
			}
			tips = append(tips, a.Says)
			cite(a.Sources)
		}
		d.List(tips)
	}

	d.Heading("When to see a doctor or a professional")
	urgent, sources := lib.SignsAt(library.Urgent)
	d.Strong("See a doctor within a day, and do no massage or exercise until then, if you have:")
	d.List(urgent)
	cite(sources)
	book, sources := lib.SignsAt(library.SeeProfessional)
	d.Strong("Book a doctor, physiotherapist or massage therapist for any of these; home care may go on meanwhile:")
	d.List(book)
	cite(sources)
	d.Paragraph(reportCloser)

	d.Heading("Sources")
	var refs []string
	for _, id := range used {
		if s, ok := lib.Source(id); ok {
			ref := s.Title + " (" + s.Publisher
			if s.Year > 0 {
				ref += fmt.Sprintf(", %d", s.Year)
			}
			ref += ")"
			if s.URL != "" {
				ref += " " + s.URL
			}
			refs = append(refs, ref)
		}
	}
	d.Numbered(refs)
	d.Callout("Not medical advice", reportDisclaimer, false)
	return d.Write(w)
}

// rangeDose says a library dose in words, such as "hold 20–30 s, 2–3
// times, each side".
func rangeDose(d library.Dose) string {
	var parts []string
	add := func(r *library.Range, format string) {
		if r == nil {
			return
		}
		n := fmt.Sprint(r.Min)
		if r.Max != r.Min {
			n += "–" + fmt.Sprint(r.Max)
		}
		parts = append(parts, fmt.Sprintf(format, n))
	}
	add(d.HoldSeconds, "hold %s s")
	add(d.Reps, "%s times")
	add(d.Sets, "%s sets")
	add(d.Minutes, "%s min in all")
	switch d.Sides {
	case "each":
		parts = append(parts, "each side")
	case "both":
		parts = append(parts, "both sides together")
	}
	if len(parts) == 0 {
		return "as it feels comfortable"
	}
	return strings.Join(parts, ", ")
}
