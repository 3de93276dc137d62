package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"unknot/internal/diary"
	"unknot/internal/outcome"
)

// PlanDiary is a plan with what its pages show of the diary: the diary
// summed up by day in the person's time zone, the latest entries and the
// re-checks. A long diary is read as a row a day, not a row an entry.
type PlanDiary struct {
	Assessment *Assessment
	Settings   diary.Settings
	Summary    diary.Summary
	Recent     []diary.Entry // the latest entries, oldest first
	Total      int           // entries in the diary
	Rechecks   []diary.Recheck
	Outcomes   outcome.History // activities and measurements (outcome.go)
	Program    *PlanProgram    // the home program followed, or nil (program.go)
}

// PlanDiary returns the plan saved under tokenHash with its diary summed up
// at now and its latest recent entries, read in one transaction so that
// the parts agree, or ErrNotFound.
func (db *DB) PlanDiary(ctx context.Context, tokenHash []byte, recent int, now time.Time) (*PlanDiary, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: plan diary: %w", err)
	}
	defer tx.Rollback()
	a, err := assessmentByToken(ctx, tx, tokenHash)
	if err != nil {
		return nil, err
	}
	return db.planDiary(ctx, tx, a, recent, now)
}

// planDiary reads the diary of the plan a as PlanDiary returns it, in tx.
func (db *DB) planDiary(ctx context.Context, tx *sql.Tx, a *Assessment, recent int, now time.Time) (*PlanDiary, error) {
	p := &PlanDiary{Assessment: a}
	var err error
	if p.Settings, err = planSettings(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if p.Recent, err = latestEntries(ctx, tx, a.ID, recent); err != nil {
		return nil, err
	}
	if p.Summary, p.Total, err = db.summarize(ctx, tx, a, p.Settings.Location(), now); err != nil {
		return nil, err
	}
	if p.Rechecks, err = rechecks(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if p.Outcomes, err = outcomes(ctx, tx, a.ID); err != nil {
		return nil, err
	}
	if p.Program, err = latestProgram(ctx, tx, a.ID); err != nil {
		return nil, fmt.Errorf("store: plan diary: %w", err)
	}
	return p, nil
}

// readTx begins a read-only transaction on the read pool; on PostgreSQL a
// repeatable-read one, so that its queries see one snapshot.
func (db *DB) readTx(ctx context.Context) (*sql.Tx, error) {
	var opts *sql.TxOptions
	if db.dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return db.rdb.BeginTx(ctx, opts)
}

// latestEntries returns the latest n entries of the plan assessmentID,
// oldest first.
func latestEntries(ctx context.Context, q querier, assessmentID int64, n int) ([]diary.Entry, error) {
	if n <= 0 {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `
		SELECT id, at, pain, regions, note, done, routine, day
		FROM diary_entries
		WHERE assessment_id = $1
		ORDER BY at DESC, id DESC
		LIMIT $2`,
		assessmentID, n)
	if err != nil {
		return nil, fmt.Errorf("store: latest diary entries: %w", err)
	}
	out, err := scanEntries(rows)
	slices.Reverse(out)
	return out, err
}

// EntryPage returns up to limit entries of the plan assessmentID with
// from ≤ At < to (a zero from or to leaves that end open), oldest first:
// the latest of those that come before the entry whose id is before, or
// the latest of all when before is 0. more reports whether earlier ones
// remain. An id that is not an entry of this diary is ErrNotFound.
func (db *DB) EntryPage(ctx context.Context, assessmentID int64, from, to time.Time, before int64, limit int) (page []diary.Entry, more bool, err error) {
	if from.IsZero() {
		from = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if before != 0 {
		var known bool
		if err := db.rdb.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM diary_entries WHERE id = $1 AND assessment_id = $2)`,
			before, assessmentID).Scan(&known); err != nil {
			return nil, false, fmt.Errorf("store: diary entry page: %w", err)
		}
		if !known {
			return nil, false, fmt.Errorf("store: diary entry page: entry %d is not one of this diary's: %w", before, ErrNotFound)
		}
	}
	rows, err := db.rdb.QueryContext(ctx, `
		SELECT id, at, pain, regions, note, done, routine, day
		FROM diary_entries
		WHERE assessment_id = $1 AND at >= $2 AND at < $3
			AND (CAST($4 AS BIGINT) = 0 OR (at, id) < (SELECT at, id FROM diary_entries WHERE id = CAST($4 AS BIGINT) AND assessment_id = $1))
		ORDER BY at DESC, id DESC
		LIMIT $5`,
		assessmentID, from.UTC(), to.UTC(), before, limit+1)
	if err != nil {
		return nil, false, fmt.Errorf("store: diary entry page: %w", err)
	}
	page, err = scanEntries(rows)
	if err != nil {
		return nil, false, err
	}
	if more = len(page) > limit; more {
		page = page[:limit]
	}
	slices.Reverse(page)
	return page, more, nil
}

// newEntriesRead bounds the entries added since a diary's days were kept
// that summarize reads one by one; with more, it counts them all again.
const newEntriesRead = 200

// summarize sums the diary of the plan a up for diary.AssessSummary at
// now, counting days in loc, and returns it with the number of entries.
// The days kept from the last time (dayCache) serve while the diary's
// count and highest id show nothing new, and with a few entries added
// are brought up to date with those; otherwise SQL counts them (daysSQL).
func (db *DB) summarize(ctx context.Context, q querier, a *Assessment, loc *time.Location, now time.Time) (diary.Summary, int, error) {
	s := diary.Summary{LatestPain: diary.NoScore}
	var (
		count int
		maxID int64
	)
	err := q.QueryRowContext(ctx, `SELECT count(*), coalesce(max(id), 0) FROM diary_entries WHERE assessment_id = $1`, a.ID).Scan(&count, &maxID)
	if err != nil {
		return s, 0, fmt.Errorf("store: diary summary: %w", err)
	}
	if count == 0 {
		return s, 0, nil
	}
	key := dayKey{tokenHash: string(a.TokenHash), zone: loc.String()}
	kept := db.days.get(key)
	switch {
	case kept != nil && kept.count == count && kept.maxID == maxID:
		s.Days = kept.days
	case kept != nil && kept.count < count && kept.maxID < maxID:
		added, err := entriesAfter(ctx, q, a.ID, kept.maxID, newEntriesRead)
		if err != nil {
			return s, 0, err
		}
		if kept.count+len(added) == count {
			s.Days = diary.MergeDays(kept.days, diary.Count(added, loc))
			break
		}
		fallthrough
	default:
		if s.Days, err = db.daysSQL(ctx, q, a.ID, loc, now); err != nil {
			return s, 0, err
		}
	}
	db.days.put(&cachedDays{key: key, count: count, maxID: maxID, days: s.Days})

	// The latest score since the plan began; of two at the same time, the
	// one saved last, as diary.Summarize takes it.
	err = q.QueryRowContext(ctx, `
		SELECT pain, at FROM diary_entries
		WHERE assessment_id = $1 AND pain <> -1 AND at >= $2 AND at <= $3
		ORDER BY at DESC, id DESC
		LIMIT 1`,
		a.ID, a.CreatedAt.UTC(), now.UTC()).Scan(&s.LatestPain, &s.LatestAt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, 0, fmt.Errorf("store: diary summary: latest score: %w", err)
	}
	s.LatestAt = s.LatestAt.UTC()
	return s, count, nil
}

// entriesAfter returns up to limit entries of the plan assessmentID whose
// id is above id.
func entriesAfter(ctx context.Context, q querier, assessmentID, id int64, limit int) ([]diary.Entry, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, at, pain, regions, note, done, routine, day
		FROM diary_entries
		WHERE assessment_id = $1 AND id > $2
		LIMIT $3`,
		assessmentID, id, limit)
	if err != nil {
		return nil, fmt.Errorf("store: new diary entries: %w", err)
	}
	return scanEntries(rows)
}

// daysSQL counts the diary of the plan assessmentID by calendar day in
// loc, in SQL: the time zone's offsets over the diary's time
// (diary.OffsetSpans) become a CASE that gives each entry its local day,
// so the same SQL serves both databases and neither needs a zone
// database. The diary must have entries.
func (db *DB) daysSQL(ctx context.Context, q querier, assessmentID int64, loc *time.Location, now time.Time) ([]diary.DayCount, error) {
	var first, last time.Time
	err := q.QueryRowContext(ctx, `SELECT at FROM diary_entries WHERE assessment_id = $1 ORDER BY at LIMIT 1`, assessmentID).Scan(&first)
	if err == nil {
		err = q.QueryRowContext(ctx, `SELECT at FROM diary_entries WHERE assessment_id = $1 ORDER BY at DESC LIMIT 1`, assessmentID).Scan(&last)
	}
	if err != nil {
		return nil, fmt.Errorf("store: diary days: %w", err)
	}
	if now.After(last) {
		last = now
	}
	spans := diary.OffsetSpans(loc, first, last)

	// Newest span first: most entries are recent and stop at the first
	// WHEN. The parameters are cast for PostgreSQL, which cannot tell
	// their type.
	args := []any{assessmentID, spans[0].Offset}
	offset := "CAST($2 AS BIGINT)"
	if len(spans) > 1 {
		var b strings.Builder
		b.WriteString("CASE")
		for i := len(spans) - 1; i > 0; i-- {
			n := len(args)
			fmt.Fprintf(&b, " WHEN s >= CAST($%d AS BIGINT) THEN CAST($%d AS BIGINT)", n+1, n+2)
			args = append(args, spans[i].From, spans[i].Offset)
		}
		b.WriteString(" ELSE " + offset + " END")
		offset = b.String()
	}
	rows, err := q.QueryContext(ctx, `
		SELECT day, count(*),
			sum(CASE WHEN pain <> -1 THEN 1 ELSE 0 END),
			sum(CASE WHEN pain <> -1 THEN pain ELSE 0 END),
			max(CASE WHEN routine OR done <> '' THEN 1 ELSE 0 END),
			max(CASE WHEN routine THEN 1 ELSE 0 END)
		FROM (
			SELECT (s + `+offset+`) / 86400 AS day, pain, routine, done
			FROM (SELECT `+db.epochOf("at")+` AS s, pain, routine, done FROM diary_entries WHERE assessment_id = $1) AS e
		) AS d
		GROUP BY day
		ORDER BY day`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: diary days: %w", err)
	}
	defer rows.Close()
	var days []diary.DayCount
	for rows.Next() {
		var (
			d                 diary.DayCount
			adherent, routine int
		)
		if err := rows.Scan(&d.Day, &d.Entries, &d.Scored, &d.PainSum, &adherent, &routine); err != nil {
			return nil, fmt.Errorf("store: diary days: %w", err)
		}
		d.Adherent, d.Routine = adherent == 1, routine == 1
		days = append(days, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: diary days: %w", err)
	}
	return days, nil
}

// epochOf is the SQL for the whole Unix seconds of the time column col:
// the one expression the two databases spell differently.
func (db *DB) epochOf(col string) string {
	if db.dialect == Postgres {
		return "CAST(floor(extract(epoch FROM " + col + ")) AS BIGINT)"
	}
	return "unixepoch(" + col + ")"
}
