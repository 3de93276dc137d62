package comments

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Errors of CheckStamp.
var (
	ErrBadStamp   = errors.New("the form's stamp is missing or was not made by this site")
	ErrTooFast    = errors.New("the form was sent too soon after it was opened")
	ErrStaleStamp = errors.New("the form was opened too long ago")
)

// Stamp signs the time a form was served, for a hidden field. Sent back,
// it shows how long the form was open: people take a while to read and
// write, most spam robots post at once. A random part makes every served
// form's stamp its own, so that a stamp can make one comment only (the
// store keeps the used ones): "unix seconds.random.signature".
func Stamp(key []byte, served time.Time) string {
	signed := strconv.FormatInt(served.Unix(), 10) + "." + rand.Text()
	return signed + "." + sign(key, signed)
}

// CheckStamp verifies a stamp made by Stamp with key and that the form was
// open at least minAge and at most maxAge before now. Whether the stamp
// was used before is the store's to say.
func CheckStamp(key []byte, stamp string, now time.Time, minAge, maxAge time.Duration) error {
	i := strings.LastIndexByte(stamp, '.')
	if i < 0 || !hmac.Equal([]byte(stamp[i+1:]), []byte(sign(key, stamp[:i]))) {
		return ErrBadStamp
	}
	ts, _, ok := strings.Cut(stamp[:i], ".")
	if !ok {
		return ErrBadStamp
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadStamp
	}
	switch age := now.Sub(time.Unix(unix, 0)); {
	case age < minAge:
		return ErrTooFast
	case age > maxAge:
		return ErrStaleStamp
	}
	return nil
}

func sign(key []byte, signed string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("comment-form:" + signed))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
