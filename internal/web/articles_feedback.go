package web

import (
	"net/http"

	"unknot/internal/comments"
)

// postFeedback records a "was this helpful?" answer. The form works
// without JavaScript (the article is shown again with thanks); the page's
// script asks for JSON instead and shows the thanks in place.
func (s *Server) postFeedback(w http.ResponseWriter, r *http.Request) {
	a, ok := s.content.articles.Get(r.PathValue("slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	asJSON := r.Header.Get("Accept") == "application/json"
	helpful, note := r.PostForm.Get("helpful"), r.PostForm.Get("note")
	f, errs := comments.ParseFeedback(helpful, note)
	if len(errs) > 0 {
		if asJSON {
			writeErrors(w, http.StatusBadRequest, errs)
			return
		}
		s.renderArticle(w, r, http.StatusBadRequest, a, articlePage{Feedback: feedbackForm{Helpful: helpful, Note: note, Errors: errs}})
		return
	}
	if err := s.store.AddFeedback(r.Context(), a.Slug, f); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.rememberFeedback(w, r, a.Path(), f.Helpful)
	if asJSON {
		writeJSON(w, http.StatusOK, map[string]bool{"thanks": true})
		return
	}
	http.Redirect(w, r, a.Path()+"?helpful=thanks#helpful", http.StatusSeeOther)
}

// helpfulCookie remembers this browser's answer to "was this helpful?" for
// one article (the cookie's path), so the box shows the answer, not the
// question, when the person comes back. It holds only "yes" or "no".
const helpfulCookie = "helpful"

// rememberFeedback sets the helpful cookie for the article at path.
func (s *Server) rememberFeedback(w http.ResponseWriter, r *http.Request, path string, helpful bool) {
	v := "no"
	if helpful {
		v = "yes"
	}
	http.SetCookie(w, &http.Cookie{
		Name:     helpfulCookie,
		Value:    v,
		Path:     path,
		MaxAge:   365 * 24 * 60 * 60,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
		Secure:   s.secure(r),
	})
}

// rememberedFeedback is the answer this browser gave for the article at
// the request's path: "yes", "no" or "".
func rememberedFeedback(r *http.Request) string {
	c, err := r.Cookie(helpfulCookie)
	if err != nil || (c.Value != "yes" && c.Value != "no") {
		return ""
	}
	return c.Value
}
