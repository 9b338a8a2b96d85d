package index

import (
	"context"
	"errors"
	"sync"

	"factbot/knowledge"
)

// ErrNoIndex is returned by a Live holder that has no index yet.
var ErrNoIndex = errors.New("no index loaded")

// Live is the index the bot serves from. Swap replaces it atomically: a
// search runs entirely on the index it started with, and Swap returns only
// once no search uses the old index any more, so the caller may close it.
type Live struct {
	mu    sync.RWMutex
	cur   *Index
	cache *resultCache // answers of cur; a swap replaces it
}

// NewLive returns a holder serving ix, which may be nil until the first Swap.
func NewLive(ix *Index) *Live { return &Live{cur: ix, cache: newResultCache(CacheSize)} }

// Search runs q on the current index, or returns the answer it gave to the
// same query before. The result is shared: do not modify it.
func (l *Live) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return knowledge.Result{}, ErrNoIndex
	}
	if res, ok := l.cache.Get(q); ok {
		return res, nil
	}
	res, err := l.cur.Search(ctx, q)
	if err == nil {
		l.cache.Put(q, res)
	}
	return res, err
}

// Base returns the knowledge base of the current index, or nil.
func (l *Live) Base() *knowledge.Base {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return nil
	}
	return l.cur.base
}

// Current returns the current index, or nil. The caller must not close it.
func (l *Live) Current() *Index {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur
}

// Swap makes next the current index and returns the previous one, which no
// search uses any more once Swap returns.
func (l *Live) Swap(next *Index) (prev *Index) {
	l.mu.Lock()
	defer l.mu.Unlock()
	prev, l.cur = l.cur, next
	l.cache = newResultCache(CacheSize)
	return prev
}

// Close closes the current index and leaves the holder empty.
func (l *Live) Close() error {
	if prev := l.Swap(nil); prev != nil {
		return prev.Close()
	}
	return nil
}
