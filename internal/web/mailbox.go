package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"unknot/internal/store"
)

// mailboxPage is the data of mailbox.html: the list, or one message.
type mailboxPage struct {
	Messages []store.DevMail
	Message  *store.DevMail
}

func (s *Server) mailbox(w http.ResponseWriter, r *http.Request) {
	msgs, err := s.store.DevMailbox(r.Context(), 100)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mailbox.html", mailboxPage{Messages: msgs})
}

// devMail loads the message named in the path, answering 404 itself when
// there is none.
func (s *Server) devMail(w http.ResponseWriter, r *http.Request) (*store.DevMail, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return nil, false
	}
	m, err := s.store.DevMailByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return m, true
}

func (s *Server) mailboxMessage(w http.ResponseWriter, r *http.Request) {
	if m, ok := s.devMail(w, r); ok {
		s.render(w, r, http.StatusOK, "mailbox.html", mailboxPage{Message: m})
	}
}

// mailboxHTML shows a message's HTML body as a mail client would: its
// inline styles allowed, and nothing else (no scripts, no images from
// elsewhere, no forms).
func (s *Server) mailboxHTML(w http.ResponseWriter, r *http.Request) {
	m, ok := s.devMail(w, r)
	if !ok {
		return
	}
	if m.HTML == "" {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(m.HTML))
}

func (s *Server) mailboxAttachment(w http.ResponseWriter, r *http.Request) {
	m, ok := s.devMail(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(m.Attachments) {
		s.notFound(w, r)
		return
	}
	a := m.Attachments[n]
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+a.Name+`"`)
	w.Write(a.Data)
}

// textPart is a piece of a plain-text mail body: text, or a link.
type textPart struct {
	Text string
	Link bool
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify splits a plain-text body into text and links, so that the links
// in a mail can be followed from the dev mailbox.
func linkify(text string) []textPart {
	var parts []textPart
	last := 0
	for _, loc := range linkPattern.FindAllStringIndex(text, -1) {
		if loc[0] > last {
			parts = append(parts, textPart{Text: text[last:loc[0]]})
		}
		parts = append(parts, textPart{Text: text[loc[0]:loc[1]], Link: true})
		last = loc[1]
	}
	if last < len(text) {
		parts = append(parts, textPart{Text: text[last:]})
	}
	return parts
}
