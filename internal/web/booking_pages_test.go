package web

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/clinic"
)

// query is a booking step's address with the choices in pairs.
func query(path string, pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return path + "?" + v.Encode()
}

// attr is s as html/template writes it in an attribute.
func attr(s string) string { return strings.ReplaceAll(html.EscapeString(s), "+", "&#43;") }

// detailsForm is the last step's form for a booking of knot-60 with ana in
// person at start, filled in.
func detailsForm(start time.Time, more ...string) url.Values {
	form := url.Values{
		"service": {"knot-60"}, "mode": {"in_person"}, "therapist": {"ana"},
		"date": {clinic.DateOf(start).String()}, "start": {start.Format(time.RFC3339)},
		"name": {"Kim Client"}, "email": {"kim@example.com"}, "phone": {"+49 30 5"}, "note": {"left shoulder"},
	}
	for i := 0; i+1 < len(more); i += 2 {
		form.Set(more[i], more[i+1])
	}
	return form
}

// bookByForm posts the booking form to base and returns the private
// link's token of the booking page it must redirect to.
func bookByForm(t *testing.T, base string, form url.Values) string {
	t.Helper()
	resp, body := postForm(t, base+"/bookings", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("booking form: %d, want 303\n%s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	m := regexp.MustCompile(`^/bookings/([A-Za-z0-9_-]+)\?done=booked$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("booking form sent to %q", loc)
	}
	return m[1]
}

// A person books step by step, each step a plain GET form, and lands on
// their booking's page with its invitation.
func TestBookingStepByStep(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	_, body := get(t, bs.URL+"/book")
	mustContain(t, "services", body, `name="service" value="knot-60"`, `name="service" value="talk-30"`, "95.00 EUR", "60 minutes", `method="get"`)

	_, body = get(t, query(bs.URL+"/book", "service", "knot-60"))
	mustContain(t, "modes", body, "How would you like to meet?", `name="mode" value="in_person"`, `name="mode" value="virtual"`,
		`<input type="hidden" name="service" value="knot-60">`)

	_, body = get(t, query(bs.URL+"/book", "service", "knot-60", "mode", "in_person"))
	mustContain(t, "therapists", body, `name="therapist" value="any"`, `name="therapist" value="ana"`, `name="therapist" value="ben"`)
	_, body = get(t, query(bs.URL+"/book", "service", "knot-60", "mode", "virtual"))
	mustNotContain(t, "virtual therapists", body, `name="therapist" value="ben"`)

	day := clinic.DateOf(bs.hoursAhead(72)).String()
	_, body = get(t, query(bs.URL+"/book", "service", "knot-60", "mode", "in_person", "therapist", "any"))
	mustContain(t, "days", body, "Which day?", `name="date" value="`+day+`"`, "Days are in Berlin time (", `name="from" value="`)

	// Paging by week: a week later, with the way back and on.
	today := clinic.DateOf(time.Now().In(bs.berlin))
	_, body = get(t, query(bs.URL+"/book", "service", "knot-60", "mode", "in_person", "therapist", "any", "from", today.AddDays(7).String()))
	mustContain(t, "a week later", body, "Days with free times, "+daySays(today.AddDays(7))+" to "+daySays(today.AddDays(13)),
		`name="from" value="`+today.String()+`"`, `name="from" value="`+today.AddDays(14).String()+`"`)
	mustNotContain(t, "a week later", body, `name="date" value="`+today.AddDays(6).String()+`"`)

	_, body = get(t, query(bs.URL+"/book", "service", "knot-60", "mode", "in_person", "therapist", "any", "date", day))
	mustContain(t, "times", body, "<legend>With Ana</legend>", "<legend>With Ben</legend>", "Times are in Berlin time (",
		`<input type="hidden" name="therapist" value="ana">`, `name="start" value="`+day+`T10:00:00`)

	start := bs.hoursAhead(72)
	resp, body := get(t, query(bs.URL+"/book", "service", "knot-60", "mode", "in_person", "therapist", "ana", "date", day, "start", start.Format(time.RFC3339)))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("details step: %d", resp.StatusCode)
	}
	mustContain(t, "details", body, `action="/bookings"`, `method="post"`, `for="b-name"`, `for="b-email"`, `for="b-phone"`, `for="b-note"`,
		`name="key" value="`, start.Format("15:04")+", Berlin time (")
	mustNotContain(t, "details without a self-check", body, "share_plan", "cleared_by_doctor")

	token := bookByForm(t, bs.URL, detailsForm(start))
	resp, body = get(t, bs.URL+"/bookings/"+token+"?done=booked")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("booking page: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	mustContain(t, "booking page", body, "Your visit is booked", "Trigger point therapy", start.Format("Monday 2 January 2006, 15:04"),
		"/bookings/"+token+"/visit.ics", "/bookings/"+token+"/reschedule", "/bookings/"+token+"/cancel")

	resp, ics := get(t, bs.URL+"/bookings/"+token+"/visit.ics")
	if resp.Header.Get("Content-Type") != "text/calendar; method=REQUEST" || !strings.Contains(ics, "METHOD:REQUEST") ||
		!strings.Contains(ics, "DTSTART:"+start.UTC().Format("20060102T150405Z")) {
		t.Errorf("visit.ics: %q\n%s", resp.Header.Get("Content-Type"), ics)
	}
}

// A choice that does not fit is asked again; one with a single answer is
// made; a therapist from their profile is kept while the service is chosen.
func TestBookingStepsFitTheClinic(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	for _, tt := range []struct {
		name, path, want string
	}{
		{"unknown service", query("/book", "service", "nope"), "What would you like to book?"},
		{"unknown therapist", query("/book", "service", "knot-60", "mode", "in_person", "therapist", "nobody"), "Who would you like to see?"},
		{"unknown mode", query("/book", "service", "knot-60", "mode", "by_phone"), "How would you like to meet?"},
		{"bad date", query("/book", "service", "knot-60", "mode", "in_person", "therapist", "ana", "date", "soon"), "Which day?"},
		{"bad start", query("/book", "service", "knot-60", "mode", "in_person", "therapist", "ana", "date", "2030-01-01", "start", "nine"), "What time on"},
		{"a start needs a therapist", query("/book", "service", "knot-60", "mode", "in_person", "therapist", "any", "date", "2030-01-01", "start", "2030-01-01T10:00:00+01:00"), "What time on"},
		{"the one mode", query("/book", "service", "knot-60", "therapist", "ben"), "Which day?"},
		{"therapist from the profile", query("/book", "therapist", "ben"), `<input type="hidden" name="therapist" value="ben">`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, bs.URL+tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d", resp.StatusCode)
			}
			mustContain(t, tt.name, body, tt.want)
		})
	}
	_, body := get(t, bs.URL+query("/book", "therapist", "ben"))
	mustNotContain(t, "ben's services", body, `value="talk-30"`)
}

// Bad details show the form again with each problem at its field and
// everything typed kept; a time taken meanwhile offers the day's others.
func TestBookingFormErrors(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	start := bs.hoursAhead(72)
	form := detailsForm(start, "name", "", "email", "kim@", "note", `<b>left</b> "shoulder"`, "key", "not-a-key")
	resp, body := postForm(t, bs.URL+"/bookings", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad details: %d, want 400", resp.StatusCode)
	}
	mustContain(t, "bad details", body,
		`<a href="#b-name">Your name is required.</a>`,
		`<span class="error" id="e-name">Your name is required.</span>`,
		`id="b-name" name="name" value="" autocomplete="name" maxlength="100" required aria-invalid="true" aria-describedby="e-name"`,
		`<span class="error" id="e-email">`, `value="kim@"`,
		`&lt;b&gt;left&lt;/b&gt; &#34;shoulder&#34;</textarea>`,
		`<input type="hidden" name="start" value="`+attr(start.Format(time.RFC3339))+`">`)
	mustNotContain(t, "bad details", body, "<b>left</b>", `name="key" value="not-a-key"`)

	bs.book(t, bookBody(start, `"email":"first@example.com"`))
	resp, body = postForm(t, bs.URL+"/bookings", detailsForm(start))
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("taken: %d, want 409", resp.StatusCode)
	}
	mustContain(t, "taken", body, `<legend>Choose another time</legend>`, `id="e-start"`, "no longer free", `type="radio" name="start"`,
		`value="Kim Client"`)
	mustNotContain(t, "taken", body, `<input type="radio" name="start" value="`+attr(start.Format(time.RFC3339))+`"`)
}

// From a self-check, the steps carry its link in form bodies only; an
// urgent one asks whether a doctor has seen the person, and the booking
// is refused with the API's message until they say so.
func TestBookingWithASelfCheck(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	urgent := assessAt(t, bs.URL, care.Urgent).Token
	fine := assessAt(t, bs.URL, care.SeeProfessional).Token

	resp, body := postForm(t, bs.URL+"/book", url.Values{"plan": {urgent}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /book with a plan: %d", resp.StatusCode)
	}
	mustContain(t, "urgent start", body, "A doctor comes first.", shown(care.LevelOf(care.Urgent).Title), `method="post"`,
		`<input type="hidden" name="plan" value="`+urgent+`">`)
	mustNotContain(t, "urgent start", body, `method="get"`, "?plan=", "plan="+urgent)

	start := bs.hoursAhead(72)
	steps := url.Values{"plan": {urgent}, "service": {"knot-60"}, "mode": {"in_person"}, "therapist": {"ana"},
		"date": {clinic.DateOf(start).String()}}
	_, body = postForm(t, bs.URL+"/book", steps)
	mustContain(t, "urgent times", body, `method="post"`, `name="plan" value="`+urgent+`"`)
	steps.Set("start", start.Format(time.RFC3339))
	_, body = postForm(t, bs.URL+"/book", steps)
	mustContain(t, "urgent details", body, `name="cleared_by_doctor"`, `name="share_plan"`, `name="plan" value="`+urgent+`"`,
		"Share my self-check and diary with the clinic", "stop sharing at any time")

	form := detailsForm(start, "plan", urgent, "share_plan", "yes")
	resp, body = postForm(t, bs.URL+"/bookings", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("urgent, not cleared: %d, want 422", resp.StatusCode)
	}
	mustContain(t, "urgent, not cleared", body, `id="e-plan_token"`, "a doctor should see you first", `<a href="#b-plan_token">`,
		`name="share_plan" value="yes" checked`, `value="Kim Client"`)
	form.Set("cleared_by_doctor", "yes")
	bookByForm(t, bs.URL, form)

	_, body = postForm(t, bs.URL+"/book", url.Values{"plan": {fine}, "service": {"talk-30"}, "mode": {"virtual"}, "therapist": {"ana"},
		"date": {clinic.DateOf(start).String()}, "start": {start.Add(3 * time.Hour).Format(time.RFC3339)}})
	mustContain(t, "self-check that allows booking", body, `name="share_plan"`)
	mustNotContain(t, "self-check that allows booking", body, `name="cleared_by_doctor"`, "A doctor comes first.")

	for _, plan := range []string{"not-a-plan", strings.Repeat("A", 43)} {
		if resp, _ := postForm(t, bs.URL+"/book", url.Values{"plan": {plan}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown plan %q: %d, want 404", plan, resp.StatusCode)
		}
	}
}

// "Book a visit" beside a result: a form that carries the link in its
// body, never beside an emergency, and for an urgent result with the
// doctor first; a result of version 1 books without it.
func TestBookLinkPartial(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	render := func(token string, r care.Result) string {
		var buf bytes.Buffer
		if err := bs.srv.pages["book_step.html"].ExecuteTemplate(&buf, "book-link", planPage{Token: token, Result: r}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	const token = "TOKENtokenTOKENtokenTOKENtokenTOKENtoken123"
	if out := strings.TrimSpace(render(token, care.Result{Version: care.Version, Urgency: care.Emergency})); out != "" {
		t.Errorf("beside an emergency: %s", out)
	}
	out := render(token, care.Result{Version: care.Version, Urgency: care.Urgent})
	mustContain(t, "urgent", out, "A doctor comes first.", `<form method="post" action="/book">`, `name="plan" value="`+token+`"`)
	for _, level := range []string{care.SeeProfessional, care.SelfCare} {
		out := render(token, care.Result{Version: care.Version, Urgency: level})
		mustContain(t, level, out, `<form method="post" action="/book">`, `name="plan" value="`+token+`"`)
		mustNotContain(t, level, out, "A doctor comes first.", "?plan")
	}
	out = render(token, care.Result{Version: 1, Urgency: care.SeeProfessional})
	mustContain(t, "version 1", out, `href="/book"`, "Take the self-check again")
	mustNotContain(t, "version 1", out, token)
}

// The booking's page moves and cancels it, the same steps again; once too
// little time is left it says to call the clinic, and the change is
// refused with 409.
func TestBookingPageMovesAndCancels(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	a := bs.book(t, bookBody(bs.hoursAhead(72), ""))
	page := "/bookings/" + a.Token

	_, body := get(t, bs.URL+page+"/reschedule")
	mustContain(t, "move: days", body, "Move your visit", "Which day?", `action="`+page+`/reschedule"`, "Currently")
	to := bs.hoursAhead(100)
	day := clinic.DateOf(to).String()
	_, body = get(t, bs.URL+query(page+"/reschedule", "date", day))
	mustContain(t, "move: times", body, `name="start" value="`+attr(to.Format(time.RFC3339))+`"`)
	_, body = get(t, bs.URL+query(page+"/reschedule", "date", day, "start", to.Format(time.RFC3339)))
	mustContain(t, "move: confirm", body, "Yes, move my visit", `method="post" action="`+page+`/reschedule"`)

	resp, _ := postForm(t, bs.URL+page+"/reschedule", url.Values{"start": {to.Add(7 * time.Minute).Format(time.RFC3339)}, "date": {day}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("move off the grid: %d, want 400", resp.StatusCode)
	}
	resp, _ = postForm(t, bs.URL+page+"/reschedule", url.Values{"start": {to.Format(time.RFC3339)}, "date": {day}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?done=moved" {
		t.Fatalf("move: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = get(t, bs.URL+page+"?done=moved")
	mustContain(t, "moved", body, "Your visit has moved", to.Format("Monday 2 January 2006, 15:04"))

	_, body = get(t, bs.URL+page+"/cancel")
	mustContain(t, "cancel: confirm", body, "Cancel this visit?", `method="post" action="`+page+`/cancel"`, "Yes, cancel my visit")
	resp, _ = postForm(t, bs.URL+page+"/cancel", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page+"?done=cancelled" {
		t.Fatalf("cancel: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = get(t, bs.URL+page)
	mustContain(t, "cancelled", body, "This visit is cancelled.", "Book another visit")
	mustNotContain(t, "cancelled", body, page+"/reschedule", page+"/cancel", "visit.ics")
	resp, ics := get(t, bs.URL+page+"/visit.ics")
	if resp.Header.Get("Content-Type") != "text/calendar; method=CANCEL" || !strings.Contains(ics, "STATUS:CANCELLED") {
		t.Errorf("cancelled visit.ics: %q\n%s", resp.Header.Get("Content-Type"), ics)
	}

	soon := bs.book(t, bookBody(bs.hoursAhead(5), ""))
	page = "/bookings/" + soon.Token
	_, body = get(t, bs.URL+page)
	mustContain(t, "too late", body, "too late to move or cancel this visit online", `href="tel:&#43;49301"`)
	mustNotContain(t, "too late", body, page+"/reschedule", page+"/cancel")
	resp, body = postForm(t, bs.URL+page+"/cancel", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("cancel too late: %d, want 409", resp.StatusCode)
	}
	mustContain(t, "cancel too late", body, `role="alert"`, "less than 24 hours remain", "call the clinic")
	resp, _ = postForm(t, bs.URL+page+"/reschedule", url.Values{"start": {bs.hoursAhead(80).Format(time.RFC3339)}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("move too late: %d, want 409", resp.StatusCode)
	}
}

func TestBookingPagesUnknownLink(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	for _, token := range []string{"nope", strings.Repeat("A", 43)} {
		for _, path := range []string{"", "/visit.ics", "/reschedule", "/cancel", "/export.json", "/delete"} {
			if resp, _ := get(t, bs.URL+"/bookings/"+token+path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s%s: %d, want 404", token, path, resp.StatusCode)
			}
		}
		for _, path := range []string{"/reschedule", "/cancel", "/delete"} {
			if resp, _ := postForm(t, bs.URL+"/bookings/"+token+path, url.Values{"start": {bs.hoursAhead(80).Format(time.RFC3339)}}); resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s%s: %d, want 404", token, path, resp.StatusCode)
			}
		}
	}
}

// The booking writes count against the client's write limit.
func TestBookingFormsAreRateLimited(t *testing.T) {
	bs := newBookingServer(t, Config{WriteRate: 0.001, WriteBurst: 1}, "")
	postForm(t, bs.URL+"/bookings", detailsForm(bs.hoursAhead(72)))
	if resp, _ := postForm(t, bs.URL+"/bookings", detailsForm(bs.hoursAhead(75))); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("second booking at once: %d, want 429", resp.StatusCode)
	}
}
