package staff

import (
	"slices"
	"strings"
	"testing"
)

// fast keeps the tests quick; the format is the same.
var fast = Params{Memory: 64, Time: 1, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	h := HashPassword("correct horse battery", fast)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	if h == HashPassword("correct horse battery", fast) {
		t.Error("two hashes of one password are equal: no salt?")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false} {
		ok, err := CheckPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if NeedsRehash(h, fast) || !NeedsRehash(h, DefaultParams) {
		t.Error("NeedsRehash does not compare parameters")
	}
}

func TestCheckPasswordBadHash(t *testing.T) {
	good := HashPassword("correct horse battery", fast)
	for _, h := range []string{
		"", "plain", "$2a$10$abcdefghijklmnopqrstuv", strings.Replace(good, "argon2id", "argon2i", 1),
		strings.Replace(good, "v=19", "v=16", 1), strings.Replace(good, "m=64", "m=0", 1),
		strings.Replace(good, "m=64", "m=99999999", 1), good[:len(good)-30], good + "$x",
	} {
		if _, err := CheckPassword(h, "correct horse battery"); err != ErrBadHash {
			t.Errorf("CheckPassword(%q) error = %v, want ErrBadHash", h, err)
		}
	}
}

func TestCheckNew(t *testing.T) {
	tests := []struct {
		email, role, password string
		wantEmail             string
		fields                []string
	}{
		{"Coach@Example.com", "coach", "twelve chars!", "coach@example.com", nil},
		{"boss@example.com", "admin", "a much longer passphrase", "boss@example.com", nil},
		{"nope", "coach", "twelve chars!", "", []string{"email"}},
		{"Coach <c@example.com>", "coach", "twelve chars!", "", []string{"email"}},
		{"c@example.com", "owner", "twelve chars!", "c@example.com", []string{"role"}},
		{"c@example.com", "staff", "twelve chars!", "c@example.com", []string{"role"}},
		{"c@example.com", "", "twelve chars!", "c@example.com", []string{"role"}},
		{"c@example.com", "therapist,admin", "twelve chars!", "c@example.com", nil},
		{"c@example.com", "coach", "eleven char", "c@example.com", []string{"password"}},
		{"c@example.com", "coach", strings.Repeat(" ", 12), "c@example.com", []string{"password"}},
		{"c@example.com", "coach", "\t  \n" + strings.Repeat("\u00a0", 20), "c@example.com", []string{"password"}},
		{"c@example.com", "coach", "  eleven c h ar  ", "c@example.com", []string{"password"}},
		{"c@example.com", "coach", strings.Repeat("x", 2000), "c@example.com", []string{"password"}},
	}
	for _, tt := range tests {
		var roles []string
		if tt.role != "" {
			roles = []string{tt.role}
		}
		email, _, errs := CheckNew(tt.email, roles, tt.password)
		var fields []string
		for _, e := range errs {
			fields = append(fields, e.Field)
		}
		if email != tt.wantEmail || !slices.Equal(fields, tt.fields) {
			t.Errorf("CheckNew(%q, %q, …) = %q, %v; want %q, %v", tt.email, tt.role, email, fields, tt.wantEmail, tt.fields)
		}
	}
}

func TestBadge(t *testing.T) {
	if Badge(string(Coach)) != "unknot coach" || Badge(string(Therapist)) != "" || Badge(string(Admin)) != "the clinic" || Badge("") != "" {
		t.Error("badges changed")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery", DefaultParams)
	}
}
