package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"unknot/internal/mail"
	"unknot/internal/metrics"
	"unknot/internal/store"
)

// metricsFlags are the settings of /metrics and profiling on unknot serve.
type metricsFlags struct {
	addr  *string
	token *string
	pprof *bool
}

func addMetricsFlags(fs *flag.FlagSet) *metricsFlags {
	return &metricsFlags{
		addr: fs.String("metrics-addr", env("UNKNOT_METRICS_ADDR", ""),
			"serve /metrics (and --pprof's profiles) on a listener of its own at `address`, such as 127.0.0.1:9090, "+
				"off the public port; keep it off the internet (UNKNOT_METRICS_ADDR)"),
		token: fs.String("metrics-token", env("UNKNOT_METRICS_TOKEN", ""),
			"bearer `token` that /metrics asks for, at least "+strconv.Itoa(metrics.MinTokenLength)+" characters (openssl rand -hex 32): without --metrics-addr, "+
				"/metrics is served on the public port to requests that carry it, and not at all without it; prefer the "+
				"environment variable, which ps does not show (UNKNOT_METRICS_TOKEN)"),
		pprof: fs.Bool("pprof", false, "serve net/http/pprof under /debug/pprof/ on the metrics listener (needs --metrics-addr)"),
	}
}

// check reports a problem with the metrics settings, given the public
// listening address, as a usage error.
func (o *metricsFlags) check(publicAddr string) error {
	if *o.addr != "" {
		if err := checkListenAddr(*o.addr); err != nil {
			return fmt.Errorf("--metrics-addr: %v", err)
		}
		if *o.addr == publicAddr {
			return errors.New("--metrics-addr: must differ from --addr, which serves the site")
		}
	}
	if *o.token != "" {
		if err := metrics.CheckToken(*o.token); err != nil {
			return fmt.Errorf("--metrics-token: %v", err)
		}
	}
	if *o.pprof && *o.addr == "" {
		return errors.New("--pprof: needs --metrics-addr (profiles are never served on the public port)")
	}
	return nil
}

// checkListenAddr checks that addr is host:port with a port number; the
// host may be empty (every interface).
func checkListenAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port, such as 127.0.0.1:9090: %v", err)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// observer instruments a running server when metrics are on; its zero
// value, metrics off, leaves everything as it is.
type observer struct {
	m     *metrics.Metrics
	token string   // asked for by /metrics on the public port; "" serves it there not at all
	addr  net.Addr // the metrics listener's, if any
}

// site counts the requests of h, and serves /metrics beside it when that
// is how it was asked for.
func (o observer) site(h http.Handler) http.Handler {
	if o.m == nil {
		return h
	}
	return o.m.Public(o.m.Middleware(h), o.token)
}

// sender counts the mail s sends.
func (o observer) sender(s mail.Sender) mail.Sender {
	if o.m == nil {
		return s
	}
	return o.m.CountMail(s)
}

// start turns metrics on when --metrics-addr or --metrics-token asks for
// them, and starts the metrics listener for --metrics-addr. stop closes
// that listener, cutting short a scrape or profile in progress.
func (o *metricsFlags) start(db *store.DB, log *slog.Logger) (obs observer, stop func(), err error) {
	stop = func() {}
	if *o.addr == "" && *o.token == "" {
		return obs, stop, nil
	}
	obs.m = metrics.New(db, log)
	if *o.addr == "" {
		obs.token = *o.token
		return obs, stop, nil
	}
	ln, err := net.Listen("tcp", *o.addr)
	if err != nil {
		return obs, stop, fmt.Errorf("--metrics-addr: %w", err)
	}
	obs.addr = ln.Addr()
	srv := &http.Server{
		Handler:           obs.m.Admin(*o.token, *o.pprof),
		ReadHeaderTimeout: 5 * time.Second,
		// Above pprof's default 30-second CPU profile, which must end
		// before the write deadline.
		WriteTimeout: 2 * time.Minute,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics listener stopped", "err", err)
		}
	}()
	log.Info("metrics", "url", "http://"+obs.addr.String()+"/metrics", "pprof", *o.pprof, "token", *o.token != "")
	return obs, func() { srv.Close() }, nil
}
