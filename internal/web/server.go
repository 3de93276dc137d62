// Package web serves unknot's pages and its JSON API. Pages are rendered on
// the server with html/template and work without JavaScript; the API mirrors
// what the pages do.
package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/articles"
	"unknot/internal/library"
	"unknot/internal/logs"
	"unknot/internal/store"
	"unknot/internal/urgency"
)

//go:embed templates/*.html templates/partials/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Store is all the storage the web layer uses: one small interface per
// capability, implemented by *store.DB.
type Store interface {
	Ping(ctx context.Context) error
	Assessments
	Mailing
	Diary
	ContentStore
	Accounts
	Clinics
	Bookings
	Reminders
	Outcomes
	TherapistDays
	ClinicSetup
	Programs
	ClientRecords
	ClinicWeeks
}

// Assessments is the storage the self-check needs: saved results, and the
// drafts of questionnaires answered without JavaScript.
type Assessments interface {
	CreateAssessment(ctx context.Context, a *store.Assessment) error
	AssessmentByToken(ctx context.Context, tokenHash []byte) (*store.Assessment, error)
	SaveDraft(ctx context.Context, tokenHash, answers []byte, now, expires time.Time) error
	Draft(ctx context.Context, tokenHash []byte, now time.Time) ([]byte, error)
	DeleteDraft(ctx context.Context, tokenHash []byte) error
}

// Config holds the server's settings.
type Config struct {
	// BaseURL is the public address, used in links that leave the page
	// (the API's url field). Empty means the request's own host.
	BaseURL string
	// WriteRate and WriteBurst limit writes per client address; a zero
	// WriteRate means the default of one write a second with a burst of 20.
	WriteRate  rate.Limit
	WriteBurst int
	// Articles are the articles to serve; nil means the embedded ones.
	Articles *articles.Collection
	// SecretKey (at least MinSecretKey bytes) is what the keys of signed
	// comment forms and of hashed rate-limit keys are derived from
	// (deriveKey); instances with the same one accept each other's forms.
	// Empty means a random key per start, after which forms open before a
	// restart must be sent again.
	SecretKey []byte
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; none by default.
	TrustedProxies Proxies
	// SharedLimits, when set, counts the write, sign-up, comment and
	// save-link limits in the database, together with every other
	// instance on it; nil counts them in this process, which is all
	// SQLite, with its one process, needs.
	SharedLimits RateLimits
	// Mail holds the settings of the free report's sign-up and the dev mailbox.
	Mail MailConfig
	// EmergencyNumbers are the numbers an emergency result tells people to
	// call, as tel: links; nil means urgency.DefaultNumbers.
	EmergencyNumbers urgency.Numbers
	// DBTimeout bounds the database work of each request (see begin);
	// zero means DefaultDBTimeout.
	DBTimeout time.Duration
}

// The default limits: writes (forms and API) and sign-ups for the free
// report per client address. A person filling in forms never meets the
// first; a script does. Sign-ups come a few an hour from one address.
const (
	DefaultWriteRate      rate.Limit = 1 // a second, after the burst
	DefaultWriteBurst                = 20
	DefaultSignUpsPerHour            = 10 // after the burst
	DefaultSignUpBurst               = 10
)

// Server is unknot's HTTP server.
type Server struct {
	cfg       Config
	lib       *library.Library
	store     Store
	log       *slog.Logger
	pages     map[string]*template.Template
	limits    *limits
	writes    *limit
	startedAt time.Time
	content   *content
	accounts  *accounts
	// baseURL is the public address that links in mail are built from,
	// never the request's Host, which a visitor controls.
	baseURL string
}

// New returns a server over lib and st. Its log lines carry the request's
// id and no private-link token (internal/logs), whichever handler log was
// built on: that must not depend on each caller's wiring.
func New(cfg Config, lib *library.Library, st Store, log *slog.Logger) (*Server, error) {
	if cfg.WriteRate == 0 {
		cfg.WriteRate, cfg.WriteBurst = DefaultWriteRate, DefaultWriteBurst
	}
	switch {
	case cfg.DBTimeout == 0:
		cfg.DBTimeout = DefaultDBTimeout
	case cfg.DBTimeout < 0:
		return nil, fmt.Errorf("database timeout %s: must be positive", cfg.DBTimeout)
	}
	if cfg.EmergencyNumbers == nil {
		cfg.EmergencyNumbers = urgency.DefaultNumbers()
	}
	if err := cfg.EmergencyNumbers.Validate(); err != nil {
		return nil, fmt.Errorf("emergency numbers: %w", err)
	}
	if _, ok := log.Handler().(*logs.Handler); !ok {
		log = slog.New(logs.NewHandler(log.Handler()))
	}
	var err error
	if cfg.SecretKey, err = secretKey(cfg.SecretKey, log); err != nil {
		return nil, err
	}
	lim := &limits{shared: cfg.SharedLimits, key: deriveKey(cfg.SecretKey, keyRateLimits), log: log}
	s := &Server{
		cfg:       cfg,
		lib:       lib,
		store:     st,
		log:       log,
		limits:    lim,
		writes:    lim.new("writes", cfg.WriteRate, cfg.WriteBurst),
		startedAt: time.Now(),
		content:   newContent(cfg, lim),
		accounts:  newAccounts(cfg, st, lim),
		baseURL:   strings.TrimRight(cfg.BaseURL, "/"),
	}
	// Staff sessions that cannot be read fail as any other request does.
	s.accounts.sessions.ErrorFunc = s.serverError
	s.accounts.secureSessions.ErrorFunc = s.serverError
	if s.baseURL == "" {
		// unknot serve sets its listening address; this is for tests.
		s.baseURL = "http://localhost"
	}
	pages, err := parsePages(s.funcs())
	if err != nil {
		return nil, err
	}
	s.pages = pages
	return s, nil
}

// Handler returns the server's routes wrapped in its middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)     // the public side's one route table (routes.go)
	s.deskRoutes(mux) // the staff desk's one route table, every route with its role (desk.go)

	protect := http.NewCrossOriginProtection()
	return s.begin(s.recover(s.forwarded(strictTransport(s.logRequests(compress(securityHeaders(protect.Handler(mux))))))))
}

// parsePages parses each page template together with the layout and the
// partials, the pieces several pages share.
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if name == "templates/layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", name)
		if err != nil {
			return nil, fmt.Errorf("parsing %s: %w", name, err)
		}
		pages[name[len("templates/"):]] = t
	}
	return pages, nil
}

// render writes a page with status, or a plain 500 if rendering fails.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := s.pages[page]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no page %q", page))
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := t.Execute(buf, data); err != nil {
		s.serverError(w, r, fmt.Errorf("rendering %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the data of the error page. Reference, if set, is the
// request id, for the person to quote to support.
type errorPage struct {
	Title, Message, Reference string
}

// failed answers for a load or write that returned err: 404 when what was
// asked for does not exist, serverError's answer for anything else. It reports whether err
// was an error, so that the handler returns.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error.html", errorPage{
		Title:   "Page not found",
		Message: "There is no page at this address. If you followed a link to your plan, check that it was copied whole.",
	})
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home.html", nil)
}

// exercisePicture serves the SVG picture of an exercise.
func (s *Server) exercisePicture(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	const ext = ".svg"
	if len(file) <= len(ext) || file[len(file)-len(ext):] != ext {
		s.notFound(w, r)
		return
	}
	svg, ok := library.Picture(file[:len(file)-len(ext)])
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(svg)
}
