package outcome

// The minimal clinically important differences and the scales' bounds:
// each lives here once, and the judgement, the pages and the therapist's
// view import them.
const (
	// PSFSMCID is the smallest change of the Patient-Specific Functional
	// Scale, on the mean of the activities' scores, that matters to the
	// person: 2 points (Stratford 1995; Horn 2012's review finds 2 for the
	// mean score across studies).
	PSFSMCID = 2.0
	// PainMCID is the smallest change of the 0–10 numeric pain rating
	// scale that matters: 2 points (Childs 2005 in low back pain; Farrar
	// 2001, where 2 points or 30 % matched "much improved").
	PainMCID = 2.0

	// MaxActivities: the scale asks for up to three activities
	// (Stratford 1995 allows up to five; three keep the form short, as
	// most clinics use it).
	MaxActivities = 3
	// MaxScore is the top of both 0–10 scales: for an activity, "able to
	// do it at the same level as before"; for pain, "the worst imaginable".
	MaxScore = 10
	// MaxNameRunes bounds an activity's name in the person's words.
	MaxNameRunes = 80

	// GlobalMax is the end of the 15-point Global Rating of Change, which
	// runs from −7 ("a very great deal worse") to +7 (Jaeschke 1989;
	// Kamper 2009 reviews its use and design).
	GlobalMax = 7
)

// Source is a published source of a threshold or scale.
type Source struct {
	ID       string
	Citation string
	URL      string
}

// Sources are the publications behind the thresholds and scales above, in
// the order the pages list them.
var Sources = []Source{
	{"stratford-1995", "Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on individual patients: a report of a patient specific measure. Physiother Can. 1995;47(4):258–263.", "https://doi.org/10.3138/ptc.47.4.258"},
	{"horn-2012", "Horn KK, Jennings S, Richardson G, et al. The Patient-Specific Functional Scale: psychometrics, clinimetrics, and application as a clinical outcome measure. J Orthop Sports Phys Ther. 2012;42(1):30–42.", "https://doi.org/10.2519/jospt.2012.3727"},
	{"childs-2005", "Childs JD, Piva SR, Fritz JM. Responsiveness of the numeric pain rating scale in patients with low back pain. Spine. 2005;30(11):1331–1334.", "https://doi.org/10.1097/01.brs.0000164099.92112.29"},
	{"farrar-2001", "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain. 2001;94(2):149–158.", "https://doi.org/10.1016/S0304-3959(01)00349-9"},
	{"jaeschke-1989", "Jaeschke R, Singer J, Guyatt GH. Measurement of health status: ascertaining the minimal clinically important difference. Control Clin Trials. 1989;10(4):407–415.", "https://doi.org/10.1016/0197-2456(89)90005-6"},
	{"kamper-2009", "Kamper SJ, Maher CG, Mackay G. Global rating of change scales: a review of strengths and weaknesses and considerations for design. J Man Manip Ther. 2009;17(3):163–170.", "https://doi.org/10.1179/jmt.2009.17.3.163"},
}
