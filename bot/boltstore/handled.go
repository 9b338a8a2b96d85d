package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Telegram's offset is cumulative: getUpdates can confirm update N+1 only
// with N, so an update handled while an older one is still in flight stays
// unconfirmed, and a crash makes Telegram deliver it again. The handled log
// remembers which updates were handled: after a restart a delivery of one
// of them is confirmed without being handled again.
//
// An update is recorded right after its reply went out, and what a crash
// can still repeat is a reply sent in the moment before the record was
// made; so the record must be quick. That is why it is not a bbolt bucket
// in factbot.db: a bbolt commit becomes visible only after an fsync, and
// on a busy machine an fsync takes up to hundreds of milliseconds (measured
// under load: 7 ms median, 400 ms at the 99th percentile), long enough for
// a crash loop to catch the same reply in that moment twice. The log is an
// append-only file beside factbot.db (factbot.handled): a record is one
// write(2), which survives the process being killed the moment it
// returns; a goroutine fsyncs behind it, for power losses. Losing the file
// costs nothing but answers repeated after a crash, so it needs no backup.
//
// A record is 16 bytes: the update id (8 bytes, big-endian), when it was
// handled (unix seconds, 4 bytes) and a CRC-32 of those 12, so that a
// record torn by a power loss is skipped. An id is forgotten once Telegram
// confirmed it (it is never delivered again) or once it is older than
// handledTTL. A confirmation is a record too, the offset with the top bit
// set, so that the next start forgets what this one confirmed. The file is
// rewritten without the forgotten records when they are most of it.

// handledTTL bounds how long a handled update's id is kept: Telegram keeps
// an unconfirmed update for 24 hours, so it never delivers an older one,
// and its ids restart at random after a week without updates, so an old id
// must not shadow a new update.
const handledTTL = 48 * time.Hour

const (
	handledRecord  = 16
	handledCompact = 4096    // records past which the file may be rewritten
	confirmedFlag  = 1 << 63 // marks a record of a confirmed offset
)

// handledLog is the set of updates handled and not yet confirmed, in
// memory and in its file.
type handledLog struct {
	path string
	now  func() time.Time

	mu          sync.Mutex
	f           *os.File
	ids         map[int]uint32 // update id → unix seconds when handled
	records     int            // records in the file
	confirmed   int            // every update below it was confirmed
	confirmedAt uint32         // when, in unix seconds
	closed      bool

	kick chan struct{} // asks the syncer for an fsync
	done chan struct{} // closed when the syncer returned
}

// HandledPath is the handled log beside the store at path.
func HandledPath(path string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ".handled"
}

// openHandledLog reads the log at path (creating it), drops what is torn
// or expired, rewrites it with what is left, and starts its syncer.
func openHandledLog(path string, now func() time.Time) (*handledLog, error) {
	l := &handledLog{path: path, now: now, ids: map[int]uint32{}, kick: make(chan struct{}, 1), done: make(chan struct{})}
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read handled updates %s: %w", path, err)
	}
	cut := uint32(now().Add(-handledTTL).Unix())
	for len(data) >= handledRecord {
		v, at, ok := decodeHandled(data[:handledRecord])
		data = data[handledRecord:]
		switch {
		case !ok || at < cut:
		case v&confirmedFlag != 0:
			if off := int(v &^ confirmedFlag); off > l.confirmed {
				l.confirmed, l.confirmedAt = off, at
			}
		default:
			l.ids[int(v)] = at
		}
	}
	for id := range l.ids {
		if id < l.confirmed {
			delete(l.ids, id)
		}
	}
	if err := l.rewrite(true); err != nil {
		return nil, err
	}
	go l.syncer()
	return l, nil
}

func encodeHandled(v uint64, at uint32) []byte {
	var r [handledRecord]byte
	binary.BigEndian.PutUint64(r[0:8], v)
	binary.BigEndian.PutUint32(r[8:12], at)
	binary.BigEndian.PutUint32(r[12:16], crc32.ChecksumIEEE(r[:12]))
	return r[:]
}

func decodeHandled(r []byte) (v uint64, at uint32, ok bool) {
	if crc32.ChecksumIEEE(r[:12]) != binary.BigEndian.Uint32(r[12:16]) {
		return 0, 0, false
	}
	return binary.BigEndian.Uint64(r[0:8]), binary.BigEndian.Uint32(r[8:12]), true
}

// rewrite replaces the file with the ids in memory: written to a new file
// and renamed over the old one, synced first when sync is set (the
// writers do not wait for that: a log lost to a power loss only repeats
// answers). The caller holds l.mu (or owns l).
func (l *handledLog) rewrite(sync bool) error {
	tmp := l.path + ".new"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("rewrite handled updates: %w", err)
	}
	buf := make([]byte, 0, (len(l.ids)+1)*handledRecord)
	if l.confirmed > 0 {
		buf = append(buf, encodeHandled(uint64(l.confirmed)|confirmedFlag, l.confirmedAt)...)
	}
	for id, at := range l.ids {
		buf = append(buf, encodeHandled(uint64(id), at)...)
	}
	_, err = f.Write(buf)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, l.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rewrite handled updates: %w", err)
	}
	if sync {
		if d, err := os.Open(filepath.Dir(l.path)); err == nil {
			_ = d.Sync() // the rename, through a power loss
			d.Close()
		}
	}
	f, err = os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open handled updates: %w", err)
	}
	if l.f != nil {
		l.f.Close()
	}
	l.f, l.records = f, len(buf)/handledRecord
	return nil
}

// mark records id as handled. The record is in the file when mark returns.
func (l *handledLog) mark(id int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return os.ErrClosed
	}
	if id < l.confirmed {
		return nil // confirmed meanwhile: Telegram will not deliver it again
	}
	at := uint32(l.now().Unix())
	if err := l.append(encodeHandled(uint64(id), at)); err != nil {
		return fmt.Errorf("record handled update %d: %w", id, err)
	}
	l.ids[id] = at
	return nil
}

// append writes a record, asks the syncer for an fsync and rewrites the
// file when most of it is forgotten. The caller holds l.mu.
func (l *handledLog) append(r []byte) error {
	if _, err := l.f.Write(r); err != nil {
		return err
	}
	l.records++
	select {
	case l.kick <- struct{}{}:
	default: // an fsync is already due
	}
	if l.records >= handledCompact && l.records >= 4*(len(l.ids)+1) {
		return l.rewrite(false)
	}
	return nil
}

// syncer fsyncs the file after writes, so that records also survive a
// power loss, without the writers waiting for it.
func (l *handledLog) syncer() {
	defer close(l.done)
	for range l.kick {
		l.mu.Lock()
		f := l.f
		l.mu.Unlock()
		_ = f.Sync() // a failure costs only repeated answers after a power loss
	}
}

// handled reports which of ids were recorded.
func (l *handledLog) handled(ids []int) map[int]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[int]bool{}
	for _, id := range ids {
		if _, ok := l.ids[id]; ok {
			out[id] = true
		}
	}
	return out
}

// confirm forgets the ids below offset, which Telegram confirmed, and
// records the offset for the next start. Only an offset that forgets
// something is written: the others would be records for nothing.
func (l *handledLog) confirm(offset int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if offset <= l.confirmed || l.closed {
		return nil
	}
	l.confirmed, l.confirmedAt = offset, uint32(l.now().Unix())
	forgot := false
	for id := range l.ids {
		if id < offset {
			delete(l.ids, id)
			forgot = true
		}
	}
	if !forgot {
		return nil
	}
	if err := l.append(encodeHandled(uint64(offset)|confirmedFlag, l.confirmedAt)); err != nil {
		return fmt.Errorf("record confirmed offset %d: %w", offset, err)
	}
	return nil
}

// close stops the syncer, syncs and closes the file.
func (l *handledLog) close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.kick)
	l.mu.Unlock()
	<-l.done
	err := l.f.Sync()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// MarkHandled records that update id was handled, so that a restart does
// not handle it again when Telegram delivers it anew. The record survives
// the process being killed once MarkHandled returns. It returns an error
// when the write failed.
func (s *Store) MarkHandled(id int) (err error) {
	defer wrap(&err, "boltstore.MarkHandled(%d)", id)
	return s.handled.mark(id)
}

// Handled reports which of ids were recorded by MarkHandled and not
// forgotten since.
func (s *Store) Handled(ids []int) (map[int]bool, error) { return s.handled.handled(ids), nil }

// SetConfirmed records that Telegram confirmed every update below offset:
// their ids are forgotten, by this process and the next. It returns an
// error when the write failed.
func (s *Store) SetConfirmed(offset int) (err error) {
	defer wrap(&err, "boltstore.SetConfirmed(%d)", offset)
	return s.handled.confirm(offset)
}
