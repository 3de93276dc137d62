package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The store tests run once per database. SQLite always runs, in a
// temporary directory. PostgreSQL runs against UNKNOT_TEST_POSTGRES (or
// the local default below), each test in a schema of its own that is
// dropped afterwards; when the server cannot be reached the PostgreSQL
// half is skipped, or fails when CI is set.

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

func TestMain(m *testing.M) {
	// Keep "database migrated" lines out of the test output.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(m.Run())
}

// eachDB runs fn as a subtest for each database, with a DSN naming an
// empty database of its own.
func eachDB(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run(SQLite, func(t *testing.T) {
		fn(t, sqliteDSN(t))
	})
	t.Run(Postgres, func(t *testing.T) {
		fn(t, postgresDSN(t))
	})
}

func sqliteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "data", "unknot.db")
}

// postgresDSN creates a fresh schema and returns a DSN whose search_path
// points at it. The schema is dropped when the test ends.
func postgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("UNKNOT_TEST_POSTGRES")
	if base == "" {
		base = defaultPostgres
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err == nil {
		err = admin.PingContext(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		msg := "PostgreSQL not reachable at " + redact(base) + " (set UNKNOT_TEST_POSTGRES): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	// The bookings' exclusion constraint needs btree_gist. Made once in
	// public, it serves every test schema; a test's migration would
	// otherwise create it in that test's schema, and dropping the schema
	// would drop it from under the other tests.
	if _, err := admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS btree_gist SCHEMA public`); err != nil {
		admin.Close()
		t.Fatalf("create extension btree_gist: %v", err)
	}
	schema := "unknot_test_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("UNKNOT_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(dsn string) string {
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

// openTest opens dsn and closes it when the test ends.
func openTest(t testing.TB, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

func TestOpen(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		want := SQLite
		if strings.HasPrefix(dsn, "postgres") {
			want = Postgres
		}
		if got := db.Dialect(); got != want {
			t.Errorf("Dialect() = %q, want %q", got, want)
		}
		if err := db.Ping(context.Background()); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

// Opening a migrated database again, or migrating it explicitly, changes
// nothing and keeps the data.
func TestMigrationsIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := openTest(t, dsn)
		a := savedAssessment(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := Migrate(ctx, dsn); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		db = openTest(t, dsn)
		got, err := db.AssessmentByToken(ctx, a.TokenHash)
		if err != nil {
			t.Fatalf("after reopening: %v", err)
		}
		if got.ID != a.ID {
			t.Errorf("after reopening: ID = %d, want %d", got.ID, a.ID)
		}
		var version int64
		if err := db.queryRow(ctx, `SELECT max(version_id) FROM goose_db_version`).Scan(&version); err != nil {
			t.Fatal(err)
		}
		if version < 1 {
			t.Errorf("goose version = %d, want ≥ 1", version)
		}
	})
}

func TestOpenSQLiteFile(t *testing.T) {
	path := sqliteDSN(t)
	db := openTest(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("database file mode = %v, want private to its owner", perm)
	}
	var mode string
	if err := db.queryRow(context.Background(), `PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	// The read pool refuses writes, so that a write can't bypass the
	// single writer by mistake.
	if _, err := db.rdb.Exec(`DELETE FROM assessments`); err == nil {
		t.Error("write on the read pool succeeded, want query_only error")
	}
}

// Characters that mean something in a SQLite URI are escaped.
func TestOpenSQLiteOddPath(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a b?c#d%20e", "x?y.db")
	db := openTest(t, path)
	if err := db.CreateAssessment(ctx, newAssessment()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at the path given: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	for _, dsn := range []string{"", ":memory:", "file::memory:?cache=shared"} {
		if db, err := Open(context.Background(), dsn); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want error", dsn)
		}
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db := openTest(t, sqliteDSN(t))
	a := savedAssessment(t, db)
	backup := filepath.Join(t.TempDir(), "backups", "copy.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	// The copy is a database of its own, with the row in it.
	cp := openTest(t, backup)
	got, err := cp.AssessmentByToken(ctx, a.TokenHash)
	if err != nil {
		t.Fatalf("row in backup: %v", err)
	}
	if got.ID != a.ID || string(got.Answers) != string(a.Answers) {
		t.Errorf("backup row = %+v, want %+v", got, a)
	}
	// A backup does not wait for the writer: it succeeds while a write
	// transaction is open.
	st, err := db.stmts(ctx, insertAssessmentSQL)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.wdb.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := insertAssessment(ctx, tx.StmtContext(ctx, st[0]), newAssessment()); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.Backup(tctx, filepath.Join(t.TempDir(), "during-write.db")); err != nil {
		t.Errorf("Backup during a write: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// A second backup to the same path must not overwrite the first.
	if err := db.Backup(ctx, backup); err == nil {
		t.Error("Backup over an existing file succeeded, want error")
	}
}

func TestBackupPostgres(t *testing.T) {
	db := openTest(t, postgresDSN(t))
	err := db.Backup(context.Background(), filepath.Join(t.TempDir(), "x.db"))
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup on PostgreSQL = %v, want an error suggesting pg_dump", err)
	}
}
