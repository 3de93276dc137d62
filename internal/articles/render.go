package articles

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// markdown renders GitHub-flavoured Markdown (tables, autolinks) with ids on
// headings. goldmark's default is kept for raw HTML: it is dropped, so an
// article can never carry a script or a form.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
)

// body is a rendered article body and what was learnt while rendering it.
type body struct {
	html  template.HTML
	words int
	links []string // slugs of linked articles
}

// render parses src, checks it and renders it to HTML. The checks: no level-1
// heading (the title is the page's only h1), a link to CheckPath, the words
// "not medical advice", and citations that match the refs references.
func render(p *fileProblems, src []byte, refs int) body {
	if len(bytes.TrimSpace(src)) == 0 {
		p.add("body", "empty")
		return body{}
	}
	doc := markdown.Parser().Parse(text.NewReader(src))

	var (
		b        body
		plain    strings.Builder // the text a reader sees, for counting
		hasCheck bool
		hasH1    bool
	)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Type() == ast.TypeBlock {
			plain.WriteByte(' ')
		}
		switch n := n.(type) {
		case *ast.Heading:
			hasH1 = hasH1 || n.Level == 1
		case *ast.Text:
			plain.Write(n.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				plain.WriteByte(' ')
			}
		case *ast.AutoLink:
			plain.Write(n.Label(src))
			if external(string(n.URL(src))) {
				n.SetAttributeString("rel", "noopener")
			}
		case *ast.Link:
			dest := string(n.Destination)
			switch {
			case external(dest):
				n.SetAttributeString("rel", "noopener")
			case dest == CheckPath || strings.HasPrefix(dest, CheckPath+"?") || strings.HasPrefix(dest, CheckPath+"#"):
				hasCheck = true
			case strings.HasPrefix(dest, PathPrefix):
				slug, _, _ := strings.Cut(strings.TrimPrefix(dest, PathPrefix), "#")
				slug, _, _ = strings.Cut(slug, "?")
				if slugPattern.MatchString(slug) {
					b.links = append(b.links, slug)
				}
			}
		}
		return ast.WalkContinue, nil
	})

	visible := plain.String()
	if hasH1 {
		p.add("body", "use ## and smaller headings; the title is the page's only level-1 heading")
	}
	if !hasCheck {
		p.add("body", "must link to the self-check, as [the self-check](%s)", CheckPath)
	}
	if !strings.Contains(strings.ToLower(visible), "not medical advice") {
		p.add("body", `must say that it is general information and "not medical advice"`)
	}
	checkCitations(p, visible, refs)

	var out bytes.Buffer
	if err := markdown.Renderer().Render(&out, src, doc); err != nil {
		p.add("body", "render: %v", err)
	}
	b.html = template.HTML(out.String())
	b.words = len(strings.Fields(visible))
	return b
}

// external reports whether a link leaves the site.
func external(dest string) bool {
	lower := strings.ToLower(dest)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "//")
}
