package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Announcement states.
const (
	annDraft     = "draft"     // previewed, not sent
	annScheduled = "scheduled" // from a knowledge file, waiting for its time
	annSending   = "sending"   // the ledger is written; deliveries go out
	annDone      = "done"      // every delivery finished
	annCanceled  = "canceled"  // stopped by an admin; what was sent stays sent
)

// Delivery states. An entry is written "pending" for every target before
// the first message goes out, turned "sending" (durably) right before its
// request goes out, once the rate limits let it, then "sent", "failed" or
// "removed". After a crash the "pending" and "sending" ones are sent again:
// no group is skipped, and only a "sending" one — a send in flight at the
// crash — can get a second copy. A crash adds at most one copy to a group,
// and only if its send was in flight; the uncertain ones are resumed last,
// so that a crash soon after the restart does not find them in flight
// again.
const (
	delPending  = "pending"
	delSending  = "sending"
	delSent     = "sent"
	delFailed   = "failed"
	delRemoved  = "removed"  // 403: the bot was removed or blocked
	delCanceled = "canceled" // not sent: the announcement was canceled
)

// Announcement is a message to every group, with its delivery ledger.
type Announcement struct {
	ID      uint64 `json:"id"`
	Text    string `json:"text"`
	By      int64  `json:"by,omitempty"`  // the admin; 0 for a scheduled one
	Key     string `json:"key,omitempty"` // a scheduled announcement's id in the knowledge folder
	State   string `json:"state"`
	Targets int    `json:"targets"`
	// Chat and MsgID are the progress message, edited as deliveries go.
	Chat     int64     `json:"chat,omitempty"`
	MsgID    int       `json:"msg_id,omitempty"`
	Created  time.Time `json:"created"`
	Started  time.Time `json:"started,omitempty"`
	Finished time.Time `json:"finished,omitempty"`
	// A scheduled announcement goes out at PublishAt to every group (All)
	// or to Groups.
	PublishAt time.Time `json:"publish_at,omitempty"`
	All       bool      `json:"all,omitempty"`
	Groups    []int64   `json:"groups,omitempty"`
}

// Delivery is one (announcement, chat) entry of the ledger.
type Delivery struct {
	Chat     int64     `json:"chat"`
	State    string    `json:"state"`
	Reason   string    `json:"reason,omitempty"`
	To       int64     `json:"to,omitempty"` // the supergroup it went to, after a migration
	Attempts int       `json:"attempts,omitempty"`
	At       time.Time `json:"at"`
}

var errNoAnnouncement = errors.New("no such announcement")

// CreateAnnouncement stores a new announcement and returns it with its id.
// A scheduled one (with a Key) is created once: for a key already used it
// returns the existing announcement and created false.
func (s *Store) CreateAnnouncement(a Announcement) (out Announcement, created bool, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAnnouncements)
		if a.Key != "" {
			var found *Announcement
			if err := b.ForEach(func(k, v []byte) error {
				var x Announcement
				if err := json.Unmarshal(v, &x); err != nil {
					return err
				}
				if x.Key == a.Key {
					found = &x
				}
				return nil
			}); err != nil {
				return err
			}
			if found != nil {
				out = *found
				return nil
			}
		}
		n, err := b.NextSequence()
		if err != nil {
			return err
		}
		a.ID, created = n, true
		if a.Created.IsZero() {
			a.Created = time.Now().UTC()
		}
		out = a
		return putJSON(b, seqKey(n), &a)
	})
	if err != nil {
		return Announcement{}, false, fmt.Errorf("create announcement: %w", err)
	}
	return out, created, nil
}

// Announcement returns one announcement.
func (s *Store) Announcement(id uint64) (Announcement, error) {
	var a Announcement
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		a, err = getAnnouncement(tx.Bucket(bucketAnnouncements), id)
		return err
	})
	return a, err
}

// getAnnouncement reads one announcement from the announcements bucket.
func getAnnouncement(b *bolt.Bucket, id uint64) (Announcement, error) {
	var a Announcement
	v := b.Get(seqKey(id))
	if v == nil {
		return a, errNoAnnouncement
	}
	err := json.Unmarshal(v, &a)
	return a, err
}

// Announcements returns every announcement, oldest first.
func (s *Store) Announcements() ([]Announcement, error) {
	var out []Announcement
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAnnouncements).ForEach(func(k, v []byte) error {
			var a Announcement
			if err := json.Unmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	return out, err
}

// UpdateAnnouncement changes an announcement with fn in one transaction.
func (s *Store) UpdateAnnouncement(id uint64, fn func(a *Announcement) error) (Announcement, error) {
	var a Announcement
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAnnouncements)
		var err error
		if a, err = getAnnouncement(b, id); err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		return putJSON(b, seqKey(id), &a)
	})
	return a, err
}

// errNotDraft is returned when Send is pressed twice.
var errNotDraft = errors.New("announcement was already sent or canceled")

// StartAnnouncement writes the ledger — one pending entry per target — and
// marks the announcement sending, in one transaction, before anything is
// sent.
func (s *Store) StartAnnouncement(id uint64, targets []int64) (Announcement, error) {
	var a Announcement
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAnnouncements)
		var err error
		if a, err = getAnnouncement(b, id); err != nil {
			return err
		}
		if a.State != annDraft && a.State != annScheduled {
			return errNotDraft
		}
		led, err := tx.Bucket(bucketDeliveries).CreateBucketIfNotExists(seqKey(id))
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, chat := range targets {
			if err := putJSON(led, chatKey(chat), &Delivery{Chat: chat, State: delPending, At: now}); err != nil {
				return err
			}
		}
		a.State, a.Targets, a.Started = annSending, len(targets), now
		return putJSON(b, seqKey(id), &a)
	})
	return a, err
}

// SetDelivery writes one ledger entry durably. Concurrent calls share a
// transaction (bbolt's Batch), so a broadcast pays one fsync for many.
func (s *Store) SetDelivery(id uint64, d Delivery) error {
	d.At = time.Now().UTC()
	return s.db.Batch(func(tx *bolt.Tx) error {
		led := tx.Bucket(bucketDeliveries).Bucket(seqKey(id))
		if led == nil {
			return errNoAnnouncement
		}
		return putJSON(led, chatKey(d.Chat), &d)
	})
}

// Deliveries returns an announcement's ledger, by chat id.
func (s *Store) Deliveries(id uint64) ([]Delivery, error) {
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		led := tx.Bucket(bucketDeliveries).Bucket(seqKey(id))
		if led == nil {
			return nil
		}
		return led.ForEach(func(k, v []byte) error {
			var d Delivery
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Chat < out[j].Chat })
	return out, err
}
