package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/diary"
)

// Client is a person who shares their self-check and diary with the
// clinic, as a therapist's list shows them: no health data, which only
// the audited client page shows.
type Client struct {
	ShareID      int64
	AssessmentID int64
	SharedAt     time.Time
	// Name is the name on the person's latest booking; empty when the
	// share has no booking left.
	Name string
	// NextVisit is the start of the person's next confirmed visit with the
	// therapist; zero when none is ahead.
	NextVisit time.Time
	// Booked is whether the person booked with the therapist with this
	// self-check, which is what lets the therapist give them a home
	// program (ProgramScope); a share with the clinic alone does not.
	Booked bool
}

// clientScope is the SQL condition under which the therapist $1 may see
// the share s (DESIGN.md: who may see what is decided in the store's
// queries): the share is live (not withdrawn), and the person either
// booked with this therapist with the shared self-check, or shared it
// with the clinic without a booking. A share given only with bookings of
// other therapists is theirs, not this one's.
const clientScope = `s.withdrawn_at IS NULL AND (s.booking_id IS NULL OR EXISTS (
		SELECT 1 FROM bookings sb WHERE sb.assessment_id = s.assessment_id AND sb.therapist_id = $1))`

// clientSelect reads a Client for the therapist $1 at the time $2; the
// next visit is joined (not a scalar subquery) so that SQLite reports
// its column as a time.
const clientSelect = `
	SELECT s.id, s.assessment_id, s.shared_at,
		coalesce((SELECT b.name FROM bookings b WHERE b.assessment_id = s.assessment_id
			ORDER BY b.starts_at DESC, b.id DESC LIMIT 1), ''),
		nv.starts_at,
		EXISTS (SELECT 1 FROM bookings bb WHERE bb.assessment_id = s.assessment_id AND bb.therapist_id = $1)
	FROM shares s
	LEFT JOIN bookings nv ON nv.id = (SELECT b.id FROM bookings b WHERE b.assessment_id = s.assessment_id
		AND b.therapist_id = $1 AND b.status = 'confirmed' AND b.starts_at > $2
		ORDER BY b.starts_at, b.id LIMIT 1)
	WHERE ` + clientScope

func scanClient(r scanner) (Client, error) {
	var (
		c    Client
		next sql.NullTime
	)
	if err := r.Scan(&c.ShareID, &c.AssessmentID, &c.SharedAt, &c.Name, &next, &c.Booked); err != nil {
		return c, err
	}
	c.SharedAt = c.SharedAt.UTC()
	if next.Valid {
		c.NextVisit = next.Time.UTC()
	}
	return c, nil
}

// MaxClients bounds the clients one list shows.
const MaxClients = 500

// Clients returns the clients whose self-check and diary the therapist
// therapistID may see at now, most recently shared first, at most
// MaxClients.
func (db *DB) Clients(ctx context.Context, therapistID string, now time.Time) ([]Client, error) {
	var out []Client
	err := each(ctx, db.rdb, clientSelect+` ORDER BY s.shared_at DESC, s.id DESC LIMIT $3`,
		[]any{therapistID, now.UTC(), MaxClients}, func(r scanner) error {
			c, err := scanClient(r)
			if err == nil {
				out = append(out, c)
			}
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: clients of %s: %w", therapistID, err)
	}
	return out, nil
}

// client returns the client of share shareID as the therapist
// therapistID may see them at now, or ErrNotFound when the share is
// withdrawn, gone or not theirs.
func client(ctx context.Context, q querier, therapistID string, shareID int64, now time.Time) (Client, error) {
	c, err := scanClient(q.QueryRowContext(ctx, clientSelect+` AND s.id = $3`, therapistID, now.UTC(), shareID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("store: client %d: %w", shareID, err)
	}
	return c, nil
}

// ClientRecord is what a therapist sees of one client: the shared
// self-check with its diary summed up, as the person's own pages read it.
type ClientRecord struct {
	Client Client
	*PlanDiary
}

// ClientDiary returns the shared self-check and diary of share shareID as
// PlanDiary reads a plan (summed up at now, with the latest recent
// entries), in one transaction, or ErrNotFound when the therapist
// therapistID may not see it: withdrawing a share ends access at once.
func (db *DB) ClientDiary(ctx context.Context, therapistID string, shareID int64, recent int, now time.Time) (*ClientRecord, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: client diary: %w", err)
	}
	defer tx.Rollback()
	c, err := client(ctx, tx, therapistID, shareID, now)
	if err != nil {
		return nil, err
	}
	a, err := assessmentWhere(ctx, tx, "id = $1", c.AssessmentID)
	if err != nil {
		return nil, err
	}
	p, err := db.planDiary(ctx, tx, a, recent, now)
	if err != nil {
		return nil, err
	}
	return &ClientRecord{Client: c, PlanDiary: p}, nil
}

// ClientEntries is a client's whole diary, for an export.
type ClientEntries struct {
	Client   Client
	Settings diary.Settings
	Entries  []diary.Entry // oldest first
}

// ClientDiaryEntries returns every entry of the diary shared with share
// shareID, or ErrNotFound when the therapist therapistID may not see it
// at now.
func (db *DB) ClientDiaryEntries(ctx context.Context, therapistID string, shareID int64, now time.Time) (*ClientEntries, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: client diary entries: %w", err)
	}
	defer tx.Rollback()
	c, err := client(ctx, tx, therapistID, shareID, now)
	if err != nil {
		return nil, err
	}
	x := &ClientEntries{Client: c}
	if x.Settings, err = planSettings(ctx, tx, c.AssessmentID); err != nil {
		return nil, err
	}
	if x.Entries, err = entries(ctx, tx, c.AssessmentID, time.Time{}, time.Time{}); err != nil {
		return nil, err
	}
	return x, nil
}

// DeskTherapist is a therapist of the clinic as the desk acts for them,
// with the time zone of their location.
type DeskTherapist struct {
	clinic.Therapist
	Zone *time.Location
}

// ClinicTherapist returns the clinic's therapist with id, with the zone of
// their location (in which their day is shown), or ErrNotFound, also for
// an empty id: an account tied to no therapist (store.User.TherapistID).
func (db *DB) ClinicTherapist(ctx context.Context, id string) (*DeskTherapist, error) {
	if id == "" {
		return nil, ErrNotFound
	}
	snap, err := db.clinicNow(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("store: clinic therapist: %w", err)
	}
	for _, t := range snap.therapists {
		if t.ID == id {
			zone := snap.zones[t.Location]
			if zone == nil {
				zone = time.UTC
			}
			return &DeskTherapist{Therapist: t, Zone: zone}, nil // a copy: the snapshot is shared
		}
	}
	return nil, ErrNotFound
}
