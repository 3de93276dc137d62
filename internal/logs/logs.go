// Package logs shapes every log line unknot writes: it stamps the line with
// the id of the request it was written for, and it replaces every private
// link's token with "…", whichever attribute carries it (a path, an error's
// text, a message from net/http), so that a copy of the logs opens nobody's
// plan, booking or subscription.
package logs

import (
	"context"
	"fmt"
	"log/slog"
)

// Redacted is what a token is replaced with.
const Redacted = "…"

// minSecretRun is the shortest run of URL-safe base64 characters that is
// taken for a secret. Private-link tokens (secret.NewToken) and staff
// session tokens (scs) are 43 such characters; a run of 32 or more also
// catches a token cut short by a bad copy, while words, numbers, request
// ids (16 characters) and route patterns stay readable.
const minSecretRun = 32

// Redact returns s with every run of at least minSecretRun URL-safe base64
// characters (A–Z, a–z, 0–9, "-", "_") replaced by Redacted.
func Redact(s string) string {
	start, run := -1, 0
	var out []byte // nil until the first secret is found: most lines have none
	last := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isTokenByte(s[i]) {
			if run == 0 {
				start = i
			}
			run++
			continue
		}
		if run >= minSecretRun {
			out = append(out, s[last:start]...)
			out = append(out, Redacted...)
			last = i
		}
		run = 0
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

func isTokenByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id that Handler adds to
// every line logged with it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id ctx carries, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Handler wraps another slog.Handler: each record logged with a context
// that carries a request id gets a request_id attribute, and tokens are
// redacted from its message and from every attribute, errors and other
// values included.
type Handler struct {
	next slog.Handler
}

// NewHandler returns a Handler that writes to next.
func NewHandler(next slog.Handler) *Handler {
	return &Handler{next: next}
}

// Enabled reports whether next logs at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle writes r to next, redacted and stamped with the request id.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	if id := RequestID(ctx); id != "" {
		out.AddAttrs(slog.String("request_id", id))
	}
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs returns a Handler whose next handler carries attrs, redacted.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = redactAttr(a)
	}
	return &Handler{next: h.next.WithAttrs(clean)}
}

// WithGroup returns a Handler whose next handler opens group name.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name)}
}

// redactAttr returns a with tokens redacted from its value. Values that
// are neither strings nor groups are formatted as the text handler would
// and kept as they are unless that text holds a token.
func redactAttr(a slog.Attr) slog.Attr {
	a.Key = Redact(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(Redact(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = redactAttr(g)
		}
		a.Value = slog.GroupValue(clean...)
	case slog.KindAny:
		var text string
		if err, ok := v.Any().(error); ok {
			text = err.Error()
		} else {
			text = fmt.Sprintf("%+v", v.Any())
		}
		if clean := Redact(text); clean != text {
			a.Value = slog.StringValue(clean)
		} else {
			a.Value = v
		}
	default:
		a.Value = v
	}
	return a
}
