package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"unknot/internal/web"
)

// testKey is a valid --secret-key: 32 bytes in hex.
const testKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

// Every bad value of the operators' flags exits 2 naming the flag (or the
// environment variable it came from), before anything starts: NaN used
// to pass the "greater than 0" check and turn the write limit off.
func TestServeOperateFlagsRefuseBadValues(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	big := filepath.Join(dir, "big")
	os.WriteFile(empty, []byte("\n"), 0o600)
	os.WriteFile(big, []byte(strings.Repeat("ab", 4<<10)), 0o600)
	prod := []string{"--production", "--base-url", "https://clinic.example", "--smtp-url", "smtp://mail.example:587", "--mail-from", "guide@clinic.example"}
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{args: []string{"--write-rate", "NaN"}, want: "--write-rate"},
		{args: []string{"--write-rate", "Inf"}, want: "--write-rate"},
		{args: []string{"--write-rate", "-1"}, want: "--write-rate"},
		{args: []string{"--write-rate", "0"}, want: "--write-rate"},
		{args: []string{"--write-burst", "0"}, want: "--write-burst"},
		{args: []string{"--signup-rate", "NaN"}, want: "--signup-rate"},
		{args: []string{"--signup-rate", "-Inf"}, want: "--signup-rate"},
		{args: []string{"--signup-burst", "-3"}, want: "--signup-burst"},
		{args: []string{"--mail-rate", "NaN"}, want: "--mail-rate"},
		{args: []string{"--mail-rate", "+Inf"}, want: "--mail-rate"},
		{args: []string{"--trusted-proxy", "10.0.0.1"}, want: "--trusted-proxy"},
		{args: []string{"--trusted-proxy", "127.0.0.1/32,nonsense"}, want: "--trusted-proxy"},
		{args: []string{"--secret-key", "too short"}, want: "--secret-key"},
		{args: []string{"--secret-key", testKey[:62]}, want: "--secret-key"},
		{args: []string{"--secret-key", strings.Replace(testKey, "0", "g", 1)}, want: "--secret-key"},
		{args: []string{"--secret-key", testKey, "--secret-key-file", empty}, want: "--secret-key-file"},
		{args: []string{"--secret-key-file", filepath.Join(dir, "missing")}, want: "--secret-key-file"},
		{args: []string{"--secret-key-file", empty}, want: "--secret-key-file"},
		{args: []string{"--secret-key-file", big}, want: "--secret-key-file"},
		{args: prod, want: "--secret-key"},
		{args: []string{"--production", "--base-url", "http://clinic.example", "--secret-key", testKey,
			"--smtp-url", "smtp://mail.example:587", "--mail-from", "guide@clinic.example"}, want: "--base-url"},
		{args: []string{"--smtp-url", "smtp://mail.example:587", "--mail-from", "guide@clinic.example"}, want: "--base-url"},
		{env: map[string]string{"UNKNOT_WRITE_RATE": "NaN"}, want: "--write-rate"},
		{env: map[string]string{"UNKNOT_WRITE_BURST": "many"}, want: "UNKNOT_WRITE_BURST"},
		{env: map[string]string{"UNKNOT_MAIL_RATE": "fast"}, want: "UNKNOT_MAIL_RATE"},
		{env: map[string]string{"UNKNOT_PRODUCTION": "maybe"}, want: "UNKNOT_PRODUCTION"},
		{env: map[string]string{"UNKNOT_TRUSTED_PROXY": "everyone"}, want: "--trusted-proxy"},
		{env: map[string]string{"UNKNOT_PRODUCTION": "true"}, args: prod[1:], want: "--secret-key"},
	} {
		for k, v := range tt.env {
			t.Setenv(k, v)
		}
		args := append([]string{"serve", "--db", filepath.Join(dir, "x.db")}, tt.args...)
		code, _, errOut := runCLI(t, "", args...)
		if code != exitUsage || !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("%v %v: exit %d, %q; want 2 and a message starting with %s", tt.env, tt.args, code, errOut, tt.want)
		}
		for k := range tt.env {
			os.Unsetenv(k)
		}
	}
}

// parseOperate parses args as serve would, after the environment.
func parseOperate(t *testing.T, args ...string) (*operateFlags, *mailFlags) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	mailOpts := addMailFlags(fs)
	o := addOperateFlags(fs)
	if err := setFromEnv(fs); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return o, mailOpts
}

// Good values reach the server's configuration; the environment gives
// defaults and the command line wins over it.
func TestServeOperateFlagsReachTheConfig(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(testKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("UNKNOT_WRITE_RATE", "7")
	t.Setenv("UNKNOT_WRITE_BURST", "9")
	t.Setenv("UNKNOT_PRODUCTION", "1")
	t.Setenv("UNKNOT_TRUSTED_PROXY", "10.0.0.0/8, ::1/128")
	o, mailOpts := parseOperate(t, "--write-rate", "5", "--signup-rate", "36", "--signup-burst", "4", "--secret-key-file", keyFile)
	var cfg web.Config
	if err := o.apply(&cfg, *mailOpts.production); err != nil {
		t.Fatal(err)
	}
	if cfg.WriteRate != 5 || cfg.WriteBurst != 9 {
		t.Errorf("writes %v/s, burst %d; want 5 (command line) and 9 (environment)", cfg.WriteRate, cfg.WriteBurst)
	}
	if cfg.Mail.SignUpRate != rate.Limit(0.01) || cfg.Mail.SignUpBurst != 4 {
		t.Errorf("sign-ups %v/s, burst %d; want 36 an hour (0.01/s) and 4", cfg.Mail.SignUpRate, cfg.Mail.SignUpBurst)
	}
	if len(cfg.TrustedProxies) != 2 || cfg.TrustedProxies[1].String() != "::1/128" {
		t.Errorf("trusted proxies %v", cfg.TrustedProxies)
	}
	if len(cfg.SecretKey) != 32 || cfg.SecretKey[1] != 0x11 {
		t.Errorf("secret key of %d bytes, want the file's 32", len(cfg.SecretKey))
	}
	if !*mailOpts.production || *mailOpts.rate != defaultMailRate {
		t.Errorf("production %v, mail rate %v", *mailOpts.production, *mailOpts.rate)
	}
}
