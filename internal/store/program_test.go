package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"unknot/internal/care"
	"unknot/internal/mail"
	"unknot/internal/program"
	"unknot/internal/valid"
)

// sharedPlan saves a plan and books it with Ana, shared with the clinic.
func sharedPlan(t *testing.T, db *DB) *Assessment {
	t.Helper()
	importTestClinic(t, db)
	a := savedAssessment(t, db)
	nb := newBooking(t, "ana", "trigger-60", "2027-03-08T10:00:00+01:00")
	nb.AssessmentID, nb.SharePlan = a.ID, true
	book(t, db, nb)
	return a
}

// chinTucks is a program of one exercise with the given note.
func chinTucks(note string) program.Program {
	return program.Program{Note: note, Items: []program.Item{{
		Item: care.Item{Exercise: "chin_tuck", HoldSeconds: 2, Reps: 8, Sets: 1, Sides: "none"}, TimesADay: 2}}}
}

// save saves p for plan id as Ana's, by the account by, with its letter.
func save(db *DB, scope ProgramScope, id int64, by string, p program.Program, checkErr, mailErr error) (*PlanProgram, error) {
	return db.SaveProgram(context.Background(), ProgramSave{
		Scope: scope, AssessmentID: id, Therapist: "ana", By: by, Now: now,
		Check: func(a *Assessment) (program.Program, error) {
			if a.ID != id {
				return program.Program{}, errors.New("checked another plan")
			}
			return p, checkErr
		},
		Mail: func(to ProgramRecipient) (*mail.Message, error) {
			return &mail.Message{Kind: "program_updated", To: to.Email, Subject: to.Therapist + " updated your home program", Text: "Hi " + to.Name}, mailErr
		},
	})
}

func TestSaveProgram(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := sharedPlan(t, db)
		clinicWide := ProgramScope{}

		c, err := db.ClientProgram(ctx, clinicWide, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Client != "Kim" || c.TherapistID != "ana" || c.Therapist != "Ana" || c.Program != nil || len(c.History) != 0 || c.Assessment.ID != a.ID {
			t.Fatalf("before any program: %+v", c)
		}

		// A refused check or a failing letter saves nothing.
		refused := valid.Errors{{Field: "items[0].reps", Message: "Chin tuck: must be between 8 and 12"}}
		_, err = save(db, clinicWide, a.ID, "desk@clinic.example", chinTucks(""), refused, nil)
		var es valid.Errors
		if !errors.As(err, &es) || es.For("items[0].reps") == "" {
			t.Fatalf("refused check: %v", err)
		}
		if _, err := save(db, clinicWide, a.ID, "desk@clinic.example", chinTucks(""), nil, errors.New("template broke")); err == nil {
			t.Fatal("a failing letter saved the program")
		}
		if c, _ := db.ClientProgram(ctx, clinicWide, a.ID); c.Program != nil {
			t.Fatalf("half saved: %+v", c.Program)
		}
		if sent, _ := db.MailTo(ctx, "kim@example.com"); len(sent) != 0 {
			t.Fatalf("%d letters after failed saves", len(sent))
		}

		first, err := save(db, clinicWide, a.ID, "desk@clinic.example", chinTucks("Twice a day."), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if first.Version != 1 || first.Therapist != "Ana" || first.TherapistID != "ana" || !first.At.Equal(now) {
			t.Fatalf("first: %+v", first)
		}
		later := now.Add(time.Hour)
		second, err := db.SaveProgram(ctx, ProgramSave{
			Scope: ProgramScope{Therapist: "ana"}, AssessmentID: a.ID, Therapist: "ana", By: "ana@clinic.example", Now: later,
			Check: func(*Assessment) (program.Program, error) { return chinTucks("Three weeks."), nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		if second.Version != 2 {
			t.Fatalf("second version %d", second.Version)
		}

		c, err = db.ClientProgram(ctx, clinicWide, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.History) != 2 || c.Program.Version != 2 || c.Program.Program.Note != "Three weeks." ||
			c.History[0].ChangedBy != "desk@clinic.example" || c.History[1].ChangedBy != "ana@clinic.example" ||
			!c.History[1].At.Equal(later) || c.History[0].Program.Items[0].TimesADay != 2 {
			t.Fatalf("history: %+v", c)
		}
		letters, err := db.MailTo(ctx, "kim@example.com")
		if err != nil {
			t.Fatal(err)
		}
		if n := len(letters); n != 1 || letters[0].Kind != "program_updated" || letters[0].Subject != "Ana updated your home program" {
			t.Fatalf("letters: %+v", letters)
		}

		x, err := db.ExportPlan(ctx, a.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if x.Program == nil || x.Program.Version != 2 || len(x.ProgramHistory) != 2 {
			t.Fatalf("export: %+v %+v", x.Program, x.ProgramHistory)
		}
	})
}

func TestProgramScope(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := sharedPlan(t, db)
		unshared := savedAssessment(t, db)
		nb := newBooking(t, "ben", "trigger-60", "2027-03-08T10:00:00+01:00")
		nb.AssessmentID = unshared.ID
		book(t, db, nb)

		for _, c := range []struct {
			name  string
			scope ProgramScope
			id    int64
			found bool
		}{
			{"clinic, shared", ProgramScope{}, a.ID, true},
			{"its therapist", ProgramScope{Therapist: "ana"}, a.ID, true},
			{"another therapist", ProgramScope{Therapist: "ben"}, a.ID, false},
			{"booked but never shared", ProgramScope{}, unshared.ID, false},
			{"booked with ben, never shared", ProgramScope{Therapist: "ben"}, unshared.ID, false},
			{"no such plan", ProgramScope{}, unshared.ID + 100, false},
		} {
			_, err := db.ClientProgram(ctx, c.scope, c.id)
			if found := err == nil; found != c.found || !found && !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: ClientProgram: %v", c.name, err)
			}
			_, err = save(db, c.scope, c.id, "x@clinic.example", chinTucks(""), nil, nil)
			if saved := err == nil; saved != c.found || !saved && !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: SaveProgram: %v", c.name, err)
			}
		}
		if _, err := db.SaveProgram(ctx, ProgramSave{AssessmentID: a.ID, Therapist: "nobody",
			Check: func(*Assessment) (program.Program, error) { return chinTucks(""), nil }}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown therapist: %v", err)
		}

		// Withdrawing the share ends the clinic's access at once.
		if _, err := db.WithdrawShare(ctx, a.TokenHash, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ClientProgram(ctx, ProgramScope{}, a.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("after withdrawal: %v", err)
		}
		if _, err := save(db, ProgramScope{}, a.ID, "x@clinic.example", chinTucks(""), nil, nil); !errors.Is(err, ErrNotFound) {
			t.Fatalf("saved after withdrawal: %v", err)
		}
	})
}

func TestDeletePlanRemovesPrograms(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := sharedPlan(t, db)
		for range 2 {
			if _, err := save(db, ProgramScope{}, a.ID, "desk@clinic.example", chinTucks("a note"), nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.DeletePlan(ctx, a.TokenHash); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.queryRow(ctx, `SELECT count(*) FROM program_changes`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d program rows left (%v)", n, err)
		}
	})
}
