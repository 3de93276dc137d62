package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"unknot/internal/booking"
	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/export"
	"unknot/internal/secret"
	"unknot/internal/valid"
)

// anyone is the therapist chosen as "whoever has the first free time".
const anyone = "any"

// bookChoice is what the booking steps have chosen so far. Each step's
// form carries the choices before it as hidden fields.
type bookChoice struct {
	Service   string
	Mode      clinic.Mode
	Therapist string // an ID, anyone, or "" until chosen
	Date      string // YYYY-MM-DD: the day chosen
	From      string // YYYY-MM-DD: the first of the days shown
	Start     string // RFC 3339: the time chosen
	Plan      string // a self-check's private link, from a form body only
}

// readForm reads the request's query and form body of at most limit
// bytes, and answers 400 itself when it cannot.
func readForm(w http.ResponseWriter, r *http.Request, limit int64) bool {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return false
	}
	return true
}

// readChoice reads the choices from the query, or from the body of a
// POST, which alone may carry a self-check. r.ParseForm must have run.
func readChoice(r *http.Request) bookChoice {
	v := r.Form
	return bookChoice{
		Service:   v.Get("service"),
		Mode:      clinic.Mode(v.Get("mode")),
		Therapist: v.Get("therapist"),
		Date:      v.Get("date"),
		From:      v.Get("from"),
		Start:     v.Get("start"),
		Plan:      r.PostForm.Get("plan"),
	}
}

// hidden is a hidden form field.
type hidden struct{ Name, Value string }

// summaryRow is a choice made, with the fields to send to change it.
type summaryRow struct {
	Label, Says string
	Change      []hidden // nil when it cannot be changed here
	Changeable  bool
}

// bookSteps is what every page of the steps has.
type bookSteps struct {
	Flow        string // "Book a visit" or "Move your visit"
	Step, Steps int
	Title       string // the step's question
	Action      string // where the step's forms go
	Method      string // "get", or "post" while a self-check is attached
	Keep        []hidden
	Summary     []summaryRow
	Plan        *planNote
	Problem     string // why the last try failed, if it did
	Back        string // the booking's page, when moving it
}

// planNote is a self-check that comes along with a booking.
type planNote struct {
	Level care.Level
	// DoctorFirst is set when its result is urgent or an emergency: a
	// doctor must have seen the person before they book.
	DoctorFirst bool
}

// bookStepPage is the data of book_step.html: one step and its choices.
type bookStepPage struct {
	bookSteps
	Services   []serviceView
	Modes      []modeChoice
	Therapists []therapistView
	Days       *dayList
	AtTimes    bool // the time step, whose Times may be none
	Times      []timeGroup
	Confirm    *confirmation
}

// modeChoice is a way to meet, for the mode step.
type modeChoice struct {
	Value       clinic.Mode
	Says, Where string
}

// dayList is the days of a week that have free times.
type dayList struct {
	Zone           string
	Days           []dayChoice
	FromSays       string // the first day shown, in words
	ToSays         string // the last
	Earlier, Later string // the first day of the days before and after; "" for none
}

// dayChoice is a day with free times.
type dayChoice struct {
	Value, Says string
	Count       int
}

// timeGroup is one therapist's free times on a day.
type timeGroup struct {
	Therapist string // the name
	ID        string
	Zone      string
	Keep      []hidden
	Times     []timeChoice
}

// timeChoice is a free time.
type timeChoice struct {
	Value, Says string
}

// confirmation is the last step of moving a visit, or of cancelling one.
type confirmation struct {
	Keep   []hidden
	Button string
	Danger bool
}

// readBooking reads a booking form of at most limit bytes: the clinic, the
// choices made so far and the steps' common data (the self-check carried
// along, if any). It has answered the request when ok is false.
func (s *Server) readBooking(w http.ResponseWriter, r *http.Request, limit int64) (f clinic.File, c bookChoice, steps bookSteps, ok bool) {
	if !readForm(w, r, limit) {
		return f, c, steps, false
	}
	f, err := s.store.ExportClinic(r.Context())
	if s.failed(w, r, err) {
		return f, c, steps, false
	}
	c = readChoice(r)
	steps, ok = s.bookStepsFor(w, r, c.Plan)
	return f, c, steps, ok
}

// bookStep shows the next step of booking for the choices made so far:
// service, way to meet, therapist, day, time, then the details form.
func (s *Server) bookStep(w http.ResponseWriter, r *http.Request) {
	f, c, steps, ok := s.readBooking(w, r, 8<<10)
	if !ok {
		return
	}
	c = c.fit(&f)
	steps.Summary = summary(&f, c, steps.Keep, 5)
	page := bookStepPage{bookSteps: steps}
	switch {
	case c.Service == "":
		page.Step, page.Title = 1, "What would you like to book?"
		for _, svc := range f.Services {
			if slices.ContainsFunc(c.therapists(&f), func(t clinic.Therapist) bool { return slices.Contains(t.Services, svc.ID) }) {
				page.Services = append(page.Services, s.viewService(svc))
			}
		}
		page.Keep = c.keep(page.Keep, 0)
	case c.Mode == "":
		page.Step, page.Title = 1, "How would you like to meet?"
		svc, _ := findService(&f, c.Service)
		for _, m := range c.modes(&f, svc) {
			page.Modes = append(page.Modes, modeChoice{Value: m, Says: modeSays(m), Where: meetWhere(&f, c, m)})
		}
		page.Keep = c.keep(page.Keep, 1)
	case c.Therapist == "":
		page.Step, page.Title = 2, "Who would you like to see?"
		now := time.Now()
		for _, t := range f.Therapists {
			if t.Offers(c.Service, c.Mode) {
				page.Therapists = append(page.Therapists, s.viewTherapist(&f, t, now))
			}
		}
		page.Keep = c.keep(page.Keep, 2)
	case c.Start == "":
		if err := s.chooseWhen(r, &f, c, &page); err != nil {
			s.serverError(w, r, err)
			return
		}
	default:
		s.bookDetails(w, r, &f, c, steps, bookFields{}, nil, http.StatusOK)
		return
	}
	s.renderSteps(w, r, http.StatusOK, page)
}

// bookStepsFor starts the steps of a booking, with the self-check whose
// link is plan ("" for none) and how its forms go. It answers 404 itself
// for a self-check that does not exist.
func (s *Server) bookStepsFor(w http.ResponseWriter, r *http.Request, plan string) (bookSteps, bool) {
	steps := bookSteps{Flow: "Book a visit", Steps: 5, Action: "/book", Method: "get"}
	if plan == "" {
		return steps, true
	}
	a, err := s.planOf(r.Context(), plan)
	switch {
	case err != nil:
		s.serverError(w, r, err)
		return steps, false
	case a == nil:
		s.notFound(w, r)
		return steps, false
	}
	steps.Method = "post"
	steps.Plan = &planNote{
		Level:       care.LevelOf(a.Urgency),
		DoctorFirst: a.Urgency == care.Urgent || a.Urgency == care.Emergency,
	}
	steps.Keep = []hidden{{"plan", plan}}
	return steps, true
}

// renderSteps writes a step page. It is never cached: it may carry a
// self-check's link or be reached by a booking's.
func (s *Server) renderSteps(w http.ResponseWriter, r *http.Request, status int, page bookStepPage) {
	w.Header().Set("Cache-Control", "private, no-store")
	s.render(w, r, status, "book_step.html", page)
}

// fit drops the choices that do not fit the clinic or each other, so that
// their step is asked again, and makes the choices that have one answer.
func (c bookChoice) fit(f *clinic.File) bookChoice {
	if _, ok := findTherapist(f, c.Therapist); !ok && c.Therapist != anyone {
		c.Therapist = ""
	}
	svc, ok := findService(f, c.Service)
	var modes []clinic.Mode
	if ok {
		modes = c.modes(f, svc)
	}
	if len(modes) == 0 { // no such service, or not with this therapist
		return bookChoice{Therapist: c.Therapist, Plan: c.Plan}
	}
	switch {
	case len(modes) == 1:
		c.Mode = modes[0]
	case !slices.Contains(modes, c.Mode):
		c.Mode = ""
	}
	if c.Mode == "" || c.Therapist == "" {
		c.Date, c.From, c.Start = "", "", ""
	}
	if _, err := clinic.ParseDate(c.From); err != nil {
		c.From = ""
	}
	if _, err := clinic.ParseDate(c.Date); err != nil {
		c.Date = ""
	}
	if _, err := time.Parse(time.RFC3339, c.Start); err != nil || c.Therapist == anyone || c.Date == "" {
		c.Start = ""
	}
	return c
}

// modes are the ways to meet for svc that a therapist of the choice gives.
func (c bookChoice) modes(f *clinic.File, svc *clinic.Service) []clinic.Mode {
	var out []clinic.Mode
	for _, m := range svc.Modes {
		if slices.ContainsFunc(c.therapists(f), func(t clinic.Therapist) bool { return t.Offers(svc.ID, m) }) {
			out = append(out, m)
		}
	}
	return out
}

// therapists are the therapists the choice allows: the one chosen, or all.
func (c bookChoice) therapists(f *clinic.File) []clinic.Therapist {
	if t, ok := findTherapist(f, c.Therapist); ok {
		return []clinic.Therapist{*t}
	}
	return f.Therapists
}

// keep appends to fields the choices of the first n steps that are made,
// in order: service, mode, therapist, date. A therapist (but not anyone)
// is kept through the steps before theirs too: one chosen from their
// profile comes before the service.
func (c bookChoice) keep(fields []hidden, n int) []hidden {
	for i, h := range []hidden{{"service", c.Service}, {"mode", string(c.Mode)}, {"therapist", c.Therapist}, {"date", c.Date}} {
		if h.Value != "" && (i < n || h.Name == "therapist" && h.Value != anyone && n < 2) {
			fields = append(fields, h)
		}
	}
	return fields
}

// summary lists the choices made in c; changing one sends base and the
// choices before it. Steps is the number of steps of the flow: moving a
// visit (3) changes only the day and time, cancelling one (1) nothing.
func summary(f *clinic.File, c bookChoice, base []hidden, steps int) []summaryRow {
	var rows []summaryRow
	add := func(label, says string, n int, changeable bool) {
		row := summaryRow{Label: label, Says: says, Changeable: changeable}
		if changeable {
			row.Change = c.keep(slices.Clone(base), n)
		}
		rows = append(rows, row)
	}
	all, when := steps == 5, steps > 1
	svc, ok := findService(f, c.Service)
	if !ok {
		if t, ok := findTherapist(f, c.Therapist); ok {
			add("Therapist", t.Name, 0, false)
		}
		return rows
	}
	add("Service", svc.Name+", "+svc.Price+" "+svc.Currency, 0, all)
	if c.Mode == "" {
		return rows
	}
	add("Visit", modeSays(c.Mode), 1, all && len(c.modes(f, svc)) > 1)
	if t, ok := findTherapist(f, c.Therapist); ok {
		add("Therapist", t.Name, 2, all)
	} else if c.Therapist == anyone {
		add("Therapist", "Anyone", 2, all)
	}
	if d, err := clinic.ParseDate(c.Date); err == nil {
		add("Day", daySays(d), 3, when)
	}
	if start, err := time.Parse(time.RFC3339, c.Start); err == nil {
		add("Time", start.Format("15:04")+", "+zoneOf(f, c.Therapist, start), 4, when)
	}
	return rows
}

// zoneOf names the zone of therapist id's location at t.
func zoneOf(f *clinic.File, id string, t time.Time) string {
	if th, ok := findTherapist(f, id); ok {
		if l, ok := findLocation(f, th.Location); ok {
			if loc, err := clinic.Zone(l.TimeZone); err == nil {
				return zoneSays(loc, t)
			}
		}
	}
	return zoneSays(t.Location(), t)
}

// meetWhere says where a visit in mode m takes place for the choice.
func meetWhere(f *clinic.File, c bookChoice, m clinic.Mode) string {
	if m == clinic.Virtual {
		return "A video call: the link comes with your confirmation."
	}
	var names []string
	for _, t := range c.therapists(f) {
		if l, ok := findLocation(f, t.Location); ok && t.Offers(c.Service, m) && !slices.Contains(names, l.Name) {
			names = append(names, l.Name)
		}
	}
	return "At " + strings.Join(names, " or ") + "."
}

// chooseWhen fills the day step or, with a day chosen, the time step.
// They are the last two steps before the last of the flow.
func (s *Server) chooseWhen(r *http.Request, f *clinic.File, c bookChoice, page *bookStepPage) error {
	q := slotQuery{Service: c.Service, Mode: c.Mode}
	if c.Therapist != anyone {
		q.Therapist = c.Therapist
	}
	if c.Date == "" {
		page.Step, page.Title = page.Steps-2, "Which day?"
		page.Keep = c.keep(page.Keep, 3)
		days, err := s.freeDays(r, f, c, q, time.Now())
		page.Days = days
		return err
	}
	day, _ := clinic.ParseDate(c.Date) // fit checked it
	page.Step, page.Title = page.Steps-1, "What time on "+daySays(day)+"?"
	q.From, q.To = day, day
	slots, err := s.findSlots(r.Context(), q)
	if err != nil {
		return err
	}
	page.AtTimes, page.Times = true, timeGroups(f, slots, page.Keep, c)
	return nil
}

// daysShown is how many days the day step shows at once.
const daysShown = 7

// freeDays lists the days from c.From (today when not given) that have
// free times for q. When the person has not paged and the first days have
// none, it starts at the first day that has.
func (s *Server) freeDays(r *http.Request, f *clinic.File, c bookChoice, q slotQuery, now time.Time) (*dayList, error) {
	loc := choiceZone(f, c)
	today := clinic.DateOf(now.In(loc))
	last := today.AddDays(f.Clinic.HorizonDays)
	from, err := clinic.ParseDate(c.From)
	switch {
	case err != nil || from.Before(today):
		from = today
	case last.Before(from):
		from = last
	}
	q.From, q.To = from, from.AddDays(daysShown-1)
	slots, err := s.findSlots(r.Context(), q)
	if err != nil {
		return nil, err
	}
	if len(slots) == 0 && c.From == "" && from.Before(last) {
		q.To = from.AddDays(min(maxSlotDays, from.DaysUntil(last)))
		if slots, err = s.findSlots(r.Context(), q); err != nil {
			return nil, err
		}
		if len(slots) > 0 {
			from = clinic.DateOf(slots[0].Start)
		}
	}
	to := from.AddDays(daysShown - 1)
	list := &dayList{Zone: zoneSays(loc, now), FromSays: daySays(from), ToSays: daySays(to)}
	for _, sl := range slots {
		d := clinic.DateOf(sl.Start)
		if d.Before(from) || to.Before(d) {
			continue
		}
		if n := len(list.Days); n > 0 && list.Days[n-1].Value == d.String() {
			list.Days[n-1].Count++
			continue
		}
		list.Days = append(list.Days, dayChoice{Value: d.String(), Says: daySays(d), Count: 1})
	}
	if today.Before(from) {
		earlier := from.AddDays(-daysShown)
		if earlier.Before(today) {
			earlier = today
		}
		list.Earlier = earlier.String()
	}
	if to.Before(last) {
		list.Later = to.AddDays(1).String()
	}
	return list, nil
}

// choiceZone is the time zone of the first therapist the choice allows,
// in which today is counted.
func choiceZone(f *clinic.File, c bookChoice) *time.Location {
	for _, t := range c.therapists(f) {
		if !t.Offers(c.Service, c.Mode) {
			continue
		}
		if l, ok := findLocation(f, t.Location); ok {
			if loc, err := clinic.Zone(l.TimeZone); err == nil {
				return loc
			}
		}
	}
	return time.UTC
}

// timeGroups groups slots by therapist, in order of their first free
// time. Each group's form sends keep and the choices with its therapist.
func timeGroups(f *clinic.File, slots []booking.Slot, keep []hidden, c bookChoice) []timeGroup {
	var groups []timeGroup
	for _, sl := range slots {
		i := slices.IndexFunc(groups, func(g timeGroup) bool { return g.ID == sl.Therapist })
		if i < 0 {
			name := sl.Therapist
			if t, ok := findTherapist(f, sl.Therapist); ok {
				name = t.Name
			}
			k := c
			k.Therapist = sl.Therapist
			groups = append(groups, timeGroup{
				Therapist: name, ID: sl.Therapist,
				Zone: zoneSays(sl.Start.Location(), sl.Start),
				Keep: k.keep(slices.Clone(keep), 4),
			})
			i = len(groups) - 1
		}
		groups[i].Times = append(groups[i].Times, timeChoice{Value: sl.Start.Format(time.RFC3339), Says: sl.Start.Format("15:04")})
	}
	return groups
}

// daySays writes a date as people say it: "Monday 29 March".
func daySays(d clinic.Date) string {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Format("Monday 2 January")
}

// bookDetailsPage is the data of book_details.html: the last step, the
// person's details, and the form that books.
type bookDetailsPage struct {
	bookSteps
	Form   bookFields
	Errors valid.Errors
	// Others are the day's free times when the time chosen is no longer
	// offered; the form then asks for one of them.
	Others     []timeChoice
	Key        string // the form's idempotency key
	CancelRule string
}

// Anchor is the id on the page of the field an error names: its input,
// or the summary of the choices for a choice made at an earlier step.
func (p bookDetailsPage) Anchor(field string) string {
	switch field {
	case "name", "email", "phone", "note", "start", "share_plan":
		return "b-" + field
	case "plan_token":
		if p.Plan != nil {
			return "b-" + field
		}
	}
	return "b-summary"
}

// bookFields are the fields the person fills in.
type bookFields struct {
	Name, Email, Phone, Note   string
	SharePlan, ClearedByDoctor bool
}

// bookDetails shows the last step: the choices, the person's details and
// the self-check's questions, with errs at their fields.
func (s *Server) bookDetails(w http.ResponseWriter, r *http.Request, f *clinic.File, c bookChoice, steps bookSteps, form bookFields, errs valid.Errors, status int) {
	page := bookDetailsPage{bookSteps: steps, Form: form, Errors: errs, CancelRule: cancelRule(f.Clinic)}
	page.Step, page.Title = 5, "Your details"
	page.Summary = summary(f, c, steps.Keep, 5)
	page.Keep = c.keep(page.Keep, 4)
	if errs.For("start") != "" {
		day, err := clinic.ParseDate(c.Date)
		if err != nil {
			start, _ := time.Parse(time.RFC3339, c.Start)
			day = clinic.DateOf(start)
		}
		slots, err := s.findSlots(r.Context(), slotQuery{Service: c.Service, Therapist: c.Therapist, Mode: c.Mode, From: day, To: day})
		var refused *bookError
		if err != nil && !errors.As(err, &refused) {
			s.serverError(w, r, err)
			return
		}
		for _, sl := range slots {
			page.Others = append(page.Others, timeChoice{Value: sl.Start.Format(time.RFC3339), Says: sl.Start.Format("15:04")})
		}
	}
	if len(page.Others) == 0 {
		page.Keep = append(page.Keep, hidden{"start", c.Start})
	}
	page.Key, _ = secret.NewToken()
	if k := r.PostForm.Get("key"); secret.Valid(k) && errs.For("Idempotency-Key") == "" {
		// The same attempt, its details put right: only a booking made
		// uses up its key.
		page.Key = k
	}
	w.Header().Set("Cache-Control", "private, no-store")
	s.render(w, r, status, "book_details.html", page)
}

// cancelRule says until when a visit can be moved or cancelled online.
func cancelRule(c clinic.Clinic) string {
	if c.CancelHours == 0 {
		return "You can move or cancel your visit online until it starts."
	}
	return "You can move or cancel your visit online until " + hoursSay(c.CancelHours) +
		" before it starts; after that, please call the clinic."
}

// hoursSay writes "1 hour" or "24 hours".
func hoursSay(n int) string {
	if n == 1 {
		return "1 hour"
	}
	return strconv.Itoa(n) + " hours"
}

// bookSubmit books from the details form and sends the person to their
// booking's page, or shows the form again with what to put right.
func (s *Server) bookSubmit(w http.ResponseWriter, r *http.Request) {
	f, c, steps, ok := s.readBooking(w, r, 16<<10)
	if !ok {
		return
	}
	form := bookFields{
		Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"),
		Phone: r.PostForm.Get("phone"), Note: r.PostForm.Get("note"),
		SharePlan:       r.PostForm.Get("share_plan") == "yes",
		ClearedByDoctor: r.PostForm.Get("cleared_by_doctor") == "yes",
	}
	start, _ := time.Parse(time.RFC3339, c.Start) // a missing or bad start is book's to name
	_, token, _, err := s.book(r.Context(), bookRequest{
		Service: c.Service, Therapist: c.Therapist, Mode: c.Mode, Start: start,
		Name: form.Name, Email: form.Email, Phone: form.Phone, Note: form.Note,
		PlanToken: c.Plan, SharePlan: form.SharePlan && c.Plan != "", ClearedByDoctor: form.ClearedByDoctor,
		IdempotencyKey: r.PostForm.Get("key"),
	})
	var refused *bookError
	if errors.As(err, &refused) {
		s.bookDetails(w, r, &f, c, steps, form, pageErrors(refused.Errors), refused.Status)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, managePath(token)+"?done=booked", http.StatusSeeOther)
}

// fieldLabels name the fields of a booking as the pages do, to begin the
// problems that read after a field's name.
var fieldLabels = map[string]string{
	"service": "The service", "mode": "The way to meet", "therapist": "The therapist",
	"start": "This time", "name": "Your name", "email": "Your email address",
	"phone": "Your phone number", "note": "Your note", "plan_token": "Your self-check",
	"share_plan": "Sharing", "Idempotency-Key": "This form",
}

// pageErrors turns the API's problems, which read after the name of their
// field ("is required"), into sentences ("Your name is required.").
func pageErrors(errs valid.Errors) valid.Errors {
	out := make(valid.Errors, len(errs))
	for i, e := range errs {
		msg := e.Message
		verb, _, _ := strings.Cut(msg, " ")
		if label, ok := fieldLabels[e.Field]; ok && slices.Contains([]string{"is", "must", "may", "falls", "needs", "was", "can"}, verb) {
			msg = label + " " + msg
		}
		first, n := utf8.DecodeRuneInString(msg)
		msg = string(unicode.ToUpper(first)) + msg[n:]
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		out[i] = valid.Error{Field: e.Field, Message: msg}
	}
	return out
}

// problemSays is the problems of a refused change as one paragraph.
func problemSays(errs valid.Errors) string {
	var says []string
	for _, e := range pageErrors(errs) {
		says = append(says, e.Message)
	}
	return strings.Join(says, " ")
}

// bookingPageData is the data of booking.html: a booking behind its
// private link.
type bookingPageData struct {
	Token    string
	Booking  *bookingView
	When     string       // the day and the time
	Zone     string       // the location's zone at the visit, in words
	ChangeBy string       // until when it can be changed online
	Tel      template.URL // the clinic's phone as a tel: link
	Map      string
	Done     string        // "booked", "moved" or "cancelled" just now
	Problem  string        // why the last try failed, if it did
	Outcomes *outcomeBlock // the scores before the visit, for a visit with a plan (outcomes.go)
}

// bookingPage shows a booking by its private link, with its calendar
// invitation and, while it can still be changed online, the ways to move
// or cancel it.
func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.bookingByToken(r.Context(), r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	done := r.URL.Query().Get("done")
	if !slices.Contains([]string{"booked", "moved", "cancelled"}, done) {
		done = ""
	}
	out, err := s.bookingOutcomes(r, r.PathValue("token"), v.Start.Location())
	if s.failed(w, r, err) {
		return
	}
	s.renderBookingWith(w, r, http.StatusOK, v, done, "", out)
}

// renderBooking writes the booking page of v. Once only the clinic's
// record of the visit is left, the page shows that record and says that
// the client's details are deleted.
func (s *Server) renderBooking(w http.ResponseWriter, r *http.Request, status int, v *bookingView, done, problem string) {
	s.renderBookingWith(w, r, status, v, done, problem, nil)
}

// renderBookingWith is renderBooking with the outcome block out (nil: none).
func (s *Server) renderBookingWith(w http.ResponseWriter, r *http.Request, status int, v *bookingView, done, problem string, out *outcomeBlock) {
	page := bookingPageOf(r, v, done, problem)
	page.Outcomes = out
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	if v.recordOnly() {
		s.render(w, r, status, "delete.html", deletePage{Deleted: true, Visit: &page})
		return
	}
	s.render(w, r, status, "booking.html", page)
}

// bookingPageOf is the data of the page of v behind the request's link.
func bookingPageOf(r *http.Request, v *bookingView, done, problem string) bookingPageData {
	return bookingPageData{
		Token: r.PathValue("token"), Booking: v, Done: done, Problem: problem,
		When:     visitWhen(v),
		Zone:     zoneSays(v.Start.Location(), v.Start),
		ChangeBy: v.ChangeBy.Format("Monday 2 January, 15:04"),
		Tel:      telLink(v.Clinic.Phone),
		Map:      "https://www.openstreetmap.org/search?query=" + url.QueryEscape(v.Address),
	}
}

// visitWhen says when v is on its location's wall clock:
// "Tuesday 8 December 2026, 09:00–10:00".
func visitWhen(v *bookingView) string {
	return v.Start.Format("Monday 2 January 2006, 15:04") + "–" + v.End.Format("15:04")
}

// bookingInvite is the booking's calendar invitation, to add the visit to
// a calendar by hand: a REQUEST, or a CANCEL once it is cancelled.
func (s *Server) bookingInvite(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	v, err := s.visit(r.Context(), token)
	if s.failed(w, r, err) {
		return
	}
	method := export.MethodRequest
	if v.Booking.Status == booking.Cancelled {
		method = export.MethodCancel
	}
	inv, err := s.invite(&v.Offer, v.Booking, method, v.Booking.Name, s.baseURL+managePath(token))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", inv.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+inv.Name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(inv.Data)
}

// moveSteps starts the steps of moving the booking v behind the request's
// link: the same service and therapist, a new day and time.
func moveSteps(r *http.Request, v *bookingView) (bookChoice, bookSteps) {
	c := bookChoice{
		Service: v.Service, Mode: v.Mode, Therapist: v.Therapist,
		Date: r.Form.Get("date"), From: r.Form.Get("from"), Start: r.Form.Get("start"),
	}
	path := managePath(r.PathValue("token"))
	return c, bookSteps{Flow: "Move your visit", Steps: 3, Action: path + "/reschedule", Method: "get", Back: path}
}

// moveStep shows the next step of moving a visit: a day, a time, then
// a last look before it moves.
func (s *Server) moveStep(w http.ResponseWriter, r *http.Request) {
	if readForm(w, r, 8<<10) {
		s.moveStepWith(w, r, http.StatusOK, "")
	}
}

// moveStepWith shows the step of moving a visit that the request asks
// for, with problem (the last try's, if it failed) and status.
func (s *Server) moveStepWith(w http.ResponseWriter, r *http.Request, status int, problem string) {
	v, err := s.bookingByToken(r.Context(), r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	if !v.Changeable {
		s.renderBooking(w, r, status, v, "", problem)
		return
	}
	f, err := s.store.ExportClinic(r.Context())
	if s.failed(w, r, err) {
		return
	}
	c, steps := moveSteps(r, v)
	c = c.fit(&f)
	steps.Problem = problem
	steps.Summary = summary(&f, c, nil, steps.Steps)
	now := summaryRow{Label: "Currently", Says: visitWhen(v) + ", " + zoneSays(v.Start.Location(), v.Start)}
	steps.Summary = slices.Insert(steps.Summary, min(3, len(steps.Summary)), now) // after the therapist
	page := bookStepPage{bookSteps: steps}
	if c.Start == "" {
		if err := s.chooseWhen(r, &f, c, &page); err != nil {
			s.serverError(w, r, err)
			return
		}
	} else {
		page.Step, page.Title = 3, "Move your visit to this time?"
		page.Confirm = &confirmation{Keep: c.keep([]hidden{{"start", c.Start}}, 4), Button: "Yes, move my visit"}
	}
	s.renderSteps(w, r, status, page)
}

// moveSubmit moves a visit to the time chosen and goes back to its page,
// or shows the day's free times again with why it could not.
func (s *Server) moveSubmit(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r, 8<<10) {
		return
	}
	start, _ := time.Parse(time.RFC3339, r.PostForm.Get("start")) // a missing or bad start is for rescheduleBooking to name
	token := r.PathValue("token")
	_, err := s.rescheduleBooking(r.Context(), token, start)
	var refused *bookError
	if errors.As(err, &refused) {
		r.Form.Del("start") // back to the day's times
		s.moveStepWith(w, r, refused.Status, problemSays(refused.Errors))
		return
	}
	if s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, managePath(token)+"?done=moved", http.StatusSeeOther)
}

// cancelStep asks whether to cancel the visit, before it is.
func (s *Server) cancelStep(w http.ResponseWriter, r *http.Request) {
	v, err := s.bookingByToken(r.Context(), r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	if !v.Changeable {
		s.renderBooking(w, r, http.StatusOK, v, "", "")
		return
	}
	f, err := s.store.ExportClinic(r.Context())
	if s.failed(w, r, err) {
		return
	}
	path := managePath(r.PathValue("token"))
	c := bookChoice{Service: v.Service, Mode: v.Mode, Therapist: v.Therapist,
		Date: clinic.DateOf(v.Start).String(), Start: v.Start.Format(time.RFC3339)}
	page := bookStepPage{bookSteps: bookSteps{
		Flow: "Cancel your visit", Step: 1, Steps: 1, Title: "Cancel this visit?",
		Summary: summary(&f, c, nil, 1), Action: path + "/cancel", Back: path,
	}}
	page.Confirm = &confirmation{Button: "Yes, cancel my visit", Danger: true}
	s.renderSteps(w, r, http.StatusOK, page)
}

// cancelSubmit cancels the visit and goes back to its page, which then
// says so, or says why it could not.
func (s *Server) cancelSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	_, err := s.cancelBooking(r.Context(), token)
	var refused *bookError
	if errors.As(err, &refused) {
		v, err := s.bookingByToken(r.Context(), token)
		if s.failed(w, r, err) {
			return
		}
		s.renderBooking(w, r, refused.Status, v, "", problemSays(refused.Errors))
		return
	}
	if s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, managePath(token)+"?done=cancelled", http.StatusSeeOther)
}
