package store

import (
	"context"
	"database/sql"
)

// querier is what both a pool and a transaction can run queries on.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// AddEntry saves e in the diary of the plan assessmentID, setting e.ID.
// e.At is kept in UTC to the microsecond.
