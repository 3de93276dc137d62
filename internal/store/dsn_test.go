package store

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	if got := Describe("postgres://unknot:s3cret@db.example:5432/unknot?sslmode=require"); strings.Contains(got, "s3cret") ||
		got != "postgres://unknot:xxxxx@db.example:5432/unknot?sslmode=require" {
		t.Errorf("Describe(postgres URL) = %q", got)
	}
	if got := Describe("postgres://%zz"); strings.Contains(got, "%zz") {
		t.Errorf("Describe(bad URL) = %q", got)
	}
	if got := Describe("unknot.db"); !filepath.IsAbs(got) || filepath.Base(got) != "unknot.db" {
		t.Errorf("Describe(file) = %q, want its absolute path", got)
	}
}
