package bot

import (
	"context"
	"sync"
	"time"

	"factbot/knowledge"
)

// The bot keeps three kinds of state behind small interfaces, so that a
// durable store can replace the in-memory ones without touching the
// conversation code.

// Prefs keeps each chat's reply language.
type Prefs interface {
	// Lang returns the chat's language, or "" to answer in the language of
	// each question.
	Lang(ctx context.Context, chat int64) (knowledge.Lang, error)
	// SetLang sets it; "" goes back to detecting.
	SetLang(ctx context.Context, chat int64, l knowledge.Lang) error
}

// Chats records which chats the bot can no longer write to and follows a
// group that became a supergroup.
type Chats interface {
	// SetActive marks a chat active (the bot may write) or inactive, with
	// why: "blocked", "kicked", "left".
	SetActive(ctx context.Context, chat int64, active bool, reason string) error
	// Migrate moves a chat's records from the old group id to the
	// supergroup's.
	Migrate(ctx context.Context, from, to int64) error
}

// Feedback is one 👍 or 👎 on an answer.
type Feedback struct {
	At       time.Time
	Chat     int64
	User     int64
	Question string
	Lang     knowledge.Lang
	HitID    string // the best hit's id; "" when the bot did not know
	Useful   bool
}

// FeedbackSink records feedback for curators.
type FeedbackSink interface {
	Record(ctx context.Context, f Feedback) error
}

// MemoryPrefs is Prefs in memory.
type MemoryPrefs struct {
	mu sync.Mutex
	m  map[int64]knowledge.Lang
}

// Lang implements Prefs.
func (p *MemoryPrefs) Lang(_ context.Context, chat int64) (knowledge.Lang, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[chat], nil
}

// SetLang implements Prefs.
func (p *MemoryPrefs) SetLang(_ context.Context, chat int64, l knowledge.Lang) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[int64]knowledge.Lang{}
	}
	if l == "" {
		delete(p.m, chat)
	} else {
		p.m[chat] = l
	}
	return nil
}

// MemoryChats is Chats in memory. It holds only inactive chats and
// migrations, so it stays as small as they are.
type MemoryChats struct {
	mu       sync.Mutex
	inactive map[int64]string
	moved    map[int64]int64
}

// SetActive implements Chats.
func (c *MemoryChats) SetActive(_ context.Context, chat int64, active bool, reason string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if active {
		delete(c.inactive, chat)
		return nil
	}
	if c.inactive == nil {
		c.inactive = map[int64]string{}
	}
	c.inactive[chat] = reason
	return nil
}

// Migrate implements Chats.
func (c *MemoryChats) Migrate(_ context.Context, from, to int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.moved == nil {
		c.moved = map[int64]int64{}
	}
	c.moved[from] = to
	if r, ok := c.inactive[from]; ok {
		delete(c.inactive, from)
		c.inactive[to] = r
	}
	return nil
}

// Inactive reports whether chat is marked inactive, and why.
func (c *MemoryChats) Inactive(chat int64) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.inactive[chat]
	return r, ok
}

// MovedTo returns the supergroup a group moved to, or 0.
func (c *MemoryChats) MovedTo(chat int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.moved[chat]
}

// MemoryFeedback is a FeedbackSink that keeps the latest Max entries (1000
// when zero).
type MemoryFeedback struct {
	Max int

	mu  sync.Mutex
	all []Feedback
}

// Record implements FeedbackSink.
func (m *MemoryFeedback) Record(_ context.Context, f Feedback) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	max := m.Max
	if max <= 0 {
		max = 1000
	}
	if len(m.all) >= max {
		m.all = append(m.all[:0], m.all[len(m.all)-max+1:]...)
	}
	m.all = append(m.all, f)
	return nil
}

// All returns the recorded feedback, oldest first.
func (m *MemoryFeedback) All() []Feedback {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Feedback(nil), m.all...)
}
