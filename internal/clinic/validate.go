package clinic

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"unknot/internal/library"
	"unknot/internal/mail"
	"unknot/internal/valid"
)

// Bounds of the clinic file (BOOKING.md, "The clinic file").
const (
	MinMinutes, MaxMinutes         = 5, 480
	MaxBufferMinutes               = 120
	MaxCancelHours                 = 168
	MaxMinNoticeMinutes            = 10080
	MinHorizonDays, MaxHorizonDays = 1, 365
)

// Lengths of text fields, in characters: short enough for a page, long
// enough for any real name or address.
const (
	maxName = 200
	maxText = 4000 // address, bio, insurance note
	maxID   = 40
)

var (
	idPattern    = regexp.MustCompile(`^[a-z0-9-]{1,40}$`)
	pricePattern = regexp.MustCompile(`^[0-9]{1,7}(\.[0-9]{1,2})?$`)
	currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Validate checks the values of f: ids, bounds, time zones, styles, modes,
// overlapping hours, and references, which must name what f lists or what
// known has (known may be nil). Every problem names its path.
func (f *File) Validate(known Known) valid.Errors {
	var errs valid.Errors
	f.Clinic.validate(&errs)

	locations := ids(&errs, "locations", f.Locations, func(l *Location) string { return l.ID })
	for i := range f.Locations {
		f.Locations[i].validate("locations["+strconv.Itoa(i)+"]", &errs)
	}
	services := ids(&errs, "services", f.Services, func(s *Service) string { return s.ID })
	for i := range f.Services {
		f.Services[i].validate("services["+strconv.Itoa(i)+"]", &errs)
	}
	ids(&errs, "therapists", f.Therapists, func(t *Therapist) string { return t.ID })
	for i := range f.Therapists {
		t := &f.Therapists[i]
		at := "therapists[" + strconv.Itoa(i) + "]"
		t.validate(at, &errs)
		if t.Location != "" && !locations[t.Location] && (known == nil || !known.HasLocation(t.Location)) {
			errs.Add(at+".location", fmt.Sprintf("%q is not a location in the file or the database", t.Location))
		}
		for j, s := range t.Services {
			sAt := at + ".services[" + strconv.Itoa(j) + "]"
			switch {
			case s == "":
				errs.Add(sAt, "must not be empty")
			case !services[s] && (known == nil || !known.HasService(s)):
				errs.Add(sAt, fmt.Sprintf("%q is not a service in the file or the database", s))
			case slices.Index(t.Services, s) < j:
				errs.Add(sAt, "repeats "+at+".services["+strconv.Itoa(slices.Index(t.Services, s))+"]")
			}
		}
	}
	return errs
}

// ids checks the id of each item of the list called name, and returns
// the set of ids.
func ids[T any](errs *valid.Errors, name string, items []T, id func(*T) string) map[string]bool {
	first := make(map[string]int, len(items))
	for i := range items {
		at := name + "[" + strconv.Itoa(i) + "].id"
		s := id(&items[i])
		j, seen := first[s]
		switch {
		case s == "":
			errs.Add(at, "is required")
		case !idPattern.MatchString(s):
			errs.Add(at, fmt.Sprintf("%q is not an id of 1 to %d characters a-z, 0-9 and -", s, maxID))
		case seen:
			errs.Add(at, fmt.Sprintf("repeats %s[%d].id", name, j))
		default:
			first[s] = i
		}
	}
	set := make(map[string]bool, len(first))
	for s := range first {
		set[s] = true
	}
	return set
}

func (c *Clinic) validate(errs *valid.Errors) {
	text(errs, "clinic.name", c.Name, maxName, true)
	text(errs, "clinic.phone", c.Phone, maxName, false)
	email(errs, "clinic.email", c.Email)
	link(errs, "clinic.website", c.Website)
	text(errs, "clinic.insurance_note", c.InsuranceNote, maxText, false)
	text(errs, "clinic.address", c.Address, maxText, false)
	between(errs, "clinic.cancel_hours", c.CancelHours, 0, MaxCancelHours)
	between(errs, "clinic.min_notice_minutes", c.MinNoticeMinutes, 0, MaxMinNoticeMinutes)
	between(errs, "clinic.horizon_days", c.HorizonDays, MinHorizonDays, MaxHorizonDays)
	if !slices.Contains(StepMinutes, c.SlotStepMinutes) {
		errs.Add("clinic.slot_step_minutes", fmt.Sprintf("must be one of %v", StepMinutes))
	}
}

func (l *Location) validate(at string, errs *valid.Errors) {
	text(errs, at+".name", l.Name, maxName, true)
	text(errs, at+".address", l.Address, maxText, true)
	text(errs, at+".phone", l.Phone, maxName, false)
	if l.TimeZone == "" {
		errs.Add(at+".time_zone", "is required")
	} else if _, err := Zone(l.TimeZone); err != nil {
		errs.Add(at+".time_zone", err.Error())
	}
}

func (s *Service) validate(at string, errs *valid.Errors) {
	text(errs, at+".name", s.Name, maxName, true)
	switch _, ok := library.Default().MassageStyle(s.Style); {
	case s.Style == "":
		errs.Add(at+".style", "is required")
	case s.Style != Consultation && !ok:
		errs.Add(at+".style", fmt.Sprintf("%q is neither a massage style of the library nor %q", s.Style, Consultation))
	}
	between(errs, at+".minutes", s.Minutes, MinMinutes, MaxMinutes)
	between(errs, at+".buffer_before_minutes", s.BufferBeforeMinutes, 0, MaxBufferMinutes)
	between(errs, at+".buffer_after_minutes", s.BufferAfterMinutes, 0, MaxBufferMinutes)
	if !pricePattern.MatchString(s.Price) {
		errs.Add(at+".price", fmt.Sprintf("%q is not a price such as \"95.00\"", s.Price))
	}
	if !currencyCode.MatchString(s.Currency) {
		errs.Add(at+".currency", fmt.Sprintf("%q is not a currency code such as \"USD\"", s.Currency))
	}
	modes(errs, at+".modes", s.Modes)
}

func (t *Therapist) validate(at string, errs *valid.Errors) {
	text(errs, at+".name", t.Name, maxName, true)
	email(errs, at+".email", t.Email)
	text(errs, at+".credentials", t.Credentials, maxName, true)
	text(errs, at+".licence", t.Licence, maxName, false)
	text(errs, at+".bio", t.Bio, maxText, false)
	for j, s := range t.Specialties {
		text(errs, at+".specialties["+strconv.Itoa(j)+"]", s, maxName, true)
	}
	for j, s := range t.Languages {
		text(errs, at+".languages["+strconv.Itoa(j)+"]", s, maxName, true)
	}
	if t.Location == "" {
		errs.Add(at+".location", "is required")
	}
	modes(errs, at+".modes", t.Modes)
	switch {
	case t.VideoURL == "" && slices.Contains(t.Modes, Virtual):
		errs.Add(at+".video_url", "is required when modes has \"virtual\"")
	case t.VideoURL != "":
		link(errs, at+".video_url", t.VideoURL)
	}
	for day, ranges := range t.Hours {
		for j, r := range ranges {
			if r.To <= r.From {
				errs.Add(fmt.Sprintf("%s.hours.%s[%d]", at, dayNames[day], j),
					fmt.Sprintf("%q is not after %q", r.To, r.From))
				continue
			}
			for k, earlier := range ranges[:j] {
				if r.From < earlier.To && earlier.From < r.To {
					errs.Add(fmt.Sprintf("%s.hours.%s[%d]", at, dayNames[day], j),
						fmt.Sprintf("overlaps %s[%d] (%s-%s)", dayNames[day], k, earlier.From, earlier.To))
					break
				}
			}
		}
	}
	for j, o := range t.TimeOff {
		if !o.From.Before(o.To) {
			errs.Add(fmt.Sprintf("%s.time_off[%d].to", at, j), fmt.Sprintf("%q is not after %q", o.To, o.From))
		}
	}
}

// text checks a text field: given when required, at most max characters,
// no control characters other than line breaks.
func text(errs *valid.Errors, path, s string, max int, required bool) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			errs.Add(path, "is required")
		} else if s != "" {
			errs.Add(path, "must not be blank")
		}
	case utf8.RuneCountInString(s) > max:
		errs.Add(path, fmt.Sprintf("must be at most %d characters", max))
	case !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0:
		errs.Add(path, "has characters that cannot be shown")
	}
}

func email(errs *valid.Errors, path, s string) {
	if s == "" {
		errs.Add(path, "is required")
		return
	}
	if _, err := mail.ParseAddress(s); err != nil {
		errs.Add(path, fmt.Sprintf("%q: %v", s, err))
	}
}

// link checks an optional web address: http or https, with a host.
func link(errs *valid.Errors, path, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(s) > 2000 {
		errs.Add(path, fmt.Sprintf("%q is not a web address starting with https://", s))
	}
}

func between(errs *valid.Errors, path string, n, lo, hi int) {
	if n < lo || n > hi {
		errs.Add(path, fmt.Sprintf("must be between %d and %d", lo, hi))
	}
}

// modes checks a list of modes: at least one, each known, none twice.
func modes(errs *valid.Errors, path string, ms []Mode) {
	if len(ms) == 0 {
		errs.Add(path, fmt.Sprintf("must list %q, %q or both", InPerson, Virtual))
	}
	for i, m := range ms {
		at := path + "[" + strconv.Itoa(i) + "]"
		switch {
		case m != InPerson && m != Virtual:
			errs.Add(at, fmt.Sprintf("%q is not %q or %q", m, InPerson, Virtual))
		case slices.Index(ms, m) < i:
			errs.Add(at, "is given twice")
		}
	}
}
