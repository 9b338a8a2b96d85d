package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/reply"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

// The bot admin of these tests, and someone who took the same username.
var (
	admin  = tgbotapi.User{ID: 900, FirstName: "Admin", UserName: "boss", LanguageCode: "en"}
	forger = tgbotapi.User{ID: 901, FirstName: "Admin", UserName: "boss", LanguageCode: "ru"}
)

// fakeReloader records reloads and answers what the test set.
type fakeReloader struct {
	mu        sync.Mutex
	reloads   int
	rollbacks int
	rep       ReloadReport
	err       error
}

func (f *fakeReloader) Reload(ctx context.Context) (ReloadReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	return f.rep, f.err
}

func (f *fakeReloader) Rollback(ctx context.Context) (ReloadReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rollbacks++
	return f.rep, f.err
}

func (f *fakeReloader) calls() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reloads, f.rollbacks
}

func withAdmin(rl Reloader) func(*Config) {
	return func(c *Config) {
		c.Admins = []int64{admin.ID}
		c.Reloader = rl
	}
}

func TestAdminCommandsRefused(t *testing.T) {
	rl := &fakeReloader{rep: ReloadReport{Hash: "abc"}}
	h := start(t, withAdmin(rl))
	srv := h.srv
	groupAdmin := telegramtest.User(555, "Gulnara", "kk")
	srv.SetMember(group, groupAdmin.ID, "administrator")
	bot := "@" + telegramtest.BotUser.UserName

	refused := func(c telegramtest.Call, lang knowledge.Lang) {
		t.Helper()
		if c.PlainText() != adminRefusal[lang] {
			t.Errorf("reply = %q, want the %s refusal", c.PlainText(), lang)
		}
	}
	for i, cmd := range []string{"/reload", "/rollback", "/announce", "/status", "/gaps"} {
		// A user who is not an admin, in their private chat.
		refused(h.ask(alice, cmd+" Hello all"), knowledge.EN)
		// Someone with the admin's username but another id.
		refused(h.ask(forger, cmd), knowledge.RU)
		// A group's own admin, in the group.
		u := srv.GroupText(group, groupAdmin, cmd+bot)
		refused(h.replyTo(group, u.Message.MessageID), knowledge.KK)
		// The bot admin, but in a group.
		u = srv.GroupText(group, admin, cmd+bot)
		refused(h.replyTo(group, u.Message.MessageID), knowledge.EN)
		// An anonymous group admin, posting as the group.
		gc := tgbotapi.Chat{ID: group, Type: "supergroup", Title: "G"}
		fake := tgbotapi.User{ID: 1087968824, IsBot: true, FirstName: "Group", UserName: "GroupAnonymousBot"}
		u = srv.Queue(tgbotapi.Update{Message: &tgbotapi.Message{MessageID: 7000 + i, From: &fake, SenderChat: &gc, Chat: &gc,
			Text: cmd + bot, Entities: telegramtest.Entities(cmd + bot)}})
		refused(h.replyTo(group, 7000+i), knowledge.EN)
	}
	if n, m := rl.calls(); n != 0 || m != 0 {
		t.Errorf("reloads %d, rollbacks %d after refusals; want none", n, m)
	}
	// A group message without @bot may be for another bot: no answer.
	before := len(srv.Sent(group))
	srv.GroupText(group, groupAdmin, "/reload")
	srv.GroupText(group, groupAdmin, "/help"+bot) // a marker that the first was handled
	srv.WaitSent(t, group, before+1)
	if got := srv.Sent(group)[before:]; len(got) != 1 || got[0].PlainText() == adminRefusal[knowledge.KK] {
		t.Errorf("after an unaddressed /reload the group got %v", got)
	}
}

func TestReloadReportsTheDiff(t *testing.T) {
	rl := &fakeReloader{rep: ReloadReport{
		Hash: "0123456789abcdef", Facts: 242, Docs: 25, Took: 1234 * time.Millisecond,
		Diff: knowledge.Diff{AddedFacts: []string{"new-fact"}, ChangedFacts: []string{"khorgos-port", "trade-2023"}, RemovedDocs: []string{"old-doc"}},
	}}
	h := start(t, withAdmin(rl))
	got := h.ask(admin, "/reload").PlainText()
	for _, want := range []string{"Knowledge reloaded in 1.23 s", "version 0123456789ab", "242 facts, 25 documents",
		"Facts added (1): new-fact", "Facts changed (2): khorgos-port, trade-2023", "Documents removed (1): old-doc"} {
		if !strings.Contains(got, want) {
			t.Errorf("reload report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Facts removed") {
		t.Errorf("reload report lists an empty category:\n%s", got)
	}
	got = h.ask(admin, "/rollback").PlainText()
	if !strings.Contains(got, "Rolled back in") {
		t.Errorf("rollback report = %q", got)
	}
	if n, m := rl.calls(); n != 1 || m != 1 {
		t.Errorf("reloads %d, rollbacks %d; want 1 and 1", n, m)
	}
	rep, err := h.bot.lastReload()
	if err != nil || rep.Hash != "0123456789abcdef" {
		t.Errorf("lastReload = %+v, %v", rep, err)
	}
}

func TestReloadProblemsAreListedAndSplit(t *testing.T) {
	var probs knowledge.Problems
	for i := 1; i <= 300; i++ {
		probs = append(probs, knowledge.Problem{
			Pos: knowledge.Pos{File: fmt.Sprintf("facts/transport-%03d.yaml", i), Line: i},
			Msg: fmt.Sprintf("fact \"rail-<%d>\" has no source & no topic", i)})
	}
	rl := &fakeReloader{err: probs}
	h := start(t, withAdmin(rl))
	h.srv.PrivateText(admin, "/reload")
	var all strings.Builder
	h.srv.Wait(t, "every problem listed", func() bool {
		all.Reset()
		for _, c := range h.srv.Sent(admin.ID) {
			all.WriteString(c.PlainText() + "\n")
		}
		return strings.Contains(all.String(), "facts/transport-300.yaml:300:")
	})
	sent := h.srv.Sent(admin.ID)
	if len(sent) < 2 {
		t.Fatalf("300 problems fit in %d message; want them split", len(sent))
	}
	for _, c := range sent {
		if n := telegramtest.UTF16Len(c.PlainText()); n > reply.MaxMessageLen {
			t.Errorf("a message has %d UTF-16 units", n)
		}
	}
	text := all.String()
	if !strings.Contains(text, "300 problems") || !strings.Contains(text, "Nothing changed; the old knowledge keeps serving (version ") {
		t.Errorf("report does not say nothing changed:\n%.300s", text)
	}
	for _, p := range probs {
		if !strings.Contains(text, p.String()) {
			t.Fatalf("problem %q missing from the report", p.String())
		}
	}
	if _, err := h.bot.lastReload(); err == nil {
		t.Error("lastReload has no error after a refused reload")
	}
}

func TestReloadBySignalTellsTheAdmins(t *testing.T) {
	rl := &fakeReloader{rep: ReloadReport{Hash: "feed", Facts: 1}}
	h := start(t, withAdmin(rl))
	h.srv.PrivateText(admin, "/start") // the admin's chat exists
	h.srv.WaitSent(t, admin.ID, 1)
	if err := h.bot.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := h.srv.WaitSent(t, admin.ID, 2)[1].PlainText()
	if !strings.Contains(got, "Knowledge reloaded") {
		t.Errorf("admin was told %q", got)
	}
}

// stuckReloader never returns from a reload, whatever its context says: a
// file system that stopped answering.
type stuckReloader struct {
	started chan struct{}
	release chan struct{}
}

func (s *stuckReloader) Reload(ctx context.Context) (ReloadReport, error) {
	s.started <- struct{}{}
	<-s.release
	return ReloadReport{}, nil
}

func (s *stuckReloader) Rollback(ctx context.Context) (ReloadReport, error) { return s.Reload(ctx) }

// A reload that hangs stalls nothing: the admin's chat keeps answering, a
// second /reload is told one is running, later updates are confirmed, the
// reload gives up after its deadline, and shutdown does not wait for it.
func TestReloadThatHangsBlocksNothing(t *testing.T) {
	rl := &stuckReloader{started: make(chan struct{}, 10), release: make(chan struct{})}
	defer close(rl.release)
	h := start(t, withAdmin(rl), func(c *Config) { c.ReloadTimeout = 2 * time.Second })
	srv := h.srv

	u := srv.PrivateText(admin, "/reload")
	select {
	case <-rl.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the reload did not start")
	}
	// The admin's chat is not stuck behind the reload.
	if got := h.ask(admin, "/status").PlainText(); !strings.Contains(got, "Reload running: reload for") {
		t.Errorf("/status during a reload = %q", got)
	}
	if got := h.ask(admin, "/reload").PlainText(); !strings.Contains(got, "already running") {
		t.Errorf("a second /reload = %q, want 'already running'", got)
	}
	if got := h.ask(alice, "trade 2023").PlainText(); got == "" {
		t.Error("no answer to a user during a reload")
	}
	// The /reload update and those after it are confirmed without waiting
	// for the reload to end.
	srv.Wait(t, "updates confirmed past /reload", func() bool { return srv.Confirmed() > u.UpdateID })

	// The deadline ends it with a report; the next reload may run.
	got := srv.WaitCall(t, "the timed-out report", func(c telegramtest.Call) bool {
		return c.Method == "sendMessage" && c.ChatID == admin.ID && strings.Contains(c.PlainText(), "took longer than 2.00 s")
	}).PlainText()
	if !strings.Contains(got, "Nothing changed; the old knowledge keeps serving") {
		t.Errorf("timed-out report = %q", got)
	}
	srv.PrivateText(admin, "/reload")
	select {
	case <-rl.started:
	case <-time.After(10 * time.Second):
		t.Fatal("a reload after the timed-out one did not start")
	}
	// Shutdown does not wait for the hanging reload.
	stopped := make(chan struct{})
	go func() { h.stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(20 * time.Second):
		t.Fatal("shutdown waits for a reload that hangs")
	}
}

// SIGHUP's reload is refused while another runs, and gives up when the bot
// stops.
func TestSignalReloadWhileRunning(t *testing.T) {
	rl := &stuckReloader{started: make(chan struct{}, 10), release: make(chan struct{})}
	defer close(rl.release)
	h := start(t, withAdmin(rl))
	h.srv.PrivateText(admin, "/reload")
	<-rl.started
	if err := h.bot.Reload(context.Background()); err != ErrReloadRunning {
		t.Errorf("Reload during a reload = %v, want ErrReloadRunning", err)
	}
}
