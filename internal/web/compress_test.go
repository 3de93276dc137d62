package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestNegotiateEncoding(t *testing.T) {
	for _, c := range []struct{ header, want string }{
		{"", ""},
		{"identity", ""},
		{"gzip", "gzip"},
		{"GZip", "gzip"},
		{"x-gzip", "gzip"},
		{"br", "br"},
		{"gzip, deflate, br", "br"},
		{"gzip;q=1, br;q=0.5", "gzip"},
		{"gzip; q=0.8, br;q=0.9", "br"},
		{"br;q=0", ""},
		{"br;q=0, gzip", "gzip"},
		{"*", "br"},
		{"*;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0, *;q=0.1", "gzip"},
		{"gzip;q=0, br;q=0, *", ""},
		{"*;q=0", ""},
		{"gzip;q=lots", ""},
		{"gzip;q=2", ""},
		{"deflate, compress", ""},
	} {
		if got := negotiate(c.header); got != c.want {
			t.Errorf("negotiate(%q) = %q, want %q", c.header, got, c.want)
		}
	}
}

// decode undoes the response's Content-Encoding.
func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decoding %s: %v", coding, err)
	}
	return out
}

func serveCompressed(h http.HandlerFunc, method, acceptEncoding string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/x", nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	compress(h).ServeHTTP(rec, req)
	return rec
}

func TestCompressBodiesDecodeToTheOriginal(t *testing.T) {
	page := []byte("<!doctype html><p>" + strings.Repeat("Roll your shoulders back and down. ", 200))
	for _, c := range []struct {
		accept, want string
		chunk        int // the handler writes in pieces of this size
	}{
		{"br, gzip", "br", len(page)},
		{"gzip", "gzip", 7},
		{"br;q=0.1, gzip", "gzip", 1000},
		{"br", "br", 1},
		{"", "", len(page)},
	} {
		rec := serveCompressed(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", "7035") // wrong once compressed
			for p := page; len(p) > 0; p = p[min(c.chunk, len(p)):] {
				w.Write(p[:min(c.chunk, len(p))])
			}
		}, http.MethodGet, c.accept)
		res := rec.Result()
		if got := res.Header.Get("Content-Encoding"); got != c.want {
			t.Errorf("Accept-Encoding %q: coding %q, want %q", c.accept, got, c.want)
		}
		if got := res.Header.Values("Vary"); len(got) != 1 || got[0] != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, got)
		}
		if c.want != "" && (res.Header.Get("Content-Length") != "" || rec.Body.Len() >= len(page)/4) {
			t.Errorf("%s: Content-Length %q, %d bytes of %d", c.want, res.Header.Get("Content-Length"), rec.Body.Len(), len(page))
		}
		if got := decode(t, c.want, rec.Body.Bytes()); !bytes.Equal(got, page) {
			t.Errorf("Accept-Encoding %q: body decodes to %d bytes, not the page", c.accept, len(got))
		}
	}
}

func TestCompressLeavesAlone(t *testing.T) {
	big := bytes.Repeat([]byte("a"), 4096)
	for _, c := range []struct {
		name   string
		method string
		h      http.HandlerFunc
		status int
	}{
		{"a small body", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write(big[:minCompress-1])
		}, http.StatusOK},
		{"an image", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(big)
		}, http.StatusOK},
		{"a PDF", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(big)
		}, http.StatusOK},
		{"a body its handler encoded", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(big)
		}, http.StatusOK},
		{"HEAD", http.MethodHead, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", "4096")
		}, http.StatusOK},
		{"204", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, http.StatusNoContent},
		{"304", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/css")
			w.WriteHeader(http.StatusNotModified)
		}, http.StatusNotModified},
		{"nothing written", http.MethodGet, func(w http.ResponseWriter, r *http.Request) {}, http.StatusOK},
	} {
		rec := serveCompressed(c.h, c.method, "br, gzip")
		res := rec.Result()
		if res.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
		}
		if got := res.Header.Get("Content-Encoding"); got != "" && c.name != "a body its handler encoded" {
			t.Errorf("%s: compressed with %s", c.name, got)
		}
		if c.name == "a body its handler encoded" && res.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: Content-Encoding %q", c.name, res.Header.Get("Content-Encoding"))
		}
		if c.method == http.MethodGet && c.status == http.StatusOK && c.name != "nothing written" && rec.Body.Len() < minCompress-1 {
			t.Errorf("%s: %d bytes sent", c.name, rec.Body.Len())
		}
	}
}

// TestCompressFlushes streams: the client must read what the handler
// flushed before the handler goes on, with both codings.
func TestCompressFlushes(t *testing.T) {
	for _, coding := range []string{"br", "gzip"} {
		read := make(chan struct{})
		ts := httptest.NewServer(compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "first line\n")
			http.NewResponseController(w).Flush()
			<-read // the client has the first line
			io.WriteString(w, "second line\n")
		})))
		req, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
		req.Header.Set("Accept-Encoding", coding)
		res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Header.Get("Content-Encoding") != coding {
			t.Fatalf("%s: Content-Encoding %q", coding, res.Header.Get("Content-Encoding"))
		}
		var body io.Reader = res.Body
		if coding == "br" {
			body = brotli.NewReader(body)
		} else if body, err = gzip.NewReader(body); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewReader(body)
		first, err := lines.ReadString('\n')
		if err != nil || first != "first line\n" {
			t.Fatalf("%s: first line %q, %v", coding, first, err)
		}
		close(read)
		rest, err := io.ReadAll(lines)
		if err != nil || string(rest) != "second line\n" {
			t.Errorf("%s: rest %q, %v", coding, rest, err)
		}
		res.Body.Close()
		ts.Close()
	}
}

// TestCompressHoldsBackOnPanic: a handler that panics before its body
// reaches minCompress has sent nothing, so recover can still answer 500.
func TestCompressHoldsBackOnPanic(t *testing.T) {
	rec := httptest.NewRecorder()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<p>half a page"))
			panic("boom")
		})).ServeHTTP(rec, req)
	}()
	if rec.Body.Len() != 0 || rec.Flushed {
		t.Errorf("sent %q before the panic", rec.Body.String())
	}
}

// TestServerCompressesPages asks the whole server for its home page with
// brotli.
func TestServerCompressesPages(t *testing.T) {
	ts := newTestServer(t, Config{})
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/", nil)
	req.Header.Set("Accept-Encoding", "br")
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.Header.Get("Content-Encoding") != "br" || !strings.Contains(string(decode(t, "br", raw)), "</html>") {
		t.Errorf("home page: Content-Encoding %q, %d bytes", res.Header.Get("Content-Encoding"), len(raw))
	}
}
