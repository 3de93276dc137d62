package comments

import (
	"crypto/hmac"
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
// write, most spam robots post at once.
func Stamp(key []byte, served time.Time) string {
	ts := strconv.FormatInt(served.Unix(), 10)
	return ts + "." + sign(key, ts)
}

// CheckStamp verifies a stamp made by Stamp with key and that the form was
// open at least minAge and at most maxAge before now.
func CheckStamp(key []byte, stamp string, now time.Time, minAge, maxAge time.Duration) error {
	ts, sig, ok := strings.Cut(stamp, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(sign(key, ts))) {
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

func sign(key []byte, ts string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("comment-form:" + ts))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
