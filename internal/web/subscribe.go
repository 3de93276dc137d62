package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/clinic"
	"unknot/internal/export"
	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/subscribe"
	"unknot/internal/valid"
)

// Mailing is the storage of the free report's sign-ups and of the dev
// mailbox.
type Mailing interface {
	SignUp(ctx context.Context, su store.SignUp) (subscribe.Action, error)
	ConfirmSubscriber(ctx context.Context, c store.Confirm) (*store.Subscriber, bool, error)
	SubscriberByLink(ctx context.Context, tokenHash []byte) (*store.Subscriber, error)
	Unsubscribe(ctx context.Context, email string) error
	ExportSubscriber(ctx context.Context, email string) (*store.SubscriberData, error)
	DeleteSubscriber(ctx context.Context, email string) error
	DevMailbox(ctx context.Context, limit int) ([]store.DevMail, error)
	DevMailByID(ctx context.Context, id int64) (*store.DevMail, error)
}

// MailConfig holds the settings of the free report's sign-up and of the
// dev mailbox.
type MailConfig struct {
	// DevMailbox serves the dev mailbox at /dev/mailbox. Set it only when
	// mail goes to the dev mailbox: never with SMTP or in production.
	DevMailbox bool
	// SignUpRate and SignUpBurst limit sign-ups per client address; zero
	// means the default of a burst of 10, then one every 6 minutes.
	SignUpRate  rate.Limit
	SignUpBurst int
}

// signups handles the free report: the sign-up box, the double opt-in
// links in its mails, and the subscriber's own page.
type signups struct {
	*Server
	byIP      *limit // sign-ups per client address
	byAddress *limit // sign-ups per email address, before the database's daily limit
	report    func() ([]byte, error)
}

// subscribePage is the data of subscribe.html: the sign-up form, or the
// "check your inbox" answer after a sign-up.
type subscribePage struct {
	Form   subscribe.Form
	Errors valid.Errors
	Sent   bool
}

func (h *signups) form(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "subscribe.html", subscribePage{})
}

// submit is the sign-up box. Whatever happens with a valid address, the
// visitor gets the same page: nobody learns whether an address was known.
func (h *signups) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	form := subscribe.Form{
		FirstName: r.PostForm.Get("first_name"),
		Email:     r.PostForm.Get("email"),
		Website:   r.PostForm.Get("website"),
	}
	clean, errs, err := h.signUp(r, form)
	switch {
	case errors.Is(err, errTooMany):
		w.Header().Set("Retry-After", "600")
		http.Error(w, "There have been many sign-ups from your network. Please try again in a few minutes.", http.StatusTooManyRequests)
	case err != nil:
		h.serverError(w, r, err)
	case len(errs) > 0:
		h.render(w, r, http.StatusBadRequest, "subscribe.html", subscribePage{Form: form, Errors: errs})
	default:
		h.render(w, r, http.StatusOK, "subscribe.html", subscribePage{Form: clean, Sent: true})
	}
}

// apiAccepted is the API's one answer to a valid sign-up.
const apiAccepted = "Thank you. If this address can receive mail, a message is on its way to it: " +
	"a link to confirm, or the report if the address has confirmed before."

// api is POST /api/v1/subscribers: the sign-up as JSON.
func (h *signups) api(w http.ResponseWriter, r *http.Request) {
	f, ok := readJSON(w, r, parseSignUpJSON)
	if !ok {
		return
	}
	_, errs, err := h.signUp(r, f)
	switch {
	case errors.Is(err, errTooMany):
		w.Header().Set("Retry-After", "600")
		writeErrors(w, http.StatusTooManyRequests, valid.Errors{{Field: "body", Message: "too many sign-ups from your address; try again later"}})
	case err != nil:
		h.apiServerError(w, r, "body", "the sign-up could not be saved; please try again", err)
	case len(errs) > 0:
		writeErrors(w, http.StatusBadRequest, errs)
	default:
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted", "message": apiAccepted})
	}
}

// parseSignUpJSON reads {"first_name", "email", "website"} strictly, as
// every JSON body is read: unknown or repeated fields, wrong types and text
// that is not UTF-8 are refused, each naming its field. "website" is the
// honeypot, for clients that copy the form; null reads as not given.
func parseSignUpJSON(data []byte) (subscribe.Form, error) {
	var (
		f  subscribe.Form
		rd valid.Reader
	)
	raw, err := valid.Document("body", data)
	if err != nil {
		return f, err
	}
	rd.Object("", raw, func(name, path string, v json.RawMessage) bool {
		switch name {
		case "first_name":
			f.FirstName = rd.String(path, v, "must be a string")
		case "email":
			f.Email = rd.String(path, v, "must be a string")
		case "website":
			f.Website = rd.String(path, v, "must be a string")
		default:
			return false
		}
		return true
	})
	return f, rd.Errors.Err()
}

// errTooMany means the client address has signed up too often.
var errTooMany = errors.New("too many sign-ups from this client")

// signUp runs a sign-up: checks the form, applies the rate limits and the
// honeypot, and records it with its mail. A filled honeypot or an address
// that signs up too often returns as if all went well.
func (h *signups) signUp(r *http.Request, form subscribe.Form) (subscribe.Form, valid.Errors, error) {
	clean, errs := form.Clean()
	if len(errs) > 0 {
		return form, errs, nil
	}
	if !h.byIP.allow(r.Context(), clientIP(r)) {
		return clean, nil, errTooMany
	}
	if form.Bot() || !h.byAddress.allow(r.Context(), clean.Email) {
		return clean, nil, nil
	}
	token, hash := secret.NewToken()
	from, err := h.clinicContact(r.Context())
	if err != nil {
		return clean, nil, err
	}
	compose := h.composer(token, from)
	// Most sign-ups send a confirmation greeting the name just typed:
	// write it before the transaction, which then does not hold up other
	// writers while a template runs.
	likely, err := confirmMail(&store.Subscriber{Email: clean.Email, FirstName: clean.FirstName}, h.linksFor(token), from)
	if err != nil {
		return clean, nil, err
	}
	_, err = h.store.SignUp(r.Context(), store.SignUp{
		Form: clean, TokenHash: hash,
		Compose: func(sub *store.Subscriber, action subscribe.Action) (*mail.Message, error) {
			if action == subscribe.SendConfirmation && sub.FirstName == clean.FirstName {
				return likely, nil
			}
			return compose(sub, action)
		},
	})
	return clean, nil, err
}

// composer returns the function that writes a sign-up mail whose links
// carry token, from the clinic from.
func (h *signups) composer(token string, from clinic.Contact) store.Compose {
	links := h.linksFor(token)
	return func(sub *store.Subscriber, action subscribe.Action) (*mail.Message, error) {
		if action == subscribe.SendReport {
			pdf, err := h.report()
			if err != nil {
				return nil, err
			}
			return reportMail(sub, links, pdf, from)
		}
		return confirmMail(sub, links, from)
	}
}

// subscriberLinks are the links of one sign-up mail, all carrying its
// token.
type subscriberLinks struct {
	Confirm, Manage, Download, Unsubscribe, Home string
}

// linksFor builds them from the base URL, never from r's Host, which
// whoever sends the request chooses.
func (h *signups) linksFor(token string) subscriberLinks {
	base := h.baseURL + "/s/" + token
	return subscriberLinks{
		Confirm:     base + "/confirm",
		Manage:      base,
		Download:    base + "/report.pdf",
		Unsubscribe: base + "/unsubscribe",
		Home:        h.baseURL + "/",
	}
}

// subscriberPage is the data of the pages a subscriber reaches from the
// links in their mail.
type subscriberPage struct {
	Token      string
	Subscriber *store.Subscriber
	// Confirmed is set on the page a confirmation link opens when this
	// click confirmed the address.
	Confirmed bool
	// Done says what just happened: "unsubscribed" or "deleted".
	Done string
}

// confirm is the post of the page the confirmation mail links to
// (confirmForm): it confirms the subscriber. It can only confirm the
// address the link was sent to, and posting again changes nothing.
func (h *signups) confirm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "private, no-store")
	token := r.PathValue("token")
	if !secret.Valid(token) {
		h.linkNotFound(w, r)
		return
	}
	// Render the report (once per process) before the transaction that
	// attaches it, so that the transaction does not wait for it.
	if _, err := h.report(); err != nil {
		h.serverError(w, r, err)
		return
	}
	from, err := h.clinicContact(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	reportToken, reportHash := secret.NewToken()
	sub, confirmed, err := h.store.ConfirmSubscriber(r.Context(), store.Confirm{
		TokenHash: secret.Hash(token), ReportTokenHash: reportHash, Compose: h.composer(reportToken, from),
	})
	if errors.Is(err, store.ErrNotFound) {
		h.render(w, r, http.StatusNotFound, "error.html", errorPage{
			Title: "This link has expired",
			Message: "Links to confirm your address work for 7 days. " +
				"Sign up again with the same address and we will send you a fresh link.",
		})
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "subscribe_done.html", subscriberPage{Token: token, Subscriber: sub, Confirmed: confirmed})
}

// subscriber finds the subscriber of the link in the request, answering
// 404 itself when there is none.
func (h *signups) subscriber(w http.ResponseWriter, r *http.Request) (string, *store.Subscriber, bool) {
	w.Header().Set("Cache-Control", "private, no-store") // the pages show the address
	token := r.PathValue("token")
	if !secret.Valid(token) {
		h.linkNotFound(w, r)
		return "", nil, false
	}
	sub, err := h.store.SubscriberByLink(r.Context(), secret.Hash(token))
	if errors.Is(err, store.ErrNotFound) {
		h.linkNotFound(w, r)
		return "", nil, false
	}
	if err != nil {
		h.serverError(w, r, err)
		return "", nil, false
	}
	return token, sub, true
}

func (h *signups) linkNotFound(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusNotFound, "error.html", errorPage{
		Title: "This link does not work",
		Message: "We could not find what this link points to. If you deleted your data, it is gone for good. " +
			"If you copied the link from an email, check that it was copied whole.",
	})
}

// manage is the subscriber's own page: the report, their data, and the
// buttons to leave the list or delete everything.
func (h *signups) manage(w http.ResponseWriter, r *http.Request) {
	token, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "subscribe_manage.html", subscriberPage{Token: token, Subscriber: sub})
}

// download serves the report to a confirmed subscriber.
func (h *signups) download(w http.ResponseWriter, r *http.Request) {
	token, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	if sub.State != subscribe.Confirmed {
		h.render(w, r, http.StatusForbidden, "subscribe_manage.html", subscriberPage{Token: token, Subscriber: sub})
		return
	}
	pdf, err := h.report()
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+reportFile+`"`)
	w.Write(pdf)
}

// export gives the subscriber everything kept about them, as JSON.
func (h *signups) export(w http.ResponseWriter, r *http.Request) {
	_, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	data, err := h.store.ExportSubscriber(r.Context(), sub.Email)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="unknot-subscriber-data.json"`)
	writeJSON(w, http.StatusOK, data)
}

// unsubscribe takes the subscriber off the list: from the button on their
// page, or straight from a mail client (RFC 8058 one-click, a POST with
// List-Unsubscribe=One-Click in the body).
func (h *signups) unsubscribe(w http.ResponseWriter, r *http.Request) {
	token, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	if err := h.store.Unsubscribe(r.Context(), sub.Email); err != nil {
		h.serverError(w, r, err)
		return
	}
	sub.State = subscribe.Unsubscribed
	h.render(w, r, http.StatusOK, "subscribe_done.html", subscriberPage{Token: token, Subscriber: sub, Done: "unsubscribed"})
}

// delete deletes everything kept about the subscriber.
func (h *signups) delete(w http.ResponseWriter, r *http.Request) {
	_, sub, ok := h.subscriber(w, r)
	if !ok {
		return
	}
	if err := h.store.DeleteSubscriber(r.Context(), sub.Email); err != nil && !errors.Is(err, store.ErrNotFound) {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "subscribe_done.html", subscriberPage{Subscriber: sub, Done: "deleted"})
}

// newSignups returns the free report's sign-up handlers with their limits.
func (s *Server) newSignups() *signups {
	cfg := s.cfg.Mail
	if cfg.SignUpRate == 0 {
		cfg.SignUpRate, cfg.SignUpBurst = rate.Every(time.Hour/DefaultSignUpsPerHour), DefaultSignUpBurst
	}
	return &signups{
		Server:    s,
		byIP:      s.limits.new("signups", cfg.SignUpRate, cfg.SignUpBurst),
		byAddress: s.limits.new("signup-emails", rate.Every(time.Minute), subscribe.MailsPerDay),
		report: sync.OnceValues(func() ([]byte, error) {
			var buf bytes.Buffer
			err := export.Report(&buf, s.lib)
			return buf.Bytes(), err
		}),
	}
}
