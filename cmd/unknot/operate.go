package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/time/rate"

	"unknot/internal/web"
)

// operateFlags are the settings of unknot serve for running it behind a
// reverse proxy and as several instances: the secret key they share, the
// proxies they believe, and the rate limits an operator tunes.
type operateFlags struct {
	secretKey, secretKeyFile *string
	trustedProxy             *string
	writeRate                *float64
	writeBurst               *int
	signUpRate               *float64
	signUpBurst              *int
}

// maxSecretKeyFile bounds what --secret-key-file reads: a key is a line of
// hex digits, and a path to a big file by mistake must not fill memory.
const maxSecretKeyFile = 4 << 10

func addOperateFlags(fs *flag.FlagSet) *operateFlags {
	return &operateFlags{
		secretKey: fs.String("secret-key", env("UNKNOT_SECRET_KEY", ""),
			"the site's secret `KEY`, "+strconv.Itoa(2*web.MinSecretKey)+" or more hex digits (openssl rand -hex 32), from which the keys of signed forms are derived; "+
				"every instance must have the same; required with --production; empty means a random key per start (UNKNOT_SECRET_KEY)"),
		secretKeyFile: fs.String("secret-key-file", env("UNKNOT_SECRET_KEY_FILE", ""),
			"read --secret-key from `FILE`, which keeps it out of the process list (UNKNOT_SECRET_KEY_FILE)"),
		trustedProxy: fs.String("trusted-proxy", env("UNKNOT_TRUSTED_PROXY", ""),
			"`CIDR`s of the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated, "+
				"such as 127.0.0.1/32,::1/128; empty believes no one (UNKNOT_TRUSTED_PROXY)"),
		writeRate:  fs.Float64("write-rate", float64(web.DefaultWriteRate), "writes a second allowed per client address, forms and API, after the burst (UNKNOT_WRITE_RATE)"),
		writeBurst: fs.Int("write-burst", web.DefaultWriteBurst, "writes allowed at once per client address (UNKNOT_WRITE_BURST)"),
		signUpRate: fs.Float64("signup-rate", web.DefaultSignUpsPerHour,
			"sign-ups for the free report an hour allowed per client address, after the burst (UNKNOT_SIGNUP_RATE)"),
		signUpBurst: fs.Int("signup-burst", web.DefaultSignUpBurst, "sign-ups allowed at once per client address (UNKNOT_SIGNUP_BURST)"),
	}
}

// numericEnv names the environment variables of serve's numeric and
// boolean flags, which flag cannot default from a string as env does.
var numericEnv = [][2]string{
	{"write-rate", "UNKNOT_WRITE_RATE"},
	{"write-burst", "UNKNOT_WRITE_BURST"},
	{"signup-rate", "UNKNOT_SIGNUP_RATE"},
	{"signup-burst", "UNKNOT_SIGNUP_BURST"},
	{"mail-rate", "UNKNOT_MAIL_RATE"},
	{"production", "UNKNOT_PRODUCTION"},
}

// setFromEnv gives each flag of numericEnv the value of its environment
// variable, when that is set, before the command line is parsed, so the
// command line wins. A value the flag refuses is an error naming the
// variable.
func setFromEnv(fs *flag.FlagSet) error {
	for _, pair := range numericEnv {
		if v := os.Getenv(pair[1]); v != "" && fs.Lookup(pair[0]) != nil {
			if err := fs.Set(pair[0], v); err != nil {
				return fmt.Errorf("%s: %q is not a valid value for --%s", pair[1], v, pair[0])
			}
		}
	}
	return nil
}

// positive checks a rate flag: a number greater than 0. NaN and Inf are
// refused: NaN compares false with everything, so a limiter given it lets
// everything through, and Inf means no limit at all.
func positive(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return fmt.Errorf("--%s: must be a number greater than 0, not %v", name, v)
	}
	return nil
}

// apply checks the flags and puts them in cfg. production requires a
// secret key. Every error is a usage error naming its flag.
func (o *operateFlags) apply(cfg *web.Config, production bool) error {
	if err := positive("write-rate", *o.writeRate); err != nil {
		return err
	}
	if err := positive("signup-rate", *o.signUpRate); err != nil {
		return err
	}
	if *o.writeBurst < 1 {
		return errors.New("--write-burst: must be at least 1")
	}
	if *o.signUpBurst < 1 {
		return errors.New("--signup-burst: must be at least 1")
	}
	proxies, err := web.ParseProxies(*o.trustedProxy)
	if err != nil {
		return fmt.Errorf("--trusted-proxy: %v", err)
	}
	key, err := o.key()
	if err != nil {
		return err
	}
	if production && key == nil {
		return errors.New("--secret-key: required with --production, so that every instance and every restart accepts " +
			"the forms the others served (generate one with: openssl rand -hex 32)")
	}
	cfg.WriteRate, cfg.WriteBurst = rate.Limit(*o.writeRate), *o.writeBurst
	cfg.Mail.SignUpRate = rate.Limit(*o.signUpRate / 3600)
	cfg.Mail.SignUpBurst = *o.signUpBurst
	cfg.TrustedProxies = proxies
	cfg.SecretKey = key
	return nil
}

// key reads the secret key from --secret-key or --secret-key-file: nil
// when neither is set.
func (o *operateFlags) key() ([]byte, error) {
	text, name := *o.secretKey, "--secret-key"
	if *o.secretKeyFile != "" {
		if text != "" {
			return nil, errors.New("--secret-key-file: give the key or a file that holds it, not both")
		}
		name = "--secret-key-file"
		f, err := os.Open(*o.secretKeyFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxSecretKeyFile+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if len(b) > maxSecretKeyFile {
			return nil, fmt.Errorf("%s: longer than %d bytes; it should hold one line of hex digits", name, maxSecretKeyFile)
		}
		if text = strings.TrimSpace(string(b)); text == "" {
			return nil, fmt.Errorf("%s: the file is empty", name)
		}
	}
	if text == "" {
		return nil, nil
	}
	key, err := hex.DecodeString(text)
	if err != nil || len(key) < web.MinSecretKey {
		return nil, fmt.Errorf("%s: must be %d or more hex digits, such as the output of openssl rand -hex 32", name, 2*web.MinSecretKey)
	}
	return key, nil
}
