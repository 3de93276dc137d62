package comments

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// LinkRel is the rel of every link in a comment: search engines give it no
// weight (nofollow, ugc) and the linked page gets no handle on ours.
const LinkRel = "nofollow ugc noopener"

// urlPattern finds web addresses in plain text.
var urlPattern = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+`)

// paragraphBreak splits text into paragraphs at blank lines.
var paragraphBreak = regexp.MustCompile(`\n[ \t]*\n\s*`)

// policy is the second guard: whatever Render builds is filtered again to
// paragraphs, line breaks and http(s) links with LinkRel, so a slip in the
// escaping above could never let markup through.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + LinkRel + `$`)).OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	return p
}()

// Render turns a comment's plain text into HTML: every character escaped,
// paragraphs at blank lines, line breaks kept, and http(s) addresses turned
// into links with rel LinkRel. Nothing else a commenter types can become
// markup.
func Render(text string) template.HTML {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/8 + 16)
	for _, para := range paragraphBreak.Split(text, -1) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>")
	}
	return template.HTML(policy.Sanitize(b.String()))
}

// writeLinked writes line escaped, with its web addresses as links.
func writeLinked(b *strings.Builder, line string) {
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(line, -1) {
		start, end := m[0], trimURLEnd(line[m[0]:m[1]])+m[0]
		href, ok := safeURL(line[start:end])
		if !ok {
			continue
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(href))
		b.WriteString(`" rel="` + LinkRel + `">`)
		b.WriteString(template.HTMLEscapeString(line[start:end]))
		b.WriteString("</a>")
		last = end
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
}

// trimURLEnd returns the length of u without the punctuation that usually
// ends the sentence around an address rather than the address itself; a
// closing bracket stays when the address opened one.
func trimURLEnd(u string) int {
	n := len(u)
	for n > 0 {
		c := u[n-1]
		switch {
		case strings.IndexByte(".,;:!?'*", c) >= 0:
			n--
		case c == ')' && strings.Count(u[:n], "(") < strings.Count(u[:n], ")"):
			n--
		default:
			return n
		}
	}
	return n
}

// safeURL checks that s is an absolute http(s) address with a host and
// returns it in its normalised, escaped form.
func safeURL(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	u.Scheme = scheme
	return u.String(), true
}

// Links counts the web addresses in text.
func Links(text string) int { return len(urlPattern.FindAllStringIndex(text, -1)) }
