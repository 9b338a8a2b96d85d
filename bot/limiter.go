package bot

import (
	"container/list"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiterSet holds one token bucket per key (a chat or a user), bounded in
// memory: a bucket idle long enough to be full again is forgotten, since a
// new one behaves the same, and past max keys the least recently used goes.
type limiterSet struct {
	limit rate.Limit
	burst int
	max   int
	idle  time.Duration // after this a bucket is full again

	mu  sync.Mutex
	m   map[int64]*list.Element
	lru *list.List // of *bucket, most recent first
}

type bucket struct {
	key     int64
	lim     *rate.Limiter
	last    time.Time
	until   time.Time // no sending before this (a 429's retry_after)
	noticed bool      // the user was told they are refused
}

func newLimiterSet(limit rate.Limit, burst, max int) *limiterSet {
	if burst < 1 {
		burst = 1
	}
	idle := time.Minute
	if limit != rate.Inf && limit > 0 {
		idle = time.Duration(float64(burst)/float64(limit)*float64(time.Second)) + time.Second
	}
	return &limiterSet{limit: limit, burst: burst, max: max, idle: idle, m: map[int64]*list.Element{}, lru: list.New()}
}

// unlimited reports whether the set never makes anyone wait.
func (s *limiterSet) unlimited() bool { return s.limit == rate.Inf }

// get returns key's bucket, creating it; the caller holds s.mu.
func (s *limiterSet) get(key int64, now time.Time) *bucket {
	if e, ok := s.m[key]; ok {
		b := e.Value.(*bucket)
		b.last = now
		s.lru.MoveToFront(e)
		return b
	}
	for e := s.lru.Back(); e != nil; e = s.lru.Back() {
		b := e.Value.(*bucket)
		if s.lru.Len() < s.max && (now.Sub(b.last) < s.idle || now.Before(b.until)) {
			break
		}
		s.lru.Remove(e)
		delete(s.m, b.key)
	}
	b := &bucket{key: key, lim: rate.NewLimiter(s.limit, s.burst), last: now}
	s.m[key] = s.lru.PushFront(b)
	return b
}

// len returns how many buckets are held.
func (s *limiterSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lru.Len()
}

// wait blocks until key may send: past any pause, then a token.
func (s *limiterSet) wait(ctx context.Context, key int64) error {
	if s.unlimited() {
		return nil
	}
	s.mu.Lock()
	b := s.get(key, time.Now())
	until, lim := b.until, b.lim
	s.mu.Unlock()
	if d := time.Until(until); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
	return lim.Wait(ctx)
}

// pause stops key from sending until t.
func (s *limiterSet) pause(key int64, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.get(key, time.Now())
	if t.After(b.until) {
		b.until = t
	}
}

// allow takes a token for key if one is there. notice is true when the key
// is refused for the first time since it was last allowed.
func (s *limiterSet) allow(key int64) (ok, notice bool) {
	if s.unlimited() {
		return true, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.get(key, time.Now())
	if b.lim.Allow() {
		b.noticed = false
		return true, false
	}
	notice = !b.noticed
	b.noticed = true
	return false, notice
}
