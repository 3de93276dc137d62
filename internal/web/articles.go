package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/articles"
	"unknot/internal/comments"
	"unknot/internal/store"
	"unknot/internal/subscribe"
	"unknot/internal/valid"
)

// ContentStore is the storage of the reading side: comments and
// "was this helpful?" under articles.
type ContentStore interface {
	Comments
	Feedback
	// SubscriberCounts gives the dashboard the free report's list size.
	SubscriberCounts(ctx context.Context) (map[subscribe.State]int, error)
}

// Comments is the storage comments need.
type Comments interface {
	ApprovedComments(ctx context.Context, article string) ([]comments.Comment, error)
	PendingComments(ctx context.Context, limit int) ([]comments.Comment, error)
	RecentComments(ctx context.Context, limit int) ([]comments.Comment, error)
	CommentByID(ctx context.Context, id int64) (*comments.Comment, error)
	CreateComment(ctx context.Context, c *store.NewComment, replyMail store.ReplyMail) error
	ApproveComment(ctx context.Context, id int64, replyMail store.ReplyMail) error
	DeleteComment(ctx context.Context, id int64) error
	ConfirmCommentNotify(ctx context.Context, tokenHash []byte, now time.Time) (*comments.Comment, error)
	StopCommentNotify(ctx context.Context, tokenHash []byte) error
	CountNotifyRequests(ctx context.Context, email string, since time.Time) (int, error)
}

// Feedback is the storage "was this helpful?" needs.
type Feedback interface {
	AddFeedback(ctx context.Context, article string, f comments.Feedback) error
	FeedbackCounts(ctx context.Context) ([]store.FeedbackCount, error)
	FeedbackNotes(ctx context.Context, limit int) ([]store.FeedbackNote, error)
}

// content is the state of the reading side: the articles, the key that
// signs comment forms and the rate limit of comments.
type content struct {
	articles *articles.Collection
	formKey  []byte
	comments *limit // comments per client address
}

func newContent(cfg Config, lim *limits) *content {
	c := &content{
		articles: cfg.Articles,
		formKey:  deriveKey(cfg.SecretKey, keyCommentForm),
		comments: lim.new("comments", rate.Every(2*time.Minute), 5),
	}
	if c.articles == nil {
		c.articles = articles.Default()
	}
	return c
}

// articleIndexPage is the data of the list of articles and of a tag page.
type articleIndexPage struct {
	Tag      string
	Articles []*articles.Article
	Tags     []string
}

func (s *Server) articleIndex(w http.ResponseWriter, r *http.Request) {
	c := s.content.articles
	s.render(w, r, http.StatusOK, "articles.html", articleIndexPage{Articles: c.All(), Tags: c.Tags()})
}

func (s *Server) articleTag(w http.ResponseWriter, r *http.Request) {
	c := s.content.articles
	tag := r.PathValue("tag")
	list := c.Tagged(tag)
	if len(list) == 0 {
		s.notFound(w, r)
		return
	}
	s.render(w, r, http.StatusOK, "tag.html", articleIndexPage{Tag: tag, Articles: list, Tags: c.Tags()})
}

// articlePage is the data of one article with its feedback box and
// comments.
type articlePage struct {
	Article  *articles.Article
	Related  []*articles.Article
	Threads  template.HTML // the published comments, see threadHTML
	Count    int
	Comment  commentForm
	Feedback feedbackForm
}

// commentForm is the comment form: what was typed, its problems, the
// signed stamp of when it was served, and the comment it answers.
type commentForm struct {
	Draft   comments.Draft
	Errors  valid.Errors
	Stamp   string
	ReplyTo *comments.Comment
	// Sent is "held" after a comment was taken, "held-notify" when it
	// also asked for reply emails.
	Sent string
}

// feedbackForm is the "was this helpful?" box.
type feedbackForm struct {
	Helpful, Note string
	Errors        valid.Errors
	Thanks        bool
	// Answer is what this browser answered before ("yes" or "no"), from
	// the helpful cookie; the box then shows it instead of the question.
	Answer string
}

// article serves one article with its comments. The query may carry
// reply=ID (answer that comment), comment=held and helpful=thanks (what
// happened after a form was sent).
func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	a, ok := s.content.articles.Get(r.PathValue("slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	page := articlePage{
		Comment:  commentForm{Sent: oneOfValues(q.Get("comment"), "held", "held-notify")},
		Feedback: feedbackForm{Thanks: q.Get("helpful") == "thanks", Answer: rememberedFeedback(r)},
	}
	if id, ok := parseID(q.Get("reply")); ok {
		page.Comment.Draft.ParentID = id
	}
	s.renderArticle(w, r, http.StatusOK, a, page)
}

// renderArticle fills in the article, its comments and a fresh form stamp
// around page, and renders it with status.
func (s *Server) renderArticle(w http.ResponseWriter, r *http.Request, status int, a *articles.Article, page articlePage) {
	list, err := s.store.ApprovedComments(r.Context(), a.Slug)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Article = a
	page.Related = s.content.articles.RelatedTo(a)
	threads := comments.Thread(list, maxCommentDepth)
	page.Threads = threadHTML(threads)
	page.Count = comments.Count(threads)
	page.Comment.Stamp = comments.Stamp(s.content.formKey, time.Now())
	if id := page.Comment.Draft.ParentID; id != 0 {
		for i := range list {
			if list[i].ID == id {
				page.Comment.ReplyTo = &list[i]
			}
		}
		if page.Comment.ReplyTo == nil {
			page.Comment.Draft.ParentID = 0
		}
	}
	s.render(w, r, status, "article.html", page)
}

// threadHTML renders published comments as nested lists. It is written
// out here rather than in the template because a page may carry hundreds
// of comments, and html/template, which finds every field and escaper by
// reflection, took most of the 10 ms a page of 200 may cost. Each comment's
// HTML was made safe by comments.Render when it was written; everything
// else a visitor typed (the name) is escaped here.
func threadHTML(nodes []*comments.Node) template.HTML {
	if len(nodes) == 0 {
		return ""
	}
	var b strings.Builder
	writeThread(&b, nodes)
	return template.HTML(b.String())
}

func writeThread(b *strings.Builder, nodes []*comments.Node) {
	b.WriteString(`<ol class="thread">`)
	for _, n := range nodes {
		id := strconv.FormatInt(n.ID, 10)
		name := template.HTMLEscapeString(n.Name)
		b.WriteString(`<li id="c-` + id + `"`)
		if n.Role != "" {
			b.WriteString(` class="by-staff"`)
		}
		b.WriteString(`><b>` + name + `</b> `)
		if badge := n.Badge(); badge != "" {
			b.WriteString(`<span class="badge">` + template.HTMLEscapeString(badge) + `</span> `)
		}
		b.WriteString(`<small>` + n.CreatedAt.Format("2 Jan 2006") + `</small>`)
		b.WriteString(string(n.HTML))
		b.WriteString(`<a href="?reply=` + id + `#comment-form" rel="nofollow">Reply to ` + name + `</a>`)
		if len(n.Replies) > 0 {
			writeThread(b, n.Replies)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ol>`)
}

// maxCommentDepth is how deep replies nest on the page: a comment, a
// reply, and a reply to that; deeper replies line up beside their parent.
const maxCommentDepth = 2

// articleFeed serves the Atom feed of the articles.
func (s *Server) articleFeed(w http.ResponseWriter, r *http.Request) {
	s.writeXML(w, r, "application/atom+xml; charset=utf-8", func(buf *bytes.Buffer) error {
		return s.content.articles.Atom(s.absoluteURL(""), buf)
	})
}

// sitemap lists the public pages for search engines: the start page, the
// self-check, the articles and their tags.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) {
	c := s.content.articles
	pages := []articles.Page{{Path: "/"}, {Path: articles.CheckPath}, {Path: "/articles"}}
	pages = append(pages, c.Pages()...)
	for _, tag := range c.Tags() {
		pages = append(pages, articles.Page{Path: "/articles/tag/" + tag})
	}
	s.writeXML(w, r, "application/xml; charset=utf-8", func(buf *bytes.Buffer) error {
		return articles.Sitemap(s.absoluteURL(""), pages, buf)
	})
}

// writeXML writes what fill produces, or a 500 if it fails.
func (s *Server) writeXML(w http.ResponseWriter, r *http.Request, contentType string, fill func(*bytes.Buffer) error) {
	buf := getBuffer()
	defer putBuffer(buf)
	if err := fill(buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(buf.Bytes())
}

// robots keeps crawlers out of private plans, the dev mailbox and the
// staff side, and points them at the sitemap.
func (s *Server) robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "User-agent: *\nDisallow: /plan/\nDisallow: /dev/\nDisallow: /staff\nDisallow: /comments/\n\nSitemap: %s\n",
		s.absoluteURL("/sitemap.xml"))
}

// oneOfValues returns v when it is one of allowed, and "" otherwise.
func oneOfValues(v string, allowed ...string) string {
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	return ""
}
