package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"unknot/internal/library"
	"unknot/internal/store"
)

// cmdExercises lists the exercise library.
func cmdExercises(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("exercises", stderr)
	format := fs.String("format", "text", "output `format`: text or json")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if !oneOf(stderr, "format", *format, "text", "json") {
		return exitUsage
	}
	lib := library.Default()
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(lib.Exercises); err != nil {
			fmt.Fprintf(stderr, "unknot exercises: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	for _, e := range lib.Exercises {
		fmt.Fprintf(stdout, "%s (%s, %s)\n  %s\n", e.Name, e.ID, e.Kind, e.Summary)
		for i, step := range e.Steps {
			fmt.Fprintf(stdout, "  %d. %s\n", i+1, step)
		}
		if len(e.Cautions) > 0 {
			fmt.Fprintf(stdout, "  Careful: %s\n", strings.Join(e.Cautions, " "))
		}
		fmt.Fprintln(stdout)
	}
	return exitOK
}

// cmdMigrate brings the database schema up to date.
func cmdMigrate(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("migrate", stderr)
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH`, or a postgres:// URL (UNKNOT_DB)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if err := store.Migrate(context.Background(), *dsn); err != nil {
		fmt.Fprintf(stderr, "unknot migrate: %v\n", err)
		return exitFailure
	}
	fmt.Fprintln(stdout, "database is up to date")
	return exitOK
}

// cmdBackup copies a live SQLite database to a file.
func cmdBackup(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("backup", stderr)
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH` (UNKNOT_DB)")
	to := fs.String("to", "", "write the copy to `FILE` (must not exist)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *to == "" {
		fmt.Fprintln(stderr, "--to: a file to write the copy to is required")
		return exitUsage
	}
	ctx := context.Background()
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(stderr, "unknot backup: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		fmt.Fprintf(stderr, "unknot backup: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "copied to %s\n", *to)
	return exitOK
}
