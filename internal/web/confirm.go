package web

import (
	"net/http"

	"unknot/internal/comments"
	"unknot/internal/store"
)

// Destructive actions ask once: the button on the page opens a
// confirmation page (a GET, which changes nothing), whose one button posts.
// No JavaScript is needed. The plan's and a booking's delete pages work the
// same way (diary.go, booking_pages.go).

// confirmRoutes serves the confirmation pages of deleting a subscriber's
// data and of a staff member deleting a comment.
func (s *Server) confirmRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /s/{token}/delete", s.subscriberDeleteForm)
	mux.Handle("GET /staff/comments/{id}/delete", s.withSession(s.requireStaff(s.commentDeleteForm)))
}

// subscriberDeleteForm asks a subscriber whether to delete everything.
func (s *Server) subscriberDeleteForm(w http.ResponseWriter, r *http.Request) {
	h := &signups{Server: s}
	token, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "subscribe_delete.html", subscriberPage{Token: token, Subscriber: sub})
}

// commentDeletePage is the data of comment_delete.html.
type commentDeletePage struct {
	User    *store.User
	Comment *comments.Comment
}

// commentDeleteForm asks a staff member whether to delete a comment, and
// shows it, so that the right one goes.
func (s *Server) commentDeleteForm(w http.ResponseWriter, r *http.Request, u *store.User) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	c, err := s.store.CommentByID(r.Context(), id)
	if s.failed(w, r, err) {
		return
	}
	s.render(w, r, http.StatusOK, "comment_delete.html", commentDeletePage{User: u, Comment: c})
}
