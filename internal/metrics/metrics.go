// Package metrics is unknot's Prometheus instrumentation: a registry of its
// own with the HTTP, mail, database and Go runtime collectors, the
// middleware that counts and times requests by route, and the handlers
// that serve /metrics (and net/http/pprof when asked) behind an optional
// bearer token.
//
// What happens in this process (requests, mail sent) is counted as it
// happens; what the database holds (the outbox, bookings) is read from it
// on each scrape, so every instance sharing a database reports the same
// values there: aggregate those with max, not sum.
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"unknot/internal/store"
)

// namespace prefixes unknot's own metric names.
const namespace = "unknot"

// ScrapeTimeout bounds the database queries of one scrape. Prometheus
// waits 10 s by default (scrape_timeout); a database that does not answer
// must cost a scrape less than that, so that the rest still arrives and
// says so (unknot_store_up 0).
const ScrapeTimeout = 2 * time.Second

// durationBuckets are the upper bounds, in seconds, of the request latency
// histogram: fine below 20 ms, where issue 11 sets the goal for p99 (and
// where the API's requests take a millisecond or less), then the default
// buckets' coarser steps up to 10 s.
var durationBuckets = []float64{.0005, .001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Store is what the metrics read from the database; *store.DB implements
// it.
type Store interface {
	// ScrapeStats reads the outbox's depth and age and the bookings'
	// totals.
	ScrapeStats(ctx context.Context) (store.ScrapeStats, error)
	// Pools returns the connection pools by name.
	Pools() map[string]*sql.DB
}

// Metrics holds the registry and the collectors the server feeds.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	mailSent   *prometheus.CounterVec
	mailErrors *prometheus.CounterVec
	cache      sync.Map // seriesKey → *series, the request series met so far
}

// New returns the metrics of a server on st, with the Go runtime, process
// and build collectors and the statistics of st's connection pools. log
// receives the errors of the database's queries on scrape.
func New(st Store, log *slog.Logger) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route pattern (\"other\" when none matched) and status code.",
		}, []string{"method", "route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time from a request's headers to the end of its handler, by method, route pattern and status class (2xx, 4xx, …).",
			Buckets: durationBuckets,
		}, []string{"method", "route", "status"}),
		mailSent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "mail", Name: "sent_total",
			Help: "Mails this process handed to the mail server (or the dev mailbox), by kind.",
		}, []string{"kind"}),
		mailErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "mail", Name: "send_errors_total",
			Help: "Failed attempts to send a mail, by kind and whether the failure was permanent (the mail given up at once) or will be retried.",
		}, []string{"kind", "permanent"}),
	}
	m.reg.MustRegister(
		m.requests, m.latency, m.mailSent, m.mailErrors,
		newStoreCollector(st, log),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
	for name, db := range st.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	return m
}

// Handler serves the registry in Prometheus's exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		// A collector's error leaves out its series, not the others.
		ErrorHandling: promhttp.ContinueOnError,
		// Two scrapes at once are plenty; more are answered 503.
		MaxRequestsInFlight: 2,
		Timeout:             ScrapeTimeout + time.Second,
	})
}

// storeCollector reads the database's figures on each scrape.
type storeCollector struct {
	st                                Store
	log                               *slog.Logger
	up, depth, age, booked, cancelled *prometheus.Desc
}

func newStoreCollector(st Store, log *slog.Logger) *storeCollector {
	return &storeCollector{
		st:  st,
		log: log,
		up: prometheus.NewDesc("unknot_store_up",
			"1 when the database answered this scrape's queries within the scrape timeout, else 0 (and the series read from it are left out).", nil, nil),
		depth: prometheus.NewDesc("unknot_outbox_messages",
			"Mails in the outbox not yet sent, by state: queued (waiting) or sending (claimed by a worker).", []string{"state"}, nil),
		age: prometheus.NewDesc("unknot_outbox_oldest_unsent_age_seconds",
			"How long ago the oldest mail not yet sent was written; 0 when the outbox is empty.", nil, nil),
		booked: prometheus.NewDesc("unknot_bookings_created_total",
			"Bookings made, as the database counts them (all instances together).", nil, nil),
		cancelled: prometheus.NewDesc("unknot_bookings_cancelled_total",
			"Bookings cancelled, as the database counts them (all instances together).", nil, nil),
	}
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.up, c.depth, c.age, c.booked, c.cancelled} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), ScrapeTimeout)
	defer cancel()
	s, err := c.st.ScrapeStats(ctx)
	if err != nil {
		c.log.Warn("metrics: reading the database", "err", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	age := 0.0
	if !s.OldestUnsent.IsZero() {
		age = max(0, time.Since(s.OldestUnsent).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(s.Queued), "queued")
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(s.Sending), "sending")
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(c.booked, prometheus.CounterValue, float64(s.Bookings))
	ch <- prometheus.MustNewConstMetric(c.cancelled, prometheus.CounterValue, float64(s.Cancelled))
}
