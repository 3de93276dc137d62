package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"unknot/internal/clinic"
)

// ImportClinic writes the clinic file f in one transaction: the clinic's
// details and rules, and every location, service and therapist f lists,
// each created or replaced whole by id (a therapist's services, hours and
// time off included). What f does not list stays as it is. The demo
// clinic, if loaded, is removed first, with any bookings made with it.
// Check f with clinic.ParseWith and KnownClinic first: a reference to
// something neither f nor the database has fails the whole import.
func (db *DB) ImportClinic(ctx context.Context, f clinic.File) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := removeDemo(ctx, tx); err != nil {
			return err
		}
		return writeClinic(ctx, tx, &f, false)
	})
	if err != nil {
		return fmt.Errorf("store: import clinic: %w", err)
	}
	return nil
}

// LoadDemoClinic loads the demo clinic (clinic.Demo) when the database has
// no clinic yet, so that a new user can book at once, and reports whether
// it did.
func (db *DB) LoadDemoClinic(ctx context.Context) (bool, error) {
	loaded := false
	err := db.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clinic`).Scan(&n); err != nil || n > 0 {
			return err
		}
		demo := clinic.Demo()
		loaded = true
		return writeClinic(ctx, tx, &demo, true)
	})
	if err != nil {
		return false, fmt.Errorf("store: load demo clinic: %w", err)
	}
	return loaded, nil
}

// removeDemo deletes the demo clinic and the bookings made with it.
func removeDemo(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{
		`DELETE FROM bookings WHERE therapist_id IN (SELECT id FROM therapists WHERE demo)`,
		`DELETE FROM therapists WHERE demo`,
		`DELETE FROM services WHERE demo`,
		`DELETE FROM locations WHERE demo`,
		`DELETE FROM clinic WHERE demo`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("remove the demo clinic: %w", err)
		}
	}
	return nil
}

// writeClinic creates or replaces everything f lists, marked demo or not.
func writeClinic(ctx context.Context, tx *sql.Tx, f *clinic.File, demo bool) error {
	c := &f.Clinic
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO clinic (id, name, phone, email, website, insurance_note, cancel_hours,
			min_notice_minutes, horizon_days, slot_step_minutes, demo, updated_at, address)
		VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, phone = excluded.phone,
			email = excluded.email, website = excluded.website, insurance_note = excluded.insurance_note,
			address = excluded.address,
			cancel_hours = excluded.cancel_hours, min_notice_minutes = excluded.min_notice_minutes,
			horizon_days = excluded.horizon_days, slot_step_minutes = excluded.slot_step_minutes,
			demo = excluded.demo, updated_at = excluded.updated_at`,
		c.Name, c.Phone, c.Email, c.Website, c.InsuranceNote, c.CancelHours,
		c.MinNoticeMinutes, c.HorizonDays, c.SlotStepMinutes, demo, nowMicro(), c.Address); err != nil {
		return fmt.Errorf("clinic: %w", err)
	}
	for _, l := range f.Locations {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO locations (id, name, address, time_zone, phone, demo)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address,
				time_zone = excluded.time_zone, phone = excluded.phone, demo = excluded.demo`,
			l.ID, l.Name, l.Address, l.TimeZone, l.Phone, demo); err != nil {
			return fmt.Errorf("location %s: %w", l.ID, err)
		}
	}
	for _, s := range f.Services {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO services (id, name, style, minutes, buffer_before_minutes, buffer_after_minutes,
				price, currency, modes, demo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, style = excluded.style,
				minutes = excluded.minutes, buffer_before_minutes = excluded.buffer_before_minutes,
				buffer_after_minutes = excluded.buffer_after_minutes, price = excluded.price,
				currency = excluded.currency, modes = excluded.modes, demo = excluded.demo`,
			s.ID, s.Name, s.Style, s.Minutes, s.BufferBeforeMinutes, s.BufferAfterMinutes,
			s.Price, s.Currency, jsonList(s.Modes), demo); err != nil {
			return fmt.Errorf("service %s: %w", s.ID, err)
		}
	}
	for i := range f.Therapists {
		if err := writeTherapist(ctx, tx, &f.Therapists[i], demo); err != nil {
			return fmt.Errorf("therapist %s: %w", f.Therapists[i].ID, err)
		}
	}
	return nil
}

// writeTherapist creates or replaces t whole.
func writeTherapist(ctx context.Context, tx *sql.Tx, t *clinic.Therapist, demo bool) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO therapists (id, name, email, credentials, licence, bio, specialties, languages,
			location_id, modes, video_url, demo)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email,
			credentials = excluded.credentials, licence = excluded.licence, bio = excluded.bio,
			specialties = excluded.specialties, languages = excluded.languages,
			location_id = excluded.location_id, modes = excluded.modes,
			video_url = excluded.video_url, demo = excluded.demo`,
		t.ID, t.Name, t.Email, t.Credentials, t.Licence, t.Bio, jsonList(t.Specialties), jsonList(t.Languages),
		t.Location, jsonList(t.Modes), t.VideoURL, demo); err != nil {
		return err
	}
	// The reasons a therapist gave for time off at the desk
	// (BlockTimeOff) are not part of the clinic file: a span that is
	// written again keeps its reason.
	reasons := map[[2]string]string{}
	if err := each(ctx, tx, `SELECT from_wall, to_wall, reason FROM therapist_time_off WHERE therapist_id = $1`,
		[]any{t.ID}, func(r scanner) error {
			var from, to, reason string
			err := r.Scan(&from, &to, &reason)
			reasons[[2]string{from, to}] = reason
			return err
		}); err != nil {
		return err
	}
	for _, table := range []string{"therapist_services", "therapist_hours", "therapist_time_off"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE therapist_id = $1`, t.ID); err != nil {
			return err
		}
	}
	for i, s := range t.Services {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO therapist_services (therapist_id, service_id, position) VALUES ($1, $2, $3)`,
			t.ID, s, i); err != nil {
			return err
		}
	}
	for day, ranges := range t.Hours {
		for _, r := range ranges {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO therapist_hours (therapist_id, weekday, from_minute, to_minute) VALUES ($1, $2, $3, $4)`,
				t.ID, day, int(r.From), int(r.To)); err != nil {
				return err
			}
		}
	}
	for _, o := range t.TimeOff {
		from, to := o.From.String(), o.To.String()
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO therapist_time_off (therapist_id, from_wall, to_wall, reason) VALUES ($1, $2, $3, $4)`,
			t.ID, from, to, reasons[[2]string{from, to}]); err != nil {
			return err
		}
	}
	return nil
}

// jsonList writes a list of strings as JSON, never null.
func jsonList[S ~string](list []S) string {
	if list == nil {
		return "[]"
	}
	b, _ := json.Marshal(list) // strings always marshal
	return string(b)
}

// readList reads what jsonList wrote.
func readList[S ~string](s string) ([]S, error) {
	var list []S
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, fmt.Errorf("bad list %q: %w", s, err)
	}
	if list == nil {
		list = []S{}
	}
	return list, nil
}

// KnownClinic returns the locations and services of the database that a
// clinic file may refer to without listing them: those of a real clinic,
// not of the demo, which an import removes.
func (db *DB) KnownClinic(ctx context.Context) (clinic.Known, error) {
	k := knownIDs{locations: map[string]bool{}, services: map[string]bool{}}
	for table, set := range map[string]map[string]bool{"locations": k.locations, "services": k.services} {
		rows, err := db.query(ctx, `SELECT id FROM `+table+` WHERE NOT demo`)
		if err != nil {
			return nil, fmt.Errorf("store: known clinic: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: known clinic: %w", err)
			}
			set[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: known clinic: %w", err)
		}
	}
	return k, nil
}

// knownIDs is a clinic.Known over sets of ids.
type knownIDs struct{ locations, services map[string]bool }

func (k knownIDs) HasLocation(id string) bool { return k.locations[id] }
func (k knownIDs) HasService(id string) bool  { return k.services[id] }

// ExportClinic returns the clinic as a clinic file, each list in order of
// id: what ImportClinic wrote, ready to be imported again. It returns
// ErrNotFound when no clinic was imported or loaded.
func (db *DB) ExportClinic(ctx context.Context) (clinic.File, error) {
	var f clinic.File
	err := db.read(ctx, func(q querier) (err error) {
		f, err = readClinic(ctx, q)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return clinic.File{}, ErrNotFound
	}
	if err != nil {
		return clinic.File{}, fmt.Errorf("store: export clinic: %w", err)
	}
	return f, nil
}

// readClinic reads the whole clinic as q sees it, or ErrNotFound.
func readClinic(ctx context.Context, q querier) (f clinic.File, err error) {
	if f.Clinic, err = clinicRules(ctx, q); err != nil {
		return f, err
	}
	if f.Locations, err = locations(ctx, q); err != nil {
		return f, err
	}
	if f.Services, err = services(ctx, q, ``); err != nil {
		return f, err
	}
	f.Therapists, err = therapists(ctx, q, ``)
	return f, err
}

// read runs fn in a read-only transaction on the read pool, so that its
// queries see one state of the database.
func (db *DB) read(ctx context.Context, fn func(q querier) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		// Read committed would give each query its own snapshot.
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.rdb.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// clinicRules reads the clinic's row, or ErrNotFound.
func clinicRules(ctx context.Context, q querier) (clinic.Clinic, error) {
	var c clinic.Clinic
	err := q.QueryRowContext(ctx, `
		SELECT name, phone, email, website, insurance_note, cancel_hours, min_notice_minutes,
			horizon_days, slot_step_minutes, address
		FROM clinic WHERE id = 1`).Scan(&c.Name, &c.Phone, &c.Email, &c.Website, &c.InsuranceNote,
		&c.CancelHours, &c.MinNoticeMinutes, &c.HorizonDays, &c.SlotStepMinutes, &c.Address)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

func locations(ctx context.Context, q querier) ([]clinic.Location, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, address, time_zone, phone FROM locations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []clinic.Location{}
	for rows.Next() {
		var l clinic.Location
		if err := rows.Scan(&l.ID, &l.Name, &l.Address, &l.TimeZone, &l.Phone); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// services reads the services, all or those matching where (a condition
// on the services table with its arguments).
func services(ctx context.Context, q querier, where string, args ...any) ([]clinic.Service, error) {
	if where != "" {
		where = " WHERE " + where
	}
	rows, err := q.QueryContext(ctx, `
		SELECT id, name, style, minutes, buffer_before_minutes, buffer_after_minutes, price, currency, modes
		FROM services`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []clinic.Service{}
	for rows.Next() {
		var (
			s     clinic.Service
			modes string
		)
		if err := rows.Scan(&s.ID, &s.Name, &s.Style, &s.Minutes, &s.BufferBeforeMinutes, &s.BufferAfterMinutes,
			&s.Price, &s.Currency, &modes); err != nil {
			return nil, err
		}
		if s.Modes, err = readList[clinic.Mode](modes); err != nil {
			return nil, fmt.Errorf("service %s: %w", s.ID, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// therapists reads the therapists, all or those matching where (a
// condition on the therapists table with its arguments), whole.
func therapists(ctx context.Context, q querier, where string, args ...any) ([]clinic.Therapist, error) {
	if where != "" {
		where = " WHERE " + where
	}
	rows, err := q.QueryContext(ctx, `
		SELECT id, name, email, credentials, licence, bio, specialties, languages, location_id, modes, video_url
		FROM therapists`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	out := []clinic.Therapist{}
	byID := map[string]*clinic.Therapist{}
	for rows.Next() {
		var (
			t                         clinic.Therapist
			specialties, langs, modes string
		)
		if err := rows.Scan(&t.ID, &t.Name, &t.Email, &t.Credentials, &t.Licence, &t.Bio,
			&specialties, &langs, &t.Location, &modes, &t.VideoURL); err != nil {
			rows.Close()
			return nil, err
		}
		if err := therapistLists(&t, specialties, langs, modes); err != nil {
			rows.Close()
			return nil, fmt.Errorf("therapist %s: %w", t.ID, err)
		}
		t.Services = []string{}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	// The therapists' services, hours and time off, each in one query.
	of := `therapist_id IN (SELECT id FROM therapists` + where + `)`
	err = each(ctx, q, `SELECT therapist_id, service_id FROM therapist_services WHERE `+of+` ORDER BY therapist_id, position`, args,
		func(r scanner) error {
			var id, service string
			if err := r.Scan(&id, &service); err != nil {
				return err
			}
			byID[id].Services = append(byID[id].Services, service)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT therapist_id, weekday, from_minute, to_minute FROM therapist_hours WHERE `+of+` ORDER BY therapist_id, weekday, from_minute`, args,
		func(r scanner) error {
			var (
				id            string
				day, from, to int
			)
			if err := r.Scan(&id, &day, &from, &to); err != nil {
				return err
			}
			if day < 0 || day > 6 {
				return fmt.Errorf("therapist %s: weekday %d", id, day)
			}
			t := byID[id]
			t.Hours[day] = append(t.Hours[day], clinic.Range{From: clinic.Clock(from), To: clinic.Clock(to)})
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = each(ctx, q, `SELECT therapist_id, from_wall, to_wall FROM therapist_time_off WHERE `+of+` ORDER BY therapist_id, from_wall`, args,
		func(r scanner) error {
			var id, from, to string
			if err := r.Scan(&id, &from, &to); err != nil {
				return err
			}
			f, err1 := clinic.ParseWall(from)
			t, err2 := clinic.ParseWall(to)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("therapist %s: time off: %w", id, err)
			}
			byID[id].TimeOff = append(byID[id].TimeOff, clinic.TimeOff{From: f, To: t})
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// therapistLists reads the JSON lists of a therapist's row into t.
func therapistLists(t *clinic.Therapist, specialties, languages, modes string) (err error) {
	if t.Specialties, err = readList[string](specialties); err != nil {
		return err
	}
	if t.Languages, err = readList[string](languages); err != nil {
		return err
	}
	t.Modes, err = readList[clinic.Mode](modes)
	return err
}

// each runs query and calls fn for each row.
func each(ctx context.Context, q querier, query string, args []any, fn func(r scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
