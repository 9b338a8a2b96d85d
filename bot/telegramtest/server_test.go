package telegramtest_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
)

var alice = telegramtest.User(501, "Alice", "en")

func newClient(t *testing.T, s *telegramtest.Server) *tgbotapi.BotAPI {
	t.Helper()
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(s.Token, s.Endpoint())
	if err != nil {
		t.Fatalf("NewBotAPIWithAPIEndpoint: %v", err)
	}
	return api
}

func apiError(t *testing.T, err error) *tgbotapi.Error {
	t.Helper()
	var e *tgbotapi.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *tgbotapi.Error", err, err)
	}
	return e
}

func TestGetMeAndToken(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	if api.Self.UserName != telegramtest.BotUser.UserName {
		t.Errorf("Self = %+v, want %+v", api.Self, telegramtest.BotUser)
	}
	_, err := tgbotapi.NewBotAPIWithAPIEndpoint("1:wrong", s.Endpoint())
	if e := apiError(t, err); e.Code != 401 {
		t.Errorf("wrong token: code %d, want 401", e.Code)
	}
}

func TestGetUpdatesByOffset(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	u1 := s.PrivateText(alice, "one")
	u2 := s.GroupText(-100, alice, "/ask@factbot_test_bot two")
	u3 := s.InlineQuery(alice, "trade 2024")

	got, err := api.GetUpdates(tgbotapi.UpdateConfig{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].UpdateID != u1.UpdateID || got[1].UpdateID != u2.UpdateID {
		t.Fatalf("GetUpdates(limit 2) = %+v", got)
	}
	if e := got[1].Message.Entities; len(e) != 1 || e[0].Type != "bot_command" || e[0].Length != len("/ask@factbot_test_bot") {
		t.Errorf("command entities = %+v", e)
	}
	if s.Confirmed() != 0 || s.Pending() != 3 {
		t.Errorf("before confirming: Confirmed %d Pending %d", s.Confirmed(), s.Pending())
	}
	got, err = api.GetUpdates(tgbotapi.UpdateConfig{Offset: u2.UpdateID + 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].InlineQuery == nil || got[0].UpdateID != u3.UpdateID {
		t.Fatalf("GetUpdates(offset) = %+v", got)
	}
	if s.Confirmed() != u2.UpdateID+1 || s.Pending() != 1 {
		t.Errorf("after confirming: Confirmed %d Pending %d", s.Confirmed(), s.Pending())
	}
}

func TestAllowedUpdatesFilter(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.InlineQuery(alice, "x")
	m := s.PrivateText(alice, "hi")
	got, err := api.GetUpdates(tgbotapi.UpdateConfig{AllowedUpdates: []string{"message"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].UpdateID != m.UpdateID {
		t.Fatalf("GetUpdates(allowed message) = %+v", got)
	}
	if a := s.AllowedUpdates(); len(a) != 1 || a[0] != "message" {
		t.Errorf("AllowedUpdates = %v", a)
	}
}

func TestLongPollWakesOnNewUpdate(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	done := make(chan []tgbotapi.Update, 1)
	go func() {
		ups, _ := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		done <- ups
	}()
	s.Wait(t, "a pending poll", func() bool { return s.Polling() == 1 })
	s.PrivateText(alice, "late")
	select {
	case ups := <-done:
		if len(ups) != 1 {
			t.Fatalf("long poll returned %d updates", len(ups))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not wake on a new update")
	}
}

func TestLongPollTimesOutEmpty(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	start := time.Now()
	ups, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil || len(ups) != 0 {
		t.Fatalf("GetUpdates = %v, %v", ups, err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("empty long poll returned after %v, want about 1s", d)
	}
}

func TestConcurrentPollsConflict(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	first := make(chan error, 1)
	go func() {
		_, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 30})
		first <- err
	}()
	s.Wait(t, "first poll pending", func() bool { return s.Polling() == 1 })
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{Timeout: 0}); err != nil {
		t.Fatalf("second poll: %v", err)
	}
	select {
	case err := <-first:
		if e := apiError(t, err); e.Code != 409 {
			t.Fatalf("superseded poll: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("first poll never conflicted")
	}
}

func TestSendMessageValidation(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hi") // the chat exists once the user wrote
	long := strings.Repeat("a", 4096)
	emoji := strings.Repeat("😀", 2048) // 4096 UTF-16 units
	for _, tc := range []struct {
		name, text, mode string
		chat             int64
		markup           any
		want             string // "" means accepted
	}{
		{name: "plain", text: "hello"},
		{name: "4096", text: long},
		{name: "4097", text: long + "b", want: "message is too long"},
		{name: "emoji 4096 units", text: emoji},
		{name: "emoji 4098 units", text: emoji + "😀", want: "message is too long"},
		{name: "entities do not count", text: "<b>" + strings.Repeat("&amp;", 4096) + "</b>", mode: "HTML"},
		{name: "empty", text: " ", want: "message text is empty"},
		{name: "empty after tags", text: "<b></b>", mode: "HTML", want: "message text is empty"},
		{name: "unknown tag", text: "<div>x</div>", mode: "HTML", want: "unsupported start tag"},
		{name: "unclosed", text: "<b>x", mode: "HTML", want: "can't find end tag"},
		{name: "misnested", text: "<b><i>x</b></i>", mode: "HTML", want: "can't find end tag"},
		{name: "stray end", text: "x</b>", mode: "HTML", want: "unexpected end tag"},
		{name: "bare amp", text: "R&D", mode: "HTML", want: "does not start an entity"},
		{name: "named entity", text: "a&nbsp;b", mode: "HTML", want: "unsupported HTML entity"},
		{name: "bare lt", text: "1 < 2", mode: "HTML", want: "can't parse entities"},
		{name: "link without href", text: "<a>x</a>", mode: "HTML", want: "has no href"},
		{name: "good HTML", text: `<b>$41</b> &lt;&gt; &#8212; <a href="https://x.kz/?a=1&amp;b=2">src</a>`, mode: "HTML"},
		{name: "unknown chat", text: "x", chat: 999, want: "chat not found"},
		{name: "long callback data", text: "x", markup: tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData("b", strings.Repeat("d", 65)))), want: "BUTTON_DATA_INVALID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chat := tc.chat
			if chat == 0 {
				chat = alice.ID
			}
			m := tgbotapi.NewMessage(chat, tc.text)
			m.ParseMode = tc.mode
			m.ReplyMarkup = tc.markup
			_, err := api.Send(m)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Send: %v, want success", err)
			case tc.want != "" && err == nil:
				t.Errorf("Send succeeded, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Errorf("Send: %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSentMessageHasEntities(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hi")
	m := tgbotapi.NewMessage(alice.ID, "Trade: <b>$41 billion</b> 😀 <a href=\"https://e.kz\">link</a>")
	m.ParseMode = tgbotapi.ModeHTML
	sent, err := api.Send(m)
	if err != nil {
		t.Fatal(err)
	}
	if sent.Text != "Trade: $41 billion 😀 link" {
		t.Errorf("Text = %q", sent.Text)
	}
	want := []tgbotapi.MessageEntity{{Type: "bold", Offset: 7, Length: 11}, {Type: "text_link", Offset: 22, Length: 4, URL: "https://e.kz"}}
	if len(sent.Entities) != 2 || sent.Entities[0] != want[0] || sent.Entities[1] != want[1] {
		t.Errorf("Entities = %+v, want %+v", sent.Entities, want)
	}
}

func TestFaults(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hi")
	send := func() error {
		_, err := api.Send(tgbotapi.NewMessage(alice.ID, "x"))
		return err
	}

	s.Inject(telegramtest.TooManyRequests(7).For("sendMessage"))
	if e := apiError(t, send()); e.Code != 429 || e.RetryAfter != 7 {
		t.Errorf("429: %+v", e)
	}
	s.Inject(telegramtest.ServerError(502))
	if e := apiError(t, send()); e.Code != 502 {
		t.Errorf("502: %+v", e)
	}
	s.Inject(telegramtest.BotBlocked().InChat(alice.ID))
	if e := apiError(t, send()); e.Code != 403 {
		t.Errorf("403: %+v", e)
	}
	s.Inject(telegramtest.Migrated(-100200))
	if e := apiError(t, send()); e.MigrateToChatID != -100200 {
		t.Errorf("migrate: %+v", e)
	}
	s.Inject(telegramtest.Drop())
	if err := send(); err == nil || errors.As(err, new(*tgbotapi.Error)) {
		t.Errorf("dropped connection: %v, want a transport error", err)
	}
	s.Inject(telegramtest.BadGatewayPage())
	if err := send(); err == nil || errors.As(err, new(*tgbotapi.Error)) {
		t.Errorf("HTML 502: %v, want a decoding error (tgbotapi returns it bare)", err)
	}
	s.Inject(telegramtest.Slow(300 * time.Millisecond))
	start := time.Now()
	if err := send(); err != nil || time.Since(start) < 300*time.Millisecond {
		t.Errorf("slow: %v after %v", err, time.Since(start))
	}
	s.Inject(telegramtest.ServerError(500).N(2))
	_, _ = send(), send()
	if err := send(); err != nil {
		t.Errorf("after a fault's N calls: %v", err)
	}
	if err := send(); err != nil {
		t.Errorf("no fault left: %v", err)
	}
}

func TestPersistentChatStates(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.GroupText(-5, alice, "hi")
	s.MigrateChat(-5, -1005)
	_, err := api.Send(tgbotapi.NewMessage(-5, "x"))
	if e := apiError(t, err); e.MigrateToChatID != -1005 {
		t.Errorf("migrated chat: %+v", e)
	}
	if _, err := api.Send(tgbotapi.NewMessage(-1005, "x")); err != nil {
		t.Errorf("new supergroup: %v", err)
	}
	s.BlockChat(-1005)
	_, err = api.Send(tgbotapi.NewMessage(-1005, "x"))
	if e := apiError(t, err); e.Code != 403 {
		t.Errorf("blocked: %+v", e)
	}
}

func TestEditMessage(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	u := s.PrivateText(alice, "hi")
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("a", "a")))
	m := tgbotapi.NewMessage(alice.ID, "one")
	m.ReplyMarkup = kb
	sent, err := api.Send(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Send(tgbotapi.NewEditMessageTextAndMarkup(alice.ID, sent.MessageID, "two", kb)); err != nil {
		t.Errorf("edit: %v", err)
	}
	_, err = api.Send(tgbotapi.NewEditMessageTextAndMarkup(alice.ID, sent.MessageID, "two", kb))
	if err == nil || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("same edit: %v, want not modified", err)
	}
	empty := tgbotapi.NewInlineKeyboardMarkup()
	empty.InlineKeyboard = [][]tgbotapi.InlineKeyboardButton{}
	if _, err := api.Request(tgbotapi.NewEditMessageReplyMarkup(alice.ID, sent.MessageID, empty)); err != nil {
		t.Errorf("remove markup: %v", err)
	}
	_, err = api.Send(tgbotapi.NewEditMessageText(alice.ID, u.Message.MessageID, "x"))
	if err == nil || !strings.Contains(err.Error(), "can't be edited") {
		t.Errorf("edit user's message: %v", err)
	}
}

func TestCallbackAnswers(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hi")
	sent, _ := api.Send(tgbotapi.NewMessage(alice.ID, "x"))
	cb := s.Callback(alice, sent, "more")
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err != nil {
		t.Fatal(err)
	}
	if got := s.UnansweredCallbacks(); len(got) != 1 {
		t.Fatalf("UnansweredCallbacks = %v", got)
	}
	if _, err := api.Request(tgbotapi.NewCallback(cb.CallbackQuery.ID, "ok")); err != nil {
		t.Errorf("answer: %v", err)
	}
	if _, err := api.Request(tgbotapi.NewCallback(cb.CallbackQuery.ID, "again")); err == nil {
		t.Error("second answer succeeded")
	}
	if got := s.UnansweredCallbacks(); len(got) != 0 {
		t.Errorf("UnansweredCallbacks = %v after answering", got)
	}
}

func TestInlineAnswers(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	q := s.InlineQuery(alice, "trade")
	good := tgbotapi.NewInlineQueryResultArticleHTML("f1", "Trade", "<b>$41 billion</b>")
	bad := tgbotapi.NewInlineQueryResultArticleHTML("f2", "Trade", "<b>$41 billion")
	if _, err := api.Request(tgbotapi.InlineConfig{InlineQueryID: q.InlineQuery.ID, Results: []any{good, bad}}); err == nil {
		t.Error("malformed HTML in a result was accepted")
	}
	if _, err := api.Request(tgbotapi.InlineConfig{InlineQueryID: q.InlineQuery.ID, Results: []any{good}, CacheTime: 300}); err != nil {
		t.Errorf("answerInlineQuery: %v", err)
	}
	c := s.WaitCalls(t, "answerInlineQuery", 1)[0]
	if rs := telegramtest.InlineResults(c); len(rs) != 1 || rs[0].ID != "f1" {
		t.Errorf("InlineResults = %+v", rs)
	}
}

func TestCommandsAndUnsupported(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	cfg := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeAllPrivateChats(), "ru",
		tgbotapi.BotCommand{Command: "help", Description: "Помощь"})
	if _, err := api.Request(cfg); err != nil {
		t.Fatal(err)
	}
	if got := s.Commands("all_private_chats", "ru"); len(got) != 1 || got[0].Command != "help" {
		t.Errorf("Commands = %+v", got)
	}
	if _, err := api.Request(tgbotapi.NewSetMyCommands(tgbotapi.BotCommand{Command: "Bad-Name", Description: "x"})); err == nil {
		t.Error("invalid command name accepted")
	}
	s.Unsupported("setMyCommands")
	_, err := api.Request(cfg)
	if e := apiError(t, err); e.Code != 404 {
		t.Errorf("unsupported: %+v", e)
	}
}

func TestGetChatMember(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.GroupText(-7, alice, "hi")
	s.SetMember(-7, alice.ID, "administrator")
	m, err := api.GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: -7, UserID: alice.ID}})
	if err != nil || m.Status != "administrator" {
		t.Errorf("GetChatMember = %+v, %v", m, err)
	}
}

func TestWebhookDelivery(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	got := make(chan tgbotapi.Update, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var u tgbotapi.Update
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &u)
		got <- u
	}))
	t.Cleanup(hook.Close)
	if _, err := api.MakeRequest("setWebhook", tgbotapi.Params{"url": hook.URL, "secret_token": "s3cret"}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.GetUpdates(tgbotapi.UpdateConfig{}); err == nil || apiError(t, err).Code != 409 {
		t.Errorf("getUpdates with a webhook set: %v, want 409", err)
	}
	s.DuplicateDeliveries()
	u := s.PrivateText(alice, "via webhook")
	for i := 0; i < 2; i++ {
		select {
		case d := <-got:
			if d.UpdateID != u.UpdateID {
				t.Errorf("delivery %d: update %d, want %d", i, d.UpdateID, u.UpdateID)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("delivery %d did not arrive", i)
		}
	}
	s.Wait(t, "confirmation", func() bool { return s.Pending() == 0 })
}

func TestEnforceLimits(t *testing.T) {
	s := telegramtest.New(t)
	api := newClient(t, s)
	s.PrivateText(alice, "hi")
	s.EnforceLimits(telegramtest.Limits{Private: telegramtest.Rate{N: 2, Per: time.Minute}, Reject: true})
	for i := 0; i < 2; i++ {
		if _, err := api.Send(tgbotapi.NewMessage(alice.ID, "x")); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	_, err := api.Send(tgbotapi.NewMessage(alice.ID, "x"))
	if e := apiError(t, err); e.Code != 429 || e.RetryAfter < 1 {
		t.Errorf("over the limit: %+v", e)
	}
	if b := s.Breaches(); len(b) != 1 || b[0].Limit != "private" {
		t.Errorf("Breaches = %v", b)
	}
}

func TestParseHTML(t *testing.T) {
	for _, tc := range []struct{ in, plain, err string }{
		{in: "a &lt;b&gt; &amp; &quot;c&quot; &#65;&#x42;", plain: `a <b> & "c" AB`},
		{in: "<b>x <i>y</i></b> <code>z</code> <pre>p</pre> <s>s</s> <u>u</u>", plain: "x y z p s u"},
		{in: `<span class="tg-spoiler">x</span><tg-spoiler>y</tg-spoiler>`, plain: "xy"},
		{in: "a > b", plain: "a > b"},
		{in: `<span>x</span>`, err: "tg-spoiler"},
		{in: "<a href='https://a'><a href='https://b'>x</a></a>", err: "nested links"},
		{in: "&#0;", err: "invalid numeric entity"},
		{in: "&amp", err: "does not start an entity"},
		{in: "<b", err: "unclosed start tag"},
		{in: "< b>", err: "empty tag name"},
		{in: "\xff", err: "UTF-8"},
	} {
		plain, _, err := telegramtest.ParseHTML(tc.in)
		switch {
		case tc.err == "" && (err != nil || plain != tc.plain):
			t.Errorf("ParseHTML(%q) = %q, %v; want %q", tc.in, plain, err, tc.plain)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseHTML(%q) error = %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestSpellingsAreShown(t *testing.T) {
	const token = "987654:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
	for _, s := range telegramtest.Spellings(token) {
		if !telegramtest.ShowsSecret("error: "+s+".", token) {
			t.Errorf("ShowsSecret misses %q", s)
		}
	}
	for _, s := range []string{"987654:[REDACTED]", "AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T", "%41AHfiqks"} {
		if telegramtest.ShowsSecret(s, token) {
			t.Errorf("ShowsSecret(%q) = true", s)
		}
	}
}
