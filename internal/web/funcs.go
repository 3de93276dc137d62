package web

import (
	"html/template"
	"net/url"
	"strings"

	"unknot/internal/care"
	"unknot/internal/export"
	"unknot/internal/library"
	"unknot/internal/outcome"
	"unknot/internal/staff"
	"unknot/internal/urgency"
)

// funcs are the helpers templates call.
func (s *Server) funcs() template.FuncMap {
	calls := callLinks(s.cfg.EmergencyNumbers)
	return template.FuncMap{
		"exercise": func(id string) *library.Exercise {
			if e, ok := s.lib.Exercise(id); ok {
				return e
			}
			return &library.Exercise{ID: id, Name: words(id)}
		},
		"cause": func(code string) *library.Cause {
			if c, ok := s.lib.Cause(code); ok {
				return c
			}
			return &library.Cause{Code: code, Title: words(code)}
		},
		"styleName": s.styleName,
		"sourceTitle": func(id string) string {
			if src, ok := s.lib.Source(id); ok {
				return src.Title + " (" + src.Publisher + ")"
			}
			return id
		},
		"answerLabel":      care.Label,
		"linkify":          linkify,
		"level":            care.LevelOf,
		"patternWords":     care.PatternWords,
		"stageWords":       care.StageWords,
		"temperatureWords": care.TemperatureWords,
		"shownReasons":     func(r care.Result) []care.Reason { return urgency.Reasons(s.lib, r) },
		"whileWaiting":     func() urgency.List { return urgency.WhileWaiting(s.lib) },
		"alsoFound":        func(r care.Result) urgency.List { return urgency.AlsoFound(s.lib, r) },
		"emergencyCall":    func() []callLink { return calls },
		"outdatedSays":     func() string { return outdatedSays },
		"programDays":      func() int { return care.ProgramDays },
		"outcomeMax":       func() int { return outcome.MaxScore },
		"outcomeMCID":      func() float64 { return outcome.PSFSMCID }, // the same on the pain scale (outcome_test.go)
		"globalPoints":     func() int { return 2*outcome.GlobalMax + 1 },
		"invitationHours":  func() int { return int(staff.InvitationValid.Hours()) },
		// can asks the role table (staff.Can) whether an account's roles
		// may do an action, named by the funcs after it.
		"can":             func(rs staff.Roles, a staff.Action) bool { return staff.Can(rs, a) },
		"seeClientHealth": func() staff.Action { return staff.SeeClientHealth },
		"seeBookings":     func() staff.Action { return staff.SeeBookings },
		"readAudit":       func() staff.Action { return staff.ReadAudit },
		"minPassword":     func() int { return staff.MinPassword },
		"feedPastDays":    func() int { return int(feedPast.Hours() / 24) },
		"isCause":         func(code string) bool { return strings.HasPrefix(code, causePrefix) },
		"causeCode":       func(code string) string { return strings.TrimPrefix(code, causePrefix) },
		"words":           words,
		"reportTitle":     func() string { return export.ReportTitle },
		"planLink":        func(token string) string { return s.baseURL + "/plan/" + token },
		"calendarLink":    s.defaultCalendarLink,
		"webcal":          webcalHref,
		"regions":         func() []care.Choice { return care.Regions },
		"scale":           func(lo, hi int) []int { return scale(lo, hi) },
		"asset":           staticAssets.URL,
		"canonical":       s.canonical,
	}
}

// canonical is the address of a public page for its rel="canonical" link:
// the configured base URL (never the request's Host, which a client
// chooses) and path, followed by segments, each escaped as one path
// segment. With no base URL configured it is the path alone.
func (s *Server) canonical(path string, segments ...string) string {
	var b strings.Builder
	b.WriteString(s.baseURL)
	b.WriteString(path)
	for _, seg := range segments {
		b.WriteString(url.PathEscape(seg))
	}
	return b.String()
}

// callLink is an emergency number as pages show it: a tel: link and the
// countries it serves.
type callLink struct {
	urgency.Number
	Href template.URL
}

// callLinks makes the tel: links of numbers, which urgency.ParseNumbers
// and urgency.DefaultNumbers keep to digits, so the links are safe.
func callLinks(numbers urgency.Numbers) []callLink {
	out := make([]callLink, len(numbers))
	for i, n := range numbers {
		out[i] = callLink{Number: n, Href: template.URL("tel:" + n.Digits)}
	}
	return out
}

// causePrefix starts the codes of the reasons that explain a cause.
const causePrefix = "cause_"

// words turns a code such as "trigger_point_therapy" into words.
func words(code string) string { return strings.ReplaceAll(code, "_", " ") }

func scale(lo, hi int) []int {
	out := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}
