package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"unknot/internal/clinic"
	"unknot/internal/library"
)

// Clinics is the storage the clinic's public pages read: the whole clinic,
// as the clinic file has it.
type Clinics interface {
	ExportClinic(ctx context.Context) (clinic.File, error)
}

// clinicView is the clinic with what its pages show next to its fields.
type clinicView struct {
	clinic.Clinic
	Tel template.URL // a tel: link to the clinic's phone; empty without one
}

// locationView is a location as its pages show it.
type locationView struct {
	clinic.Location
	Tel   template.URL // a tel: link; empty without a phone
	Map   string       // a search for the address on OpenStreetMap
	Zone  string       // the time zone in words, such as "Berlin time (CET)"
	Hours []dayHours   // when its therapists work, Monday first
}

// dayHours is one day's opening hours, such as "09:00–12:00, 13:00–17:00".
type dayHours struct {
	Day, Hours string
}

// serviceView is a service as its pages show it.
type serviceView struct {
	clinic.Service
	StyleName string
	Price     string // such as "70.00 EUR"
	Modes     string // such as "In person or by video"
}

// styleView is a massage style of the library that the clinic offers, with
// the therapists who specialise in it.
type styleView struct {
	*library.MassageStyle
	Therapists []clinic.Therapist
}

// clinicPageData is the data of clinic.html.
type clinicPageData struct {
	Clinic     clinicView
	Locations  []locationView
	Services   []serviceView
	Therapists []therapistView
	Styles     []styleView
}

// therapistView is a therapist as their profile and the clinic page show
// them.
type therapistView struct {
	clinic.Therapist
	Location    locationView
	Services    []serviceView
	Specialties []*library.MassageStyle
	Languages   []string // in English words, such as "Spanish"
	Modes       string
}

// therapistPageData is the data of therapist.html.
type therapistPageData struct {
	Clinic    clinicView
	Therapist therapistView
}

// clinicPage shows who the clinic is, where and when it works, what it
// offers for how much, and how to choose a therapist.
func (s *Server) clinicPage(w http.ResponseWriter, r *http.Request) {
	f, err := s.store.ExportClinic(r.Context())
	if s.failed(w, r, err) {
		return
	}
	now := time.Now()
	page := clinicPageData{Clinic: viewClinic(f.Clinic)}
	for _, l := range f.Locations {
		page.Locations = append(page.Locations, viewLocation(&f, l, now))
	}
	for _, svc := range f.Services {
		page.Services = append(page.Services, s.viewService(svc))
	}
	for _, t := range f.Therapists {
		page.Therapists = append(page.Therapists, s.viewTherapist(&f, t, now))
	}
	page.Styles = s.offeredStyles(&f)
	s.render(w, r, http.StatusOK, "clinic.html", page)
}

// therapistPage is a therapist's profile, or 404 for an unknown one.
func (s *Server) therapistPage(w http.ResponseWriter, r *http.Request) {
	f, err := s.store.ExportClinic(r.Context())
	if s.failed(w, r, err) {
		return
	}
	t, ok := findTherapist(&f, r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	s.render(w, r, http.StatusOK, "therapist.html", therapistPageData{
		Clinic:    viewClinic(f.Clinic),
		Therapist: s.viewTherapist(&f, *t, time.Now()),
	})
}

func viewClinic(c clinic.Clinic) clinicView { return clinicView{Clinic: c, Tel: telLink(c.Phone)} }

// viewLocation describes l at now: its zone's abbreviation depends on the
// time of year.
func viewLocation(f *clinic.File, l clinic.Location, now time.Time) locationView {
	v := locationView{
		Location: l,
		Tel:      telLink(l.Phone),
		Map:      "https://www.openstreetmap.org/search?query=" + url.QueryEscape(l.Address),
		Hours:    openingHours(f, l.ID),
	}
	if loc, err := clinic.Zone(l.TimeZone); err == nil {
		v.Zone = zoneSays(loc, now)
	}
	return v
}

func (s *Server) viewService(svc clinic.Service) serviceView {
	return serviceView{
		Service:   svc,
		StyleName: s.styleName(svc.Style),
		Price:     svc.Price + " " + svc.Currency,
		Modes:     modesSay(svc.Modes),
	}
}

func (s *Server) viewTherapist(f *clinic.File, t clinic.Therapist, now time.Time) therapistView {
	v := therapistView{Therapist: t, Modes: modesSay(t.Modes)}
	if l, ok := findLocation(f, t.Location); ok {
		v.Location = viewLocation(f, *l, now)
	}
	for _, svc := range f.Services {
		if slices.Contains(t.Services, svc.ID) {
			// Only the ways this therapist gives it.
			svc.Modes = slices.DeleteFunc(slices.Clone(svc.Modes), func(m clinic.Mode) bool { return !slices.Contains(t.Modes, m) })
			v.Services = append(v.Services, s.viewService(svc))
		}
	}
	for _, id := range t.Specialties {
		if m, ok := s.lib.MassageStyle(id); ok {
			v.Specialties = append(v.Specialties, m)
		}
	}
	for _, code := range t.Languages {
		v.Languages = append(v.Languages, languageName(code))
	}
	return v
}

// offeredStyles are the library's massage styles that the clinic's
// services or its therapists' specialties name, in the library's order.
func (s *Server) offeredStyles(f *clinic.File) []styleView {
	var out []styleView
	for i := range s.lib.MassageStyles {
		m := &s.lib.MassageStyles[i]
		v := styleView{MassageStyle: m}
		for _, t := range f.Therapists {
			if slices.Contains(t.Specialties, m.ID) {
				v.Therapists = append(v.Therapists, t)
			}
		}
		offered := slices.ContainsFunc(f.Services, func(svc clinic.Service) bool { return svc.Style == m.ID })
		if offered || len(v.Therapists) > 0 {
			out = append(out, v)
		}
	}
	return out
}

// styleName names a service's style: the library's name for a massage
// style, or "Consultation".
func (s *Server) styleName(id string) string {
	if m, ok := s.lib.MassageStyle(id); ok {
		return m.Name
	}
	if id == clinic.Consultation {
		return "Consultation"
	}
	return words(id)
}

// openingHours are the hours when at least one therapist of location id
// works, by day, Monday first: the union of their weekly hours.
func openingHours(f *clinic.File, id string) []dayHours {
	out := make([]dayHours, 0, 7)
	for i := range 7 {
		day := time.Weekday((i + 1) % 7) // Monday first
		var ranges []clinic.Range
		for _, t := range f.Therapists {
			if t.Location == id {
				ranges = append(ranges, t.Hours[day]...)
			}
		}
		out = append(out, dayHours{Day: day.String(), Hours: rangesSay(ranges)})
	}
	return out
}

// rangesSay writes the union of ranges, such as "09:00–12:00, 13:00–17:00",
// or "Closed" when there are none.
func rangesSay(ranges []clinic.Range) string {
	if len(ranges) == 0 {
		return "Closed"
	}
	slices.SortFunc(ranges, func(a, b clinic.Range) int { return int(a.From - b.From) })
	merged := []clinic.Range{ranges[0]}
	for _, r := range ranges[1:] {
		if last := &merged[len(merged)-1]; r.From <= last.To {
			last.To = max(last.To, r.To)
			continue
		}
		merged = append(merged, r)
	}
	parts := make([]string, len(merged))
	for i, r := range merged {
		parts[i] = r.From.String() + "–" + r.To.String()
	}
	return strings.Join(parts, ", ")
}

// zoneSays names a time zone the way people say it, with its abbreviation
// at t: "Berlin time (CET)", "New York time (EDT)", or "Kolkata time
// (IST)". A zone whose abbreviation is only an offset says "UTC+03".
func zoneSays(loc *time.Location, t time.Time) string {
	name := loc.String()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	abbr := t.In(loc).Format("MST")
	if abbr != "" && (abbr[0] == '+' || abbr[0] == '-') {
		abbr = "UTC" + abbr
	}
	return strings.ReplaceAll(name, "_", " ") + " time (" + abbr + ")"
}

// modeSays is how pages name a way to visit.
func modeSays(m clinic.Mode) string {
	if m == clinic.Virtual {
		return "By video"
	}
	return "In person"
}

// modesSay names the ways to visit, such as "In person or by video".
func modesSay(modes []clinic.Mode) string {
	parts := make([]string, len(modes))
	for i, m := range modes {
		parts[i] = modeSays(m)
		if i > 0 {
			parts[i] = strings.ToLower(parts[i])
		}
	}
	return strings.Join(parts, " or ")
}

// languageName names a language the clinic file writes as a code ("es")
// in English ("Spanish"); anything else it shows as written.
func languageName(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	if name := display.English.Languages().Name(tag); name != "" {
		return name
	}
	return code
}

// telLink is a tel: link to phone, written with its digits and a leading
// plus only, which makes the link safe; empty when phone has no digits.
func telLink(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	if strings.Trim(b.String(), "+") == "" {
		return ""
	}
	return template.URL("tel:" + b.String())
}

func findTherapist(f *clinic.File, id string) (*clinic.Therapist, bool) {
	i := slices.IndexFunc(f.Therapists, func(t clinic.Therapist) bool { return t.ID == id })
	if i < 0 {
		return nil, false
	}
	return &f.Therapists[i], true
}

func findLocation(f *clinic.File, id string) (*clinic.Location, bool) {
	i := slices.IndexFunc(f.Locations, func(l clinic.Location) bool { return l.ID == id })
	if i < 0 {
		return nil, false
	}
	return &f.Locations[i], true
}

func findService(f *clinic.File, id string) (*clinic.Service, bool) {
	i := slices.IndexFunc(f.Services, func(svc clinic.Service) bool { return svc.ID == id })
	if i < 0 {
		return nil, false
	}
	return &f.Services[i], true
}
