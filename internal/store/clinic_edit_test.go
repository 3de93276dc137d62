package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/valid"
)

func TestEditClinic(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		before := asJSON(t, mustExport(t, db))
		// Without an address of its own, the clinic gives its first location's.
		if c, err := db.ClinicContact(ctx); err != nil || c.Address != "Invalidenstraße 1, Berlin" || c.Email != "desk@clinic.example" {
			t.Errorf("ClinicContact = %+v, %v", c, err)
		}

		// A bad edit writes nothing and names the field by its path.
		err := db.EditClinic(ctx, now, func(f *clinic.File) error {
			f.Clinic.Name = "Renamed"
			f.Therapists[0].Hours[time.Monday] = append(f.Therapists[0].Hours[time.Monday], clinic.Range{From: 10 * 60, To: 11 * 60})
			return nil
		})
		var errs valid.Errors
		if !errors.As(err, &errs) || errs.For("therapists[0].hours.mon[2]") == "" {
			t.Fatalf("overlapping hours: %v, want a field error at therapists[0].hours.mon[2]", err)
		}
		if got := asJSON(t, mustExport(t, db)); got != before {
			t.Fatalf("a refused edit changed the clinic:\n%s", got)
		}

		// A good edit changes what it changes, and removes what it drops.
		err = db.EditClinic(ctx, now, func(f *clinic.File) error {
			f.Clinic.Address = "Torstraße 1, Berlin"
			f.Therapists = f.Therapists[:1] // ben goes
			f.Therapists[0].Hours[time.Friday] = []clinic.Range{{From: 14 * 60, To: 16 * 60}, {From: 8 * 60, To: 12 * 60}}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got := mustExport(t, db)
		if got.Clinic.Address != "Torstraße 1, Berlin" || len(got.Therapists) != 1 || got.Therapists[0].ID != "ana" {
			t.Fatalf("after the edit: %+v", got)
		}
		if fri := got.Therapists[0].Hours[time.Friday]; len(fri) != 2 || fri[0].From != 8*60 {
			t.Errorf("Friday = %v, want two ranges in order", fri)
		}
		if _, err := db.ClinicTherapist(ctx, "ben"); !errors.Is(err, ErrNotFound) {
			t.Errorf("removed therapist still found: %v", err)
		}
		if th, err := db.ClinicTherapist(ctx, "ana"); err != nil || th.ID != "ana" {
			t.Errorf("ClinicTherapist = %v, %v", th, err)
		}
		if c, err := db.ClinicContact(ctx); err != nil || c.Address != "Torstraße 1, Berlin" || c.Name != "Test Clinic" {
			t.Errorf("ClinicContact = %+v, %v", c, err)
		}

		// A service with a booking ahead stays, and so does everything else.
		book(t, db, newBooking(t, "ana", "trigger-60", "2027-03-29T09:00:00+02:00"))
		before = asJSON(t, mustExport(t, db))
		err = db.EditClinic(ctx, now, func(f *clinic.File) error {
			f.Clinic.Name = "Renamed"
			f.Services = slices.DeleteFunc(f.Services, func(s clinic.Service) bool { return s.ID == "trigger-60" })
			f.Therapists[0].Services = []string{"consult-30"}
			return nil
		})
		var inUse *InUseError
		if !errors.As(err, &inUse) || inUse.ID != "trigger-60" || !inUse.Future {
			t.Fatalf("removing a booked service: %v, want an InUseError with Future", err)
		}
		if got := asJSON(t, mustExport(t, db)); got != before {
			t.Fatalf("a refused removal changed the clinic:\n%s", got)
		}
		// Once the visit is past, the clinic still keeps its record.
		err = db.EditClinic(ctx, now.AddDate(1, 0, 0), func(f *clinic.File) error {
			f.Therapists = nil
			return nil
		})
		if !errors.As(err, &inUse) || inUse.ID != "ana" || inUse.Future {
			t.Fatalf("removing a therapist with a past visit: %v, want an InUseError without Future", err)
		}
		// What edit refuses is refused.
		stop := errors.New("stop")
		if err := db.EditClinic(ctx, now, func(*clinic.File) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("edit's error: %v", err)
		}
	})
}

func TestEditClinicStartsFromNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		err := db.EditClinic(ctx, now, func(f *clinic.File) error {
			f.Locations = append(f.Locations, clinic.Location{ID: "mitte", Name: "Mitte", Address: "A 1", TimeZone: "Europe/Berlin"})
			return nil
		})
		var errs valid.Errors
		if !errors.As(err, &errs) || errs.For("clinic.name") == "" {
			t.Fatalf("a clinic without details: %v", err)
		}
		if _, err := db.ExportClinic(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("a refused first edit wrote a clinic: %v", err)
		}
		err = db.EditClinic(ctx, now, func(f *clinic.File) error {
			f.Clinic = clinic.Clinic{Name: "New", Email: "desk@new.example", CancelHours: 24, HorizonDays: 90, SlotStepMinutes: 15}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if c, err := db.ClinicContact(ctx); err != nil || c.Name != "New" {
			t.Errorf("ClinicContact = %+v, %v", c, err)
		}
	})
}

// The demo clinic's sample name goes on no handout; once an admin edits
// it, it is the clinic's own.
func TestClinicContactOfTheDemo(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.ClinicContact(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("no clinic: %v", err)
		}
		if _, err := db.LoadDemoClinic(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClinicContact(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the demo clinic: %v", err)
		}
		if err := db.EditClinic(ctx, now, func(f *clinic.File) error { f.Clinic.Name = "Ours"; return nil }); err != nil {
			t.Fatal(err)
		}
		if c, err := db.ClinicContact(ctx); err != nil || c.Name != "Ours" {
			t.Fatalf("the edited demo: %+v, %v", c, err)
		}
		// And an import no longer takes it for the demo.
		if err := db.ImportClinic(ctx, parseClinic(t, testClinicJSON)); err != nil {
			t.Fatal(err)
		}
		if f := mustExport(t, db); len(f.Locations) != 2 {
			t.Errorf("locations after an import over the edited demo: %+v", f.Locations)
		}
	})
}

func mustExport(t *testing.T, db *DB) clinic.File {
	t.Helper()
	f, err := db.ExportClinic(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return f
}
