package store

import (
	"net/url"
	"path/filepath"
)

// Describe names the database dsn points at, for a person to read: a
// PostgreSQL URL with its password replaced by "xxxxx", or the SQLite
// file's absolute path.
func Describe(dsn string) string {
	if isPostgres(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return "a PostgreSQL URL that cannot be read"
		}
		return u.Redacted()
	}
	if abs, err := filepath.Abs(dsn); err == nil {
		return abs
	}
	return dsn
}
