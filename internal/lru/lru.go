// Package lru is a bounded least-recently-used cache, safe for concurrent
// use. It is the one cache behind the index's search results and the bot's
// answer buttons. It imports only the standard library.
package lru

import (
	"container/list"
	"sync"
)

// Cache holds at most a fixed number of values; putting one more evicts
// the least recently used. Values are shared, not copied: callers that
// keep mutable values guard them themselves.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recent; values are *entry[K, V]
	items map[K]*list.Element
}

type entry[K comparable, V any] struct {
	key K
	val V
}

// New returns a cache of at most size values (at least one).
func New[K comparable, V any](size int) *Cache[K, V] {
	return &Cache[K, V]{max: max(size, 1), order: list.New(), items: map[K]*list.Element{}}
}

// Get returns the value under k and marks it as the most recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) { return c.lookup(k, true) }

// Peek returns the value under k without marking it used, so that the
// cache evicts in the order values were put.
func (c *Cache[K, V]) Peek(k K) (V, bool) { return c.lookup(k, false) }

func (c *Cache[K, V]) lookup(k K, touch bool) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	if touch {
		c.order.MoveToFront(e)
	}
	return e.Value.(*entry[K, V]).val, true
}

// Put stores v under k as the most recently used value, evicting the least
// recently used one when the cache is full.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		e.Value.(*entry[K, V]).val = v
		return
	}
	c.items[k] = c.order.PushFront(&entry[K, V]{k, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*entry[K, V]).key)
	}
}

// Len returns how many values the cache holds.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
