package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// ClinicSetup is the storage the clinic's setup pages need: the clinic
// changed in one transaction and checked whole (store.DB.EditClinic), the
// signed-in therapist, and the clinic's contact for handouts and emails.
type ClinicSetup interface {
	EditClinic(ctx context.Context, now time.Time, edit func(f *clinic.File) error) error
	ClinicContact(ctx context.Context) (clinic.Contact, error)
}

// ownTherapist runs next with the path value "id" set to the therapist
// the signed-in account is tied to (signedInTherapist), so that a
// therapist reaches only their own hours.
func (s *Server) ownTherapist(next deskHandler) deskHandler {
	return func(w http.ResponseWriter, r *http.Request, u *store.User) {
		if t, ok := s.signedInTherapist(w, r, u); ok {
			r.SetPathValue("id", t.ID)
			next(w, r, u)
		}
	}
}

// setupHomePage is the overview of the clinic's setup.
type setupHomePage struct {
	File  clinic.File
	Empty bool   // no clinic yet: its details come first
	Done  string // what was just saved or removed, for the notice
}

func (s *Server) setupHome(w http.ResponseWriter, r *http.Request, _ *store.User) {
	f, err := s.store.ExportClinic(r.Context())
	page := setupHomePage{File: f, Done: r.URL.Query().Get("done"), Empty: errors.Is(err, store.ErrNotFound)}
	if !page.Empty && s.failed(w, r, err) {
		return
	}
	if !slices.Contains([]string{"", "saved", "removed"}, page.Done) {
		page.Done = ""
	}
	s.render(w, r, http.StatusOK, "setup.html", page)
}

// setupFormPage is a setup form: its fields with their values and
// problems, and the problems that belong to no field of it.
type setupFormPage struct {
	Title   string
	Intro   string
	Action  string
	Back    string
	Fields  []setupField
	Summary valid.Errors
	// Remove is the address that removes what the form edits; empty when
	// it cannot be removed here.
	Remove string
	Noun   string
	Saved  bool // the form was just saved
}

// setupField is one field of a setup form.
type setupField struct {
	Name, Label, Hint string
	// Kind is the input: text, email, url, tel, number, textarea, select
	// or checks (a group of check boxes).
	Kind     string
	Value    string
	Options  []setupOption
	Required bool
	ReadOnly bool
	Error    string
}

// setupOption is a choice of a select or check box group.
type setupOption struct {
	Value, Label string
	Selected     bool
}

// setupShow shows form filled from the stored clinic.
func (s *Server) setupShow(form setupForm) func(http.ResponseWriter, *http.Request, *store.User) {
	return func(w http.ResponseWriter, r *http.Request, _ *store.User) {
		s.setupAgain(w, r, http.StatusOK, form, nil, nil)
	}
}

// setupAgain shows form over the clinic as stored (after a refused change
// too, which wrote nothing), with values (nil: the stored ones) and
// problems: each problem at its field, the rest above the form.
func (s *Server) setupAgain(w http.ResponseWriter, r *http.Request, status int, form setupForm, values url.Values, problems valid.Errors) {
	f, err := s.store.ExportClinic(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		f = clinic.File{}
	} else if s.failed(w, r, err) {
		return
	}
	t, ok := form(&f, r)
	if !ok {
		s.notFound(w, r)
		return
	}
	if values == nil {
		values = t.values(&f)
	}
	page := setupFormPage{
		Title:  t.title,
		Intro:  t.intro,
		Action: t.action,
		Back:   t.back,
		Fields: t.fields(s, &f),
		Noun:   t.noun,
		Saved:  r.Method == http.MethodGet && r.URL.Query().Get("done") == "saved",
	}
	if t.index >= 0 {
		page.Remove = t.action + "/remove"
	}
	byName := map[string]int{}
	for i := range page.Fields {
		fd := &page.Fields[i]
		byName[fd.Name] = i
		switch fd.Kind {
		case "select", "checks":
			for j := range fd.Options {
				fd.Options[j].Selected = slices.Contains(values[fd.Name], fd.Options[j].Value)
			}
		default:
			fd.Value = values.Get(fd.Name)
		}
	}
	for _, p := range problems {
		if name, ok := strings.CutPrefix(p.Field, t.prefix); ok {
			if cut := strings.IndexByte(name, '['); cut >= 0 {
				name = name[:cut]
			}
			if i, at := byName[name]; at && !page.Fields[i].ReadOnly {
				fd := &page.Fields[i]
				if fd.Error != "" {
					fd.Error += "; "
				}
				fd.Error += p.Message
				continue
			}
		}
		p.Field = setupReadablePath(&f, p.Field)
		page.Summary = append(page.Summary, p)
	}
	page.Summary = page.Summary.Capped()
	s.render(w, r, status, "setup_form.html", page)
}

// setupSave applies the posted form to the clinic, which the store checks
// whole and writes in one transaction; on a problem the form comes back
// with the values posted and each problem at its field, and nothing is
// written.
func (s *Server) setupSave(form setupForm) func(http.ResponseWriter, *http.Request, *store.User) {
	return func(w http.ResponseWriter, r *http.Request, _ *store.User) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
			return
		}
		var done string
		err := s.store.EditClinic(r.Context(), time.Now(), func(f *clinic.File) error {
			t, ok := form(f, r)
			if !ok {
				return store.ErrNotFound
			}
			done = t.done
			var errs valid.Errors
			t.apply(f, r.PostForm, &errs)
			if len(errs) > 0 {
				return errs
			}
			return nil
		})
		var errs valid.Errors
		switch {
		case err == nil:
			http.Redirect(w, r, done, http.StatusSeeOther)
		case errors.As(err, &errs):
			s.setupAgain(w, r, http.StatusBadRequest, form, r.PostForm, errs)
		default:
			s.failed(w, r, err)
		}
	}
}

// setupRemove removes a location, service or therapist, unless bookings
// or other entries name it: then its form comes back saying why.
func (s *Server) setupRemove(w http.ResponseWriter, r *http.Request, _ *store.User) {
	err := s.store.EditClinic(r.Context(), time.Now(), func(f *clinic.File) error {
		t, ok := listForm(f, r)
		if !ok || t.index < 0 {
			return store.ErrNotFound
		}
		t.remove(f)
		return nil
	})
	var errs valid.Errors
	var inUse *store.InUseError
	switch {
	case err == nil:
		http.Redirect(w, r, "/staff/setup?done=removed", http.StatusSeeOther)
	case errors.As(err, &inUse):
		msg := "It cannot be removed: " + inUse.Error() + "."
		if !inUse.Future {
			msg += " Take it out of use instead: a service off every therapist's list, a therapist without hours."
		}
		s.setupAgain(w, r, http.StatusConflict, listForm, nil, valid.Errors{{Field: "remove", Message: msg}})
	case errors.As(err, &errs):
		// What still names it: a therapist's location or services.
		summary := valid.Errors{{Field: "remove", Message: "It cannot be removed while other entries name it."}}
		s.setupAgain(w, r, http.StatusConflict, listForm, nil, append(summary, errs...))
	default:
		s.failed(w, r, err)
	}
}

// setupForm finds what a setup form edits in the clinic file, from the
// request's path; false when there is no such thing.
type setupForm func(f *clinic.File, r *http.Request) (setupTarget, bool)

// setupTarget is what one form edits in the clinic file.
type setupTarget struct {
	title, intro, noun string
	// prefix is the path of what is edited in the clinic file, such as
	// "locations[2].", which the problems of its fields start with.
	prefix string
	// index is the edited entry's place in its list; -1 for a new one or
	// for what is not in a list.
	index int
	// action is the form's address, back the page it came from, done
	// where a saved form goes.
	action, back, done string
	values             func(f *clinic.File) url.Values
	fields             func(s *Server, f *clinic.File) []setupField
	apply              func(f *clinic.File, form url.Values, errs *valid.Errors)
	remove             func(f *clinic.File) // for an entry of a list
}

// clinicDetailsForm edits the clinic's details and booking rules.
func clinicDetailsForm(*clinic.File, *http.Request) (setupTarget, bool) {
	return setupTarget{
		title: "Clinic details", noun: "clinic", prefix: "clinic.", index: -1,
		intro:  "What clients see on the clinic's pages, handouts and emails, and the rules their bookings follow. Each location keeps its own address and time zone.",
		action: "/staff/setup/clinic", back: "/staff/setup", done: "/staff/setup?done=saved",
		values: func(f *clinic.File) url.Values { return clinicValues(&f.Clinic) },
		fields: func(*Server, *clinic.File) []setupField { return clinicFields() },
		apply:  func(f *clinic.File, v url.Values, errs *valid.Errors) { applyClinic(&f.Clinic, v, errs) },
	}, true
}

// listForm edits one location, service or therapist: {list} names the
// list and {id} the entry; without an id (…/new) it adds one.
func listForm(f *clinic.File, r *http.Request) (setupTarget, bool) {
	id := r.PathValue("id")
	switch r.PathValue("list") {
	case "locations":
		return entryTarget(&f.Locations, "location", "locations", id, func(l clinic.Location) string { return l.ID }, locationEntry)
	case "services":
		return entryTarget(&f.Services, "service", "services", id, func(s clinic.Service) string { return s.ID }, serviceEntry)
	case "therapists":
		return entryTarget(&f.Therapists, "therapist", "therapists", id, func(t clinic.Therapist) string { return t.ID }, therapistEntry)
	}
	return setupTarget{}, false
}

// setupEntry is how the forms of one list read and write an entry.
type setupEntry[T any] struct {
	values func(e *T) url.Values
	fields func(s *Server, f *clinic.File, isNew bool) []setupField
	// apply sets e from the form; at is e's path in the clinic file, for
	// the problems of fields that cannot be read. A new entry takes its
	// id from the form; an entry's id never changes.
	apply func(e *T, v url.Values, isNew bool, at string, errs *valid.Errors)
}

// entryTarget finds the entry id of list (none: a new one, appended when
// the form is applied) and returns the target that edits it.
func entryTarget[T any](list *[]T, noun, name, id string, idOf func(T) string, e setupEntry[T]) (setupTarget, bool) {
	i := -1
	if id != "" {
		if i = slices.IndexFunc(*list, func(x T) bool { return idOf(x) == id }); i < 0 {
			return setupTarget{}, false
		}
	}
	t := setupTarget{
		title: "Edit " + noun, noun: noun, index: i,
		prefix: name + "[" + strconv.Itoa(i) + "].",
		action: "/staff/setup/" + name + "/" + id, back: "/staff/setup", done: "/staff/setup?done=saved",
		fields: func(s *Server, f *clinic.File) []setupField { return e.fields(s, f, i < 0) },
		remove: func(*clinic.File) { *list = slices.Delete(*list, i, i+1) },
	}
	if i < 0 {
		t.title = "New " + noun
		t.prefix = name + "[" + strconv.Itoa(len(*list)) + "]."
		t.action = "/staff/setup/" + name + "/new"
	}
	t.values = func(*clinic.File) url.Values {
		if i < 0 {
			return e.values(new(T))
		}
		return e.values(&(*list)[i])
	}
	t.apply = func(_ *clinic.File, v url.Values, errs *valid.Errors) {
		if i < 0 {
			*list = append(*list, *new(T))
			e.apply(&(*list)[len(*list)-1], v, true, t.prefix, errs)
			if idOf((*list)[len(*list)-1]) == "new" {
				// The address of the entry would be the page that adds one.
				errs.Add(t.prefix+"id", `"new" names the page that adds one; choose another id`)
			}
			return
		}
		e.apply(&(*list)[i], v, false, t.prefix, errs)
	}
	return t, true
}

// hoursForm edits a therapist's weekly hours and time off: the therapist
// {id} of the path, which ownTherapist sets to the signed-in therapist's
// on /staff/hours.
func hoursForm(f *clinic.File, r *http.Request) (setupTarget, bool) {
	id := r.PathValue("id")
	i := slices.IndexFunc(f.Therapists, func(t clinic.Therapist) bool { return t.ID == id })
	if i < 0 {
		return setupTarget{}, false
	}
	th := &f.Therapists[i]
	at := "therapists[" + strconv.Itoa(i) + "]."
	t := setupTarget{
		title: "Hours and time off: " + th.Name, noun: "hours", prefix: at, index: -1,
		intro: "Times are on the wall clock of " + setupLocationName(f, th.Location) +
			". Clients can book only inside these hours and outside time off.",
		action: r.URL.Path, back: "/staff/setup", done: r.URL.Path + "?done=saved",
		values: func(*clinic.File) url.Values { return hoursValues(th) },
		fields: func(*Server, *clinic.File) []setupField { return hoursFields() },
		apply:  func(_ *clinic.File, v url.Values, errs *valid.Errors) { applyHours(th, v, at, errs) },
	}
	if r.URL.Path == "/staff/hours" {
		t.back = "/staff"
	}
	return t, true
}

// clinicContact is what the clinic's handouts say about it: empty when
// there is no clinic.
func (s *Server) clinicContact(ctx context.Context) (clinic.Contact, error) {
	c, err := s.store.ClinicContact(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return clinic.Contact{}, nil
	}
	return c, err
}

// setupEntryPath is the start of a path in the clinic file that names an entry
// of a list, such as therapists[0].
var setupEntryPath = regexp.MustCompile(`^(locations|services|therapists)\[([0-9]+)\]\.?`)

// setupReadablePath names the entry a path of the clinic file starts with, for
// a page: "therapists[0].services[1]" is "therapist Ana: services[1]".
func setupReadablePath(f *clinic.File, path string) string {
	m := setupEntryPath.FindStringSubmatchIndex(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(path[m[4]:m[5]])
	name := ""
	switch list := path[m[2]:m[3]]; {
	case list == "locations" && i < len(f.Locations):
		name = "location " + f.Locations[i].Name
	case list == "services" && i < len(f.Services):
		name = "service " + f.Services[i].Name
	case list == "therapists" && i < len(f.Therapists):
		name = "therapist " + f.Therapists[i].Name
	default:
		return path
	}
	if rest := path[m[1]:]; rest != "" {
		return name + ": " + rest
	}
	return name
}
