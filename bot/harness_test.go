package bot

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"factbot/bot/telegramtest"
)

// harness runs a Bot against the fake Bot API with a fake searcher.
type harness struct {
	t        *testing.T
	srv      *telegramtest.Server
	bot      *Bot
	search   *fakeSearcher
	logs     *observer.ObservedLogs
	prefs    *MemoryPrefs
	chats    *MemoryChats
	feedback *MemoryFeedback
	cancel   context.CancelFunc
	done     chan error
}

var (
	alice = telegramtest.User(501, "Alice", "en")
	boris = telegramtest.User(502, "Boris", "ru")
	chen  = telegramtest.User(503, "Chen", "zh")
)

const group = int64(-100500)

// newBot builds a bot against srv without starting it.
func newBot(t *testing.T, srv *telegramtest.Server, opts ...func(*Config)) (*harness, error) {
	t.Helper()
	h, err := newBotTB(t, srv, opts...)
	if h != nil {
		h.t = t
	}
	return h, err
}

func newBotTB(t testing.TB, srv *telegramtest.Server, opts ...func(*Config)) (*harness, error) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	h := &harness{srv: srv, search: newFakeSearcher(t), logs: logs,
		prefs: &MemoryPrefs{}, chats: &MemoryChats{}, feedback: &MemoryFeedback{}}
	cfg := Config{
		Token: srv.Token, APIURL: srv.URL, Logger: zap.New(core), Searcher: h.search,
		Prefs: h.prefs, Chats: h.chats, Feedback: h.feedback,
		PollTimeout: 5 * time.Second, DrainTimeout: 5 * time.Second,
		Limits: NoLimits, // the limits have their own tests
	}
	for _, o := range opts {
		o(&cfg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := open(ctx, cfg)
	if err != nil {
		return h, err
	}
	b.d.backoff = 20 * time.Millisecond // keep retries fast in tests
	b.d.maxBackoff = 200 * time.Millisecond
	h.bot = b
	return h, nil
}

// start runs a bot polling the fake server until the test ends.
func start(t *testing.T, opts ...func(*Config)) *harness {
	t.Helper()
	return startOn(t, telegramtest.New(t), opts...)
}

func startOn(t *testing.T, srv *telegramtest.Server, opts ...func(*Config)) *harness {
	t.Helper()
	h, err := newBot(t, srv, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	h.run()
	t.Cleanup(h.stop)
	return h
}

// run starts polling.
func (h *harness) run() {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- h.bot.Poll(ctx) }()
}

// stop cancels polling, waits for Poll to return and closes the bot.
func (h *harness) stop() {
	h.t.Helper()
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Poll returned %v, want nil", err)
		}
	case <-time.After(15 * time.Second):
		h.t.Errorf("Poll did not return after cancel")
	}
	if err := h.bot.Close(context.Background()); err != nil {
		h.t.Errorf("Close: %v", err)
	}
}

// open makes a bot and opens it.
func open(ctx context.Context, cfg Config) (*Bot, error) {
	b, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if err := b.Open(ctx); err != nil {
		return nil, err
	}
	return b, nil
}

// replyTo waits for the bot's message replying to message id in chat.
func (h *harness) replyTo(chat int64, msgID int) telegramtest.Call {
	h.t.Helper()
	return h.srv.WaitCall(h.t, "a reply", func(c telegramtest.Call) bool {
		return c.Method == "sendMessage" && c.OK() && c.ChatID == chat && c.Param("reply_to_message_id") == itoa(msgID)
	})
}

// ask sends text in from's private chat and waits for the next message the
// bot sends there.
func (h *harness) ask(from tgbotapi.User, text string) telegramtest.Call {
	h.t.Helper()
	before := len(h.srv.Sent(from.ID))
	h.srv.PrivateText(from, text)
	return h.srv.WaitSent(h.t, from.ID, before+1)[before]
}

// logged reports whether any log entry at level or above contains s.
func (h *harness) logged(level zapcore.Level, s string) bool {
	for _, e := range h.logs.All() {
		if e.Level >= level && strings.Contains(e.Message, s) {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
