package web

import (
	"context"
	"net/http"

	"unknot/internal/comments"
	"unknot/internal/staff"
	"unknot/internal/store"
	"unknot/internal/subscribe"
	"unknot/internal/valid"
)

// staffPage is the data of the desk's start page: for those who may
// moderate, the comments, feedback and subscribers; for an admin, the way
// to clinic setup, invitations and the audit log; for a therapist, the
// way to their day, week and clients.
type staffPage struct {
	User         *store.User
	Moderate     bool   // staff.ModerateContent
	ManageClinic bool   // staff.ManageClinic
	ReadAudit    bool   // staff.ReadAudit
	Treats       bool   // staff.TreatClients, tied to a clinic therapist: the desk-nav pages are theirs
	Badge        string // how the user's replies are marked
	Pending      []moderatedComment
	Recent       []moderatedComment // published lately, to answer
	Feedback     []feedbackRow
	Notes        []store.FeedbackNote
	Done         string // what the last action did: approved, deleted, replied
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
	page := staffPage{User: u, Badge: staff.Badge(string(u.Roles.ReplyRole())), Done: done,
		Moderate: staff.Can(u.Roles, staff.ModerateContent), ManageClinic: staff.Can(u.Roles, staff.ManageClinic),
		ReadAudit: staff.Can(u.Roles, staff.ReadAudit), Treats: u.TherapistID != "" && staff.Can(u.Roles, staff.TreatClients)}
	if !page.Moderate {
		s.render(w, r, status, "staff.html", page)
		return
	}
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
	id, ok := s.pathID(w, r, "id")
	if !ok {
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
	id, ok := s.pathID(w, r, "id")
	if !ok {
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
				Role: string(u.Roles.ReplyRole()), Status: comments.Approved,
			},
			UserID: u.ID,
		}, replyMail)
	})
}
