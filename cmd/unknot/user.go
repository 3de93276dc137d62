package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"unknot/internal/staff"
	"unknot/internal/store"
)

// cmdUser manages staff accounts: "unknot user add".
func cmdUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: unknot user add --email ADDRESS --role admin|therapist|coach [--role …] [--password-stdin] [--db PATH]")
		return exitUsage
	}
	return cmdUserAdd(args[1:], stdin, stdout, stderr)
}

// cmdUserAdd creates a staff account. The password is typed in the
// terminal (not echoed, asked twice) or read as the first line of stdin
// with --password-stdin, never taken as a flag, which would leave it in
// the shell's history and the process list.
func cmdUserAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("user add", stderr)
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH`, or a postgres:// URL (UNKNOT_DB)")
	email := fs.String("email", "", "the account's email `address`, used to sign in")
	var roles roleList
	fs.Var(&roles, "role", "`role`: admin, therapist or coach (replies marked \"unknot coach\"); repeat it or use a comma list for several (default coach)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if len(roles) == 0 {
		roles = roleList{string(staff.Coach)}
	}
	// A wrong role is refused before the password is asked for.
	if _, err := staff.ParseRoles(roles); err != nil {
		fmt.Fprintf(stderr, "--role: %v\n", err)
		return exitUsage
	}
	password, err := readPassword(stdin, stderr, *fromStdin)
	if err != nil {
		fmt.Fprintf(stderr, "password: %v\n", err)
		return exitUsage
	}
	addr, rs, errs := staff.CheckNew(*email, roles, password)
	if len(errs) > 0 {
		for _, e := range errs {
			name := e.Field
			if name != "password" {
				name = "--" + name
			}
			fmt.Fprintf(stderr, "%s: %s\n", name, e.Message)
		}
		return exitUsage
	}
	ctx, cancel := cliContext()
	defer cancel()
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(stderr, "unknot user add: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	u := &store.User{Email: addr, Roles: rs, PasswordHash: staff.HashPassword(password, staff.DefaultParams)}
	if err := db.CreateUser(ctx, u); errors.Is(err, store.ErrConflict) {
		fmt.Fprintf(stderr, "--email: %s already has an account\n", addr)
		return exitUsage
	} else if err != nil {
		fmt.Fprintf(stderr, "unknot user add: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "added %s (%s) to %s; sign in at /staff/login\n", u.Email, u.Roles, store.Describe(*dsn))
	switch {
	case u.TherapistID != "":
		fmt.Fprintf(stdout, "tied to the clinic's therapist %s\n", u.TherapistID)
	case u.Roles.Has(staff.Therapist):
		fmt.Fprintf(stdout, "no therapist of the clinic has this email yet: the account sees no bookings or clients until one does and it is tied\n")
	}
	return exitOK
}

// roleList collects --role, which may be repeated.
type roleList []string

func (l *roleList) String() string { return strings.Join(*l, ",") }

func (l *roleList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// readPassword reads the new password from stdin's first line, or asks
// for it twice in the terminal without echo.
func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", errors.New("--password-stdin: no password on stdin")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("stdin is not a terminal; pipe the password in with --password-stdin")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		return string(b), err
	}
	first, err := ask(fmt.Sprintf("Password (at least %d characters besides spaces): ", staff.MinPassword))
	if err != nil {
		return "", err
	}
	again, err := ask("The same password again: ")
	if err != nil {
		return "", err
	}
	if first != again {
		return "", errors.New("the two passwords differ")
	}
	return first, nil
}
