package boltstore

import (
	"encoding/json"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"factbot/bot/record"
)

// The ledger: announcements, and per announcement one delivery per
// target, written before anything is sent (record.DeliveryState says why
// no group is skipped and a crash adds at most one copy).

// CreateAnnouncement stores a new announcement and returns it with its id.
// A scheduled one (with a Key) is created once: for a key already used it
// returns the existing announcement and created false.
func (s *Store) CreateAnnouncement(a record.Announcement) (out record.Announcement, created bool, err error) {
	defer wrap(&err, "boltstore.CreateAnnouncement(%q)", a.Key)
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAnnouncements)
		if a.Key != "" {
			all, err := readAll[record.Announcement](b)
			if err != nil {
				return err
			}
			for _, x := range all {
				if x.Key == a.Key {
					out = x
					return nil
				}
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
		return record.Announcement{}, false, err
	}
	return out, created, nil
}

// Announcement returns one announcement.
func (s *Store) Announcement(id uint64) (a record.Announcement, err error) {
	defer wrap(&err, "boltstore.Announcement(%d)", id)
	err = s.db.View(func(tx *bolt.Tx) error {
		a, err = getAnnouncement(tx.Bucket(bucketAnnouncements), id)
		return err
	})
	return a, err
}

// getAnnouncement reads one announcement from the announcements bucket.
func getAnnouncement(b *bolt.Bucket, id uint64) (record.Announcement, error) {
	var a record.Announcement
	v := b.Get(seqKey(id))
	if v == nil {
		return a, record.ErrNoAnnouncement
	}
	return a, json.Unmarshal(v, &a)
}

// Announcements returns every announcement, oldest first.
func (s *Store) Announcements() (_ []record.Announcement, err error) {
	defer wrap(&err, "boltstore.Announcements()")
	return view[record.Announcement](s.db, bucketAnnouncements)
}

// UpdateAnnouncement changes an announcement with fn in one transaction.
func (s *Store) UpdateAnnouncement(id uint64, fn func(a *record.Announcement) error) (a record.Announcement, err error) {
	defer wrap(&err, "boltstore.UpdateAnnouncement(%d)", id)
	err = s.db.Update(func(tx *bolt.Tx) error {
		a, err = updateAnnouncement(tx, id, fn)
		return err
	})
	return a, err
}

func updateAnnouncement(tx *bolt.Tx, id uint64, fn func(a *record.Announcement) error) (record.Announcement, error) {
	b := tx.Bucket(bucketAnnouncements)
	a, err := getAnnouncement(b, id)
	if err != nil {
		return a, err
	}
	if err := fn(&a); err != nil {
		return a, err
	}
	return a, putJSON(b, seqKey(id), &a)
}

// StartAnnouncement writes the ledger — one pending entry per target — and
// marks the announcement sending, in one transaction, before anything is
// sent.
func (s *Store) StartAnnouncement(id uint64, targets []int64) (a record.Announcement, err error) {
	defer wrap(&err, "boltstore.StartAnnouncement(%d)", id)
	err = s.db.Update(func(tx *bolt.Tx) error {
		now := time.Now().UTC()
		a, err = updateAnnouncement(tx, id, func(a *record.Announcement) error { return a.Start(len(targets), now) })
		if err != nil {
			return err
		}
		led, err := tx.Bucket(bucketDeliveries).CreateBucketIfNotExists(seqKey(id))
		if err != nil {
			return err
		}
		for _, chat := range targets {
			if err := putJSON(led, chatKey(chat), &record.Delivery{Chat: chat, State: record.DelPending, At: now}); err != nil {
				return err
			}
		}
		return nil
	})
	return a, err
}

// SetDelivery writes one ledger entry durably. Concurrent calls share a
// transaction (bbolt's Batch), so a broadcast pays one fsync for many.
func (s *Store) SetDelivery(id uint64, d record.Delivery) (err error) {
	defer wrap(&err, "boltstore.SetDelivery(%d, %d)", id, d.Chat)
	d.At = time.Now().UTC()
	return s.db.Batch(func(tx *bolt.Tx) error {
		led := tx.Bucket(bucketDeliveries).Bucket(seqKey(id))
		if led == nil {
			return record.ErrNoAnnouncement
		}
		return putJSON(led, chatKey(d.Chat), &d)
	})
}

// Deliveries returns an announcement's ledger, by chat id.
func (s *Store) Deliveries(id uint64) (_ []record.Delivery, err error) {
	defer wrap(&err, "boltstore.Deliveries(%d)", id)
	out, err := view[record.Delivery](s.db, bucketDeliveries, seqKey(id))
	sort.Slice(out, func(i, j int) bool { return out[i].Chat < out[j].Chat })
	return out, err
}
