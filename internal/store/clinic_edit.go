package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"unknot/internal/clinic"
	"unknot/internal/valid"
)

// InUseError refuses to remove a location, service or therapist that
// bookings name: the clinic keeps its record of visits, and a client with
// a visit ahead must hear of it before the visit goes away.
type InUseError struct {
	Kind   string // "location", "service" or "therapist"
	ID     string
	Future bool // a booking ahead that is not cancelled names it
}

func (e *InUseError) Error() string {
	if e.Future {
		return fmt.Sprintf("%s %s has bookings ahead: cancel or move them first", e.Kind, e.ID)
	}
	return fmt.Sprintf("%s %s is named by past visits, which the clinic keeps", e.Kind, e.ID)
}

// EditClinic changes the clinic in one transaction: it reads the clinic
// as it is (an empty one when there is none yet), lets edit change it,
// checks the result whole with File.Validate, and writes it: every
// location, service and therapist the result lists, whole, and removes
// those it no longer lists. When edit fails, the result has problems (a
// valid.Errors naming each by its path in the clinic file), or a removed
// entity is named by bookings (*InUseError), nothing is written. When
// edit returns a valid.Errors, the problems Validate finds at other
// fields are added to them, so that a form shows every problem at once. What
// EditClinic writes is a real clinic, not the demo. now decides which
// bookings are ahead.
func (db *DB) EditClinic(ctx context.Context, now time.Time, edit func(f *clinic.File) error) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if db.dialect == Postgres {
			// Edits of the clinic take turns, so that none is lost.
			if _, err := tx.ExecContext(ctx, `LOCK TABLE clinic IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		// Two reads: edit changes f, whose lists and maps are its own.
		was, err := clinicOrEmpty(ctx, tx)
		if err != nil {
			return err
		}
		f, err := clinicOrEmpty(ctx, tx)
		if err != nil {
			return err
		}
		var errs valid.Errors
		if err := edit(&f); !errors.As(err, &errs) && err != nil {
			return err
		}
		// edit's problems (a field it could not read) and the file's,
		// but each field's only once.
		for _, e := range f.Validate(nil) {
			if !slices.ContainsFunc(errs, func(r valid.Error) bool { return within(e.Field, r.Field) }) {
				errs = append(errs, e)
			}
		}
		if len(errs) == 0 {
			// Time off added here is held to the rule of BlockTimeOff:
			// never over a booked visit.
			if errs, err = db.timeOffClashes(ctx, tx, &was, &f); err != nil {
				return err
			}
		}
		if len(errs) > 0 {
			return errs
		}
		for i := range f.Therapists {
			f.Therapists[i].Hours.Sort()
		}
		// Therapists go first: they name services and locations.
		removed := []struct {
			kind, table, column string
			ids                 []string
		}{
			{"therapist", "therapists", "therapist_id", gone(was.Therapists, f.Therapists, func(t clinic.Therapist) string { return t.ID })},
			{"service", "services", "service_id", gone(was.Services, f.Services, func(s clinic.Service) string { return s.ID })},
			{"location", "locations", "location_id", gone(was.Locations, f.Locations, func(l clinic.Location) string { return l.ID })},
		}
		for _, r := range removed {
			for _, id := range r.ids {
				if err := removeUnbooked(ctx, tx, r.kind, r.table, r.column, id, now); err != nil {
					return err
				}
			}
		}
		return writeClinic(ctx, tx, &f, false)
	})
	if err != nil {
		return fmt.Errorf("store: edit clinic: %w", err)
	}
	return nil
}

// timeOffClashes returns, as problems at each therapist's time_off, the
// time off that f has and was had not, over one of that therapist's
// booked visits.
func (db *DB) timeOffClashes(ctx context.Context, tx *sql.Tx, was, f *clinic.File) (valid.Errors, error) {
	c, err := db.clinicAt(ctx, tx)
	if errors.Is(err, ErrNotFound) {
		return nil, nil // no clinic yet, so no bookings
	}
	if err != nil {
		return nil, err
	}
	zones := map[string]*time.Location{}
	for _, l := range f.Locations {
		if z, err := clinic.Zone(l.TimeZone); err == nil { // f is valid: every zone reads
			zones[l.ID] = z
		}
	}
	had := map[string][]clinic.TimeOff{}
	for _, t := range was.Therapists {
		had[t.ID] = t.TimeOff
	}
	var errs valid.Errors
	for i, t := range f.Therapists {
		for _, off := range t.TimeOff {
			if slices.Contains(had[t.ID], off) {
				continue
			}
			clash, err := c.timeOffClash(ctx, tx, t.ID, zones[t.Location], off)
			if err != nil {
				return nil, err
			}
			if clash != nil {
				first := clash.Visits[0].Booking.Start.In(zones[t.Location]).Format("Mon 2 Jan 2006 15:04")
				errs.Add(fmt.Sprintf("therapists[%d].time_off", i), fmt.Sprintf(
					"%s to %s covers %d booked visit(s), the first on %s: move or cancel them first", off.From, off.To, len(clash.Visits), first))
			}
		}
	}
	return errs, nil
}

// within reports whether path is field or a part of it: "a.b[0]" and
// "a.b.c" are within "a.b".
func within(path, field string) bool {
	rest, ok := strings.CutPrefix(path, field)
	return ok && (rest == "" || rest[0] == '[' || rest[0] == '.')
}

// clinicOrEmpty reads the whole clinic, or an empty one when there is
// none yet.
func clinicOrEmpty(ctx context.Context, q querier) (clinic.File, error) {
	f, err := readClinic(ctx, q)
	if errors.Is(err, ErrNotFound) {
		return clinic.File{Locations: []clinic.Location{}, Services: []clinic.Service{}, Therapists: []clinic.Therapist{}}, nil
	}
	if err != nil {
		return f, fmt.Errorf("read the clinic: %w", err)
	}
	return f, nil
}

// gone returns the ids of was that now does not list.
func gone[T any](was, now []T, id func(T) string) []string {
	keep := make(map[string]bool, len(now))
	for _, x := range now {
		keep[id(x)] = true
	}
	var out []string
	for _, x := range was {
		if !keep[id(x)] {
			out = append(out, id(x))
		}
	}
	return out
}

// removeUnbooked deletes the row id of table, unless a booking names it
// in column: then it returns an *InUseError.
func removeUnbooked(ctx context.Context, tx *sql.Tx, kind, table, column, id string, now time.Time) error {
	var total, ahead int
	err := tx.QueryRowContext(ctx, `
		SELECT count(*), count(*) FILTER (WHERE status <> 'cancelled' AND ends_at > $2)
		FROM bookings WHERE `+column+` = $1`, id, now.UTC()).Scan(&total, &ahead)
	if err != nil {
		return fmt.Errorf("%s %s: bookings: %w", kind, id, err)
	}
	if total > 0 {
		return &InUseError{Kind: kind, ID: id, Future: ahead > 0}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1`, id); err != nil {
		return fmt.Errorf("remove %s %s: %w", kind, id, err)
	}
	return nil
}

// ClinicContact returns what the clinic's handouts and emails say about
// it, or ErrNotFound when there is no clinic or only the demo clinic,
// whose sample name belongs on no one's handout.
func (db *DB) ClinicContact(ctx context.Context) (clinic.Contact, error) {
	var demo bool
	err := db.rdb.QueryRowContext(ctx, `SELECT demo FROM clinic WHERE id = 1`).Scan(&demo)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && demo) {
		return clinic.Contact{}, ErrNotFound
	}
	if err != nil {
		return clinic.Contact{}, fmt.Errorf("store: clinic contact: %w", err)
	}
	c, err := db.clinicNow(ctx)
	if err != nil {
		return clinic.Contact{}, fmt.Errorf("store: clinic contact: %w", err)
	}
	locs := make([]clinic.Location, 0, len(c.locations))
	for _, l := range c.locations {
		locs = append(locs, *l)
	}
	slices.SortFunc(locs, func(a, b clinic.Location) int { return strings.Compare(a.ID, b.ID) })
	return clinic.ContactOf(c.rules, locs), nil
}
