package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"factbot/bot/reply"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

// answersTo counts the successful answers to chat.
func answersTo(s *telegramtest.Server, chat int64) int { return len(s.Sent(chat)) }

func TestRetryAfterRetriesTheSameMessage(t *testing.T) {
	h := start(t)
	s := h.srv
	s.Inject(telegramtest.TooManyRequests(1).For("sendMessage").N(2))
	started := time.Now()
	c := h.ask(alice, "trade 2023")
	if d := time.Since(started); d < 2*time.Second {
		t.Errorf("answered after %v; two retry_after of 1s should hold it at least 2s", d)
	}
	attempts := s.Calls("sendMessage")
	if len(attempts) != 3 || attempts[0].Text != c.Text || attempts[1].Text != c.Text {
		t.Errorf("want the same message tried 3 times, got %d calls", len(attempts))
	}
	if gap := attempts[1].At.Sub(attempts[0].At); gap < time.Second {
		t.Errorf("retried after %v, before retry_after", gap)
	}
	m := h.bot.Metrics()
	if m.APIErrors("flood") != 2 || m.Retries.Load() != 2 || m.Dropped("") != 0 {
		t.Errorf("flood %d retries %d dropped %d", m.APIErrors("flood"), m.Retries.Load(), m.Dropped(""))
	}
}

func TestForbiddenMarksChatInactive(t *testing.T) {
	h := start(t)
	s := h.srv
	s.BlockChat(alice.ID)
	s.PrivateText(alice, "trade 2023")
	s.Wait(t, "the 403", func() bool { return s.Count("sendMessage") == 1 })
	s.Wait(t, "the drop counted", func() bool { return h.bot.Metrics().Dropped("forbidden") == 1 })
	if r, gone := h.chats.Inactive(alice.ID); !gone || r != "blocked" {
		t.Errorf("chat inactive = %v (%q), want blocked", gone, r)
	}
	// One more question (a barrier in the same chat) is tried once, not retried.
	s.PrivateText(alice, "trade 2024")
	s.Wait(t, "second attempt", func() bool { return h.bot.Metrics().Dropped("forbidden") == 2 })
	if n := s.Count("sendMessage"); n != 2 {
		t.Errorf("sendMessage calls = %d, want 2 (no retries on 403)", n)
	}
	if !h.logged(-1, "bot API call dropped") {
		t.Error("the drop was not logged")
	}
}

func TestMigrationMovesTheChat(t *testing.T) {
	h := start(t)
	s := h.srv
	const old, super = int64(-4001), int64(-1004001)
	if err := h.prefs.SetLang(t.Context(), old, knowledge.FR); err != nil {
		t.Fatal(err)
	}
	s.GroupText(old, alice, "/ask@factbot_test_bot trade 2023")
	s.MigrateChat(old, super)
	c := s.WaitSent(t, super, 1)[0]
	if c.Param("allow_sending_without_reply") != "true" || !strings.HasPrefix(c.PlainText(), "Les échanges") {
		t.Errorf("moved answer: %q, allow_sending_without_reply %q", reply.Truncate(c.PlainText(), 30), c.Param("allow_sending_without_reply"))
	}
	if got := h.chats.MovedTo(old); got != super {
		t.Errorf("MovedTo = %d", got)
	}
	if l, _ := h.prefs.Lang(t.Context(), super); l != knowledge.FR {
		t.Errorf("the language did not move: %q", l)
	}
}

func TestMigrateServiceMessage(t *testing.T) {
	h := start(t)
	s := h.srv
	s.Queue(migrateUpdate(-4002, -1004002))
	s.Wait(t, "the migration", func() bool { return h.chats.MovedTo(-4002) == -1004002 })
}

func TestParseErrorResendsPlainText(t *testing.T) {
	h := start(t)
	s := h.srv
	s.Inject(telegramtest.Fault{Method: "sendMessage", Status: 400,
		Description: "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 3"})
	c := h.ask(alice, "trade 2023")
	if c.ParseMode != "" || !strings.HasPrefix(c.Text, "China–Kazakhstan trade set a record") || strings.Contains(c.Text, "<b>") {
		t.Errorf("resent %q with parse_mode %q; want plain text", reply.Truncate(c.Text, 40), c.ParseMode)
	}
	if h.bot.Metrics().PlainFallbacks.Load() != 1 {
		t.Errorf("PlainFallbacks = %d", h.bot.Metrics().PlainFallbacks.Load())
	}
}

func TestTransientFailuresRetry(t *testing.T) {
	h := start(t)
	s := h.srv
	s.Inject(telegramtest.ServerError(502).For("sendMessage"))
	s.Inject(telegramtest.Drop().For("sendMessage"))
	s.Inject(telegramtest.BadGatewayPage().For("sendMessage"))
	s.Inject(telegramtest.ServerError(500).For("sendMessage"))
	h.ask(alice, "trade 2023")
	if n := answersTo(s, alice.ID); n != 1 {
		t.Errorf("answers = %d, want exactly 1", n)
	}
	m := h.bot.Metrics()
	if m.Retries.Load() != 4 || m.APIErrors("server") != 3 || m.APIErrors("network") != 1 {
		t.Errorf("retries %d server %d network %d", m.Retries.Load(), m.APIErrors("server"), m.APIErrors("network"))
	}
}

func TestGivingUpIsLoggedAndCounted(t *testing.T) {
	h := start(t)
	s := h.srv
	s.Inject(telegramtest.ServerError(503).For("sendMessage").N(-1))
	s.PrivateText(alice, "trade 2023")
	s.Wait(t, "the drop", func() bool { return h.bot.Metrics().Dropped("retries") == 1 })
	if n := s.Count("sendMessage"); n != h.bot.d.maxAttempts {
		t.Errorf("attempts = %d, want %d", n, h.bot.d.maxAttempts)
	}
	if !h.logged(-1, "bot API call dropped") {
		t.Error("no log line for the drop")
	}
}

func TestOrderedWithinChatConcurrentAcross(t *testing.T) {
	h := start(t)
	s := h.srv
	// Alice's chat is slow: each answer takes 300ms to send. Boris's answer
	// must not wait behind hers.
	s.Inject(telegramtest.Fault{Method: "sendMessage", Chat: alice.ID, Delay: 300 * time.Millisecond, Times: -1})
	qs := []string{"trade 2013", "trade 2023", "trade 2024", "rail freight 2024 tonnes", "visa-free regime 2023"}
	want := []string{"trade-2013", "trade-2023", "trade-2024", "rail-cargo-2024", "visa-free-regime"}
	for _, q := range qs {
		s.PrivateText(alice, q)
	}
	s.PrivateText(boris, "trade 2023")
	s.WaitSent(t, boris.ID, 1)
	if n := answersTo(s, alice.ID); n == len(qs) {
		t.Errorf("Boris waited for all of Alice's answers")
	}
	got := s.WaitSent(t, alice.ID, len(qs))
	for i, c := range got {
		f := mustBase(t).Fact(want[i])
		if text, _ := f.Text.In(knowledge.EN); !strings.HasPrefix(c.PlainText(), text[:30]) {
			t.Errorf("answer %d = %q, want %s: answers out of order", i, reply.Truncate(c.PlainText(), 40), want[i])
		}
	}
}

func TestFloodControl(t *testing.T) {
	h := start(t, func(c *Config) { c.Flood, c.FloodBurst = rate.Every(time.Hour), 3 })
	s := h.srv
	for i := 0; i < 6; i++ {
		s.PrivateText(alice, fmt.Sprintf("trade 2023 #%d", i))
	}
	s.PrivateText(boris, "trade 2023") // others are not affected
	s.WaitSent(t, boris.ID, 1)
	s.Wait(t, "6 of Alice's handled", func() bool { return h.bot.Metrics().Flooded.Load() == 3 })
	sent := s.WaitSent(t, alice.ID, 4)
	busy := 0
	for _, c := range sent {
		if c.PlainText() == reply.TextsFor(knowledge.EN).Busy {
			busy++
		}
	}
	if len(sent) != 4 || busy != 1 {
		t.Errorf("Alice got %d messages with %d notices; want 3 answers and one notice", len(sent), busy)
	}
	// Admins are exempt.
	h2 := start(t, func(c *Config) { c.Flood, c.FloodBurst, c.Admins = rate.Every(time.Hour), 1, []int64{chen.ID} })
	for i := 0; i < 3; i++ {
		h2.srv.PrivateText(chen, "trade 2023")
	}
	h2.srv.WaitSent(t, chen.ID, 3)
}

func TestFloodMemoryIsBounded(t *testing.T) {
	s := newLimiterSet(rate.Every(time.Minute), 2, 100)
	for u := int64(1); u <= 10_000; u++ {
		s.allow(u)
	}
	if n := s.len(); n > 100 {
		t.Errorf("%d buckets kept for 10000 users, bound is 100", n)
	}
	// A refused user gets exactly one notice until allowed again.
	s = newLimiterSet(rate.Every(time.Hour), 1, 10)
	var notices int
	for i := 0; i < 5; i++ {
		if ok, notice := s.allow(7); !ok && notice {
			notices++
		}
	}
	if notices != 1 {
		t.Errorf("notices = %d, want 1", notices)
	}
}

func TestOutboundRateLimits(t *testing.T) {
	srv := telegramtest.New(t)
	// Scaled-down limits so the test runs in about a second: 5/s per chat,
	// 2/s per group, 10/s overall, checked by the server with its own
	// sliding windows.
	srv.EnforceLimits(telegramtest.Limits{
		// Each window allows the bucket's burst plus its rate over the
		// window and 100ms of network jitter.
		Private: telegramtest.Rate{N: 4, Per: 500 * time.Millisecond},
		Group:   telegramtest.Rate{N: 4, Per: time.Second},
		Global:  telegramtest.Rate{N: 9, Per: 500 * time.Millisecond},
		Reject:  true,
	})
	startOn(t, srv, func(c *Config) {
		c.Limits = Limits{Private: 5, PrivateBurst: 1, Group: 2, GroupBurst: 1, Global: 10, GlobalBurst: 3}
		c.Flood = rate.Inf
	})
	for i := 0; i < 8; i++ {
		srv.PrivateText(alice, "trade 2023")
	}
	for i := 0; i < 3; i++ {
		srv.GroupText(group, boris, "/ask@factbot_test_bot trade 2024")
	}
	srv.WaitSent(t, alice.ID, 8)
	srv.WaitSent(t, group, 3)
	if b := srv.Breaches(); len(b) > 0 {
		t.Errorf("limits breached: %v", b)
	}
}

func TestConflictIsLoggedLoudly(t *testing.T) {
	srv := telegramtest.New(t)
	srv.Inject(telegramtest.Conflict())
	h := startOn(t, srv)
	h.ask(alice, "trade 2023") // polling recovers
	if !h.logged(2, "409") {   // zapcore.ErrorLevel
		t.Error("no error log about the 409 conflict")
	}
}

func TestPollHonoursRetryAfter(t *testing.T) {
	srv := telegramtest.New(t)
	srv.Inject(telegramtest.TooManyRequests(2).For("getUpdates"))
	h := startOn(t, srv)
	h.ask(alice, "trade 2023")
	polls := srv.Calls("getUpdates")
	if len(polls) < 2 || polls[1].At.Sub(polls[0].At) < 2*time.Second {
		t.Errorf("second poll %v after a retry_after of 2s", polls[1].At.Sub(polls[0].At))
	}
}

func TestFastEmptyPollsDoNotSpin(t *testing.T) {
	// A server that ignores the long-poll timeout and answers at once.
	calls := make(chan string, 1000)
	srv := http.NewServeMux()
	srv.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		calls <- method
		switch method {
		case "getMe":
			fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"b","username":"b_bot"}}`)
		case "getUpdates":
			fmt.Fprint(w, `{"ok":true,"result":[]}`)
		default:
			fmt.Fprint(w, `{"ok":true,"result":true}`)
		}
	})
	fake := newHTTPServer(t, srv)
	h, err := newBot(t, &telegramtest.Server{URL: fake, Token: "1:x"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	if err := h.bot.Poll(ctx); err != nil {
		t.Fatalf("Poll: %v", err)
	}
	polls := 0
	for len(calls) > 0 {
		if <-calls == "getUpdates" {
			polls++
		}
	}
	if polls > 4 {
		t.Errorf("%d polls in 2.5s against a server answering at once; want at most one a second", polls)
	}
}

func TestBadTokenFailsFast(t *testing.T) {
	srv := telegramtest.New(t)
	_, err := newBot(t, srv, func(c *Config) { c.Token = "999:wrong-token-xyz" })
	if err == nil || !strings.Contains(err.Error(), "getMe") {
		t.Fatalf("New with a wrong token: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-token-xyz") {
		t.Errorf("the error shows the token: %v", err)
	}
}

func TestErrKind(t *testing.T) {
	syntaxErr := json.Unmarshal([]byte("<html>"), &struct{}{})
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&tgbotapi.Error{Code: 429, Message: "Too Many Requests", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 3}}, "flood"},
		{tgbotapi.Error{Code: 403, Message: "Forbidden: bot was blocked by the user"}, "forbidden"},
		{fmt.Errorf("send: %w", &tgbotapi.Error{Code: 400, ResponseParameters: tgbotapi.ResponseParameters{MigrateToChatID: -100}}), "migrated"},
		{&tgbotapi.Error{Code: 400, Message: "Bad Request: can't parse entities: unclosed tag"}, "parse"},
		{&tgbotapi.Error{Code: 400, Message: "Bad Request: message is not modified: specified new message content"}, "not_modified"},
		{&tgbotapi.Error{Code: 400, Message: "Bad Request: query is too old and response timeout expired"}, "expired"},
		{&tgbotapi.Error{Code: 409, Message: "Conflict: terminated by other getUpdates request"}, "conflict"},
		{&tgbotapi.Error{Code: 502, Message: "Bad Gateway"}, "server"},
		{&tgbotapi.Error{Code: 401, Message: "Unauthorized"}, "unauthorized"},
		{&tgbotapi.Error{Code: 404, Message: "Not Found"}, "not_found"},
		{&tgbotapi.Error{Code: 400, Message: "Bad Request: chat not found"}, "rejected"},
		{&url.Error{Op: "Post", URL: "http://x", Err: io.EOF}, "network"},
		{syntaxErr, "server"}, // tgbotapi returns a bare decode error for an HTML 502 page
		{io.ErrUnexpectedEOF, "network"},
		{context.Canceled, "canceled"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "canceled"},
	} {
		if got, _ := errKind(tc.err); got != tc.want {
			t.Errorf("errKind(%v) = %s, want %s", tc.err, got, tc.want)
		}
	}
}

// migrateUpdate is the service message a group posts when it becomes a
// supergroup.
func migrateUpdate(from, to int64) tgbotapi.Update {
	return tgbotapi.Update{Message: &tgbotapi.Message{
		Chat: &tgbotapi.Chat{ID: from, Type: "group"}, From: &alice, MigrateToChatID: to, Date: int(time.Now().Unix()),
	}}
}

func newHTTPServer(t *testing.T, h http.Handler) string {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}
