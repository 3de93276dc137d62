package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"unknot/internal/care"
	"unknot/internal/valid"
)

// maxBody bounds JSON request bodies.
const maxBody = 64 << 10

// apiCreateAssessment is POST /api/v1/assessments: Answers in, the
// contract's Result out, with two more fields: token and url, the private
// link where the person can come back to it.
func (s *Server) apiCreateAssessment(w http.ResponseWriter, r *http.Request) {
	answers, ok := readJSON(w, r, care.Parse)
	if !ok {
		return
	}
	token, resultJSON, err := s.assess(r, answers)
	if err != nil {
		s.apiServerError(w, r, "body", "the assessment could not be saved; please try again", err)
		return
	}
	// The result was just encoded to be saved: answer with those bytes,
	// the two link fields put in front, rather than encode it again.
	link, _ := json.Marshal(struct {
		Token string `json:"token"`
		URL   string `json:"url"`
	}{token, s.absoluteURL("/plan/" + token)})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	w.Write(link[:len(link)-1])
	w.Write([]byte{','})
	w.Write(resultJSON[1:])
}

// readJSON reads a request body of at most maxBody bytes and parses it with
// parse. On bad input it answers with the API's error shape, naming each
// field, and reports false. A body over the limit is 413; one that ends
// before its Content-Length or whose reading fails is 400, said as such:
// the client should send it again, not make it smaller.
func readJSON[T any](w http.ResponseWriter, r *http.Request, parse func([]byte) (T, error)) (T, bool) {
	var zero T
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeErrors(w, http.StatusRequestEntityTooLarge, valid.Errors{{Field: "body", Message: "must be at most 64 KiB"}})
		return zero, false
	case err != nil:
		writeErrors(w, http.StatusBadRequest, valid.Errors{{Field: "body", Message: "was cut short or could not be read; please send it again"}})
		return zero, false
	}
	v, err := parse(body)
	if err != nil {
		var errs valid.Errors
		if !errors.As(err, &errs) {
			errs = valid.Errors{{Field: "body", Message: err.Error()}}
		}
		writeErrors(w, http.StatusBadRequest, errs)
		return zero, false
	}
	return v, true
}

// absoluteURL makes path absolute with the configured base URL: never
// with the request's Host, which a visitor controls.
func (s *Server) absoluteURL(path string) string {
	return s.baseURL + path
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeErrors answers with the API's error shape: {"errors":[{field,message}]},
// at most valid.MaxShown problems and a line saying how many more.
func writeErrors(w http.ResponseWriter, status int, errs valid.Errors) {
	writeJSON(w, status, map[string]valid.Errors{"errors": errs.Capped()})
}
