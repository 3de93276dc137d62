// Package staff holds the rules for the people who run a site: their roles
// and what each may do on the desk (Can), how their sign-in details are
// checked, and how their passwords are hashed
// (argon2id, in the PHC string format, so that parameters can be raised
// later without breaking stored hashes). It does no I/O.
package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"unknot/internal/mail"
	"unknot/internal/valid"
)

// MinPassword is the shortest password accepted, in characters other than
// spaces (twelve spaces are no password). Length matters more than odd
// characters, so nothing else is demanded.
const MinPassword = 12

// maxPassword bounds the work one login can cause.
const maxPassword = 1024

// CheckNew validates a new account's email, roles and password, each
// problem naming its field, and returns the email in the form it is stored
// in (lower case), so that logins match however it is typed, and the roles
// parsed (see ParseRoles).
func CheckNew(email string, roles []string, password string) (string, Roles, valid.Errors) {
	var errs valid.Errors
	email, err := NormalizeEmail(email)
	if err != nil {
		errs.Add("email", err.Error())
	}
	rs, err := ParseRoles(roles)
	if err != nil {
		errs.Add("role", err.Error())
	}
	if problem := PasswordProblem(password); problem != "" {
		errs.Add("password", problem)
	}
	return email, rs, errs
}

// PasswordProblem is the one rule for a new password: what is wrong with
// it, or "" when it may be set. Spaces separate a passphrase's words but
// are not counted, so a password blank after trimming is refused.
func PasswordProblem(password string) string {
	n := 0
	for _, r := range password {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	switch {
	case n == 0:
		return "must not be blank"
	case n < MinPassword:
		return fmt.Sprintf("must be at least %d characters, not counting spaces; a few unrelated words make a good one", MinPassword)
	case len(password) > maxPassword:
		return fmt.Sprintf("must be at most %d bytes", maxPassword)
	}
	return ""
}

// NormalizeEmail checks that s is one plain email address and returns it
// in lower case.
func NormalizeEmail(s string) (string, error) {
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return strings.ToLower(addr), nil
}

// Params are argon2id's cost settings.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow OWASP's minimum for argon2id (19 MiB, two passes,
// one thread): about 40 ms on a small server, which keeps logins quick and
// guessing slow.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// HashPassword returns the argon2id hash of password with a fresh random
// salt, as a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func HashPassword(password string, p Params) string {
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails since Go 1.24
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// ErrBadHash is returned for a stored hash that is not an argon2id PHC
// string this package can read.
var ErrBadHash = errors.New("staff: not an argon2id password hash")

// CheckPassword reports whether password matches the PHC string hash, in
// time that does not depend on where they differ.
func CheckPassword(hash, password string) (bool, error) {
	p, salt, key, err := parseHash(hash)
	if err != nil {
		return false, err
	}
	if len(password) > maxPassword {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether hash was made with other parameters than p,
// so that a login can store a stronger hash.
func NeedsRehash(hash string, p Params) bool {
	got, _, _, err := parseHash(hash)
	return err != nil || got != p
}

func parseHash(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 1<<22 || p.Time > 100 {
		return p, nil, nil, ErrBadHash
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 {
		return p, nil, nil, ErrBadHash
	}
	return p, salt, key, nil
}
