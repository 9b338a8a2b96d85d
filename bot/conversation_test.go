package bot

import (
	"errors"
	"slices"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/reply"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

func hasEntity(m tgbotapi.Message, typ, text string) bool {
	for _, e := range m.Entities {
		if e.Type != typ {
			continue
		}
		s, t, ok := utf16Range(m.Text, e.Offset, e.Length)
		if ok && m.Text[s:t] == text {
			return true
		}
	}
	return false
}

func TestPrivateQuestion(t *testing.T) {
	h := start(t)
	c := h.ask(alice, "What was China Kazakhstan trade in 2023?")
	if c.ParseMode != "HTML" || c.Param("disable_web_page_preview") != "true" {
		t.Errorf("parse_mode %q, disable_web_page_preview %q; want HTML and true", c.ParseMode, c.Param("disable_web_page_preview"))
	}
	if c.Param("reply_to_message_id") != "" {
		t.Errorf("private answer replies to the question; it need not")
	}
	m := c.Message()
	if !hasEntity(m, "bold", "$41 billion") || !hasEntity(m, "bold", "$31.5 billion") {
		t.Errorf("both figures of a disagreement should be bold: %q %+v", m.Text, m.Entities)
	}
	if !strings.Contains(m.Text, "Why the figures differ") {
		t.Errorf("answer lacks the disagreement: %q", m.Text)
	}
	link := false
	for _, e := range m.Entities {
		link = link || (e.Type == "text_link" && strings.HasPrefix(e.URL, "https://en.trend.az/"))
	}
	if !link {
		t.Errorf("answer has no source link: %+v", m.Entities)
	}
	b := c.Buttons()
	if len(b) != 4 || !strings.HasPrefix(b[0], "m:") || !strings.HasPrefix(b[1], "s:") || !strings.HasPrefix(b[2], "v:") || !strings.HasPrefix(b[3], "v:") {
		t.Errorf("buttons = %v, want more, sources, 👍, 👎", b)
	}
	if h.bot.Metrics().Answered.Load() != 1 {
		t.Errorf("Answered = %d", h.bot.Metrics().Answered.Load())
	}
}

func TestAnswersInFiveLanguages(t *testing.T) {
	h := start(t)
	for _, tc := range []struct {
		from tgbotapi.User
		q    string
		want string
	}{
		{alice, "trade between China and Kazakhstan in 2023", "China–Kazakhstan trade set a record in 2023"},
		{boris, "товарооборот Китая и Казахстана 2023", "В 2023 году товарооборот Китая и Казахстана"},
		{telegramtest.User(504, "Aigerim", "kk"), "2023 жылы Қытай мен Қазақстан арасындағы тауар айналымы", "2023 жылы Қытай мен Қазақстан"},
		{chen, "2023年中哈贸易额", "2023年中哈贸易额创历史新高"},
		{telegramtest.User(505, "Claire", "fr"), "les échanges entre la Chine et le Kazakhstan en 2023", "Les échanges entre la Chine et le Kazakhstan ont atteint un record en 2023"},
	} {
		c := h.ask(tc.from, tc.q)
		if got := c.PlainText(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: answer starts %q, want %q", tc.q, reply.Truncate(got, 60), tc.want)
		}
	}
}

func TestNoAnswerIsHonest(t *testing.T) {
	h := start(t)
	c := h.ask(alice, "weather in Paris tomorrow")
	if got := c.PlainText(); !strings.HasPrefix(got, "I don't know that yet") {
		t.Errorf("answer = %q", got)
	}
	if c.Markup() != nil {
		t.Errorf("no-answer carries buttons: %v", c.Buttons())
	}
}

func TestSearchErrorIsKind(t *testing.T) {
	h := start(t)
	h.search.fail(errors.New("index exploded at /var/secret"))
	c := h.ask(alice, "trade 2023")
	if got := c.PlainText(); got != reply.TextsFor(knowledge.EN).Error {
		t.Errorf("answer = %q, want the fixed error sentence", got)
	}
	if h.bot.Metrics().SearchErrors.Load() != 1 {
		t.Errorf("SearchErrors = %d", h.bot.Metrics().SearchErrors.Load())
	}
}

func TestGroupConversation(t *testing.T) {
	h := start(t)
	s := h.srv
	bot := "@" + telegramtest.BotUser.UserName

	chatter := s.GroupText(group, alice, "hello everyone, trade 2023 was big")
	other := s.GroupText(group, alice, "/ask@other_bot trade 2023")
	otherCmd := s.GroupText(group, alice, "/foo")
	ask := s.GroupText(group, alice, "/ask@"+telegramtest.BotUser.UserName+" trade 2023")
	c := h.replyTo(group, ask.Message.MessageID)
	if !strings.Contains(c.PlainText(), "2023") {
		t.Errorf("/ask answer = %q", c.PlainText())
	}
	mention := s.GroupText(group, boris, bot+", товарооборот Китая и Казахстана 2024")
	c = h.replyTo(group, mention.Message.MessageID)
	if !strings.HasPrefix(c.PlainText(), "В 2024 году товарооборот") {
		t.Errorf("mention answer = %q", c.PlainText())
	}
	sent := s.ReplyText(c.Message(), chen, "2023年中哈贸易额")
	c = h.replyTo(group, sent.Message.MessageID)
	if !strings.HasPrefix(c.PlainText(), "2023年") {
		t.Errorf("reply answer = %q", c.PlainText())
	}
	// Chatter, another bot's command and an unaddressed unknown command came
	// first in the same chat, so they were handled before these answers.
	for _, u := range []tgbotapi.Update{chatter, other, otherCmd} {
		for _, c := range s.Sent(group) {
			if c.Param("reply_to_message_id") == itoa(u.Message.MessageID) {
				t.Errorf("the bot answered %q: %q", u.Message.Text, c.PlainText())
			}
		}
	}
	empty := s.GroupText(group, alice, "/ask")
	c = h.replyTo(group, empty.Message.MessageID)
	if !strings.Contains(c.PlainText(), "/ask@factbot_test_bot") {
		t.Errorf("empty /ask: %q", c.PlainText())
	}
	unknown := s.GroupText(group, alice, "/foo@"+telegramtest.BotUser.UserName)
	c = h.replyTo(group, unknown.Message.MessageID)
	if c.PlainText() != reply.TextsFor(knowledge.EN).UnknownCommand {
		t.Errorf("unknown command: %q", c.PlainText())
	}
}

func TestCommands(t *testing.T) {
	h := start(t)
	for _, tc := range []struct{ cmd, want string }{
		{"/start", "Hello! I answer questions"},
		{"/help", "How to ask:"},
		{"/about", "factbot answers from a curated"},
		{"/sources", "Where the facts come from"},
		{"/topics", "Choose a topic:"},
		{"/lang", "Choose the reply language"},
	} {
		c := h.ask(alice, tc.cmd)
		if !strings.Contains(c.PlainText(), tc.want) {
			t.Errorf("%s: %q, want %q", tc.cmd, reply.Truncate(c.PlainText(), 80), tc.want)
		}
	}
	c := h.ask(boris, "/help")
	if !strings.HasPrefix(c.PlainText(), "Как спросить") {
		t.Errorf("/help for a Russian user: %q", reply.Truncate(c.PlainText(), 40))
	}
	c = h.ask(alice, "/nonsense")
	if c.PlainText() != reply.TextsFor(knowledge.EN).UnknownCommand {
		t.Errorf("/nonsense: %q", c.PlainText())
	}
	c = h.ask(alice, "/about")
	if !strings.Contains(c.PlainText(), "5 facts, 1 documents") {
		t.Errorf("/about lacks the base's size: %q", c.PlainText())
	}
}

func TestTopicsBrowsing(t *testing.T) {
	h := start(t)
	s := h.srv
	c := h.ask(alice, "/topics")
	buttons := c.Buttons()
	if !slices.Contains(buttons, "t:trade:0") || !slices.Contains(buttons, "t:transport:0") {
		t.Fatalf("topic buttons = %v", buttons)
	}
	msg := c.Message()
	s.Callback(alice, msg, "t:trade:0")
	e := s.WaitCall(t, "the trade page", func(c telegramtest.Call) bool { return c.Method == "editMessageText" && c.OK() })
	if !strings.HasPrefix(e.PlainText(), "Trade (3)") || !slices.Contains(e.Buttons(), "f:trade-2023") || !slices.Contains(e.Buttons(), "t") {
		t.Errorf("trade page = %q %v", e.PlainText(), e.Buttons())
	}
	s.Callback(alice, msg, "f:trade-2023")
	card := h.srv.WaitSent(t, alice.ID, 2)[1]
	if !strings.HasPrefix(card.PlainText(), "China–Kazakhstan trade set a record in 2023") {
		t.Errorf("fact card = %q", reply.Truncate(card.PlainText(), 60))
	}
	s.Callback(alice, msg, "t")
	s.WaitCall(t, "back to topics", func(c telegramtest.Call) bool {
		return c.Method == "editMessageText" && c.OK() && strings.HasPrefix(c.PlainText(), "Choose a topic")
	})
	s.Callback(alice, msg, "f:no-such-fact")
	s.Callback(alice, msg, "garbage")
	s.Wait(t, "every callback answered", func() bool {
		return len(s.Calls("answerCallbackQuery")) == 5 && len(s.UnansweredCallbacks()) == 0
	})
}

func TestLanguagePreference(t *testing.T) {
	h := start(t)
	s := h.srv
	c := h.ask(alice, "/lang")
	if b := c.Buttons(); !slices.Equal(b, []string{"l:en", "l:ru", "l:kk", "l:zh", "l:fr", "l:auto"}) {
		t.Fatalf("language buttons = %v", b)
	}
	s.Callback(alice, c.Message(), "l:ru")
	s.WaitCall(t, "the confirmation", func(c telegramtest.Call) bool {
		return c.Method == "editMessageText" && c.OK() && c.PlainText() == "Теперь я отвечаю по-русски."
	})
	if l, _ := h.prefs.Lang(t.Context(), alice.ID); l != knowledge.RU {
		t.Fatalf("pref = %q", l)
	}
	c = h.ask(alice, "China Kazakhstan trade 2023")
	if !strings.HasPrefix(c.PlainText(), "В 2023 году") {
		t.Errorf("with /lang ru an English question is answered %q", reply.Truncate(c.PlainText(), 40))
	}
	c = h.ask(alice, "/lang auto")
	if c.PlainText() != reply.TextsFor(knowledge.EN).LangAutoSet {
		t.Errorf("/lang auto: %q", c.PlainText())
	}
	c = h.ask(alice, "/lang xx")
	if c.PlainText() != reply.TextsFor(knowledge.EN).LangUnknown {
		t.Errorf("/lang xx: %q", c.PlainText())
	}

	// In a group only admins may change the language.
	u := s.GroupText(group, boris, "/lang@factbot_test_bot zh")
	c = h.replyTo(group, u.Message.MessageID)
	if c.PlainText() != reply.TextsFor(knowledge.RU).LangAdminOnly {
		t.Errorf("non-admin /lang in a group: %q", c.PlainText())
	}
	s.SetMember(group, boris.ID, "administrator")
	u = s.GroupText(group, boris, "/lang@factbot_test_bot zh")
	c = h.replyTo(group, u.Message.MessageID)
	if l, _ := h.prefs.Lang(t.Context(), group); l != knowledge.ZH {
		t.Errorf("admin /lang zh: pref %q, reply %q", l, c.PlainText())
	}
	if len(s.Calls("getChatMember")) != 2 {
		t.Errorf("getChatMember calls = %d, want 2", len(s.Calls("getChatMember")))
	}
}

func TestAnswerButtons(t *testing.T) {
	h := start(t)
	s := h.srv
	c := h.ask(alice, "China Kazakhstan trade 2023 2024 2013 record turnover")
	buttons := c.Buttons()
	msg := c.Message()

	s.Callback(alice, msg, buttons[0]) // more
	more := s.WaitSent(t, alice.ID, 2)[1]
	if !strings.HasPrefix(more.PlainText(), "More results:") {
		t.Errorf("more = %q", reply.Truncate(more.PlainText(), 60))
	}
	s.Callback(alice, msg, buttons[1]) // sources
	src := s.WaitSent(t, alice.ID, 3)[2]
	if !strings.HasPrefix(src.PlainText(), "Sources:") {
		t.Errorf("sources = %q", reply.Truncate(src.PlainText(), 60))
	}
	s.Callback(alice, msg, buttons[2]) // 👍
	edit := s.WaitCall(t, "the vote row removed", func(c telegramtest.Call) bool { return c.Method == "editMessageReplyMarkup" && c.OK() })
	if b := edit.Buttons(); len(b) != 2 || b[0] != buttons[0] {
		t.Errorf("after voting the buttons are %v", b)
	}
	s.Callback(alice, msg, buttons[3]) // 👎 from an old client: already voted
	s.Wait(t, "callbacks answered", func() bool {
		return len(s.Calls("answerCallbackQuery")) == 4 && len(s.UnansweredCallbacks()) == 0
	})
	fb := h.feedback.All()
	if len(fb) != 1 || !fb[0].Useful || fb[0].HitID == "" || fb[0].User != alice.ID || fb[0].Question == "" {
		t.Errorf("feedback = %+v", fb)
	}
	answers := s.Calls("answerCallbackQuery")
	if got := answers[2].Param("text"); got != reply.TextsFor(knowledge.EN).Thanks {
		t.Errorf("vote answer = %q", got)
	}
	if got := answers[3].Param("text"); got != reply.TextsFor(knowledge.EN).AlreadyVoted {
		t.Errorf("second vote answer = %q", got)
	}

	s.Callback(alice, msg, "m:zzzz") // an answer the cache no longer holds
	s.Wait(t, "expired answered", func() bool { return len(s.Calls("answerCallbackQuery")) == 5 })
	if got := s.Calls("answerCallbackQuery")[4].Param("text"); got != reply.TextsFor(knowledge.EN).Expired {
		t.Errorf("expired = %q", got)
	}
}

func TestInlineMode(t *testing.T) {
	h := start(t)
	s := h.srv
	s.InlineQuery(alice, "trade 2023")
	c := s.WaitCalls(t, "answerInlineQuery", 1)[0]
	if c.Param("cache_time") != "300" || c.Param("is_personal") != "true" {
		t.Errorf("cache_time %q is_personal %q", c.Param("cache_time"), c.Param("is_personal"))
	}
	rs := telegramtest.InlineResults(c)
	if len(rs) == 0 || rs[0].ID != "trade-2023" || rs[0].Title != "$41 billion · 2023" {
		t.Fatalf("results = %+v", rs)
	}
	s.InlineQuery(chen, "")
	c = s.WaitCalls(t, "answerInlineQuery", 2)[1]
	rs = telegramtest.InlineResults(c)
	if len(rs) != 3 { // one per topic in testdata/kb
		t.Errorf("empty query: %d results, want one per topic", len(rs))
	}
	s.InlineQuery(alice, "weather in Paris")
	c = s.WaitCalls(t, "answerInlineQuery", 3)[2]
	if rs := telegramtest.InlineResults(c); len(rs) != 0 {
		t.Errorf("out-of-scope inline query got %d results", len(rs))
	}
}

func TestMyChatMember(t *testing.T) {
	h := start(t)
	s := h.srv
	s.MyChatMember(group, alice, "left", "member")
	c := s.WaitSent(t, group, 1)[0]
	if !strings.HasPrefix(c.PlainText(), "Hello! I answer questions") {
		t.Errorf("welcome = %q", c.PlainText())
	}
	s.MyChatMember(alice.ID, alice, "member", "kicked")
	s.Wait(t, "chat marked inactive", func() bool { _, gone := h.chats.Inactive(alice.ID); return gone })
	s.PrivateText(alice, "trade 2023") // writing again means unblocked
	s.WaitSent(t, alice.ID, 1)
	if _, gone := h.chats.Inactive(alice.ID); gone {
		t.Error("chat still inactive after the user wrote")
	}
}

func TestCommandsRegistered(t *testing.T) {
	s := start(t).srv
	s.Wait(t, "setMyCommands in five languages", func() bool { return s.CountOK("setMyCommands") == 5 })
	if got := s.Commands("default", ""); len(got) == 0 || got[0].Command != "ask" {
		t.Errorf("default commands = %+v", got)
	}
	if got := s.Commands("default", "kk"); len(got) == 0 || got[0].Description != "Сұрақ қою" {
		t.Errorf("kk commands = %+v", got)
	}
}

func TestCommandsUnsupportedIsAWarning(t *testing.T) {
	srv := telegramtest.New(t)
	srv.Unsupported("setMyCommands")
	h := startOn(t, srv)
	h.ask(alice, "trade 2023")
	srv.Wait(t, "the setMyCommands attempt", func() bool { return srv.Count("setMyCommands") == 1 })
	h.stop()
	if !h.logged(-1, "has no setMyCommands") {
		t.Error("no warning about the missing setMyCommands")
	}
}
