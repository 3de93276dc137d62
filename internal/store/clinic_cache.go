package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"unknot/internal/clinic"
)

// clinicSnapshot is the whole clinic as the database held it at one
// version, kept in memory: slot searches and bookings need it on every
// request, and it changes only when a clinic is imported. Its contents are
// shared by every caller and must not be changed.
type clinicSnapshot struct {
	version    time.Time // clinic.updated_at
	rules      clinic.Clinic
	locations  map[string]*clinic.Location
	zones      map[string]*time.Location // by location id
	services   map[string]*clinic.Service
	therapists []clinic.Therapist // in order of id
	byID       map[string]*clinic.Therapist
}

// clinicNow returns the clinic as it is now, or ErrNotFound when there is
// none: one query for its version when the snapshot in memory is current,
// else the whole clinic, read in one transaction.
func (db *DB) clinicNow(ctx context.Context) (*clinicSnapshot, error) {
	if snap := db.clinic.Load(); snap != nil {
		st, err := db.readStmt(ctx, clinicVersionSQL)
		if err != nil {
			return nil, err
		}
		var version time.Time
		err = st.QueryRowContext(ctx).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		if snap.version.Equal(version) {
			return snap, nil
		}
	}
	var snap *clinicSnapshot
	err := db.read(ctx, func(q querier) error {
		var err error
		snap, err = db.clinicAt(ctx, q)
		return err
	})
	return snap, err
}

// clinicVersionSQL reads the clinic's version: the time it was last
// written.
const clinicVersionSQL = `SELECT updated_at FROM clinic WHERE id = 1`

// clinicAt returns the clinic as q sees it, or ErrNotFound when there is
// none. It reads only the clinic's version (its updated_at) when the
// snapshot in memory has that version, which holds because every change
// to the clinic's tables goes through writeClinic, which sets it. Another
// instance's import is seen at the next read.
func (db *DB) clinicAt(ctx context.Context, q querier) (*clinicSnapshot, error) {
	var version time.Time
	err := q.QueryRowContext(ctx, clinicVersionSQL).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if snap := db.clinic.Load(); snap != nil && snap.version.Equal(version) {
		return snap, nil
	}
	snap := &clinicSnapshot{
		version: version, locations: map[string]*clinic.Location{}, zones: map[string]*time.Location{},
		services: map[string]*clinic.Service{}, byID: map[string]*clinic.Therapist{},
	}
	if snap.rules, err = clinicRules(ctx, q); err != nil {
		return nil, err
	}
	locs, err := locations(ctx, q)
	if err != nil {
		return nil, err
	}
	for i, l := range locs {
		if snap.zones[l.ID], err = clinic.Zone(l.TimeZone); err != nil {
			return nil, fmt.Errorf("location %s: %w", l.ID, err)
		}
		snap.locations[l.ID] = &locs[i]
	}
	svcs, err := services(ctx, q, ``)
	if err != nil {
		return nil, err
	}
	for i := range svcs {
		snap.services[svcs[i].ID] = &svcs[i]
	}
	if snap.therapists, err = therapists(ctx, q, ``); err != nil {
		return nil, err
	}
	for i := range snap.therapists {
		snap.byID[snap.therapists[i].ID] = &snap.therapists[i]
	}
	db.clinic.Store(snap)
	return snap, nil
}
