package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/secret"
	"unknot/internal/valid"
)

func TestClinicTherapist(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.ClinicTherapist(ctx, "ana"); !errors.Is(err, ErrNotFound) {
			t.Errorf("without a clinic: %v, want ErrNotFound", err)
		}
		importTestClinic(t, db)
		th, err := db.ClinicTherapist(ctx, "ana")
		if err != nil || th.ID != "ana" || th.Name != "Ana" || th.Zone.String() != "Europe/Berlin" {
			t.Errorf("ClinicTherapist = %+v, %v; want ana", th, err)
		}
		for _, id := range []string{"", "bob"} {
			if _, err := db.ClinicTherapist(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("therapist %q: %v, want ErrNotFound", id, err)
			}
		}
	})
}

// A therapist's schedule holds their own bookings that hold time in the
// span, in order, says which have a live share and notes, and never
// shows another therapist's.
func TestTherapistSchedule(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		plan := savedAssessment(t, db)
		shared := newBooking(t, "ana", "trigger-60", "2027-03-29T13:00:00+02:00")
		shared.AssessmentID, shared.SharePlan = plan.ID, true
		b2 := book(t, db, shared)
		b1 := book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T09:00:00+02:00"))
		book(t, db, newBooking(t, "ben", "trigger-60", "2027-03-29T09:00:00+02:00"))
		cancelled := newBooking(t, "ana", "consult-30", "2027-03-29T15:00:00+02:00")
		book(t, db, cancelled)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: cancelled.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-30T09:00:00+02:00")) // the next day
		if err := db.SaveVisitNote(ctx, "ana", b1.ID, "tight left trapezius", now); err != nil {
			t.Fatal(err)
		}

		berlin, _ := clinic.Zone("Europe/Berlin")
		day := time.Date(2027, 3, 29, 0, 0, 0, 0, berlin)
		s, err := db.TherapistSchedule(ctx, "ana", day, day.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		if s.Therapist.ID != "ana" || s.Location.ID != "mitte" || s.Zone.String() != "Europe/Berlin" {
			t.Errorf("schedule of %s at %s in %s", s.Therapist.ID, s.Location.ID, s.Zone)
		}
		if len(s.Visits) != 2 {
			t.Fatalf("visits = %+v, want ana's two of the day", s.Visits)
		}
		v1, v2 := s.Visits[0], s.Visits[1]
		if v1.Booking.ID != b1.ID || v1.Shared || !v1.HasNotes || v1.Service != "Trigger point therapy" || v1.Booking.Name != "Kim" {
			t.Errorf("first visit = %+v", v1)
		}
		if v2.Booking.ID != b2.ID || !v2.Shared || v2.HasNotes {
			t.Errorf("second visit = %+v", v2)
		}
		if _, err := db.WithdrawShare(ctx, plan.TokenHash, now); err != nil {
			t.Fatal(err)
		}
		s, err = db.TherapistSchedule(ctx, "ana", day, day.AddDate(0, 0, 1))
		if err != nil || s.Visits[1].Shared {
			t.Errorf("after the share was withdrawn: %+v, %v", s, err)
		}
		if _, err := db.TherapistSchedule(ctx, "nobody", day, day.AddDate(0, 0, 1)); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown therapist: %v", err)
		}
	})
}

// A visit's outcome follows booking.Mark, raises the sequence, and is
// the visit's own therapist's to record; so are its notes, whose history
// is kept.
func TestMarkVisitAndNotes(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		b := book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T09:00:00+02:00"))

		if _, err := db.MarkVisit(ctx, "ana", b.ID, booking.Attended, b.Start.Add(-time.Minute)); !errors.Is(err, booking.ErrNotStarted) {
			t.Errorf("before the start: %v, want ErrNotStarted", err)
		}
		if _, err := db.MarkVisit(ctx, "ben", b.ID, booking.Attended, b.Start); !errors.Is(err, ErrNotFound) {
			t.Errorf("another therapist: %v, want ErrNotFound", err)
		}
		got, err := db.MarkVisit(ctx, "ana", b.ID, booking.NoShow, b.Start)
		if err != nil || got.Status != booking.NoShow || got.Sequence != 1 || !got.UpdatedAt.Equal(b.Start) {
			t.Fatalf("marked = %+v, %v", got, err)
		}
		if got, err = db.MarkVisit(ctx, "ana", b.ID, booking.NoShow, b.Start.Add(time.Hour)); err != nil || got.Sequence != 1 {
			t.Errorf("the same again = %+v, %v; want no change", got, err)
		}
		if got, err = db.MarkVisit(ctx, "ana", b.ID, booking.Attended, b.Start.Add(time.Hour)); err != nil || got.Status != booking.Attended || got.Sequence != 2 {
			t.Errorf("corrected = %+v, %v", got, err)
		}

		if err := db.SaveVisitNote(ctx, "ben", b.ID, "not mine", now); !errors.Is(err, ErrNotFound) {
			t.Errorf("another therapist's note: %v, want ErrNotFound", err)
		}
		if err := db.SaveVisitNote(ctx, "ana", b.ID+1000, "no visit", now); !errors.Is(err, ErrNotFound) {
			t.Errorf("note on no visit: %v, want ErrNotFound", err)
		}
		for i, body := range []string{"first", "second"} {
			if err := db.SaveVisitNote(ctx, "ana", b.ID, body, now.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		v, err := db.TherapistVisit(ctx, "ana", b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Booking.Status != booking.Attended || v.Service.ID != "trigger-60" || v.Therapist.ID != "ana" || len(v.Notes) != 2 ||
			v.Notes[0].Body != "second" || v.Notes[1].Body != "first" || !v.Notes[0].WrittenAt.Equal(now.Add(time.Minute)) {
			t.Errorf("visit = %+v, notes %+v", v.Booking, v.Notes)
		}
		if _, err := db.TherapistVisit(ctx, "ben", b.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("another therapist's visit: %v, want ErrNotFound", err)
		}
	})
}

// Time off is refused, naming the bookings, when it covers a booking
// that holds its time; written, it takes the slots away at once.
func TestBlockTimeOff(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		b := book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00"))
		wall := func(s string) clinic.Wall {
			w, err := clinic.ParseWall(s)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		off := BlockedTime{TimeOff: clinic.TimeOff{From: wall("2027-03-29T10:59"), To: wall("2027-03-29T12:00")}, Reason: "dentist"}
		err := db.BlockTimeOff(ctx, "ana", off, now)
		var clash *TimeOffClash
		if !errors.As(err, &clash) || !errors.Is(err, ErrConflict) || len(clash.Visits) != 1 || clash.Visits[0].Booking.ID != b.ID || clash.Visits[0].Service != "Trigger point therapy" {
			t.Fatalf("over a booking: %v, want a clash naming booking %d", err, b.ID)
		}
		// Touching is not overlapping; the buffer after the visit does
		// not keep the therapist from taking time off.
		off.From = wall("2027-03-29T11:00")
		if err := db.BlockTimeOff(ctx, "ana", off, now); err != nil {
			t.Fatalf("after the booking: %v", err)
		}
		// A booking checked before the time off was blocked is refused
		// when it is written: the database, not the clinic in memory,
		// has the last word.
		if _, _, err := db.CreateBooking(ctx, newBooking(t, "ana", "trigger-60", "2027-03-29T11:15:00+02:00")); !errors.Is(err, ErrConflict) {
			t.Errorf("a booking in time off blocked since: %v, want ErrConflict", err)
		}
		if err := db.BlockTimeOff(ctx, "nobody", off, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown therapist: %v", err)
		}
		got, err := db.TimeOffSince(ctx, "ana", wall("2027-03-29T00:00"))
		if err != nil || len(got) != 2 || got[0].Reason != "dentist" || got[0].From != off.From || got[1].Reason != "" {
			t.Errorf("time off since = %+v, %v; want this and the file's", got, err)
		}
		// Time off added through the clinic's setup is held to the same
		// rule: never over a booked visit, and then nothing is saved.
		err = db.EditClinic(ctx, now, func(f *clinic.File) error {
			for i := range f.Therapists {
				if f.Therapists[i].ID == "ana" {
					f.Therapists[i].TimeOff = append(f.Therapists[i].TimeOff, clinic.TimeOff{From: wall("2027-03-29T09:00"), To: wall("2027-03-29T13:00")})
				}
			}
			return nil
		})
		var errs valid.Errors
		if !errors.As(err, &errs) || len(errs) != 1 || !strings.HasSuffix(errs[0].Field, ".time_off") || !strings.Contains(errs[0].Message, "1 booked visit") {
			t.Errorf("setup's time off over a booking: %v; want one problem at its time_off", err)
		}
		// Saving the clinic again (a setup page, an import) keeps the
		// reasons given at the desk.
		if err := db.EditClinic(ctx, now, func(f *clinic.File) error { f.Clinic.Phone = "+49 30 999"; return nil }); err != nil {
			t.Fatal(err)
		}
		if again, err := db.TimeOffSince(ctx, "ana", wall("2027-03-29T00:00")); err != nil || len(again) != 2 || again[0].Reason != "dentist" {
			t.Errorf("after the clinic was saved again: %+v, %v; want the reason kept", again, err)
		}
		if got, _ := db.TimeOffSince(ctx, "ana", wall("2027-04-06T00:00")); len(got) != 0 {
			t.Errorf("time off after all ended = %+v", got)
		}
		o, err := db.Offer(ctx, "trigger-60", "ana")
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Therapist.TimeOff) != 2 {
			t.Errorf("the clinic in memory has time off %+v; want the new one too", o.Therapist.TimeOff)
		}
	})
}

// A feed link is one per therapist: regenerating ends the old one,
// revoking ends it for good.
func TestTherapistFeed(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		if at, err := db.TherapistFeedSince(ctx, "ana"); err != nil || at != nil {
			t.Errorf("no feed yet: %v, %v", at, err)
		}
		_, first := secret.NewToken()
		_, second := secret.NewToken()
		if err := db.SetTherapistFeed(ctx, "ana", first, now); err != nil {
			t.Fatal(err)
		}
		if id, err := db.FeedTherapist(ctx, first); err != nil || id != "ana" {
			t.Errorf("feed of the first link = %q, %v", id, err)
		}
		if err := db.SetTherapistFeed(ctx, "ana", second, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FeedTherapist(ctx, first); !errors.Is(err, ErrNotFound) {
			t.Errorf("the regenerated link still works: %v", err)
		}
		if at, err := db.TherapistFeedSince(ctx, "ana"); err != nil || at == nil || !at.Equal(now.Add(time.Hour)) {
			t.Errorf("feed since = %v, %v", at, err)
		}
		if err := db.SetTherapistFeed(ctx, "nobody", first, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("feed of an unknown therapist: %v, want ErrNotFound", err)
		}
		if ok, err := db.RevokeTherapistFeed(ctx, "ana"); !ok || err != nil {
			t.Errorf("revoke = %v, %v", ok, err)
		}
		if _, err := db.FeedTherapist(ctx, second); !errors.Is(err, ErrNotFound) {
			t.Errorf("the revoked link still works: %v", err)
		}
		if ok, err := db.RevokeTherapistFeed(ctx, "ana"); ok || err != nil {
			t.Errorf("revoke again = %v, %v", ok, err)
		}
	})
}
