package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"unknot/internal/articles"
	"unknot/internal/comments"
	"unknot/internal/mail"
	"unknot/internal/secret"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// Spam and abuse limits of the comment form.
const (
	// minFormAge is the least time a person takes to read, write and send;
	// a post sooner than this after the page was served is a robot's.
	minFormAge = 3 * time.Second
	// maxFormAge is how long a served form stays good.
	maxFormAge = 24 * time.Hour
	// notifyConfirmFor is how long a reply-email confirmation link works.
	notifyConfirmFor = 7 * 24 * time.Hour
	// maxNotifyPerDay caps the confirmation emails one address gets a day,
	// so the form cannot be used to flood somebody's mailbox.
	maxNotifyPerDay = 3
)

// Kinds of mail the comments send.
const (
	kindCommentConfirm = "comment_confirm"
	kindCommentReply   = "comment_reply"
)

// postComment takes a visitor's comment and holds it for a moderator. A
// filled honeypot is dropped without a word, so robots learn nothing; a
// form sent too fast, like bad input, shows the article again with the
// form's problems and what was typed.
func (s *Server) postComment(w http.ResponseWriter, r *http.Request) {
	a, ok := s.content.articles.Get(r.PathValue("slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	if !s.content.comments.allow(r.Context(), clientIP(r)) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "You have sent several comments in a short time. Please wait a few minutes before sending another.", http.StatusTooManyRequests)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	form := r.PostForm
	held := a.Path() + "?comment=held#comment-form"
	var errs valid.Errors
	switch err := comments.CheckStamp(s.content.formKey, form.Get("stamp"), time.Now(), minFormAge, maxFormAge); {
	case form.Get("website") != "":
		s.log.InfoContext(r.Context(), "comment dropped as spam", "article", a.Slug, "honeypot", true, "stamp", err)
		http.Redirect(w, r, held, http.StatusSeeOther)
		return
	case errors.Is(err, comments.ErrTooFast):
		// A quick typist or a pasted comment: keep the words in the form
		// and say what to do, rather than drop them while saying they await
		// approval. A robot that comes back gets held for a moderator.
		errs.Add("form", "this was sent within a few seconds of opening the page, so we have not sent it yet; "+
			"your words are kept below: please read them over and press Send again")
	case err != nil:
		errs.Add("form", "this page was open for a long time, or the site was restarted meanwhile; please press Send again")
	}
	d := comments.Draft{Name: form.Get("name"), Body: form.Get("body"), Email: form.Get("email"), Notify: form.Get("notify") == "yes"}
	if p := form.Get("parent"); p != "" {
		if id, ok := parseID(p); ok {
			d.ParentID = id
		} else {
			errs.Add("parent", "is not a comment")
		}
	}
	errs = append(errs, d.Clean()...)
	if d.ParentID != 0 {
		if p, err := s.store.CommentByID(r.Context(), d.ParentID); errors.Is(err, store.ErrNotFound) ||
			err == nil && (p.Article != a.Slug || p.Status != comments.Approved) {
			errs.Add("parent", "the comment you are answering is no longer shown; your words are kept below, send them as a new comment")
			d.ParentID = 0
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.renderArticle(w, r, http.StatusBadRequest, a, articlePage{Comment: commentForm{Draft: d, Errors: errs}})
		return
	}

	// The stamp makes this one comment: a post sent again, by a robot or
	// a reload, is refused. It would be refused as stale after maxFormAge
	// from now at the latest, so it need not be kept longer.
	c := &store.NewComment{Comment: comments.Comment{
		Article: a.Slug, ParentID: d.ParentID, Name: d.Name, Body: d.Body, HTML: comments.Render(d.Body), Status: comments.Pending,
	}, Stamp: &store.UsedStamp{Hash: secret.Hash(form.Get("stamp")), Expires: time.Now().Add(maxFormAge)}}
	sent := "held"
	if d.Notify {
		sent = "held-notify"
		n, err := s.store.CountNotifyRequests(r.Context(), d.Email, time.Now().Add(-24*time.Hour))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		// Over the cap the comment is kept without the address, and the
		// page says the same as always: it must not tell whether an
		// address was used before.
		if n < maxNotifyPerDay {
			c.Notify = &store.NotifyRequest{
				Email:   d.Email,
				Expires: time.Now().Add(notifyConfirmFor),
				Mail:    func(token string) (*mail.Message, error) { return s.notifyConfirmMail(r, a, d, token) },
			}
		}
	}
	err := s.store.CreateComment(r.Context(), c, nil)
	if errors.Is(err, store.ErrStampUsed) {
		errs.Add("form", "this form was already sent once, and that comment is waiting for approval; "+
			"to send these words as another comment, please press Send again")
		s.renderArticle(w, r, http.StatusBadRequest, a, articlePage{Comment: commentForm{Draft: d, Errors: errs}})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, a.Path()+"?comment="+sent+"#comment-form", http.StatusSeeOther)
}

// notifyConfirmMail asks the owner of d.Email to confirm that they want
// emails about replies.
func (s *Server) notifyConfirmMail(r *http.Request, a *articles.Article, d comments.Draft, token string) (*mail.Message, error) {
	letter := mail.Letter{
		Greeting: "Hi " + d.Name + ",",
		Before: []string{
			"You asked us to email you when someone replies to your comment on “" + a.Title + "”. Please confirm that this address is yours:",
		},
		Button: &mail.Link{Label: "Yes, email me about replies", URL: s.baseURL + "/comments/notify/" + token},
		After: []string{
			"The link works for 7 days. If you did not write a comment on unknot, please ignore this email: without a click on the link nothing happens, and we will not write to you again.",
		},
		SignOff: "Take care,\nthe unknot team",
		Footer: []string{
			"We use this address only to tell you about replies to this one comment. It is never shown on the site, and we forget it when you unsubscribe.",
		},
	}
	return letter.Message(kindCommentConfirm, d.Email, "Please confirm: emails about replies to your comment")
}

// replyMail makes the email that tells a commenter about a reply.
func (s *Server) replyMail(r *http.Request) store.ReplyMail {
	return func(n store.ReplyNotice) (*mail.Message, error) {
		title := n.Parent.Article
		if a, ok := s.content.articles.Get(n.Parent.Article); ok {
			title = a.Title
		}
		who := n.Reply.Name
		if badge := n.Reply.Badge(); badge != "" {
			who += " (" + badge + ")"
		}
		unsubscribe := s.baseURL + "/comments/unsubscribe/" + n.UnsubscribeToken
		letter := mail.Letter{
			Greeting: "Hi " + n.Parent.Name + ",",
			Before:   []string{who + " replied to your comment on “" + title + "”:", "“" + excerpt(n.Reply.Body, 600) + "”"},
			Button:   &mail.Link{Label: "Read the reply", URL: s.baseURL + commentPath(n.Parent.Article, n.Reply.ID)},
			SignOff:  "Take care,\nthe unknot team",
			Footer:   []string{"You get this email because you asked to hear about replies to your comment."},
			FooterLinks: []mail.Link{
				{Label: "Stop emails about replies to this comment", URL: unsubscribe},
			},
		}
		m, err := letter.Message(kindCommentReply, n.To, who+" replied to your comment")
		if err != nil {
			return nil, err
		}
		m.SetListUnsubscribe(unsubscribe)
		return m, nil
	}
}

// excerpt shortens s to at most n runes, at a space where it can.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n])
	if i := strings.LastIndexAny(cut, " \n"); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// commentNotice is the data of the pages a commenter reaches from an
// email. Action, when set, is where the page's one button posts.
type commentNotice struct {
	Title, Message string
	Back           string // the article, if known
	Action         string
}

// confirmCommentNotify is the link in the confirmation email. Following it
// is the confirmation: there is no second button, and following it again
// changes nothing.
func (s *Server) confirmCommentNotify(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	var (
		c   *comments.Comment
		err = store.ErrNotFound
	)
	if secret.Valid(token) {
		c, err = s.store.ConfirmCommentNotify(r.Context(), secret.Hash(token), time.Now())
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.render(w, r, http.StatusNotFound, "comment_notice.html", commentNotice{
			Title:   "This link no longer works",
			Message: "Confirmation links work for 7 days, and stop working after an unsubscribe. If you still want to hear about replies, write a new comment and tick the box again.",
		})
	case err != nil:
		s.serverError(w, r, err)
	default:
		s.render(w, r, http.StatusOK, "comment_notice.html", commentNotice{
			Title:   "Thank you, that is confirmed",
			Message: "We will email you when someone replies to your comment, once it is published. Every email has a link to stop them.",
			Back:    commentPath(c.Article, c.ID),
		})
	}
}

// unsubscribeCommentForm is the unsubscribe link of a reply email. It only
// shows a button: a GET changes nothing.
func (s *Server) unsubscribeCommentForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Robots-Tag", "noindex")
	s.render(w, r, http.StatusOK, "comment_notice.html", commentNotice{
		Title:   "Stop emails about replies?",
		Message: "You will get no more emails about replies to this comment, and we will forget your address.",
		Action:  r.URL.Path,
	})
}

// unsubscribeComment stops reply emails: the page's button, or a mail
// client's one-click unsubscribe (RFC 8058). It answers the same whether or
// not the link was still known, so it can be pressed twice.
func (s *Server) unsubscribeComment(w http.ResponseWriter, r *http.Request) {
	if token := r.PathValue("token"); secret.Valid(token) {
		if err := s.store.StopCommentNotify(r.Context(), secret.Hash(token)); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "comment_notice.html", commentNotice{
		Title:   "Done: no more emails about replies",
		Message: "We have forgotten the address you gave with this comment. Your comment itself stays on the site.",
	})
}

// commentPath is the address of a comment on its article's page.
func commentPath(article string, id int64) string {
	return articles.PathPrefix + article + "#c-" + strconv.FormatInt(id, 10)
}

// parseID reads a positive row id.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

// pathID reads the row id in the path value name; when there is none, it
// answers 404 and ok is false.
func (s *Server) pathID(w http.ResponseWriter, r *http.Request, name string) (id int64, ok bool) {
	if id, ok = parseID(r.PathValue(name)); !ok {
		s.notFound(w, r)
	}
	return id, ok
}
