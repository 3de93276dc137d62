package web

import (
	"net/http"
	"strings"

	"unknot/internal/comments"
	"unknot/internal/store"
	"unknot/internal/subscribe"
)

// Destructive actions ask once: the button on the page opens a
// confirmation page (a GET, which changes nothing), whose one button posts.
// No JavaScript is needed. The plan's and a booking's delete pages work the
// same way (diary.go, booking_pages.go).

// deleteForm asks a subscriber whether to delete everything.
func (h *signups) deleteForm(w http.ResponseWriter, r *http.Request) {
	token, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "subscribe_delete.html", subscriberPage{Token: token, Subscriber: sub})
}

// commentDeletePage is the data of comment_delete.html.
type commentDeletePage struct {
	User    *store.User
	Comment *comments.Comment
}

// commentDeleteForm asks a staff member whether to delete a comment, and
// shows it, so that the right one goes.
func (s *Server) commentDeleteForm(w http.ResponseWriter, r *http.Request, u *store.User) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	c, err := s.store.CommentByID(r.Context(), id)
	if s.failed(w, r, err) {
		return
	}
	s.render(w, r, http.StatusOK, "comment_delete.html", commentDeletePage{User: u, Comment: c})
}

// confirmPage is the data of subscribe_confirm.html.
type confirmPage struct {
	Token      string
	Subscriber *store.Subscriber
	// Auto lets the page's script send the form as soon as a person sees
	// the page; off for prefetches.
	Auto bool
}

// confirmForm is the link in the confirmation mail. Opening it changes
// nothing, because not only people open links: mail scanners, link
// previews and browsers fetch them first (HEAD, GET, prefetch). The page
// confirms through a POST from itself, which is only sent by a browser
// showing it: its script sends the form at once, so the person does not
// click twice, and without JavaScript the form's button does it. A
// pending subscriber gets that page; any other sees where they stand.
func (h *signups) confirmForm(w http.ResponseWriter, r *http.Request) {
	token, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	if sub.State != subscribe.Pending {
		h.render(w, r, http.StatusOK, "subscribe_done.html", subscriberPage{Token: token, Subscriber: sub})
		return
	}
	h.render(w, r, http.StatusOK, "subscribe_confirm.html", confirmPage{Token: token, Subscriber: sub, Auto: !prefetch(r)})
}

// prefetch tells whether r is a browser's prefetch, prerender or preview
// of a link rather than someone opening it, by the headers browsers send
// with one: Sec-Purpose ("prefetch", "prefetch;prerender"), the older
// Purpose and X-Moz ("prefetch"), and Safari's X-Purpose ("preview").
func prefetch(r *http.Request) bool {
	for _, name := range []string{"Sec-Purpose", "Purpose", "X-Moz", "X-Purpose"} {
		if v := strings.ToLower(r.Header.Get(name)); strings.Contains(v, "prefetch") || strings.Contains(v, "preview") {
			return true
		}
	}
	return false
}
