package bot

import (
	"sort"
	"sync"
	"time"

	"factbot/bot/record"
	"factbot/bot/reply"
	"factbot/knowledge"
)

// The bot keeps its state behind small interfaces, so that a durable store
// (bot/boltstore) replaces the in-memory ones without touching the
// conversation code. The values kept are bot/record's. Storage is local
// and quick, so the methods take no context.

// Prefs keeps each chat's reply language.
type Prefs interface {
	// Lang returns the chat's language, or "" to answer in the language of
	// each question.
	Lang(chat int64) (knowledge.Lang, error)
	// SetLang sets it; "" goes back to detecting.
	SetLang(chat int64, l knowledge.Lang) error
}

// Chats records which chats the bot can no longer write to and follows a
// group that became a supergroup.
type Chats interface {
	// SetActive marks a chat active (the bot may write) or inactive, with
	// why: "blocked", "kicked", "left".
	SetActive(chat int64, active bool, reason string) error
	// Migrate moves a chat's records from the old group id to the
	// supergroup's.
	Migrate(from, to int64) error
}

// Registry is the chat registry: every chat the bot is in, and whether a
// group wants announcements.
type Registry interface {
	// Seen records that the bot heard from chat: it is active, of type
	// typ, titled title.
	Seen(chat int64, typ, title string) error
	SetAnnouncements(chat int64, on bool) error
	Chat(chat int64) (record.Chat, bool)
	// Groups returns every group known, active or not, by id.
	Groups() []record.Chat
	// AnnouncementTargets returns the groups active and not opted out.
	AnnouncementTargets() []int64
}

// Ledger keeps announcements and their delivery ledgers (record.DeliveryState
// says what a crash may and may not do to them).
type Ledger interface {
	// CreateAnnouncement stores a new announcement; a scheduled one (with
	// a Key) is created once: for a key already used it returns the
	// existing one and created false.
	CreateAnnouncement(a record.Announcement) (out record.Announcement, created bool, err error)
	Announcement(id uint64) (record.Announcement, error)
	// Announcements returns every announcement, oldest first.
	Announcements() ([]record.Announcement, error)
	// UpdateAnnouncement changes an announcement with fn, atomically.
	UpdateAnnouncement(id uint64, fn func(a *record.Announcement) error) (record.Announcement, error)
	// StartAnnouncement writes one pending delivery per target and marks
	// the announcement sending, atomically, before anything is sent.
	StartAnnouncement(id uint64, targets []int64) (record.Announcement, error)
	// SetDelivery writes one ledger entry durably.
	SetDelivery(id uint64, d record.Delivery) error
	// Deliveries returns an announcement's ledger, by chat id.
	Deliveries(id uint64) ([]record.Delivery, error)
}

// Gaps counts the questions that got no answer, for /gaps.
type Gaps interface {
	RecordGap(question string, lang knowledge.Lang) error
	Gaps() ([]record.Gap, error)
}

// FeedbackSink records feedback for curators.
type FeedbackSink interface {
	Record(f record.Feedback) error
}

// FeedbackLog is a FeedbackSink that reads back what it recorded, for
// /gaps.
type FeedbackLog interface {
	FeedbackSink
	Feedback() ([]record.Feedback, error)
}

// HandledLog remembers the updates handled and not yet confirmed to
// Telegram, so that a restart does not answer them twice (see
// bot/boltstore's handled.go).
type HandledLog interface {
	MarkHandled(id int) error
	Handled(ids []int) (map[int]bool, error)
	SetConfirmed(offset int) error
}

// MemoryPrefs is Prefs in memory.
type MemoryPrefs struct {
	mu sync.Mutex
	m  map[int64]knowledge.Lang
}

// Lang implements Prefs.
func (p *MemoryPrefs) Lang(chat int64) (knowledge.Lang, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[chat], nil
}

// SetLang implements Prefs.
func (p *MemoryPrefs) SetLang(chat int64, l knowledge.Lang) error {
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
func (c *MemoryChats) SetActive(chat int64, active bool, reason string) error {
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
func (c *MemoryChats) Migrate(from, to int64) error {
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

// MemoryFeedback is a FeedbackLog that keeps the latest Max entries (1000
// when zero).
type MemoryFeedback struct {
	Max int

	mu  sync.Mutex
	all []record.Feedback
}

// Record implements FeedbackSink.
func (m *MemoryFeedback) Record(f record.Feedback) error {
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
func (m *MemoryFeedback) All() []record.Feedback {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]record.Feedback(nil), m.all...)
}

// Feedback implements FeedbackLog.
func (m *MemoryFeedback) Feedback() ([]record.Feedback, error) { return m.All(), nil }

// Memory is the bot's whole state in memory: registry, preferences, chats,
// ledger, gaps and feedback in one place, as bot/boltstore keeps them in
// one file. A Bot uses one for whatever its Config leaves nil; it is lost
// when the process ends. It keeps no handled updates (nothing restarts on
// it).
type Memory struct {
	MemoryFeedback

	mu      sync.Mutex
	chats   map[int64]*record.Chat
	anns    []record.Announcement // by id - 1
	ledgers map[uint64]map[int64]record.Delivery
	gaps    map[string]*record.Gap
}

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{chats: map[int64]*record.Chat{}, ledgers: map[uint64]map[int64]record.Delivery{}, gaps: map[string]*record.Gap{}}
}

func (m *Memory) updateChat(id int64, fn func(c *record.Chat) bool) error {
	now := time.Now().UTC()
	c, ok := m.chats[id]
	if !ok {
		n := record.NewChat(id, now)
		c = &n
		m.chats[id] = c
	}
	if fn(c) {
		c.Updated = now
	}
	return nil
}

// Seen implements Registry.
func (m *Memory) Seen(id int64, typ, title string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.updateChat(id, func(c *record.Chat) bool { return c.Seen(typ, title) })
}

// SetActive implements Chats.
func (m *Memory) SetActive(id int64, active bool, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.updateChat(id, func(c *record.Chat) bool { return c.SetActive(active, reason) })
}

// Migrate implements Chats.
func (m *Memory) Migrate(from, to int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	var old record.Chat
	if c, ok := m.chats[from]; ok {
		old = *c
	}
	m.updateChat(to, func(c *record.Chat) bool { c.TakeOver(old); return true })
	return m.updateChat(from, func(c *record.Chat) bool { return c.MovedOut(to) })
}

// Lang implements Prefs.
func (m *Memory) Lang(id int64) (knowledge.Lang, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.chats[id]; ok {
		return c.Lang, nil
	}
	return "", nil
}

// SetLang implements Prefs.
func (m *Memory) SetLang(id int64, l knowledge.Lang) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.updateChat(id, func(c *record.Chat) bool { return c.SetLang(l) })
}

// SetAnnouncements implements Registry.
func (m *Memory) SetAnnouncements(id int64, on bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.updateChat(id, func(c *record.Chat) bool { return c.SetAnnouncements(on) })
}

// Chat implements Registry.
func (m *Memory) Chat(id int64) (record.Chat, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.chats[id]; ok {
		return *c, true
	}
	return record.Chat{}, false
}

// Groups implements Registry.
func (m *Memory) Groups() []record.Chat {
	m.mu.Lock()
	defer m.mu.Unlock()
	return record.Groups(m.chats)
}

// AnnouncementTargets implements Registry.
func (m *Memory) AnnouncementTargets() []int64 { return record.Targets(m.Groups()) }

// CreateAnnouncement implements Ledger.
func (m *Memory) CreateAnnouncement(a record.Announcement) (record.Announcement, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if a.Key != "" {
		for _, x := range m.anns {
			if x.Key == a.Key {
				return x, false, nil
			}
		}
	}
	a.ID = uint64(len(m.anns) + 1)
	if a.Created.IsZero() {
		a.Created = time.Now().UTC()
	}
	m.anns = append(m.anns, a)
	return a, true, nil
}

// Announcement implements Ledger.
func (m *Memory) Announcement(id uint64) (record.Announcement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id == 0 || id > uint64(len(m.anns)) {
		return record.Announcement{}, record.ErrNoAnnouncement
	}
	return m.anns[id-1], nil
}

// Announcements implements Ledger.
func (m *Memory) Announcements() ([]record.Announcement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]record.Announcement(nil), m.anns...), nil
}

// UpdateAnnouncement implements Ledger.
func (m *Memory) UpdateAnnouncement(id uint64, fn func(a *record.Announcement) error) (record.Announcement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.updateAnnouncement(id, fn)
}

func (m *Memory) updateAnnouncement(id uint64, fn func(a *record.Announcement) error) (record.Announcement, error) {
	if id == 0 || id > uint64(len(m.anns)) {
		return record.Announcement{}, record.ErrNoAnnouncement
	}
	a := m.anns[id-1]
	if err := fn(&a); err != nil {
		return a, err
	}
	m.anns[id-1] = a
	return a, nil
}

// StartAnnouncement implements Ledger.
func (m *Memory) StartAnnouncement(id uint64, targets []int64) (record.Announcement, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now().UTC()
	a, err := m.updateAnnouncement(id, func(a *record.Announcement) error { return a.Start(len(targets), now) })
	if err != nil {
		return a, err
	}
	led := map[int64]record.Delivery{}
	for _, chat := range targets {
		led[chat] = record.Delivery{Chat: chat, State: record.DelPending, At: now}
	}
	m.ledgers[id] = led
	return a, nil
}

// SetDelivery implements Ledger.
func (m *Memory) SetDelivery(id uint64, d record.Delivery) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	led, ok := m.ledgers[id]
	if !ok {
		return record.ErrNoAnnouncement
	}
	d.At = time.Now().UTC()
	led[d.Chat] = d
	return nil
}

// Deliveries implements Ledger.
func (m *Memory) Deliveries(id uint64) ([]record.Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []record.Delivery
	for _, d := range m.ledgers[id] {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Chat < out[j].Chat })
	return out, nil
}

// RecordGap implements Gaps.
func (m *Memory) RecordGap(question string, lang knowledge.Lang) error {
	key := record.GapKey(question)
	if key == "" {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.gaps[key]
	if !ok {
		if len(m.gaps) >= record.MaxGaps {
			return nil
		}
		g = &record.Gap{Question: reply.Truncate(question, 200), Lang: lang}
		m.gaps[key] = g
	}
	g.Count++
	g.Last = time.Now().UTC()
	return nil
}

// Gaps implements Gaps.
func (m *Memory) Gaps() ([]record.Gap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]record.Gap, 0, len(m.gaps))
	for _, g := range m.gaps {
		out = append(out, *g)
	}
	return out, nil
}
