package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"unknot/internal/diary"
	"unknot/internal/export"
	"unknot/internal/valid"
)

// defaultBreaks is the desk-break interval of the subscription link that
// the plan's tools offer before the person picks one: hourly, a handful of
// alarms a working day.
const defaultBreaks = "60"

// calendarBreaks reads ?breaks=: 30 or 60 minutes between desk-break
// reminders, "none" (or 0) for none, or 0 (the plan's own interval) when
// not given.
func calendarBreaks(q url.Values) (int, valid.Errors) {
	var errs valid.Errors
	v := strings.TrimSpace(q.Get("breaks"))
	switch v {
	case "":
		return 0, nil
	case "none", "0":
		return export.NoBreaks, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || !slices.Contains(export.BreakChoices, n) {
		errs.Add("breaks", "must be 30, 60 or none")
		return 0, errs
	}
	return n, nil
}

// webcal is the subscription form of an http(s) address: calendar apps
// open webcal: links as "subscribe to this calendar".
func webcal(u string) string {
	for _, scheme := range []string{"https://", "http://"} {
		if rest, ok := strings.CutPrefix(u, scheme); ok {
			return "webcal://" + rest
		}
	}
	return u
}

// webcalHref is webcal(u) for an href: html/template lets only http(s)
// and mailto through, and u is the server's own address.
func webcalHref(u string) template.URL { return template.URL(webcal(u)) }

// calendarFeedURL is the address of the plan's feed with query, built from
// the configured base URL (a calendar fetches it from elsewhere).
func (s *Server) calendarFeedURL(token string, query url.Values) string {
	u := s.baseURL + "/plan/" + token + "/calendar.ics"
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// defaultCalendarLink is the https address of the plan's feed as the
// plan's tools offer it, with hourly desk breaks.
func (s *Server) defaultCalendarLink(token string) string {
	return s.calendarFeedURL(token, url.Values{"breaks": {defaultBreaks}})
}

// calendarPage is the data of the page that hands out the subscription.
type calendarPage struct {
	Token      string
	FeedURL    string       // https, to copy into a calendar's "add from URL"
	WebcalURL  template.URL // the same as webcal:, to open a calendar app
	Breaks     string       // "30", "60" or "none", as picked
	Start, End string
	Days       []workdayBox
	Errors     valid.Errors
	HasBreaks  bool
}

// workdayBox is a day's box in the working-days field.
type workdayBox struct {
	Name    string // mon, tue, …
	Label   string // Mon, Tue, …
	Checked bool
}

// calendarPage shows the subscription link of the plan's calendar for the
// working hours, days and desk breaks picked in the plan's tools (a GET
// form, so it works without JavaScript); bad values show the form again
// with each problem at its field.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		if p.Result.Outdated() || p.Result.Plan == nil {
			http.Redirect(w, r, "/plan/"+p.Token, http.StatusSeeOther)
			return
		}
		q := r.URL.Query()
		settings, errs := calendarSettings(p.Settings, q)
		_, berrs := calendarBreaks(q)
		errs = append(errs, berrs...)
		page := calendarPage{
			Token: p.Token, Breaks: q.Get("breaks"), Start: q.Get("start"), End: q.Get("end"),
			HasBreaks: p.Result.Plan.Daily.WorkdayBreaks != nil,
			Errors:    errs,
		}
		if page.Breaks == "" {
			page.Breaks = defaultBreaks
		}
		if page.Start == "" {
			page.Start = settings.WorkStart.String()
		}
		if page.End == "" {
			page.End = settings.WorkEnd.String()
		}
		checked := diary.WeekdayNames(settings.WorkDays)
		if q.Has("days") {
			checked = nil
			for _, v := range q["days"] {
				checked = append(checked, strings.Split(v, ",")...)
			}
		}
		for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
			page.Days = append(page.Days, workdayBox{Name: d, Label: strings.ToUpper(d[:1]) + d[1:], Checked: slices.Contains(checked, d)})
		}
		if len(errs) > 0 {
			s.render(w, r, http.StatusBadRequest, "calendar.html", page)
			return
		}
		feed := url.Values{"breaks": {page.Breaks}}
		if page.HasBreaks {
			feed.Set("start", settings.WorkStart.String())
			feed.Set("end", settings.WorkEnd.String())
			feed.Set("days", strings.Join(diary.WeekdayNames(settings.WorkDays), ","))
		}
		page.FeedURL = s.calendarFeedURL(p.Token, feed)
		page.WebcalURL = webcalHref(page.FeedURL)
		s.render(w, r, http.StatusOK, "calendar.html", page)
	})
}
