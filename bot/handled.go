package bot

import (
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Telegram's offset is cumulative: getUpdates can confirm update N+1 only
// with N, so an update handled while an older one is still in flight stays
// unconfirmed, and a crash makes Telegram deliver it again. The handled
// bucket remembers, durably, which updates were handled: after a restart a
// delivery of one of them is confirmed without being handled again. An id
// is written after the update's reply went out, so a crash can repeat only
// the replies sent in the moment before it, and it is forgotten once
// Telegram confirmed it (it is never delivered again) or once it is older
// than handledTTL.

var bucketHandled = []byte("handled")

// handledTTL bounds how long a handled update's id is kept: Telegram keeps
// an unconfirmed update for 24 hours, so it never delivers an older one.
const handledTTL = 48 * time.Hour

func updateKey(id int) []byte { return seqKey(uint64(id)) }

// MarkHandled records durably that update id was handled. Concurrent calls
// share one transaction and one fsync (bbolt's Batch). On the way it
// forgets the ids below the offset last confirmed to Telegram
// (SetConfirmed). It returns an error when the write failed.
func (s *Store) MarkHandled(id int) error {
	var at [8]byte
	binary.BigEndian.PutUint64(at[:], uint64(time.Now().Unix()))
	below := int(s.confirmed.Load())
	err := s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHandled)
		if err := pruneHandled(b, below); err != nil {
			return err
		}
		if id < below {
			return nil // confirmed meanwhile: Telegram will not deliver it again
		}
		return b.Put(updateKey(id), at[:])
	})
	if err != nil {
		return fmt.Errorf("mark update %d handled: %w", id, err)
	}
	return nil
}

// pruneHandled deletes the ids below offset.
func pruneHandled(b *bolt.Bucket, offset int) error {
	if offset <= 0 {
		return nil
	}
	var old [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil && binary.BigEndian.Uint64(k) < uint64(offset); k, _ = c.Next() {
		old = append(old, append([]byte(nil), k...))
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Handled reports which of ids were marked handled.
func (s *Store) Handled(ids []int) (map[int]bool, error) {
	out := map[int]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketHandled)
		for _, id := range ids {
			if b.Get(updateKey(id)) != nil {
				out[id] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read handled updates: %w", err)
	}
	return out, nil
}

// SetConfirmed records that Telegram confirmed every update below offset:
// their ids are forgotten with the next MarkHandled.
func (s *Store) SetConfirmed(offset int) {
	for {
		old := s.confirmed.Load()
		if int64(offset) <= old || s.confirmed.CompareAndSwap(old, int64(offset)) {
			return
		}
	}
}

// expireHandled forgets the ids older than handledTTL: Telegram's update
// ids restart at random after a week without updates, so an id kept past
// the point it could be delivered again must not shadow a new update.
func expireHandled(b *bolt.Bucket, now time.Time) error {
	var old [][]byte
	cut := uint64(now.Add(-handledTTL).Unix())
	if err := b.ForEach(func(k, v []byte) error {
		if len(v) != 8 || binary.BigEndian.Uint64(v) < cut {
			old = append(old, append([]byte(nil), k...))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
