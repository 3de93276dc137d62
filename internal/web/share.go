package web

import (
	"net/http"
	"time"

	"unknot/internal/secret"
)

// withdrawShare ends the plan's share with the clinic at once and goes back
// to the plan page, which then says that nothing is shared. Withdrawing
// what is not shared changes nothing; an unknown plan is a 404.
func (s *Server) withdrawShare(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if _, err := s.store.WithdrawShare(r.Context(), secret.Hash(token), time.Now()); s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, "/plan/"+token+"#sharing", http.StatusSeeOther)
}
