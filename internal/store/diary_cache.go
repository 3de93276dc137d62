package store

import (
	"container/list"
	"sync"
	"time"

	"unknot/internal/diary"
)

// maxCachedDays bounds the diary days kept in memory (about 40 bytes
// each): 250,000 days are 10 MB, some 130 five-year diaries.
const maxCachedDays = 250_000

// dayCache keeps the days of recently read diaries, counted in a time
// zone, with the number of entries and the highest entry id they were
// counted from. Entries are only ever added (or deleted with their plan),
// so a count and highest id that still match the database mean the days
// are current, and entries with a higher id are all that can be new: a
// diary read again costs a count instead of a pass over every entry
// (summarize). SQL summing a diary visits each entry for about a
// microsecond, 5,000 entries a page view, which is what this spares.
// Several instances may share a database: each checks the count against
// it. Its days are shared and must not be changed. The zero value is
// empty.
type dayCache struct {
	mu    sync.Mutex
	size  int       // days held
	order list.List // of *cachedDays, the latest used first
	items map[dayKey]*list.Element
	// gone holds the token hashes of plans deleted in the last
	// forgetFor, with when: a read that began before the deletion must
	// not put its days back after forget.
	gone map[string]time.Time
}

// forgetFor is how long a deleted plan's days are refused: longer than
// any read transaction lasts (the database deadline is at most 20 s).
const forgetFor = time.Minute

// dayKey names a diary, by its plan's token hash (an id may be used
// again after a plan is deleted; a token is not), counted in a time zone.
type dayKey struct {
	tokenHash string
	zone      string
}

// cachedDays are the days of a diary counted from count entries whose
// highest id is maxID.
type cachedDays struct {
	key   dayKey
	count int
	maxID int64
	days  []diary.DayCount
}

// get returns the days kept for k, or nil.
func (c *dayCache) get(k dayKey) *cachedDays {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[k]
	if !ok {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*cachedDays)
}

// put keeps d in place of what was kept for its key, dropping the diaries
// used longest ago while more than maxCachedDays days are held.
func (c *dayCache) put(d *cachedDays) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, deleted := c.gone[d.key.tokenHash]; deleted {
		return
	}
	if c.items == nil {
		c.items = make(map[dayKey]*list.Element)
	}
	if el, ok := c.items[d.key]; ok {
		c.size -= len(el.Value.(*cachedDays).days)
		c.order.Remove(el)
	}
	c.items[d.key] = c.order.PushFront(d)
	c.size += len(d.days)
	for c.size > maxCachedDays && c.order.Len() > 1 {
		old := c.order.Remove(c.order.Back()).(*cachedDays)
		delete(c.items, old.key)
		c.size -= len(old.days)
	}
}

// forget drops the days kept for the plan saved under tokenHash, in every
// zone, and refuses them for forgetFor: a deleted plan leaves nothing of
// its diary behind in memory, even from a read that raced the deletion.
func (c *dayCache) forget(tokenHash []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.gone == nil {
		c.gone = make(map[string]time.Time)
	}
	for h, at := range c.gone {
		if now.Sub(at) > forgetFor {
			delete(c.gone, h)
		}
	}
	c.gone[string(tokenHash)] = now
	for k, el := range c.items {
		if k.tokenHash == string(tokenHash) {
			c.size -= len(el.Value.(*cachedDays).days)
			c.order.Remove(el)
			delete(c.items, k)
		}
	}
}
