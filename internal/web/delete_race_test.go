package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"unknot/internal/library"
	"unknot/internal/store"
	"unknot/internal/valid"
)

// deletedAfterRead is a store whose plans are deleted for good right
// after a page has read them: the race of a write against a deletion in
// another tab, made certain.
type deletedAfterRead struct{ *store.DB }

func (d deletedAfterRead) ExportPlan(ctx context.Context, tokenHash []byte) (*store.PlanExport, error) {
	x, err := d.DB.ExportPlan(ctx, tokenHash)
	if err == nil {
		err = d.DB.DeletePlan(ctx, tokenHash)
	}
	return x, err
}

func (d deletedAfterRead) PlanDiary(ctx context.Context, tokenHash []byte, recent int, now time.Time) (*store.PlanDiary, error) {
	x, err := d.DB.PlanDiary(ctx, tokenHash, recent, now)
	if err == nil {
		err = d.DB.DeletePlan(ctx, tokenHash)
	}
	return x, err
}

func (d deletedAfterRead) AssessmentByToken(ctx context.Context, tokenHash []byte) (*store.Assessment, error) {
	a, err := d.DB.AssessmentByToken(ctx, tokenHash)
	if err == nil {
		err = d.DB.DeletePlan(ctx, tokenHash)
	}
	return a, err
}

// raceDatabases runs fn on a fresh SQLite database and on a fresh
// PostgreSQL schema (skipped without a server, except in CI).
func raceDatabases(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for name, dsn := range map[string]func(t *testing.T) string{
		store.SQLite:   func(t *testing.T) string { return filepath.Join(t.TempDir(), "test.db") },
		store.Postgres: func(t *testing.T) string { return testPostgres(t) },
	} {
		t.Run(name, func(t *testing.T) {
			db, err := store.Open(t.Context(), dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			fn(t, db)
		})
	}
}

// serve serves st, with write limits off.
func serve(t *testing.T, st Store) *httptest.Server {
	t.Helper()
	cfg := Config{WriteRate: rate.Inf, WriteBurst: 1, SecretKey: testSecretKey, BaseURL: "https://clinic.example"}
	srv, err := New(cfg, library.Default(), st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// planWrites are the form posts that write to a plan, by path under it.
var planWrites = map[string]url.Values{
	"/diary":      {"pain": {"5"}},
	"/settings":   {"time_zone": {"UTC"}},
	"/recheck":    {"pain_now": {"3"}},
	"/today/done": {"day": {"1"}, "done": {"chin_tuck"}},
	"/delete":     {},
}

// A write to a plan that was deleted after the page read it answers 404,
// as it would a moment later, not 500.
func TestWriteToAPlanDeletedMeanwhileIs404(t *testing.T) {
	raceDatabases(t, func(t *testing.T, db *store.DB) {
		ts := serve(t, deletedAfterRead{db})
		for path, form := range planWrites {
			if path == "/diary" || path == "/delete" {
				continue // neither reads the plan before writing
			}
			plan := newPlan(t, ts.URL, deskWorker())
			resp, _ := postForm(t, ts.URL+plan+path, form)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s after the plan was deleted: %d, want 404", path, resp.StatusCode)
			}
		}
	})
}

// Two deletions and every write to a plan, sent at once: each answers as
// it would before or after the deletion, never 500.
func TestDeletePlanRacingRequests(t *testing.T) {
	raceDatabases(t, func(t *testing.T, db *store.DB) {
		ts := serve(t, db)
		const rounds = 6
		for range rounds {
			plan := newPlan(t, ts.URL, deskWorker())
			start := make(chan struct{})
			var (
				wg       sync.WaitGroup
				mu       sync.Mutex
				statuses = map[string][]int{}
			)
			post := func(path string, form url.Values) {
				wg.Go(func() {
					<-start
					status := 0
					if resp, err := noRedirect.PostForm(ts.URL+plan+path, form); err == nil {
						resp.Body.Close()
						status = resp.StatusCode
					}
					mu.Lock()
					statuses[path] = append(statuses[path], status)
					mu.Unlock()
				})
			}
			for path, form := range planWrites {
				post(path, form)
				post(path, form)
			}
			close(start)
			wg.Wait()
			for path, got := range statuses {
				for _, status := range got {
					if status != http.StatusOK && status != http.StatusSeeOther && status != http.StatusNotFound {
						t.Errorf("POST %s racing a deletion: %d", path, status)
					}
				}
			}
			if del := statuses["/delete"]; len(del) != 2 || del[0]+del[1] != http.StatusOK+http.StatusNotFound {
				t.Errorf("two deletions answered %v, want one 200 and one 404", del)
			}
		}
	})
}

// A booking that links a plan deleted after it was read is refused as
// one that links no plan (400 on plan_token), not answered 500.
func TestBookingWithAPlanDeletedMeanwhile(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		plan := newPlan(t, bs.URL, deskWorker())
		token := strings.TrimPrefix(plan, "/plan/")
		ts := serve(t, deletedAfterRead{bs.db})
		body := bookBody(bs.hoursAhead(30), `"plan_token":"`+token+`","share_plan":true`)
		resp, err := http.Post(ts.URL+"/api/v1/bookings", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct{ Errors valid.Errors }
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusBadRequest || len(got.Errors) != 1 || got.Errors[0].Field != "plan_token" {
			t.Errorf("booking with a plan deleted meanwhile: %d %+v, want 400 on plan_token", resp.StatusCode, got.Errors)
		}
	})
}
