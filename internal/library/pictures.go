package library

import (
	"embed"
	"strings"
)

// pictureFS holds one SVG line drawing per exercise id: the start position
// on the left, the end position on the right. The drawings use
// currentColor, so they follow the text colour of the page they sit in.
//
//go:embed pictures/*.svg
var pictureFS embed.FS

// Picture returns the SVG illustration for an exercise id, and whether there
// is one.
func Picture(id string) ([]byte, bool) {
	if id == "" || strings.ContainsAny(id, "/\\.") {
		return nil, false
	}
	b, err := pictureFS.ReadFile("pictures/" + id + ".svg")
	if err != nil {
		return nil, false
	}
	return b, true
}
