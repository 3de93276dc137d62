package store

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var migrations embed.FS

// migrate applies the migrations for db's dialect that have not run yet,
// logging each one it applies.
func (db *DB) migrate(ctx context.Context) error {
	p, err := db.migrations(ctx)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for _, r := range results {
		slog.InfoContext(ctx, "database migrated",
			"dialect", db.dialect,
			"version", r.Source.Version,
			"migration", r.Source.Path,
			"duration", r.Duration)
	}
	return nil
}

// migrations returns the goose provider of db's dialect's migrations.
func (db *DB) migrations(ctx context.Context) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations/"+db.dialect)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	opts := []goose.ProviderOption{
		goose.WithLogger(goose.NopLogger()),
		goose.WithDisableGlobalRegistry(true),
		// Capabilities number their migrations in ranges of their own, so a
		// database made by an older build may lack a lower number.
		goose.WithAllowOutofOrder(true),
	}
	dialect := goose.DialectSQLite3
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		// Serialize migrations across processes. The lock is per database
		// and schema, so separate schemas (such as test runs) don't wait
		// for each other.
		var scope string
		if err := db.wdb.QueryRowContext(ctx,
			`SELECT current_database() || '.' || coalesce(current_schema(), '')`).Scan(&scope); err != nil {
			return nil, fmt.Errorf("store: migrations: %w", err)
		}
		h := fnv.New64a()
		h.Write([]byte("unknot.migrate." + scope))
		locker, err := lock.NewPostgresSessionLocker(
			lock.WithLockID(int64(h.Sum64()>>1)),
			lock.WithLockTimeout(1, 120),
		)
		if err != nil {
			return nil, fmt.Errorf("store: migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	// On SQLite this runs on the single writer connection, so the
	// migrations' transactions begin IMMEDIATE like every other write.
	p, err := goose.NewProvider(dialect, db.wdb, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	return p, nil
}
