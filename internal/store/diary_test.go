package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/diary"
)

func TestDiaryEntriesRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		base := time.Date(2026, 3, 1, 8, 30, 0, 123456789, time.FixedZone("CET", 3600))
		in := []diary.Entry{
			{At: base, Pain: 6, Regions: []string{"top_of_shoulder", "back_of_neck"}, Note: "ça tire — 痛い\nline two", Done: []string{}},
			diary.RoutineEntry(base.Add(2*time.Hour), 3, []string{"chin_tuck", "neck_rotation"}),
			{At: base.Add(48 * time.Hour), Pain: 0, Regions: []string{}, Done: []string{"heat_pack"}},
		}
		for i := range in {
			if err := db.AddEntry(ctx, a.ID, &in[i]); err != nil {
				t.Fatalf("AddEntry: %v", err)
			}
			if in[i].ID == 0 {
				t.Fatal("ID not set")
			}
		}
		got, err := db.Entries(ctx, a.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(in) {
			t.Fatalf("got %d entries, want %d", len(got), len(in))
		}
		for i := range in {
			want := in[i]
			if want.Regions == nil {
				want.Regions = []string{}
			}
			if !reflect.DeepEqual(got[i], want) {
				t.Errorf("entry %d:\n got %+v\nwant %+v", i, got[i], want)
			}
		}
		// from is inclusive, to exclusive.
		got, err = db.Entries(ctx, a.ID, in[1].At, in[2].At)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != in[1].ID {
			t.Errorf("Entries(from, to) = %+v, want only entry 1", got)
		}
		// Another plan's diary is apart.
		b := newAssessment()
		if err := db.CreateAssessment(ctx, b); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Entries(ctx, b.ID, time.Time{}, time.Time{}); len(got) != 0 {
			t.Errorf("other plan sees %d entries", len(got))
		}
		// By token, the same.
		byToken := diary.Entry{At: base.Add(72 * time.Hour), Pain: 2}
		if err := db.AddEntryByToken(ctx, a.TokenHash, &byToken); err != nil || byToken.ID == 0 {
			t.Errorf("AddEntryByToken: %v", err)
		}
		// An entry for a plan that does not exist is refused.
		if err := db.AddEntry(ctx, 1<<40, &diary.Entry{At: base, Pain: 1}); !errors.Is(err, ErrNotFound) {
			t.Errorf("AddEntry for a missing plan: %v, want ErrNotFound", err)
		}
		if err := db.AddEntryByToken(ctx, []byte("nope"), &diary.Entry{At: base, Pain: 1}); !errors.Is(err, ErrNotFound) {
			t.Errorf("AddEntryByToken for a missing plan: %v, want ErrNotFound", err)
		}
	})
}

func TestPlanSettings(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		settings := func() (diary.Settings, error) {
			x, err := db.ExportPlan(ctx, a.TokenHash)
			if err != nil {
				return diary.Settings{}, err
			}
			return x.Settings, nil
		}
		got, err := settings()
		if err != nil || !reflect.DeepEqual(got, diary.DefaultSettings()) {
			t.Fatalf("unsaved settings = %+v, %v; want the defaults", got, err)
		}
		// The browser's zone is adopted while none is set.
		b := newAssessment()
		if err := db.CreateAssessment(ctx, b); err != nil {
			t.Fatal(err)
		}
		if err := db.AdoptTimeZone(ctx, b.TokenHash, "America/Chicago"); err != nil {
			t.Fatal(err)
		}
		if x, err := db.ExportPlan(ctx, b.TokenHash); err != nil || x.Settings.TimeZone != "America/Chicago" || len(x.Settings.WorkDays) != 5 {
			t.Errorf("adopted settings = %+v, %v", x.Settings, err)
		}
		want := diary.Settings{TimeZone: "Europe/Berlin", WorkStart: 8*60 + 30, WorkEnd: 16 * 60, WorkDays: []time.Weekday{time.Monday, time.Wednesday}}
		for range 2 { // saving twice replaces
			if err := db.SavePlanSettings(ctx, a.ID, want); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := settings(); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("settings = %+v, %v; want %+v", got, err, want)
		}
		// A zone already chosen is not replaced by the browser's.
		if err := db.AdoptTimeZone(ctx, a.TokenHash, "Asia/Tokyo"); err != nil {
			t.Fatal(err)
		}
		if got, _ := settings(); got.TimeZone != "Europe/Berlin" {
			t.Errorf("AdoptTimeZone replaced a chosen zone: %q", got.TimeZone)
		}
		if err := db.SavePlanSettings(ctx, a.ID, diary.Settings{TimeZone: "Mars/Olympus", WorkStart: 60, WorkEnd: 30}); err == nil {
			t.Error("invalid settings saved")
		}
	})
}

func TestRecheckReplacesResult(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		r := diary.Recheck{At: time.Now(), Symptoms: care.Symptoms{ChestPainOrPressure: true}, PainNow: 5, Urgency: care.Emergency}
		result := json.RawMessage(`{"urgency":"emergency","plan":null}`)
		if err := db.AddRecheck(ctx, a.ID, &r, result); err != nil {
			t.Fatal(err)
		}
		got, err := db.AssessmentByToken(ctx, a.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Result) != string(result) || got.Urgency != care.Emergency {
			t.Errorf("assessment after re-check: %s %s", got.Result, got.Urgency)
		}
		x, err := db.ExportPlan(ctx, a.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Rechecks) != 1 || !reflect.DeepEqual(x.Rechecks[0], r) {
			t.Errorf("re-checks = %+v, want [%+v]", x.Rechecks, r)
		}
		// A re-check of a missing plan changes nothing.
		if err := db.AddRecheck(ctx, 1<<40, &diary.Recheck{At: time.Now()}, result); !errors.Is(err, ErrNotFound) {
			t.Errorf("re-check of a missing plan: %v, want ErrNotFound", err)
		}
	})
}

// A re-check saved under version 1 of the self-check keeps its warning
// signs, under their old names, when it is read back.
func TestRecheckOfAnEarlierVersionKeepsItsSigns(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		r := diary.Recheck{At: time.Now(), PainNow: 5, Urgency: care.Urgent}
		if err := db.AddRecheck(ctx, a.ID, &r, a.Result); err != nil {
			t.Fatal(err)
		}
		v1 := `{"pain_spreads_to_arm_or_jaw":true,"history_of_cancer":false,"fever_or_chills":true,"constant_night_pain":false}`
		if _, err := db.wdb.ExecContext(ctx, `UPDATE rechecks SET symptoms = $1 WHERE assessment_id = $2`, v1, a.ID); err != nil {
			t.Fatal(err)
		}
		x, err := db.ExportPlan(ctx, a.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		got := x.Rechecks[0]
		if !got.Symptoms.FeverOrChills || !slices.Equal(got.EarlierSigns, []string{"pain_spreads_to_arm_or_jaw"}) || !got.RedFlag() {
			t.Errorf("re-check read back as %+v", got)
		}
	})
}

func TestExportAndDeletePlan(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a, keep := newAssessment(), newAssessment()
		for _, x := range []*Assessment{a, keep} {
			if err := db.CreateAssessment(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		const secretNote = "a private note that must vanish 7f3a9c"
		for _, x := range []*Assessment{a, keep} {
			e := diary.Entry{At: time.Now(), Pain: 4, Note: secretNote}
			if err := db.AddEntry(ctx, x.ID, &e); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SavePlanSettings(ctx, a.ID, diary.DefaultSettings()); err != nil {
			t.Fatal(err)
		}
		if err := db.AddRecheck(ctx, a.ID, &diary.Recheck{At: time.Now(), PainNow: 3, Urgency: care.SelfCare}, a.Result); err != nil {
			t.Fatal(err)
		}

		x, err := db.ExportPlan(ctx, a.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if x.Assessment.ID != a.ID || len(x.Entries) != 1 || x.Entries[0].Note != secretNote || len(x.Rechecks) != 1 {
			t.Errorf("export = %+v", x)
		}

		if err := db.DeletePlan(ctx, a.TokenHash); err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePlan(ctx, a.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("second delete: %v, want ErrNotFound", err)
		}
		if _, err := db.ExportPlan(ctx, a.TokenHash); !errors.Is(err, ErrNotFound) {
			t.Errorf("export after delete: %v, want ErrNotFound", err)
		}
		for _, table := range []string{"diary_entries", "rechecks", "plan_settings"} {
			var n int
			if err := db.queryRow(ctx, `SELECT count(*) FROM `+table+` WHERE assessment_id = $1`, a.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%s keeps %d rows of the deleted plan", table, n)
			}
		}
		// The other plan is untouched.
		if got, err := db.Entries(ctx, keep.ID, time.Time{}, time.Time{}); err != nil || len(got) != 1 {
			t.Errorf("other plan's entries after delete: %d, %v", len(got), err)
		}
	})
}

// On SQLite the deleted words are gone from the files on disk, not just
// unlinked from the tables.
func TestDeletePlanLeavesNoTraceOnDisk(t *testing.T) {
	ctx := context.Background()
	path := sqliteDSN(t)
	db := openTest(t, path)
	a := savedAssessment(t, db)
	note := []byte("unmistakable-private-note-b41d")
	for range 50 {
		if err := db.AddEntry(ctx, a.ID, &diary.Entry{At: time.Now(), Pain: 5, Note: string(note)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeletePlan(ctx, a.TokenHash); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(data, note) {
			t.Errorf("%s still holds the deleted note", f)
		}
	}
}

// BenchmarkAddEntry logs diary entries from many goroutines at once, the
// store alone (the HTTP load test is web's BenchmarkAddEntryHTTP).
func BenchmarkAddEntry(b *testing.B) {
	ctx := context.Background()
	db := openTest(b, sqliteDSN(b))
	a := savedAssessment(b, db)
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e := diary.Entry{At: time.Now(), Pain: 3, Regions: []string{"back_of_neck"}, Note: "load"}
			if err := db.AddEntryByToken(ctx, a.TokenHash, &e); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// Entries logged at the same moment are written together; each caller
// learns its own outcome, and one for a missing plan fails alone.
func TestAddEntryConcurrently(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		const n = 40
		errs := make([]error, n)
		ids := make([]int64, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				e := diary.Entry{At: time.Now(), Pain: i % 11}
				hash := a.TokenHash
				if i%4 == 3 {
					hash = []byte("no such plan")
				}
				errs[i] = db.AddEntryByToken(ctx, hash, &e)
				ids[i] = e.ID
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		for i := range n {
			switch {
			case i%4 == 3 && !errors.Is(errs[i], ErrNotFound):
				t.Errorf("entry %d for a missing plan: %v", i, errs[i])
			case i%4 != 3 && (errs[i] != nil || ids[i] == 0 || seen[ids[i]]):
				t.Errorf("entry %d: id %d, %v", i, ids[i], errs[i])
			}
			seen[ids[i]] = true
		}
		got, err := db.Entries(ctx, a.ID, time.Time{}, time.Time{})
		if err != nil || len(got) != n-n/4 {
			t.Errorf("%d entries stored, want %d (%v)", len(got), n-n/4, err)
		}
	})
}
