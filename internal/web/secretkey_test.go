package web

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"unknot/internal/library"
)

func TestSecretKey(t *testing.T) {
	if _, err := New(Config{SecretKey: []byte("short")}, library.Default(), nil, slog.New(slog.DiscardHandler)); err == nil ||
		!strings.Contains(err.Error(), "secret key") {
		t.Errorf("a 5-byte secret key: %v, want an error", err)
	}
	var logged bytes.Buffer
	key, err := secretKey(nil, slog.New(slog.NewTextHandler(&logged, nil)))
	if err != nil || len(key) != MinSecretKey || !strings.Contains(logged.String(), "no secret key set") {
		t.Errorf("no key: %d bytes, %v, log %q; want a random key and a log line", len(key), err, logged.String())
	}
	other := []byte("another secret key, also 32 bytes or more")
	if bytes.Equal(deriveKey(testSecretKey, keyCommentForm), deriveKey(testSecretKey, keyRateLimits)) ||
		bytes.Equal(deriveKey(testSecretKey, keyCommentForm), deriveKey(other, keyCommentForm)) ||
		!bytes.Equal(deriveKey(testSecretKey, keyCommentForm), deriveKey(append([]byte(nil), testSecretKey...), keyCommentForm)) {
		t.Error("derived keys must differ by purpose and by secret, and be the same for the same secret")
	}
}
