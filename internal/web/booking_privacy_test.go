package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/secret"
	"unknot/internal/store"
)

// The client's details download from the booking's link as one JSON file
// that is never cached.
func TestBookingExport(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	start := bs.hoursAhead(72)
	a := bs.book(t, bookBody(start, ""))
	resp, body := get(t, bs.URL+"/bookings/"+a.Token+"/export.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q, want an attachment", cd)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var x struct {
		ExportedAt time.Time                  `json:"exported_at"`
		Booking    map[string]json.RawMessage `json:"booking"`
	}
	if err := json.Unmarshal([]byte(body), &x); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	var keys []string
	for k := range x.Booking {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"booked_at", "email", "end", "location", "mode", "name", "note", "phone", "service", "start", "status", "therapist"}
	if !slices.Equal(keys, want) || x.ExportedAt.IsZero() {
		t.Fatalf("exported %s, want exported_at and a booking with %q", body, want)
	}
	var b exportBooking
	if err := json.Unmarshal([]byte(body), &struct {
		Booking *exportBooking `json:"booking"`
	}{&b}); err != nil {
		t.Fatal(err)
	}
	if b.Name != "Kim Client" || b.Email != "kim@example.com" || b.Phone != "+49 30 5" || b.Note != "left shoulder" ||
		b.Service != "knot-60" || b.Therapist != "ana" || b.Location == "" || b.Mode != "in_person" ||
		!b.Start.Equal(start) || !b.End.Equal(start.Add(time.Hour)) || b.Status != booking.Confirmed || b.BookedAt.IsZero() {
		t.Errorf("exported booking = %+v", b)
	}
}

// Deleting one's details from the booking's page: a confirmation that
// says what goes and what the clinic keeps, then the booking's record
// without the person, its visit cancelled with one mail, to the
// therapist. Looking changes nothing.
func TestBookingDeleteDetails(t *testing.T) {
	eachDialect(t, func(t *testing.T, bs *bookingServer) {
		ctx := context.Background()
		start := bs.hoursAhead(72)
		a := bs.book(t, bookBody(start, ""))
		bs.deliver(t) // the booking's own mails
		page := "/bookings/" + a.Token
		personal := []string{"Kim", "kim@example.com", "+49 30 5", attr("+49 30 5"), "left shoulder"}

		_, body := get(t, bs.URL+page)
		mustContain(t, "booking page", body, "Your details", `href="`+page+`/export.json"`, "Download my details",
			`href="`+page+`/delete"`, "delete my details")
		_, body = get(t, bs.URL+page+"/delete")
		mustContain(t, "confirm", body, "Delete your details", "still ahead: deleting your details cancels it",
			"(its time, service and therapist)", "deleted client", `href="`+page+`/export.json"`,
			`<form method="post" action="`+page+`/delete">`, "Delete my details for good")
		get(t, bs.URL+page+"/export.json")
		if b, err := bs.db.BookingByLink(ctx, secret.Hash(a.Token)); err != nil || b.Name != "Kim Client" || b.Status != booking.Confirmed {
			t.Fatalf("after looking: %+v, %v; want it unchanged", b, err)
		}
		if msgs := bs.deliver(t); len(msgs) != 0 {
			t.Fatalf("looking sent %d mails", len(msgs))
		}

		resp, _ := postForm(t, bs.URL+page+"/delete", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
			t.Fatalf("delete: %d to %q, want 303 to the booking's page", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, path := range []string{page, page + "/delete"} {
			resp, body = get(t, bs.URL+path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s after deleting: %d", path, resp.StatusCode)
			}
			mustContain(t, "deleted", body, "Your details are deleted", "deleted client", "This visit is cancelled.",
				visitWhen(&bookingView{Start: start, End: start.Add(time.Hour)}), `href="/"`)
			mustNotContain(t, "deleted", body, personal...)
			mustNotContain(t, "deleted", body, page+"/reschedule", page+"/cancel", page+"/visit.ics", page+"/export.json", page+"/delete")
		}

		kept, err := bs.db.BookingByLink(ctx, secret.Hash(a.Token))
		if err != nil {
			t.Fatal(err)
		}
		if kept.Name != store.DeletedClient || kept.Email != "" || kept.Phone != "" || kept.Note != "" ||
			!kept.Start.Equal(start) || kept.Service != "knot-60" || kept.Therapist != "ana" || kept.Status != booking.Cancelled {
			t.Errorf("kept booking = %+v", kept)
		}
		msgs := bs.deliver(t)
		if len(msgs) != 1 || !slices.Equal(msgs[0].To, []string{"ana@clinic.example"}) {
			t.Fatalf("%d mails (%v), want one to the therapist", len(msgs), msgs)
		}
		if inv := readInvitation(t, msgs[0]); inv.method != "CANCEL" || inv.mimeMethod != "CANCEL" || inv.attendees != "ana@clinic.example" {
			t.Errorf("the therapist's invitation = %+v, want a CANCEL without the client", inv)
		}
		for _, p := range personal {
			if strings.Contains(msgs[0].Text, p) || strings.Contains(msgs[0].Calendar, p) {
				t.Errorf("the therapist's mail names the client (%q):\n%s", p, msgs[0].Text)
			}
		}

		resp, body = get(t, bs.URL+page+"/export.json")
		if resp.StatusCode != http.StatusOK || strings.Contains(body, "kim@example.com") || !strings.Contains(body, store.DeletedClient) {
			t.Errorf("export after deleting: %d %s", resp.StatusCode, body)
		}
		// Deleting again changes nothing and mails nobody.
		if resp, _ := postForm(t, bs.URL+page+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("delete again: %d", resp.StatusCode)
		}
		if msgs := bs.deliver(t); len(msgs) != 0 {
			t.Errorf("deleting again sent %d mails", len(msgs))
		}
	})
}

// A visit too close to cancel online is still cancelled when its client
// deletes their details: nobody is left to come.
func TestBookingDeleteDetailsTooLateToCancel(t *testing.T) {
	bs := newBookingServer(t, Config{}, "")
	a := bs.book(t, bookBody(bs.hoursAhead(5), ""))
	page := "/bookings/" + a.Token
	_, body := get(t, bs.URL+page+"/delete")
	mustContain(t, "confirm", body, "still ahead: deleting your details cancels it")
	if resp, _ := postForm(t, bs.URL+page+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if b, err := bs.db.BookingByLink(context.Background(), secret.Hash(a.Token)); err != nil || b.Status != booking.Cancelled || b.Email != "" {
		t.Errorf("booking = %+v, %v; want it cancelled without the client", b, err)
	}
}

func TestBookingDeleteDetailsGuards(t *testing.T) {
	bs := newBookingServer(t, Config{WriteRate: 0.001, WriteBurst: 1}, "")
	a := bs.book(t, bookBody(bs.hoursAhead(72), ""))
	page := bs.URL + "/bookings/" + a.Token + "/delete"
	req, _ := http.NewRequest(http.MethodPost, page, strings.NewReader(url.Values{}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site delete: %d, want 403", resp.StatusCode)
	}
	// The booking above used the one write allowed.
	if resp, _ := postForm(t, page, nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("delete over the write limit: %d, want 429", resp.StatusCode)
	}
	if b, err := bs.db.BookingByLink(context.Background(), secret.Hash(a.Token)); err != nil || b.Email == "" {
		t.Errorf("booking = %+v, %v; want it untouched", b, err)
	}
}
