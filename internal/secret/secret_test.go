package secret

import (
	"bytes"
	"testing"
)

func TestNewTokenIsUniqueAndHashed(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tok, hash := NewToken()
		if seen[tok] {
			t.Fatalf("token %q made twice", tok)
		}
		seen[tok] = true
		if !Valid(tok) {
			t.Fatalf("Valid(%q) = false for a fresh token", tok)
		}
		if !bytes.Equal(hash, Hash(tok)) {
			t.Fatalf("hash of %q does not match Hash", tok)
		}
		if bytes.Contains(hash, []byte(tok)) {
			t.Fatal("hash contains the token")
		}
	}
}

func TestValidRejectsBadShapes(t *testing.T) {
	for _, s := range []string{"", "abc", "../../etc/passwd", "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}
