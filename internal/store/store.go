package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrNotFound is returned when the row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a unique constraint,
// such as saving a second assessment under the same token hash.
var ErrConflict = errors.New("conflict")

// Dialect names, as returned by [DB.Dialect].
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	dialect string
	rdb     *sql.DB                        // reads; on PostgreSQL the same pool as wdb
	wdb     *sql.DB                        // writes; on SQLite exactly one connection
	uri     string                         // SQLite: the file's URI, without parameters
	queries sync.Map                       // prepared statements, by query; see DB.stmts and DB.readStmt
	queue   writeQueue                     // writes waiting to share a transaction (group.go)
	clinic  atomic.Pointer[clinicSnapshot] // the clinic as last read; see clinicAt
	days    dayCache                       // the days of diaries last read; see summarize
	// turn lets SQLite's writers through one at a time, first come first
	// served: blocked senders on a channel queue in order, while
	// database/sql hands a freed connection to a waiter at random, which
	// made a few writers wait for dozens of others when many queue.
	turn chan struct{}
}

// Open opens the database named by dsn and brings its schema up to date.
// A dsn starting with postgres:// or postgresql:// is a PostgreSQL
// connection string; anything else is the path of a SQLite file, created
// (with its directory) when missing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	if isPostgres(dsn) {
		db, err = openPostgres(ctx, dsn)
	} else {
		db, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Migrate brings the schema of the database named by dsn up to date, as
// Open does, and closes it again. It is what `unknot migrate` runs.
func Migrate(ctx context.Context, dsn string) error {
	db, err := Open(ctx, dsn)
	if err != nil {
		return err
	}
	return db.Close()
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// ConnectTimeout bounds each attempt to connect to PostgreSQL, the
// start-up handshake included, unless the DSN sets connect_timeout: a
// server that accepts connections and never answers would otherwise hold
// `unknot serve`'s start, a CLI command or a request's new connection
// until the kernel gives up on the socket, minutes later.
const ConnectTimeout = 5 * time.Second

// withConnectTimeout returns dsn with connect_timeout set to
// ConnectTimeout when it has none. A DSN that is not a URL is left for
// the driver to refuse, with an error that hides its password.
func withConnectTimeout(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Has("connect_timeout") {
		return dsn
	}
	q.Set("connect_timeout", strconv.Itoa(int(ConnectTimeout/time.Second)))
	u.RawQuery = q.Encode()
	return u.String()
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", withConnectTimeout(dsn))
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	conns := pgConns()
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	db := &DB{dialect: Postgres, rdb: pool, wdb: pool}
	db.queue.writers = pgWriters(conns)
	return db, nil
}

// pgConns is the size of the PostgreSQL pool: two connections per core, at
// least 4. A request holds a connection only while its queries run, so more
// connections than the cores can keep busy only add switching on the
// server; fewer leave a core idle while a connection waits on a round trip.
func pgConns() int { return max(4, 2*runtime.NumCPU()) }

// pgWriters is how many grouped write transactions run at once on
// PostgreSQL (see writeQueue): half the pool, so that reads and the
// writes that are not grouped always find a connection.
func pgWriters(conns int) int { return max(1, conns/2) }

// sqliteParams are the connection settings both SQLite pools share: wait up
// to 10 s for a lock, enforce foreign keys, and store times in SQLite's own
// format. WAL is a property of the file, set once by the writer.
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_time_format=sqlite"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("store: %q is not a SQLite file path (in-memory and URI forms are not supported: the read and write pools must share one file)", path)
	}
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: create directory for database: %w", err)
	}
	// The database holds health answers: create it readable by its owner
	// only. SQLite gives the -wal and -shm files the same permissions.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("store: create database: %w", err)
	}

	uri := "file:" + escapeURIPath(path)
	wdb, err := sql.Open("sqlite", uri+"?"+sqliteParams+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	// Connect the writer first so that the file is in WAL mode before any
	// reader opens it.
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	rdb, err := sql.Open("sqlite", uri+"?"+sqliteParams+"&_query_only=1")
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	rdb.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: SQLite, rdb: rdb, wdb: wdb, uri: uri, turn: make(chan struct{}, 1)}, nil
}

// escapeURIPath escapes the characters that would end or change the path
// part of a SQLite URI filename.
func escapeURIPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(p))
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.wdb.Close()
	if db.rdb != db.wdb {
		err = errors.Join(err, db.rdb.Close())
	}
	return err
}

// Dialect reports which database this is: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// onPostgres returns clause on PostgreSQL and "" on SQLite: for the row
// locks (FOR UPDATE …) that PostgreSQL's concurrent writers need and
// SQLite, with its one writer, has no syntax for.
func (db *DB) onPostgres(clause string) string {
	if db.dialect == Postgres {
		return clause
	}
	return ""
}

// Ping checks that the database answers, for health checks.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.wdb.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	if db.rdb != db.wdb {
		if err := db.rdb.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping: %w", err)
		}
	}
	return nil
}

// Backup writes a consistent copy of a SQLite database to path, which must
// not exist yet, while reads and writes carry on. For PostgreSQL it returns
// an error: use pg_dump there.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return errors.New("store: backup copies SQLite files only; back up PostgreSQL with pg_dump")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	// VACUUM INTO accepts an empty file; creating it here makes "already
	// exists" a clear error and keeps the copy private to its owner.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	// VACUUM INTO writes a new file, which the readers' query_only
	// forbids, and on the writer it would hold up every write until done.
	// A connection of its own needs only a read transaction on the
	// database, so in WAL mode writers carry on meanwhile.
	conn, err := sql.Open("sqlite", db.uri+"?"+sqliteParams)
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

// write runs fn in a transaction on the write pool, committing when fn
// returns nil and rolling back otherwise. On SQLite, writers take turns in
// the order they came (see DB.turn).
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if db.turn != nil {
		select {
		case db.turn <- struct{}{}:
			defer func() { <-db.turn }()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	tx, err := db.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return parentGone(err)
	}
	return parentGone(tx.Commit())
}

// parentGone turns a foreign-key violation into ErrNotFound, keeping the
// database's words: a write that refers to a plan, subscriber or booking
// deleted a moment before (by a request that raced it) finds it gone, as
// it would had it come a moment later, instead of failing as a fault.
func parentGone(err error) error {
	var serr *sqlite.Error
	var perr *pgconn.PgError
	if errors.As(err, &serr) && serr.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY ||
		errors.As(err, &perr) && perr.Code == "23503" { // foreign_key_violation
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// stmts returns queries prepared on the write pool, each prepared the
// first time it is asked for. Call it before a transaction (on SQLite the
// writer has one connection, which the transaction holds); within it, run
// a statement through tx.StmtContext, which reuses it on the
// transaction's connection instead of parsing the SQL again. Parsing was a
// quarter of the CPU a sign-up took.
func (db *DB) stmts(ctx context.Context, queries ...string) ([]*sql.Stmt, error) {
	out := make([]*sql.Stmt, len(queries))
	for i, q := range queries {
		if st, ok := db.queries.Load(q); ok {
			out[i] = st.(*sql.Stmt)
			continue
		}
		st, err := db.wdb.PrepareContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("store: prepare: %w", err)
		}
		if prev, loaded := db.queries.LoadOrStore(q, st); loaded {
			st.Close()
			st = prev.(*sql.Stmt)
		}
		out[i] = st
	}
	return out, nil
}

// txExec runs query in tx through the statement DB.stmts prepared for it,
// if it did, so that SQLite does not parse it again; otherwise as it is.
// PostgreSQL's driver keeps its own prepared statements.
func (db *DB) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st, ok := db.queries.Load(query); ok && db.dialect == SQLite {
		return tx.StmtContext(ctx, st.(*sql.Stmt)).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// txQueryRow is txExec for a query that returns at most one row.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st, ok := db.queries.Load(query); ok && db.dialect == SQLite {
		return tx.StmtContext(ctx, st.(*sql.Stmt)).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// readStmt returns query prepared on the read pool, prepared the first
// time it is asked for, for the reads every booking request makes: SQLite
// would parse them anew each time, a tenth of such a request's CPU.
// database/sql prepares it again on each connection it runs on.
func (db *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := db.queries.Load(readQuery(query)); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.rdb.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	if prev, loaded := db.queries.LoadOrStore(readQuery(query), st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return st, nil
}

// readQuery is a query prepared on the read pool, as a key of DB.queries,
// apart from the same query prepared on the write pool.
type readQuery string

// queryRow runs a query expected to return at most one row on the read pool.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.rdb.QueryRowContext(ctx, query, args...)
}

// query runs a query on the read pool.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.rdb.QueryContext(ctx, query, args...)
}

// conflict reports whether err is a unique-constraint violation, on either
// database.
func conflict(err error) bool {
	var serr *sqlite.Error
	if errors.As(err, &serr) {
		return serr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE ||
			serr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var perr *pgconn.PgError
	if errors.As(err, &perr) {
		return perr.Code == "23505" // unique_violation
	}
	return false
}
