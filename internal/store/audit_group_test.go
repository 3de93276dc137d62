package store

import (
	"context"
	"sync"
	"testing"
)

// Views recorded at the same moment share commits, and each RecordView
// returns only once its own row is in the log: a view's data is never
// shown before its record. Every row is written once.
func TestRecordViewsTogether(t *testing.T) {
	eachDB(t, func(t *testing.T, dsn string) {
		db := openTest(t, dsn)
		ctx := context.Background()
		const views = 40
		var wg sync.WaitGroup
		ids := make(chan int64, views)
		for i := range views {
			wg.Go(func() {
				e := AuditEntry{At: now, AccountID: int64(i + 1), AccountEmail: "ana@clinic.example", TherapistName: "Ana",
					ShareID: 7, AssessmentID: 7, Action: AuditClientView, ClientIP: "192.0.2.1"}
				if err := db.RecordView(ctx, &e); err != nil {
					t.Error(err)
					return
				}
				var account int64
				if err := db.rdb.QueryRowContext(ctx, `SELECT account_id FROM audit_log WHERE id = $1`, e.ID).Scan(&account); err != nil || account != int64(i+1) {
					t.Errorf("view %d: its row %d read back as account %d, %v", i, e.ID, account, err)
				}
				ids <- e.ID
			})
		}
		wg.Wait()
		close(ids)
		seen := map[int64]bool{}
		for id := range ids {
			if seen[id] {
				t.Errorf("two views got row %d", id)
			}
			seen[id] = true
		}
		rows, _, err := db.AuditLog(ctx, AuditFilter{Limit: 1000})
		if err != nil || len(rows) != views || len(seen) != views {
			t.Errorf("%d rows in the log, %d ids returned, %v; want %d", len(rows), len(seen), err, views)
		}
	})
}
