package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
	"rsc.io/qr"

	"unknot/internal/mail"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// Keeping the plan: "Email me this link" sends the private link once to an
// address the person types, and the link is drawn as a QR code for moving
// to a phone. The address is not added to any list and not kept: the
// outbox holds it until the mail is sent and then forgets it (store's
// forgetRecipient), and it is never logged. Health answers never go into a
// URL: the token is the plan link already.

func init() {
	// The web app manifest (static/manifest.webmanifest), for "add to home
	// screen", has a type of its own that Go's table does not know.
	mime.AddExtensionType(".webmanifest", "application/manifest+json")
}

// Outbox queues mail for the outbox worker.
type Outbox interface {
	EnqueueMail(ctx context.Context, m *mail.Message) error
}

// saveLinks handles "Email me this link" and the plan link's QR code.
type saveLinks struct {
	*Server
	outbox    Outbox
	byIP      *limit // mails per client address
	byAddress *limit // mails per recipient, keyed by a keyed hash of the address
	byPlan    *limit // mails per plan
	key       []byte // the key of that hash, derived from the secret key
}

// saveLinkPage is the data of savelink.html.
type saveLinkPage struct {
	Token  string
	Email  string
	Errors valid.Errors
	Sent   bool
}

func (h *saveLinks) form(w http.ResponseWriter, r *http.Request) {
	h.withPlan(w, r, func(p *planDiary) {
		h.render(w, r, http.StatusOK, "savelink.html", saveLinkPage{Token: p.Token})
	})
}

// send mails the plan's link to the address in the form. Whether the
// address was new or limited, the person sees the same answer, so the form
// tells nobody anything about an address.
func (h *saveLinks) send(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	h.withPlan(w, r, func(p *planDiary) {
		typed := r.PostForm.Get("email")
		addr, errs, err := h.mailLink(r, p.Token, typed)
		switch {
		case errors.Is(err, errTooManyLinks):
			w.Header().Set("Retry-After", "600")
			http.Error(w, "Many links have been sent from your network. Please try again in a few minutes, or bookmark the page.", http.StatusTooManyRequests)
		case err != nil:
			h.serverError(w, r, err)
		case len(errs) > 0:
			h.render(w, r, http.StatusBadRequest, "savelink.html", saveLinkPage{Token: p.Token, Email: typed, Errors: errs})
		default:
			h.render(w, r, http.StatusOK, "savelink.html", saveLinkPage{Token: p.Token, Email: addr, Sent: true})
		}
	})
}

// api is POST /api/v1/plans/{token}/email with {"email": "…"}: the same
// as the form, answered 202 whatever happens to a valid address.
func (h *saveLinks) api(w http.ResponseWriter, r *http.Request) {
	p, err := h.loadPlanDiary(r, r.PathValue("token"))
	if errors.Is(err, store.ErrNotFound) {
		writeErrors(w, http.StatusNotFound, valid.Errors{{Field: "token", Message: "no plan has this link"}})
		return
	}
	if err != nil {
		h.apiServerError(w, r, "body", "the link could not be sent; please try again", err)
		return
	}
	typed, ok := readJSON(w, r, parseEmailJSON)
	if !ok {
		return
	}
	_, errs, err := h.mailLink(r, p.Token, typed)
	switch {
	case errors.Is(err, errTooManyLinks):
		w.Header().Set("Retry-After", "600")
		writeErrors(w, http.StatusTooManyRequests, valid.Errors{{Field: "body", Message: "too many links sent from your address; try again later"}})
	case err != nil:
		h.apiServerError(w, r, "body", "the link could not be sent; please try again", err)
	case len(errs) > 0:
		writeErrors(w, http.StatusBadRequest, errs)
	default:
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted",
			"message": "If this address can receive mail, the plan's private link is on its way to it."})
	}
}

// parseEmailJSON reads {"email": "…"} strictly, as every JSON body is read.
func parseEmailJSON(data []byte) (string, error) {
	var (
		email string
		rd    valid.Reader
	)
	raw, err := valid.Document("body", data)
	if err != nil {
		return "", err
	}
	rd.Object("", raw, func(name, path string, v json.RawMessage) bool {
		if name != "email" {
			return false
		}
		email = rd.String(path, v, "must be a string")
		return true
	})
	return email, rd.Errors.Err()
}

// errTooManyLinks means the client address has asked for too many links.
var errTooManyLinks = errors.New("too many plan links from this client")

// mailLink checks typed, applies the limits and queues the mail with the
// plan's link. An address or plan over its limit returns as if all went
// well; it returns the cleaned address.
func (h *saveLinks) mailLink(r *http.Request, token, typed string) (string, valid.Errors, error) {
	addr, err := mail.ParseAddress(typed)
	if err != nil {
		return "", valid.Errors{{Field: "email", Message: "Please check your email address: " + err.Error() + "."}}, nil
	}
	if !h.byIP.allow(r.Context(), clientIP(r)) {
		return addr, nil, errTooManyLinks
	}
	if h.outbox == nil || !h.byAddress.allow(r.Context(), h.addressKey(addr)) || !h.byPlan.allow(r.Context(), token) {
		return addr, nil, nil
	}
	m, err := planLinkMail(addr, h.baseURL+"/plan/"+token, h.baseURL+"/privacy")
	if err == nil {
		err = h.outbox.EnqueueMail(r.Context(), m)
	}
	if err != nil {
		// The error may name the address: the caller logs it without.
		return addr, nil, &withoutAddress{err: err, addr: addr}
	}
	return addr, nil, nil
}

// withoutAddress is an error whose text hides an email address (the
// logs hide tokens themselves), while errors.Is and errors.As still see
// what it wraps.
type withoutAddress struct {
	err  error
	addr string
}

func (e *withoutAddress) Error() string {
	return "queueing the plan link: " + strings.ReplaceAll(e.err.Error(), e.addr, "…")
}

func (e *withoutAddress) Unwrap() error { return e.err }

// addressKey is the rate limiter's key for an address: a keyed hash, so
// that the limiter's memory does not hold the address itself.
func (h *saveLinks) addressKey(addr string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(strings.ToLower(addr)))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// planLinkMail is the one mail with the private link of a plan.
func planLinkMail(to, link, privacy string) (*mail.Message, error) {
	l := &mail.Letter{
		Greeting: "Hello,",
		Before: []string{
			"Here is the private link to your unknot plan, as you asked. Open it on any device to come back to your plan, " +
				"your routine and your diary:",
		},
		Button: &mail.Link{Label: "Open my plan", URL: link},
		After: []string{
			"The link is the only key to your plan: anyone who has it can see the plan and the diary, so keep this email " +
				"to yourself, or share it only with someone you trust, such as your therapist.",
			"You can delete the plan for good from the plan page whenever you like.",
		},
		SignOff: signOff,
		Footer: []string{
			"You get this email because someone typed this address into “Email me this link” on an unknot plan. " +
				"We send it once: this address is not on any list, and we do not keep it after sending.",
		},
		FooterLinks: []mail.Link{{Label: "What we keep", URL: privacy}},
	}
	return l.Message(mail.KindPlanLink, to, "Your unknot plan: the private link")
}

// qr draws the plan's link as a QR code in SVG, for moving the plan to a
// phone by pointing its camera at the screen.
func (h *saveLinks) qr(w http.ResponseWriter, r *http.Request) {
	h.withPlan(w, r, func(p *planDiary) {
		svg, err := qrSVG(h.baseURL + "/plan/" + p.Token)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Write(svg)
	})
}

// qrSVG draws text as a QR code: one path of dark squares on a white
// ground, with the four-module quiet zone the standard asks for.
func qrSVG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var b strings.Builder
	b.Grow(code.Size * code.Size * 8)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(n) + " " + strconv.Itoa(n))
	b.WriteString(`" shape-rendering="crispEdges" role="img"><title>QR code of your plan's private link</title>`)
	b.WriteString(`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			b.WriteString("M" + strconv.Itoa(x+quiet) + " " + strconv.Itoa(y+quiet) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}

// newSaveLinks returns the handlers that send a plan's link by email and
// draw it as a QR code, with their limits.
func (s *Server) newSaveLinks() *saveLinks {
	out, _ := s.store.(Outbox)
	return &saveLinks{
		Server:    s,
		outbox:    out,
		byIP:      s.limits.new("save-link", rate.Every(10*time.Minute), 10),
		byAddress: s.limits.new("save-link-addresses", rate.Every(time.Hour), 3),
		byPlan:    s.limits.new("save-link-plans", rate.Every(time.Hour), 5),
		key:       deriveKey(s.cfg.SecretKey, keySaveLinkAddr),
	}
}
