package articles

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Atom 1.0 (RFC 4287) as encoding/xml writes it.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published"`
	Link       atomLink       `xml:"link"`
	Author     atomPerson     `xml:"author"`
	Summary    string         `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// Atom writes the collection as an Atom 1.0 feed, newest article first, so
// that readers and clinics can follow new and revised articles. baseURL is
// the site's absolute root, such as "https://unknot.example"; entry ids are
// the articles' absolute URLs, which never change while the slug does not.
func (c *Collection) Atom(baseURL string, w io.Writer) error {
	base, err := siteRoot(baseURL)
	if err != nil {
		return fmt.Errorf("articles: atom: %w", err)
	}
	feed := atomFeed{
		ID:    base + PathPrefix,
		Title: "unknot articles",
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + FeedPath},
			{Rel: "alternate", Type: "text/html", Href: base + PathPrefix},
		},
	}
	var newest time.Time
	for _, a := range c.all {
		newest = later(newest, a.Updated)
		e := atomEntry{
			ID:        base + a.Path(),
			Title:     a.Title,
			Updated:   a.Updated.Format(time.RFC3339),
			Published: a.Published.Format(time.RFC3339),
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: base + a.Path()},
			Author:    atomPerson{Name: a.Author},
			Summary:   a.Summary,
		}
		for _, t := range a.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t})
		}
		feed.Entries = append(feed.Entries, e)
	}
	feed.Updated = newest.Format(time.RFC3339)
	if err := writeXML(w, feed); err != nil {
		return fmt.Errorf("articles: atom: %w", err)
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// sitemaps.org 0.9 as encoding/xml writes it.
type sitemapSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// maxSitemapURLs is the sitemaps.org limit for one file.
const maxSitemapURLs = 50000

// Page is one page of the site for a sitemap: its path, starting with "/",
// and when its content last changed (the zero time when unknown).
type Page struct {
	Path    string
	LastMod time.Time
}

// Pages lists the collection's articles for a sitemap, newest first, each
// with the date its text last changed.
func (c *Collection) Pages() []Page {
	pages := make([]Page, len(c.all))
	for i, a := range c.all {
		pages[i] = Page{Path: a.Path(), LastMod: a.Updated}
	}
	return pages
}

// Sitemap writes pages as a sitemaps.org 0.9 sitemap so that search engines
// find every article and know when it changed. The caller adds the site's
// other pages to Collection.Pages. baseURL is the site's absolute root, such
// as "https://unknot.example"; dates are written as YYYY-MM-DD.
func Sitemap(baseURL string, pages []Page, w io.Writer) error {
	base, err := siteRoot(baseURL)
	if err != nil {
		return fmt.Errorf("articles: sitemap: %w", err)
	}
	if len(pages) > maxSitemapURLs {
		return fmt.Errorf("articles: sitemap: %d pages, more than the %d one sitemap may list", len(pages), maxSitemapURLs)
	}
	set := sitemapSet{URLs: make([]sitemapURL, len(pages))}
	for i, p := range pages {
		if !strings.HasPrefix(p.Path, "/") || strings.HasPrefix(p.Path, "//") {
			return fmt.Errorf("articles: sitemap: page %d: path %q must start with a single \"/\"", i, p.Path)
		}
		set.URLs[i].Loc = base + p.Path
		if !p.LastMod.IsZero() {
			set.URLs[i].LastMod = p.LastMod.Format(dateLayout)
		}
	}
	if err := writeXML(w, set); err != nil {
		return fmt.Errorf("articles: sitemap: %w", err)
	}
	return nil
}

// siteRoot checks that baseURL is an absolute http(s) URL with no query or
// fragment and returns it without a trailing slash.
func siteRoot(baseURL string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("base URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("base URL must be an absolute http(s) URL such as https://unknot.example, with no query or fragment")
	}
	return strings.TrimRight(baseURL, "/"), nil
}

// writeXML writes the XML declaration and v, indented.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
