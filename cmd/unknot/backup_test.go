package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The backup and restore steps of docs/deploy.md, on both databases: data
// made through the API of a running server, a backup taken while it runs,
// a write after the backup, a restore into a fresh database, and a new
// server on the restored database that has everything from before the
// backup and nothing from after it.
func TestBackupRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers")
	}
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		live := filepath.Join(dir, "live", "unknot.db")
		_, base := startServer(t, live)
		data := makeSiteData(t, base)

		// docs/deploy.md, "Backups and restore", SQLite: unknot backup
		// while the server runs.
		copyPath := filepath.Join(dir, "backups", "unknot-backup.db")
		if code, out, errOut := runCLI(t, "", "backup", "--db", live, "--to", copyPath); code != exitOK {
			t.Fatalf("unknot backup: exit %d: %s%s", code, out, errOut)
		}
		addEntry(t, base, data.plan, noteAfterBackup)

		// Restore: the copy in place of a database, without the old WAL
		// files, readable by its owner only.
		restored := filepath.Join(dir, "restored", "unknot.db")
		if err := os.MkdirAll(filepath.Dir(restored), 0o700); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(copyPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(restored, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		_, restoredBase := startServer(t, restored)
		checkSiteData(t, restoredBase, restored, data)
	})
	t.Run("postgres", func(t *testing.T) {
		admin := needPostgres(t, "pg_dump", "pg_restore", "createdb")
		live := freshDatabase(t, admin)
		_, base := startServer(t, live)
		data := makeSiteData(t, base)

		// docs/deploy.md, "Backups and restore", PostgreSQL: pg_dump in
		// the custom format while the server runs.
		dump := filepath.Join(t.TempDir(), "unknot-backup.dump")
		runTool(t, "pg_dump", "--format=custom", "--file="+dump, live)
		addEntry(t, base, data.plan, noteAfterBackup)

		// Restore into a fresh database made with createdb.
		name := "unknot_test_" + randomHex(6)
		runTool(t, "createdb", "--maintenance-db="+admin, name)
		t.Cleanup(func() { execAdmin(t, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) })
		restored := databaseDSN(t, admin, name)
		u, _ := url.Parse(admin)
		runTool(t, "pg_restore", "--exit-on-error", "--single-transaction", "--no-owner",
			"--role="+u.User.Username(), "--dbname="+restored, dump)
		_, restoredBase := startServer(t, restored)
		checkSiteData(t, restoredBase, restored, data)
	})
}

// noteAfterBackup marks the diary entry written after the backup, which
// the restored database must not have.
const (
	noteBeforeBackup = "written before the backup"
	noteAfterBackup  = "written after the backup"
	subscriberEmail  = "backup.reader@example.com"
)

// siteData is what makeSiteData created.
type siteData struct {
	plan    string // the self-check's private token
	booking string // the booking's private token
	start   string // the booking's start, as the API wrote it
}

// makeSiteData creates, through the API at base, a self-check, a diary
// entry on it, a booking linked to it and a sign-up for the free report.
func makeSiteData(t *testing.T, base string) siteData {
	t.Helper()
	d := siteData{plan: createPlan(t, base)}
	addEntry(t, base, d.plan, noteBeforeBackup)
	slot := demoSlots(t, base)[0]
	var booked struct {
		Token   string
		Booking struct{ Start string }
	}
	status := postJSONTo(t, base+"/api/v1/bookings", fmt.Sprintf(
		`{"service":"trigger-60","therapist":%q,"start":%q,"mode":"in_person","name":"Kim","email":"kim@example.com","plan_token":%q}`,
		slot.Therapist, slot.Start, d.plan), &booked)
	if status != http.StatusCreated || booked.Token == "" {
		t.Fatalf("booking: %d", status)
	}
	d.booking, d.start = booked.Token, booked.Booking.Start
	if status := postJSONTo(t, base+"/api/v1/subscribers", `{"first_name":"Rae","email":"`+subscriberEmail+`"}`, nil); status != http.StatusAccepted {
		t.Fatalf("sign-up: %d", status)
	}
	return d
}

// checkSiteData checks that the server at base, on the database dsn,
// has the plan, its diary entry from before the backup (and not the one
// from after), the booking and the subscriber.
func checkSiteData(t *testing.T, base, dsn string, d siteData) {
	t.Helper()
	page := getPage(t, base+"/plan/"+d.plan)
	if !strings.Contains(page, "Your result") {
		t.Errorf("plan page after restore lacks the result:\n%.500s", page)
	}
	entries := getPage(t, base+"/api/v1/plans/"+d.plan+"/entries")
	if !strings.Contains(entries, noteBeforeBackup) {
		t.Errorf("diary after restore lacks the entry written before the backup: %s", entries)
	}
	if strings.Contains(entries, noteAfterBackup) {
		t.Errorf("diary after restore has the entry written after the backup: %s", entries)
	}
	var booking struct {
		Booking struct{ Start, Status string }
	}
	if err := json.Unmarshal([]byte(getPage(t, base+"/api/v1/bookings/"+d.booking)), &booking); err != nil {
		t.Fatal(err)
	}
	if booking.Booking.Start != d.start || booking.Booking.Status != "confirmed" {
		t.Errorf("booking after restore: %+v, want start %s confirmed", booking.Booking, d.start)
	}
	code, out, errOut := runCLI(t, "", "subscriber", "export", "--email", subscriberEmail, "--db", dsn)
	if code != exitOK || !strings.Contains(out, `"first_name": "Rae"`) {
		t.Errorf("subscriber after restore: exit %d: %s%s", code, out, errOut)
	}
}

// addEntry writes a diary entry with note through the API.
func addEntry(t *testing.T, base, plan, note string) {
	t.Helper()
	if status := postJSONTo(t, base+"/api/v1/plans/"+plan+"/entries", fmt.Sprintf(`{"pain":4,"note":%q}`, note), nil); status != http.StatusCreated {
		t.Fatalf("diary entry: %d", status)
	}
}

// demoSlot is a free time of the demo clinic's trigger point therapy.
type demoSlot struct{ Start, Therapist string }

// demoSlots lists the free times of the demo clinic's trigger point therapy
// over the coming two weeks.
func demoSlots(t *testing.T, base string) []demoSlot {
	t.Helper()
	from := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	to := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	var got struct{ Slots []demoSlot }
	if err := json.Unmarshal([]byte(getPage(t, base+"/api/v1/slots?service=trigger-60&from="+from+"&to="+to)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Slots) == 0 {
		t.Fatal("the demo clinic has no free slot in the coming two weeks")
	}
	return got.Slots
}

// postJSONTo posts body and decodes the answer into into (unless nil),
// returning the status.
func postJSONTo(t *testing.T, url, body string, into any) int {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if into != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, into); err != nil {
			t.Fatalf("POST %s: %v: %s", url, err, raw)
		}
	}
	if resp.StatusCode >= 300 {
		t.Logf("POST %s: %d %s", url, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// getPage fetches url and fails the test unless it answers 200.
func getPage(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, raw)
	}
	return string(raw)
}

// runTool runs a program and fails the test with its output if it fails.
func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}
