package boltstore

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"factbot/bot/record"
	"factbot/knowledge"
)

func mustOpenStore(t testing.TB, path string) *Store {
	t.Helper()
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestStoreSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Seen(-1, "supergroup", "Traders"))
	must(st.SetLang(-1, knowledge.KK))
	must(st.SetAnnouncements(-1, false))
	must(st.Seen(-2, "group", "Old group"))
	must(st.SetActive(-2, false, "kicked"))
	must(st.Seen(-3, "group", "Growing"))
	must(st.SetLang(-3, knowledge.ZH))
	must(st.Migrate(-3, -1003))
	must(st.Seen(77, "private", ""))
	must(st.Record(record.Feedback{Chat: 77, User: 77, Question: "rail 2024?", HitID: "rail", Useful: false}))
	must(st.RecordGap("Weather in Astana?", knowledge.EN))
	must(st.RecordGap("weather in  astana", knowledge.EN))
	if _, err := Open(path); err == nil {
		t.Error("a second OpenStore of the same file succeeded; want an error")
	}
	must(st.Close())

	st = mustOpenStore(t, path)
	defer st.Close()
	if c, _ := st.Chat(-1); !c.Active || c.Title != "Traders" || c.Lang != knowledge.KK || !c.NoAnnouncements || c.Type != "supergroup" {
		t.Errorf("chat -1 after reopen = %+v", c)
	}
	if c, _ := st.Chat(-2); c.Active || c.Reason != "kicked" {
		t.Errorf("chat -2 after reopen = %+v", c)
	}
	if c, _ := st.Chat(-3); c.Active || c.Reason != "migrated" || c.MovedTo != -1003 {
		t.Errorf("migrated group -3 after reopen = %+v", c)
	}
	if c, _ := st.Chat(-1003); !c.Active || c.Title != "Growing" || c.Lang != knowledge.ZH || c.Type != "supergroup" {
		t.Errorf("supergroup -1003 after reopen = %+v", c)
	}
	if l, _ := st.Lang(-1003); l != knowledge.ZH {
		t.Errorf("Lang(-1003) = %q", l)
	}
	if got := st.AnnouncementTargets(); len(got) != 1 || got[0] != -1003 {
		t.Errorf("AnnouncementTargets = %v, want [-1003] (opted out, kicked and migrated ones excluded)", got)
	}
	fb, err := st.Feedback()
	if err != nil || len(fb) != 1 || fb[0].Question != "rail 2024?" || fb[0].User != 0 {
		t.Errorf("Feedback = %+v, %v (the user id must not be kept)", fb, err)
	}
	gs, err := st.Gaps()
	if err != nil || len(gs) != 1 || gs[0].Count != 2 {
		t.Errorf("gaps = %+v, %v", gs, err)
	}
}

// The handled updates are kept until Telegram confirmed them, or for two
// days at most, across a restart and a torn record; what one run
// confirmed, the next one forgets too.
func TestStoreHandledUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	for _, id := range []int{10, 11, 12} {
		if err := st.MarkHandled(id); err != nil {
			t.Fatal(err)
		}
	}
	handled := func(st *Store) string {
		t.Helper()
		got, err := st.Handled([]int{9, 10, 11, 12, 13, 14})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, id := range []int{9, 10, 11, 12, 13, 14} {
			if got[id] {
				ids = append(ids, id)
			}
		}
		return fmt.Sprint(ids)
	}
	if got := handled(st); got != "[10 11 12]" {
		t.Errorf("handled = %s, want [10 11 12]", got)
	}
	// Telegram confirmed up to 12: 10 and 11 are never delivered again.
	for _, off := range []int{12, 5} { // an older confirmation changes nothing
		if err := st.SetConfirmed(off); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.MarkHandled(11); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkHandled(13); err != nil {
		t.Fatal(err)
	}
	if got := handled(st); got != "[12 13]" {
		t.Errorf("handled after confirming 12 = %s, want [12 13]", got)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// Add a record from three days ago and a torn one, as a power loss
	// may leave.
	f, err := os.OpenFile(HandledPath(path), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	old := encodeHandled(14, uint32(time.Now().Add(-72*time.Hour).Unix()))
	torn := encodeHandled(15, uint32(time.Now().Unix()))
	torn[3] ^= 0xff
	f.Write(append(append(old, torn...), 1, 2, 3))
	f.Close()
	st = mustOpenStore(t, path)
	defer st.Close()
	if got := handled(st); got != "[12 13]" {
		t.Errorf("handled after reopening = %s, want [12 13] (10 and 11 confirmed, 14 expired, 15 torn)", got)
	}
	// Rewritten with what is left: the confirmed offset, 12 and 13.
	if fi, err := os.Stat(HandledPath(path)); err != nil || fi.Size() != 3*handledRecord {
		t.Errorf("the reopened file has %v bytes (%v), want %d", fi.Size(), err, 3*handledRecord)
	}
}

// The handled log is rewritten once most of it is forgotten, so it stays
// as small as the updates in flight.
func TestStoreHandledUpdatesCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	t.Cleanup(func() { st.Close() })
	for id := 1; id <= 3*handledCompact; id++ {
		if err := st.MarkHandled(id); err != nil {
			t.Fatal(err)
		}
		if err := st.SetConfirmed(id - 10); err != nil { // ten in flight
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(HandledPath(path))
	if err != nil {
		t.Fatal(err)
	}
	if n := fi.Size() / handledRecord; n > handledCompact {
		t.Errorf("%d records in the file for 11 in flight, want at most %d", n, handledCompact)
	}
	st.Close()
	st = mustOpenStore(t, path)
	if got, _ := st.Handled([]int{3*handledCompact - 11, 3*handledCompact - 10, 3 * handledCompact}); len(got) != 2 {
		t.Errorf("after reopening, handled = %v, want the last two (those not confirmed)", got)
	}
}
