package web

import (
	"io/fs"
	"net/http"
	"strings"
)

// noListings answers requests under prefix that name a directory of fsys
// (the prefix itself included) with notFound, and passes the rest to next.
// http.FileServer lists a directory, or redirects to its listing, and the
// static files are served to be linked, not browsed.
func noListings(fsys fs.FS, prefix string, notFound http.HandlerFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.Trim(strings.TrimPrefix(r.URL.Path, prefix), "/")
		if name == "" {
			notFound(w, r)
			return
		}
		if info, err := fs.Stat(fsys, name); err == nil && info.IsDir() {
			notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
