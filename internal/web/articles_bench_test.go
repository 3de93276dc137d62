package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"

	"unknot/internal/comments"
	"unknot/internal/library"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// sampleComments are the kinds of thing readers write, from a line to a
// short paragraph, some with a link.
var sampleComments = []string{
	"Thank you, the doorway stretch helped within a day.",
	"I have had a knot under my right shoulder blade for three weeks. Heat helps for an hour and then it is back. Is it time to see someone, or should I keep going with the tennis ball for another week?",
	"The part about pillows was an eye-opener. I swapped my two pillows for one medium one and the morning stiffness is much better.\n\nWhat height would you suggest for a side sleeper?",
	"My physio gave me a similar routine, and this page explains the why: https://www.nhs.uk/conditions/neck-pain/ is worth a read too.",
	"Is it normal for the knot to feel sore the day after self-massage? It is better the day after that.",
}

// seedComments publishes n comments under slug, every fourth one a coach's
// reply to the comment before it, and returns the server's handler.
func seedComments(tb testing.TB, slug string, n int) http.Handler {
	tb.Helper()
	db, err := store.Open(tb.Context(), filepath.Join(tb.TempDir(), "bench.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	var last int64
	for i := range n {
		body := sampleComments[i%len(sampleComments)]
		c := &store.NewComment{Comment: comments.Comment{
			Article: slug, Name: fmt.Sprintf("Reader %d", i), Body: body, HTML: comments.Render(body), Status: comments.Approved,
		}}
		if i%4 == 3 {
			c.ParentID, c.Name, c.Role = last, "Maria", string(staff.Coach)
		}
		if err := db.CreateComment(tb.Context(), c, nil); err != nil {
			tb.Fatal(err)
		}
		if c.ParentID == 0 {
			last = c.ID
		}
	}
	srv, err := New(Config{}, library.Default(), db, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	return srv.Handler()
}

// BenchmarkArticleWith200Comments renders an article page with 200
// published comments, the goal being under 10 ms.
func BenchmarkArticleWith200Comments(b *testing.B) {
	h := seedComments(b, "upper-back-knots", 200)
	req := httptest.NewRequest("GET", "/articles/upper-back-knots", nil)
	var size int
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

// TestArticleWith200CommentsWeight keeps an article with 200 comments,
// with its stylesheet and script (no images), under 100 KB.
func TestArticleWith200CommentsWeight(t *testing.T) {
	h := seedComments(t, "upper-back-knots", 200)
	fetch := func(path string) string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, w.Code)
		}
		return w.Body.String()
	}
	page := fetch("/articles/upper-back-knots")
	if n := len(regexp.MustCompile(`<li id="c-\d+"`).FindAllString(page, -1)); n != 200 {
		t.Fatalf("page shows %d comments, want 200", n)
	}
	total := len(page) + len(fetch("/static/app.css")) + len(fetch("/static/articles.js"))
	if total > 100_000 {
		t.Errorf("article with 200 comments weighs %d bytes with CSS and JS, budget 100,000", total)
	}
	t.Logf("article with 200 comments: page %d bytes, with CSS and JS %d bytes", len(page), total)
}
