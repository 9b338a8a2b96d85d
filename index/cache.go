package index

import (
	"container/list"
	"sync"

	"factbot/knowledge"
)

// CacheSize is how many recent answers a Live holder keeps. People ask the
// same questions again and again ("trade 2023"), and an answer can only
// change with the knowledge, so a swap empties the cache.
const CacheSize = 4096

// resultCache is a bounded least-recently-used cache of search results for
// one index. Results are shared: callers must not modify them.
type resultCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recent; values are *cacheEntry
	items map[knowledge.Query]*list.Element
}

type cacheEntry struct {
	key knowledge.Query
	res knowledge.Result
}

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, order: list.New(), items: map[knowledge.Query]*list.Element{}}
}

func (c *resultCache) get(q knowledge.Query) (knowledge.Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[q]
	if !ok {
		return knowledge.Result{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).res, true
}

func (c *resultCache) put(q knowledge.Query, res knowledge.Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[q]; ok {
		c.order.MoveToFront(e)
		e.Value.(*cacheEntry).res = res
		return
	}
	c.items[q] = c.order.PushFront(&cacheEntry{q, res})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}
