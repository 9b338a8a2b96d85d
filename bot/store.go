package bot

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"factbot/bot/reply"
	"factbot/knowledge"
)

// Store is the bot's durable state in one bbolt file (DATA_DIR/factbot.db):
// the chat registry with each chat's settings, feedback, the questions
// that got no answer, and announcements with their delivery ledgers. It
// implements Prefs, Chats and FeedbackSink. The chat registry is also
// held in memory, so that the bot reads it without touching the disk and
// writes only when something changed.
//
// Buckets:
//
//	chats          chat id (8 bytes, big-endian) → ChatRecord (JSON)
//	feedback       sequence → Feedback (JSON), without the user's id
//	gaps           normalized question → gap (JSON): count, language, last
//	announcements  id → Announcement (JSON)
//	deliveries     id → a bucket of chat id → Delivery (JSON)
//
// Beside the file, factbot.handled lists the updates handled and not yet
// confirmed to Telegram (handled.go).
type Store struct {
	db      *bolt.DB
	handled *handledLog

	mu    sync.Mutex
	chats map[int64]*ChatRecord
	ngaps atomic.Int64 // distinct questions in gaps
}

// ChatRecord is what the registry knows about one chat.
type ChatRecord struct {
	ID     int64  `json:"id"`
	Type   string `json:"type,omitempty"` // private, group, supergroup
	Title  string `json:"title,omitempty"`
	Active bool   `json:"active"`
	// Reason says why a chat is inactive: blocked, kicked, left, migrated.
	Reason string         `json:"reason,omitempty"`
	Lang   knowledge.Lang `json:"lang,omitempty"`
	// NoAnnouncements is set when the group opted out of announcements.
	NoAnnouncements bool      `json:"no_announcements,omitempty"`
	MovedTo         int64     `json:"moved_to,omitempty"`
	Added           time.Time `json:"added"`
	Updated         time.Time `json:"updated"`
}

// Group reports whether the chat is a group or supergroup.
func (c ChatRecord) Group() bool { return c.ID < 0 }

var (
	bucketChats         = []byte("chats")
	bucketFeedback      = []byte("feedback")
	bucketGaps          = []byte("gaps")
	bucketAnnouncements = []byte("announcements")
	bucketDeliveries    = []byte("deliveries")
)

// OpenStore opens (creating) the store at path. Only one process may hold
// it: a second one gets an error after a second rather than waiting.
func OpenStore(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// Batch is how the ledger and the gaps are written: writers at the
	// same moment share one fsync. Its default 10 ms wait for more writers
	// adds to the time an announcement is out but not yet recorded "sent",
	// when a crash repeats it; 1 ms still groups a broadcast's writes.
	db.MaxBatchDelay = time.Millisecond
	s := &Store{db: db, chats: map[int64]*ChatRecord{}}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketChats, bucketFeedback, bucketGaps, bucketAnnouncements, bucketDeliveries} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		s.ngaps.Store(int64(tx.Bucket(bucketGaps).Stats().KeyN))
		return tx.Bucket(bucketChats).ForEach(func(k, v []byte) error {
			var c ChatRecord
			if err := json.Unmarshal(v, &c); err != nil {
				return fmt.Errorf("chat %d: %w", chatID(k), err)
			}
			s.chats[c.ID] = &c
			return nil
		})
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// Opened after the bbolt file, whose lock keeps a second process out.
	if s.handled, err = openHandledLog(handledPath(path), time.Now); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	return s, nil
}

// Close closes the files.
func (s *Store) Close() error {
	err := s.handled.close()
	if derr := s.db.Close(); err == nil {
		err = derr
	}
	return err
}

// Path returns the file's path.
func (s *Store) Path() string { return s.db.Path() }

func chatKey(id int64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(id))
	return k[:]
}

func chatID(k []byte) int64 { return int64(binary.BigEndian.Uint64(k)) }

func seqKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

func putJSON(b *bolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}

// updateChat changes chat's record with fn, creating it first, and writes
// it when fn reports a change. The registry's lock is held throughout, so
// changes to the registry are applied in order.
func (s *Store) updateChat(id int64, fn func(c *ChatRecord) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateChatLocked(id, fn)
}

func (s *Store) updateChatLocked(id int64, fn func(c *ChatRecord) bool) error {
	now := time.Now().UTC()
	var c ChatRecord
	if old, ok := s.chats[id]; ok {
		c = *old
	} else {
		c = ChatRecord{ID: id, Active: true, Added: now}
		if id > 0 {
			c.Type = "private"
		} else {
			c.Type = "group"
		}
	}
	_, known := s.chats[id]
	if !fn(&c) && known {
		return nil
	}
	c.Updated = now
	err := s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketChats), chatKey(id), &c) })
	if err != nil {
		return fmt.Errorf("store chat %d: %w", id, err)
	}
	s.chats[id] = &c
	return nil
}

// Seen records that the bot received a message in chat: it is active, of
// type typ, titled title.
func (s *Store) Seen(_ context.Context, id int64, typ, title string) error {
	return s.updateChat(id, func(c *ChatRecord) bool {
		changed := !c.Active || (typ != "" && c.Type != typ) || (title != "" && c.Title != title)
		c.Active, c.Reason = true, ""
		if typ != "" {
			c.Type = typ
		}
		if title != "" {
			c.Title = title
		}
		return changed
	})
}

// SetActive implements Chats.
func (s *Store) SetActive(_ context.Context, id int64, active bool, reason string) error {
	return s.updateChat(id, func(c *ChatRecord) bool {
		if active {
			reason = ""
		}
		changed := c.Active != active || c.Reason != reason
		c.Active, c.Reason = active, reason
		return changed
	})
}

// Migrate implements Chats: the supergroup takes over the group's record
// and settings, and the group's record says where it went.
func (s *Store) Migrate(_ context.Context, from, to int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var old ChatRecord
	if c, ok := s.chats[from]; ok {
		old = *c
	}
	if err := s.updateChatLocked(to, func(c *ChatRecord) bool {
		c.Type, c.Active, c.Reason = "supergroup", true, ""
		if c.Title == "" {
			c.Title = old.Title
		}
		if c.Lang == "" {
			c.Lang = old.Lang
		}
		c.NoAnnouncements = c.NoAnnouncements || old.NoAnnouncements
		return true
	}); err != nil {
		return err
	}
	return s.updateChatLocked(from, func(c *ChatRecord) bool {
		changed := c.Active || c.MovedTo != to
		c.Active, c.Reason, c.MovedTo = false, "migrated", to
		return changed
	})
}

// Lang implements Prefs.
func (s *Store) Lang(_ context.Context, id int64) (knowledge.Lang, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chats[id]; ok {
		return c.Lang, nil
	}
	return "", nil
}

// SetLang implements Prefs.
func (s *Store) SetLang(_ context.Context, id int64, l knowledge.Lang) error {
	return s.updateChat(id, func(c *ChatRecord) bool {
		changed := c.Lang != l
		c.Lang = l
		return changed
	})
}

// SetAnnouncements turns announcements on or off for a chat.
func (s *Store) SetAnnouncements(_ context.Context, id int64, on bool) error {
	return s.updateChat(id, func(c *ChatRecord) bool {
		changed := c.NoAnnouncements == on
		c.NoAnnouncements = !on
		return changed
	})
}

// Chat returns chat's record.
func (s *Store) Chat(id int64) (ChatRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[id]
	if !ok {
		return ChatRecord{}, false
	}
	return *c, true
}

// Groups returns the records of every group the registry knows, active or
// not, by id.
func (s *Store) Groups() []ChatRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ChatRecord
	for _, c := range s.chats {
		if c.Group() {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// AnnouncementTargets returns the groups an announcement goes to: active
// and not opted out.
func (s *Store) AnnouncementTargets() []int64 {
	var out []int64
	for _, c := range s.Groups() {
		if c.Active && !c.NoAnnouncements {
			out = append(out, c.ID)
		}
	}
	return out
}

// Record implements FeedbackSink. The user's id is not kept: curators need
// the question and the verdict, not who gave it.
func (s *Store) Record(_ context.Context, f Feedback) error {
	f.User = 0
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketFeedback)
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		return putJSON(b, seqKey(n), &f)
	})
}

// Feedback returns every recorded feedback, oldest first.
func (s *Store) Feedback() ([]Feedback, error) {
	var out []Feedback
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeedback).ForEach(func(k, v []byte) error {
			var f Feedback
			if err := json.Unmarshal(v, &f); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	})
	return out, err
}

// maxGaps bounds the distinct unanswered questions kept.
const maxGaps = 20_000

// gap is a question the bot could not answer, and how often it was asked.
type gap struct {
	Question string         `json:"q"`
	Lang     knowledge.Lang `json:"lang"`
	Count    int            `json:"n"`
	Last     time.Time      `json:"last"`
}

// normalizeQuestion folds case, punctuation and spacing, so that the same
// question asked twice counts twice.
func normalizeQuestion(q string) string {
	f := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	return strings.Join(f, " ")
}

// RecordGap counts a question that got no answer. Past maxGaps distinct
// questions, new ones are dropped; known ones still count.
func (s *Store) RecordGap(_ context.Context, question string, lang knowledge.Lang) error {
	key := normalizeQuestion(question)
	if key == "" {
		return nil
	}
	// Batch: a burst of unanswered questions shares one fsync, and the
	// registry's lock is not held meanwhile.
	return s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketGaps)
		g := gap{Question: reply.Truncate(question, 200), Lang: lang}
		if v := b.Get([]byte(key)); v != nil {
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
		} else if s.ngaps.Load() >= maxGaps {
			return nil
		} else {
			s.ngaps.Add(1)
		}
		g.Count++
		g.Last = time.Now().UTC()
		return putJSON(b, []byte(key), &g)
	})
}

// gaps returns every recorded unanswered question.
func (s *Store) gaps() ([]gap, error) {
	var out []gap
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketGaps).ForEach(func(k, v []byte) error {
			var g gap
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
			out = append(out, g)
			return nil
		})
	})
	return out, err
}

// errNoStore is returned by features that need the durable store.
var errNoStore = errors.New("this feature needs the bot's data folder (FACTBOT_DATA_DIR)")
