package articles

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// goodBody is a minimal body that passes every body rule with one reference.
const goodBody = "Knots ease with care [1]. This is general information, not medical advice. Take [the self-check](/check).\n"

// fields returns valid front matter for slug, as key → value. The value of
// "references" is the lines under the key.
func fields(slug string) map[string]string {
	return map[string]string{
		"title":      "Title of " + slug,
		"slug":       slug,
		"summary":    "A summary.",
		"author":     "unknot editorial team",
		"reviewer":   "Reviewed by a licensed physiotherapist (unknot clinical panel)",
		"reviewed":   "2026-01-10",
		"updated":    "2026-01-10",
		"published":  "2026-01-01",
		"tags":       "neck, knots",
		"references": "- Neck pain | NHS | https://www.nhs.uk/conditions/neck-pain/",
	}
}

// file writes front matter in the order of keys, then body.
func file(f map[string]string, body string) *fstest.MapFile {
	var b strings.Builder
	b.WriteString("---\n")
	for _, k := range keys {
		v, ok := f[k]
		switch {
		case !ok:
		case k == "references":
			b.WriteString("references:\n" + v + "\n")
		default:
			b.WriteString(k + ": " + v + "\n")
		}
	}
	b.WriteString("---\n" + body)
	return &fstest.MapFile{Data: []byte(b.String())}
}

func TestEmbeddedContent(t *testing.T) {
	c := Default()
	all := c.All()
	if len(all) < 6 {
		t.Fatalf("%d embedded articles, want at least 6", len(all))
	}
	for _, slug := range []string{"upper-back-knots", "neck-knots", "self-massage-for-knots", "upper-back-pain-at-home", "massage-therapy-upper-back", "when-to-see-a-professional"} {
		if _, ok := c.Get(slug); !ok {
			t.Errorf("no embedded article %q", slug)
		}
	}
	for _, a := range all {
		if a.Words < 700 || a.Words > 1300 {
			t.Errorf("%s: %d words, want 700–1300", a.Slug, a.Words)
		}
		if len(a.References) < 3 {
			t.Errorf("%s: %d references, want at least 3", a.Slug, len(a.References))
		}
		if len(c.RelatedTo(a)) == 0 {
			t.Errorf("%s: no related articles", a.Slug)
		}
		if a.Author != "unknot editorial team" {
			t.Errorf("%s: author %q", a.Slug, a.Author)
		}
		if a.Reviewed.Before(a.Updated) {
			t.Errorf("%s: reviewed %s before its last update %s", a.Slug, a.Reviewed.Format(dateLayout), a.Updated.Format(dateLayout))
		}
		if !strings.Contains(string(a.HTML), `href="/check"`) {
			t.Errorf("%s: HTML has no link to /check", a.Slug)
		}
	}
}

func TestLoad(t *testing.T) {
	older := fields("older")
	older["related"] = "newer"
	newer := fields("newer")
	newer["published"], newer["updated"], newer["reviewed"] = "2026-02-01", "2026-02-03", "2026-02-03"
	newer["tags"] = "upper-back, neck"
	newer["references"] += "\n  - Back pain | NHS | https://www.nhs.uk/conditions/back-pain/"
	body := `## Heat or ice

Use heat [1], or ice [2]. See [the NHS](https://www.nhs.uk/), https://example.org/x,
[the older article](/articles/older) and [the self-check](/check?from=article).
This is general information, not medical advice.

| a | b |
| --- | --- |
| 1 | 2 |
`
	c, err := Load(fstest.MapFS{
		"older.md":   file(older, goodBody),
		"newer.md":   file(newer, body),
		"README.txt": {Data: []byte("not an article")},
	})
	if err != nil {
		t.Fatal(err)
	}

	var slugs []string
	for _, a := range c.All() {
		slugs = append(slugs, a.Slug)
	}
	if want := []string{"newer", "older"}; !slices.Equal(slugs, want) {
		t.Errorf("All() = %v, want newest first %v", slugs, want)
	}
	if got, want := c.Tags(), []string{"knots", "neck", "upper-back"}; !slices.Equal(got, want) {
		t.Errorf("Tags() = %v, want %v", got, want)
	}
	if got := c.Tagged("neck"); len(got) != 2 || got[0].Slug != "newer" {
		t.Errorf("Tagged(neck) = %v, want both, newest first", got)
	}
	if got := c.Tagged("knots"); len(got) != 1 || got[0].Slug != "older" {
		t.Errorf("Tagged(knots) = %v, want [older]", got)
	}
	if got := c.Tagged("nothing"); len(got) != 0 {
		t.Errorf("Tagged(nothing) = %v, want none", got)
	}
	if _, ok := c.Get("missing"); ok {
		t.Error(`Get("missing") found an article`)
	}

	a, ok := c.Get("older")
	if !ok {
		t.Fatal(`Get("older") found nothing`)
	}
	if rel := c.RelatedTo(a); len(rel) != 1 || rel[0].Slug != "newer" {
		t.Errorf("RelatedTo(older) = %v, want [newer]", rel)
	}
	if a.Path() != "/articles/older" {
		t.Errorf("Path() = %q", a.Path())
	}
	wantDate := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	if !a.Reviewed.Equal(wantDate) || !a.Published.Equal(wantDate.AddDate(0, 0, -9)) {
		t.Errorf("reviewed %v, published %v", a.Reviewed, a.Published)
	}
	if a.Reviewer != "Reviewed by a licensed physiotherapist (unknot clinical panel)" || a.Summary != "A summary." {
		t.Errorf("front matter not kept: %+v", a)
	}
	if want := []Reference{{"Neck pain", "NHS", "https://www.nhs.uk/conditions/neck-pain/"}}; !slices.Equal(a.References, want) {
		t.Errorf("References = %v, want %v", a.References, want)
	}

	n, _ := c.Get("newer")
	html := string(n.HTML)
	for _, want := range []string{
		`<h2 id="heat-or-ice">Heat or ice</h2>`,
		`<a href="https://www.nhs.uk/" rel="noopener">the NHS</a>`,
		`<a href="https://example.org/x" rel="noopener">`,
		`<a href="/articles/older">the older article</a>`,
		`<a href="/check?from=article">`,
		`<table>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %s:\n%s", want, html)
		}
	}
	if strings.Count(html, "noopener") != 2 {
		t.Errorf("want rel=noopener on the two external links only:\n%s", html)
	}
}

func TestRawHTMLIsDropped(t *testing.T) {
	body := goodBody + `
<script>alert("block")</script>

Inline <script>alert("inline")</script> and <img src=x onerror=alert(1)> and [a link](javascript:alert(1)).
`
	c, err := Load(fstest.MapFS{"a.md": file(fields("a"), body)})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Get("a")
	html := strings.ToLower(string(a.HTML))
	for _, bad := range []string{"<script", "<img", "onerror", "javascript:"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, a.HTML)
		}
	}
}

func TestWordsAndReadingTime(t *testing.T) {
	body := goodBody + "\n## A heading\n\n" + strings.Repeat("word ", 985) + "\n\n- **bold**and*em* `code`\n"
	c, err := Load(fstest.MapFS{"a.md": file(fields("a"), body)})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := c.Get("a")
	// goodBody has 15 words, the heading 2, the filler 985, the list item 2.
	if a.Words != 1004 || a.ReadingMinutes != 5 {
		t.Errorf("Words = %d, ReadingMinutes = %d; want 1004 and 5", a.Words, a.ReadingMinutes)
	}

	for _, tc := range []struct{ words, minutes int }{
		{0, 1}, {1, 1}, {299, 1}, {300, 2}, {1000, 5}, {1099, 5}, {1100, 6},
	} {
		if got := readingMinutes(tc.words); got != tc.minutes {
			t.Errorf("readingMinutes(%d) = %d, want %d", tc.words, got, tc.minutes)
		}
	}
}

func TestLoadRejects(t *testing.T) {
	type files = fstest.MapFS
	with := func(key, value string) files {
		f := fields("a")
		f[key] = value
		return files{"a.md": file(f, goodBody)}
	}
	without := func(key string) files {
		f := fields("a")
		delete(f, key)
		return files{"a.md": file(f, goodBody)}
	}
	body := func(b string) files { return files{"a.md": file(fields("a"), b)} }
	raw := func(s string) files { return files{"a.md": {Data: []byte(s)}} }

	cases := []struct {
		name  string
		fsys  files
		where string // "file: key:" the error must name
		what  string // part of the message
	}{
		{"no front matter", raw(goodBody), "a.md: front matter:", "must start"},
		{"unclosed front matter", raw("---\ntitle: x\n" + goodBody), "a.md: front matter:", `no closing "---"`},
		{"line without colon", raw("---\ntitle x\n---\n" + goodBody), "a.md: front matter:", "line 2"},
		{"unknown key", raw(strings.Replace(string(file(fields("a"), goodBody).Data), "---\n", "---\ncolour: red\n", 1)), "a.md: colour:", "unknown key"},
		{"duplicate key", raw(strings.Replace(string(file(fields("a"), goodBody).Data), "---\n", "---\ntitle: Again\n", 1)), "a.md: title:", "given twice"},
		{"empty value", with("summary", ""), "a.md: summary:", "empty"},
		{"bad slug", with("slug", "Neck_Knots"), "a.md: slug:", "lower-case"},
		{"duplicate slug", files{"a.md": file(fields("same"), goodBody), "b.md": file(fields("same"), goodBody)}, "b.md: slug:", "already the slug of a.md"},
		{"bad reviewed", with("reviewed", "2026-13-01"), "a.md: reviewed:", "not a date"},
		{"bad updated", with("updated", "10/01/2026"), "a.md: updated:", "not a date"},
		{"bad published", with("published", "2026-1-1"), "a.md: published:", "not a date"},
		{"updated before published", with("updated", "2025-12-31"), "a.md: updated:", "before published"},
		{"bad tag", with("tags", "neck, Upper Back"), "a.md: tags:", `"Upper Back"`},
		{"duplicate tag", with("tags", "neck, neck"), "a.md: tags:", "twice"},
		{"unknown related", with("related", "nowhere"), "a.md: related:", `no article has the slug "nowhere"`},
		{"related to itself", with("related", "a"), "a.md: related:", "itself"},
		{"http reference", with("references", "- Neck pain | NHS | http://www.nhs.uk/"), "a.md: references:", "not an https URL"},
		{"reference not a URL", with("references", "- Neck pain | NHS | www.nhs.uk"), "a.md: references:", "not an https URL"},
		{"reference without publisher", with("references", "- Neck pain | https://www.nhs.uk/"), "a.md: references:", "Title | Publisher | URL"},
		{"reference empty title", with("references", "-  | NHS | https://www.nhs.uk/"), "a.md: references:", "must not be empty"},
		{"second reference bad", with("references", "- A | B | https://a.example/\n- C | D | ftp://c.example/"), "a.md: references:", "item 2:"},
		{"no references listed", with("references", ""), "a.md: references:", "at least one"},
		{"list item outside references", raw("---\n- stray\n---\n" + goodBody), "a.md: front matter:", "belongs under"},
		{"empty body", body("\n \n"), "a.md: body:", "empty"},
		{"no link to the self-check", body("Text [1]. Not medical advice.\n"), "a.md: body:", "self-check"},
		{"no disclaimer", body("Text [1]. [Check](/check).\n"), "a.md: body:", "not medical advice"},
		{"level-1 heading", body("# Title again\n\n" + goodBody), "a.md: body:", "level-1"},
		{"citation out of range", body(goodBody + "More [2].\n"), "a.md: body:", "cites [2]"},
		{"reference never cited", body("Not medical advice. [Check](/check).\n"), "a.md: references:", "reference 1 is never cited"},
		{"link to a missing article", body(goodBody + "[More](/articles/nowhere#top).\n"), "a.md: body:", "/articles/nowhere"},
	}
	for _, k := range keys {
		if optional[k] {
			continue
		}
		cases = append(cases, struct {
			name  string
			fsys  files
			where string
			what  string
		}{"missing " + k, without(k), "a.md: " + k + ":", "missing"})
	}

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.fsys)
			if err == nil {
				t.Fatalf("Load accepted it: %d articles", len(c.All()))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %v is not an *Error", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.where) || !strings.Contains(msg, tc.what) {
				t.Errorf("error %q\nwant it to name %q and say %q", msg, tc.where, tc.what)
			}
		})
	}
}

func TestLoadReportsEveryFile(t *testing.T) {
	bad1, bad2 := fields("one"), fields("two")
	bad1["reviewed"] = "soon"
	delete(bad2, "author")
	_, err := Load(fstest.MapFS{"one.md": file(bad1, goodBody), "two.md": file(bad2, goodBody)})
	if err == nil {
		t.Fatal("Load accepted two bad files")
	}
	for _, want := range []string{"one.md: reviewed:", "two.md: author: missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestLoadNoArticles(t *testing.T) {
	if _, err := Load(fstest.MapFS{"notes.txt": {Data: []byte("x")}}); err == nil || !strings.Contains(err.Error(), "no *.md files") {
		t.Errorf("Load of a folder without articles: %v", err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.md"), file(fields("a"), goodBody).Data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("a"); !ok {
		t.Error("LoadDir lost the article")
	}

	if _, err := LoadDir(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadDir of a missing folder: %v, want not-exist", err)
	}
	if _, err := LoadDir(filepath.Join(dir, "a.md")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("LoadDir of a file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.md"), []byte("no front matter"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "b.md: front matter:") {
		t.Errorf("LoadDir with a bad file: %v, want the folder and file named", err)
	}
}

func TestWindowsEditors(t *testing.T) {
	f := file(fields("a"), goodBody)
	crlf := "\ufeff" + strings.ReplaceAll(string(f.Data), "\n", "\r\n")
	if _, err := Load(fstest.MapFS{"a.md": {Data: []byte(crlf)}}); err != nil {
		t.Errorf("byte-order mark and CRLF line endings: %v", err)
	}
}

func BenchmarkLoad(b *testing.B) {
	content, err := fs.Sub(embedded, "content")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(content); err != nil {
			b.Fatal(err)
		}
	}
}
