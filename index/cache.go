package index

import (
	"factbot/internal/lru"
	"factbot/knowledge"
)

// CacheSize is how many recent answers a Live holder keeps. People ask the
// same questions again and again ("trade 2023"), and an answer can only
// change with the knowledge, so a swap empties the cache.
const CacheSize = 4096

// resultCache is a bounded least-recently-used cache of search results for
// one index. Results are shared: callers must not modify them.
type resultCache = lru.Cache[knowledge.Query, knowledge.Result]

func newResultCache(size int) *resultCache { return lru.New[knowledge.Query, knowledge.Result](size) }
