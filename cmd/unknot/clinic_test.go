package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"unknot/internal/clinic"
)

const clinicFile = `{
  "clinic": {"name": "Knot Clinic", "email": "desk@clinic.example", "cancel_hours": 24,
             "min_notice_minutes": 120, "horizon_days": 90, "slot_step_minutes": 15},
  "locations": [{"id": "mitte", "name": "Mitte", "address": "Invalidenstraße 1, Berlin", "time_zone": "Europe/Berlin"}],
  "services": [{"id": "trigger-60", "name": "Trigger point therapy", "style": "trigger_point_therapy", "minutes": 60,
                "buffer_before_minutes": 0, "buffer_after_minutes": 15, "price": "95.00", "currency": "EUR", "modes": ["in_person"]}],
  "therapists": [{"id": "ana", "name": "Ana", "email": "ana@clinic.example", "credentials": "RMT",
                  "specialties": ["trigger_point_therapy"], "location": "mitte", "services": ["trigger-60"],
                  "modes": ["in_person"], "hours": {"mon": [["09:00", "17:00"]]}}]
}`

func TestClinicImportExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "unknot.db")
	if code, _, errOut := runCLI(t, "", "clinic", "export", "--db", db); code != 1 || !strings.Contains(errOut, "no clinic") {
		t.Errorf("export of an empty database: exit %d, %s", code, errOut)
	}
	path := filepath.Join(dir, "clinic.json")
	if err := os.WriteFile(path, []byte(clinicFile), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "clinic", "import", "--file", path, "--db", db)
	if code != 0 || !strings.Contains(out, "imported Knot Clinic: 1 locations, 1 services, 1 therapists") {
		t.Fatalf("import: exit %d, %s %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "clinic", "export", "--db", db)
	if code != 0 {
		t.Fatalf("export: exit %d, %s", code, errOut)
	}
	got, err := clinic.Parse([]byte(out))
	if err != nil {
		t.Fatalf("the export does not read back: %v\n%s", err, out)
	}
	want, _ := clinic.Parse([]byte(clinicFile))
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	if string(a) != string(b) {
		t.Errorf("export\n%s\nwant\n%s", a, b)
	}
	// Standard input works too, and a file may refer to what the database
	// has.
	more := `{"clinic": {"name": "Knot Clinic", "email": "desk@clinic.example", "cancel_hours": 24,
	  "min_notice_minutes": 120, "horizon_days": 90, "slot_step_minutes": 15},
	  "locations": [], "services": [],
	  "therapists": [{"id": "ben", "name": "Ben", "email": "ben@clinic.example", "credentials": "LMT",
	    "specialties": [], "location": "mitte", "services": ["trigger-60"], "modes": ["in_person"], "hours": {}}]}`
	if code, out, errOut := runCLI(t, more, "clinic", "import", "--file", "-", "--db", db); code != 0 {
		t.Fatalf("import from stdin: exit %d, %s %s", code, out, errOut)
	}
}

// Bad input exits 2 with one line per problem, each naming its path, and
// changes nothing.
func TestClinicImportBadInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unknot.db")
	if code, _, errOut := runCLI(t, clinicFile, "clinic", "import", "--file", "-", "--db", db); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	bad := strings.Replace(clinicFile, `"Knot Clinic"`, `"Changed"`, 1)
	bad = strings.Replace(bad, `[["09:00", "17:00"]]`, `[["9:00", "17:00"]], "sunday": []`, 1)
	bad = strings.Replace(bad, `"minutes": 60`, `"minutes": 600`, 1)
	code, out, errOut := runCLI(t, bad, "clinic", "import", "--file", "-", "--db", db)
	want := []string{
		`services[0].minutes: must be between 5 and 480`,
		`therapists[0].hours.mon[0]: "9:00" is not HH:MM`,
		`therapists[0].hours.sunday: is not a known field`,
	}
	got := strings.Split(strings.TrimSpace(errOut), "\n")
	slices.Sort(got)
	if code != exitUsage || out != "" || !slices.Equal(got, want) {
		t.Errorf("bad import: exit %d, out %q, problems\n%s\nwant\n%s", code, out, errOut, strings.Join(want, "\n"))
	}
	_, out, _ = runCLI(t, "", "clinic", "export", "--db", db)
	if !strings.Contains(out, `"Knot Clinic"`) {
		t.Errorf("a bad import changed the clinic:\n%s", out)
	}
	for _, input := range []string{"", "{", "[]"} {
		if code, _, errOut := runCLI(t, input, "clinic", "import", "--file", "-", "--db", db); code != exitUsage || !strings.HasPrefix(errOut, "file: ") {
			t.Errorf("import of %q: exit %d, %s", input, code, errOut)
		}
	}
}

func TestClinicUsageErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "unknot.db")
	for _, args := range [][]string{
		{"clinic"},
		{"clinic", "list"},
		{"clinic", "import", "--db", db},
		{"clinic", "import", "--file", filepath.Join(t.TempDir(), "missing.json"), "--db", db},
		{"clinic", "export", "--file", "x", "--db", db},
	} {
		if code, _, _ := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
