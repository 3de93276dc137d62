package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/mail"
	"unknot/internal/secret"
)

func TestOfferAndVisit(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.Offer(ctx, "trigger-60", "ana"); !errors.Is(err, ErrNotFound) {
			t.Errorf("offer without a clinic: %v, want ErrNotFound", err)
		}
		importTestClinic(t, db)
		o, err := db.Offer(ctx, "trigger-60", "ana")
		if err != nil {
			t.Fatal(err)
		}
		if o.Service.Minutes != 60 || o.Therapist.VideoURL != "https://video.example/ana" || o.Location.ID != "mitte" ||
			o.Zone.String() != "Europe/Berlin" || o.Clinic.CancelHours != 24 || len(o.Therapist.Hours[time.Monday]) != 2 {
			t.Errorf("offer = %+v", o)
		}
		if cal := o.Calendar(); cal.Therapist != "ana" || cal.Zone != o.Zone || len(cal.TimeOff) != 1 {
			t.Errorf("calendar = %+v", cal)
		}
		o, err = db.Offer(ctx, "nope", "nobody")
		if err != nil || o.Service != nil || o.Therapist != nil || o.Location != nil {
			t.Errorf("unknown service and therapist = %+v, %v; want them nil", o, err)
		}

		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		b := book(t, db, nb)
		v, err := db.VisitByLink(ctx, nb.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if v.Booking.ID != b.ID || v.Service.ID != "trigger-60" || v.Therapist.ID != "ana" || v.Location.Address == "" {
			t.Errorf("visit = %+v", v)
		}
		if _, err := db.VisitByLink(ctx, secret.Hash("nope")); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown link: %v", err)
		}
	})
}

// A booking may carry its client's self-check, and share it with the
// clinic until withdrawn; the person's export holds both, and deleting
// the plan for good keeps the clinic's record of the visit without the
// person.
func TestPlanBookingsSharesExportAndDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		plan := savedAssessment(t, db)
		first := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		first.AssessmentID, first.SharePlan = plan.ID, true
		b1 := book(t, db, first)
		second := newBooking(t, "ben", "trigger-60", "2027-03-29T10:00:00+02:00")
		second.AssessmentID, second.SharePlan = plan.ID, true
		book(t, db, second)
		book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T13:00:00+02:00")) // someone else's

		x, err := db.ExportPlan(ctx, plan.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Bookings) != 2 || x.Bookings[0].ID != b1.ID || x.Bookings[0].Email != "kim@example.com" {
			t.Errorf("exported bookings = %+v", x.Bookings)
		}
		if len(x.Shares) != 1 || x.Shares[0].BookingID != b1.ID || x.Shares[0].WithdrawnAt != nil {
			t.Errorf("shares = %+v, want one live share, given with the first booking", x.Shares)
		}

		if live, err := db.LiveShare(ctx, plan.TokenHash); err != nil || live == nil || live.BookingID != b1.ID {
			t.Errorf("live share = %+v, %v; want the one given with the first booking", live, err)
		}
		if ok, err := db.WithdrawShare(ctx, plan.TokenHash, now); err != nil || !ok {
			t.Fatalf("withdraw = %v, %v", ok, err)
		}
		if live, err := db.LiveShare(ctx, plan.TokenHash); err != nil || live != nil {
			t.Errorf("live share after withdrawing = %+v, %v; want none", live, err)
		}
		if _, err := db.LiveShare(ctx, secret.Hash("nope")); !errors.Is(err, ErrNotFound) {
			t.Errorf("live share of no plan: %v", err)
		}
		if ok, err := db.WithdrawShare(ctx, plan.TokenHash, now); err != nil || ok {
			t.Errorf("withdraw again = %v, %v; want nothing to withdraw", ok, err)
		}
		if _, err := db.WithdrawShare(ctx, secret.Hash("nope"), now); !errors.Is(err, ErrNotFound) {
			t.Errorf("withdraw from no plan: %v", err)
		}
		again := newBooking(t, "ana", "trigger-60", "2027-03-30T10:00:00+02:00")
		again.AssessmentID, again.SharePlan = plan.ID, true
		book(t, db, again)
		x, err = db.ExportPlan(ctx, plan.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Shares) != 2 || x.Shares[0].WithdrawnAt == nil || x.Shares[1].WithdrawnAt != nil {
			t.Errorf("shares after withdrawing and sharing again = %+v", x.Shares)
		}

		if err := db.DeletePlan(ctx, plan.TokenHash); err != nil {
			t.Fatal(err)
		}
		kept, err := db.BookingByLink(ctx, first.TokenHash)
		if err != nil {
			t.Fatalf("the clinic's record of the visit is gone: %v", err)
		}
		if kept.Name != DeletedClient || kept.Email != "" || kept.Phone != "" || kept.Note != "" ||
			!kept.Start.Equal(b1.Start) || kept.Service != "trigger-60" || kept.Therapist != "ana" || kept.Status != booking.Confirmed {
			t.Errorf("kept visit = %+v", kept)
		}
		var n int
		if err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM shares`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d shares left (%v)", n, err)
		}
		if err := db.rdb.QueryRowContext(ctx, `SELECT count(*) FROM bookings WHERE name = 'Kim'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("%d bookings of others kept the name (%v), want 1", n, err)
		}
	})
}

// Deleting a client's details through their booking's link keeps the
// clinic's record of the visit without the person: a visit still ahead is
// cancelled, even inside the cancellation window, with one mail that does
// not name them; a past or cancelled visit only loses the person.
func TestForgetVisitClient(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		letter := func(b *booking.Booking) ([]*mail.Message, error) {
			return []*mail.Message{{Kind: "booking", To: "ana@clinic.example",
				Subject: fmt.Sprintf("%s %d %s <%s>", b.Status, b.Sequence, b.Name, b.Email), Text: "Cancelled."}}, nil
		}
		plan := savedAssessment(t, db)
		ahead := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		ahead.AssessmentID, ahead.SharePlan = plan.ID, true
		ahead.IdempotencyKey, ahead.RequestHash = "key-1", secret.Hash("request 1")
		b := book(t, db, ahead)
		past := newBooking(t, "ben", "trigger-60", "2027-03-02T10:00:00+01:00")
		book(t, db, past)
		gone := newBooking(t, "ana", "trigger-60", "2027-03-30T10:00:00+02:00")
		book(t, db, gone)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: gone.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		other := newBooking(t, "ana", "trigger-60", "2027-03-29T13:00:00+02:00")
		book(t, db, other)

		late := b.Start.Add(-2 * time.Hour) // too late to cancel online
		if err := db.ForgetVisitClient(ctx, Change{TokenHash: ahead.TokenHash, Mail: letter, Now: late}); err != nil {
			t.Fatal(err)
		}
		kept, err := db.BookingByLink(ctx, ahead.TokenHash)
		if err != nil {
			t.Fatalf("the clinic's record of the visit is gone: %v", err)
		}
		if kept.Name != DeletedClient || kept.Email != "" || kept.Phone != "" || kept.Note != "" ||
			kept.ID != b.ID || !kept.Start.Equal(b.Start) || !kept.End.Equal(b.End) || kept.Service != "trigger-60" ||
			kept.Therapist != "ana" || kept.Status != booking.Cancelled || kept.Sequence != 1 {
			t.Errorf("kept visit = %+v", kept)
		}
		if got := subjects(t, db, "ana@clinic.example"); !slices.Equal(got, []string{"cancelled 1 deleted client <>"}) {
			t.Errorf("mail queued: %q, want one cancellation without the client", got)
		}
		count := func(what, query string, want int) {
			t.Helper()
			var n int
			if err := db.rdb.QueryRowContext(ctx, query, b.ID).Scan(&n); err != nil || n != want {
				t.Errorf("%s: %d (%v), want %d", what, n, err, want)
			}
		}
		count("shares", `SELECT count(*) FROM shares WHERE booking_id = $1 OR assessment_id IS NULL`, 0)
		count("idempotency records", `SELECT count(*) FROM booking_requests WHERE booking_id = $1`, 0)
		count("reminders and self-check links", `SELECT count(*) FROM bookings WHERE id = $1 AND (remind_at IS NOT NULL OR assessment_id IS NOT NULL)`, 0)
		count("bookings of others that kept the name", `SELECT count(*) FROM bookings WHERE id <> $1 AND name = 'Kim'`, 3)

		// The key is free: the idempotent repeat makes a new booking.
		repeat := ahead
		_, repeat.TokenHash = secret.NewToken()
		repeat.Booking.Start = b.Start.Add(24 * time.Hour)
		repeat.Booking.End = repeat.Booking.Start.Add(time.Hour)
		if again, made, err := db.CreateBooking(ctx, repeat); err != nil || !made || again.ID == b.ID {
			t.Errorf("the key after forgetting: %+v, %v, %v; want a new booking", again, made, err)
		}

		for _, nb := range []NewBooking{past, gone} {
			before, err := db.BookingByLink(ctx, nb.TokenHash)
			if err != nil {
				t.Fatal(err)
			}
			afterPast := past.Booking.End.Add(time.Hour)
			if err := db.ForgetVisitClient(ctx, Change{TokenHash: nb.TokenHash, Mail: letter, Now: afterPast}); err != nil {
				t.Fatal(err)
			}
			after, err := db.BookingByLink(ctx, nb.TokenHash)
			if err != nil || after.Name != DeletedClient || after.Email != "" || after.Status != before.Status || after.Sequence != before.Sequence {
				t.Errorf("forgotten %s visit = %+v, %v; want it as it was, without the client", before.Status, after, err)
			}
		}
		if got := subjects(t, db, "ana@clinic.example"); len(got) != 1 {
			t.Errorf("mail queued for past or cancelled visits: %q", got)
		}
		if err := db.ForgetVisitClient(ctx, Change{TokenHash: secret.Hash("nope"), Now: now}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown link: %v, want ErrNotFound", err)
		}
	})
}

// A reminder is written when it is due, with a fresh link, and never
// for a visit booked less than a day ahead, moved that close, or
// cancelled.
func TestQueueReminders(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		var links [][]byte
		compose := func(v *Visit) (*mail.Message, []byte, error) {
			_, hash := secret.NewToken()
			links = append(links, hash)
			return &mail.Message{Kind: "booking_reminder", To: v.Booking.Email, Subject: "Reminder " + v.Service.ID, Text: "Tomorrow."}, hash, nil
		}
		queue := func(at time.Time) int {
			t.Helper()
			n, err := db.QueueReminders(ctx, at, compose)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		start := func(nb NewBooking) time.Time { return nb.Booking.Start }

		ahead := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		ahead.Booking.Email = "ahead@example.com"
		book(t, db, ahead)
		soon := newBooking(t, "ben", "trigger-60", "2027-03-02T10:00:00+01:00") // 21 hours after now
		soon.Booking.Email = "soon@example.com"
		book(t, db, soon)
		gone := newBooking(t, "ana", "trigger-60", "2027-03-30T10:00:00+02:00")
		gone.Booking.Email = "gone@example.com"
		book(t, db, gone)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: gone.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		moved := newBooking(t, "ben", "trigger-60", "2027-03-22T10:00:00+01:00")
		moved.Booking.Email = "moved@example.com"
		book(t, db, moved)
		movedTo := time.Date(2027, 3, 29, 14, 0, 0, 0, time.UTC)
		if _, err := db.RescheduleBooking(ctx, Change{TokenHash: moved.TokenHash, Now: now}, movedTo); err != nil {
			t.Fatal(err)
		}

		if n := queue(now); n != 0 {
			t.Errorf("%d reminders due at once", n)
		}
		if n := queue(time.Date(2027, 3, 22, 10, 0, 0, 0, time.UTC)); n != 0 {
			t.Errorf("%d reminders due at the moved booking's old time", n)
		}
		if n := queue(start(ahead).Add(-booking.ReminderLead - time.Second)); n != 0 {
			t.Errorf("%d reminders before they are due", n)
		}
		if n := queue(start(ahead).Add(-booking.ReminderLead)); n != 1 {
			t.Errorf("%d reminders due, want 1", n)
		}
		if n := queue(start(ahead).Add(-booking.ReminderLead + time.Minute)); n != 0 {
			t.Errorf("a reminder was written twice (%d)", n)
		}
		if n := queue(movedTo.Add(-time.Hour)); n != 1 {
			t.Errorf("%d reminders for the moved booking, want 1", n)
		}
		if got := subjects(t, db, "ahead@example.com"); !slices.Equal(got, []string{"Reminder trigger-60"}) {
			t.Errorf("mail to the booking a month ahead: %q", got)
		}
		for _, who := range []string{"soon@example.com", "gone@example.com"} {
			if got := subjects(t, db, who); len(got) != 0 {
				t.Errorf("mail to %s: %q, want none", who, got)
			}
		}
		if len(links) != 2 {
			t.Fatalf("%d links made", len(links))
		}
		b, err := db.BookingByLink(ctx, links[0])
		if err != nil || b.Email != "ahead@example.com" {
			t.Errorf("the reminder's fresh link opens %+v, %v", b, err)
		}
	})
}

// The clinic kept in memory follows every import, made by this instance
// or by another one on the same database.
func TestClinicSnapshotFollowsImports(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		other := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.LoadDemoClinic(ctx); err != nil {
			t.Fatal(err)
		}
		if o, err := db.Offer(ctx, "trigger-60", "ana"); err != nil || o.Therapist.Name != "Ana Demo" {
			t.Fatalf("demo offer = %+v, %v", o, err)
		}
		importTestClinic(t, other)
		o, err := db.Offer(ctx, "trigger-60", "ana")
		if err != nil || o.Therapist.Name != "Ana" || len(o.Therapist.Hours[time.Wednesday]) != 0 {
			t.Fatalf("offer after another instance imported = %+v, %v", o, err)
		}
		f := parseClinic(t, testClinicJSON)
		f.Therapists[0].Name = "Ana Renamed"
		f.Services[1].Minutes = 90
		if err := db.ImportClinic(ctx, f); err != nil {
			t.Fatal(err)
		}
		s, err := db.SlotSearch(ctx, SlotQuery{Service: "trigger-60", From: now, To: now.Add(time.Hour)})
		if err != nil || s.Service.Minutes != 90 || len(s.Therapists) != 2 || s.Therapists[0].Name != "Ana Renamed" {
			t.Errorf("slot search after an import = %+v, %v", s, err)
		}
	})
}

func TestLooksFree(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		looksFree := func(therapist, start string) error {
			b := newBooking(t, therapist, "trigger-60", start).Booking
			return db.LooksFree(ctx, &b)
		}
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00") // holds 10:00–11:15
		book(t, db, nb)
		for start, want := range map[string]error{
			"2027-03-29T11:00:00+02:00": ErrConflict, // inside the buffer
			"2027-03-29T08:45:00+02:00": nil,         // its buffer ends as it begins
			"2027-03-29T11:15:00+02:00": nil,         // begins as its buffer ends
		} {
			if err := looksFree("ana", start); !errors.Is(err, want) {
				t.Errorf("LooksFree(%s) = %v, want %v", start, err, want)
			}
		}
		if err := looksFree("ben", "2027-03-29T10:00:00+02:00"); err != nil {
			t.Errorf("another therapist's time: %v", err)
		}
		if _, err := db.CancelBooking(ctx, Change{TokenHash: nb.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		if err := looksFree("ana", "2027-03-29T10:30:00+02:00"); err != nil {
			t.Errorf("after the cancellation: %v", err)
		}
	})
}
