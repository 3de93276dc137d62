package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"unknot/internal/articles"
	"unknot/internal/library"
	"unknot/internal/logs"
	"unknot/internal/store"
	"unknot/internal/urgency"
	"unknot/internal/web"
)

// cmdServe runs the web server until SIGINT or SIGTERM, then drains
// requests in flight before it exits.
func cmdServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", env("UNKNOT_ADDR", "127.0.0.1:8080"), "listen `address` (UNKNOT_ADDR)")
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH`, or a postgres:// URL (UNKNOT_DB)")
	baseURL := fs.String("base-url", env("UNKNOT_BASE_URL", ""), "public `URL` of the site, for links in emails and API answers; empty means the listening address (UNKNOT_BASE_URL)")
	dbTimeout := fs.String("db-timeout", env("UNKNOT_DB_TIMEOUT", web.DefaultDBTimeout.String()),
		"longest `DURATION` the database work of one request (or of one step of the mail worker) may take; then the person is asked to try again (UNKNOT_DB_TIMEOUT)")
	verbose := fs.Bool("v", false, "log every request")
	noDemo := fs.Bool("no-demo", false, "do not load the demo clinic into a database that has no clinic")
	contentDir := fs.String("content", env("UNKNOT_CONTENT", ""), "folder `DIR` of Markdown articles to serve instead of the built-in ones (UNKNOT_CONTENT)")
	emergency := addEmergencyFlag(fs)
	mailOpts := addMailFlags(fs)
	metricsOpts := addMetricsFlags(fs)
	operate := addOperateFlags(fs)
	if err := setFromEnv(fs); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	numbers, err := emergencyNumbers(*emergency)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if err := mailOpts.check(*baseURL); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	timeout, err := parseDBTimeout(*dbTimeout)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if err := metricsOpts.check(*addr); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	var arts *articles.Collection // nil: the built-in articles
	if *contentDir != "" {
		var err error
		if arts, err = articles.LoadDir(*contentDir); err != nil {
			fmt.Fprintf(stderr, "--content: %v\n", err)
			return exitUsage
		}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	cfg := web.Config{
		BaseURL:          *baseURL,
		Articles:         arts,
		Mail:             web.MailConfig{DevMailbox: mailOpts.devMailbox()},
		EmergencyNumbers: numbers,
		DBTimeout:        timeout,
	}
	if err := operate.apply(&cfg, *mailOpts.production); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	// Every line, the http.Server's own included, carries the request's id
	// and no private-link token.
	log := slog.New(logs.NewHandler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})))
	if err := serve(log, stdout, *addr, *dsn, cfg, mailOpts, metricsOpts, !*noDemo); err != nil {
		log.Error("server stopped", "err", err)
		return exitFailure
	}
	return exitOK
}

// addEmergencyFlag adds --emergency-number to fs: the emergency numbers an
// emergency result tells people to call, for the country it is run in.
func addEmergencyFlag(fs *flag.FlagSet) *string {
	return fs.String("emergency-number", env("UNKNOT_EMERGENCY_NUMBER", ""),
		"emergency `NUMBERS` to show, such as 911 or 112,999; empty shows 911, 112 and 999, each with its countries (UNKNOT_EMERGENCY_NUMBER)")
}

// emergencyNumbers reads the value of --emergency-number: the default
// numbers when it is empty.
func emergencyNumbers(list string) (urgency.Numbers, error) {
	if strings.TrimSpace(list) == "" {
		return urgency.DefaultNumbers(), nil
	}
	numbers, err := urgency.ParseNumbers(list)
	if err != nil {
		return nil, fmt.Errorf("--emergency-number: %w", err)
	}
	return numbers, nil
}

// serve runs the server; with demo, a database without a clinic gets the
// demo clinic first, so that a new user can book at once.
func serve(log *slog.Logger, stdout io.Writer, addr, dsn string, cfg web.Config, mailOpts *mailFlags, metricsOpts *metricsFlags, demo bool) error {
	start := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := store.Open(ctx, dsn)
	if err != nil {
		return fmt.Errorf("opening database: %w", err)
	}
	defer db.Close()
	if demo {
		loaded, err := db.LoadDemoClinic(ctx)
		if err != nil {
			return fmt.Errorf("loading the demo clinic: %w", err)
		}
		if loaded {
			log.Info("loaded the demo clinic; import your own with unknot clinic import, or start with --no-demo")
		}
	}
	obs, stopMetrics, err := metricsOpts.start(db, log)
	if err != nil {
		return fmt.Errorf("starting metrics: %w", err)
	}
	defer stopMetrics()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	defer ln.Close()
	if cfg.BaseURL == "" {
		// Links in mail are built from the base URL, never from a
		// request's Host: without one, they point at this server.
		cfg.BaseURL = "http://" + ln.Addr().String()
	}
	if db.Dialect() == store.Postgres {
		// Several instances may share PostgreSQL: so do their limits.
		// SQLite has one process, whose own count is the whole count.
		cfg.SharedLimits = db
	}
	srv, err := web.New(cfg, library.Default(), db, log)
	if err != nil {
		return fmt.Errorf("starting web server: %w", err)
	}
	// Deferred after db.Close, so it runs before it: the worker stops
	// after the HTTP server, and records its last send before the
	// database closes.
	stopMail, err := mailOpts.startMail(db, cfg.DBTimeout, srv.QueueReminders, obs.sender, log)
	if err != nil {
		return fmt.Errorf("starting the mail worker: %w", err)
	}
	defer stopMail()
	httpServer := &http.Server{
		Handler:           obs.site(srv.Handler()),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	log.Info("ready", "url", "http://"+ln.Addr().String(), "db", db.Dialect(), "startup", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "unknot is running at http://%s (press Ctrl-C to stop)\n", ln.Addr())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}
