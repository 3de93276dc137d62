package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Assessment is a saved self-check: the answers given and the result they
// led to, reachable only through a private link whose token's hash is
// TokenHash. It holds no name, email or other personal data.
type Assessment struct {
	ID        int64
	TokenHash []byte
	Answers   json.RawMessage
	Result    json.RawMessage
	Urgency   string
	CreatedAt time.Time
}

// CreateAssessment saves a, setting its ID and CreatedAt (UTC). It returns
// an error wrapping ErrConflict when the token hash is already taken. Saves
// arriving together share a transaction (writeGrouped).
//
// a.Answers and a.Result are stored as given: they must be JSON that the
// caller encoded with encoding/json. The store does not parse them again;
// checking the 10 KB of a result the server had just encoded took an eighth
// of the API's CPU per self-check.
func (db *DB) CreateAssessment(ctx context.Context, a *Assessment) error {
	if err := checkAssessment(a); err != nil {
		return err
	}
	st, err := db.stmts(ctx, insertAssessmentSQL)
	if err != nil {
		return err
	}
	return db.writeGrouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return insertAssessment(ctx, tx.StmtContext(ctx, st[0]), a)
	})
}

// checkAssessment refuses an assessment that must not be stored: one
// without a token hash, answers or result.
func checkAssessment(a *Assessment) error {
	switch {
	case len(a.TokenHash) == 0:
		return errors.New("store: create assessment: empty token hash")
	case len(a.Answers) == 0:
		return errors.New("store: create assessment: no answers")
	case len(a.Result) == 0:
		return errors.New("store: create assessment: no result")
	}
	return nil
}

const insertAssessmentSQL = `
	INSERT INTO assessments (token_hash, answers, result, urgency, created_at)
	VALUES ($1, $2, $3, $4, $5)
	RETURNING id`

// insertAssessment inserts a checked assessment with st, insertAssessmentSQL
// prepared in the transaction.
func insertAssessment(ctx context.Context, st *sql.Stmt, a *Assessment) error {
	// PostgreSQL keeps microseconds; truncating here makes the time a
	// caller holds equal to the one read back, on both databases.
	created := time.Now().UTC().Truncate(time.Microsecond)
	err := st.QueryRowContext(ctx, a.TokenHash, string(a.Answers), string(a.Result), a.Urgency, created).Scan(&a.ID)
	if conflict(err) {
		return fmt.Errorf("store: create assessment: token hash already used: %w", ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("store: create assessment: %w", err)
	}
	a.CreatedAt = created
	return nil
}

// AssessmentByToken returns the assessment saved under tokenHash, or
// ErrNotFound.
func (db *DB) AssessmentByToken(ctx context.Context, tokenHash []byte) (*Assessment, error) {
	return assessmentByToken(ctx, db.rdb, tokenHash)
}

// assessmentByToken is AssessmentByToken on q, a pool or a transaction.
func assessmentByToken(ctx context.Context, q querier, tokenHash []byte) (*Assessment, error) {
	return assessmentWhere(ctx, q, "token_hash = $1", tokenHash)
}

// assessmentWhere returns the assessment that matches where (a condition
// on assessments with the arguments args), or ErrNotFound.
func assessmentWhere(ctx context.Context, q querier, where string, args ...any) (*Assessment, error) {
	var (
		a               Assessment
		answers, result string
	)
	err := q.QueryRowContext(ctx, `
		SELECT id, token_hash, answers, result, urgency, created_at
		FROM assessments
		WHERE `+where, args...,
	).Scan(&a.ID, &a.TokenHash, &answers, &result, &a.Urgency, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: assessment: %w", err)
	}
	a.Answers = json.RawMessage(answers)
	a.Result = json.RawMessage(result)
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, nil
}

// DeleteAssessment deletes the assessment saved under tokenHash, or
// returns ErrNotFound when there is none.
func (db *DB) DeleteAssessment(ctx context.Context, tokenHash []byte) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM assessments WHERE token_hash = $1`, tokenHash)
		if err != nil {
			return fmt.Errorf("store: delete assessment: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: delete assessment: %w", err)
		}
		if n == 0 {
			return ErrNotFound
		}
		return nil
	})
}
