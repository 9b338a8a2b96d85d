package bot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

func mustOpenStore(t testing.TB, path string) *Store {
	t.Helper()
	st, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// withStore makes the bot keep its state in st.
func withStore(st *Store) func(*Config) {
	return func(c *Config) {
		c.Store, c.Prefs, c.Chats, c.Feedback = st, st, st, st
	}
}

func TestStoreSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.Seen(ctx, -1, "supergroup", "Traders"))
	must(st.SetLang(ctx, -1, knowledge.KK))
	must(st.SetAnnouncements(ctx, -1, false))
	must(st.Seen(ctx, -2, "group", "Old group"))
	must(st.SetActive(ctx, -2, false, "kicked"))
	must(st.Seen(ctx, -3, "group", "Growing"))
	must(st.SetLang(ctx, -3, knowledge.ZH))
	must(st.Migrate(ctx, -3, -1003))
	must(st.Seen(ctx, 77, "private", ""))
	must(st.Record(ctx, Feedback{Chat: 77, User: 77, Question: "rail 2024?", HitID: "rail", Useful: false}))
	must(st.RecordGap(ctx, "Weather in Astana?", knowledge.EN))
	must(st.RecordGap(ctx, "weather in  astana", knowledge.EN))
	if _, err := OpenStore(path); err == nil {
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
	if l, _ := st.Lang(ctx, -1003); l != knowledge.ZH {
		t.Errorf("Lang(-1003) = %q", l)
	}
	if got := st.AnnouncementTargets(); len(got) != 1 || got[0] != -1003 {
		t.Errorf("AnnouncementTargets = %v, want [-1003] (opted out, kicked and migrated ones excluded)", got)
	}
	fb, err := st.Feedback()
	if err != nil || len(fb) != 1 || fb[0].Question != "rail 2024?" || fb[0].User != 0 {
		t.Errorf("Feedback = %+v, %v (the user id must not be kept)", fb, err)
	}
	gs, err := st.gaps()
	if err != nil || len(gs) != 1 || gs[0].Count != 2 {
		t.Errorf("gaps = %+v, %v", gs, err)
	}
}

func TestRegistryFollowsTelegram(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	h := start(t, withStore(st))
	srv := h.srv
	const added, chatty, kicked, moving, super = -2001, -2002, -2003, -2004, -1002004

	srv.MyChatMember(added, alice, "left", "member")
	srv.WaitSent(t, added, 1) // the welcome
	srv.GroupText(chatty, boris, "hello everyone")
	srv.MyChatMember(kicked, alice, "left", "member")
	srv.WaitSent(t, kicked, 1)
	srv.MyChatMember(kicked, alice, "member", "kicked")
	srv.SetMember(moving, boris.ID, "administrator")
	srv.GroupText(moving, boris, "/lang@"+telegramtest.BotUser.UserName+" ru")
	srv.WaitSent(t, moving, 1)
	srv.Queue(tgbotapi.Update{Message: &tgbotapi.Message{MessageID: 99, Chat: &tgbotapi.Chat{ID: moving, Type: "group"},
		From: &boris, MigrateToChatID: super}})
	srv.Wait(t, "the registry to follow", func() bool {
		c, _ := st.Chat(super)
		k, _ := st.Chat(kicked)
		_, ok := st.Chat(chatty)
		return c.Active && !k.Active && ok
	})
	if c, _ := st.Chat(added); !c.Active || c.Type != "supergroup" || c.Title == "" {
		t.Errorf("added group = %+v", c)
	}
	if c, _ := st.Chat(chatty); !c.Active || c.Title == "" {
		t.Errorf("group seen by a message = %+v", c)
	}
	if c, _ := st.Chat(kicked); c.Active || c.Reason != "kicked" {
		t.Errorf("kicked group = %+v", c)
	}
	if c, _ := st.Chat(super); c.Lang != knowledge.RU || c.Type != "supergroup" {
		t.Errorf("supergroup after migration = %+v", c)
	}
	if c, _ := st.Chat(moving); c.Active || c.MovedTo != super {
		t.Errorf("group after migration = %+v", c)
	}

	// A 403 on a send marks the chat inactive.
	srv.BlockChat(chatty)
	srv.GroupText(chatty, boris, "/help@"+telegramtest.BotUser.UserName)
	srv.Wait(t, "the 403 to be recorded", func() bool { c, _ := st.Chat(chatty); return !c.Active })
	if c, _ := st.Chat(chatty); c.Reason != "kicked" {
		t.Errorf("group after a 403 = %+v", c)
	}
	h.stop()
	st.Close()

	st = mustOpenStore(t, path)
	defer st.Close()
	if c, _ := st.Chat(super); !c.Active || c.Lang != knowledge.RU {
		t.Errorf("after reopen the supergroup = %+v", c)
	}
	if got := st.AnnouncementTargets(); len(got) != 2 {
		t.Errorf("targets after reopen = %v, want the added group and the supergroup", got)
	}
}

func TestAnnouncementsOptOut(t *testing.T) {
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	h := start(t, withStore(st), withAdmin(nil))
	srv := h.srv
	bot := "@" + telegramtest.BotUser.UserName
	owner := telegramtest.User(700, "Owner", "en")
	srv.SetMember(group, owner.ID, "creator")

	// A member may not opt the group out.
	u := srv.GroupText(group, alice, "/announcements off")
	if got := h.replyTo(group, u.Message.MessageID).PlainText(); got != optTextsFor(knowledge.EN).AdminOnly {
		t.Errorf("member's /announcements off = %q", got)
	}
	if c, _ := st.Chat(group); c.NoAnnouncements {
		t.Fatal("a member opted the group out")
	}
	// The group's owner may.
	u = srv.GroupText(group, owner, "/announcements"+bot+" off")
	if got := h.replyTo(group, u.Message.MessageID).PlainText(); got != optTextsFor(knowledge.EN).Off {
		t.Errorf("owner's /announcements off = %q", got)
	}
	if c, _ := st.Chat(group); !c.NoAnnouncements {
		t.Error("the owner could not opt the group out")
	}
	// A bot admin may, from inside the group.
	u = srv.GroupText(group, admin, "/announcements on")
	if got := h.replyTo(group, u.Message.MessageID).PlainText(); got != optTextsFor(knowledge.EN).On {
		t.Errorf("bot admin's /announcements on = %q", got)
	}
	if c, _ := st.Chat(group); c.NoAnnouncements {
		t.Error("the bot admin could not opt the group back in")
	}
	// In a private chat it explains.
	if got := h.ask(alice, "/announcements off").PlainText(); got != optTextsFor(knowledge.EN).GroupOnly {
		t.Errorf("private /announcements = %q", got)
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
	f, err := os.OpenFile(handledPath(path), os.O_WRONLY|os.O_APPEND, 0)
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
	if fi, err := os.Stat(handledPath(path)); err != nil || fi.Size() != 3*handledRecord {
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
	fi, err := os.Stat(handledPath(path))
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
