package web

import (
	"errors"
	"net/http"

	"unknot/internal/clinic"
	"unknot/internal/store"
	"unknot/internal/subscribe"
)

// aboutPage is the data of about.html and privacy.html: the clinic's
// details as its admin set them.
type aboutPage struct {
	Clinic    clinic.Clinic
	Locations []clinic.Location
	// DraftHours is how long an unfinished self-check is kept, and
	// ConfirmDays how long an unconfirmed sign-up.
	DraftHours, ConfirmDays int
}

func (s *Server) aboutData(r *http.Request) (aboutPage, error) {
	f, err := s.store.ExportClinic(r.Context())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return aboutPage{}, err
	}
	return aboutPage{
		Clinic:      f.Clinic,
		Locations:   f.Locations,
		DraftHours:  int(draftLife.Hours()),
		ConfirmDays: int(subscribe.ConfirmWithin.Hours() / 24),
	}, nil
}

func (s *Server) about(w http.ResponseWriter, r *http.Request) {
	page, err := s.aboutData(r)
	if s.failed(w, r, err) {
		return
	}
	s.render(w, r, http.StatusOK, "about.html", page)
}

func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	page, err := s.aboutData(r)
	if s.failed(w, r, err) {
		return
	}
	s.render(w, r, http.StatusOK, "privacy.html", page)
}
