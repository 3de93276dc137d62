// Package articles is unknot's reading material: Markdown articles with
// medical-review metadata (author, reviewer, review date), tags, related
// articles and numbered references. Articles are embedded in the binary and
// may be replaced at start-up by a folder of the same shape (LoadDir); either
// way they are validated on load, because a health article with a missing
// reviewer, a dead cross-link or no way to the self-check must not go live.
//
// Each file is front matter between two "---" lines, then the Markdown body:
//
//	---
//	title: Knots in the neck
//	slug: neck-knots
//	summary: Why the neck knots up and what helps.
//	author: unknot editorial team
//	reviewer: Reviewed by a licensed physiotherapist (unknot clinical panel)
//	reviewed: 2026-01-20
//	updated: 2026-01-20
//	published: 2025-11-03
//	tags: neck, posture
//	related: upper-back-knots, when-to-see-a-professional
//	references:
//	- Neck pain | NHS | https://www.nhs.uk/conditions/neck-pain/
//	---
//	Markdown that cites references as [1] and links to [the self-check](/check).
//
// The package does no HTTP; the web layer serves an article at
// PathPrefix+slug and the feed at FeedPath.
package articles

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"
)

const (
	// PathPrefix is the URL path under which the web layer serves articles;
	// an article lives at PathPrefix + slug.
	PathPrefix = "/articles/"
	// FeedPath is the URL path at which the web layer serves the Atom feed.
	FeedPath = "/articles/feed.atom"
	// CheckPath is the self-check; every article must link to it so that a
	// reader in pain is always one click from "is this serious?".
	CheckPath = "/check"
)

// wordsPerMinute is a relaxed adult reading speed, used for ReadingMinutes.
const wordsPerMinute = 200

// Article is one validated, rendered article. Treat it as read-only: the
// same value is shared by every request.
type Article struct {
	Slug, Title, Summary, Author, Reviewer string
	// Reviewed is the date of the last medical review, Updated of the last
	// change to the text, Published of first publication.
	Reviewed, Updated, Published time.Time
	Tags                         []string
	Related                      []string // slugs, in the author's order
	References                   []Reference
	// HTML is the rendered body: raw HTML in the Markdown is dropped, headings
	// carry ids, external links carry rel="noopener".
	HTML           template.HTML
	ReadingMinutes int
	Words          int
}

// Path is the article's URL path, PathPrefix + slug.
func (a *Article) Path() string { return PathPrefix + a.Slug }

// Reference is one numbered source; the text cites the first as [1].
type Reference struct {
	Title, Publisher, URL string
}

// Error is one problem in one article file. Key is the front-matter key at
// fault, "body" for the Markdown text or "front matter" for its layout, so an
// author can go straight to it.
type Error struct {
	File    string
	Key     string
	Message string
}

func (e *Error) Error() string { return e.File + ": " + e.Key + ": " + e.Message }

// Collection is a validated set of articles, read-only after Load.
type Collection struct {
	all    []*Article // newest first
	bySlug map[string]*Article
	tags   []string // sorted, unique
}

//go:embed content/*.md
var embedded embed.FS

var defaultCollection = sync.OnceValue(func() *Collection {
	content, err := fs.Sub(embedded, "content")
	if err != nil {
		panic(fmt.Sprintf("articles: embedded content: %v", err))
	}
	c, err := Load(content)
	if err != nil {
		panic(fmt.Sprintf("articles: embedded content is invalid: %v", err))
	}
	return c
})

// Default returns the articles embedded in the binary, loaded once. It panics
// if they are invalid, which the package's tests rule out.
func Default() *Collection { return defaultCollection() }

// LoadDir loads the *.md files in dir, so that a clinic can publish its own
// articles without rebuilding the binary.
func LoadDir(dir string) (*Collection, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("articles: %s is not a directory", dir)
	}
	c, err := Load(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return c, nil
}

// Load reads, validates and renders every *.md file at the top of fsys.
// It reports every problem it finds, each an *Error naming the file and key,
// joined into one error; nothing is returned unless all files are valid.
func Load(fsys fs.FS) (*Collection, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("articles: no *.md files")
	}

	var (
		problems []error
		docs     []*document
		files    = map[string]string{} // slug → file that claimed it first
	)
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("articles: %w", err)
		}
		d, errs := parse(name, src)
		problems = append(problems, errs...)
		if d == nil {
			continue
		}
		if first, dup := files[d.article.Slug]; dup {
			problems = append(problems, &Error{name, "slug", fmt.Sprintf("%q is already the slug of %s", d.article.Slug, first)})
			continue
		}
		files[d.article.Slug] = name
		docs = append(docs, d)
	}
	for _, d := range docs {
		for _, slug := range d.article.Related {
			if _, ok := files[slug]; !ok {
				problems = append(problems, &Error{d.file, "related", fmt.Sprintf("no article has the slug %q", slug)})
			}
		}
		for _, slug := range d.links {
			if _, ok := files[slug]; !ok {
				problems = append(problems, &Error{d.file, "body", fmt.Sprintf("links to %s%s, but no article has that slug", PathPrefix, slug)})
			}
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("articles: %w", errors.Join(problems...))
	}

	c := &Collection{bySlug: make(map[string]*Article, len(docs))}
	for _, d := range docs {
		c.all = append(c.all, d.article)
		c.bySlug[d.article.Slug] = d.article
		c.tags = append(c.tags, d.article.Tags...)
	}
	slices.SortFunc(c.all, func(a, b *Article) int {
		return cmp.Or(b.Published.Compare(a.Published), b.Updated.Compare(a.Updated), cmp.Compare(a.Slug, b.Slug))
	})
	slices.Sort(c.tags)
	c.tags = slices.Compact(c.tags)
	return c, nil
}

// All returns every article, newest published first.
func (c *Collection) All() []*Article { return slices.Clone(c.all) }

// Get returns the article with slug.
func (c *Collection) Get(slug string) (*Article, bool) {
	a, ok := c.bySlug[slug]
	return a, ok
}

// Tags returns every tag in use, sorted.
func (c *Collection) Tags() []string { return slices.Clone(c.tags) }

// Tagged returns the articles carrying tag, newest first.
func (c *Collection) Tagged(tag string) []*Article {
	var out []*Article
	for _, a := range c.all {
		if slices.Contains(a.Tags, tag) {
			out = append(out, a)
		}
	}
	return out
}

// RelatedTo returns the articles a names as related, in the author's order.
func (c *Collection) RelatedTo(a *Article) []*Article {
	var out []*Article
	for _, slug := range a.Related {
		if r, ok := c.bySlug[slug]; ok {
			out = append(out, r)
		}
	}
	return out
}

// readingMinutes is the time to read words at wordsPerMinute, rounded to the
// nearest minute and never less than one.
func readingMinutes(words int) int {
	return max(1, (words+wordsPerMinute/2)/wordsPerMinute)
}
