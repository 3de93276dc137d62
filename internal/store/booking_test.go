package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"unknot/internal/booking"
	"unknot/internal/clinic"
	"unknot/internal/mail"
	"unknot/internal/secret"
)

// services of testClinicJSON (and of the demo): minutes and buffers.
var testServices = map[string]clinic.Service{
	"trigger-60": {ID: "trigger-60", Minutes: 60, BufferAfterMinutes: 15},
	"consult-30": {ID: "consult-30", Minutes: 30, BufferBeforeMinutes: 10},
}

// now is when the tests book: well before the bookings, so that they
// can be changed.
var now = time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)

// newBooking asks for service with therapist at start (RFC 3339) in
// Mitte, with a fresh link.
func newBooking(t testing.TB, therapist, service, start string) NewBooking {
	t.Helper()
	s, err := time.Parse(time.RFC3339, start)
	if err != nil {
		t.Fatal(err)
	}
	svc, ok := testServices[service]
	if !ok {
		t.Fatalf("no test service %q", service)
	}
	_, hash := secret.NewToken()
	return NewBooking{
		Booking: booking.Booking{
			Service: service, Therapist: therapist, Location: "mitte", Mode: clinic.InPerson,
			Start: s, End: s.Add(svc.Length()), BufferBefore: svc.BufferBefore(), BufferAfter: svc.BufferAfter(),
			Name: "Kim", Email: "kim@example.com", Phone: "+49 30 5", Note: "left shoulder",
		},
		TokenHash: hash,
		Now:       now,
	}
}

// book makes nb, which must succeed.
func book(t testing.TB, db *DB, nb NewBooking) *booking.Booking {
	t.Helper()
	b, made, err := db.CreateBooking(context.Background(), nb)
	if err != nil || !made {
		t.Fatalf("CreateBooking(%s %s %s) = %v, %v", nb.Booking.Therapist, nb.Booking.Service, nb.Booking.Start, made, err)
	}
	return b
}

func TestCreateBooking(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		b := book(t, db, nb)
		if b.ID == 0 || b.Status != booking.Confirmed || b.Sequence != 0 || !b.CreatedAt.Equal(now) {
			t.Errorf("booking = %+v", b)
		}
		got, err := db.BookingByLink(ctx, nb.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		want := *b
		if *got != want {
			t.Errorf("BookingByLink = %+v\nwant %+v", got, want)
		}
		if !got.Start.Equal(time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC)) || got.BufferAfter != 15*time.Minute {
			t.Errorf("start %s, buffer after %s", got.Start, got.BufferAfter)
		}
		if _, err := db.BookingByLink(ctx, secret.Hash("nobody")); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown link: %v", err)
		}
	})
}

// No two bookings of a therapist that hold their time overlap, buffers of
// both counted; touching is fine, another therapist is fine, and a
// cancelled booking frees its time.
func TestBookingOverlaps(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		// Ana, 10:00–11:00, blocked until 11:15.
		first := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		book(t, db, first)
		for _, c := range []struct {
			therapist, service, start string
			free                      bool
		}{
			{"ana", "trigger-60", "2027-03-29T10:00:00+02:00", false}, // the same
			{"ana", "trigger-60", "2027-03-29T09:15:00+02:00", false}, // its buffer runs into 10:00
			{"ana", "trigger-60", "2027-03-29T11:00:00+02:00", false}, // in the first one's buffer
			{"ana", "consult-30", "2027-03-29T11:15:00+02:00", false}, // its buffer before reaches back to 11:05
			{"ana", "consult-30", "2027-03-29T09:30:00+02:00", true},  // ends at 10:00: touching
			{"ana", "consult-30", "2027-03-29T11:25:00+02:00", true},  // its buffer starts at 11:15: touching
			{"ben", "trigger-60", "2027-03-29T10:00:00+02:00", true},  // someone else
			{"ana", "trigger-60", "2027-03-29T08:00:00Z", false},      // the same instant, written in UTC
		} {
			_, made, err := db.CreateBooking(ctx, newBooking(t, c.therapist, c.service, c.start))
			if c.free && (err != nil || !made) {
				t.Errorf("%s %s at %s: %v, want it booked", c.therapist, c.service, c.start, err)
			}
			if !c.free && !errors.Is(err, ErrConflict) {
				t.Errorf("%s %s at %s: %v, want ErrConflict", c.therapist, c.service, c.start, err)
			}
		}
		if _, err := db.CancelBooking(ctx, Change{TokenHash: first.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")) // between the two that touch
	})
}

// The database itself refuses overlapping rows, whatever the code above
// it does: on PostgreSQL through the exclusion constraint.
func TestBookingExclusionConstraint(t *testing.T) {
	db := openTest(t, postgresDSN(t))
	ctx := context.Background()
	importTestClinic(t, db)
	insert := func(from, to string, status booking.Status) error {
		_, err := db.wdb.ExecContext(ctx, `
			INSERT INTO bookings (service_id, therapist_id, location_id, mode, starts_at, ends_at,
				buffer_before_minutes, buffer_after_minutes, blocked_from, blocked_to, status,
				name, email, phone, note, sequence, created_at, updated_at)
			VALUES ('trigger-60', 'ana', 'mitte', 'in_person', $1, $2, 0, 0, $1, $2, $3, 'K', 'k@example.com', '', '', 0, now(), now())`,
			from, to, status)
		return overlapConflict(err)
	}
	if err := insert("2027-03-29T10:00:00Z", "2027-03-29T11:00:00Z", booking.Confirmed); err != nil {
		t.Fatal(err)
	}
	if err := insert("2027-03-29T10:59:00Z", "2027-03-29T12:00:00Z", booking.Confirmed); !errors.Is(err, ErrConflict) {
		t.Errorf("overlapping insert: %v, want ErrConflict", err)
	}
	if err := insert("2027-03-29T10:30:00Z", "2027-03-29T11:30:00Z", booking.Cancelled); err != nil {
		t.Errorf("cancelled overlapping insert: %v", err)
	}
	if err := insert("2027-03-29T11:00:00Z", "2027-03-29T12:00:00Z", booking.NoShow); err != nil {
		t.Errorf("touching insert: %v", err)
	}
}

// Many clients racing for one slot, and for overlapping slots of different
// services: exactly one wins, every other gets ErrConflict.
func TestBookingRace(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		importTestClinic(t, db)
		for round, starts := range [][]string{
			{"2027-03-29T10:00:00+02:00"},
			// Trigger point at 13:00 and 13:30, consultations at 13:15
			// and 13:40: every two overlap, with their buffers.
			{"2027-03-29T13:00:00+02:00", "2027-03-29T13:15:00+02:00", "2027-03-29T13:30:00+02:00", "2027-03-29T13:40:00+02:00"},
		} {
			const clients = 24
			var (
				wg        sync.WaitGroup
				mu        sync.Mutex
				won       []*booking.Booking
				conflicts int
			)
			gate := make(chan struct{})
			for i := range clients {
				service := []string{"trigger-60", "consult-30"}[i%2]
				nb := newBooking(t, "ana", service, starts[i%len(starts)])
				wg.Go(func() {
					<-gate
					b, _, err := db.CreateBooking(context.Background(), nb)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						won = append(won, b)
					case errors.Is(err, ErrConflict):
						conflicts++
					default:
						t.Errorf("round %d: %v", round, err)
					}
				})
			}
			close(gate)
			wg.Wait()
			if len(won) != 1 || conflicts != clients-1 {
				t.Errorf("round %d: %d won, %d conflicts; want 1 and %d", round, len(won), conflicts, clients-1)
			}
		}
		// What was kept does not overlap.
		search, err := db.SlotSearch(context.Background(), SlotQuery{Service: "trigger-60", Therapist: "ana",
			From: now, To: now.AddDate(0, 2, 0)})
		if err != nil {
			t.Fatal(err)
		}
		busy := search.Calendars[0].Busy
		for i := range busy {
			for j := range i {
				if busy[i].Overlaps(busy[j]) {
					t.Errorf("kept bookings overlap: %v and %v", busy[i], busy[j])
				}
			}
		}
	})
}

// A repeated request with the same idempotency key makes no second
// booking; the same key with another request is refused; a key is
// forgotten after a day; a failure remembers nothing.
func TestBookingIdempotency(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		nb.IdempotencyKey, nb.RequestHash = "key-1", secret.Hash("request 1")
		first := book(t, db, nb)

		again := nb
		_, again.TokenHash = secret.NewToken()
		b, made, err := db.CreateBooking(ctx, again)
		if err != nil || made || b.ID != first.ID {
			t.Fatalf("repeat = %+v, %v, %v; want the first booking, not made", b, made, err)
		}
		if b2, err := db.BookingByLink(ctx, again.TokenHash); err != nil || b2.ID != first.ID {
			t.Errorf("the repeat's link: %v, %v", b2, err)
		}
		other := newBooking(t, "ana", "trigger-60", "2027-03-30T14:00:00+02:00")
		other.IdempotencyKey, other.RequestHash = "key-1", secret.Hash("request 2")
		if _, _, err := db.CreateBooking(ctx, other); !errors.Is(err, ErrKeyReused) {
			t.Errorf("same key, other request: %v, want ErrKeyReused", err)
		}
		// A conflict remembers nothing: the key stays free.
		taken := newBooking(t, "ana", "trigger-60", "2027-03-29T10:30:00+02:00")
		taken.IdempotencyKey, taken.RequestHash = "key-2", secret.Hash("request 3")
		if _, _, err := db.CreateBooking(ctx, taken); !errors.Is(err, ErrConflict) {
			t.Fatalf("taken slot: %v", err)
		}
		free := newBooking(t, "ana", "trigger-60", "2027-03-30T11:00:00+02:00")
		free.IdempotencyKey, free.RequestHash = "key-2", secret.Hash("request 4")
		book(t, db, free)
		// A day later the key is free again.
		later := other
		later.Now = now.Add(IdempotencyWindow + time.Minute)
		if b, made, err := db.CreateBooking(ctx, later); err != nil || !made || b.ID == first.ID {
			t.Errorf("after a day: %v, %v, %v; want a new booking", b, made, err)
		}
	})
}

// Repeats of one request sent at once make one booking, and each gets it.
func TestBookingIdempotencyConcurrent(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		importTestClinic(t, db)
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			ids = map[int64]int{}
		)
		for range 10 {
			nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
			nb.IdempotencyKey, nb.RequestHash = "same", secret.Hash("same request")
			wg.Go(func() {
				b, _, err := db.CreateBooking(context.Background(), nb)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				ids[b.ID]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if len(ids) != 1 {
			t.Errorf("repeats made bookings %v, want one", ids)
		}
	})
}

func TestRescheduleAndCancel(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		b := book(t, db, nb)
		book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T13:00:00+02:00"))
		change := Change{TokenHash: nb.TokenHash, Now: now}
		at := func(s string) time.Time {
			x, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		// Its own old time does not count against it.
		moved, err := db.RescheduleBooking(ctx, change, at("2027-03-29T10:30:00+02:00"))
		if err != nil {
			t.Fatal(err)
		}
		if moved.ID != b.ID || moved.Sequence != 1 || !moved.Start.Equal(at("2027-03-29T10:30:00+02:00")) ||
			moved.End.Sub(moved.Start) != time.Hour || moved.BufferAfter != 15*time.Minute {
			t.Errorf("moved = %+v", moved)
		}
		if _, err := db.RescheduleBooking(ctx, change, at("2027-03-29T12:00:00+02:00")); !errors.Is(err, ErrConflict) {
			t.Errorf("onto another booking: %v, want ErrConflict", err)
		}
		late := change
		late.Now = at("2027-03-28T11:00:00+02:00") // less than 24 hours before
		if _, err := db.RescheduleBooking(ctx, late, at("2027-03-30T10:00:00+02:00")); !errors.Is(err, booking.ErrTooLate) {
			t.Errorf("too late to move: %v", err)
		}
		if _, err := db.CancelBooking(ctx, late); !errors.Is(err, booking.ErrTooLate) {
			t.Errorf("too late to cancel: %v", err)
		}
		cancelled, err := db.CancelBooking(ctx, change)
		if err != nil || cancelled.Status != booking.Cancelled || cancelled.Sequence != 2 {
			t.Fatalf("cancel = %+v, %v", cancelled, err)
		}
		again, err := db.CancelBooking(ctx, change)
		if err != nil || again.Sequence != 2 {
			t.Errorf("cancelling twice = %+v, %v; want it unchanged", again, err)
		}
		if _, err := db.RescheduleBooking(ctx, change, at("2027-03-30T10:00:00+02:00")); !errors.Is(err, booking.ErrTooLate) {
			t.Errorf("moving a cancelled booking: %v, want ErrTooLate", err)
		}
		if _, err := db.CancelBooking(ctx, Change{TokenHash: secret.Hash("x"), Now: now}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown link: %v", err)
		}
	})
}

// Every change queues its mail in the same transaction: a mail that cannot
// be queued undoes the change.
func TestBookingMail(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		letter := func(b *booking.Booking) ([]*mail.Message, error) {
			return []*mail.Message{{Kind: "booking", To: b.Email, Subject: fmt.Sprintf("%s %d", b.Status, b.Sequence), Text: "See you."}}, nil
		}
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		nb.Mail = letter
		book(t, db, nb)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: nb.TokenHash, Mail: letter, Now: now}); err != nil {
			t.Fatal(err)
		}
		broken := newBooking(t, "ana", "trigger-60", "2027-03-30T10:00:00+02:00")
		broken.Mail = func(*booking.Booking) ([]*mail.Message, error) { return []*mail.Message{{}}, nil }
		if _, _, err := db.CreateBooking(ctx, broken); err == nil {
			t.Fatal("a booking whose mail cannot be queued was made")
		}
		if _, err := db.BookingByLink(ctx, broken.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("the booking stayed without its mail: %v", err)
		}
		if got := subjects(t, db, "kim@example.com"); !slices.Equal(got, []string{"confirmed 0", "cancelled 1"}) {
			t.Errorf("mail queued: %q", got)
		}
	})
}

func TestSlotSearch(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.SlotSearch(ctx, SlotQuery{Service: "trigger-60"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("without a clinic: %v", err)
		}
		f := importTestClinic(t, db)
		nb := newBooking(t, "ana", "trigger-60", "2027-03-29T10:00:00+02:00")
		book(t, db, nb)
		book(t, db, newBooking(t, "ana", "trigger-60", "2027-06-07T10:00:00+02:00")) // outside the window
		cancelled := newBooking(t, "ana", "consult-30", "2027-03-29T15:00:00+02:00")
		book(t, db, cancelled)
		if _, err := db.CancelBooking(ctx, Change{TokenHash: cancelled.TokenHash, Now: now}); err != nil {
			t.Fatal(err)
		}
		window := SlotQuery{Service: "trigger-60", From: now, To: now.AddDate(0, 2, 0)}
		s, err := db.SlotSearch(ctx, window)
		if err != nil {
			t.Fatal(err)
		}
		if s.Clinic != f.Clinic || s.Service.ID != "trigger-60" || s.Service.Minutes != 60 {
			t.Errorf("clinic %+v, service %+v", s.Clinic, s.Service)
		}
		var ids []string
		for _, c := range s.Calendars {
			ids = append(ids, c.Therapist)
		}
		if !slices.Equal(ids, []string{"ana", "ben"}) || len(s.Therapists) != 2 {
			t.Fatalf("calendars of %v", ids)
		}
		ana := s.Calendars[0]
		if ana.Zone.String() != "Europe/Berlin" || ana.Location != "mitte" || len(ana.Hours[time.Monday]) != 2 || len(ana.TimeOff) != 1 {
			t.Errorf("ana's calendar = %+v", ana)
		}
		want := booking.Interval{Start: time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC), End: time.Date(2027, 3, 29, 9, 15, 0, 0, time.UTC)}
		if len(ana.Busy) != 1 || !ana.Busy[0].Start.Equal(want.Start) || !ana.Busy[0].End.Equal(want.End) {
			t.Errorf("ana's busy = %v, want only %v", ana.Busy, want)
		}
		// The slots it feeds leave the booking and its buffer out.
		d := clinic.DateOf(want.Start.In(ana.Zone))
		for _, slot := range booking.Slots(s.Clinic, s.Service, d, d, now, s.Calendars[:1]) {
			if booking.Blocked(s.Service, slot.Start).Overlaps(want) {
				t.Errorf("slot %s overlaps the booking", slot.Start)
			}
		}
		for _, c := range []struct {
			q    SlotQuery
			want []string
		}{
			{SlotQuery{Service: "trigger-60", Therapist: "ben"}, []string{"ben"}},
			{SlotQuery{Service: "consult-30"}, []string{"ana"}},
			{SlotQuery{Service: "consult-30", Mode: clinic.Virtual}, []string{"ana"}},
			{SlotQuery{Service: "trigger-60", Mode: clinic.Virtual}, nil},
			{SlotQuery{Service: "consult-30", Therapist: "ben"}, nil},
			{SlotQuery{Service: "trigger-60", Therapist: "nobody"}, nil},
		} {
			s, err := db.SlotSearch(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, cal := range s.Calendars {
				got = append(got, cal.Therapist)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%+v: calendars of %v, want %v", c.q, got, c.want)
			}
		}
		if _, err := db.SlotSearch(ctx, SlotQuery{Service: "massage"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown service: %v", err)
		}
	})
}
