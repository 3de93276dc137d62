package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/store"
)

// contention is what happened when clients raced for slots.
type contention struct {
	statuses  map[int]int
	winners   int
	latencies []time.Duration // of each attempt, in order of duration
}

// contend has clients make attempts bookings each, as fast as they can,
// with ana at starts, each start as often as the others, in a random
// order, and returns what they got.
// Each client first opens its connection with a slot search, as clients
// of a running server have theirs; that is not timed.
func contend(tb testing.TB, bs *bookingServer, clients, attempts int, starts []time.Time) contention {
	tb.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	defer client.CloseIdleConnections()
	var (
		mu        sync.Mutex
		statuses  = map[int]int{}
		latencies []time.Duration
		wg        sync.WaitGroup
		ready     sync.WaitGroup
		begin     = make(chan struct{})
	)
	order := make([]time.Time, clients*attempts)
	for i := range order {
		order[i] = starts[i%len(starts)]
	}
	rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	day := starts[0].Format(time.DateOnly)
	ready.Add(clients)
	for c := range clients {
		wg.Go(func() {
			resp, err := client.Get(bs.URL + "/api/v1/slots?service=knot-60&from=" + day + "&to=" + day)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			ready.Done()
			<-begin
			for i := range attempts {
				start := order[c*attempts+i]
				body := bookBody(start, fmt.Sprintf(`"email":"c%d-%d@example.com"`, c, i))
				began := time.Now()
				resp, err := client.Post(bs.URL+"/api/v1/bookings", "application/json", strings.NewReader(body))
				took := time.Since(began)
				status := 0
				if err == nil {
					status = resp.StatusCode
					io.Copy(io.Discard, resp.Body) // so that the connection is kept
					resp.Body.Close()
				}
				mu.Lock()
				statuses[status]++
				latencies = append(latencies, took)
				mu.Unlock()
			}
		})
	}
	ready.Wait()
	close(begin)
	wg.Wait()
	slices.Sort(latencies)
	return contention{statuses: statuses, winners: statuses[http.StatusCreated], latencies: latencies}
}

// startsEvery returns n starts with ana, step apart from about two days
// ahead, skipping those whose hour-long visit would cross midnight: the
// clinic's working ranges end at 24:00.
func (bs *bookingServer) startsEvery(step time.Duration, n int) []time.Time {
	var starts []time.Time
	for s := bs.hoursAhead(48); len(starts) < n; s = s.Add(step) {
		if end := s.Add(time.Hour).In(bs.berlin); end.YearDay() == s.YearDay() || end.Hour() == 0 && end.Minute() == 0 {
			starts = append(starts, s)
		}
	}
	return starts
}

// checkNoOverlap fails unless the database holds exactly winners bookings
// of ana that hold their time, no two of whose times with buffers overlap.
func checkNoOverlap(tb testing.TB, bs *bookingServer, winners int) {
	tb.Helper()
	search, err := bs.db.SlotSearch(context.Background(), store.SlotQuery{
		Service: "knot-60", Therapist: "ana", From: time.Now(), To: time.Now().AddDate(0, 0, 90),
	})
	if err != nil {
		tb.Fatal(err)
	}
	busy := search.Calendars[0].Busy
	if len(busy) != winners {
		tb.Errorf("%d bookings kept, %d answered 201", len(busy), winners)
	}
	slices.SortFunc(busy, func(a, b booking.Interval) int { return a.Start.Compare(b.Start) })
	for i := 1; i < len(busy); i++ {
		if busy[i].Overlaps(busy[i-1]) {
			tb.Errorf("double booking: %v and %v", busy[i-1], busy[i])
		}
	}
}

// checkStatuses fails unless every answer was 201 or 409.
func checkStatuses(tb testing.TB, c contention) {
	tb.Helper()
	for status, n := range c.statuses {
		if status != http.StatusCreated && status != http.StatusConflict {
			tb.Errorf("%d answers %d; only 201 and 409 may come", n, status)
		}
	}
}

// Clients racing for overlapping slots never double-book: every answer
// is 201 or 409, and the bookings kept do not overlap, buffers included.
// BenchmarkBookingContention is the full-size run.
func TestBookingContention(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			dsn := ""
			if dialect == store.Postgres {
				dsn = testPostgres(t)
			}
			bs := newBookingServer(t, Config{}, dsn)
			starts := bs.startsEvery(15*time.Minute, 40) // each overlaps its neighbours
			c := contend(t, bs, 20, 40, starts)
			checkStatuses(t, c)
			checkNoOverlap(t, bs, c.winners)
			if c.winners == 0 {
				t.Error("nobody won")
			}
		})
	}
}

// BenchmarkBookingContention races 50 clients making 1,000 booking
// attempts over 100 slots that do not overlap, through the API with write
// limits off, on SQLite and (when it answers) PostgreSQL: exactly 100
// win, every other answer is 409, and the latencies of all the runs'
// attempts together are reported (p50, p99).
//
//	go test ./internal/web -run '^$' -bench BookingContention -benchtime 3x
func BenchmarkBookingContention(b *testing.B) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		b.Run(dialect, func(b *testing.B) {
			var all []time.Duration
			for b.Loop() {
				b.StopTimer()
				dsn := ""
				if dialect == store.Postgres {
					dsn = testPostgres(b)
				}
				bs := newBookingServer(b, Config{}, dsn)
				starts := bs.startsEvery(75*time.Minute, 100) // the visit and its buffer: none overlap
				b.StartTimer()
				c := contend(b, bs, 50, 20, starts)
				b.StopTimer()
				checkStatuses(b, c)
				checkNoOverlap(b, bs, c.winners)
				if c.winners != 100 || c.statuses[http.StatusConflict] != 900 {
					b.Errorf("%d won and %d got 409, want 100 and 900", c.winners, c.statuses[http.StatusConflict])
				}
				all = append(all, c.latencies...)
				b.StartTimer()
			}
			slices.Sort(all)
			b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// testPostgres returns the DSN of a fresh schema on the PostgreSQL of
// UNKNOT_TEST_POSTGRES (or the local default), dropped when b ends. With
// no server it skips b, except in CI (CI set), where PostgreSQL must run.
func testPostgres(b testing.TB) string {
	base := os.Getenv("UNKNOT_TEST_POSTGRES")
	if base == "" {
		base = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil && os.Getenv("CI") != "" {
		b.Fatalf("PostgreSQL must run in CI: %v", err)
	}
	if err != nil {
		b.Skipf("PostgreSQL not reachable: %v", err)
	}
	schema := fmt.Sprintf("unknot_bench_%d", time.Now().UnixNano())
	for _, q := range []string{`CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public`, `CREATE SCHEMA ` + schema} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// BenchmarkSlotsAPI is GET /api/v1/slots for one service of the demo
// clinic over 14 days, in process; scripts/loadtest.sh measures it over
// loopback.
func BenchmarkSlotsAPI(b *testing.B) {
	ts, db := startTestServer(b, Config{})
	if _, err := db.LoadDemoClinic(b.Context()); err != nil {
		b.Fatal(err)
	}
	from := time.Now().AddDate(0, 0, 1)
	u := fmt.Sprintf("%s/api/v1/slots?service=trigger-60&from=%s&to=%s", ts.URL, from.Format(time.DateOnly), from.AddDate(0, 0, 13).Format(time.DateOnly))
	client := ts.Client()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			var v struct{ Slots []json.RawMessage }
			err = json.NewDecoder(resp.Body).Decode(&v)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK || len(v.Slots) == 0 {
				b.Fatalf("%d, %d slots, %v", resp.StatusCode, len(v.Slots), err)
			}
		}
	})
}
