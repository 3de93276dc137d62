package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/valid"
)

// The setup forms' fields are named as the clinic file names them, so that
// the problems File.Validate finds land at their fields. Reading a form
// only turns text into the file's types; every rule is File.Validate's.

func clinicValues(c *clinic.Clinic) url.Values {
	return url.Values{
		"name": {c.Name}, "email": {c.Email}, "phone": {c.Phone}, "website": {c.Website},
		"address": {c.Address}, "insurance_note": {c.InsuranceNote},
		"cancel_hours": {strconv.Itoa(c.CancelHours)}, "min_notice_minutes": {strconv.Itoa(c.MinNoticeMinutes)},
		"horizon_days": {strconv.Itoa(c.HorizonDays)}, "slot_step_minutes": {strconv.Itoa(c.SlotStepMinutes)},
	}
}

func clinicFields() []setupField {
	steps := make([]setupOption, len(clinic.StepMinutes))
	for i, m := range clinic.StepMinutes {
		steps[i] = setupOption{Value: strconv.Itoa(m), Label: strconv.Itoa(m) + " minutes"}
	}
	return []setupField{
		{Name: "name", Label: "Name", Kind: "text", Required: true},
		{Name: "email", Label: "Contact email", Kind: "email", Required: true},
		{Name: "phone", Label: "Phone", Kind: "tel"},
		{Name: "website", Label: "Website", Kind: "url", Hint: "Starting with https://"},
		{Name: "address", Label: "Address", Kind: "textarea", Hint: "For handouts and emails; without one they show the first location's."},
		{Name: "insurance_note", Label: "Note on insurance", Kind: "textarea"},
		{Name: "cancel_hours", Label: "Online cancelling ends this many hours before a visit", Kind: "number", Required: true,
			Hint: fmt.Sprintf("0 to %d", clinic.MaxCancelHours)},
		{Name: "min_notice_minutes", Label: "Minimum notice, in minutes", Kind: "number", Required: true,
			Hint: fmt.Sprintf("0 to %d", clinic.MaxMinNoticeMinutes)},
		{Name: "horizon_days", Label: "Bookable this many days ahead", Kind: "number", Required: true,
			Hint: fmt.Sprintf("%d to %d", clinic.MinHorizonDays, clinic.MaxHorizonDays)},
		{Name: "slot_step_minutes", Label: "Visits start every", Kind: "select", Required: true, Options: steps},
	}
}

func applyClinic(c *clinic.Clinic, v url.Values, errs *valid.Errors) {
	c.Name, c.Email, c.Phone = v.Get("name"), strings.TrimSpace(v.Get("email")), v.Get("phone")
	c.Website, c.Address, c.InsuranceNote = strings.TrimSpace(v.Get("website")), formText(v, "address"), formText(v, "insurance_note")
	c.CancelHours = formWhole(v, "cancel_hours", "clinic.", errs)
	c.MinNoticeMinutes = formWhole(v, "min_notice_minutes", "clinic.", errs)
	c.HorizonDays = formWhole(v, "horizon_days", "clinic.", errs)
	c.SlotStepMinutes = formWhole(v, "slot_step_minutes", "clinic.", errs)
}

var locationEntry = setupEntry[clinic.Location]{
	values: func(l *clinic.Location) url.Values {
		return url.Values{"id": {l.ID}, "name": {l.Name}, "address": {l.Address}, "time_zone": {l.TimeZone}, "phone": {l.Phone}}
	},
	fields: func(_ *Server, _ *clinic.File, isNew bool) []setupField {
		return []setupField{
			setupIDField(isNew),
			{Name: "name", Label: "Name", Kind: "text", Required: true},
			{Name: "address", Label: "Address", Kind: "textarea", Required: true},
			{Name: "time_zone", Label: "Time zone", Kind: "text", Required: true, Hint: "An IANA name such as Europe/Berlin or America/New_York"},
			{Name: "phone", Label: "Phone", Kind: "tel"},
		}
	},
	apply: func(l *clinic.Location, v url.Values, isNew bool, _ string, _ *valid.Errors) {
		if isNew {
			l.ID = strings.TrimSpace(v.Get("id"))
		}
		l.Name, l.Address, l.TimeZone, l.Phone = v.Get("name"), formText(v, "address"), strings.TrimSpace(v.Get("time_zone")), v.Get("phone")
	},
}

var serviceEntry = setupEntry[clinic.Service]{
	values: func(s *clinic.Service) url.Values {
		v := url.Values{
			"id": {s.ID}, "name": {s.Name}, "style": {s.Style}, "minutes": {strconv.Itoa(s.Minutes)},
			"buffer_before_minutes": {strconv.Itoa(s.BufferBeforeMinutes)}, "buffer_after_minutes": {strconv.Itoa(s.BufferAfterMinutes)},
			"price": {s.Price}, "currency": {s.Currency},
		}
		for _, m := range s.Modes {
			v.Add("modes", string(m))
		}
		return v
	},
	fields: func(srv *Server, _ *clinic.File, isNew bool) []setupField {
		styles := []setupOption{{Value: clinic.Consultation, Label: "Consultation"}}
		for _, m := range srv.lib.MassageStyles {
			styles = append(styles, setupOption{Value: m.ID, Label: m.Name})
		}
		return []setupField{
			setupIDField(isNew),
			{Name: "name", Label: "Name", Kind: "text", Required: true},
			{Name: "style", Label: "Style", Kind: "select", Required: true, Options: styles},
			{Name: "minutes", Label: "Length in minutes", Kind: "number", Required: true, Hint: fmt.Sprintf("%d to %d", clinic.MinMinutes, clinic.MaxMinutes)},
			{Name: "buffer_before_minutes", Label: "Free minutes kept before", Kind: "number", Required: true, Hint: fmt.Sprintf("0 to %d", clinic.MaxBufferMinutes)},
			{Name: "buffer_after_minutes", Label: "Free minutes kept after", Kind: "number", Required: true, Hint: fmt.Sprintf("0 to %d", clinic.MaxBufferMinutes)},
			{Name: "price", Label: "Price", Kind: "text", Required: true, Hint: "Such as 95.00"},
			{Name: "currency", Label: "Currency", Kind: "text", Required: true, Hint: "A code such as USD or EUR"},
			setupModesField(),
		}
	},
	apply: func(s *clinic.Service, v url.Values, isNew bool, at string, errs *valid.Errors) {
		if isNew {
			s.ID = strings.TrimSpace(v.Get("id"))
		}
		s.Name, s.Style = v.Get("name"), v.Get("style")
		s.Minutes = formWhole(v, "minutes", at, errs)
		s.BufferBeforeMinutes = formWhole(v, "buffer_before_minutes", at, errs)
		s.BufferAfterMinutes = formWhole(v, "buffer_after_minutes", at, errs)
		s.Price, s.Currency = strings.TrimSpace(v.Get("price")), strings.TrimSpace(v.Get("currency"))
		s.Modes = formModes(v)
	},
}

var therapistEntry = setupEntry[clinic.Therapist]{
	values: func(t *clinic.Therapist) url.Values {
		v := url.Values{
			"id": {t.ID}, "name": {t.Name}, "email": {t.Email}, "credentials": {t.Credentials}, "licence": {t.Licence},
			"bio": {t.Bio}, "specialties": {strings.Join(t.Specialties, ", ")}, "languages": {strings.Join(t.Languages, ", ")},
			"location": {t.Location}, "services": t.Services, "video_url": {t.VideoURL},
		}
		for _, m := range t.Modes {
			v.Add("modes", string(m))
		}
		return v
	},
	fields: func(_ *Server, f *clinic.File, isNew bool) []setupField {
		locs := make([]setupOption, len(f.Locations))
		for i, l := range f.Locations {
			locs[i] = setupOption{Value: l.ID, Label: l.Name}
		}
		svcs := make([]setupOption, len(f.Services))
		for i, s := range f.Services {
			svcs[i] = setupOption{Value: s.ID, Label: s.Name}
		}
		return []setupField{
			setupIDField(isNew),
			{Name: "name", Label: "Name", Kind: "text", Required: true},
			{Name: "email", Label: "Email", Kind: "email", Required: true, Hint: "Their staff account signs in with this address."},
			{Name: "credentials", Label: "Credentials", Kind: "text", Required: true, Hint: "Such as RMT"},
			{Name: "licence", Label: "Licence", Kind: "text"},
			{Name: "bio", Label: "About them", Kind: "textarea"},
			{Name: "specialties", Label: "Specialties", Kind: "text", Hint: "Separated by commas"},
			{Name: "languages", Label: "Languages", Kind: "text", Hint: "Codes separated by commas, such as en, es"},
			{Name: "location", Label: "Location", Kind: "select", Required: true, Options: locs},
			{Name: "services", Label: "Services they give", Kind: "checks", Options: svcs},
			setupModesField(),
			{Name: "video_url", Label: "Video link", Kind: "url", Hint: "Needed for virtual visits; starting with https://"},
		}
	},
	apply: func(t *clinic.Therapist, v url.Values, isNew bool, _ string, _ *valid.Errors) {
		if isNew {
			t.ID = strings.TrimSpace(v.Get("id"))
		}
		t.Name, t.Email, t.Credentials, t.Licence = v.Get("name"), strings.TrimSpace(v.Get("email")), v.Get("credentials"), v.Get("licence")
		t.Bio, t.Location, t.VideoURL = formText(v, "bio"), v.Get("location"), strings.TrimSpace(v.Get("video_url"))
		t.Specialties, t.Languages = formList(v.Get("specialties")), formList(v.Get("languages"))
		t.Services = append([]string{}, v["services"]...)
		t.Modes = formModes(v)
	},
}

// setupDays are the days of the hours form, Monday first, with the clinic
// file's names.
var setupDays = [7]struct {
	day  time.Weekday
	name string
}{
	{time.Monday, "mon"}, {time.Tuesday, "tue"}, {time.Wednesday, "wed"}, {time.Thursday, "thu"},
	{time.Friday, "fri"}, {time.Saturday, "sat"}, {time.Sunday, "sun"},
}

func hoursValues(t *clinic.Therapist) url.Values {
	v := url.Values{}
	for _, d := range setupDays {
		ranges := make([]string, len(t.Hours[d.day]))
		for i, r := range t.Hours[d.day] {
			ranges[i] = r.From.String() + "-" + r.To.String()
		}
		v.Set("hours."+d.name, strings.Join(ranges, ", "))
	}
	off := make([]string, len(t.TimeOff))
	for i, o := range t.TimeOff {
		off[i] = o.From.String() + " to " + o.To.String()
	}
	v.Set("time_off", strings.Join(off, "\n"))
	return v
}

func hoursFields() []setupField {
	fields := make([]setupField, 0, 8)
	for _, d := range setupDays {
		fields = append(fields, setupField{Name: "hours." + d.name, Label: d.day.String(), Kind: "text",
			Hint: "Such as 09:00-12:00, 13:00-17:00; empty for a day off"})
	}
	return append(fields, setupField{Name: "time_off", Label: "Time off", Kind: "textarea",
		Hint: "One span a line, from and to, such as 2027-03-30T00:00 to 2027-04-01T00:00"})
}

// applyHours sets t's hours and time off from the form. Ranges are read
// here; whether they overlap or end before they start is File.Validate's
// to say.
func applyHours(t *clinic.Therapist, v url.Values, at string, errs *valid.Errors) {
	var week clinic.Week
	for _, d := range setupDays {
		name := "hours." + d.name
		for part := range strings.SplitSeq(v.Get(name), ",") {
			if part = strings.TrimSpace(part); part == "" {
				continue
			}
			from, to, ok := strings.Cut(strings.ReplaceAll(part, "–", "-"), "-")
			f, okF := clinic.ParseClock(strings.TrimSpace(from), false)
			e, okT := clinic.ParseClock(strings.TrimSpace(to), true)
			if !ok || !okF || !okT {
				errs.Add(at+name, fmt.Sprintf("%q is not a range such as 09:00-12:00", part))
				continue
			}
			week[d.day] = append(week[d.day], clinic.Range{From: f, To: e})
		}
	}
	t.Hours = week
	t.TimeOff = nil
	for i, line := range strings.Split(strings.TrimSpace(v.Get("time_off")), "\n") {
		words := strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '–' })
		words = slices.DeleteFunc(words, func(w string) bool { return w == "to" })
		if len(words) == 0 {
			continue
		}
		if len(words) != 2 {
			errs.Add(at+"time_off", fmt.Sprintf("line %d: %q is not two times such as 2027-03-30T00:00 to 2027-04-01T00:00", i+1, strings.TrimSpace(line)))
			continue
		}
		from, err1 := clinic.ParseWall(words[0])
		to, err2 := clinic.ParseWall(words[1])
		if err1 != nil || err2 != nil {
			errs.Add(at+"time_off", fmt.Sprintf("line %d: %q is not two times such as 2027-03-30T00:00 to 2027-04-01T00:00", i+1, strings.TrimSpace(line)))
			continue
		}
		t.TimeOff = append(t.TimeOff, clinic.TimeOff{From: from, To: to})
	}
}

// setupLocationName names the location id of f with its time zone.
func setupLocationName(f *clinic.File, id string) string {
	for _, l := range f.Locations {
		if l.ID == id {
			return l.Name + " (" + l.TimeZone + ")"
		}
	}
	return "the therapist's location"
}

func setupIDField(isNew bool) setupField {
	return setupField{Name: "id", Label: "Id", Kind: "text", Required: isNew, ReadOnly: !isNew,
		Hint: "Lower-case letters, digits and -, such as mitte; it cannot change later, as bookings keep it."}
}

func setupModesField() setupField {
	return setupField{Name: "modes", Label: "How visits take place", Kind: "checks", Required: true, Options: []setupOption{
		{Value: string(clinic.InPerson), Label: "In person"},
		{Value: string(clinic.Virtual), Label: "Virtual (video)"},
	}}
}

func formModes(v url.Values) []clinic.Mode {
	var out []clinic.Mode
	for _, m := range v["modes"] {
		out = append(out, clinic.Mode(m))
	}
	return out
}

// formWhole reads the whole number name of the form; what is no number is a
// problem at the field at+name.
func formWhole(v url.Values, name, at string, errs *valid.Errors) int {
	n, err := strconv.Atoi(strings.TrimSpace(v.Get(name)))
	if err != nil {
		errs.Add(at+name, "must be a whole number")
	}
	return n
}

// formText reads a text area: line breaks as \n, outer spaces gone.
func formText(v url.Values, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(v.Get(name), "\r\n", "\n"))
}

// formList reads a list written with commas between its items.
func formList(s string) []string {
	out := []string{}
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
