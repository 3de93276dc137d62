package web

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"unknot/internal/articles"
	"unknot/internal/comments"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// testSecretKey is the secret key of test servers, and testFormKey the
// key derived from it that signs comment-form stamps, so that a test can send
// a form "opened a minute ago" without waiting.
var (
	testSecretKey = []byte("test secret key, 32 bytes or more")
	testFormKey   = deriveKey(testSecretKey, keyCommentForm)
)

// postedComment is a comment as a person sends it, a minute after the page
// was served.
func postedComment(name, body string) url.Values {
	return url.Values{"name": {name}, "body": {body}, "stamp": {comments.Stamp(testFormKey, time.Now().Add(-time.Minute))}}
}

// staffClient signs in as a new account with role and returns a client
// that keeps the session cookie and does not follow redirects.
func staffClient(t testing.TB, ts *httptest.Server, db *store.DB, email string, roles ...staff.Role) *http.Client {
	t.Helper()
	const password = "a long staff password"
	if err := db.CreateUser(t.Context(), &store.User{Email: email, Roles: staff.NewRoles(roles...), PasswordHash: staff.HashPassword(password, staff.DefaultParams)}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	resp, err := c.PostForm(ts.URL+"/staff/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff" {
		t.Fatalf("login: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	return c
}

func send(t *testing.T, c *http.Client, method, url string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, url, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func TestArticlePages(t *testing.T) {
	ts, _ := startTestServer(t, Config{BaseURL: "https://unknot.example"})
	all := articles.Default().All()
	_, index := get(t, ts.URL+"/articles")
	for _, a := range all {
		if !strings.Contains(index, `href="`+a.Path()+`"`) {
			t.Errorf("index does not link to %s", a.Path())
		}
		resp, body := get(t, ts.URL+a.Path())
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", a.Path(), resp.StatusCode)
		}
		for _, want := range []string{
			"<h1 id=\"article-title\">", "Medically reviewed:", a.Reviewed.Format("2 January 2006"), "Last updated", "min read",
			`href="/check"`, `href="/articles/tag/` + a.Tags[0] + `"`, a.References[0].URL, `id="comment-form"`, `action="/articles/` + a.Slug + `/feedback"`,
			`name="website"`, `name="stamp"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s has no %q", a.Path(), want)
			}
		}
		for _, r := range articles.Default().RelatedTo(a) {
			if !strings.Contains(body, `href="`+r.Path()+`"`) {
				t.Errorf("%s does not link to related %s", a.Path(), r.Path())
			}
		}
	}
	tag := all[0].Tags[0]
	if resp, body := get(t, ts.URL+"/articles/tag/"+tag); resp.StatusCode != http.StatusOK || !strings.Contains(body, all[0].Title) {
		t.Errorf("tag page %s: %d", tag, resp.StatusCode)
	}
	for _, path := range []string{"/articles/no-such-article", "/articles/tag/no-such-tag"} {
		if resp, _ := get(t, ts.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}

	resp, feed := get(t, ts.URL+"/articles/feed.atom")
	var parsed struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") || xml.Unmarshal([]byte(feed), &parsed) != nil ||
		len(parsed.Entries) != len(all) || parsed.Entries[0].ID != "https://unknot.example"+all[0].Path() {
		t.Errorf("feed: %s, entries %+v", resp.Header.Get("Content-Type"), parsed.Entries)
	}
	_, sitemap := get(t, ts.URL+"/sitemap.xml")
	for _, want := range []string{"<loc>https://unknot.example/</loc>", "<loc>https://unknot.example/check</loc>", "<loc>https://unknot.example" + all[0].Path() + "</loc>", "/articles/tag/" + tag + "</loc>"} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap has no %s", want)
		}
	}
	_, robots := get(t, ts.URL+"/robots.txt")
	for _, want := range []string{"Disallow: /plan/", "Disallow: /dev/", "Sitemap: https://unknot.example/sitemap.xml"} {
		if !strings.Contains(robots, want) {
			t.Errorf("robots.txt has no %q", want)
		}
	}
	if _, home := get(t, ts.URL+"/"); !strings.Contains(home, `href="/articles"`) {
		t.Error("the navigation does not link to the articles")
	}
}

func TestContentFolderOverridesArticles(t *testing.T) {
	c, err := articles.Load(articlesFS(t))
	if err != nil {
		t.Fatal(err)
	}
	ts, _ := startTestServer(t, Config{Articles: c})
	if resp, _ := get(t, ts.URL+"/articles/neck-knots"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an embedded article is still served: %d", resp.StatusCode)
	}
	if resp, body := get(t, ts.URL+"/articles/clinic-news"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Our own article") {
		t.Errorf("the folder's article: %d", resp.StatusCode)
	}
}

func TestFeedback(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	path := ts.URL + "/articles/neck-knots/feedback"
	if resp, _ := postForm(t, path, url.Values{"helpful": {"yes"}}); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/articles/neck-knots?helpful=thanks#helpful" {
		t.Fatalf("feedback: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := get(t, ts.URL+"/articles/neck-knots?helpful=thanks"); !strings.Contains(body, "Thank you for telling us") {
		t.Error("no thanks after feedback")
	}
	req, _ := http.NewRequest("POST", path, strings.NewReader("helpful=no&note=Too+long"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var answer map[string]bool
	json.NewDecoder(resp.Body).Decode(&answer)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !answer["thanks"] {
		t.Errorf("JSON feedback: %d %v", resp.StatusCode, answer)
	}
	resp, body := postForm(t, path, url.Values{"helpful": {"yes"}, "note": {strings.Repeat("x", 501)}})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "at most 500 characters") || !strings.Contains(body, strings.Repeat("x", 501)) {
		t.Errorf("long note: %d", resp.StatusCode)
	}
	if resp, _ := postForm(t, ts.URL+"/articles/nothing/feedback", url.Values{"helpful": {"yes"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("feedback on no article: %d", resp.StatusCode)
	}
	counts, err := db.FeedbackCounts(t.Context())
	if err != nil || len(counts) != 1 || counts[0] != (store.FeedbackCount{Article: "neck-knots", Yes: 1, No: 1, Comments: 1}) {
		t.Errorf("counts = %+v, %v", counts, err)
	}
}

func TestCommentHeldApprovedAndAnswered(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	article := ts.URL + "/articles/neck-knots"
	resp, _ := postForm(t, article+"/comments", postedComment(`Ana "<i>"`, "Does heat help a knot <b>at night</b>? See https://example.com/x"))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/articles/neck-knots?comment=held#comment-form" {
		t.Fatalf("post: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := get(t, article+"?comment=held"); !strings.Contains(body, "waiting for approval") || strings.Contains(body, "Does heat help") {
		t.Fatal("a held comment is shown, or its author is not told it is held")
	}

	coach := staffClient(t, ts, db, "coach@example.com", staff.Coach)
	_, dash := send(t, coach, "GET", ts.URL+"/staff", nil)
	id := regexp.MustCompile(`/staff/comments/(\d+)/approve`).FindStringSubmatch(dash)
	if id == nil || !strings.Contains(dash, "Does heat help") || !strings.Contains(dash, "0 confirmed subscribers") {
		t.Fatalf("dashboard does not list the held comment:\n%s", dash)
	}
	if resp, _ := send(t, coach, "POST", ts.URL+"/staff/comments/"+id[1]+"/approve", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", resp.StatusCode)
	}
	_, body := get(t, article)
	if !strings.Contains(body, `id="c-`+id[1]+`"><b>Ana &#34;&lt;i&gt;&#34;</b>`) || !strings.Contains(body, "&lt;b&gt;at night&lt;/b&gt;") ||
		!strings.Contains(body, `<a href="https://example.com/x" rel="nofollow ugc noopener">`) {
		t.Fatalf("approved comment not shown as escaped text with a safe link")
	}
	resp, _ = send(t, coach, "POST", ts.URL+"/staff/comments/"+id[1]+"/reply", url.Values{"name": {"Maria"}, "body": {"Yes: 15 minutes of warmth before bed."}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reply: %d", resp.StatusCode)
	}
	_, body = get(t, article)
	reply := regexp.MustCompile(`<li id="c-\d+" class="by-staff"><b>Maria</b> <span class="badge">unknot coach</span>`)
	if !reply.MatchString(body) || !strings.Contains(body, "15 minutes of warmth") {
		t.Fatal("the coach's reply is not shown marked as the coach's")
	}
	// The reply is nested under the comment it answers.
	if i, j := strings.Index(body, `id="c-`+id[1]+`"`), strings.Index(body, "Maria"); i < 0 || j < i || !strings.Contains(body[i:j], `<ol class="thread">`) {
		t.Error("the reply is not nested under the comment")
	}
	// Deleting asks once: the dashboard links to a question, which changes nothing.
	if _, body := send(t, coach, "GET", ts.URL+"/staff", nil); !strings.Contains(body, `href="/staff/comments/`+id[1]+`/delete"`) {
		t.Error("the dashboard does not link to the delete question")
	}
	if resp, body := send(t, coach, "GET", ts.URL+"/staff/comments/"+id[1]+"/delete", nil); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, "Delete this comment?") || !strings.Contains(body, `action="/staff/comments/`+id[1]+`/delete"`) {
		t.Fatalf("delete question: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/staff/comments/"+id[1]+"/delete"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("delete question without signing in: %d, want a redirect to the login", resp.StatusCode)
	}
	if _, body := get(t, article); !strings.Contains(body, "warmth") {
		t.Fatal("asking deleted the comment")
	}
	if resp, _ := send(t, coach, "POST", ts.URL+"/staff/comments/"+id[1]+"/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, body := get(t, article); strings.Contains(body, "Does heat help") || strings.Contains(body, "warmth") {
		t.Error("a deleted comment or its reply is still shown")
	}
}

func TestClinicReplyMarked(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	postForm(t, ts.URL+"/articles/neck-knots/comments", postedComment("Ben", "Which pillow?"))
	clinic := staffClient(t, ts, db, "clinic@example.com", staff.Admin)
	held, _ := db.PendingComments(t.Context(), 10)
	send(t, clinic, "POST", ts.URL+"/staff/comments/"+itoa64(held[0].ID)+"/reply", url.Values{"name": {"Riverside Clinic"}, "body": {"A medium one."}})
	if _, body := get(t, ts.URL+"/articles/neck-knots"); !strings.Contains(body, `<span class="badge">the clinic</span>`) || !strings.Contains(body, "Which pillow?") {
		t.Error("a clinic reply is not marked, or answering did not publish the comment")
	}
}

func TestCommentSpamIsDroppedSilently(t *testing.T) {
	ts, db := startTestServer(t, Config{})
	honeypot := postedComment("Bot", "Cheap pills")
	honeypot.Set("website", "http://spam.example")
	resp, _ := postForm(t, ts.URL+"/articles/neck-knots/comments", honeypot)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "comment=held") {
		t.Errorf("honeypot: %d → %s, want the same answer as a real comment", resp.StatusCode, resp.Header.Get("Location"))
	}
	if held, _ := db.PendingComments(t.Context(), 10); len(held) != 0 {
		t.Errorf("spam was kept: %+v", held)
	}
	// Sent too fast: the words are kept in the form and the person is told
	// to send again; nothing says it awaits approval.
	tooFast := postedComment("Quick", "Pasted from my notes")
	tooFast.Set("stamp", comments.Stamp(testFormKey, time.Now()))
	resp, body := postForm(t, ts.URL+"/articles/neck-knots/comments", tooFast)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "press Send again") ||
		!strings.Contains(body, ">Pasted from my notes</textarea>") || !strings.Contains(body, `value="Quick"`) {
		t.Errorf("too fast: %d, want 400 asking to send again with the text kept", resp.StatusCode)
	}
	if strings.Contains(body, "awaits approval") || strings.Contains(body, "waiting for approval") {
		t.Error("a comment sent too fast is said to await approval")
	}
	tooFast.Set("stamp", comments.Stamp(testFormKey, time.Now().Add(-time.Minute)))
	if resp, _ := postForm(t, ts.URL+"/articles/neck-knots/comments", tooFast); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sent again: %d, want 303", resp.StatusCode)
	}
	if held, _ := db.PendingComments(t.Context(), 10); len(held) != 1 || held[0].Body != "Pasted from my notes" {
		t.Errorf("held after sending again: %+v", held)
	}
	forged := postedComment("Ana", "Hello")
	forged.Set("stamp", comments.Stamp([]byte("another key"), time.Now().Add(-time.Minute)))
	resp, body = postForm(t, ts.URL+"/articles/neck-knots/comments", forged)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "please press Send again") || !strings.Contains(body, ">Hello</textarea>") {
		t.Errorf("a stale form: %d, want 400 asking to send again with the text kept", resp.StatusCode)
	}
}

func TestCommentFormErrors(t *testing.T) {
	ts, _ := startTestServer(t, Config{})
	form := postedComment("", "My words")
	form.Set("notify", "yes")
	form.Set("email", "not-an-address")
	resp, body := postForm(t, ts.URL+"/articles/neck-knots/comments", form)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", resp.StatusCode)
	}
	for _, want := range []string{`href="#cf-name"`, `href="#cf-email"`, ">My words</textarea>", `value="not-an-address"`, `name="notify" value="yes" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("error page has no %s", want)
		}
	}
	reply := postedComment("Ana", "Answer")
	reply.Set("parent", "12345")
	if resp, body := postForm(t, ts.URL+"/articles/neck-knots/comments", reply); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "no longer shown") {
		t.Errorf("reply to a missing comment: %d", resp.StatusCode)
	}
}

func TestCommentsAreRateLimited(t *testing.T) {
	ts, _ := startTestServer(t, Config{})
	var last int
	for i := range 6 {
		resp, _ := postForm(t, ts.URL+"/articles/neck-knots/comments", postedComment("Ana", "Comment "+itoa64(int64(i))))
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("sixth comment in a row: %d, want 429", last)
	}
}

func TestReplyNotifications(t *testing.T) {
	ts, db := startTestServer(t, Config{BaseURL: "http://unknot.test"})
	form := postedComment("Ana", "Will the coach answer?")
	form.Set("notify", "yes")
	form.Set("email", "ana@example.com")
	resp, _ := postForm(t, ts.URL+"/articles/neck-knots/comments", form)
	if !strings.Contains(resp.Header.Get("Location"), "comment=held-notify") {
		t.Fatalf("post: %s", resp.Header.Get("Location"))
	}
	mails, _ := db.ClaimMail(t.Context(), time.Now().Add(time.Second), time.Hour, 10)
	if len(mails) != 1 || mails[0].To != "ana@example.com" || mails[0].Kind != kindCommentConfirm {
		t.Fatalf("confirmation mail = %+v", mails)
	}
	link := regexp.MustCompile(`http://unknot\.test(/comments/notify/[A-Za-z0-9_-]+)`).FindStringSubmatch(mails[0].Text)
	if link == nil {
		t.Fatalf("no confirmation link in:\n%s", mails[0].Text)
	}
	for range 2 {
		if resp, body := get(t, ts.URL+link[1]); resp.StatusCode != http.StatusOK || !strings.Contains(body, "that is confirmed") {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
	}
	if resp, _ := get(t, ts.URL+"/comments/notify/not-a-token"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a made-up confirmation link: %d", resp.StatusCode)
	}

	coach := staffClient(t, ts, db, "coach@example.com", staff.Coach)
	held, _ := db.PendingComments(t.Context(), 10)
	send(t, coach, "POST", ts.URL+"/staff/comments/"+itoa64(held[0].ID)+"/reply", url.Values{"name": {"Maria"}, "body": {"Of course."}})
	mails, _ = db.ClaimMail(t.Context(), time.Now().Add(time.Second), time.Hour, 10)
	if len(mails) != 1 || mails[0].Kind != kindCommentReply || !strings.Contains(mails[0].Subject, "Maria (unknot coach) replied") ||
		mails[0].Headers["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click" {
		t.Fatalf("reply mail = %+v", mails)
	}
	unsub := regexp.MustCompile(`<http://unknot\.test(/comments/unsubscribe/[A-Za-z0-9_-]+)>`).FindStringSubmatch(mails[0].Headers["List-Unsubscribe"])
	if unsub == nil {
		t.Fatalf("List-Unsubscribe = %q", mails[0].Headers["List-Unsubscribe"])
	}
	if resp, body := get(t, ts.URL+unsub[1]); resp.StatusCode != http.StatusOK || !strings.Contains(body, `method="post"`) {
		t.Errorf("unsubscribe page: %d", resp.StatusCode)
	}
	// One click, as a mail client does it (RFC 8058).
	resp, err := http.Post(ts.URL+unsub[1], "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %v %v", resp, err)
	}
	resp.Body.Close()
	send(t, coach, "POST", ts.URL+"/staff/comments/"+itoa64(held[0].ID)+"/reply", url.Values{"name": {"Maria"}, "body": {"And again."}})
	if mails, _ := db.ClaimMail(t.Context(), time.Now().Add(time.Second), time.Hour, 10); len(mails) != 0 {
		t.Errorf("mail after unsubscribing: %+v", mails)
	}
}

func TestStaffLogin(t *testing.T) {
	ts, db := startTestServer(t, Config{BaseURL: "https://unknot.example"})
	if resp, _ := get(t, ts.URL+"/staff"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/login" {
		t.Fatalf("GET /staff signed out: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := db.CreateUser(t.Context(), &store.User{Email: "coach@example.com", Roles: staff.Roles{staff.Coach},
		PasswordHash: staff.HashPassword("the right password", staff.Params{Memory: 64, Time: 1, Threads: 1})}); err != nil {
		t.Fatal(err)
	}
	_, wrong := postForm(t, ts.URL+"/staff/login", url.Values{"email": {"coach@example.com"}, "password": {"a wrong password"}})
	_, unknown := postForm(t, ts.URL+"/staff/login", url.Values{"email": {"nobody@example.com"}, "password": {"a wrong password"}})
	if !strings.Contains(wrong, "do not match an account") || !strings.Contains(unknown, "do not match an account") {
		t.Error("a failed login does not say the same thing whether or not the account exists")
	}

	// A cookie planted before login must not survive it.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: noRedirect.CheckRedirect}
	resp, _ := send(t, c, "POST", ts.URL+"/staff/login", url.Values{"email": {"Coach@Example.com "}, "password": {"the right password"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "unknot_staff" {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/staff" {
		t.Fatalf("session cookie = %+v", cookie)
	}
	// The cookie is Secure (base URL is https), so the jar will not send it
	// over the test's plain http: send it by hand.
	req, _ := http.NewRequest("GET", ts.URL+"/staff", nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("dashboard: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	u, _ := db.UserByEmail(t.Context(), "coach@example.com")
	if staff.NeedsRehash(u.PasswordHash, staff.DefaultParams) {
		t.Error("a weak hash was not strengthened at login")
	}

	req, _ = http.NewRequest("POST", ts.URL+"/staff/logout", nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	if resp, err := noRedirect.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %v %v", resp, err)
	}
	req, _ = http.NewRequest("GET", ts.URL+"/staff", nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	if resp, _ := noRedirect.Do(req); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the session still works after logout: %d", resp.StatusCode)
	}

	var last int
	for range 6 {
		resp, _ := postForm(t, ts.URL+"/staff/login", url.Values{"email": {"coach@example.com"}, "password": {"guess"}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("many failed logins: %d, want 429", last)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// articlesFS is a content folder with one article of a clinic's own.
func articlesFS(t *testing.T) fstest.MapFS {
	t.Helper()
	return fstest.MapFS{"clinic-news.md": {Data: []byte(`---
title: Our own article
slug: clinic-news
summary: A clinic's own article replaces the embedded ones.
author: Riverside Clinic
reviewer: Reviewed by a licensed physiotherapist
reviewed: 2026-10-01
updated: 2026-10-01
published: 2026-10-01
tags: clinic
references:
- Neck pain | NHS | https://www.nhs.uk/conditions/neck-pain/
---
Most knots ease with warmth and gentle movement [1]. This is general information, not medical advice:
take [the self-check](/check) if you are unsure.
`)}}
}
