package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
	"golang.org/x/time/rate"

	"factbot/bot/reply"
	"factbot/knowledge"
)

// DefaultAPIURL is the public Bot API.
const DefaultAPIURL = "https://api.telegram.org"

// AllowedUpdates are the update kinds the bot asks Telegram for.
var AllowedUpdates = []string{"message", "callback_query", "inline_query", "my_chat_member"}

// KnowledgeSource gives the knowledge base being served, for browsing by
// topic; index.Live implements it.
type KnowledgeSource interface {
	Base() *knowledge.Base
}

// Config configures a Bot. Token and Searcher are required.
type Config struct {
	Token string
	// APIURL is the Bot API base URL; requests go to
	// {APIURL}/bot{Token}/{method}. Empty means DefaultAPIURL.
	APIURL string
	// HTTPClient makes the requests; nil means one tuned for long polls.
	HTTPClient *http.Client
	Logger     *zap.Logger // nil: no logs
	// Searcher answers questions; when it also implements KnowledgeSource,
	// /topics and /sources browse its base.
	Searcher reply.Searcher
	// Where the state lives: bot/boltstore's Store is all of these. Those
	// left nil share one Memory, lost when the process ends.
	Registry Registry
	Prefs    Prefs
	Chats    Chats
	Ledger   Ledger
	Gaps     Gaps
	Feedback FeedbackLog
	// Handled records the updates handled, so that a restart does not
	// answer them again; nil: none are recorded.
	Handled HandledLog
	// Admins may change any group's language and are exempt from flood
	// control.
	Admins []int64
	// Limits are the outbound rate limits; the zero value means
	// DefaultLimits, NoLimits lifts them.
	Limits Limits
	// Flood is how many questions a user may ask a second, with FloodBurst
	// at once; zero means at most 20 in any minute. rate.Inf disables it.
	Flood      rate.Limit
	FloodBurst int
	// PollTimeout is the long-poll timeout (default 50 s).
	PollTimeout time.Duration
	// MaxInFlight bounds the updates being handled at once (default 1024);
	// past it the bot stops taking in more.
	MaxInFlight int
	// DrainTimeout bounds how long shutdown waits for replies in flight
	// (default 10 s).
	DrainTimeout time.Duration
	// Metrics receives the counters; nil means a new set (see Bot.Metrics).
	Metrics *Metrics
	// Debug makes tgbotapi log every request (at debug level, see
	// SetLibraryLogger).
	Debug bool
	// Reloader serves /reload, /rollback and Bot.Reload; nil: reloading
	// is not available.
	Reloader Reloader
	// ReloadTimeout bounds one reload (default DefaultReloadTimeout).
	ReloadTimeout time.Duration
	// Knowledge is the base being served, for browsing and admin reports;
	// nil: the Searcher's, when it is a KnowledgeSource.
	Knowledge KnowledgeSource
	// TemporaryStore says that the state is not opened again by the next
	// start (it lives in a temporary folder): the bot then does not record
	// the updates it handled (Handled), since no restart would read them.
	TemporaryStore bool
	// Version is shown by /status.
	Version string
	// Curator takes admins' uploads, /versions and /export (curation.go);
	// nil: uploads are not available.
	Curator Curator
	// Now is the clock uploads expire by; nil means time.Now.
	Now func() time.Time
}

// Bot is factbot on Telegram: it takes updates by long polling or webhook,
// answers them through the Answerer, and sends everything through one
// rate-limited dispatcher.
type Bot struct {
	cfg      Config
	log      *zap.Logger
	self     tgbotapi.User
	d        *dispatcher
	answerer *reply.Answerer
	base     KnowledgeSource
	registry Registry
	prefs    Prefs
	chats    Chats
	ledger   Ledger
	gaps     Gaps
	feedback FeedbackLog
	admins   map[int64]bool
	flood    *limiterSet
	metrics  *Metrics
	answers  *answerCache
	charts   *charts
	seq      *sequencer
	offsets  *offsets
	recent   *recentIDs
	reloads  reloadState
	started  time.Time
	ann      *announcer
	cur      *curation // uploads (curation.go)

	lastContact atomic.Int64 // unix nanoseconds of the last word from Telegram
	polled      atomic.Bool  // Poll ran: Close confirms its offsets
	closed      atomic.Bool

	// work is the context handlers run in: it outlives the receiving
	// context, so that shutdown can finish the replies in flight.
	work       context.Context
	cancelWork context.CancelFunc
}

// fillState gives every state the config leaves nil one shared Memory.
func (cfg *Config) fillState() {
	var mem *Memory
	memory := func() *Memory {
		if mem == nil {
			mem = NewMemory()
		}
		return mem
	}
	if cfg.Registry == nil {
		cfg.Registry = memory()
	}
	if cfg.Prefs == nil {
		cfg.Prefs = memory()
	}
	if cfg.Chats == nil {
		cfg.Chats = memory()
	}
	if cfg.Ledger == nil {
		cfg.Ledger = memory()
	}
	if cfg.Gaps == nil {
		cfg.Gaps = memory()
	}
	if cfg.Feedback == nil {
		cfg.Feedback = memory()
	}
}

// DefaultPollTimeout is the long-poll timeout unless Config says otherwise.
const DefaultPollTimeout = 50 * time.Second

// A Bot's life is New, Open, then Poll or the webhook handler, then Close:
//
//   - New checks the Config, fills in its defaults and allocates; it makes
//     no request;
//   - Open checks the token with getMe and resumes the broadcasts the last
//     stop cut short, and the scheduled announcements;
//   - Poll and WebhookHandler only receive updates;
//   - Close stops the schedule's timer, waits for what is in flight,
//     confirms the updates handled, and returns when nothing is left.

// New checks cfg and returns a bot to Open. It makes no request.
func New(cfg Config) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("bot: no token")
	}
	if cfg.Searcher == nil {
		return nil, errors.New("bot: no searcher")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if u, err := url.Parse(cfg.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bot: API URL %q is not an http or https URL", cfg.APIURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	cfg.fillState()
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Flood == 0 {
		cfg.Flood, cfg.FloodBurst = rate.Every(6*time.Second), 10
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = DefaultPollTimeout
	}
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = 1024
	}
	if cfg.ReloadTimeout <= 0 {
		cfg.ReloadTimeout = DefaultReloadTimeout
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 10 * time.Second
	}
	if cfg.Metrics == nil {
		cfg.Metrics = &Metrics{}
	}
	hc := cfg.HTTPClient
	if hc == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 128 // replies go out in parallel to one host
		hc = &http.Client{Transport: t}
	}
	r := newRedactor(cfg.Token)
	log := RedactLogger(cfg.Logger, cfg.Token)
	client := NewHTTPClient(hc, cfg.Token)
	api := &tgbotapi.BotAPI{Token: cfg.Token, Client: client, Debug: cfg.Debug}
	api.SetAPIEndpoint(strings.TrimRight(cfg.APIURL, "/") + "/bot%s/%s")

	b := &Bot{
		cfg: cfg, log: log, answerer: &reply.Answerer{Searcher: cfg.Searcher},
		registry: cfg.Registry, prefs: cfg.Prefs, chats: cfg.Chats, ledger: cfg.Ledger, gaps: cfg.Gaps, feedback: cfg.Feedback,
		admins:  map[int64]bool{},
		flood:   newLimiterSet(cfg.Flood, cfg.FloodBurst, maxLimiters),
		metrics: cfg.Metrics,
		answers: newAnswerCache(10_000),
		charts:  newCharts(),
		seq:     newSequencer(),
		offsets: newOffsets(),
		recent:  newRecentIDs(10_000),
		started: time.Now(),
		cur:     newCuration(cfg.Now),
	}
	b.d = newDispatcher(api, client, r, log, cfg.Metrics, cfg.Chats, cfg.Prefs, cfg.Limits)
	if ks, ok := cfg.Searcher.(KnowledgeSource); ok {
		b.base = ks
	}
	if cfg.Knowledge != nil {
		b.base = cfg.Knowledge
	}
	for _, id := range cfg.Admins {
		b.admins[id] = true
	}
	b.work, b.cancelWork = context.WithCancel(context.Background())
	b.ann = newAnnouncer(b)
	return b, nil
}

// Open checks the token with getMe, retrying while the Bot API is
// unreachable, until ctx ends; a token or URL the Bot API refuses is an
// error at once. It then resumes the broadcasts the last stop cut short
// and arms the timer of the scheduled announcements. After Open the bot is
// ready to Poll or serve a webhook.
func (b *Bot) Open(ctx context.Context) error {
	self, err := b.getMe(ctx)
	if err != nil {
		return err
	}
	b.self = self
	b.d.api.Self = self
	b.ann.resume(b.knowledge()) // broadcasts cut short by the last stop; the schedule
	b.log.Info("connected to the Bot API", zap.String("bot", "@"+self.UserName), zap.String("api", b.d.redact.String(b.cfg.APIURL)))
	return nil
}

// Close stops the bot after Poll returned or the webhook server stopped
// taking requests. It stops the schedule's timer, waits for the updates
// and broadcasts in flight — at most Config.DrainTimeout, or until ctx
// ends — then cancels what is left and waits for it to stop, and, when the
// bot polled, confirms to Telegram the updates handled, so that the next
// start neither repeats nor loses any. It returns when nothing is in
// flight. Updates a webhook delivered and Close cut short are not
// redelivered; they are logged. Closing twice does nothing.
func (b *Bot) Close(ctx context.Context) error {
	if !b.closed.CompareAndSwap(false, true) {
		return nil
	}
	start := time.Now()
	b.ann.stop()
	b.drain(ctx)
	if b.polled.Load() {
		b.confirm(ctx)
	}
	b.log.Info("shut down", zap.Duration("drained_in", time.Since(start)))
	return nil
}

// getMe fetches the bot's own user, retrying while the Bot API is
// unreachable or busy.
func (b *Bot) getMe(ctx context.Context) (tgbotapi.User, error) {
	for attempt := 1; ; attempt++ {
		rctx, cancel := context.WithTimeout(ctx, b.d.timeout)
		res, err := b.d.request(rctx, "getMe", nil)
		cancel()
		if err == nil {
			var u tgbotapi.User
			if err := json.Unmarshal(res, &u); err != nil || u.UserName == "" {
				return u, fmt.Errorf("getMe: unexpected answer %.100s", res)
			}
			return u, nil
		}
		kind, api := errKind(err)
		wait := b.d.backoffFor(attempt)
		switch {
		case ctx.Err() != nil:
			return tgbotapi.User{}, fmt.Errorf("getMe: %w", ctx.Err())
		case kind == "flood":
			wait = time.Duration(api.RetryAfter) * time.Second
		case kind != "network" && kind != "server":
			return tgbotapi.User{}, fmt.Errorf("getMe: the Bot API refused the token or URL: %w", err)
		}
		b.log.Warn("getMe failed; retrying", zap.Int("attempt", attempt), zap.Duration("in", wait), zap.Error(err))
		if err := sleep(ctx, wait); err != nil {
			return tgbotapi.User{}, fmt.Errorf("getMe: %w", err)
		}
	}
}

// Username returns the bot's @username, without the @.
func (b *Bot) Username() string { return b.self.UserName }

// Metrics returns the bot's counters.
func (b *Bot) Metrics() *Metrics { return b.metrics }

// key is the sequencer key of an update: its chat, or for an inline query
// its sender (whose private chat has the same id), so that what one chat
// sees stays in order.
func key(u *tgbotapi.Update) int64 {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.From != nil:
		return u.CallbackQuery.From.ID
	case u.InlineQuery != nil && u.InlineQuery.From != nil:
		return u.InlineQuery.From.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return 0
}

// submit hands an update to its chat's queue; done runs once it was
// handled.
func (b *Bot) submit(u tgbotapi.Update, done func()) {
	b.metrics.UpdatesReceived.Add(1)
	kind := updateKind(&u)
	b.metrics.Update(kind)
	b.seq.submit(key(&u), func() {
		defer done()
		defer b.metrics.UpdatesHandled.Add(1)
		info := &updateInfo{kind: kind, chat: key(&u), start: time.Now()}
		defer func() {
			if p := recover(); p != nil {
				b.metrics.Panics.Add(1)
				b.log.Error("handler panicked", zap.Int("update", u.UpdateID), zap.Any("panic", p), zap.ByteString("stack", debug.Stack()))
			}
			b.logUpdate(info)
		}()
		b.handle(context.WithValue(b.work, updateInfoKey{}, info), u)
	})
}

// LastContact returns when the bot last heard from Telegram: a successful
// getUpdates, or an update delivered to the webhook. Zero before that.
func (b *Bot) LastContact() time.Time {
	n := b.lastContact.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (b *Bot) touch() { b.lastContact.Store(time.Now().UnixNano()) }

// updateKind names the kind of an update, for metrics and logs.
func updateKind(u *tgbotapi.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.InlineQuery != nil:
		return "inline_query"
	case u.MyChatMember != nil:
		return "my_chat_member"
	case u.EditedMessage != nil:
		return "edited_message"
	}
	return "other"
}

// updateInfo is what the one log line of an update says; handlers fill in
// the answer's part.
type updateInfo struct {
	kind        string
	chat        int64
	start       time.Time
	lang        knowledge.Lang
	answered    bool
	hits        int
	questionLen int
	asked       bool
}

type updateInfoKey struct{}

// noteAnswer records a question's outcome for its update's log line.
func noteAnswer(ctx context.Context, r reply.Reply, questionLen int) {
	if info, ok := ctx.Value(updateInfoKey{}).(*updateInfo); ok {
		info.asked, info.lang, info.answered, info.hits, info.questionLen = true, r.Lang, r.Answered, len(r.Result.Hits), questionLen
	}
}

// logUpdate writes the one line each update gets: chat, kind, and for a
// question its language, whether it was answered and how many hits; never
// the question's text (that is at debug level, in ask).
func (b *Bot) logUpdate(info *updateInfo) {
	fields := []zap.Field{zap.Int64("chat", info.chat), zap.String("kind", info.kind), zap.Duration("took", time.Since(info.start))}
	if info.asked {
		fields = append(fields, zap.String("lang", string(info.lang)), zap.Bool("answered", info.answered),
			zap.Int("hits", info.hits), zap.Int("question_len", info.questionLen))
	}
	b.log.Info("update", fields...)
}

// drain waits for the updates in flight, at most DrainTimeout or until ctx
// ends, then cancels whatever is left and waits for it to stop.
func (b *Bot) drain(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.DrainTimeout)
	defer cancel()
	n := b.seq.pending()
	if n > 0 {
		b.log.Info("finishing replies in flight", zap.Int("updates", n))
	}
	if err := b.seq.wait(ctx); err != nil {
		n := b.seq.pending()
		b.log.Warn("shutdown: gave up waiting for replies in flight; they will be redelivered", zap.Int("updates", n))
	}
	b.cancelWork()
	b.seq.stop()
	b.reloads.bg.Wait() // canceled with the work context; returns at once
}
