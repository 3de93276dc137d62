package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestServeRejectsABadContentFolder(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ dir, want string }{
		{filepath.Join(dir, "missing"), "--content: articles:"},
		{dir, "no *.md files"},
	} {
		code, _, errOut := runCLI(t, "", "serve", "--db", filepath.Join(dir, "x.db"), "--content", tt.dir)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("serve --content %s: exit %d, %q; want 2 and %q", tt.dir, code, errOut, tt.want)
		}
	}
}
