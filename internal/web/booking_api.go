package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// apiSlots is GET /api/v1/slots?service=…&from=…&to=…[&therapist=…][&mode=…].
func (s *Server) apiSlots(w http.ResponseWriter, r *http.Request) {
	q, errs := parseSlotQuery(r.URL.Query())
	if len(errs) > 0 {
		writeErrors(w, http.StatusBadRequest, errs)
		return
	}
	slots, err := s.findSlots(r.Context(), q)
	if s.apiFailed(w, r, err) {
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	buf.Write(appendSlots(buf.AvailableBuffer(), slots))
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

// appendSlots appends {"slots":[…]} as encoding/json would write it, by
// hand: a search answers hundreds of slots, and reflection over their
// times was most of the cost of an answer.
func appendSlots(b []byte, slots []booking.Slot) []byte {
	b = append(b, `{"slots":[`...)
	for i, sl := range slots {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"start":"`...)
		b = sl.Start.AppendFormat(b, time.RFC3339)
		b = append(b, `","end":"`...)
		b = sl.End.AppendFormat(b, time.RFC3339)
		b = append(b, `","therapist":`...)
		b = strconv.AppendQuote(b, sl.Therapist)
		b = append(b, `,"location":`...)
		b = strconv.AppendQuote(b, sl.Location)
		b = append(b, '}')
	}
	return append(b, "]}\n"...)
}

// parseSlotQuery reads the query of GET /api/v1/slots; unknown or repeated
// parameters are errors, like unknown fields in a body. What the values
// must be besides their form is for findSlots to check.
func parseSlotQuery(v url.Values) (slotQuery, valid.Errors) {
	var (
		q    slotQuery
		errs valid.Errors
	)
	for name, values := range v {
		if len(values) > 1 {
			errs.Add(name, "is given more than once")
			continue
		}
		value := values[0]
		switch name {
		case "service":
			q.Service = value
		case "therapist":
			q.Therapist = value
		case "mode":
			q.Mode = clinic.Mode(value)
		case "from", "to":
			d, err := clinic.ParseDate(value)
			if err != nil {
				errs.Add(name, err.Error())
			} else if name == "from" {
				q.From = d
			} else {
				q.To = d
			}
		default:
			errs.Add(name, "is not a known parameter")
		}
	}
	return q, errs
}

// bookingAnswer is the answer to a new booking.
type bookingAnswer struct {
	Token   string       `json:"token"`
	URL     string       `json:"url"`
	Booking *bookingView `json:"booking"`
}

// apiBook is POST /api/v1/bookings: 201 with the new booking and its
// private link, or 200 with the booking an earlier request with the same
// Idempotency-Key made.
func (s *Server) apiBook(w http.ResponseWriter, r *http.Request) {
	req, ok := readJSON(w, r, parseBookRequest)
	if !ok {
		return
	}
	req.IdempotencyKey = r.Header.Get("Idempotency-Key")
	view, token, created, err := s.book(r.Context(), req)
	if s.apiFailed(w, r, err) {
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, bookingAnswer{Token: token, URL: s.baseURL + managePath(token), Booking: view})
}

// apiBooking is GET /api/v1/bookings/{token}.
func (s *Server) apiBooking(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	view, err := s.bookingByToken(r.Context(), r.PathValue("token"))
	if s.apiFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]*bookingView{"booking": view})
}

// apiReschedule is POST /api/v1/bookings/{token}/reschedule {"start"}.
func (s *Server) apiReschedule(w http.ResponseWriter, r *http.Request) {
	start, ok := readJSON(w, r, parseReschedule)
	if !ok {
		return
	}
	view, err := s.rescheduleBooking(r.Context(), r.PathValue("token"), start)
	if s.apiFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]*bookingView{"booking": view})
}

// apiCancel is POST /api/v1/bookings/{token}/cancel, with no body or {}.
func (s *Server) apiCancel(w http.ResponseWriter, r *http.Request) {
	if _, ok := readJSON(w, r, parseCancel); !ok {
		return
	}
	view, err := s.cancelBooking(r.Context(), r.PathValue("token"))
	if s.apiFailed(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]*bookingView{"booking": view})
}

// apiFailed answers for a booking call that returned err: the refusal's
// status and field errors, 404 for an unknown link, 500 otherwise. It
// reports whether err was an error.
func (s *Server) apiFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var refused *bookError
	switch {
	case err == nil:
		return false
	case errors.As(err, &refused):
		writeErrors(w, refused.Status, refused.Errors)
	case errors.Is(err, store.ErrNotFound):
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no booking has this link; check that it was copied whole"}})
	default:
		s.apiServerError(w, r, "body", "something went wrong on our side; please try again", err)
	}
	return true
}

// startFormat says what a start must look like.
const startFormat = "must be a time such as 2027-03-29T09:00:00+02:00 (RFC 3339)"

// parseBookRequest reads the body of POST /api/v1/bookings strictly:
// unknown or repeated fields and wrong types are errors, each naming its
// field. Which values are allowed is for book to check.
func parseBookRequest(data []byte) (bookRequest, error) {
	var req bookRequest
	raw, err := valid.Document("body", data)
	if err != nil {
		return req, err
	}
	var r valid.Reader
	r.Object("", raw, func(name, path string, v json.RawMessage) bool {
		str := func() string { return r.String(path, v, "must be a string") }
		switch name {
		case "service":
			req.Service = str()
		case "therapist":
			req.Therapist = str()
		case "start":
			req.Start = r.Time(path, v, startFormat)
		case "mode":
			req.Mode = clinic.Mode(str())
		case "name":
			req.Name = str()
		case "email":
			req.Email = str()
		case "phone":
			req.Phone = str()
		case "note":
			req.Note = str()
		case "plan_token":
			req.PlanToken = str()
		case "share_plan":
			req.SharePlan = r.Bool(path, v)
		case "cleared_by_doctor":
			req.ClearedByDoctor = r.Bool(path, v)
		default:
			return false
		}
		return true
	})
	if err := r.Errors.Err(); err != nil {
		return bookRequest{}, err
	}
	return req, nil
}

// parseReschedule reads {"start": …}.
func parseReschedule(data []byte) (time.Time, error) {
	raw, err := valid.Document("body", data)
	if err != nil {
		return time.Time{}, err
	}
	var (
		r     valid.Reader
		start time.Time
	)
	r.Object("", raw, func(name, path string, v json.RawMessage) bool {
		if name != "start" {
			return false
		}
		start = r.Time(path, v, startFormat)
		return true
	})
	return start, r.Errors.Err()
}

// parseCancel reads the body of a cancel: nothing, or an empty object.
func parseCancel(data []byte) (struct{}, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return struct{}{}, nil
	}
	raw, err := valid.Document("body", data)
	if err != nil {
		return struct{}{}, err
	}
	var r valid.Reader
	r.Object("", raw, func(string, string, json.RawMessage) bool { return false })
	return struct{}{}, r.Errors.Err()
}
