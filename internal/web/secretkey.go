package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"log/slog"
)

// MinSecretKey is the shortest secret key (Config.SecretKey) accepted, in
// bytes: 256 bits, as many as the HMAC-SHA256 it keys.
const MinSecretKey = 32

// Purposes of the keys derived from the secret key, one each, so that a
// value made for one use is worthless for another.
const (
	keyCommentForm  = "comment form stamp"
	keySaveLinkAddr = "save-link address"
	keyRateLimits   = "rate-limit keys"
	keyKnownBrowser = "known browser at sign-in"
)

// secretKey checks the configured key, or, when there is none, makes a
// random one for this process and logs that it did.
func secretKey(key []byte, log *slog.Logger) ([]byte, error) {
	if len(key) == 0 {
		key = make([]byte, MinSecretKey)
		rand.Read(key)
		log.Warn("no secret key set: a random key for this process only signs comment forms, sign-in's known browsers " +
			"and the keys of rate limits, so a restart or another instance refuses forms served before, asks known " +
			"browsers again and counts limits afresh (on PostgreSQL, each instance apart); set --secret-key")
		return key, nil
	}
	if len(key) < MinSecretKey {
		return nil, fmt.Errorf("secret key: %d bytes, want at least %d", len(key), MinSecretKey)
	}
	return key, nil
}

// deriveKey returns the key for purpose made from the site's secret key:
// HMAC-SHA256(secret, "unknot " + purpose). Every instance with the same
// secret derives the same keys, so a form one serves another accepts.
func deriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("unknot " + purpose))
	return m.Sum(nil)
}
