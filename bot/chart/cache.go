package chart

import (
	"fmt"
	"strings"
	"sync"

	"factbot/internal/lru"
	"factbot/knowledge"
)

// Cache keeps recent charts, keyed by what they show — the series, the
// years of their points, the language — and the knowledge version, so
// that a chart asked for again costs no rendering, and a new version of the
// knowledge never serves an old picture. It is safe for concurrent use.
type Cache struct {
	charts *lru.Cache[string, []byte]

	mu      sync.Mutex
	renders int
	// render draws a chart; Render, but tests count it.
	render func([]knowledge.Series, knowledge.Lang) ([]byte, error)
}

// NewCache returns a cache of at most n charts (at least 1).
func NewCache(n int) *Cache {
	return &Cache{charts: lru.New[string, []byte](n), render: Render}
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
	if png, ok := c.charts.Get(key); ok {
		return png, nil
	}
	c.mu.Lock()
	c.renders++
	render := c.render
	c.mu.Unlock()
	png, err := render(series, l)
	if err != nil {
		return nil, err
	}
	if drawn, ok := c.charts.Get(key); ok { // drawn meanwhile by another caller
		return drawn, nil
	}
	c.charts.Put(key, png)
	return png, nil
}

// Renders is how many charts the cache has drawn.
func (c *Cache) Renders() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.renders
}
