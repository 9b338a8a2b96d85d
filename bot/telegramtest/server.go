// Package telegramtest is an in-process fake of the Telegram Bot API for
// tests. It speaks the real protocol (form-encoded requests to
// /bot<token>/<method>, {"ok", "result"} answers) to the real tgbotapi
// client, serves queued updates to getUpdates by offset with long polling or
// pushes them to a webhook, records every call, rejects what Telegram rejects
// (text over 4096 UTF-16 units, malformed HTML, empty text, unknown chats,
// callback data over 64 bytes, unanswerable queries) and injects faults on
// demand: 429 with retry_after, 5xx, 403, migrate_to_chat_id, 409, slow
// answers and dropped connections. It can also enforce Telegram's rate limits
// and report breaches.
//
// Tests wait for calls with Wait, WaitCall and WaitCalls, which block on a
// channel until a condition holds or a deadline passes; they never sleep.
//
// It imports tgbotapi for its types only; nothing in it depends on package bot.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// DefaultToken is the token New accepts unless WithToken says otherwise.
const DefaultToken = "123456:TEST-token_AbCdEfGhIjKlMnOpQrStUvWxYz"

// BotUser is the bot the fake server is.
var BotUser = tgbotapi.User{ID: 7000001, IsBot: true, FirstName: "FactBot", UserName: "factbot_test_bot"}

// Server is a fake Bot API. Create it with New; it is closed by t.Cleanup.
type Server struct {
	// URL is the server's base URL, like https://api.telegram.org: requests
	// go to URL + "/bot" + token + "/" + method.
	URL string
	// Token is the only token the server accepts; others get 401.
	Token string
	// Bot is the bot's own user, returned by getMe.
	Bot tgbotapi.User
	// Timeout bounds every Wait; 10 s unless changed before use.
	Timeout time.Duration

	tb      testing.TB
	srv     *httptest.Server
	closing chan struct{}
	closed  sync.Once
	bg      sync.WaitGroup // webhook deliveries

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every change
	keepCalls   int           // -1: all
	calls       []Call
	seq         int
	counts      map[string]int
	updates     []queued // not yet confirmed, ascending ids
	nextUpdate  int
	confirmed   int // the highest offset a client confirmed
	allowed     []string
	pollGen     int
	polling     int
	chats       map[int64]*chat
	keepMsgs    int
	queries     map[string]*query // callback and inline query ids
	nextQuery   int
	faults      []*Fault
	unsupported map[string]bool
	webhook     *webhook
	members     map[[2]int64]string
	migrated    map[int64]int64
	blocked     map[int64]string
	commands    map[string][]tgbotapi.BotCommand
	limits      *Limits
	windows     map[int64][]time.Time // message times per chat, and 0 for all
	breaches    []Breach
	photos      map[string][]byte // by file_id, the photos sent

	files fileStore // getFile, downloads and sendDocument (files.go)
}

// Option configures a Server.
type Option func(*Server)

// WithToken makes the server accept token instead of DefaultToken.
func WithToken(token string) Option { return func(s *Server) { s.Token = token } }

// WithCallLog keeps only the last n calls (0: none), for long benchmarks;
// counts are always kept.
func WithCallLog(n int) Option { return func(s *Server) { s.keepCalls = n } }

// WithMessageLog keeps the last n messages of each chat (default 1024), which
// bounds what can be replied to or edited.
func WithMessageLog(n int) Option { return func(s *Server) { s.keepMsgs = n } }

// New starts a fake Bot API and arranges for t.Cleanup to close it.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{
		Token:       DefaultToken,
		Bot:         BotUser,
		Timeout:     10 * time.Second,
		tb:          tb,
		closing:     make(chan struct{}),
		changed:     make(chan struct{}),
		keepCalls:   -1,
		counts:      map[string]int{},
		nextUpdate:  100001,
		chats:       map[int64]*chat{},
		keepMsgs:    1024,
		queries:     map[string]*query{},
		unsupported: map[string]bool{},
		members:     map[[2]int64]string{},
		migrated:    map[int64]int64{},
		blocked:     map[int64]string{},
		commands:    map[string][]tgbotapi.BotCommand{},
		windows:     map[int64][]time.Time{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Endpoint is the format string tgbotapi.NewBotAPIWithAPIEndpoint wants.
func (s *Server) Endpoint() string { return s.URL + "/bot%s/%s" }

// Close ends pending long polls and webhook deliveries and stops the server.
func (s *Server) Close() {
	s.closed.Do(func() {
		close(s.closing)
		s.srv.CloseClientConnections()
		s.srv.Close()
		s.bg.Wait()
	})
}

// Call is one request the server received.
type Call struct {
	Seq       int
	Method    string // as Telegram spells it: sendMessage, getUpdates …
	Params    url.Values
	ChatID    int64
	Text      string // text or message_text, as sent
	ParseMode string
	At        time.Time
	// Status is the HTTP status the server answered; 0 for a dropped connection.
	Status      int
	Description string          // the error description when not ok
	Result      json.RawMessage // the result when ok
	// Uploads are the files of a multipart/form-data request.
	Uploads []Upload
}

// OK reports whether the call succeeded.
func (c Call) OK() bool { return c.Status == http.StatusOK }

// Param returns one request parameter.
func (c Call) Param(key string) string { return c.Params.Get(key) }

// Message decodes the result of a successful sendMessage or editMessageText.
func (c Call) Message() tgbotapi.Message {
	var m tgbotapi.Message
	_ = json.Unmarshal(c.Result, &m)
	return m
}

// Markup decodes the reply_markup parameter, or returns nil.
func (c Call) Markup() *tgbotapi.InlineKeyboardMarkup {
	raw := c.Param("reply_markup")
	if raw == "" {
		return nil
	}
	var m tgbotapi.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil
	}
	return &m
}

// Buttons lists the markup's buttons' callback data (or URL), row by row.
func (c Call) Buttons() []string {
	m := c.Markup()
	if m == nil {
		return nil
	}
	var out []string
	for _, row := range m.InlineKeyboard {
		for _, b := range row {
			switch {
			case b.CallbackData != nil:
				out = append(out, *b.CallbackData)
			case b.URL != nil:
				out = append(out, *b.URL)
			case b.SwitchInlineQueryCurrentChat != nil:
				out = append(out, "inline:"+*b.SwitchInlineQueryCurrentChat)
			case b.SwitchInlineQuery != nil:
				out = append(out, "inline:"+*b.SwitchInlineQuery)
			}
		}
	}
	return out
}

// PlainText is the text the user sees: the call's text with HTML parsed
// away when parse_mode is HTML.
func (c Call) PlainText() string {
	if !strings.EqualFold(c.ParseMode, "HTML") {
		return c.Text
	}
	p, _, err := ParseHTML(c.Text)
	if err != nil {
		return c.Text
	}
	return p
}

func (c Call) String() string {
	s := fmt.Sprintf("#%d %s", c.Seq, c.Method)
	if c.ChatID != 0 {
		s += fmt.Sprintf(" chat=%d", c.ChatID)
	}
	if c.Text != "" {
		t := []rune(c.Text)
		if len(t) > 60 {
			t = append(t[:60], '…')
		}
		s += fmt.Sprintf(" text=%q", string(t))
	}
	if c.Status != http.StatusOK {
		s += fmt.Sprintf(" → %d %s", c.Status, c.Description)
	}
	return s
}

// Calls returns the recorded calls, oldest first; with methods, only those.
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Sent returns the successful sendMessage calls to chat (any chat when 0).
func (s *Server) Sent(chat int64) []Call {
	var out []Call
	for _, c := range s.Calls("sendMessage") {
		if c.OK() && (chat == 0 || c.ChatID == chat) {
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many calls of method the server answered (with any
// status), including calls no longer in the call log.
func (s *Server) Count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method]
}

// CountOK is Count for successful calls.
func (s *Server) CountOK(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method+":ok"]
}

// Confirmed returns the highest offset a getUpdates call confirmed: every
// update below it is gone from the server.
func (s *Server) Confirmed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmed
}

// Pending returns how many queued updates no client confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// AllowedUpdates returns the allowed_updates of the last getUpdates or
// setWebhook call.
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.allowed...)
}

// Commands returns the commands set for a scope type ("default",
// "all_private_chats" …) and language ("" for all).
func (s *Server) Commands(scope, lang string) []tgbotapi.BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[scope+"/"+lang]
}

// UnansweredCallbacks returns the ids of callback queries the bot received
// but did not answer.
func (s *Server) UnansweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id, q := range s.queries {
		if q.kind == "callback" && q.delivered && !q.answered {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Wait blocks until cond returns true, failing the test at the deadline.
// cond runs without the server's lock held, so it may call any method.
func (s *Server) Wait(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
	defer cancel()
	if err := s.WaitContext(ctx, cond); err != nil {
		tb.Fatalf("telegramtest: timed out after %v waiting for %s; calls:\n%s", s.Timeout, what, s.dump(40))
	}
}

// WaitContext blocks until cond returns true or ctx ends.
func (s *Server) WaitContext(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.closing:
			return fmt.Errorf("telegramtest: server closed")
		}
	}
}

// WaitCall waits for the first recorded call that matches and returns it.
func (s *Server) WaitCall(tb testing.TB, what string, match func(Call) bool) Call {
	tb.Helper()
	var found Call
	s.Wait(tb, what, func() bool {
		for _, c := range s.Calls() {
			if match(c) {
				found = c
				return true
			}
		}
		return false
	})
	return found
}

// WaitCalls waits until at least n successful calls of method were made and
// returns them all.
func (s *Server) WaitCalls(tb testing.TB, method string, n int) []Call {
	tb.Helper()
	var out []Call
	s.Wait(tb, fmt.Sprintf("%d successful %s calls", n, method), func() bool {
		out = out[:0]
		for _, c := range s.Calls(method) {
			if c.OK() {
				out = append(out, c)
			}
		}
		return len(out) >= n
	})
	return out
}

// WaitSent waits for n messages to chat and returns them.
func (s *Server) WaitSent(tb testing.TB, chat int64, n int) []Call {
	tb.Helper()
	var out []Call
	s.Wait(tb, fmt.Sprintf("%d messages to chat %d", n, chat), func() bool {
		out = s.Sent(chat)
		return len(out) >= n
	})
	return out
}

// WaitCount waits until Count(method) ≥ n, or ctx ends.
func (s *Server) WaitCount(ctx context.Context, method string, n int) error {
	return s.WaitContext(ctx, func() bool { return s.CountOK(method) >= n })
}

func (s *Server) dump(last int) string {
	calls := s.Calls()
	if len(calls) > last {
		calls = calls[len(calls)-last:]
	}
	var b strings.Builder
	for _, c := range calls {
		fmt.Fprintf(&b, "  %s\n", c)
	}
	return b.String()
}

// notify wakes every waiter; callers hold s.mu.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *Server) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	c.Seq = s.seq
	s.counts[c.Method]++
	if c.OK() {
		s.counts[c.Method+":ok"]++
	}
	switch {
	case s.keepCalls < 0:
		s.calls = append(s.calls, c)
	case s.keepCalls > 0:
		if len(s.calls) >= s.keepCalls {
			copy(s.calls, s.calls[1:])
			s.calls = s.calls[:len(s.calls)-1]
		}
		s.calls = append(s.calls, c)
	}
	s.notify()
}

// apiError is an error answer.
type apiError struct {
	status      int
	description string
	params      *tgbotapi.ResponseParameters
}

func (e *apiError) Error() string { return e.description }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveFile(w, r) { // the download route, /file/bot<token>/<path>
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error_code": 404, "description": "Not Found"})
		return
	}
	uploads, perr := parseBody(r)
	c := Call{Method: canonical(method), Params: r.Form, At: time.Now(), Uploads: uploads}
	c.ChatID, _ = strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	c.Text = r.Form.Get("text")
	c.ParseMode = r.Form.Get("parse_mode")
	if token != s.Token {
		c.Status, c.Description = http.StatusUnauthorized, "Unauthorized"
		s.record(c)
		writeJSON(w, c.Status, map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized"})
		return
	}
	if perr != nil {
		s.answer(w, c, nil, perr)
		return
	}
	if f := s.takeFault(c.Method, c.ChatID); f != nil {
		if f.Delay > 0 {
			select {
			case <-time.After(f.Delay):
			case <-r.Context().Done():
			case <-s.closing:
			}
		}
		switch {
		case f.Drop:
			s.record(c)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case f.Body != "":
			c.Status, c.Description = f.Status, f.Body
			s.record(c)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.Status)
			fmt.Fprint(w, f.Body)
			return
		case f.Status != 0:
			e := &apiError{status: f.Status, description: f.Description}
			if f.RetryAfter > 0 || f.MigrateTo != 0 {
				e.params = &tgbotapi.ResponseParameters{RetryAfter: f.RetryAfter, MigrateToChatID: f.MigrateTo}
			}
			s.answer(w, c, nil, e)
			return
		}
	}
	result, err := s.handle(r.Context(), c)
	s.answer(w, c, result, err)
}

func (s *Server) answer(w http.ResponseWriter, c Call, result any, err error) {
	if err != nil {
		e, ok := err.(*apiError)
		if !ok {
			e = &apiError{status: 500, description: "Internal Server Error: " + err.Error()}
		}
		c.Status, c.Description = e.status, e.description
		s.record(c)
		body := map[string]any{"ok": false, "error_code": e.status, "description": e.description}
		if e.params != nil {
			body["parameters"] = e.params
		}
		writeJSON(w, e.status, body)
		return
	}
	raw, merr := json.Marshal(result)
	if merr != nil {
		panic(merr)
	}
	c.Status, c.Result = http.StatusOK, raw
	s.record(c)
	// Written by hand: the encoder would validate raw a second time.
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	body := make([]byte, 0, len(raw)+len(`{"ok":true,"result":}`)+1)
	body = append(append(append(body, `{"ok":true,"result":`...), raw...), "}\n"...)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// methodNames maps lower-case method names to their documented spelling.
var methodNames = func() map[string]string {
	m := map[string]string{}
	for _, name := range []string{"getMe", "getUpdates", "sendMessage", "editMessageText",
		"editMessageReplyMarkup", "answerCallbackQuery", "answerInlineQuery", "setMyCommands",
		"getMyCommands", "deleteMyCommands", "setWebhook", "deleteWebhook", "getWebhookInfo",
		"getChatMember", "getChat", "logOut", "close", "sendPhoto", "getFile", "sendDocument"} {
		m[strings.ToLower(name)] = name
	}
	return m
}()

// canonical spells a method name the way Telegram documents it; method
// names are case-insensitive.
func canonical(m string) string {
	if c, ok := methodNames[strings.ToLower(m)]; ok {
		return c
	}
	return m
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
