package bot

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap"
	"golang.org/x/time/rate"
)

// Limits are the outbound rate limits. Telegram allows about one message a
// second in a chat (with short bursts), 20 a minute in a group, and 30 a
// second in all; the defaults stay under those.
type Limits struct {
	Private      rate.Limit // messages a second to one private chat
	PrivateBurst int
	Group        rate.Limit // messages a second to one group
	GroupBurst   int
	Global       rate.Limit // calls a second in all
	GlobalBurst  int
}

// DefaultLimits stay under Telegram's: 1/s per private chat (bursts of 2, so
// a two-part answer is not held back), 17/min per group with bursts of 3 (at
// most 20 in any minute), 28/s overall with no burst (at most 29 in any
// second: a broadcast runs at 92% of the 30/s Telegram allows, with a
// message of margin for the network's jitter).
var DefaultLimits = Limits{
	Private: 1, PrivateBurst: 2,
	Group: rate.Every(time.Minute / 17), GroupBurst: 3,
	Global: 28, GlobalBurst: 1,
}

// NoLimits lifts every outbound limit, for benchmarks against a fake server.
var NoLimits = Limits{Private: rate.Inf, Group: rate.Inf, Global: rate.Inf}

// maxLimiters bounds the per-chat buckets kept in memory.
const maxLimiters = 100_000

// limitKind says which limits a call counts against.
type limitKind int

const (
	limitNone   limitKind = iota // reads and set-up: getChatMember, setWebhook
	limitGlobal                  // answers to callback and inline queries, setMyCommands
	limitChat                    // messages and edits in a chat: its limit and the global one
)

// call is one Bot API request through the dispatcher.
type call struct {
	method string
	chat   int64 // the chat written to; 0 when none
	params tgbotapi.Params
	plain  string // the text without markup, resent when Telegram cannot parse the HTML
	// files are uploaded with the call as multipart/form-data (sendPhoto,
	// sendDocument); the params then go as form fields beside them.
	files []tgbotapi.RequestFile
	limit limitKind
	// before, when set, runs right before each attempt goes out, once the
	// rate limits let it; an error gives the call up (reason "store").
	before func() error

	notBefore time.Time // set by a 429
}

// sendError is a call the dispatcher gave up on.
type sendError struct {
	reason string // the Metrics.Dropped reason
	err    error
}

func (e *sendError) Error() string { return e.reason + ": " + e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

// errChatGone is returned for a chat that blocked or removed the bot.
var errChatGone = errors.New("chat is gone: the bot was blocked or removed")

// dispatcher sends everything the bot sends. It waits for the rate limits,
// and on failure: 429 waits retry_after and retries the same call; 403 marks
// the chat inactive; migrate_to_chat_id moves the chat and retries; "can't
// parse entities" resends as plain text; network errors and 5xx retry with
// backoff. Every call given up is logged and counted.
type dispatcher struct {
	api     *tgbotapi.BotAPI
	client  tgbotapi.HTTPClient
	redact  *redactor
	log     *zap.Logger
	metrics *Metrics
	chats   Chats
	prefs   Prefs

	global  *rate.Limiter
	private *limiterSet
	group   *limiterSet
	// pace spaces the requests themselves at the global rate: a call's
	// before hook (a write to disk) may hold it after the global limiter
	// let it go, and calls held unevenly would bunch up past the limit.
	pace *rate.Limiter

	mu          sync.Mutex
	globalUntil time.Time // a 429 on a call to no chat holds back all such calls

	maxAttempts int           // for network errors and 5xx
	maxWaits    int           // for 429s on one call
	backoff     time.Duration // first retry delay
	maxBackoff  time.Duration
	timeout     time.Duration // one request
}

func newDispatcher(api *tgbotapi.BotAPI, client tgbotapi.HTTPClient, r *redactor, log *zap.Logger, m *Metrics, chats Chats, prefs Prefs, l Limits) *dispatcher {
	return &dispatcher{
		api: api, client: client, redact: r, log: log, metrics: m, chats: chats, prefs: prefs,
		global:      rate.NewLimiter(l.Global, max(l.GlobalBurst, 1)),
		pace:        rate.NewLimiter(l.Global, max(l.GlobalBurst, 1)),
		private:     newLimiterSet(l.Private, l.PrivateBurst, maxLimiters),
		group:       newLimiterSet(l.Group, l.GroupBurst, maxLimiters),
		maxAttempts: 6,
		maxWaits:    10,
		backoff:     500 * time.Millisecond,
		maxBackoff:  30 * time.Second,
		timeout:     30 * time.Second,
	}
}

// request makes one Bot API call with ctx and returns its result, with the
// token redacted from any error.
func (d *dispatcher) request(ctx context.Context, method string, params tgbotapi.Params) (json.RawMessage, error) {
	api := *d.api
	api.Client = ctxClient{ctx: ctx, c: d.client}
	resp, err := api.MakeRequest(method, params)
	if err != nil {
		return nil, d.redact.err(err)
	}
	return resp.Result, nil
}

// upload is request for a call with files, sent as multipart/form-data.
// tgbotapi's UploadFiles leaves the error code out of its Error (a 403 or a
// 5xx would look like any rejection); it is put back from the response.
func (d *dispatcher) upload(ctx context.Context, c *call) (json.RawMessage, error) {
	api := *d.api
	api.Client = ctxClient{ctx: ctx, c: d.client}
	resp, err := api.UploadFiles(c.method, c.params, c.files)
	if err != nil {
		if resp != nil && resp.ErrorCode != 0 {
			// tgbotapi's uploads return the description alone: keep the
			// code and parameters, as MakeRequest does, for errKind.
			e := &tgbotapi.Error{Code: resp.ErrorCode, Message: resp.Description}
			if resp.Parameters != nil {
				e.ResponseParameters = *resp.Parameters
			}
			return nil, d.redact.err(e)
		}
		return nil, d.redact.err(err)
	}
	return resp.Result, nil
}

// errorKind is how a Bot API call failed, as errKind classifies it; its
// text is the label of factbot_api_errors_total.
type errorKind string

// Kinds of failure.
const (
	kindFlood        errorKind = "flood"
	kindMigrated     errorKind = "migrated"
	kindForbidden    errorKind = "forbidden"
	kindConflict     errorKind = "conflict"
	kindServer       errorKind = "server"
	kindParse        errorKind = "parse"
	kindNotModified  errorKind = "not_modified"
	kindExpired      errorKind = "expired"
	kindUnauthorized errorKind = "unauthorized"
	kindNotFound     errorKind = "not_found"
	kindRejected     errorKind = "rejected"
	kindCanceled     errorKind = "canceled"
	kindNetwork      errorKind = "network"
)

// errKind classifies a Bot API failure. tgbotapi v5.5.1's MakeRequest
// returns *tgbotapi.Error for an answer with ok=false (its Error method has
// a value receiver, so both the pointer and the value are matched with
// errors.As, wrapped or not). Everything else it returns bare and
// unclassified: Client.Do's *url.Error (carrying the URL, token and all),
// the json decoder's error for a body that is not the Bot API's JSON (a
// proxy's HTML 502 has no error_code at all), and http.NewRequest's parse
// error. So kinds come from the Error's code and parameters first, then
// from the shape of the bare error.
func errKind(err error) (kind errorKind, api *tgbotapi.Error) {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		api = te
	} else {
		var tv tgbotapi.Error
		if errors.As(err, &tv) {
			api = &tv
		}
	}
	if api != nil {
		msg := strings.ToLower(api.Message)
		switch {
		case api.RetryAfter > 0 || api.Code == 429:
			return kindFlood, api
		case api.MigrateToChatID != 0:
			return kindMigrated, api
		case api.Code == 403:
			return kindForbidden, api
		case api.Code == 409:
			return kindConflict, api
		case api.Code >= 500:
			return kindServer, api
		case strings.Contains(msg, "can't parse entities") || strings.Contains(msg, "can't parse message text"):
			return kindParse, api
		case strings.Contains(msg, "message is not modified"):
			return kindNotModified, api
		case strings.Contains(msg, "query is too old") || strings.Contains(msg, "query id is invalid"):
			return kindExpired, api
		case api.Code == 401:
			return kindUnauthorized, api
		case api.Code == 404:
			return kindNotFound, api
		}
		return kindRejected, api
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return kindCanceled, nil
	}
	var se *json.SyntaxError
	var ute *json.UnmarshalTypeError
	if errors.As(err, &se) || errors.As(err, &ute) || strings.Contains(err.Error(), "invalid character") {
		return kindServer, nil // a body that is not the Bot API's JSON, like a proxy's error page
	}
	return kindNetwork, nil // connection refused, reset, dropped, timed out
}

// do sends c, retrying as the failure warrants, and returns the result.
func (d *dispatcher) do(ctx context.Context, c *call) (json.RawMessage, error) {
	attempts, waits := 0, 0
	for {
		if err := d.wait(ctx, c); err != nil {
			return nil, d.giveUp(c, "canceled", err)
		}
		if c.before != nil {
			if err := c.before(); err != nil {
				return nil, d.giveUp(c, "store", err)
			}
		}
		if c.limit != limitNone && d.pace.Limit() != rate.Inf {
			if err := d.pace.Wait(ctx); err != nil {
				return nil, d.giveUp(c, "canceled", err)
			}
		}
		rctx, cancel := context.WithTimeout(ctx, d.timeout)
		var res json.RawMessage
		var err error
		if c.files != nil {
			res, err = d.upload(rctx, c)
		} else {
			res, err = d.request(rctx, c.method, c.params)
		}
		cancel()
		if err == nil {
			d.metrics.Sent.Add(1)
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, d.giveUp(c, "canceled", err)
		}
		kind, api := errKind(err)
		if kind != "not_modified" {
			d.metrics.apiError(kind)
		}
		switch kind {
		case "not_modified":
			return nil, nil // the message already says that
		case "flood":
			waits++
			wait := time.Duration(api.RetryAfter) * time.Second
			if wait <= 0 {
				wait = d.backoff
			}
			d.log.Warn("telegram flood control: waiting before retrying the same call",
				zap.String("method", c.method), zap.Int64("chat", c.chat), zap.Duration("retry_after", wait), zap.Int("wait", waits))
			if waits > d.maxWaits {
				return nil, d.giveUp(c, "retries", err)
			}
			d.pause(c, time.Now().Add(wait+jitter(wait/10+50*time.Millisecond)))
			d.metrics.Retries.Add(1)
		case "forbidden":
			if c.chat != 0 {
				reason := "blocked"
				if c.chat < 0 {
					reason = "kicked"
				}
				if err := d.chats.SetActive(c.chat, false, reason); err != nil {
					d.log.Error("mark chat inactive", zap.Int64("chat", c.chat), zap.Error(err))
				}
			}
			return nil, d.giveUp(c, "forbidden", errChatGone)
		case "migrated":
			to := api.MigrateToChatID
			attempts++
			if attempts > d.maxAttempts || c.chat == 0 || to == c.chat {
				return nil, d.giveUp(c, "rejected", err)
			}
			d.migrate(ctx, c.chat, to)
			c.chat = to
			c.params["chat_id"] = strconv.FormatInt(to, 10)
			if _, ok := c.params["reply_to_message_id"]; ok {
				c.params["allow_sending_without_reply"] = "true"
			}
			d.metrics.Retries.Add(1)
		case "parse":
			if c.plain == "" || c.params["parse_mode"] == "" {
				return nil, d.giveUp(c, "rejected", err)
			}
			d.log.Error("telegram rejected our HTML; resending as plain text",
				zap.String("method", c.method), zap.Int64("chat", c.chat), zap.Error(err))
			delete(c.params, "parse_mode")
			c.params["text"] = c.plain
			d.metrics.PlainFallbacks.Add(1)
		case "server", "network":
			attempts++
			if attempts >= d.maxAttempts {
				return nil, d.giveUp(c, "retries", err)
			}
			delay := d.backoffFor(attempts)
			d.log.Warn("bot API call failed; retrying", zap.String("method", c.method), zap.Int64("chat", c.chat),
				zap.Int("attempt", attempts), zap.Duration("in", delay), zap.Error(err))
			if err := sleep(ctx, delay); err != nil {
				return nil, d.giveUp(c, "canceled", err)
			}
			d.metrics.Retries.Add(1)
		case "expired":
			return nil, d.giveUp(c, "expired", err)
		default:
			return nil, d.giveUp(c, "rejected", err)
		}
	}
}

// giveUp logs and counts a call that will not be sent.
func (d *dispatcher) giveUp(c *call, reason string, err error) error {
	d.metrics.drop(reason)
	lvl := d.log.Warn
	switch reason {
	case "rejected", "retries":
		lvl = d.log.Error
	case "expired", "forbidden":
		lvl = d.log.Info
	}
	lvl("bot API call dropped", zap.String("method", c.method), zap.Int64("chat", c.chat), zap.String("reason", reason), zap.Error(err))
	return &sendError{reason: reason, err: err}
}

// wait blocks until c may go out under the rate limits.
func (d *dispatcher) wait(ctx context.Context, c *call) error {
	d.mu.Lock()
	until := d.globalUntil
	d.mu.Unlock()
	if c.limit == limitNone || c.notBefore.After(until) {
		until = c.notBefore
	}
	if err := sleep(ctx, time.Until(until)); err != nil {
		return err
	}
	if c.limit == limitChat && c.chat != 0 {
		set := d.private
		if c.chat < 0 {
			set = d.group
		}
		if err := set.wait(ctx, c.chat); err != nil {
			return err
		}
	}
	if c.limit == limitNone || d.global.Limit() == rate.Inf {
		return nil
	}
	return d.global.Wait(ctx)
}

// pause holds back the call until t, and with it its chat's other
// messages, or for a call to no chat, every call.
func (d *dispatcher) pause(c *call, t time.Time) {
	c.notBefore = t
	switch {
	case c.limit == limitChat && c.chat > 0:
		d.private.pause(c.chat, t)
	case c.limit == limitChat && c.chat < 0:
		d.group.pause(c.chat, t)
	case c.limit == limitGlobal:
		d.mu.Lock()
		if t.After(d.globalUntil) {
			d.globalUntil = t
		}
		d.mu.Unlock()
	}
}

// migrate moves a group's records to its supergroup.
func (d *dispatcher) migrate(ctx context.Context, from, to int64) {
	d.log.Info("group became a supergroup; moving it", zap.Int64("from", from), zap.Int64("to", to))
	if err := d.chats.Migrate(from, to); err != nil {
		d.log.Error("migrate chat", zap.Int64("from", from), zap.Int64("to", to), zap.Error(err))
	}
	if l, err := d.prefs.Lang(from); err == nil && l != "" {
		if err := d.prefs.SetLang(to, l); err != nil {
			d.log.Error("migrate chat language", zap.Int64("to", to), zap.Error(err))
		}
	}
}

// backoffFor returns the delay before retry n: doubling from d.backoff up
// to d.maxBackoff, with jitter so that many callers do not retry in step.
func (d *dispatcher) backoffFor(n int) time.Duration {
	b := d.backoff << min(n-1, 16)
	if b > d.maxBackoff || b <= 0 {
		b = d.maxBackoff
	}
	return b/2 + jitter(b/2)
}

// jitter returns a random duration in [0, d).
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
