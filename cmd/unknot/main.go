// Command unknot helps people get rid of muscle knots in the neck and upper
// back. It is one binary: the web server, the self-check in a terminal, and
// the tools to look after its database.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"unknot/internal/valid"
)

const usage = `unknot: relief for knots in the neck and upper back

Usage:
  unknot serve [--addr 127.0.0.1:8080] [--db PATH|postgres://…]   run the web server
  unknot check [--answers FILE|-] [--format text|json]            the self-check in the terminal
  unknot routine --plan TOKEN [--db PATH] | --answers FILE|-      today's routine with a live countdown ([--day N] [--speed N] [--no-wait])
  unknot exercises [--format text|json]                            list the exercise library
  unknot migrate [--db PATH|postgres://…]                          bring the database schema up to date
  unknot backup --to FILE [--db PATH]                              copy a SQLite database while it runs
  unknot subscriber export|delete --email ADDRESS [--db PATH]      a free-report subscriber's data: print it, or delete it
  unknot user add --email ADDRESS --role ROLE [--password-stdin]  add a staff account; ROLE admin, therapist or coach (repeatable)
  unknot clinic import --file FILE|- | export [--db PATH]          set up the clinic from a clinic file, or print it as one

Environment: UNKNOT_ADDR, UNKNOT_DB, UNKNOT_BASE_URL, UNKNOT_SMTP_URL, UNKNOT_MAIL_FROM, UNKNOT_ENV, UNKNOT_CONTENT,
UNKNOT_PRODUCTION, UNKNOT_SECRET_KEY, UNKNOT_TRUSTED_PROXY, and one for each limit (see "unknot serve -h").
Run "unknot COMMAND -h" for a command's flags.
`

// Exit codes: 2 is bad input or usage, 1 any other failure.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// errUsage marks errors caused by how the command was called.
var errUsage = errors.New("usage")

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches a command and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	commands := map[string]func([]string, io.Reader, io.Writer, io.Writer) int{
		"serve":      cmdServe,
		"check":      cmdCheck,
		"routine":    cmdRoutine,
		"exercises":  cmdExercises,
		"migrate":    cmdMigrate,
		"backup":     cmdBackup,
		"subscriber": cmdSubscriber,
		"user":       cmdUser,
		"clinic":     cmdClinic,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "unknot: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
	return cmd(args[1:], stdin, stdout, stderr)
}

// newFlags returns a flag set that reports its own errors to stderr.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("unknot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and maps flag errors to exit codes: -h is success,
// anything else is a usage error. It reports ok=false when the caller
// should return code at once.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case err == nil && fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitUsage, false
	}
	return exitOK, true
}

// env returns the environment variable key, or def when it is unset.
func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && v != "" {
		return v
	}
	return def
}

// defaultDB is the SQLite file used when no database is given.
const defaultDB = "unknot.db"

// badInput prints one line per problem, each starting with its field path
// (capped as valid.Errors.Capped says),
// and returns the exit code for bad input.
func badInput(stderr io.Writer, errs valid.Errors) int {
	fmt.Fprintln(stderr, errs.Error())
	return exitUsage
}

// oneOf checks a flag value against its allowed values.
func oneOf(stderr io.Writer, flagName, value string, allowed ...string) bool {
	for _, a := range allowed {
		if value == a {
			return true
		}
	}
	fmt.Fprintf(stderr, "--%s: must be one of %v, not %q\n", flagName, allowed, value)
	return false
}
