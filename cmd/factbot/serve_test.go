package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
)

// These tests run the wired program, Main(ctx, ["serve", …]), against the
// fake Bot API with the real index on the embedded knowledge base.

// lockedBuffer is a bytes.Buffer safe for the logger and the test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// instance is one running `factbot serve`.
type instance struct {
	t      *testing.T
	stderr *lockedBuffer
	cancel context.CancelFunc
	done   chan int
}

// serve starts `factbot serve` against srv with FACTBOT_* variables set
// for it; it stops when the test ends, if not before.
func serve(t *testing.T, srv *telegramtest.Server, args ...string) *instance {
	t.Helper()
	// Every wait on srv covers serve's start, an index build that takes
	// seconds under -race and more on a busy machine: 10 s is too tight.
	srv.Timeout = max(srv.Timeout, 30*time.Second)
	t.Setenv("FACTBOT_TOKEN", srv.Token)
	t.Setenv("FACTBOT_API_URL", srv.URL)
	t.Setenv("FACTBOT_LOG_LEVEL", "debug")
	ctx, cancel := context.WithCancel(context.Background())
	in := &instance{t: t, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		in.done <- Main(ctx, append([]string{"serve"}, args...), strings.NewReader(""), io.Discard, in.stderr)
	}()
	t.Cleanup(func() { in.stop() })
	return in
}

// stop sends the equivalent of SIGTERM and waits for serve to exit 0.
func (in *instance) stop() {
	in.t.Helper()
	if in.cancel == nil {
		return
	}
	in.cancel()
	in.cancel = nil
	select {
	case code := <-in.done:
		if code != 0 {
			in.t.Errorf("serve exited %d, want 0; stderr:\n%s", code, in.stderr)
		}
	case <-time.After(30 * time.Second):
		in.t.Errorf("serve did not exit after the signal")
	}
	if strings.Contains(in.stderr.String(), telegramtest.DefaultToken) {
		in.t.Errorf("the token appears in the logs")
	}
}

var (
	alice = telegramtest.User(601, "Alice", "en")
	boris = telegramtest.User(602, "Boris", "ru")
)

const group = int64(-100777)

func TestServePrivateQuestion(t *testing.T) {
	srv := telegramtest.New(t)
	in := serve(t, srv)
	srv.PrivateText(alice, "How many Chinese companies operate in Kazakhstan?")
	c := srv.WaitSent(t, alice.ID, 1)[0]
	if !strings.Contains(c.PlainText(), "4,700") || c.ParseMode != "HTML" || c.Param("disable_web_page_preview") != "true" {
		t.Errorf("answer = %q (parse_mode %q)", c.PlainText(), c.ParseMode)
	}
	if len(c.Buttons()) < 3 {
		t.Errorf("buttons = %v", c.Buttons())
	}
	srv.PrivateText(boris, "Сколько китайских компаний работает в Казахстане?")
	c = srv.WaitSent(t, boris.ID, 1)[0]
	if !strings.Contains(c.PlainText(), "Источники") {
		t.Errorf("Russian answer = %q", c.PlainText())
	}
	in.stop()
	if a := srv.AllowedUpdates(); strings.Join(a, ",") != "message,callback_query,inline_query,my_chat_member" {
		t.Errorf("allowed_updates = %v", a)
	}
	if len(srv.Calls("deleteWebhook")) != 1 {
		t.Error("serve did not delete the webhook before polling")
	}
}

func TestServeGroup(t *testing.T) {
	srv := telegramtest.New(t)
	serve(t, srv)
	chatter := srv.GroupText(group, alice, "morning all, how many Chinese companies are there in Kazakhstan, any idea?")
	ask := srv.GroupText(group, boris, "@"+telegramtest.BotUser.UserName+" how many Chinese companies operate in Kazakhstan")
	c := srv.WaitCall(t, "the reply to the mention", func(c telegramtest.Call) bool {
		return c.Method == "sendMessage" && c.OK() && c.Param("reply_to_message_id") == fmt.Sprint(ask.Message.MessageID)
	})
	if !strings.Contains(c.PlainText(), "4,700") {
		t.Errorf("group answer = %q", c.PlainText())
	}
	// The chatter came first in the same chat, so it was handled (ignored)
	// before the mention was answered.
	for _, s := range srv.Sent(group) {
		if s.Param("reply_to_message_id") == fmt.Sprint(chatter.Message.MessageID) {
			t.Errorf("the bot answered chatter: %q", s.PlainText())
		}
	}
	if n := len(srv.Sent(group)); n != 1 {
		t.Errorf("%d messages in the group, want 1", n)
	}
}

func TestServeInlineQuery(t *testing.T) {
	srv := telegramtest.New(t)
	serve(t, srv)
	srv.InlineQuery(alice, "trade 2024")
	c := srv.WaitCalls(t, "answerInlineQuery", 1)[0]
	rs := telegramtest.InlineResults(c)
	if len(rs) == 0 || c.Param("cache_time") == "" || c.Param("cache_time") == "0" {
		t.Fatalf("inline answer: %d results, cache_time %q", len(rs), c.Param("cache_time"))
	}
	for _, r := range rs {
		if r.Title == "" || r.InputMessageContent == nil {
			t.Errorf("card %+v", r)
		}
	}
}

func TestServe429Storm(t *testing.T) {
	srv := telegramtest.New(t)
	srv.EnforceLimits(telegramtest.Limits{Private: telegramtest.TelegramLimits.Private, Reject: true})
	// Telegram answers the next 20 messages with "retry after 1".
	srv.Inject(telegramtest.TooManyRequests(1).For("sendMessage").N(20))
	serve(t, srv)
	var users []tgbotapi.User
	for i := 0; i < 8; i++ {
		u := telegramtest.User(int64(700+i), "u", "en")
		users = append(users, u)
		srv.PrivateText(u, "How many Chinese companies operate in Kazakhstan?")
	}
	srv.Wait(t, "every user answered", func() bool { return srv.CountOK("sendMessage") >= len(users) })
	for _, u := range users {
		if n := len(srv.Sent(u.ID)); n != 1 {
			t.Errorf("user %d got %d answers, want 1", u.ID, n)
		}
	}
	if n := srv.Count("sendMessage") - srv.CountOK("sendMessage"); n < 20 {
		t.Errorf("only %d rejected sends; the storm did not happen", n)
	}
	if b := srv.Breaches(); len(b) > 0 {
		t.Errorf("limits breached: %v", b)
	}
}

func TestServeRestartMidStream(t *testing.T) {
	srv := telegramtest.New(t)
	const batch = 15
	ask := func(from, n int) {
		for i := from; i < from+n; i++ {
			srv.PrivateText(telegramtest.User(int64(800+i), "u", "en"), "How many Chinese companies operate in Kazakhstan?")
		}
	}
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Delay: 50 * time.Millisecond, Times: -1})
	first := serve(t, srv)
	ask(0, batch)
	srv.Wait(t, "the first batch answered", func() bool { return srv.CountOK("sendMessage") >= batch })
	ask(batch, batch) // the second batch arrives as the instance stops
	first.stop()
	mid := srv.CountOK("sendMessage")
	ask(2*batch, batch) // the third while no instance runs
	second := serve(t, srv)
	srv.Wait(t, "every question answered", func() bool { return srv.CountOK("sendMessage") >= 3*batch })
	second.stop()
	for i := 0; i < 3*batch; i++ {
		if got := len(srv.Sent(int64(800 + i))); got != 1 {
			t.Errorf("user %d got %d answers, want exactly 1", 800+i, got)
		}
	}
	if srv.Pending() != 0 {
		t.Errorf("%d updates unconfirmed", srv.Pending())
	}
	t.Logf("the first instance answered %d of %d before stopping", mid, 3*batch)
}

func TestServeShutdown(t *testing.T) {
	srv := telegramtest.New(t)
	in := serve(t, srv)
	u := srv.PrivateText(alice, "How many Chinese companies operate in Kazakhstan?")
	srv.WaitSent(t, alice.ID, 1)
	srv.Wait(t, "the next long poll", func() bool { return srv.Polling() == 1 })
	begin := time.Now()
	in.stop()
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("shutdown took %v", d)
	}
	if srv.Confirmed() != u.UpdateID+1 {
		t.Errorf("confirmed offset %d, want %d", srv.Confirmed(), u.UpdateID+1)
	}
	logs := in.stderr.String()
	for _, want := range []string{`"msg":"polling for updates"`, `"msg":"confirmed handled updates"`, `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s", want)
		}
	}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServeWebhook(t *testing.T) {
	srv := telegramtest.New(t)
	addr := freeAddr(t)
	in := serve(t, srv, "--http-addr", addr, "--webhook-url", "http://"+addr+"/telegram/hook", "--webhook-secret", "s3cret")
	srv.Wait(t, "the webhook", func() bool { u, _ := srv.Webhook(); return u != "" })
	if u, s := srv.Webhook(); u != "http://"+addr+"/telegram/hook" || s != "s3cret" {
		t.Errorf("webhook %q secret %q", u, s)
	}
	srv.DuplicateDeliveries()
	srv.PrivateText(alice, "How many Chinese companies operate in Kazakhstan?")
	srv.WaitSent(t, alice.ID, 1)
	srv.Wait(t, "delivery confirmed", func() bool { return srv.Pending() == 0 })

	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	resp, err = http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "factbot_updates_duplicate_total 1") || !strings.Contains(string(body), "factbot_answered_total 1") {
		t.Errorf("/metrics:\n%s", body)
	}
	in.stop()
	if n := len(srv.Sent(alice.ID)); n != 1 {
		t.Errorf("answers = %d despite duplicate delivery, want 1", n)
	}
}
