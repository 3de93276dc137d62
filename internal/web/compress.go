package web

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Compression of responses (compress): bodies under minCompress bytes
// are sent as they are, since a compressed one would hardly be smaller and
// costs the CPU all the same; brotli at level 5 and gzip at its default
// level are where their speed and size meet for pages made per request
// (see docs/performance.md).
const (
	minCompress = 1024
	brotliLevel = 5
)

// compressibleTypes are the media types worth compressing: text. Images
// other than SVG, PDFs, fonts and archives are compressed already.
var compressibleTypes = map[string]bool{
	"application/atom+xml":      true,
	"application/javascript":    true,
	"application/json":          true,
	"application/manifest+json": true,
	"application/xml":           true,
	"image/svg+xml":             true,
	"text/calendar":             true,
	"text/css":                  true,
	"text/csv":                  true,
	"text/html":                 true,
	"text/javascript":           true,
	"text/plain":                true,
	"text/xml":                  true,
}

var (
	gzipWriters   = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}
	brotliWriters = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, brotliLevel) }}
)

// compress answers with brotli or gzip, whichever the request's
// Accept-Encoding prefers (brotli on a tie), when the response is text of
// minCompress bytes or more. HEAD requests, ranges, 204, 206 and 304
// answers and bodies a handler encoded itself pass as they are. Every
// answer says Vary: Accept-Encoding, so that caches keep the versions
// apart. A handler that flushes gets what it wrote so far sent at once.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		coding := negotiate(r.Header.Get("Accept-Encoding"))
		if coding == "" || r.Method == http.MethodHead || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, coding: coding}
		defer func() {
			if v := recover(); v != nil {
				// Nothing buffered is sent, so that recover can still
				// answer 500 when nothing went out yet.
				cw.release()
				panic(v)
			}
			cw.finish()
		}()
		next.ServeHTTP(cw, r)
	})
}

// negotiate picks "br", "gzip" or "" (no coding) by the q-values of an
// Accept-Encoding header (RFC 9110, section 12.5.3): the coding with the
// highest q above 0, "*" standing for any not named, brotli on a tie.
func negotiate(header string) string {
	q := map[string]float64{}
	star := -1.0
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		weight := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0 // a q-value that cannot be read does not accept
				}
				weight = f
			}
		}
		switch name {
		case "*":
			star = weight
		case "x-gzip":
			q["gzip"] = max(q["gzip"], weight)
		default:
			q[name] = max(q[name], weight)
		}
	}
	best, bestQ := "", 0.0
	for _, c := range []string{"br", "gzip"} {
		w, named := q[c]
		if !named {
			w = max(star, 0)
		}
		if w > bestQ {
			best, bestQ = c, w
		}
	}
	return best
}

// compressWriter holds back the start of a body until it knows whether
// to compress it: minCompress bytes, a flush, or the handler's end.
type compressWriter struct {
	http.ResponseWriter
	coding  string
	status  int            // held back with the body; 0 until set
	buf     []byte         // the body held back while undecided
	decided bool           // the header has gone out
	enc     io.WriteCloser // nil when the body goes out as it is
}

func (w *compressWriter) WriteHeader(code int) {
	switch {
	case w.decided, code < 200: // superfluous (net/http says so), or informational
		w.ResponseWriter.WriteHeader(code)
	case w.status == 0: // a second call is ignored, as net/http does
		w.status = code
	}
}

func (w *compressWriter) Write(p []byte) (int, error) {
	if !w.decided {
		if len(w.buf)+len(p) < minCompress {
			w.buf = append(w.buf, p...)
			return len(p), nil
		}
		w.buf = append(w.buf, p...)
		if err := w.decide(true); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if w.enc != nil {
		return w.enc.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

// Flush sends what was written so far. A body flushed before it reached
// minCompress is compressed all the same when its type allows: one
// streamed in parts is rarely small.
func (w *compressWriter) Flush() {
	if !w.decided {
		w.decide(true)
	}
	if f, ok := w.enc.(interface{ Flush() error }); ok {
		f.Flush()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// decide sends the header, choosing to compress when big says the body
// is large enough and the answer allows it, then what was held back.
func (w *compressWriter) decide(big bool) error {
	w.decided = true
	h := w.Header()
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if h.Get("Content-Type") == "" && len(w.buf) > 0 && h.Get("Content-Encoding") == "" {
		h.Set("Content-Type", http.DetectContentType(w.buf)) // as net/http would
	}
	if big && w.compressible() {
		h.Del("Content-Length")
		h.Set("Content-Encoding", w.coding)
		if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag) // the bytes differ from the identity's
		}
		if w.coding == "br" {
			bw := brotliWriters.Get().(*brotli.Writer)
			bw.Reset(w.ResponseWriter)
			w.enc = bw
		} else {
			gw := gzipWriters.Get().(*gzip.Writer)
			gw.Reset(w.ResponseWriter)
			w.enc = gw
		}
	}
	w.ResponseWriter.WriteHeader(w.status)
	buf := w.buf
	w.buf = nil
	if len(buf) == 0 {
		return nil
	}
	var err error
	if w.enc != nil {
		_, err = w.enc.Write(buf)
	} else {
		_, err = w.ResponseWriter.Write(buf)
	}
	return err
}

// compressible reports whether the answer may be compressed: a full answer
// with a body, of a text type, not encoded by its handler.
func (w *compressWriter) compressible() bool {
	switch w.status {
	case http.StatusNoContent, http.StatusPartialContent, http.StatusNotModified:
		return false
	}
	h := w.Header()
	if h.Get("Content-Encoding") != "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	return err == nil && compressibleTypes[mt]
}

// finish ends the answer once the handler has returned: what was held
// back goes out, and the encoder is closed and returned to its pool.
func (w *compressWriter) finish() {
	if !w.decided {
		if w.status == 0 && len(w.buf) == 0 {
			return // nothing written: net/http sends its own 200
		}
		w.decide(false)
	}
	if w.enc != nil {
		w.enc.Close()
	}
	w.release()
}

// release returns the encoder to its pool and drops what was held back.
func (w *compressWriter) release() {
	switch enc := w.enc.(type) {
	case *brotli.Writer:
		enc.Reset(nil)
		brotliWriters.Put(enc)
	case *gzip.Writer:
		enc.Reset(nil)
		gzipWriters.Put(enc)
	}
	w.enc, w.buf = nil, nil
}
