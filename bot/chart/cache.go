package chart

import (
	"container/list"
	"fmt"
	"strings"
	"sync"

	"factbot/knowledge"
)

// Cache keeps recent charts, keyed by what they show — the series, the
// years of their points, the language — and the knowledge version, so
// that a chart asked for again costs no rendering, and a new version of the
// knowledge never serves an old picture. It is safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	max     int
	order   *list.List // front: most recent; values are *cached
	items   map[string]*list.Element
	renders int
	// render draws a chart; Render, but tests count it.
	render func([]knowledge.Series, knowledge.Lang) ([]byte, error)
}

type cached struct {
	key string
	png []byte
}

// NewCache returns a cache of at most n charts (at least 1).
func NewCache(n int) *Cache {
	return &Cache{max: max(1, n), order: list.New(), items: map[string]*list.Element{}, render: Render}
}

// Key is the cache key of a chart: the knowledge version (Base.Hash), the
// language and, per series, its key and the years of its points.
func Key(version string, series []knowledge.Series, l knowledge.Lang) string {
	var b strings.Builder
	b.WriteString(version + "|" + string(l))
	for _, s := range series {
		b.WriteString("|" + s.Key() + ":")
		for i, p := range s.Points {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprint(&b, p.Year)
		}
	}
	return b.String()
}

// Chart returns the chart of series in l for the knowledge of the given
// version, drawing it only when the cache does not hold it. The bytes are
// shared: callers must not modify them.
func (c *Cache) Chart(version string, series []knowledge.Series, l knowledge.Lang) ([]byte, error) {
	key := Key(version, series, l)
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*cached).png, nil
	}
	c.renders++
	render := c.render
	c.mu.Unlock()
	png, err := render(series, l)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok { // drawn meanwhile by another caller
		c.order.MoveToFront(e)
		return e.Value.(*cached).png, nil
	}
	c.items[key] = c.order.PushFront(&cached{key, png})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cached).key)
	}
	return png, nil
}

// Renders is how many charts the cache has drawn.
func (c *Cache) Renders() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.renders
}
