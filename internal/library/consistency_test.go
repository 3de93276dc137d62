package library_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"unknot/internal/articles"
	"unknot/internal/library"
)

// The library and the articles must tell a person the same thing. These
// tests read every text of both, as a grep would, and check the facts that
// have drifted apart before: chin tuck holds, the strengthening threshold,
// the age cut-off for new spinal pain, pressure on the side of the neck, and
// the edition and link of each cited work.

// text is one piece of prose and where it comes from.
type text struct{ where, says string }

// libraryTexts returns every text of the library. The texts of the chin
// tuck exercise are prefixed with its name, since its steps speak of "it".
func libraryTexts(l *library.Library) []text {
	var out []text
	add := func(where string, list ...string) {
		for i, s := range list {
			out = append(out, text{fmt.Sprintf("%s[%d]", where, i), s})
		}
	}
	for _, e := range l.Exercises {
		all := append([]string{e.Name, e.Summary}, e.Steps...)
		all = append(all, e.Cautions...)
		if e.ID == "chin_tuck" {
			for i := range all {
				all[i] = "Chin tuck: " + all[i]
			}
		}
		add("exercises.json "+e.ID, all...)
	}
	for _, r := range l.Rules {
		add("rules.json "+r.Code, append([]string{r.Says}, r.Signs...)...)
	}
	for _, c := range l.Causes {
		add("causes.json "+c.Code, c.Title, c.Explain)
	}
	for _, r := range l.Remedies {
		add("remedies.json "+r.ID, append([]string{r.Name, r.When, r.How}, r.Cautions...)...)
	}
	for _, m := range l.MassageStyles {
		all := append([]string{m.Name, m.Description}, m.GoodFor...)
		add("massage_styles.json "+m.ID, append(all, m.Cautions...)...)
	}
	for _, a := range l.Advice {
		add("advice.json "+a.Code, a.Says)
	}
	return out
}

// articleDir is the articles' Markdown, read as raw text.
const articleDir = "../articles/content"

// articleTexts returns each line of each article's Markdown.
func articleTexts(t *testing.T) []text {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(articleDir, "*.md"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no articles in %s: %v", articleDir, err)
	}
	var out []text
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			out = append(out, text{fmt.Sprintf("%s:%d", filepath.Base(name), i+1), line})
		}
	}
	return out
}

func allTexts(t *testing.T) []text {
	return append(libraryTexts(library.Default()), articleTexts(t)...)
}

// number is a number in figures or in words, as the texts write them.
const number = `(\d+|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty)`

var (
	chinTuck = regexp.MustCompile(`(?i)chin[ -]tucks?`)
	seconds  = regexp.MustCompile(`(?i)\b` + number + `(?:\s*(?:–|-|to|or)\s*` + number + `)?(?:\s*(?:seconds?|secs?)\b|\s+s\b)`)
	// orBelow finds a threshold such as "4 or below" or "3 out of 10 or less".
	orBelow = regexp.MustCompile(`(?i)\b` + number + `(?:\s*out of (?:10|ten))?\s+or\s+(?:below|less|lower|under)\b`)
	// olderThan finds an age such as "over 55", "aged 50", "50 or over",
	// "50 and over".
	olderThan  = regexp.MustCompile(`(?i)(?:\b(?:over|aged|older than)\s+(\d+)|\b(\d+)\s+(?:or|and)\s+(?:over|older))`)
	sideOfNeck = regexp.MustCompile(`(?i)\b(?:sides?|front or sides?) of (?:the|your) neck\b|\bits sides?\b`)
)

var words = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30,
}

func toInt(s string) int {
	if n, ok := words[strings.ToLower(s)]; ok {
		return n
	}
	n, _ := strconv.Atoi(s)
	return n
}

// chinTuckProblems reports a chin tuck held for anything but 2–3 seconds:
// any number of seconds after a mention of the chin tuck, in the same line.
func chinTuckProblems(s string) []string {
	var out []string
	for _, loc := range chinTuck.FindAllStringIndex(s, -1) {
		rest := s[loc[1]:]
		for _, m := range seconds.FindAllStringSubmatch(rest, -1) {
			lo, hi := toInt(m[1]), toInt(m[1])
			if m[2] != "" {
				hi = toInt(m[2])
			}
			if lo < 2 || hi > 3 {
				out = append(out, fmt.Sprintf("chin tuck held %q; it holds 2–3 seconds", m[0]))
			}
		}
	}
	return out
}

// strengthProblems reports a strengthening threshold other than pain 4 or
// below in a text that speaks of strengthening.
func strengthProblems(s string) []string {
	if !strings.Contains(strings.ToLower(s), "strength") {
		return nil
	}
	var out []string
	for _, m := range orBelow.FindAllStringSubmatch(s, -1) {
		if toInt(m[1]) != 4 {
			out = append(out, fmt.Sprintf("strengthening threshold %q; it starts at pain 4 or below", m[0]))
		}
	}
	return out
}

// ageProblems reports an upper age cut-off other than 50 in a text that
// gives the lower cut-off ("under 20") for new spinal pain.
func ageProblems(s string) []string {
	if !strings.Contains(s, "under 20") {
		return nil
	}
	var out []string
	for _, m := range olderThan.FindAllStringSubmatch(s, -1) {
		age := m[1] + m[2]
		if age != "50" {
			out = append(out, fmt.Sprintf("age cut-off %q; new spinal pain is worth a look under 20 and at 50 and over", m[0]))
		}
	}
	return out
}

// sideOfNeckProblems reports a sentence that speaks of pressing on the side
// of the neck without saying how: the one rule is light, moving fingertip
// pressure there and never deep or held pressure, so a bare "never press
// on the sides of the neck" contradicts the fingertip technique, and a bare
// "press the side of your neck" drops the limit.
func sideOfNeckProblems(s string) []string {
	var out []string
	for _, sentence := range regexp.MustCompile(`[.!?]\s+`).Split(s, -1) {
		low := strings.ToLower(sentence)
		if !sideOfNeck.MatchString(sentence) || !strings.Contains(low, "press") {
			continue
		}
		if !strings.Contains(low, "light") || !(strings.Contains(low, "deep") || strings.Contains(low, "hold")) {
			out = append(out, fmt.Sprintf("pressure on the side of the neck: %q must say light pressure only, never deep or held", sentence))
		}
	}
	return out
}

var checks = []struct {
	name  string
	check func(string) []string
}{
	{"chin tuck", chinTuckProblems},
	{"strengthening", strengthProblems},
	{"age", ageProblems},
	{"side of the neck", sideOfNeckProblems},
}

func TestTextsAgree(t *testing.T) {
	for _, tx := range allTexts(t) {
		for _, c := range checks {
			for _, p := range c.check(tx.says) {
				t.Errorf("%s: %s", tx.where, p)
			}
		}
	}
}

// TestChecksCatch shows that each check fails on the kind of text that
// drifted before, and passes the agreed wording.
func TestChecksCatch(t *testing.T) {
	tests := []struct {
		check func(string) []string
		bad   []string
		good  []string
	}{
		{chinTuckProblems,
			[]string{
				"Try chin tucks. Sit tall and slide your chin back. Hold for five seconds and repeat ten times.",
				"| Chin tuck | slide your chin back | hold 5 seconds, 10 times |",
				"Chin tuck: hold 2–5 s",
			},
			[]string{
				"Try chin tucks. Hold for 2 to 3 seconds and repeat 8 to 12 times.",
				"| Chin tuck | slide your chin back | hold 2–3 seconds, 8–12 times |",
				"Do shoulder rolls and chin tucks every hour or two.",
			}},
		{strengthProblems,
			[]string{
				"Once your pain is around 3 out of 10 or less, start strengthening.",
				"Strength work starts at pain 5 or below.",
			},
			[]string{
				"Strengthening starts once your diary shows pain at 4 or below.",
				"Aim for a pressure of about 4 to 6 out of 10.",
			}},
		{ageProblems,
			[]string{"the first time you have had it and you are over 55 or under 20"},
			[]string{"new pain along the spine and you are 50 or over, or under 20", "under 20 or aged 50 and over"}},
		{sideOfNeckProblems,
			[]string{
				"Never press on the front or sides of the neck. Major blood vessels run there.",
				"Press firmly on the side of your neck for a minute.",
			},
			[]string{
				"On the side of the neck, keep to light fingertip pressure that keeps moving; never press deep or hold still there.",
				"Tip your ear until you feel a stretch along the side of your neck.",
			}},
	}
	for i, tc := range tests {
		for _, s := range tc.bad {
			if len(tc.check(s)) == 0 {
				t.Errorf("check %d passed %q; it must catch it", i, s)
			}
		}
		for _, s := range tc.good {
			if p := tc.check(s); len(p) > 0 {
				t.Errorf("check %d caught %q: %v", i, s, p)
			}
		}
	}
}

// TestSelfMassageDose checks that the self-massage guidance gives the dose
// the library uses: about five minutes a session, up to five or six a day.
func TestSelfMassageDose(t *testing.T) {
	l := library.Default()
	a, ok := l.AdviceFor("self_massage_dose")
	if !ok {
		t.Fatal("no advice self_massage_dose")
	}
	b, err := os.ReadFile(filepath.Join(articleDir, "self-massage-for-knots.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"about five minutes", "five or six times a day"} {
		if !strings.Contains(a.Says, want) {
			t.Errorf("self_massage_dose does not say %q", want)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("self-massage-for-knots.md does not say %q", want)
		}
	}
	for _, e := range l.ExercisesByKind(library.Massage) {
		if e.Dose.Minutes == nil || e.Dose.Minutes.Max > 5 {
			t.Errorf("%s: a self-massage item lasts at most five minutes", e.ID)
		}
	}
}

// works maps a fragment of the title (or address) of a work that both the library and
// the articles cite to its library source, so that both cite one edition
// at one address.
var works = map[string]string{
	"trigger point manual":                   "travell-simons",
	"neck pain: revision 2017":               "jospt-2017",
	"canadian c-spine rule":                  "canadian-c-spine-2001",
	"ifompt cervical framework":              "ifompt-cervical-2023",
	"red flags for potential serious":        "finucane-2020",
	"massage for mechanical neck disorders":  "cochrane-massage-2012",
	"massage therapy: what you need to know": "nccih-massage",
	"trigger point dry needling":             "gattie-2017",
}

// plainTitle is a title in lower case without its parenthesised notes,
// such as "(Clinical Knowledge Summaries)" or "(Stiell et al., 2001)".
func plainTitle(s string) string {
	return strings.TrimSpace(regexp.MustCompile(`\s*\([^)]*\)`).ReplaceAllString(strings.ToLower(s), ""))
}

// TestOneEditionPerWork checks that an article citing a work the library
// also cites uses the library's edition and link, and that an article
// citing a page the library has under the same title uses the same link.
func TestOneEditionPerWork(t *testing.T) {
	l := library.Default()
	c, err := articles.Load(os.DirFS(articleDir))
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]*library.Source{}
	for i := range l.Sources {
		s := &l.Sources[i]
		byTitle[plainTitle(s.Title)] = s
	}
	for _, a := range c.All() {
		for _, ref := range a.References {
			title := strings.ToLower(ref.Title)
			var want *library.Source
			for fragment, id := range works {
				if strings.Contains(title+" "+strings.ToLower(ref.URL), fragment) {
					s, ok := l.Source(id)
					if !ok {
						t.Fatalf("works names %q, which is not in the library", id)
					}
					want = s
				}
			}
			if s, ok := byTitle[plainTitle(ref.Title)]; ok && want == nil {
				want = s
			}
			if want == nil {
				continue
			}
			if ref.URL != want.URL {
				t.Errorf("%s cites %q at %s; the library's %s is at %s", a.Slug, ref.Title, ref.URL, want.ID, want.URL)
			}
			if strings.Contains(title, "edition") && want.Year != 0 && !strings.Contains(ref.Title, strconv.Itoa(want.Year)) {
				t.Errorf("%s cites %q; the library cites the %d edition", a.Slug, ref.Title, want.Year)
			}
		}
	}
}
