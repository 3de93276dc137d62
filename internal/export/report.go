package export

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"unknot/internal/library"
)

// ReportTitle is the title of the free report that people sign up for.
const ReportTitle = "Five ways to get rid of the knots in your upper back"

// reportWay is one of the report's five ways: why it works, what to do,
// and the exercises and remedies from the library that do it.
type reportWay struct {
	title     string
	why       []string
	exercises []string // library exercise IDs, in order
	remedies  []string // library remedy IDs
	advice    []string // library advice codes, as a list of tips
}

var reportWays = []reportWay{
	{
		title: "1. Press on the knot until it lets go",
		why: []string{
			"A knot is a small patch of muscle that stays tight when the rest of the muscle relaxes. Steady pressure on it, " +
				"held still for a while, is one of the simplest ways to help it soften. You do not need anyone else: a tennis " +
				"ball and a wall are enough.",
			"Aim for a firm, 'good' ache. If it turns sharp, ease off. Pressing harder does not work faster.",
		},
		exercises: []string{"tennis_ball_release", "foam_roll_upper_back"},
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
			"Once the pain has eased, stronger upper-back muscles hold your shoulders back without strain, so the same " +
				"muscles stop being overstretched or overworked. Start light and build up over a few weeks.",
		},
		exercises: []string{"shoulder_blade_squeeze", "wall_angel"},
		advice:    []string{"load_gradually"},
	},
}

// Report writes the free report, "Five ways to get rid of the knots in
// your upper back", from the exercises, remedies and advice of lib.
func Report(w io.Writer, lib *library.Library) error {
	d := NewDocument(ReportTitle)
	d.Paragraph("Knots in the upper back are common, and most of them ease with simple things you can do at home. " +
		"This short guide gives you five that work well together, with the steps, how long to hold, and what to watch out for.")
	d.Paragraph("First, a word about the two kinds of knot, because it helps to know which one you have:")
	d.List([]string{
		"An over-worked knot sits in a muscle that is used hard or held tense for hours, such as the one along the top " +
			"of the shoulder. It feels tight and short. Pressure, warmth and stretching help it let go.",
		"An over-stretched knot sits in a back muscle that is pulled long all day, because the chest is tight and the " +
			"shoulders roll forward. It aches rather than feels tight. Opening the chest and strengthening the back help it most.",
	})
	d.Paragraph("Many people have a bit of both. The five ways below cover both kinds.")
	d.Callout("Stop and get help first if…", "you have chest pain or pressure, pain spreading to the arm or jaw with "+
		"shortness of breath, a sudden severe headache, a stiff neck with a fever, numbness or weakness in the arms or hands, "+
		"or new trouble controlling your bladder or bowels. Call your emergency number. These are not knots.", true)

	var used []string // sources, in the order first cited
	cite := func(ids []string) {
		for _, id := range ids {
			if !slices.Contains(used, id) {
				used = append(used, id)
			}
		}
	}
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

	d.Heading("When to see a professional")
	var escalate []string
	for _, code := range []string{"escalate_three_weeks", "escalate_worse", "escalate_new_symptoms"} {
		if a, ok := lib.AdviceFor(code); ok {
			escalate = append(escalate, a.Says)
		}
	}
	d.List(escalate)
	d.Paragraph("A massage therapist, physiotherapist or doctor can find what keeps a knot coming back and treat it " +
		"with their hands. Our two-minute self-check tells you whether your pain needs one, and gives you a plan for every day.")

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
	d.Callout("Not medical advice", "This guide gives general information about muscle knots. It does not diagnose "+
		"and does not replace a doctor, physiotherapist or massage therapist.", false)
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
