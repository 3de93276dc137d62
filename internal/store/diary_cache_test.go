package store

import (
	"testing"

	"unknot/internal/diary"
)

// TestDayCacheKeepsToItsBudget: past maxCachedDays days, the diaries used
// longest ago go first.
func TestDayCacheKeepsToItsBudget(t *testing.T) {
	var c dayCache
	third := make([]diary.DayCount, maxCachedDays/3)
	for _, name := range []string{"a", "b", "c"} {
		c.put(&cachedDays{key: dayKey{tokenHash: name}, days: third})
	}
	if c.get(dayKey{tokenHash: "a"}) == nil || c.size != 3*len(third) {
		t.Fatalf("three diaries within the budget: %d days held", c.size)
	}
	// "a" was used last; "b" is the oldest now.
	c.put(&cachedDays{key: dayKey{tokenHash: "d"}, days: third})
	if c.get(dayKey{tokenHash: "b"}) != nil || c.get(dayKey{tokenHash: "a"}) == nil || c.size > maxCachedDays {
		t.Errorf("kept b, or dropped a; %d days held", c.size)
	}
	// Keeping a diary again replaces it.
	c.put(&cachedDays{key: dayKey{tokenHash: "a"}, days: third[:1]})
	if got := c.get(dayKey{tokenHash: "a"}); got == nil || len(got.days) != 1 || c.size != 2*len(third)+1 || c.order.Len() != 3 {
		t.Errorf("after replacing a: %d days held", c.size)
	}
}
