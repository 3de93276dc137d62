// Package secret makes unguessable tokens for private links and stores only
// their hashes, so that a copy of the database cannot open anyone's link.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// tokenBytes is 256 bits, well above the 128 bits a private link needs.
const tokenBytes = 32

// NewToken returns a fresh random token for a URL and the hash to store.
func NewToken() (token string, hash []byte) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails since Go 1.24
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, Hash(token)
}

// Hash returns the SHA-256 of token. A plain hash suffices: the token has
// 256 random bits, so there is nothing to guess or to look up in a table.
func Hash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Valid reports whether s has the shape of a token made by NewToken, so that
// obviously bad links are turned away before the database is asked.
func Valid(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
