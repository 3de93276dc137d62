package web

import (
	"net/http"
)

// serviceWorker serves static/sw.js at /plan/sw.js, so that its scope, the
// folder it is served from, covers every plan's routine page. Unlike the
// other static files it must not be cached for a day: browsers check a
// service worker for updates, and a cached one would keep an old worker
// running after a new binary is deployed.
func (s *Server) serviceWorker(w http.ResponseWriter, r *http.Request) {
	js, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(js)
}
