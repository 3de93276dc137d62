package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"unknot/internal/store"
	"unknot/internal/subscribe"
)

const subscriberUsage = `Usage:
  unknot subscriber export --email ADDRESS [--db PATH]   print what is kept about a subscriber, as JSON
  unknot subscriber delete --email ADDRESS [--db PATH]   delete a subscriber and the record of their mail
`

// cmdSubscriber looks after the free report's subscribers: export and
// delete, for requests that arrive by other ways than the links in the
// mails.
func cmdSubscriber(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "export" && args[0] != "delete") {
		fmt.Fprint(stderr, subscriberUsage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	action := args[0]
	fs := newFlags("subscriber "+action, stderr)
	dsn := fs.String("db", env("UNKNOT_DB", defaultDB), "SQLite file `PATH`, or a postgres:// URL (UNKNOT_DB)")
	email := fs.String("email", "", "the subscriber's email `address`")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	form, errs := subscribe.Form{FirstName: "-", Email: *email}.Clean()
	if msg := errs.For("email"); msg != "" {
		fmt.Fprintf(stderr, "--email: %s\n", msg)
		return exitUsage
	}
	ctx, cancel := cliContext()
	defer cancel()
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		fmt.Fprintf(stderr, "unknot subscriber: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	if action == "export" {
		var data *store.SubscriberData
		if data, err = db.ExportSubscriber(ctx, form.Email); err == nil {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			err = enc.Encode(data)
		}
	} else if err = db.DeleteSubscriber(ctx, form.Email); err == nil {
		fmt.Fprintf(stdout, "deleted %s and the record of their mail\n", form.Email)
	}
	if errors.Is(err, store.ErrNotFound) {
		fmt.Fprintf(stderr, "unknot subscriber %s: no subscriber with the address %s\n", action, form.Email)
		return exitFailure
	}
	if err != nil {
		fmt.Fprintf(stderr, "unknot subscriber %s: %v\n", action, err)
		return exitFailure
	}
	return exitOK
}
