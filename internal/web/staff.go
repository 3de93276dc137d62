package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"

	"unknot/internal/comments"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
	"unknot/internal/subscribe"
	"unknot/internal/valid"
)

// Session keys: the signed-in account's id, and the name they last signed
// a reply with, offered again for the next.
const (
	sessionUser      = "user"
	sessionReplyName = "reply_name"
)

func (s *Server) staffRoutes(mux *http.ServeMux) {
	mux.Handle("GET /staff/login", s.withSession(http.HandlerFunc(s.loginForm)))
	mux.Handle("POST /staff/login", s.withSession(http.HandlerFunc(s.login)))
	mux.Handle("POST /staff/logout", s.withSession(http.HandlerFunc(s.logout)))
	mux.Handle("GET /staff", s.withSession(s.requireStaff(s.dashboard)))
	mux.Handle("POST /staff/comments/{id}/approve", s.withSession(s.requireStaff(s.approveComment)))
	mux.Handle("POST /staff/comments/{id}/delete", s.withSession(s.requireStaff(s.deleteComment)))
	mux.Handle("POST /staff/comments/{id}/reply", s.withSession(s.requireStaff(s.replyToComment)))
}

// newSessions returns the staff session manager: sessions kept in our own
// database by token hash, a cookie sent only to /staff that scripts cannot
// read, and that is sent over https only when secure is set.
func newSessions(st StaffAccounts, secure bool) *scs.SessionManager {
	m := scs.New()
	m.Store = sessionStore{st}
	m.Lifetime = 12 * time.Hour
	m.IdleTimeout = 2 * time.Hour
	m.Cookie.Name = "unknot_staff"
	m.Cookie.Path = "/staff"
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = secure
	return m
}

// sessionStore keeps scs sessions in the database under the SHA-256 of
// their token, so that a copy of the table cannot be used to sign in.
type sessionStore struct{ st StaffAccounts }

func (s sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.st.FindSession(ctx, secret.Hash(token), time.Now())
}

func (s sessionStore) CommitCtx(ctx context.Context, token string, data []byte, expiry time.Time) error {
	return s.st.SaveSession(ctx, secret.Hash(token), data, expiry)
}

func (s sessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.st.DeleteSession(ctx, secret.Hash(token))
}

func (s sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s sessionStore) Commit(token string, data []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, data, expiry)
}

func (s sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// sessions returns the session manager for r: the one whose cookie is
// Secure when the site is served over https.
func (s *Server) sessions(r *http.Request) *scs.SessionManager {
	if s.secure(r) {
		return s.content.secureSessions
	}
	return s.content.sessions
}

// secure reports whether cookies for r must be Secure: the client came
// over https (directly or through a trusted proxy), or the base URL says
// the site is served over https.
func (s *Server) secure(r *http.Request) bool {
	return isHTTPS(r) || strings.HasPrefix(s.cfg.BaseURL, "https://")
}

// withSession loads and saves the staff session around next. Staff pages
// are private: never cached, never indexed.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex")
		s.sessions(r).LoadAndSave(next).ServeHTTP(w, r)
	})
}

// requireStaff runs next with the signed-in account, or sends the visitor
// to the login page.
func (s *Server) requireStaff(next func(http.ResponseWriter, *http.Request, *store.User)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions := s.sessions(r)
		id := sessions.GetInt64(r.Context(), sessionUser)
		if id == 0 {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		u, err := s.store.UserByID(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			sessions.Destroy(r.Context())
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		next(w, r, u)
	})
}

// loginPage is the data of the staff login form.
type loginPage struct {
	Email   string
	Problem string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if s.sessions(r).GetInt64(r.Context(), sessionUser) != 0 {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "staff_login.html", loginPage{})
}

// dummyHash is checked against when no account has the email given, so
// that a login takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() string { return staff.HashPassword("no account has this password", staff.DefaultParams) })

// login signs a staff member in. Every failure says the same thing, and
// attempts are limited per client address and per account.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	email := strings.ToLower(strings.TrimSpace(r.PostForm.Get("email")))
	password := r.PostForm.Get("password")
	page := loginPage{Email: email}
	if !s.content.loginsByIP.allow(clientIP(r)) || !s.content.loginsByUser.allow(email) {
		w.Header().Set("Retry-After", "300")
		page.Problem = "Too many sign-in attempts. Please wait five minutes and try again."
		s.render(w, r, http.StatusTooManyRequests, "staff_login.html", page)
		return
	}
	u, err := s.store.UserByEmail(r.Context(), email)
	hash := dummyHash()
	switch {
	case err == nil:
		hash = u.PasswordHash
	case !errors.Is(err, store.ErrNotFound):
		s.serverError(w, r, err)
		return
	}
	ok, err := staff.CheckPassword(hash, password)
	if err != nil {
		s.log.ErrorContext(r.Context(), "stored password hash unreadable", "user", u.ID, "err", err)
	}
	if !ok || u == nil {
		page.Problem = "That email and password do not match an account."
		s.render(w, r, http.StatusBadRequest, "staff_login.html", page)
		return
	}
	sessions := s.sessions(r)
	// A new token at login: a token planted before (session fixation)
	// is worth nothing afterwards.
	if err := sessions.RenewToken(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	sessions.Put(r.Context(), sessionUser, u.ID)
	if staff.NeedsRehash(u.PasswordHash, staff.DefaultParams) {
		if err := s.store.SetPasswordHash(r.Context(), u.ID, staff.HashPassword(password, staff.DefaultParams)); err != nil {
			s.log.WarnContext(r.Context(), "could not strengthen password hash", "user", u.ID, "err", err)
		}
	}
	if _, err := s.store.DeleteExpiredSessions(r.Context(), time.Now()); err != nil {
		s.log.WarnContext(r.Context(), "could not delete expired sessions", "err", err)
	}
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions(r).Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// staffPage is the data of the staff dashboard.
type staffPage struct {
	User     *store.User
	Badge    string // how the user's replies are marked
	Pending  []moderatedComment
	Recent   []moderatedComment // published lately, to answer
	Feedback []feedbackRow
	Notes    []store.FeedbackNote
	Done     string // what the last action did: approved, deleted, replied
	// Subscribers counts the free report's subscribers by state.
	Subscribers struct{ Confirmed, Pending, Unsubscribed int }
}

// moderatedComment is a comment with what a moderator needs to judge it,
// and the staff reply to it.
type moderatedComment struct {
	comments.Comment
	ArticleTitle string
	Signals      []string
	Reply        comments.Draft
	ReplyErrors  valid.Errors
}

// feedbackRow is "was this helpful?" for one article.
type feedbackRow struct {
	store.FeedbackCount
	Title string
}

// How many held and recently published comments the dashboard lists.
const (
	maxPending = 100
	maxRecent  = 20
)

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u *store.User) {
	done := oneOfValues(r.URL.Query().Get("done"), "approved", "deleted", "replied")
	s.renderDashboard(w, r, http.StatusOK, u, done, comments.Draft{}, nil)
}

// renderDashboard shows the dashboard; reply and its errors are a staff
// reply that could not be published, shown again under its comment.
func (s *Server) renderDashboard(w http.ResponseWriter, r *http.Request, status int, u *store.User, done string, reply comments.Draft, errs valid.Errors) {
	ctx := r.Context()
	page := staffPage{User: u, Badge: staff.Badge(u.Role), Done: done}
	held, err := s.store.PendingComments(ctx, maxPending)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	recent, err := s.store.RecentComments(ctx, maxRecent)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	lastName := s.sessions(r).GetString(ctx, sessionReplyName)
	moderated := func(list []comments.Comment) []moderatedComment {
		out := make([]moderatedComment, len(list))
		for i, c := range list {
			out[i] = moderatedComment{Comment: c, ArticleTitle: s.articleTitle(c.Article), Signals: comments.Signals(c.Body), Reply: comments.Draft{Name: lastName}}
			if c.ID == reply.ParentID {
				out[i].Reply, out[i].ReplyErrors = reply, errs
			}
		}
		return out
	}
	page.Pending, page.Recent = moderated(held), moderated(recent)
	counts, err := s.store.FeedbackCounts(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, c := range counts {
		page.Feedback = append(page.Feedback, feedbackRow{FeedbackCount: c, Title: s.articleTitle(c.Article)})
	}
	if page.Notes, err = s.store.FeedbackNotes(ctx, 20); err != nil {
		s.serverError(w, r, err)
		return
	}
	subs, err := s.store.SubscriberCounts(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Subscribers.Confirmed, page.Subscribers.Pending, page.Subscribers.Unsubscribed =
		subs[subscribe.Confirmed], subs[subscribe.Pending], subs[subscribe.Unsubscribed]
	s.render(w, r, status, "staff.html", page)
}

// articleTitle is the title of the article with slug, or the slug when the
// article is gone.
func (s *Server) articleTitle(slug string) string {
	if a, ok := s.content.articles.Get(slug); ok {
		return a.Title
	}
	return slug
}

// commentAction runs act on the comment named in the path and goes back
// to the dashboard saying done.
func (s *Server) commentAction(w http.ResponseWriter, r *http.Request, done string, act func(ctx context.Context, id int64) error) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	err := act(r.Context(), id)
	if s.failed(w, r, err) {
		return
	}
	http.Redirect(w, r, "/staff?done="+done, http.StatusSeeOther)
}

func (s *Server) approveComment(w http.ResponseWriter, r *http.Request, _ *store.User) {
	s.commentAction(w, r, "approved", func(ctx context.Context, id int64) error {
		return s.store.ApproveComment(ctx, id, s.replyMail(r))
	})
}

func (s *Server) deleteComment(w http.ResponseWriter, r *http.Request, _ *store.User) {
	s.commentAction(w, r, "deleted", s.store.DeleteComment)
}

// replyToComment publishes a staff reply, marked with the author's role.
// Answering a held comment publishes it too: a reply under a hidden
// comment would make no sense.
func (s *Server) replyToComment(w http.ResponseWriter, r *http.Request, u *store.User) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read. Please go back and try again.", http.StatusBadRequest)
		return
	}
	d := comments.Draft{ParentID: id, Name: r.PostForm.Get("name"), Body: r.PostForm.Get("body")}
	if errs := d.Clean(); len(errs) > 0 {
		s.renderDashboard(w, r, http.StatusBadRequest, u, "", d, errs)
		return
	}
	s.sessions(r).Put(r.Context(), sessionReplyName, d.Name)
	s.commentAction(w, r, "replied", func(ctx context.Context, id int64) error {
		parent, err := s.store.CommentByID(ctx, id)
		if err != nil {
			return err
		}
		replyMail := s.replyMail(r)
		if parent.Status == comments.Pending {
			if err := s.store.ApproveComment(ctx, id, replyMail); err != nil {
				return err
			}
		}
		return s.store.CreateComment(ctx, &store.NewComment{
			Comment: comments.Comment{
				Article: parent.Article, ParentID: id, Name: d.Name, Body: d.Body, HTML: comments.Render(d.Body),
				Role: u.Role, Status: comments.Approved,
			},
			UserID: u.ID,
		}, replyMail)
	})
}
