package articles

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// The feed and sitemap as a reader would parse them, independent of the
// structs the package writes with.
type readFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Summary string `xml:"summary"`
		Author  string `xml:"author>name"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type readSitemap struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func TestAtom(t *testing.T) {
	c := Default()
	var buf bytes.Buffer
	if err := c.Atom("https://unknot.example/", &buf); err != nil {
		t.Fatal(err)
	}
	var feed readFeed
	if err := xml.Unmarshal(buf.Bytes(), &feed); err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, buf.String())
	}
	if feed.ID != "https://unknot.example/articles/" || feed.Title == "" {
		t.Errorf("feed id %q, title %q", feed.ID, feed.Title)
	}
	if len(feed.Links) != 2 || feed.Links[0].Rel != "self" || feed.Links[0].Href != "https://unknot.example/articles/feed.atom" {
		t.Errorf("feed links %+v", feed.Links)
	}

	all := c.All()
	if len(feed.Entries) != len(all) {
		t.Fatalf("%d entries for %d articles", len(feed.Entries), len(all))
	}
	var newest time.Time
	for i, a := range all {
		e := feed.Entries[i]
		url := "https://unknot.example/articles/" + a.Slug
		if e.ID != url || e.Link.Href != url {
			t.Errorf("entry %d: id %q, link %q, want %q", i, e.ID, e.Link.Href, url)
		}
		if e.Title != a.Title || e.Summary != a.Summary || e.Author != a.Author {
			t.Errorf("entry %d: title %q, summary %q, author %q do not match %s", i, e.Title, e.Summary, e.Author, a.Slug)
		}
		if len(e.Categories) != len(a.Tags) {
			t.Errorf("entry %d: %d categories for %d tags", i, len(e.Categories), len(a.Tags))
		}
		updated, err := time.Parse(time.RFC3339, e.Updated)
		if err != nil || !updated.Equal(a.Updated) {
			t.Errorf("entry %d: updated %q (%v), want %v", i, e.Updated, err, a.Updated)
		}
		newest = later(newest, a.Updated)
	}
	if feed.Updated != newest.Format(time.RFC3339) {
		t.Errorf("feed updated %q, want the newest entry's %s", feed.Updated, newest.Format(time.RFC3339))
	}
}

func TestSitemap(t *testing.T) {
	c := Default()
	pages := append(c.Pages(), Page{Path: "/check"})
	var buf bytes.Buffer
	if err := Sitemap("https://unknot.example", pages, &buf); err != nil {
		t.Fatal(err)
	}
	var set readSitemap
	if err := xml.Unmarshal(buf.Bytes(), &set); err != nil {
		t.Fatalf("sitemap does not parse: %v\n%s", err, buf.String())
	}
	got := map[string]string{}
	for _, u := range set.URLs {
		got[u.Loc] = u.LastMod
	}
	if len(set.URLs) != len(c.All())+1 {
		t.Errorf("%d URLs, want %d", len(set.URLs), len(c.All())+1)
	}
	for _, a := range c.All() {
		loc := "https://unknot.example/articles/" + a.Slug
		if lastmod, ok := got[loc]; !ok || lastmod != a.Updated.Format("2006-01-02") {
			t.Errorf("%s: lastmod %q (listed %v), want %s", loc, lastmod, ok, a.Updated.Format("2006-01-02"))
		}
	}
	if lastmod, ok := got["https://unknot.example/check"]; !ok || lastmod != "" {
		t.Errorf("/check: listed %v with lastmod %q, want listed without lastmod", ok, lastmod)
	}
}

func TestFeedsRejectBadInput(t *testing.T) {
	c := Default()
	for _, base := range []string{"", "unknot.example", "/articles", "ftp://unknot.example", "https://unknot.example/?q=1", "https://unknot.example/#top"} {
		if err := c.Atom(base, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("Atom(%q): %v, want a base URL error", base, err)
		}
		if err := Sitemap(base, c.Pages(), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("Sitemap(%q): %v, want a base URL error", base, err)
		}
	}
	for _, path := range []string{"", "articles/x", "//evil.example/x"} {
		err := Sitemap("https://unknot.example", []Page{{Path: path}}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "page 0") {
			t.Errorf("Sitemap with path %q: %v, want an error naming page 0", path, err)
		}
	}
	if err := Sitemap("https://unknot.example", make([]Page, maxSitemapURLs+1), &bytes.Buffer{}); err == nil {
		t.Error("Sitemap accepted more than 50,000 pages")
	}
}
