package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"unknot/internal/clinic"
	"unknot/internal/store"
	"unknot/internal/valid"
)

const clinicUsage = `Usage:
  unknot clinic import --file FILE|- [--db PATH]   create or update the clinic from a clinic file (shared/contract/BOOKING.md)
  unknot clinic export [--db PATH]                 print the clinic as a clinic file
`

// maxClinicFile is the largest clinic file read: far more than a large
// centre's therapists, hours and time off need.
const maxClinicFile = 16 << 20

// cmdClinic imports and exports the clinic file: the clinic, its
// locations, services and therapists with their hours and time off.
func cmdClinic(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprint(stderr, clinicUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	action := args[0]
	fs := newFlags("clinic "+action, stderr)
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH`, or a postgres:// URL (UNKNOT_DB)")
	var file *string
	if action == "import" {
		file = fs.String("file", "", "the clinic file to read, `FILE` or - for standard input")
	}
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if action == "export" {
		return exportClinic(*dsn, stdout, stderr)
	}
	if *file == "" {
		fmt.Fprintln(stderr, "--file: give the clinic file to import, or - to read it from standard input")
		return exitUsage
	}
	return importClinic(*dsn, *file, stdin, stdout, stderr)
}

// importClinic reads, checks and imports a clinic file. A file with any
// problem is reported one line per problem, each naming its path, exits 2
// and changes nothing.
func importClinic(dsn, file string, stdin io.Reader, stdout, stderr io.Writer) int {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			fmt.Fprintf(stderr, "--file: %v\n", err)
			return exitUsage
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxClinicFile+1))
	if err != nil {
		fmt.Fprintf(stderr, "--file: %v\n", err)
		return exitUsage
	}
	if len(data) > maxClinicFile {
		fmt.Fprintf(stderr, "--file: larger than %d MiB\n", maxClinicFile>>20)
		return exitUsage
	}
	ctx, cancel := cliContext()
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "unknot clinic import: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	known, err := db.KnownClinic(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "unknot clinic import: %v\n", err)
		return exitFailure
	}
	f, err := clinic.ParseWith(data, known)
	var errs valid.Errors
	if errors.As(err, &errs) {
		return badInput(stderr, errs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "unknot clinic import: %v\n", err)
		return exitFailure
	}
	if err := db.ImportClinic(ctx, f); err != nil {
		fmt.Fprintf(stderr, "unknot clinic import: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "imported %s: %d locations, %d services, %d therapists\n",
		f.Clinic.Name, len(f.Locations), len(f.Services), len(f.Therapists))
	return exitOK
}

// exportClinic prints the clinic as a clinic file.
func exportClinic(dsn string, stdout, stderr io.Writer) int {
	ctx, cancel := cliContext()
	defer cancel()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintf(stderr, "unknot clinic export: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	f, err := db.ExportClinic(ctx)
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintln(stderr, "unknot clinic export: no clinic yet: import one with unknot clinic import, or start unknot serve to load the demo clinic")
		return exitFailure
	}
	if err != nil {
		fmt.Fprintf(stderr, "unknot clinic export: %v\n", err)
		return exitFailure
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		fmt.Fprintf(stderr, "unknot clinic export: %v\n", err)
		return exitFailure
	}
	return exitOK
}
