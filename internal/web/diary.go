package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// Diary is the storage the diary, the re-check and the privacy pages need,
// and the guided routine when it logs a finished routine (AddEntry).
type Diary interface {
	AddEntry(ctx context.Context, assessmentID int64, e *diary.Entry) error
	AddEntryByToken(ctx context.Context, tokenHash []byte, e *diary.Entry) error
	Entries(ctx context.Context, assessmentID int64, from, to time.Time) ([]diary.Entry, error)
	EntryPage(ctx context.Context, assessmentID int64, from, to time.Time, before int64, limit int) ([]diary.Entry, bool, error)
	PlanDiary(ctx context.Context, tokenHash []byte, recent int, now time.Time) (*store.PlanDiary, error)
	AdoptTimeZone(ctx context.Context, tokenHash []byte, zone string) error
	AddRecheck(ctx context.Context, assessmentID int64, r *diary.Recheck, result json.RawMessage) error
	SavePlanSettings(ctx context.Context, assessmentID int64, s diary.Settings) error
	ExportPlan(ctx context.Context, tokenHash []byte) (*store.PlanExport, error)
	DeletePlan(ctx context.Context, tokenHash []byte) error
}

// lastPain is the pain score of the latest check, the self-check or a
// re-check, which a re-check is compared with.
func lastPain(p *planDiary) int {
	if n := len(p.Rechecks); n > 0 {
		return p.Rechecks[n-1].PainNow
	}
	return p.Answers.PainNow
}

// withPlan loads the plan of the request's token and calls fn, answering
// 404 for an unknown link and 500 when the database fails.
func (s *Server) withPlan(w http.ResponseWriter, r *http.Request, fn func(p *planDiary)) {
	p, err := s.loadPlanDiary(r, r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	fn(p)
}

// diaryPageData is the data of the diary page.
type diaryPageData struct {
	Token    string
	Result   care.Result
	Progress *diary.Progress
	Chart    diary.ChartData
	Range    string // of the chart: 30, 90, 365 or all
	Recent   []entryView
	Total    int
	Form     url.Values
	Errors   valid.Errors
	Settings diary.Settings
	Zones    []string
	Saved    bool // an entry was just saved
}

// Has reports whether the form holds value for field, to re-check boxes.
func (d diaryPageData) Has(field, value string) bool { return slices.Contains(d.Form[field], value) }

// Workday reports whether day (sun…sat) is a working day in the settings.
func (d diaryPageData) Workday(day string) bool {
	return slices.Contains(diary.WeekdayNames(d.Settings.WorkDays), day)
}

// Anchor is the form field an error's field path points into: "regions"
// for "regions[2]".
func (d diaryPageData) Anchor(field string) string {
	base, _, _ := strings.Cut(field, "[")
	return base
}

// RegionsError is the first problem with the regions ticked, if any.
func (d diaryPageData) RegionsError() string {
	for _, e := range d.Errors {
		if strings.HasPrefix(e.Field, "regions") {
			return e.Message
		}
	}
	return ""
}

// RegionLabel names a region in the self-check's words.
func (d diaryPageData) RegionLabel(code string) string {
	for _, c := range care.Regions {
		if c.Value == code {
			return c.Label
		}
	}
	return words(code)
}

// Ranges are the spans the chart can show, as ?range= values and labels.
func (d diaryPageData) Ranges() []care.Choice {
	return []care.Choice{{Value: "30", Label: "4 weeks"}, {Value: "90", Label: "3 months"}, {Value: "365", Label: "A year"}, {Value: "all", Label: "Everything"}}
}

// Weekdays are the days of the week for the working-days boxes, Monday
// first.
func (d diaryPageData) Weekdays() []care.Choice {
	return []care.Choice{{Value: "mon", Label: "Mon"}, {Value: "tue", Label: "Tue"}, {Value: "wed", Label: "Wed"},
		{Value: "thu", Label: "Thu"}, {Value: "fri", Label: "Fri"}, {Value: "sat", Label: "Sat"}, {Value: "sun", Label: "Sun"}}
}

// Exercises are the plan's exercises, to tick what was done.
func (d diaryPageData) Exercises() []string {
	if d.Result.Plan == nil {
		return nil
	}
	return d.Result.Plan.Exercises
}

// entryView is one diary entry as the page shows it.
type entryView struct {
	When    string
	Pain    int
	Scored  bool
	Regions []string
	Done    []string
	Note    string
	Routine bool
	Day     int
	Recheck bool // the weekly re-check, whose pain score it shows
}

// recentEntries is how many entries the diary page lists, and so how many
// of the latest a plan's pages read (loadPlanDiary).
const recentEntries = 20

// The diary chart's box: about a phone's width, so that its labels and
// points keep their size on a phone (see diary.MinRenderWidth).
const (
	chartWidth  = 360
	chartHeight = 220
)

// chartRanges are the spans the chart can show, in days (0: everything).
var chartRanges = map[string]int{"30": 30, "90": 90, "365": 365, "all": 0}

func (s *Server) diaryPage(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		s.renderDiary(w, r, http.StatusOK, p, url.Values{}, nil)
	})
}

// renderDiary shows the diary page with the entry form holding form and
// its errors.
func (s *Server) renderDiary(w http.ResponseWriter, r *http.Request, status int, p *planDiary, form url.Values, errs valid.Errors) {
	data := diaryPageData{
		Token:    p.Token,
		Result:   p.Result,
		Progress: &p.Progress,
		Form:     form,
		Errors:   errs,
		Settings: p.Settings,
		Zones:    timeZones,
		Saved:    r.URL.Query().Get("saved") == "1",
	}
	data.Range, data.Chart, data.Recent, data.Total = diaryView(p, r.URL.Query().Get("range"))
	s.render(w, r, status, "diary.html", data)
}

// diaryView is what a page shows of the diary of p: the chart over span
// (a key of chartRanges; anything else means 90 days), which it returns
// as understood, the latest entries and re-checks, newest first, and how
// many there are in all.
func diaryView(p *planDiary, span string) (string, diary.ChartData, []entryView, int) {
	if _, ok := chartRanges[span]; !ok {
		span = "90"
	}
	daily := p.Progress.Daily
	var from time.Time
	if days := chartRanges[span]; days > 0 {
		from = p.Now.In(p.Loc).AddDate(0, 0, -days)
		i, _ := slices.BinarySearchFunc(daily, from, func(d diary.DayStat, t time.Time) int { return d.Date.Compare(t) })
		daily = daily[i:]
	}
	daily = diary.SpanRechecks(daily, p.Rechecks, from, p.Loc)
	chart := diary.Chart(daily, chartWidth, chartHeight)
	chart.MarkRechecks(p.Rechecks)
	// The newest entries and re-checks, newest first.
	var recent []entryView
	for i, j := len(p.Recent)-1, len(p.Rechecks)-1; (i >= 0 || j >= 0) && len(recent) < recentEntries; {
		if j >= 0 && (i < 0 || p.Rechecks[j].At.After(p.Recent[i].At)) {
			recent = append(recent, viewRecheck(p.Rechecks[j], p.Loc))
			j--
			continue
		}
		recent = append(recent, viewEntry(p.Recent[i], p.Loc))
		i--
	}
	return span, chart, recent, p.Total + len(p.Rechecks)
}

// viewRecheck is a weekly re-check as the diary's list shows it: its pain
// score, marked as a re-check.
func viewRecheck(r diary.Recheck, loc *time.Location) entryView {
	return entryView{When: r.At.In(loc).Format("Mon 2 Jan 2006, 15:04"), Pain: r.PainNow, Scored: true, Recheck: true}
}

func viewEntry(e diary.Entry, loc *time.Location) entryView {
	return entryView{
		When: e.At.In(loc).Format("Mon 2 Jan 2006, 15:04"), Pain: e.Pain, Scored: e.Scored(),
		Regions: e.Regions, Done: e.Done, Note: e.Note, Routine: e.Routine, Day: e.Day,
	}
}

// diaryAdd logs an entry from the diary form. Bad input shows the diary
// again with the errors and what was typed; a plan saved under an earlier
// version of the self-check is refused.
func (s *Server) diaryAdd(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	token := r.PathValue("token")
	saved, err := s.savedAssessment(r, token)
	if s.failed(w, r, err) {
		return
	}
	result, err := savedResult(saved)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if s.refuseOutdated(w, r, token, result) {
		return
	}
	e, errs := entryFromForm(r.PostForm, time.Now())
	if len(errs) > 0 {
		s.withPlan(w, r, func(p *planDiary) {
			s.renderDiary(w, r, http.StatusBadRequest, p, r.PostForm, errs)
		})
		return
	}
	err = s.store.AddEntryByToken(r.Context(), secret.Hash(token), &e)
	if s.failed(w, r, err) {
		return
	}
	// The browser's time zone, sent while none is set: a zone this system
	// does not know is ignored, the entry is saved either way.
	if zone := strings.TrimSpace(r.PostForm.Get("time_zone")); zone != "" && (diary.Settings{TimeZone: zone}).Validate().For("time_zone") == "" {
		if err := s.store.AdoptTimeZone(r.Context(), secret.Hash(token), zone); err != nil {
			s.log.WarnContext(r.Context(), "adopting the browser's time zone", "err", err)
		}
	}
	http.Redirect(w, r, "/plan/"+token+"/diary?saved=1#entries", http.StatusSeeOther)
}

// entryFromForm reads a diary entry from the form, logged at now.
func entryFromForm(form url.Values, now time.Time) (diary.Entry, valid.Errors) {
	e := diary.Entry{At: now, Regions: nonEmpty(form["regions"]), Done: nonEmpty(form["done"]), Note: strings.TrimSpace(form.Get("note"))}
	var errs valid.Errors
	pain, err := strconv.Atoi(strings.TrimSpace(form.Get("pain")))
	switch {
	case form.Get("pain") == "":
		errs.Add("pain", "choose a number from 0 (no pain) to 10 (the worst)")
	case err != nil:
		errs.Add("pain", "must be a whole number from 0 to 10")
	default:
		e.Pain = pain
		errs = e.Validate(now)
	}
	return e, errs
}

// nonEmpty drops blank form values.
func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// diarySettings saves the plan's time zone and working hours; a plan
// saved under an earlier version of the self-check is refused.
func (s *Server) diarySettings(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	s.withPlan(w, r, func(p *planDiary) {
		if s.refuseOutdated(w, r, p.Token, p.Result) {
			return
		}
		set, errs := settingsFromForm(p.Settings, r.PostForm)
		if len(errs) > 0 {
			p.Settings = set
			s.renderDiary(w, r, http.StatusBadRequest, p, url.Values{}, errs)
			return
		}
		// A plan deleted since withPlan read it is gone: 404, not a fault.
		if s.failed(w, r, s.store.SavePlanSettings(r.Context(), p.Assessment.ID, set)) {
			return
		}
		http.Redirect(w, r, "/plan/"+p.Token+"/diary#settings", http.StatusSeeOther)
	})
}

// settingsFields are the settings form's fields.
var settingsFields = []string{"time_zone", "work_start", "work_end", "work_days", "work_days_given"}

// settingsFromForm reads the settings form over the stored settings: a
// field left out or blank keeps what is stored, so an empty or cut-short
// post cannot reset them. A post with none of the form's fields is refused
// with a problem, for it cannot have come from the form.
func settingsFromForm(stored diary.Settings, form url.Values) (diary.Settings, valid.Errors) {
	if !slices.ContainsFunc(settingsFields, form.Has) {
		return stored, valid.Errors{{Field: "settings", Message: "nothing was sent, so nothing was changed; please try again"}}
	}
	set := stored
	if zone := strings.TrimSpace(form.Get("time_zone")); zone != "" {
		set.TimeZone = zone
	}
	var errs valid.Errors
	for _, f := range []struct {
		name string
		dst  *diary.Clock
	}{{"work_start", &set.WorkStart}, {"work_end", &set.WorkEnd}} {
		v := strings.TrimSpace(form.Get(f.name))
		if v == "" {
			continue
		}
		c, err := diary.ParseClock(v)
		if err != nil {
			errs.Add(f.name, "must be a time such as 09:00")
			continue
		}
		*f.dst = c
	}
	if form.Has("work_days") || form.Get("work_days_given") == "1" {
		days, err := diary.ParseWeekdays(nonEmpty(form["work_days"]))
		if err != nil {
			errs.Add("work_days", "must be days of the week")
		}
		set.WorkDays = days
	}
	if len(errs) > 0 {
		return set, errs
	}
	return set, set.Validate()
}

// timeZones are offered as suggestions for the time zone setting; any
// IANA name the system knows is accepted. The page's script fills in the
// browser's own zone when none is set.
var timeZones = []string{
	"UTC",
	"Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
	"America/Anchorage", "America/Argentina/Buenos_Aires", "America/Bogota", "America/Chicago", "America/Denver",
	"America/Halifax", "America/Los_Angeles", "America/Mexico_City", "America/New_York", "America/Phoenix",
	"America/Santiago", "America/Sao_Paulo", "America/St_Johns", "America/Toronto", "America/Vancouver",
	"Asia/Bangkok", "Asia/Dhaka", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem", "Asia/Karachi",
	"Asia/Kathmandu", "Asia/Kolkata", "Asia/Manila", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Tehran", "Asia/Tokyo",
	"Atlantic/Azores", "Atlantic/Reykjavik",
	"Australia/Adelaide", "Australia/Brisbane", "Australia/Melbourne", "Australia/Perth", "Australia/Sydney",
	"Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Brussels", "Europe/Dublin", "Europe/Helsinki",
	"Europe/Istanbul", "Europe/Lisbon", "Europe/London", "Europe/Madrid", "Europe/Moscow", "Europe/Paris",
	"Europe/Rome", "Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
	"Pacific/Auckland", "Pacific/Honolulu",
}
