package store

import (
	"context"
	"errors"
	"html/template"
	"strings"
	"testing"
	"time"

	"unknot/internal/comments"
	"unknot/internal/mail"
	"unknot/internal/secret"
)

func testComment(article string, parent int64, name string, status comments.Status) *NewComment {
	body := "Heat and the doorway stretch helped, " + name + "."
	return &NewComment{Comment: comments.Comment{
		Article: article, ParentID: parent, Name: name, Body: body, HTML: comments.Render(body), Status: status,
	}}
}

// queued returns the mail waiting in the outbox, claiming it.
func queued(t *testing.T, db *DB) []mail.Queued {
	t.Helper()
	q, err := db.ClaimMail(context.Background(), time.Now().Add(time.Second), time.Hour, 100)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestCommentsModeration(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		top := testComment("neck-knots", 0, "Ana", comments.Pending)
		if err := db.CreateComment(ctx, top, nil); err != nil {
			t.Fatal(err)
		}
		if top.ID == 0 || top.CreatedAt.IsZero() {
			t.Fatalf("CreateComment did not set ID and CreatedAt: %+v", top)
		}
		if got, _ := db.ApprovedComments(ctx, "neck-knots"); len(got) != 0 {
			t.Fatalf("a pending comment is public: %+v", got)
		}
		pending, err := db.PendingComments(ctx, 10)
		if err != nil || len(pending) != 1 || pending[0] != top.Comment {
			t.Fatalf("PendingComments = %+v, %v; want %+v", pending, err, top.Comment)
		}
		if err := db.ApproveComment(ctx, top.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.ApproveComment(ctx, top.ID, nil); err != nil {
			t.Errorf("approving twice: %v", err)
		}
		reply := testComment("neck-knots", top.ID, "Coach", comments.Approved)
		reply.Role, reply.UserID = "staff", 0
		if err := db.CreateComment(ctx, reply, nil); err != nil {
			t.Fatal(err)
		}
		if recent, err := db.RecentComments(ctx, 10); err != nil || len(recent) != 1 || recent[0].ID != top.ID {
			t.Errorf("RecentComments = %+v, %v; want only the visitor's comment", recent, err)
		}
		got, err := db.ApprovedComments(ctx, "neck-knots")
		if err != nil || len(got) != 2 || got[0].ID != top.ID || got[1].ParentID != top.ID || got[1].Role != "staff" {
			t.Fatalf("ApprovedComments = %+v, %v", got, err)
		}
		if got[0].HTML != template.HTML("<p>Heat and the doorway stretch helped, Ana.</p>") {
			t.Errorf("HTML = %q", got[0].HTML)
		}
		if err := db.CreateComment(ctx, testComment("upper-back-knots", top.ID, "Eve", comments.Pending), nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("reply under another article: %v, want ErrNotFound", err)
		}
		if err := db.CreateComment(ctx, testComment("neck-knots", 999, "Eve", comments.Pending), nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("reply to nothing: %v, want ErrNotFound", err)
		}
		if err := db.DeleteComment(ctx, top.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.ApprovedComments(ctx, "neck-knots"); len(got) != 0 {
			t.Errorf("deleting a comment left its replies: %+v", got)
		}
		for name, err := range map[string]error{
			"approve": db.ApproveComment(ctx, top.ID, nil),
			"delete":  db.DeleteComment(ctx, top.ID),
		} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s a deleted comment: %v, want ErrNotFound", name, err)
			}
		}
		if _, err := db.CommentByID(ctx, top.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("CommentByID(deleted) = %v", err)
		}
	})
}

func TestCommentReplyNotifications(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		var confirmToken string
		top := testComment("neck-knots", 0, "Ana", comments.Pending)
		top.Notify = &NotifyRequest{
			Email:   "ana@example.com",
			Expires: time.Now().Add(7 * 24 * time.Hour),
			Mail: func(token string) (*mail.Message, error) {
				confirmToken = token
				return &mail.Message{Kind: "comment_confirm", To: "ana@example.com", Subject: "Confirm", Text: "/comments/notify/" + token}, nil
			},
		}
		if err := db.CreateComment(ctx, top, nil); err != nil {
			t.Fatal(err)
		}
		if q := queued(t, db); len(q) != 1 || !strings.Contains(q[0].Text, confirmToken) || !secret.Valid(confirmToken) {
			t.Fatalf("confirmation mail = %+v", q)
		}
		if n, err := db.CountNotifyRequests(ctx, "ana@example.com", time.Now().Add(-time.Hour)); n != 1 || err != nil {
			t.Errorf("CountNotifyRequests = %d, %v; want 1", n, err)
		}
		if err := db.ApproveComment(ctx, top.ID, nil); err != nil {
			t.Fatal(err)
		}

		var unsubscribe string
		replyMail := func(n ReplyNotice) (*mail.Message, error) {
			unsubscribe = n.UnsubscribeToken
			if n.Parent.ID != top.ID || n.Reply.Name == "" {
				t.Errorf("notice = %+v", n)
			}
			return &mail.Message{Kind: "comment_reply", To: n.To, Subject: "A reply", Text: "unsubscribe " + n.UnsubscribeToken}, nil
		}
		// Not confirmed yet: a reply sends nothing.
		if err := db.CreateComment(ctx, testComment("neck-knots", top.ID, "Coach", comments.Approved), replyMail); err != nil {
			t.Fatal(err)
		}
		if q := queued(t, db); len(q) != 0 {
			t.Fatalf("mail before confirmation: %+v", q)
		}
		if _, err := db.ConfirmCommentNotify(ctx, secret.Hash(confirmToken), time.Now().Add(8*24*time.Hour)); !errors.Is(err, ErrNotFound) {
			t.Errorf("expired confirmation: %v, want ErrNotFound", err)
		}
		for range 2 {
			c, err := db.ConfirmCommentNotify(ctx, secret.Hash(confirmToken), time.Now())
			if err != nil || c.ID != top.ID {
				t.Fatalf("ConfirmCommentNotify = %+v, %v", c, err)
			}
		}
		// A held reply sends nothing until it is approved, and then once.
		held := testComment("neck-knots", top.ID, "Ben", comments.Pending)
		if err := db.CreateComment(ctx, held, replyMail); err != nil {
			t.Fatal(err)
		}
		if q := queued(t, db); len(q) != 0 {
			t.Fatalf("mail for a held reply: %+v", q)
		}
		db.ApproveComment(ctx, held.ID, replyMail)
		db.ApproveComment(ctx, held.ID, replyMail)
		q := queued(t, db)
		if len(q) != 1 || q[0].To != "ana@example.com" || q[0].Kind != "comment_reply" {
			t.Fatalf("reply mail = %+v", q)
		}
		if err := db.StopCommentNotify(ctx, secret.Hash(confirmToken)); !errors.Is(err, ErrNotFound) {
			t.Errorf("a confirmation token unsubscribed: %v", err)
		}
		if err := db.StopCommentNotify(ctx, secret.Hash(unsubscribe)); err != nil {
			t.Fatal(err)
		}
		if err := db.StopCommentNotify(ctx, secret.Hash(unsubscribe)); !errors.Is(err, ErrNotFound) {
			t.Errorf("second unsubscribe: %v, want ErrNotFound", err)
		}
		if err := db.CreateComment(ctx, testComment("neck-knots", top.ID, "Cy", comments.Approved), replyMail); err != nil {
			t.Fatal(err)
		}
		if q := queued(t, db); len(q) != 0 {
			t.Errorf("mail after unsubscribing: %+v", q)
		}
		var email *string
		if err := db.rdb.QueryRow(`SELECT notify_email FROM comments WHERE id = $1`, top.ID).Scan(&email); err != nil || email != nil {
			t.Errorf("address kept after unsubscribing: %v, %v", email, err)
		}
	})
}

func TestFeedback(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		for _, f := range []struct {
			article string
			fb      comments.Feedback
		}{
			{"neck-knots", comments.Feedback{Helpful: true}},
			{"neck-knots", comments.Feedback{Helpful: true, Note: "clear"}},
			{"neck-knots", comments.Feedback{Note: "too long"}},
			{"upper-back-knots", comments.Feedback{Helpful: true}},
		} {
			if err := db.AddFeedback(ctx, f.article, f.fb); err != nil {
				t.Fatal(err)
			}
		}
		counts, err := db.FeedbackCounts(ctx)
		want := []FeedbackCount{{"neck-knots", 2, 1, 2}, {"upper-back-knots", 1, 0, 0}}
		if err != nil || len(counts) != 2 || counts[0] != want[0] || counts[1] != want[1] {
			t.Errorf("FeedbackCounts = %+v, %v; want %+v", counts, err, want)
		}
		notes, err := db.FeedbackNotes(ctx, 10)
		if err != nil || len(notes) != 2 || notes[0].Note != "too long" || notes[0].Helpful || notes[1].Note != "clear" {
			t.Errorf("FeedbackNotes = %+v, %v", notes, err)
		}
	})
}
