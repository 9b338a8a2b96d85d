package bot

import (
	"path/filepath"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/boltstore"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

func mustOpenStore(t testing.TB, path string) *boltstore.Store {
	t.Helper()
	st, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// withStore makes the bot keep all its state in st.
func withStore(st *boltstore.Store) func(*Config) {
	return func(c *Config) {
		c.Registry, c.Prefs, c.Chats, c.Ledger, c.Gaps, c.Feedback, c.Handled = st, st, st, st, st, st, st
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
