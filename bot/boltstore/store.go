// Package boltstore keeps the bot's state in one bbolt file: the chat
// registry, feedback, unanswered questions and announcements with their
// delivery ledgers, beside an append-only log of the updates handled
// (handled.go). A *Store satisfies bot's Registry, Prefs, Chats, Ledger,
// Gaps, FeedbackLog and HandledLog.
//
// boltstore is the only package under bot/ that imports bbolt. It imports
// bot/record (the values it keeps) and bot/reply (to cut questions), never
// bot itself, so that bot's tests can run the bot on a file.
package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"factbot/bot/record"
	"factbot/bot/reply"
	"factbot/knowledge"
)

// Store is the bot's durable state in one bbolt file (DATA_DIR/factbot.db).
// The chat registry is also held in memory, so that the bot reads it
// without touching the disk and writes only when something changed.
//
// Buckets:
//
//	chats          chat id (8 bytes, big-endian) → record.Chat (JSON)
//	feedback       sequence → record.Feedback (JSON), without the user's id
//	gaps           normalized question → record.Gap (JSON): count, language, last
//	announcements  id → record.Announcement (JSON)
//	deliveries     id → a bucket of chat id → record.Delivery (JSON)
//
// Beside the file, factbot.handled lists the updates handled and not yet
// confirmed to Telegram (handled.go).
type Store struct {
	db      *bolt.DB
	handled *handledLog

	mu    sync.Mutex
	chats map[int64]*record.Chat
	ngaps atomic.Int64 // distinct questions in gaps
}

var (
	bucketChats         = []byte("chats")
	bucketFeedback      = []byte("feedback")
	bucketGaps          = []byte("gaps")
	bucketAnnouncements = []byte("announcements")
	bucketDeliveries    = []byte("deliveries")
)

// Open opens (creating) the store at path. Only one process may hold it: a
// second one gets an error after a second rather than waiting.
func Open(path string) (_ *Store, err error) {
	defer wrap(&err, "boltstore.Open(%q)", path)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, err
	}
	// Batch is how the ledger and the gaps are written: writers at the
	// same moment share one fsync. Its default 10 ms wait for more writers
	// adds to the time an announcement is out but not yet recorded "sent",
	// when a crash repeats it; 1 ms still groups a broadcast's writes.
	db.MaxBatchDelay = time.Millisecond
	s := &Store{db: db, chats: map[int64]*record.Chat{}}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketChats, bucketFeedback, bucketGaps, bucketAnnouncements, bucketDeliveries} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		s.ngaps.Store(int64(tx.Bucket(bucketGaps).Stats().KeyN))
		chats, err := readAll[record.Chat](tx.Bucket(bucketChats))
		for i := range chats {
			s.chats[chats[i].ID] = &chats[i]
		}
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	// Opened after the bbolt file, whose lock keeps a second process out.
	if s.handled, err = openHandledLog(HandledPath(path), time.Now); err != nil {
		db.Close()
		return nil, err
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

// wrap adds the operation and its input to *errp, once, at the package's
// boundary (pkgsite's derrors.Wrap).
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}

// readAll decodes every value of bucket b, in key order.
func readAll[T any](b *bolt.Bucket) ([]T, error) {
	var out []T
	err := b.ForEach(func(k, v []byte) error {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("key %x: %w", k, err)
		}
		out = append(out, x)
		return nil
	})
	return out, err
}

// view reads every value of the bucket at path (nested buckets), none when
// it does not exist.
func view[T any](db *bolt.DB, path ...[]byte) (out []T, err error) {
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(path[0])
		for _, p := range path[1:] {
			if b == nil {
				break
			}
			b = b.Bucket(p)
		}
		if b == nil {
			return nil
		}
		out, err = readAll[T](b)
		return err
	})
	return out, err
}

func chatKey(id int64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(id))
	return k[:]
}

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
func (s *Store) updateChat(id int64, fn func(c *record.Chat) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.updateChatLocked(id, fn)
}

func (s *Store) updateChatLocked(id int64, fn func(c *record.Chat) bool) error {
	now := time.Now().UTC()
	old, known := s.chats[id]
	c := record.NewChat(id, now)
	if known {
		c = *old
	}
	if !fn(&c) && known {
		return nil
	}
	c.Updated = now
	if err := s.db.Update(func(tx *bolt.Tx) error { return putJSON(tx.Bucket(bucketChats), chatKey(id), &c) }); err != nil {
		return err
	}
	s.chats[id] = &c
	return nil
}

// Seen records that the bot received a message in chat: it is active, of
// type typ, titled title.
func (s *Store) Seen(id int64, typ, title string) (err error) {
	defer wrap(&err, "boltstore.Seen(%d)", id)
	return s.updateChat(id, func(c *record.Chat) bool { return c.Seen(typ, title) })
}

// SetActive marks a chat active or inactive, with why.
func (s *Store) SetActive(id int64, active bool, reason string) (err error) {
	defer wrap(&err, "boltstore.SetActive(%d, %t)", id, active)
	return s.updateChat(id, func(c *record.Chat) bool { return c.SetActive(active, reason) })
}

// Migrate makes the supergroup take over the group's record and settings;
// the group's record says where it went.
func (s *Store) Migrate(from, to int64) (err error) {
	defer wrap(&err, "boltstore.Migrate(%d, %d)", from, to)
	s.mu.Lock()
	defer s.mu.Unlock()
	var old record.Chat
	if c, ok := s.chats[from]; ok {
		old = *c
	}
	if err := s.updateChatLocked(to, func(c *record.Chat) bool { c.TakeOver(old); return true }); err != nil {
		return err
	}
	return s.updateChatLocked(from, func(c *record.Chat) bool { return c.MovedOut(to) })
}

// Lang returns the chat's reply language, "" for the question's.
func (s *Store) Lang(id int64) (knowledge.Lang, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.chats[id]; ok {
		return c.Lang, nil
	}
	return "", nil
}

// SetLang sets the chat's reply language.
func (s *Store) SetLang(id int64, l knowledge.Lang) (err error) {
	defer wrap(&err, "boltstore.SetLang(%d, %q)", id, l)
	return s.updateChat(id, func(c *record.Chat) bool { return c.SetLang(l) })
}

// SetAnnouncements turns announcements on or off for a chat.
func (s *Store) SetAnnouncements(id int64, on bool) (err error) {
	defer wrap(&err, "boltstore.SetAnnouncements(%d, %t)", id, on)
	return s.updateChat(id, func(c *record.Chat) bool { return c.SetAnnouncements(on) })
}

// Chat returns chat's record.
func (s *Store) Chat(id int64) (record.Chat, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[id]
	if !ok {
		return record.Chat{}, false
	}
	return *c, true
}

// Groups returns the records of every group the registry knows, active or
// not, by id.
func (s *Store) Groups() []record.Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	return record.Groups(s.chats)
}

// AnnouncementTargets returns the groups an announcement goes to: active
// and not opted out.
func (s *Store) AnnouncementTargets() []int64 { return record.Targets(s.Groups()) }

// Record keeps feedback. The user's id is not kept: curators need the
// question and the verdict, not who gave it.
func (s *Store) Record(f record.Feedback) (err error) {
	defer wrap(&err, "boltstore.Record(%q)", reply.Truncate(f.Question, 80))
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
func (s *Store) Feedback() (_ []record.Feedback, err error) {
	defer wrap(&err, "boltstore.Feedback()")
	return view[record.Feedback](s.db, bucketFeedback)
}

// RecordGap counts a question that got no answer. Past record.MaxGaps
// distinct questions, new ones are dropped; known ones still count.
func (s *Store) RecordGap(question string, lang knowledge.Lang) (err error) {
	key := record.GapKey(question)
	if key == "" {
		return nil
	}
	defer wrap(&err, "boltstore.RecordGap(%q)", key)
	// Batch: a burst of unanswered questions shares one fsync, and the
	// registry's lock is not held meanwhile.
	return s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketGaps)
		g := record.Gap{Question: reply.Truncate(question, 200), Lang: lang}
		if v := b.Get([]byte(key)); v != nil {
			if err := json.Unmarshal(v, &g); err != nil {
				return err
			}
		} else if s.ngaps.Load() >= record.MaxGaps {
			return nil
		} else {
			s.ngaps.Add(1)
		}
		g.Count++
		g.Last = time.Now().UTC()
		return putJSON(b, []byte(key), &g)
	})
}

// Gaps returns every recorded unanswered question.
func (s *Store) Gaps() (_ []record.Gap, err error) {
	defer wrap(&err, "boltstore.Gaps()")
	return view[record.Gap](s.db, bucketGaps)
}
