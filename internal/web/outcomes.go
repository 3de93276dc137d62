package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"unknot/internal/outcome"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// Outcomes is the storage of a plan's outcome measurements (internal/outcome).
type Outcomes interface {
	AddOutcome(ctx context.Context, assessmentID int64, in outcome.Input, at time.Time, bookingID int64) (*outcome.Measurement, error)
	Outcomes(ctx context.Context, assessmentID int64) (outcome.History, error)
	VisitPlanByLink(ctx context.Context, tokenHash []byte) (*store.VisitPlan, error)
}

// The outcome chart's box: the diary chart's, so labels keep their size
// on a phone.
const (
	outcomeChartWidth  = chartWidth
	outcomeChartHeight = 200
)

// outcomeBlock is the data of the outcome partials (partials/outcomes.html):
// a plan's history and its summary, and the form of the next measurement.
type outcomeBlock struct {
	Action   string           // where the form posts
	Occasion outcome.Occasion // of the form's measurement; "" shows no form
	Token    string           // the plan's link, for links to its outcomes page
	History  outcome.History
	Summary  outcome.Summary
	Chart    outcome.ChartData
	Loc      *time.Location
	Form     url.Values // what was sent, to show again with Errors
	Errors   valid.Errors
	Saved    bool
}

// newOutcomeBlock summarizes h for the partials, with a form for occasion.
func newOutcomeBlock(h outcome.History, loc *time.Location, occasion outcome.Occasion, action string) *outcomeBlock {
	return &outcomeBlock{
		Action: action, Occasion: occasion, History: h, Loc: loc,
		Summary: outcome.Summarize(h),
		Chart:   outcome.Chart(h, outcomeChartWidth, outcomeChartHeight, loc),
		Form:    url.Values{},
	}
}

// Start reports whether the form is the starting point, which names the
// activities and asks no global rating.
func (b *outcomeBlock) Start() bool { return b.Occasion == outcome.Start }

// Value is what field holds in the form: what was sent, or nothing.
func (b *outcomeBlock) Value(field string) string { return b.Form.Get(field) }

// Checked reports whether the form's field holds the number n.
func (b *outcomeBlock) Checked(field string, n int) bool {
	return b.Form.Get(field) == strconv.Itoa(n)
}

// outcomeSlot is one activity slot of the form.
type outcomeSlot struct {
	Number     int    // from 1, as the page counts
	Name       string // the name shown: as sent, or the current activity's
	Current    string // the activity now in the slot, "" if none
	NameField  string
	ScoreField string
}

// Slots are the form's activity slots: the current activities first by
// slot, then empty ones up to outcome.MaxActivities.
func (b *outcomeBlock) Slots() []outcomeSlot {
	out := make([]outcomeSlot, outcome.MaxActivities)
	for i := range out {
		out[i] = outcomeSlot{Number: i + 1, NameField: activityField(i, "name"), ScoreField: activityField(i, "score")}
	}
	for _, a := range b.History.Current() {
		if a.Slot >= 1 && a.Slot <= len(out) {
			out[a.Slot-1].Current, out[a.Slot-1].Name = a.Name, a.Name
		}
	}
	for i := range out {
		if v, ok := b.Form[out[i].NameField]; ok {
			out[i].Name = strings.Join(v, "")
		}
	}
	return out
}

// Globals are the global rating's answers from best to worst, as the
// form lists them.
func (b *outcomeBlock) Globals() []globalChoice {
	out := make([]globalChoice, 0, len(outcome.GlobalWords))
	for g := outcome.GlobalMax; g >= -outcome.GlobalMax; g-- {
		out = append(out, globalChoice{Value: strconv.Itoa(g), Label: outcome.GlobalSays(g)})
	}
	return out
}

// Sources are the publications behind the scales and their thresholds.
func (b *outcomeBlock) Sources() []outcome.Source { return outcome.Sources }

// globalChoice is one answer of the global rating of change.
type globalChoice struct{ Value, Label string }

// Rows are the measurements as the chart's table shows them, newest
// first: when, why, pain, each current activity's score and the global
// rating.
func (b *outcomeBlock) Rows() []outcomeRow {
	cur := b.History.Current()
	out := make([]outcomeRow, 0, len(b.History.Measurements))
	for i := len(b.History.Measurements) - 1; i >= 0; i-- {
		m := b.History.Measurements[i]
		row := outcomeRow{When: m.At.In(b.Loc).Format("2 Jan 2006"), Occasion: m.Occasion.Words(), Pain: m.Pain, Scores: make([]string, len(cur))}
		for j, a := range cur {
			row.Scores[j] = "–"
			for _, sc := range m.Scores {
				if sc.Activity == a.ID {
					row.Scores[j] = strconv.Itoa(sc.Score)
				}
			}
		}
		if m.Global != nil {
			row.Global = outcome.GlobalSays(*m.Global)
		}
		out = append(out, row)
	}
	return out
}

// outcomeRow is one measurement in the table.
type outcomeRow struct {
	When, Occasion string
	Pain           int
	Scores         []string // by current activity; "–" when not scored
	Global         string
}

// Replaced are the activities replaced by others, with their scores kept.
func (b *outcomeBlock) Replaced() []outcome.Activity {
	var out []outcome.Activity
	for _, a := range b.History.Activities {
		if a.Replaced != nil {
			out = append(out, a)
		}
	}
	return out
}

// outcomesPageData is the data of the outcomes page.
type outcomesPageData struct {
	Token    string
	Outcomes *outcomeBlock
}

// planOutcomes is the outcome block of a plan's pages: the starting point
// form until one is recorded.
func planOutcomes(p *planDiary) *outcomeBlock {
	occasion := outcome.Occasion("")
	if len(p.Outcomes.Measurements) == 0 && p.Result.Urgency != "emergency" {
		occasion = outcome.Start
	}
	b := newOutcomeBlock(p.Outcomes, p.Loc, occasion, "/plan/"+p.Token+"/outcomes")
	b.Token = p.Token
	return b
}

// recheckOutcomes is the outcome block after a weekly re-check: the
// form of the re-check's measurement.
func recheckOutcomes(p *planDiary) *outcomeBlock {
	b := planOutcomes(p)
	if b.Occasion == "" && p.Result.Urgency != "emergency" {
		b.Occasion = outcome.Recheck
	}
	return b
}

func (s *Server) outcomesPage(w http.ResponseWriter, r *http.Request) {
	s.withPlan(w, r, func(p *planDiary) {
		b := planOutcomes(p)
		b.Saved = r.URL.Query().Get("saved") == "1"
		s.render(w, r, http.StatusOK, "outcomes.html", outcomesPageData{Token: p.Token, Outcomes: b})
	})
}

// outcomesSubmit saves the starting point or a re-check's measurement
// from the form; bad input shows the outcomes page again with the form,
// what was typed and the errors at their fields.
func (s *Server) outcomesSubmit(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r, 16<<10) {
		return
	}
	s.withPlan(w, r, func(p *planDiary) {
		in := outcomeFromForm(r.PostForm)
		errs := planOccasion(in.Occasion)
		if len(errs) == 0 {
			_, err := s.store.AddOutcome(r.Context(), p.Assessment.ID, in, time.Now(), 0)
			if !errors.As(err, &errs) {
				if s.failed(w, r, err) {
					return
				}
				http.Redirect(w, r, "/plan/"+p.Token+"/outcomes?saved=1", http.StatusSeeOther)
				return
			}
		}
		b := planOutcomes(p)
		if b.Occasion == "" {
			b.Occasion = outcome.Recheck
		}
		b.Form, b.Errors = r.PostForm, errs
		s.render(w, r, http.StatusBadRequest, "outcomes.html", outcomesPageData{Token: p.Token, Outcomes: b})
	})
}

// planOccasion refuses the occasions a plan's own form and API may not
// give: a visit's measurement comes from its booking.
func planOccasion(o outcome.Occasion) valid.Errors {
	if o == outcome.Visit {
		return valid.Errors{{Field: "occasion", Message: "must be start or recheck; a visit's comes from its booking's page"}}
	}
	return nil
}

// outcomeFromForm reads a measurement form: occasion, pain,
// activities[i].name and activities[i].score, global_change. Numbers
// that cannot be read are kept as out of range, so that Validate names
// them; an empty field is not given.
func outcomeFromForm(form url.Values) outcome.Input {
	in := outcome.Input{Occasion: outcome.Occasion(form.Get("occasion"))}
	in.Pain = formScore(form, "pain")
	in.Global = formScore(form, "global_change")
	for i := range outcome.MaxActivities {
		in.Activities = append(in.Activities, outcome.Rated{Name: form.Get(activityField(i, "name")), Score: formScore(form, activityField(i, "score"))})
	}
	return in
}

// activityField is the form field of the activity in slot i (from 0):
// its path in outcome.Input's problems, so that each shows at its field.
func activityField(i int, part string) string {
	return "activities[" + strconv.Itoa(i) + "]." + part
}

// formScore reads a score from the form: nil when empty, and a
// number no scale has when it is not a number.
func formScore(form url.Values, field string) *int {
	raw := strings.TrimSpace(form.Get(field))
	if raw == "" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n > 1000 || n < -1000 {
		n = 1000
	}
	return &n
}

// visitOutcomeSubmit saves the measurement before a visit, from the
// booking's page: only for a booking that carries a plan, is confirmed
// and has not begun. Bad input shows the booking's page again with the
// errors at their fields.
func (s *Server) visitOutcomeSubmit(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r, 16<<10) {
		return
	}
	token := r.PathValue("token")
	if !secret.Valid(token) {
		s.notFound(w, r)
		return
	}
	vp, err := s.store.VisitPlanByLink(r.Context(), secret.Hash(token))
	if s.failed(w, r, err) {
		return
	}
	now := time.Now()
	if !visitMeasurable(vp, now) {
		v, err := s.bookingByToken(r.Context(), token)
		if s.failed(w, r, err) {
			return
		}
		s.renderBooking(w, r, http.StatusConflict, v, "", "Your scores can be given only before a booked visit that carries your self-check.")
		return
	}
	in := outcomeFromForm(r.PostForm)
	in.Occasion = outcome.Visit
	_, err = s.store.AddOutcome(r.Context(), vp.AssessmentID, in, now, vp.BookingID)
	var errs valid.Errors
	if !errors.As(err, &errs) {
		if s.failed(w, r, err) {
			return
		}
		http.Redirect(w, r, "/bookings/"+token+"?outcomes=saved#outcomes", http.StatusSeeOther)
		return
	}
	v, err := s.bookingByToken(r.Context(), token)
	if s.failed(w, r, err) {
		return
	}
	b, err := s.visitOutcomes(r.Context(), vp, token, v.Start.Location())
	if s.failed(w, r, err) {
		return
	}
	b.Form, b.Errors = r.PostForm, errs
	s.renderBookingWith(w, r, http.StatusBadRequest, v, "", "", b)
}

// visitMeasurable reports whether the booking vp takes a measurement
// before its visit at now.
func visitMeasurable(vp *store.VisitPlan, now time.Time) bool {
	return vp.AssessmentID != 0 && vp.Status == "confirmed" && now.Before(vp.Start)
}

// visitOutcomes is the outcome block of a booking's page, with the
// visit's form.
func (s *Server) visitOutcomes(ctx context.Context, vp *store.VisitPlan, token string, loc *time.Location) (*outcomeBlock, error) {
	h, err := s.store.Outcomes(ctx, vp.AssessmentID)
	if err != nil {
		return nil, err
	}
	return newOutcomeBlock(h, loc, outcome.Visit, "/bookings/"+token+"/outcomes"), nil
}

// bookingOutcomes is the outcome block of the booking page behind token,
// or nil when the visit takes no measurement.
func (s *Server) bookingOutcomes(r *http.Request, token string, loc *time.Location) (*outcomeBlock, error) {
	vp, err := s.store.VisitPlanByLink(r.Context(), secret.Hash(token))
	if err != nil || !visitMeasurable(vp, time.Now()) {
		return nil, err
	}
	b, err := s.visitOutcomes(r.Context(), vp, token, loc)
	if err != nil {
		return nil, err
	}
	b.Saved = r.URL.Query().Get("outcomes") == "saved"
	return b, nil
}

// apiOutcomes is GET /api/v1/plans/{token}/outcomes: the history and
// its summary against the minimal clinically important differences.
func (s *Server) apiOutcomes(w http.ResponseWriter, r *http.Request) {
	s.withAPIPlan(w, r, func(p *planDiary) {
		writeJSON(w, http.StatusOK, apiOutcomeHistory{History: p.Outcomes, Summary: outcome.Summarize(p.Outcomes)})
	})
}

// apiOutcomeHistory is the API's view of a plan's outcomes.
type apiOutcomeHistory struct {
	outcome.History
	Summary outcome.Summary `json:"summary"`
}

// apiAddOutcome is POST /api/v1/plans/{token}/outcomes: a measurement in
// (outcome.Parse), 201 with the saved measurement and the new summary;
// bad input is 400 naming each field.
func (s *Server) apiAddOutcome(w http.ResponseWriter, r *http.Request) {
	s.withAPIPlan(w, r, func(p *planDiary) {
		in, ok := readJSON(w, r, func(body []byte) (outcome.Input, error) {
			in, err := outcome.Parse(body, p.Outcomes)
			if err == nil {
				err = planOccasion(in.Occasion).Err()
			}
			return in, err
		})
		if !ok {
			return
		}
		m, err := s.store.AddOutcome(r.Context(), p.Assessment.ID, in, time.Now(), 0)
		var errs valid.Errors
		switch {
		case errors.As(err, &errs):
			writeErrors(w, http.StatusBadRequest, errs)
			return
		case errors.Is(err, store.ErrNotFound):
			writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no plan has this token"}})
			return
		case err != nil:
			s.apiServerError(w, r, "body", "the measurement could not be saved; please try again", err)
			return
		}
		h, err := s.store.Outcomes(r.Context(), p.Assessment.ID)
		if err != nil {
			s.apiServerError(w, r, "body", "the measurement was saved but could not be read back; please reload", err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"measurement": m, "summary": outcome.Summarize(h)})
	})
}
