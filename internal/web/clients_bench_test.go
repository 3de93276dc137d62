package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/secret"
	"unknot/internal/staff"
	"unknot/internal/store"
)

// BenchmarkClientView serves a therapist's page of a client whose shared
// diary holds five years of three entries a day, in process: "audited"
// is the handler itself (the signed-in therapist, the scoped read, the
// audit row, the page), "unaudited" the same steps without the audit
// row, so that the two differ by the audit write alone.
//
//	go test ./internal/web/ -run '^$' -bench BenchmarkClientView -benchmem -cpu 1 -count 3 -benchtime 2s
func BenchmarkClientView(b *testing.B) {
	for _, dialect := range []string{store.SQLite, store.Postgres} {
		b.Run(dialect, func(b *testing.B) {
			dsn := ""
			if dialect == store.Postgres {
				dsn = testPostgres(b)
			}
			benchClientView(b, dsn)
		})
	}
}

// benchClientView is BenchmarkClientView over the database at dsn.
func benchClientView(b *testing.B, dsn string) {
	srv, db, plan := benchDiaryServer(b, dsn, 3*1826, 1826)
	ctx := context.Background()
	f, err := clinic.Parse([]byte(bookingClinicJSON))
	if err != nil {
		b.Fatal(err)
	}
	if err := db.ImportClinic(ctx, f); err != nil {
		b.Fatal(err)
	}
	a, err := db.AssessmentByToken(ctx, secret.Hash(strings.TrimPrefix(plan, "/plan/")))
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now().AddDate(0, 0, 3).Truncate(24 * time.Hour).Add(8 * time.Hour) // 09:00 or 10:00 in Berlin
	for start.Weekday() != time.Monday {
		start = start.AddDate(0, 0, 1)
	}
	_, hash := secret.NewToken()
	if _, _, err := db.CreateBooking(ctx, store.NewBooking{
		Booking: booking.Booking{Service: "knot-60", Therapist: "ana", Location: "mitte", Mode: clinic.InPerson,
			Start: start, End: start.Add(time.Hour), Name: "Kim", Email: "kim@example.com"},
		TokenHash: hash, AssessmentID: a.ID, SharePlan: true, Now: time.Now(),
	}); err != nil {
		b.Fatal(err)
	}
	clients, err := db.Clients(ctx, "ana", time.Now())
	if err != nil || len(clients) != 1 {
		b.Fatalf("clients = %+v, %v", clients, err)
	}
	u := &store.User{Email: "ana@clinic.example", Roles: staff.NewRoles(staff.Therapist), PasswordHash: "unused"}
	if err := db.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	share := strconv.FormatInt(clients[0].ShareID, 10)
	request := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/staff/clients/"+share, nil)
		r.SetPathValue("share", share)
		return r
	}
	unaudited := func(w http.ResponseWriter, r *http.Request, u *store.User) {
		th, ok := srv.signedInTherapist(w, r, u)
		if !ok {
			return
		}
		id, ok := srv.pathID(w, r, "share")
		if !ok {
			return
		}
		page, err := srv.loadClientPage(r.Context(), th, id, r.URL.Query().Get("range"), time.Now())
		if srv.failed(w, r, err) {
			return
		}
		page.User = u
		srv.render(w, r, http.StatusOK, "desk_client.html", page)
	}
	for _, c := range []struct {
		name    string
		handler func(http.ResponseWriter, *http.Request, *store.User)
	}{{"unaudited", unaudited}, {"audited", srv.clientView}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var size int
			cpu := processCPU(b)
			for b.Loop() {
				w := httptest.NewRecorder()
				c.handler(w, request(), u)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d", c.name, w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes")
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
