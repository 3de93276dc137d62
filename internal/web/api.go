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

// apiAssessment is the API's answer: the contract's Result plus the private
// link where the person can come back to it.
type apiAssessment struct {
	care.Result
	Token string `json:"token"`
	URL   string `json:"url"`
}

// apiCreateAssessment is POST /api/v1/assessments: Answers in, Result out.
func (s *Server) apiCreateAssessment(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeErrors(w, http.StatusRequestEntityTooLarge, valid.Errors{{Field: "body", Message: "must be at most 64 KiB"}})
		return
	}
	answers, err := care.Parse(body)
	var errs valid.Errors
	if errors.As(err, &errs) {
		writeErrors(w, http.StatusBadRequest, errs)
		return
	}
	if err != nil {
		writeErrors(w, http.StatusBadRequest, valid.Errors{{Field: "body", Message: err.Error()}})
		return
	}
	token, result, err := s.assess(r, answers)
	if err != nil {
		s.log.Error("saving assessment", "err", err)
		writeErrors(w, http.StatusInternalServerError, valid.Errors{{Field: "body", Message: "the assessment could not be saved; please try again"}})
		return
	}
	writeJSON(w, http.StatusCreated, apiAssessment{Result: result, Token: token, URL: s.absoluteURL(r, "/plan/"+token)})
}

// absoluteURL makes path absolute with the configured base URL, or with the
// request's host when none is configured.
func (s *Server) absoluteURL(r *http.Request, path string) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL + path
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeErrors answers with the API's error shape: {"errors":[{field,message}]}.
func writeErrors(w http.ResponseWriter, status int, errs valid.Errors) {
	writeJSON(w, status, map[string]valid.Errors{"errors": errs})
}
