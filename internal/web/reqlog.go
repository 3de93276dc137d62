package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"unknot/internal/logs"
	"unknot/internal/valid"
)

// DefaultDBTimeout is how long a request's database work may take when
// Config.DBTimeout is not set: well above what any page needs on a healthy
// database (a few milliseconds), well below the minute a person or a
// proxy waits before giving up.
const DefaultDBTimeout = 5 * time.Second

// retryAfter is the Retry-After, in seconds, of a 503 for a database that
// did not answer: long enough for a restarted database to come back.
const retryAfter = "5"

// statusClientClosed is the status logged for a request whose client went
// away before it was answered (nginx's convention); the client never sees it.
const statusClientClosed = 499

// requestInfo is what the server knows about a request beyond net/http's
// view of it.
type requestInfo struct {
	id string
	// client is the connection's own context, done when the client went
	// away; the request's context may outlive it (see begin).
	client context.Context
}

type requestInfoKey struct{}

// begin is the outermost middleware. It gives the request an id, sent back
// in X-Request-Id and added to every line logged with the request's
// context, and puts the request's database work under the deadline
// Config.DBTimeout. A write (any method but GET, HEAD and OPTIONS) runs
// under that deadline alone, not under the client's connection: a client
// that goes away does not cut a save short, which would leave it unknown
// whether it was written; it completes and is logged as completed.
func (s *Server) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:]) // never fails since Go 1.24
		info := &requestInfo{id: hex.EncodeToString(b[:]), client: r.Context()}
		w.Header().Set("X-Request-Id", info.id)

		ctx := r.Context()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			ctx = context.WithoutCancel(ctx)
		}
		ctx, cancel := context.WithTimeout(ctx, s.cfg.DBTimeout)
		defer cancel()
		ctx = logs.WithRequestID(context.WithValue(ctx, requestInfoKey{}, info), info.id)
		serveWithContext(next, w, r, ctx)
	})
}

// serveWithContext serves r with ctx instead of its own, and copies back
// the route pattern the mux found, so that middleware outside this
// server's handler (the metrics) can label the request by its route.
func serveWithContext(next http.Handler, w http.ResponseWriter, r *http.Request, ctx context.Context) {
	r2 := r.WithContext(ctx)
	next.ServeHTTP(w, r2)
	r.Pattern = r2.Pattern
}

// clientGone reports whether r's client went away before it was answered.
func clientGone(r *http.Request) bool {
	info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo)
	return ok && info.client.Err() != nil
}

// requestID is r's id, as sent in X-Request-Id.
func requestID(r *http.Request) string {
	return logs.RequestID(r.Context())
}

// failure is what went wrong when a request's work returned an error.
type failure int

const (
	// failBroken is a fault on our side: a bug, or a database that
	// refused the query. 500, logged as an error.
	failBroken failure = iota
	// failUnreachable is a database that did not answer within the
	// deadline, or could not be reached at all. 503 with Retry-After.
	failUnreachable
	// failGone is a client that went away, which cut the work short.
	// Nobody reads the answer; the request log says so.
	failGone
)

// classify says what err, returned by r's work, means. A client that went
// away counts only when its leaving cut the work short (the error is the
// context's), so that a write that failed for another reason after its
// client left is still logged as an error.
func classify(r *http.Request, err error) failure {
	ctxErr := r.Context().Err()
	switch {
	case clientGone(r) && (errors.Is(err, context.Canceled) || errors.Is(ctxErr, context.Canceled)):
		return failGone
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctxErr, context.DeadlineExceeded):
		return failUnreachable
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return failUnreachable
	}
	return failBroken
}

// serverError answers a page request whose work failed with err: a page
// that says what happened and gives the request id to quote, 503 when the
// database could not be reached in time and 500 otherwise.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	switch s.failure(w, r, err) {
	case failGone:
	case failUnreachable:
		s.errorPage(w, r, http.StatusServiceUnavailable, errorPage{
			Title:     "Please try again in a moment",
			Message:   "We could not reach our database — please try again in a moment.",
			Reference: requestID(r),
		})
	default:
		s.errorPage(w, r, http.StatusInternalServerError, errorPage{
			Title:     "Something went wrong",
			Message:   "Something went wrong on our side. Please try again in a moment.",
			Reference: requestID(r),
		})
	}
}

// apiServerError is serverError for the API: the answer is the API's
// error shape, with message under field for a 500; the request id is in
// the X-Request-Id header.
func (s *Server) apiServerError(w http.ResponseWriter, r *http.Request, field, message string, err error) {
	switch s.failure(w, r, err) {
	case failGone:
	case failUnreachable:
		writeErrors(w, http.StatusServiceUnavailable, valid.Errors{{Field: field, Message: "we could not reach our database; please try again in a moment"}})
	default:
		writeErrors(w, http.StatusInternalServerError, valid.Errors{{Field: field, Message: message}})
	}
}

// failure sorts err (classify), logs it at the level its kind deserves and
// starts the answer where every kind starts alike: for a client that went
// away the status is all there is, and an unreachable database asks to
// come back (Retry-After). The caller writes the rest of the answer.
func (s *Server) failure(w http.ResponseWriter, r *http.Request, err error) failure {
	kind := classify(r, err)
	switch kind {
	case failGone:
		s.log.DebugContext(r.Context(), "client went away", "err", err)
		w.WriteHeader(statusClientClosed)
	case failUnreachable:
		s.log.WarnContext(r.Context(), "database did not answer", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", retryAfter)
	default:
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return kind
}

// errorPage renders the error page with status, or plain text if even that
// fails: it is what serverError falls back on, so it must not call it.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, page errorPage) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := s.pages["error.html"].Execute(buf, page); err != nil {
		s.log.ErrorContext(r.Context(), "rendering the error page", "err", err)
		text := page.Message
		if page.Reference != "" {
			text += " If this keeps happening, quote this reference: " + page.Reference
		}
		http.Error(w, text, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// healthz answers 200 "ok" when the database answers within the request's
// deadline, and 503 saying why when it does not.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err := s.store.Ping(r.Context())
	if err == nil {
		fmt.Fprintln(w, "ok")
		return
	}
	var why string
	switch classify(r, err) {
	case failGone:
		w.WriteHeader(statusClientClosed)
		return
	case failUnreachable:
		why = "database: unreachable"
		if errors.Is(r.Context().Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
			why = "database: timeout after " + s.cfg.DBTimeout.String()
		}
	default:
		why = "database: error (reference " + requestID(r) + ")"
	}
	s.log.WarnContext(r.Context(), "health check failed", "err", err)
	w.Header().Set("Retry-After", retryAfter)
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintln(w, why)
}
