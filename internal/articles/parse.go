package articles

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// slugPattern is the shape of slugs and tags: safe in a URL path as it is.
var slugPattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// dateLayout is the only date form the front matter accepts.
const dateLayout = "2006-01-02"

// keys are the front-matter keys, in the order they are checked.
var keys = []string{"title", "slug", "summary", "author", "reviewer", "reviewed", "updated", "published", "tags", "related", "references"}

// optional keys may be left out; every other key is required.
var optional = map[string]bool{"related": true}

// document is one parsed file, with what Load still has to check against
// the other files.
type document struct {
	file    string
	article *Article
	links   []string // slugs of the articles the body links to
}

// fileProblems collects the problems found in one file.
type fileProblems struct {
	file string
	errs []error
}

func (p *fileProblems) add(key, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Key: key, Message: fmt.Sprintf(format, args...)})
}

// parse reads one article file. It returns nil and the problems when the
// file is invalid.
func parse(file string, src []byte) (*document, []error) {
	p := &fileProblems{file: file}
	fields, refs, body, ok := splitFrontMatter(p, src)
	if !ok {
		return nil, p.errs
	}
	for _, k := range keys {
		if _, set := fields[k]; !set && !optional[k] {
			p.add(k, "missing")
		}
	}

	a := &Article{
		Title:      fields["title"],
		Slug:       fields["slug"],
		Summary:    fields["summary"],
		Author:     fields["author"],
		Reviewer:   fields["reviewer"],
		Reviewed:   date(p, fields, "reviewed"),
		Updated:    date(p, fields, "updated"),
		Published:  date(p, fields, "published"),
		Tags:       slugList(p, fields, "tags"),
		Related:    slugList(p, fields, "related"),
		References: refs,
	}
	if a.Slug != "" && !slugPattern.MatchString(a.Slug) {
		p.add("slug", "%q must be lower-case letters, digits and hyphens", a.Slug)
	}
	if slices.Contains(a.Related, a.Slug) {
		p.add("related", "an article cannot be related to itself")
	}
	if !a.Published.IsZero() && !a.Updated.IsZero() && a.Updated.Before(a.Published) {
		p.add("updated", "%s is before published %s", fields["updated"], fields["published"])
	}
	if _, set := fields["references"]; set && len(refs) == 0 {
		p.add("references", "list at least one source, as lines \"- Title | Publisher | https://…\"")
	}

	b := render(p, body, len(refs))
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	a.HTML = b.html
	a.Words = b.words
	a.ReadingMinutes = readingMinutes(b.words)
	return &document{file: file, article: a, links: b.links}, nil
}

// splitFrontMatter parses the block between the opening and closing "---"
// lines: one "key: value" per line, each key known and given once, and the
// references as "- Title | Publisher | URL" lines after "references:".
// It returns the values, the references and the Markdown after the block.
func splitFrontMatter(p *fileProblems, src []byte) (fields map[string]string, refs []Reference, body []byte, ok bool) {
	src = bytes.TrimPrefix(src, []byte("\ufeff")) // a byte-order mark some editors add
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	rest, found := bytes.CutPrefix(src, []byte("---\n"))
	if !found {
		p.add("front matter", `the file must start with a "---" line`)
		return nil, nil, nil, false
	}
	block, body, found := bytes.Cut(rest, []byte("\n---\n"))
	if !found {
		block, found = bytes.CutSuffix(rest, []byte("\n---"))
	}
	if !found {
		p.add("front matter", `no closing "---" line`)
		return nil, nil, nil, false
	}

	fields = map[string]string{}
	inRefs, items := false, 0
	for i, line := range strings.Split(string(block), "\n") {
		lineNo := i + 2 // the opening "---" is line 1
		if strings.TrimSpace(line) == "" {
			continue
		}
		if item, isItem := strings.CutPrefix(strings.TrimLeft(line, " "), "-"); isItem {
			if !inRefs {
				p.add("front matter", "line %d: a list item belongs under \"references:\"", lineNo)
				continue
			}
			items++
			if ref, err := reference(item); err != nil {
				p.add("references", "item %d: %v", items, err)
			} else {
				refs = append(refs, ref)
			}
			continue
		}
		inRefs = false
		key, value, found := strings.Cut(line, ":")
		if !found {
			p.add("front matter", "line %d: want \"key: value\", got %q", lineNo, line)
			continue
		}
		value = strings.TrimSpace(value)
		switch {
		case !slices.Contains(keys, key):
			p.add(key, "unknown key (line %d); the keys are %s", lineNo, strings.Join(keys, ", "))
		case hasKey(fields, key):
			p.add(key, "given twice (line %d)", lineNo)
		case key == "references":
			fields[key] = ""
			inRefs = true
			if value != "" {
				p.add(key, "put each source on its own \"- Title | Publisher | URL\" line below")
			}
		case value == "":
			p.add(key, "empty")
		default:
			fields[key] = value
		}
	}
	return fields, refs, body, len(p.errs) == 0
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// reference parses " Title | Publisher | URL"; the URL must be https.
func reference(item string) (Reference, error) {
	parts := strings.Split(item, "|")
	if len(parts) != 3 {
		return Reference{}, fmt.Errorf("want \"Title | Publisher | URL\", got %q", strings.TrimSpace(item))
	}
	r := Reference{Title: strings.TrimSpace(parts[0]), Publisher: strings.TrimSpace(parts[1]), URL: strings.TrimSpace(parts[2])}
	if r.Title == "" || r.Publisher == "" {
		return Reference{}, fmt.Errorf("title and publisher must not be empty in %q", strings.TrimSpace(item))
	}
	u, err := url.Parse(r.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return Reference{}, fmt.Errorf("%q is not an https URL", r.URL)
	}
	return r, nil
}

// date parses fields[key] as YYYY-MM-DD in UTC; a missing key is reported
// elsewhere and gives the zero time.
func date(p *fileProblems, fields map[string]string, key string) time.Time {
	v, ok := fields[key]
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		p.add(key, "%q is not a date (YYYY-MM-DD)", v)
	}
	return t
}

// slugList parses a comma-separated list of unique slugs.
func slugList(p *fileProblems, fields map[string]string, key string) []string {
	v, ok := fields[key]
	if !ok {
		return nil
	}
	var out []string
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		switch {
		case !slugPattern.MatchString(item):
			p.add(key, "%q must be lower-case letters, digits and hyphens", item)
		case slices.Contains(out, item):
			p.add(key, "%q is listed twice", item)
		default:
			out = append(out, item)
		}
	}
	return out
}

// citation is a numbered citation such as [2] in the text.
var citation = regexp.MustCompile(`\[(\d+)\]`)

// checkCitations reports citations of references that do not exist and
// references the text never cites.
func checkCitations(p *fileProblems, text string, refs int) {
	cited := make([]bool, refs+1)
	for _, m := range citation.FindAllStringSubmatch(text, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > refs {
			p.add("body", "cites %s but there are %d references", m[0], refs)
			continue
		}
		cited[n] = true
	}
	for n := 1; n <= refs; n++ {
		if !cited[n] {
			p.add("references", "reference %d is never cited as [%d] in the text", n, n)
		}
	}
}
