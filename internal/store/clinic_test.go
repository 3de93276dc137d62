package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"unknot/internal/clinic"
)

// testClinicJSON is a clinic in Berlin with two services and two
// therapists; the booking tests book with it. Its lists are in order of
// id, as the export writes them.
const testClinicJSON = `{
  "clinic": {"name": "Test Clinic", "email": "desk@clinic.example", "cancel_hours": 24,
             "min_notice_minutes": 0, "horizon_days": 365, "slot_step_minutes": 15},
  "locations": [{"id": "mitte", "name": "Mitte", "address": "Invalidenstraße 1, Berlin", "time_zone": "Europe/Berlin"}],
  "services": [
    {"id": "consult-30", "name": "Consultation", "style": "consultation", "minutes": 30,
     "buffer_before_minutes": 10, "buffer_after_minutes": 0, "price": "40.00", "currency": "EUR", "modes": ["in_person", "virtual"]},
    {"id": "trigger-60", "name": "Trigger point therapy", "style": "trigger_point_therapy", "minutes": 60,
     "buffer_before_minutes": 0, "buffer_after_minutes": 15, "price": "95.00", "currency": "EUR", "modes": ["in_person"]}
  ],
  "therapists": [
    {"id": "ana", "name": "Ana", "email": "ana@clinic.example", "credentials": "RMT",
     "specialties": ["trigger_point_therapy"], "location": "mitte", "services": ["trigger-60", "consult-30"],
     "modes": ["in_person", "virtual"], "video_url": "https://video.example/ana",
     "hours": {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [["09:00", "17:00"]]},
     "time_off": [{"from": "2027-04-05T00:00", "to": "2027-04-06T00:00"}]},
    {"id": "ben", "name": "Ben", "email": "ben@clinic.example", "credentials": "LMT",
     "specialties": [], "location": "mitte", "services": ["trigger-60"], "modes": ["in_person"],
     "hours": {"mon": [["09:00", "17:00"]]}}
  ]
}`

func parseClinic(t *testing.T, data string) clinic.File {
	t.Helper()
	f, err := clinic.Parse([]byte(data))
	if err != nil {
		t.Fatalf("clinic.Parse: %v", err)
	}
	return f
}

// importTestClinic imports testClinicJSON.
func importTestClinic(t *testing.T, db *DB) clinic.File {
	t.Helper()
	f := parseClinic(t, testClinicJSON)
	if err := db.ImportClinic(context.Background(), f); err != nil {
		t.Fatalf("ImportClinic: %v", err)
	}
	return f
}

// asJSON writes f as export prints it.
func asJSON(t *testing.T, f clinic.File) string {
	t.Helper()
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportExportClinic(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		if _, err := db.ExportClinic(ctx); !errors.Is(err, ErrNotFound) {
			t.Fatalf("ExportClinic of an empty database = %v, want ErrNotFound", err)
		}
		f := importTestClinic(t, db)
		got, err := db.ExportClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := asJSON(t, got), asJSON(t, f); a != b {
			t.Errorf("export differs from the import:\n%s\nwant\n%s", a, b)
		}
		// Importing again replaces what the file lists, whole, and leaves
		// the rest alone.
		known, err := db.KnownClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		second := parseClinicWith(t, `{
		  "clinic": {"name": "Renamed Clinic", "email": "desk@clinic.example", "cancel_hours": 12,
		             "min_notice_minutes": 60, "horizon_days": 30, "slot_step_minutes": 30},
		  "locations": [],
		  "services": [],
		  "therapists": [{"id": "ana", "name": "Ana B.", "email": "ana@clinic.example", "credentials": "RMT",
		     "specialties": [], "location": "mitte", "services": ["consult-30"], "modes": ["in_person"],
		     "hours": {"wed": [["10:00", "11:00"]]}}]
		}`, known)
		if err := db.ImportClinic(ctx, second); err != nil {
			t.Fatal(err)
		}
		got, err = db.ExportClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Clinic != second.Clinic || len(got.Locations) != 1 || len(got.Services) != 2 || len(got.Therapists) != 2 {
			t.Fatalf("after the second import: %s", asJSON(t, got))
		}
		ana := got.Therapists[0]
		if a, b := asJSON(t, clinic.File{Therapists: []clinic.Therapist{ana}}), asJSON(t, clinic.File{Therapists: second.Therapists}); a != b {
			t.Errorf("ana was not replaced whole:\n%s\nwant\n%s", a, b)
		}
		if got.Therapists[1].Name != "Ben" {
			t.Errorf("ben changed: %+v", got.Therapists[1])
		}
		// The export reads back as a file.
		out, _ := json.Marshal(got)
		if _, err := clinic.Parse(out); err != nil {
			t.Errorf("the export does not parse: %v", err)
		}
	})
}

// A file that refers to what neither it nor the database has changes
// nothing.
func TestImportClinicAtomic(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		importTestClinic(t, db)
		known, err := db.KnownClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bad := strings.Replace(testClinicJSON, `"services": ["trigger-60"], "modes"`, `"services": ["swedish-60"], "modes"`, 1)
		if _, err := clinic.ParseWith([]byte(bad), known); err == nil {
			t.Fatal("ParseWith accepted a reference to a service nobody has")
		}
		// Unchecked, the database still refuses it, whole.
		f := parseClinic(t, testClinicJSON)
		f.Clinic.Name = "Changed"
		f.Therapists[1].Services = []string{"swedish-60"}
		if err := db.ImportClinic(ctx, f); err == nil {
			t.Fatal("ImportClinic wrote a reference to a missing service")
		}
		got, err := db.ExportClinic(ctx)
		if err != nil || got.Clinic.Name != "Test Clinic" {
			t.Errorf("after a failed import the clinic is %q, %v", got.Clinic.Name, err)
		}
		// A file may refer to what the database has.
		ok := parseClinicWith(t, `{"clinic": {"name": "C", "email": "c@clinic.example", "cancel_hours": 1,
			"min_notice_minutes": 0, "horizon_days": 10, "slot_step_minutes": 60},
			"locations": [], "services": [],
			"therapists": [{"id": "cleo", "name": "Cleo", "email": "cleo@clinic.example", "credentials": "RMT",
			  "specialties": [], "location": "mitte", "services": ["trigger-60"], "modes": ["in_person"], "hours": {}}]}`, known)
		if err := db.ImportClinic(ctx, ok); err != nil {
			t.Errorf("import referring to the database: %v", err)
		}
	})
}

func parseClinicWith(t *testing.T, data string, known clinic.Known) clinic.File {
	t.Helper()
	f, err := clinic.ParseWith([]byte(data), known)
	if err != nil {
		t.Fatalf("clinic.ParseWith: %v", err)
	}
	return f
}

// The demo clinic loads into an empty database only, and importing a real
// clinic removes it with the bookings made with it.
func TestDemoClinic(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		loaded, err := db.LoadDemoClinic(ctx)
		if err != nil || !loaded {
			t.Fatalf("LoadDemoClinic = %v, %v; want it loaded", loaded, err)
		}
		if loaded, err := db.LoadDemoClinic(ctx); err != nil || loaded {
			t.Fatalf("LoadDemoClinic again = %v, %v; want nothing done", loaded, err)
		}
		got, err := db.ExportClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Therapists) != 3 || got.Clinic != clinic.Demo().Clinic {
			t.Fatalf("demo export: %s", asJSON(t, got))
		}
		known, err := db.KnownClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if known.HasLocation("mitte") || known.HasService("trigger-60") {
			t.Error("the demo's ids count as known, but importing removes them")
		}
		demoTherapist := got.Therapists[0]
		book(t, db, newBooking(t, demoTherapist.ID, demoTherapist.Services[0], "2027-03-29T09:00:00+02:00"))

		importTestClinic(t, db)
		got, err = db.ExportClinic(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := asJSON(t, got), asJSON(t, parseClinic(t, testClinicJSON)); a != b {
			t.Errorf("after importing a real clinic:\n%s\nwant only it", a)
		}
		var n int
		if err := db.queryRow(ctx, `SELECT count(*) FROM bookings`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d bookings with the demo clinic left, %v", n, err)
		}
		if loaded, err := db.LoadDemoClinic(ctx); err != nil || loaded {
			t.Errorf("LoadDemoClinic after an import = %v, %v; want nothing done", loaded, err)
		}
	})
}
