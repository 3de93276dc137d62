package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"unknot/internal/diary"
)

// randomDiary fills the diary of a new plan with n random entries from two
// months before the plan to a year after it (so across changes of
// daylight saving), some at the same moment as the one before, and a few
// re-checks, in zone. It returns the plan.
func randomDiary(t testing.TB, db *DB, rng *rand.Rand, zone string, n int) *Assessment {
	t.Helper()
	ctx := context.Background()
	a := savedAssessment(t, db)
	if err := db.SavePlanSettings(ctx, a.ID, diary.Settings{TimeZone: zone, WorkStart: 9 * 60, WorkEnd: 17 * 60, WorkDays: []time.Weekday{time.Monday}}); err != nil {
		t.Fatal(err)
	}
	addRandomEntries(t, db, rng, a, n)
	span := int64(425 * 24 * time.Hour / time.Microsecond)
	start := a.CreatedAt.AddDate(0, 0, -60)
	for range rng.IntN(3) {
		r := diary.Recheck{At: start.Add(time.Duration(rng.Int64N(span)) * time.Microsecond), PainNow: rng.IntN(11), Urgency: "self_care"}
		if err := db.AddRecheck(ctx, a.ID, &r, a.Result); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// addRandomEntries adds n random entries to the diary of a, from two
// months before the plan to a year after it, some at the same moment as
// the one before.
func addRandomEntries(t testing.TB, db *DB, rng *rand.Rand, a *Assessment, n int) {
	t.Helper()
	span := int64(425 * 24 * time.Hour / time.Microsecond)
	start := a.CreatedAt.AddDate(0, 0, -60)
	var at time.Time
	for i := range n {
		if i == 0 || rng.IntN(8) > 0 {
			at = start.Add(time.Duration(rng.Int64N(span)) * time.Microsecond)
		}
		e := diary.Entry{At: at, Pain: rng.IntN(12) - 1, Note: "n"}
		switch rng.IntN(4) {
		case 0:
			e.Routine, e.Day = true, 1+rng.IntN(7)
		case 1:
			e.Done = []string{"chin_tuck"}
		}
		if err := db.AddEntry(context.Background(), a.ID, &e); err != nil {
			t.Fatal(err)
		}
	}
}

// checkPlanDiary compares what PlanDiary reads of the diary of a at now
// with what the old path made of every entry.
func checkPlanDiary(t *testing.T, db *DB, a *Assessment, now, started time.Time) {
	t.Helper()
	ctx := context.Background()
	all, err := db.Entries(ctx, a.ID, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.PlanDiary(ctx, a.TokenHash, 20, now)
	if err != nil {
		t.Fatal(err)
	}
	loc := p.Settings.Location()
	zone := loc.String()
	if want := diary.Summarize(all, a.CreatedAt, loc, now); !reflect.DeepEqual(p.Summary, want) {
		t.Fatalf("%s at %v: summary\n got %+v\nwant %+v", zone, now, p.Summary, want)
	}
	got := diary.AssessSummary(started, a.CreatedAt, p.Summary, p.Rechecks, loc, now)
	want := diary.Assess(started, a.CreatedAt, all, p.Rechecks, loc, now)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s at %v: progress\n got %+v\nwant %+v", zone, now, got, want)
	}
	if p.Total != len(all) {
		t.Errorf("%s: total %d, want %d", zone, p.Total, len(all))
	}
	if wantRecent := all[max(0, len(all)-20):]; len(all) > 0 && !reflect.DeepEqual(p.Recent, wantRecent) {
		t.Errorf("%s: recent entries differ from the last 20", zone)
	}
}

// TestPlanDiaryAgreesWithFullLoad checks the summed-up path against the old
// one over random diaries (fixed seed): the days SQL counts, the latest
// score, and every progress rule Assess applies must come out the same
// as from every entry read; so too when the days kept in memory serve,
// when entries were added since, and when the time zone changes.
func TestPlanDiaryAgreesWithFullLoad(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		rng := rand.New(rand.NewPCG(2026, 11))
		zones := []string{"UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Sao_Paulo", "Pacific/Chatham", "Europe/Berlin"}
		for i, zone := range zones {
			a := randomDiary(t, db, rng, zone, []int{0, 1, 40, 120, 200, 120, 120, 120}[i])
			check := func() {
				t.Helper()
				now := a.CreatedAt.Add(time.Duration(rng.Int64N(int64(430 * 24 * time.Hour))))
				checkPlanDiary(t, db, a, now, a.CreatedAt.AddDate(0, 0, -rng.IntN(40)))
			}
			for range 3 {
				check()
			}
			addRandomEntries(t, db, rng, a, 1+rng.IntN(9))
			check()
			other := zones[(i+3)%len(zones)]
			if err := db.SavePlanSettings(ctx, a.ID, diary.Settings{TimeZone: other, WorkStart: 9 * 60, WorkEnd: 17 * 60, WorkDays: []time.Weekday{time.Friday}}); err != nil {
				t.Fatal(err)
			}
			check()
		}
	})
}

// TestPlanDiaryRecountsWhatItCannotTrust keeps wrong days for a diary
// whose count and highest id then disagree with the database in the ways
// a deleted plan's reused id or entries committed out of id order would:
// the days are counted again, not trusted or patched.
func TestPlanDiaryRecountsWhatItCannotTrust(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		rng := rand.New(rand.NewPCG(9, 9))
		a := randomDiary(t, db, rng, "Europe/Berlin", 30)
		all, err := db.Entries(context.Background(), a.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		maxID := slices.MaxFunc(all, func(x, y diary.Entry) int { return int(x.ID - y.ID) }).ID
		key := dayKey{tokenHash: string(a.TokenHash), zone: "Europe/Berlin"}
		wrong := []diary.DayCount{{Day: 1, Entries: 99}}
		for _, kept := range []cachedDays{
			{key: key, count: len(all), maxID: maxID + 1, days: wrong},     // same count, other ids
			{key: key, count: len(all) - 3, maxID: maxID - 1, days: wrong}, // one new id, three new entries
			{key: key, count: len(all) + 1, maxID: maxID, days: wrong},     // more than there are
		} {
			db.days.put(&kept)
			checkPlanDiary(t, db, a, a.CreatedAt.AddDate(0, 0, 30), a.CreatedAt)
		}
	})
}

// TestEntryPage walks a diary back page by page, by the cursor each page
// ends at, and finds every entry once, in order.
func TestEntryPage(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := randomDiary(t, db, rand.New(rand.NewPCG(7, 7)), "Europe/Paris", 53)
		all, err := db.Entries(ctx, a.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		var walked []diary.Entry
		before, pages := int64(0), 0
		for {
			page, more, err := db.EntryPage(ctx, a.ID, time.Time{}, time.Time{}, before, 10)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			walked = append(slices.Clone(page), walked...)
			if !more {
				break
			}
			before = page[0].ID
		}
		if pages != 6 || !reflect.DeepEqual(walked, all) {
			t.Errorf("%d pages gave %d entries; want 6 pages giving all %d in order", pages, len(walked), len(all))
		}
		// A range and a cursor together; an unknown cursor gives nothing.
		from := all[10].At
		page, more, err := db.EntryPage(ctx, a.ID, from, time.Time{}, all[30].ID, 100)
		if err != nil || more || len(page) == 0 || page[0].At.Before(from) || page[len(page)-1].ID != all[29].ID {
			t.Errorf("page from entry 10 before entry 30 = %d entries, more %v, %v", len(page), more, err)
		}
		if page, _, err := db.EntryPage(ctx, a.ID, time.Time{}, time.Time{}, 1<<40, 10); !errors.Is(err, ErrNotFound) || len(page) != 0 {
			t.Errorf("unknown cursor gave %d entries, %v; want ErrNotFound", len(page), err)
		}
	})
}

// TestDeletePlanForgetsItsDays: the days kept in memory go with the plan.
func TestDeletePlanForgetsItsDays(t *testing.T) {
	db := openTest(t, sqliteDSN(t))
	a := randomDiary(t, db, rand.New(rand.NewPCG(4, 4)), "Asia/Tokyo", 12)
	if _, err := db.PlanDiary(context.Background(), a.TokenHash, 20, a.CreatedAt); err != nil {
		t.Fatal(err)
	}
	if db.days.get(dayKey{tokenHash: string(a.TokenHash), zone: "Asia/Tokyo"}) == nil {
		t.Fatal("the days were not kept")
	}
	if err := db.DeletePlan(context.Background(), a.TokenHash); err != nil {
		t.Fatal(err)
	}
	if len(db.days.items) != 0 || db.days.size != 0 || db.days.order.Len() != 0 {
		t.Errorf("after deleting the plan, %d diaries (%d days) are kept", len(db.days.items), db.days.size)
	}
	// A read that began before the deletion and sums up after it does not
	// put the days back.
	key := dayKey{tokenHash: string(a.TokenHash), zone: "Asia/Tokyo"}
	db.days.put(&cachedDays{key: key, count: 1, days: make([]diary.DayCount, 1)})
	if db.days.get(key) != nil {
		t.Error("the days of a deleted plan were kept again")
	}
}
