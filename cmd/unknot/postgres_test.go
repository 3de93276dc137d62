package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, as the store registers it
)

// defaultTestPostgres is the PostgreSQL server the tests use when
// UNKNOT_TEST_POSTGRES is not set: the one CI (.ci/run) starts.
const defaultTestPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// needPostgres returns the admin DSN of the test PostgreSQL server. It
// skips the test when the server, or one of the client programs given in
// tools, is missing, except in CI (CI set), where that is a failure.
func needPostgres(t *testing.T, tools ...string) string {
	t.Helper()
	fail := t.Skip
	if os.Getenv("CI") != "" {
		fail = t.Fatal
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			fail(tool + " is not installed (Debian: postgresql-client)")
		}
	}
	admin := os.Getenv("UNKNOT_TEST_POSTGRES")
	if admin == "" {
		admin = defaultTestPostgres
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("UNKNOT_TEST_POSTGRES: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		fail("PostgreSQL not reachable at " + redactDSN(admin) + " (set UNKNOT_TEST_POSTGRES): " + err.Error())
	}
	return admin
}

// freshDatabase creates an empty PostgreSQL database with a random name
// on the server of admin, as `createdb` would, and returns its DSN. It is
// dropped, whoever is still connected, when the test ends.
func freshDatabase(t *testing.T, admin string) string {
	t.Helper()
	name := "unknot_test_" + randomHex(6)
	execAdmin(t, admin, `CREATE DATABASE `+name)
	t.Cleanup(func() { execAdmin(t, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) })
	return databaseDSN(t, admin, name)
}

// freshSchema creates an empty schema with a random name in the admin
// database and returns a DSN whose search_path points at it: quicker to
// make and drop than a database, for tests that need no database of their
// own. The schema is dropped when the test ends.
func freshSchema(t *testing.T, admin string) string {
	t.Helper()
	// The bookings' exclusion constraint needs btree_gist. Made once in
	// public, it serves every test schema, as in the store's tests.
	execAdmin(t, admin, `CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public`)
	name := "unknot_test_" + randomHex(6)
	execAdmin(t, admin, `CREATE SCHEMA `+name)
	t.Cleanup(func() { execAdmin(t, admin, `DROP SCHEMA `+name+` CASCADE`) })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("UNKNOT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// databaseDSN is admin with its database replaced by name.
func databaseDSN(t *testing.T, admin, name string) string {
	t.Helper()
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("UNKNOT_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// execAdmin runs one statement on the admin connection.
func execAdmin(t *testing.T, admin, query string) {
	t.Helper()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// DROP DATABASE waits for a checkpoint, which a busy machine can
	// make slow.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, query); err != nil {
		t.Errorf("%s: %v", query, err)
	}
}

func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
