package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Cache lifetimes of the static files: a year for an address that names
// its content (it never changes), an hour for a plain name, which a new
// binary may change under it.
const (
	cacheFingerprinted = "public, max-age=31536000, immutable"
	cachePlain         = "public, max-age=3600"
)

// keepPlainAddress are the static files that pages link by their plain
// name: the web app manifest, by whose address a phone knows the app
// added to its home screen.
var keepPlainAddress = map[string]bool{"manifest.webmanifest": true}

// assetSet are the static files with their fingerprinted names, such as
// app.3f2a1c9e.css for app.css: the first 8 hex digits of the SHA-256 of
// the content, before the extension. Pages link the fingerprinted name
// (the template function asset), which browsers may keep for a year; a
// new binary with other content links another name.
type assetSet struct {
	url   map[string]string // by plain name: the address pages link
	plain map[string]string // by fingerprinted name: the plain name
	etag  map[string]string // by plain name
	serve http.Handler
}

// staticAssets are the embedded static files, fingerprinted once at start.
var staticAssets = func() *assetSet {
	static, err := fs.Sub(staticFS, "static")
	if err == nil {
		var a *assetSet
		if a, err = fingerprint(static); err == nil {
			return a
		}
	}
	panic(fmt.Sprintf("web: fingerprinting the embedded static files: %v", err)) // they are part of the binary
}()

// fingerprint names each file of fsys (a flat folder) by its content.
func fingerprint(fsys fs.FS) (*assetSet, error) {
	a := &assetSet{url: map[string]string{}, plain: map[string]string{}, etag: map[string]string{}, serve: http.FileServerFS(fsys)}
	files, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		name := f.Name()
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:4])
		a.etag[name] = `"` + hex.EncodeToString(sum[:16]) + `"`
		if keepPlainAddress[name] {
			a.url[name] = "/static/" + name
			continue
		}
		ext := path.Ext(name)
		printed := strings.TrimSuffix(name, ext) + "." + hash + ext
		a.url[name] = "/static/" + printed
		a.plain[printed] = name
	}
	return a, nil
}

// URL is the address pages link for the static file name; an unknown
// name is an error, so that a page never links a file that is not there.
func (a *assetSet) URL(name string) (string, error) {
	if u, ok := a.url[name]; ok {
		return u, nil
	}
	return "", fmt.Errorf("web: no static file %q", name)
}

// ServeHTTP serves /static/{name}: a fingerprinted name cached for a year,
// a plain name (which old pages and caches may still ask for) for an
// hour, each with an ETag for revalidation.
func (a *assetSet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/static/")
	cache := cachePlain
	if plain, ok := a.plain[name]; ok {
		name, cache = plain, cacheFingerprinted
	}
	etag, ok := a.etag[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("ETag", etag)
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + name
	r2.URL.RawPath = ""
	a.serve.ServeHTTP(w, r2)
}
