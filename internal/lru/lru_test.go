package lru

import (
	"strconv"
	"sync"
	"testing"
)

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	if v, ok := c.Get("a"); !ok || v != 1 { // a is now the most recent
		t.Fatalf("Get(a) = %d, %v", v, ok)
	}
	c.Put("c", 3) // evicts b
	if _, ok := c.Get("b"); ok {
		t.Error("b survived though it was the least recently used")
	}
	for k, want := range map[string]int{"a": 1, "c": 3} {
		if v, ok := c.Get(k); !ok || v != want {
			t.Errorf("Get(%s) = %d, %v; want %d", k, v, ok, want)
		}
	}
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
}

func TestPeekKeepsOrder(t *testing.T) {
	c := New[string, int](2)
	c.Put("a", 1)
	c.Put("b", 2)
	if v, ok := c.Peek("a"); !ok || v != 1 {
		t.Fatalf("Peek(a) = %d, %v", v, ok)
	}
	c.Put("c", 3) // a was only peeked at: it is still the oldest
	if _, ok := c.Peek("a"); ok {
		t.Error("Peek marked a as used")
	}
}

func TestPutReplaces(t *testing.T) {
	c := New[int, string](3)
	c.Put(1, "x")
	c.Put(1, "y")
	if v, _ := c.Get(1); v != "y" || c.Len() != 1 {
		t.Errorf("after two puts of one key: %q, Len %d", v, c.Len())
	}
}

func TestConcurrent(t *testing.T) {
	c := New[string, int](16)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				k := strconv.Itoa(i % 40)
				c.Put(k, i)
				c.Get(k)
			}
		}()
	}
	wg.Wait()
	if c.Len() > 16 {
		t.Errorf("Len = %d over the bound 16", c.Len())
	}
}
