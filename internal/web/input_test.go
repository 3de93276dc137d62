package web

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"unknot/internal/care"
	"unknot/internal/valid"
)

// errorList reads the API's error shape.
func errorList(t *testing.T, data []byte) valid.Errors {
	t.Helper()
	var got struct{ Errors valid.Errors }
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("%s is not the error shape: %v", data, err)
	}
	return got.Errors
}

// TestAPIRefusesWhatFormsRefuse: text that is not UTF-8, numbers that
// underflow to 0 and repeated names are 400s naming the field.
func TestAPIRefusesWhatFormsRefuse(t *testing.T) {
	ts := newTestServer(t, Config{})
	const start = `{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual"`
	for body, field := range map[string]string{
		start + ",\"pain_now\":5,\"side\":\"le\xfft\"}":                    "side",
		start + `,"pain_now":5,"tried":[{"what":"\ud800","helped":"no"}]}`: "tried[0].what",
		start + `,"pain_now":1e-400}`:                                      "pain_now",
		start + `,"pain_now":5,"pain_now":6}`:                              "pain_now",
	} {
		resp, data := postJSON(t, ts.URL+"/api/v1/assessments", body)
		if errs := errorList(t, data); resp.StatusCode != http.StatusBadRequest || len(errs) != 1 || errs[0].Field != field {
			t.Errorf("%q: %d %s, want 400 naming %s", body, resp.StatusCode, data, field)
		}
	}
}

// TestAPIErrorsAreCapped: a body with thousands of wrong items gets the
// first valid.MaxShown problems and a line saying how many more.
func TestAPIErrorsAreCapped(t *testing.T) {
	ts := newTestServer(t, Config{})
	body := `{"version":2,"age":30,"regions":["back_of_neck"],"duration_days":2,"onset":"gradual","pain_now":5,"tried":[` +
		strings.Repeat(`7,`, 999) + `7]}`
	resp, data := postJSON(t, ts.URL+"/api/v1/assessments", body)
	errs := errorList(t, data)
	if resp.StatusCode != http.StatusBadRequest || len(errs) != valid.MaxShown+1 ||
		errs[valid.MaxShown] != (valid.Error{Field: "errors", Message: "and 950 more problems"}) {
		t.Fatalf("%d with %d problems, the last %v", resp.StatusCode, len(errs), errs[len(errs)-1])
	}
}

// TestCutShortBodyIsNotTooLarge: a body that ends before its
// Content-Length is 400 "cut short", not 413.
func TestCutShortBodyIsNotTooLarge(t *testing.T) {
	ts := newTestServer(t, Config{})
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.Write([]byte("POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"version\""))
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ Errors valid.Errors }
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != http.StatusBadRequest || len(got.Errors) != 1 || got.Errors[0].Field != "body" ||
		!strings.Contains(got.Errors[0].Message, "cut short") {
		t.Errorf("cut-short body: %d %v", resp.StatusCode, got.Errors)
	}
}

// failingBody fails on its first read.
type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
func (failingBody) Close() error             { return nil }

func TestUnreadableBody(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/api/v1/assessments", nil)
	r.Body = failingBody{}
	if _, ok := readJSON(w, r, care.Parse); ok || w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "could not be read") {
		t.Errorf("unreadable body: %v %d %s", ok, w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	r = httptest.NewRequest(http.MethodPost, "/api/v1/assessments", strings.NewReader(strings.Repeat(" ", maxBody+1)))
	if _, ok := readJSON(w, r, care.Parse); ok || w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("too large body: %v %d %s", ok, w.Code, w.Body)
	}
}

// TestDiarySettingsSurviveEmptyPosts: an empty, blank or unreadable post
// of the settings form changes nothing that is stored.
func TestDiarySettingsSurviveEmptyPosts(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	set := url.Values{"time_zone": {"Asia/Tokyo"}, "work_start": {"08:30"}, "work_end": {"17:30"}, "work_days": {"mon", "tue"}, "work_days_given": {"1"}}
	if resp, _ := postForm(t, ts.URL+plan+"/settings", set); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("good settings: %d", resp.StatusCode)
	}
	unchanged := func(what string) {
		t.Helper()
		_, body := get(t, ts.URL+plan+"/diary")
		for _, want := range []string{`value="Asia/Tokyo"`, `value="08:30"`, `value="17:30"`, `value="tue" checked`, `value="wed">`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s changed the settings: no %s", what, want)
			}
		}
	}
	resp, body := postForm(t, ts.URL+plan+"/settings", url.Values{})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "nothing was changed") {
		t.Errorf("empty post: %d", resp.StatusCode)
	}
	unchanged("an empty post")
	if resp, _ := postForm(t, ts.URL+plan+"/settings", url.Values{"time_zone": {" "}, "work_start": {""}, "work_end": {""}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("blank post: %d", resp.StatusCode)
	}
	unchanged("a blank post")
	resp, err := http.Post(ts.URL+plan+"/settings", "application/x-www-form-urlencoded", strings.NewReader("time_zone=%zz"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unreadable post: %d", resp.StatusCode)
	}
	unchanged("an unreadable post")
}

// TestCommentStampIsUsedOnce: the same form sent twice makes one comment;
// the second post is refused with the words kept and a clear message.
func TestCommentStampIsUsedOnce(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	form := postedComment("Ana", "The doorway stretch helped.")
	if resp, _ := postForm(t, ts.URL+"/articles/neck-knots/comments", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first post: %d", resp.StatusCode)
	}
	for range 3 {
		resp, body := postForm(t, ts.URL+"/articles/neck-knots/comments", form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "this form was already sent once") ||
			!strings.Contains(body, ">The doorway stretch helped.</textarea>") {
			t.Errorf("the same stamp again: %d, want 400 saying it was sent", resp.StatusCode)
		}
	}
	if held, _ := db.PendingComments(t.Context(), 10); len(held) != 1 {
		t.Errorf("%d comments held, want 1", len(held))
	}
}

// TestFormErrorsAreCapped: a form with many wrong values lists the first
// valid.MaxShown problems and how many more.
func TestFormErrorsAreCapped(t *testing.T) {
	ts := newTestServer(t, Config{})
	plan := newPlan(t, ts.URL, deskWorker())
	form := url.Values{"pain": {"3"}}
	for i := range 80 {
		form.Add("regions", "nowhere-"+strconv.Itoa(i))
	}
	resp, body := postForm(t, ts.URL+plan+"/diary", form)
	if resp.StatusCode != http.StatusBadRequest || strings.Count(body, "<li><a href=\"#f-regions\"") != valid.MaxShown ||
		!strings.Contains(body, "and 30 more problems") {
		t.Errorf("%d, %d problems listed\n%s", resp.StatusCode, strings.Count(body, "<li><a href=\"#f-regions\""), body)
	}
}
