package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"golang.org/x/time/rate"

	"unknot/internal/booking"
	"unknot/internal/care"
	"unknot/internal/clinic"
	"unknot/internal/library"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// bookingClinicJSON is a clinic in Berlin open day and night, so that
// tests find a free slot at any hour: one therapist who gives both
// services in person and online, one who gives the massage in person only.
const bookingClinicJSON = `{
  "clinic": {"name": "Test Clinic", "phone": "+49 30 1", "email": "desk@clinic.example", "cancel_hours": 24,
             "min_notice_minutes": 60, "horizon_days": 60, "slot_step_minutes": 15},
  "locations": [{"id": "mitte", "name": "Mitte", "address": "Invalidenstraße 1, 10115 Berlin", "time_zone": "Europe/Berlin"}],
  "services": [
    {"id": "knot-60", "name": "Trigger point therapy", "style": "trigger_point_therapy", "minutes": 60,
     "buffer_before_minutes": 0, "buffer_after_minutes": 15, "price": "95.00", "currency": "EUR", "modes": ["in_person", "virtual"]},
    {"id": "talk-30", "name": "Consultation", "style": "consultation", "minutes": 30,
     "buffer_before_minutes": 10, "buffer_after_minutes": 0, "price": "40.00", "currency": "EUR", "modes": ["in_person", "virtual"]}
  ],
  "therapists": [
    {"id": "ana", "name": "Ana", "email": "ana@clinic.example", "credentials": "RMT",
     "specialties": ["trigger_point_therapy"], "location": "mitte", "services": ["knot-60", "talk-30"],
     "modes": ["in_person", "virtual"], "video_url": "https://video.example/ana",
     "hours": {"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]],
               "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]], "sat": [["00:00", "24:00"]], "sun": [["00:00", "24:00"]]}},
    {"id": "ben", "name": "Ben", "email": "ben@clinic.example", "credentials": "LMT",
     "specialties": [], "location": "mitte", "services": ["knot-60"], "modes": ["in_person"],
     "hours": {"mon": [["00:00", "24:00"]], "tue": [["00:00", "24:00"]], "wed": [["00:00", "24:00"]],
               "thu": [["00:00", "24:00"]], "fri": [["00:00", "24:00"]], "sat": [["00:00", "24:00"]], "sun": [["00:00", "24:00"]]}}
  ]
}`

// bookingServer is a test server with the booking clinic.
type bookingServer struct {
	*httptest.Server
	db     *store.DB
	srv    *Server
	berlin *time.Location
}

// newBookingServer serves unknot with bookingClinicJSON over a fresh
// SQLite database at dsn ("" for a temporary file). Write limits are off
// unless cfg sets them; links in mail use https://clinic.example.
func newBookingServer(t testing.TB, cfg Config, dsn string) *bookingServer {
	t.Helper()
	if dsn == "" {
		dsn = filepath.Join(t.TempDir(), "test.db")
	}
	db, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f, err := clinic.Parse([]byte(bookingClinicJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportClinic(t.Context(), f); err != nil {
		t.Fatal(err)
	}
	if cfg.WriteRate == 0 {
		cfg.WriteRate, cfg.WriteBurst = rate.Inf, 1
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://clinic.example"
	}
	srv, err := New(cfg, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	berlin, _ := clinic.Zone("Europe/Berlin")
	return &bookingServer{Server: ts, db: db, srv: srv, berlin: berlin}
}

// hoursAhead is a start on the clinic's grid about h hours from now, in
// Berlin.
func (bs *bookingServer) hoursAhead(h int) time.Time {
	return time.Now().Add(time.Duration(h) * time.Hour).Truncate(time.Hour).In(bs.berlin)
}

// bookBody is a booking of knot-60 with ana in person at start, with
// more fields (JSON members, "" for none) and those of base replaced.
func bookBody(start time.Time, more string) string {
	fields := map[string]any{
		"service": "knot-60", "therapist": "ana", "start": start.Format(time.RFC3339), "mode": "in_person",
		"name": "Kim Client", "email": "kim@example.com", "phone": "+49 30 5", "note": "left shoulder",
	}
	if more != "" {
		var extra map[string]any
		if err := json.Unmarshal([]byte("{"+more+"}"), &extra); err != nil {
			panic(err)
		}
		for k, v := range extra {
			if v == nil {
				delete(fields, k)
			} else {
				fields[k] = v
			}
		}
	}
	b, _ := json.Marshal(fields)
	return string(b)
}

// apiAnswer is the answer to POST /api/v1/bookings.
type apiAnswer struct {
	Token   string `json:"token"`
	URL     string `json:"url"`
	Booking struct {
		Service, Therapist, Location, Mode, Status string
		Start, End                                 string
		VideoURL                                   string `json:"video_url"`
	} `json:"booking"`
}

// eachDialect runs test against a booking server on SQLite and on
// PostgreSQL (see testPostgres): the contract must hold on both.
func eachDialect(t *testing.T, test func(t *testing.T, bs *bookingServer)) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect == store.Postgres {
				dsn = testPostgres(t)
			}
			test(t, newBookingServer(t, Config{}, dsn))
		})
	}
}

// send posts body to path with headers (name, value, …) and returns the
// status and body.
func (bs *bookingServer) send(t testing.TB, path, body string, headers ...string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, bs.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := bs.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, data
}

// book makes a booking that must succeed.
func (bs *bookingServer) book(t testing.TB, body string) apiAnswer {
	t.Helper()
	status, data := bs.send(t, "/api/v1/bookings", body)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/bookings %s: %d %s", body, status, data)
	}
	var a apiAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// Every refusal names its field, and the answers come in the contract's
// order: 400 for bad input, then 422 for the doctor-first rule, then 409
// when the time is taken.
func TestBookingAPIAnswersInOrder(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		urgent := assessAt(t, bs.URL, care.Urgent).Token
		emergency := assessAt(t, bs.URL, care.Emergency).Token
		fine := assessAt(t, bs.URL, care.SelfCare).Token
		v1 := saveV1(t, bs.db)
		taken := bs.hoursAhead(72)
		bs.book(t, bookBody(taken, ""))
		free := bs.hoursAhead(96)

		for _, tt := range []struct {
			name   string
			body   string
			key    string
			status int
			fields []string
		}{
			{"unknown service", bookBody(free, `"service":"nope"`), "", 400, []string{"service"}},
			{"unknown therapist", bookBody(free, `"therapist":"nobody"`), "", 400, []string{"therapist"}},
			{"therapist without the service", bookBody(free, `"therapist":"ben","service":"talk-30"`), "", 400, []string{"therapist"}},
			{"therapist without the mode", bookBody(free, `"therapist":"ben","mode":"virtual"`), "", 400, []string{"mode"}},
			{"bad mode", bookBody(free, `"mode":"by_phone"`), "", 400, []string{"mode"}},
			{"off the grid", bookBody(free.Add(7*time.Minute), ""), "", 400, []string{"start"}},
			{"before the minimum notice", bookBody(time.Now().Add(15*time.Minute).Truncate(15*time.Minute).Add(15*time.Minute), ""), "", 400, []string{"start"}},
			{"past the horizon", bookBody(bs.hoursAhead(24*70), ""), "", 400, []string{"start"}},
			{"not a time", bookBody(free, `"start":"tomorrow at nine"`), "", 400, []string{"start"}},
			{"no start", bookBody(free, `"start":null`), "", 400, []string{"start"}},
			{"bad contact details", bookBody(free, `"email":"kim@","name":"","phone":"call me maybe","note":"`+strings.Repeat("x", 1001)+`"`), "", 400,
				[]string{"email", "name", "phone", "note"}},
			{"unknown field", bookBody(free, `"colour":"blue"`), "", 400, []string{"colour"}},
			{"wrong type", bookBody(free, `"share_plan":"yes"`), "", 400, []string{"share_plan"}},
			{"unknown plan", bookBody(free, `"plan_token":"not-a-plan"`), "", 400, []string{"plan_token"}},
			{"share without a plan", bookBody(free, `"share_plan":true`), "", 400, []string{"share_plan"}},
			{"long idempotency key", bookBody(free, ""), strings.Repeat("k", 101), 400, []string{"Idempotency-Key"}},
			{"400 before 422", bookBody(free, `"plan_token":"`+urgent+`","email":"nope"`), "", 400, []string{"email"}},
			{"400 before 409", bookBody(taken, `"email":"nope"`), "", 400, []string{"email"}},
			{"urgent self-check", bookBody(free, `"plan_token":"`+urgent+`"`), "", 422, []string{"plan_token"}},
			{"emergency self-check", bookBody(free, `"plan_token":"`+emergency+`","cleared_by_doctor":false`), "", 422, []string{"plan_token"}},
			{"version 1 self-check, cleared", bookBody(free, `"plan_token":"`+v1+`","cleared_by_doctor":true`), "", 422, []string{"plan_token"}},
			{"422 before 409", bookBody(taken, `"plan_token":"`+urgent+`"`), "", 422, []string{"plan_token"}},
			{"taken", bookBody(taken, `"therapist":"ana","email":"someone@example.com"`), "", 409, []string{"start"}},
			{"inside another's buffer", bookBody(taken.Add(-45*time.Minute), ""), "", 409, []string{"start"}},
			{"urgent but cleared, taken", bookBody(taken, `"plan_token":"`+urgent+`","cleared_by_doctor":true`), "", 409, []string{"start"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				var headers []string
				if tt.key != "" {
					headers = []string{"Idempotency-Key", tt.key}
				}
				status, data := bs.send(t, "/api/v1/bookings", tt.body, headers...)
				if status != tt.status {
					t.Fatalf("%d %s, want %d", status, data, tt.status)
				}
				errs := apiErrors(t, data)
				if len(errs) != len(tt.fields) {
					t.Errorf("errors %v, want one for each of %v", errs, tt.fields)
				}
				for _, f := range tt.fields {
					if errs[f] == "" {
						t.Errorf("no error for %s in %s", f, data)
					}
				}
			})
		}

		// What passes: a plan that allows it, an urgent one a doctor has
		// cleared, a virtual visit with its video link, and the link shared.
		for _, more := range []string{
			`"plan_token":"` + fine + `","share_plan":true`,
			`"plan_token":"` + urgent + `","cleared_by_doctor":true`,
		} {
			free = free.Add(2 * time.Hour)
			a := bs.book(t, bookBody(free, more))
			if a.Booking.Status != "confirmed" || a.Booking.Start != free.Format(time.RFC3339) || a.Booking.VideoURL != "" {
				t.Errorf("booking %+v", a.Booking)
			}
		}
		a := bs.book(t, bookBody(free.Add(2*time.Hour), `"service":"talk-30","mode":"virtual"`))
		if a.Booking.VideoURL != "https://video.example/ana" || a.Booking.Location != "mitte" {
			t.Errorf("virtual booking %+v", a.Booking)
		}
		if !strings.HasPrefix(a.URL, "https://clinic.example/bookings/") || !strings.HasSuffix(a.URL, a.Token) || len(a.Token) < 22 {
			t.Errorf("url %q, token %q", a.URL, a.Token)
		}
	})
}

// A repeat with the same Idempotency-Key and body makes no second booking;
// another body with that key is refused; the mail goes out once.
func TestBookingAPIIdempotency(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		start := bs.hoursAhead(50)
		body := bookBody(start, "")
		status, first := bs.send(t, "/api/v1/bookings", body, "Idempotency-Key", "retry-1")
		if status != http.StatusCreated {
			t.Fatalf("first: %d %s", status, first)
		}
		// The same booking, its start written in another offset.
		same := bookBody(start.UTC(), "")
		status, again := bs.send(t, "/api/v1/bookings", same, "Idempotency-Key", "retry-1")
		if status != http.StatusOK {
			t.Fatalf("repeat: %d %s, want 200", status, again)
		}
		var a1, a2 apiAnswer
		json.Unmarshal(first, &a1)
		json.Unmarshal(again, &a2)
		if a1.Booking != a2.Booking {
			t.Errorf("repeat answered %+v, first %+v", a2.Booking, a1.Booking)
		}
		for _, token := range []string{a1.Token, a2.Token} {
			resp, data := get(t, bs.URL+"/api/v1/bookings/"+token)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(data), a1.Booking.Start) {
				t.Errorf("GET by either link: %d %s", resp.StatusCode, data)
			}
		}
		status, data := bs.send(t, "/api/v1/bookings", bookBody(start.Add(4*time.Hour), ""), "Idempotency-Key", "retry-1")
		if status != http.StatusUnprocessableEntity || apiErrors(t, data)["Idempotency-Key"] == "" {
			t.Errorf("the key with another body: %d %s", status, data)
		}
		for _, who := range []string{"kim@example.com", "ana@clinic.example"} {
			recs, err := bs.db.MailTo(t.Context(), who)
			if err != nil || len(recs) != 1 {
				t.Errorf("%d mails to %s (%v), want 1", len(recs), who, err)
			}
		}
	})
}

// Moving and cancelling work by link until cancel_hours before the visit,
// and are refused with 409 after.
func TestBookingAPIRescheduleAndCancel(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		start := bs.hoursAhead(72)
		a := bs.book(t, bookBody(start, ""))
		other := bs.book(t, bookBody(start.Add(3*time.Hour), `"email":"lee@example.com"`))
		path := "/api/v1/bookings/" + a.Token

		// Its own old time does not count: half an hour later overlaps it.
		later := start.Add(30 * time.Minute)
		status, data := bs.send(t, path+"/reschedule", `{"start":"`+later.Format(time.RFC3339)+`"}`)
		if status != http.StatusOK || !strings.Contains(string(data), `"start":"`+later.Format(time.RFC3339)+`"`) {
			t.Fatalf("reschedule: %d %s", status, data)
		}
		for _, tt := range []struct {
			body   string
			status int
		}{
			{`{"start":"` + start.Add(3*time.Hour).Format(time.RFC3339) + `"}`, 409},               // the other booking's time
			{`{"start":"` + start.Add(2*time.Hour+5*time.Minute).Format(time.RFC3339) + `"}`, 400}, // off the grid
			{`{"start":"` + bs.hoursAhead(1).Format(time.RFC3339) + `"}`, 400},                     // before the minimum notice
			{`{"start":"soon"}`, 400},
			{`{}`, 400},
			{`{"start":"` + later.Format(time.RFC3339) + `","name":"x"}`, 400},
		} {
			status, data := bs.send(t, path+"/reschedule", tt.body)
			if status != tt.status || len(apiErrors(t, data)) == 0 {
				t.Errorf("reschedule %s: %d %s, want %d", tt.body, status, data, tt.status)
			}
		}
		// The old time is free again.
		bs.book(t, bookBody(start.Add(-45*time.Minute), `"email":"max@example.com"`))

		status, data = bs.send(t, path+"/cancel", "")
		if status != http.StatusOK || !strings.Contains(string(data), `"status":"cancelled"`) {
			t.Fatalf("cancel: %d %s", status, data)
		}
		if status, data = bs.send(t, path+"/cancel", "{}"); status != http.StatusOK {
			t.Errorf("cancel again: %d %s", status, data)
		}
		if status, data = bs.send(t, path+"/reschedule", `{"start":"`+start.Format(time.RFC3339)+`"}`); status != http.StatusConflict {
			t.Errorf("moving a cancelled booking: %d %s", status, data)
		}
		if status, data = bs.send(t, path+"/cancel", `{"why":"x"}`); status != http.StatusBadRequest {
			t.Errorf("cancel with a body: %d %s", status, data)
		}
		// The cancelled time is free again.
		bs.book(t, bookBody(later, `"email":"noa@example.com"`))

		// Less than cancel_hours before the visit: call the clinic.
		soon := bs.book(t, bookBody(bs.hoursAhead(5), `"email":"sam@example.com"`))
		move := `{"start":"` + bs.hoursAhead(100).Format(time.RFC3339) + `"}`
		for action, body := range map[string]string{"/reschedule": move, "/cancel": ""} {
			status, data := bs.send(t, "/api/v1/bookings/"+soon.Token+action, body)
			msg := apiErrors(t, data)["start"]
			if status != http.StatusConflict || !strings.Contains(msg, "call the clinic at +49 30 1") {
				t.Errorf("%s inside cancel_hours: %d %s", action, status, data)
			}
		}
		resp, page := get(t, bs.URL+"/api/v1/bookings/"+other.Token)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `"status":"confirmed"`) {
			t.Errorf("GET: %d %s", resp.StatusCode, page)
		}
		for _, token := range []string{"nope", strings.Repeat("A", 43)} {
			resp, data := get(t, bs.URL+"/api/v1/bookings/"+token)
			if resp.StatusCode != http.StatusNotFound || apiErrors(t, []byte(data))["token"] == "" {
				t.Errorf("GET unknown %s: %d %s", token, resp.StatusCode, data)
			}
			if status, data := bs.send(t, "/api/v1/bookings/"+token+"/cancel", ""); status != http.StatusNotFound {
				t.Errorf("cancel unknown: %d %s", status, data)
			}
		}
	})
}

func TestSlotsAPI(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		day := clinic.DateOf(time.Now().In(bs.berlin)).AddDays(2)
		taken := time.Date(day.Year, day.Month, day.Day, 10, 0, 0, 0, bs.berlin)
		bs.book(t, bookBody(taken, ""))
		var got struct {
			Slots []struct{ Start, End, Therapist, Location string }
		}
		resp, body := get(t, fmt.Sprintf("%s/api/v1/slots?service=knot-60&from=%s&to=%s", bs.URL, day, day))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		// Two therapists, starts every 15 minutes from 00:00 to 23:00 (on
		// the wall clock, whatever the clocks do that day), less ana's from
		// 09:00 to 11:00, whose visit with its buffer would overlap the
		// booking's.
		starts := 0
		midnight := clinic.Wall{Date: day}.In(bs.berlin)
		for s := midnight; !s.Add(time.Hour).After(clinic.Wall{Date: day.AddDays(1)}.In(bs.berlin)); s = s.Add(15 * time.Minute) {
			starts++
		}
		if n := len(got.Slots); n != 2*starts-9 {
			t.Errorf("%d slots, want %d", n, 2*starts-9)
		}
		for i, s := range got.Slots {
			start, err := time.Parse(time.RFC3339, s.Start)
			if err != nil || !strings.HasSuffix(s.Start, start.In(bs.berlin).Format("-07:00")) || s.Location != "mitte" {
				t.Fatalf("slot %+v: %v", s, err)
			}
			if i > 0 && (s.Start < got.Slots[i-1].Start || s.Start == got.Slots[i-1].Start && s.Therapist <= got.Slots[i-1].Therapist) {
				t.Fatalf("slots out of order at %d: %v", i, got.Slots[i-1:i+1])
			}
			if s.Therapist == "ana" && start.After(taken.Add(-time.Hour-15*time.Minute)) && start.Before(taken.Add(75*time.Minute)) {
				t.Errorf("slot %s overlaps the booking at %s with its buffers", s.Start, taken)
			}
		}
		resp, body = get(t, fmt.Sprintf("%s/api/v1/slots?service=talk-30&from=%s&to=%s&therapist=ana&mode=virtual", bs.URL, day, day))
		if resp.StatusCode != http.StatusOK || strings.Contains(body, `"ben"`) {
			t.Errorf("one therapist online: %d", resp.StatusCode)
		}
		from := day.String()
		for query, field := range map[string]string{
			"service=knot-60&to=" + from:                                              "from",
			"service=knot-60&from=" + from:                                            "to",
			"from=" + from + "&to=" + from:                                            "service",
			"service=knot-60&from=" + from + "&to=" + day.AddDays(62).String():        "to",
			"service=knot-60&from=" + from + "&to=" + day.AddDays(-1).String():        "to",
			"service=knot-60&from=2027-02-30&to=" + from:                              "from",
			"service=nope&from=" + from + "&to=" + from:                               "service",
			"service=knot-60&therapist=nobody&from=" + from + "&to=" + from:           "therapist",
			"service=talk-30&therapist=ben&from=" + from + "&to=" + from:              "therapist",
			"service=knot-60&therapist=ben&mode=virtual&from=" + from + "&to=" + from: "mode",
			"service=knot-60&mode=phone&from=" + from + "&to=" + from:                 "mode",
			"service=knot-60&from=" + from + "&to=" + from + "&colour=blue":           "colour",
			"service=knot-60&service=talk-30&from=" + from + "&to=" + from:            "service",
		} {
			resp, body := get(t, bs.URL+"/api/v1/slots?"+query)
			if resp.StatusCode != http.StatusBadRequest || apiErrors(t, []byte(body))[field] == "" {
				t.Errorf("%s: %d %s, want 400 on %s", query, resp.StatusCode, body, field)
			}
		}
		resp, body = get(t, fmt.Sprintf("%s/api/v1/slots?service=knot-60&from=%s&to=%s", bs.URL, day, day.AddDays(61)))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("61 days: %d %s", resp.StatusCode, body)
		}
	})
}

// A client over the write limit gets 429 in the API's error shape.
func TestBookingAPIWriteLimit(t *testing.T) {
	bs := newBookingServer(t, Config{WriteRate: rate.Every(time.Hour), WriteBurst: 1}, "")
	bs.book(t, bookBody(bs.hoursAhead(30), ""))
	status, data := bs.send(t, "/api/v1/bookings", bookBody(bs.hoursAhead(40), ""))
	if status != http.StatusTooManyRequests || apiErrors(t, data)["body"] == "" {
		t.Errorf("over the limit: %d %s", status, data)
	}
	// Reading is not limited.
	if resp, _ := get(t, bs.URL+"/api/v1/slots?service=knot-60&from=2030-01-01&to=2030-01-01"); resp.StatusCode != http.StatusOK {
		t.Errorf("slots over the write limit: %d", resp.StatusCode)
	}
	if !bytes.Contains(data, []byte(`{"errors":[`)) {
		t.Errorf("429 body %s", data)
	}
}

// A person's export holds the visits booked with their plan and its
// shares; deleting the plan for good keeps the clinic's record of the
// visit without the person.
func TestBookingsInExportAndDeleteForGood(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		plan := assessAt(t, bs.URL, care.SelfCare).Token
		start := bs.hoursAhead(48)
		a := bs.book(t, bookBody(start, `"plan_token":"`+plan+`","share_plan":true`))
		bs.book(t, bookBody(start.Add(4*time.Hour), `"email":"other@example.com"`)) // not with the plan

		resp, body := get(t, bs.URL+"/plan/"+plan+"/export.json")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("export: %d", resp.StatusCode)
		}
		var x struct {
			Bookings []struct {
				Service, Therapist, Status, Name, Email, Phone, Note string
				Start                                                time.Time
			}
			Shares []struct {
				SharedAt    *time.Time `json:"shared_at"`
				WithdrawnAt *time.Time `json:"withdrawn_at"`
			}
		}
		if err := json.Unmarshal([]byte(body), &x); err != nil {
			t.Fatal(err)
		}
		if len(x.Bookings) != 1 || x.Bookings[0].Email != "kim@example.com" || x.Bookings[0].Note != "left shoulder" ||
			!x.Bookings[0].Start.Equal(start) || x.Bookings[0].Status != "confirmed" {
			t.Errorf("exported bookings %+v", x.Bookings)
		}
		if len(x.Shares) != 1 || x.Shares[0].SharedAt == nil || x.Shares[0].WithdrawnAt != nil {
			t.Errorf("exported shares %+v", x.Shares)
		}

		if resp, _ := postForm(t, bs.URL+"/plan/"+plan+"/delete", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("delete: %d", resp.StatusCode)
		}
		kept, err := bs.db.BookingByLink(t.Context(), secret.Hash(a.Token))
		if err != nil {
			t.Fatalf("the clinic's record of the visit: %v", err)
		}
		if kept.Name != store.DeletedClient || kept.Email != "" || kept.Phone != "" || kept.Note != "" || !kept.Start.Equal(start) {
			t.Errorf("kept visit %+v", kept)
		}
		// The visit can still be cancelled by its link, and only the
		// therapist hears of it: there is no one left to mail.
		before, _ := bs.db.MailTo(t.Context(), "ana@clinic.example")
		if status, data := bs.send(t, "/api/v1/bookings/"+a.Token+"/cancel", ""); status != http.StatusOK {
			t.Fatalf("cancel: %d %s", status, data)
		}
		after, _ := bs.db.MailTo(t.Context(), "ana@clinic.example")
		if len(after) != len(before)+1 {
			t.Errorf("the therapist got %d mails about the cancellation", len(after)-len(before))
		}
	})
}

// The slots are written by hand exactly as encoding/json writes them.
func TestAppendSlotsIsJSON(t *testing.T) {
	kolkata, _ := clinic.Zone("Asia/Kolkata")
	start := time.Date(2027, 3, 29, 9, 30, 0, 0, kolkata)
	slots := []booking.Slot{
		{Start: start, End: start.Add(time.Hour), Therapist: "ana", Location: "mitte"},
		{Start: start.UTC(), End: start.Add(45 * time.Minute).UTC(), Therapist: "ben-2", Location: "mid-town"},
	}
	for _, list := range [][]booking.Slot{nil, slots} {
		var want bytes.Buffer
		json.NewEncoder(&want).Encode(map[string]any{"slots": nonNil(list)})
		if got := appendSlots(nil, list); string(got) != want.String() {
			t.Errorf("appendSlots:\n%s\nencoding/json:\n%s", got, want.String())
		}
	}
}

// A person sees on their plan page that their self-check is shared with the
// clinic, and withdrawing it there ends the share at once.
func TestShareIsShownAndWithdrawnFromThePlanPage(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	plan := assessAt(t, bs.URL, care.SelfCare).Token
	if _, page := get(t, bs.URL+"/plan/"+plan); strings.Contains(page, "Stop sharing") {
		t.Fatal("a plan that was never shared offers to stop sharing")
	}
	bs.book(t, bookBody(bs.hoursAhead(48), `"plan_token":"`+plan+`","share_plan":true`))
	_, page := get(t, bs.URL+"/plan/"+plan)
	if !strings.Contains(page, "Shared with the clinic") || !strings.Contains(page, `action="/plan/`+plan+`/share/withdraw"`) {
		t.Fatalf("the plan page does not show the share:\n%s", page)
	}
	resp, _ := postForm(t, bs.URL+"/plan/"+plan+"/share/withdraw", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/plan/"+plan+"#sharing" {
		t.Errorf("withdraw: %d to %q, want 303 to the plan", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page := get(t, bs.URL+"/plan/"+plan); strings.Contains(page, "Stop sharing") {
		t.Error("the plan page still offers to stop sharing")
	}
	if live, err := bs.db.LiveShare(t.Context(), secret.Hash(plan)); err != nil || live != nil {
		t.Errorf("live share after withdrawing: %+v, %v", live, err)
	}
	if resp, _ := postForm(t, bs.URL+"/plan/no-such-plan/share/withdraw", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("withdrawing from an unknown plan: %d, want 404", resp.StatusCode)
	}
}

// FuzzParseBookRequest feeds the booking API's body readers arbitrary
// bytes: they answer with field errors, never panic, and what they accept
// reads back the same.
func FuzzParseBookRequest(f *testing.F) {
	f.Add([]byte(bookBody(time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC), "")))
	f.Add([]byte(`{"service":"knot-60","start":"2027-03-29T09:00:00+02:00","share_plan":true,"cleared_by_doctor":null}`))
	f.Add([]byte(`{"start":"24:00","start":"x","mode":7,"bogus":[]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"service":"knot-60","start":"2027-03-30T09:00:00+24:00"}`))
	f.Add([]byte("{\"service\":\"knot-60\",\"note\":\"\xff\"}"))
	f.Add([]byte(`{"service":"knot-60","name":"\udc00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, parse := range map[string]func([]byte) error{
			"book":       func(d []byte) error { _, err := parseBookRequest(d); return err },
			"reschedule": func(d []byte) error { _, err := parseReschedule(d); return err },
			"cancel":     func(d []byte) error { _, err := parseCancel(d); return err },
		} {
			err := parse(data)
			if err == nil {
				continue
			}
			var es valid.Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("%s: error %v is not a list of field errors", name, err)
			}
			for _, e := range es {
				if e.Field == "" || e.Message == "" {
					t.Fatalf("%s: error without field or message: %+v", name, e)
				}
			}
		}
		req, err := parseBookRequest(data)
		if err != nil {
			return
		}
		// What is accepted was sent as UTF-8 JSON without repeated names,
		// with a start whose offset is within a day.
		if !jsontext.Value(data).IsValid() {
			t.Fatalf("accepted %q: not strict JSON", data)
		}
		if _, off := req.Start.Zone(); off <= -24*60*60 || off >= 24*60*60 {
			t.Fatalf("accepted %q: offset %d s", data, off)
		}
		fields := map[string]any{"service": req.Service, "therapist": req.Therapist, "mode": string(req.Mode),
			"name": req.Name, "email": req.Email, "phone": req.Phone, "note": req.Note, "plan_token": req.PlanToken,
			"share_plan": req.SharePlan, "cleared_by_doctor": req.ClearedByDoctor}
		if !req.Start.IsZero() {
			fields["start"] = req.Start.Format(time.RFC3339Nano)
		}
		again, _ := json.Marshal(fields)
		back, err := parseBookRequest(again)
		if err != nil || back.Service != req.Service || back.Note != req.Note || !back.Start.Equal(req.Start) || back.SharePlan != req.SharePlan {
			t.Fatalf("%s read back as %+v, %v; first %+v", again, back, err, req)
		}
	})
}
