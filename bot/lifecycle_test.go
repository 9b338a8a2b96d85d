package bot

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"factbot/bot/boltstore"
	"factbot/bot/telegramtest"
)

// block makes every search wait until release is closed, and reports each
// search started on started.
func block(s *fakeSearcher) (started chan string, release chan struct{}) {
	started, release = make(chan string, 100), make(chan struct{})
	s.mu.Lock()
	s.hook = func(ctx context.Context, q string) error {
		started <- q
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Unlock()
	return started, release
}

func TestShutdownFinishesInFlightAndConfirms(t *testing.T) {
	srv := telegramtest.New(t)
	h := startOn(t, srv)
	started, release := block(h.search)
	u := srv.PrivateText(alice, "trade 2023")
	<-started // the question is being answered
	h.cancel()
	// Polling stops at once; the reply in flight is still finished.
	srv.Wait(t, "polling stopped", func() bool { return srv.Polling() == 0 })
	close(release)
	select {
	case err := <-h.done:
		if err != nil {
			t.Fatalf("Poll: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Poll did not return")
	}
	h.cancel = nil
	if err := h.bot.Close(t.Context()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if n := answersTo(srv, alice.ID); n != 1 {
		t.Errorf("answers after shutdown = %d, want 1", n)
	}
	if got := srv.Confirmed(); got != u.UpdateID+1 {
		t.Errorf("confirmed offset %d, want %d", got, u.UpdateID+1)
	}
}

func TestDrainTimeoutLeavesUpdateForRedelivery(t *testing.T) {
	srv := telegramtest.New(t)
	h := startOn(t, srv, func(c *Config) { c.DrainTimeout = 200 * time.Millisecond })
	h.ask(boris, "trade 2024")
	started, release := block(h.search)
	defer close(release)
	stuck := srv.PrivateText(alice, "trade 2023")
	<-started
	h.stop() // the search never finishes: the drain gives up after 200ms
	if got := srv.Confirmed(); got != stuck.UpdateID {
		t.Errorf("confirmed offset %d, want %d: the unfinished update must stay queued", got, stuck.UpdateID)
	}
}

func TestRestartNeitherLosesNorRepeats(t *testing.T) {
	srv := telegramtest.New(t)
	const n = 40
	users := make([]int64, n)
	for i := range users {
		u := telegramtest.User(int64(1000+i), fmt.Sprint("u", i), "en")
		users[i] = u.ID
		srv.PrivateText(u, "trade 2023")
	}
	// Slow sends so that the first instance stops mid-stream.
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Delay: 20 * time.Millisecond, Times: -1})
	first := startOn(t, srv)
	srv.Wait(t, "some answers", func() bool { return srv.CountOK("sendMessage") >= 10 })
	first.stop()
	answered := srv.CountOK("sendMessage")
	if answered == n {
		t.Log("the first instance answered everything before stopping")
	}
	second := startOn(t, srv)
	srv.Wait(t, "every question answered", func() bool { return srv.CountOK("sendMessage") >= n })
	second.stop()
	for _, id := range users {
		if got := answersTo(srv, id); got != 1 {
			t.Errorf("user %d got %d answers, want exactly 1", id, got)
		}
	}
	if srv.Pending() != 0 {
		t.Errorf("%d updates left unconfirmed", srv.Pending())
	}
}

func TestWebhook(t *testing.T) {
	srv := telegramtest.New(t)
	h, err := newBot(t, srv)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "s3cret-Token_1"
	hook := httptest.NewServer(h.bot.WebhookHandler(secret))
	t.Cleanup(hook.Close)
	if err := h.bot.SetWebhook(t.Context(), hook.URL+"/telegram", secret); err != nil {
		t.Fatal(err)
	}
	url, got := srv.Webhook()
	if url != hook.URL+"/telegram" || got != secret {
		t.Errorf("webhook = %q %q", url, got)
	}
	if a := srv.AllowedUpdates(); strings.Join(a, ",") != strings.Join(AllowedUpdates, ",") {
		t.Errorf("allowed_updates = %v", a)
	}
	srv.DuplicateDeliveries()
	srv.PrivateText(alice, "trade 2023")
	srv.PrivateText(alice, "trade 2024")
	srv.WaitSent(t, alice.ID, 2)
	srv.Wait(t, "deliveries confirmed", func() bool { return srv.Pending() == 0 })
	h.bot.Close(t.Context())
	if n := answersTo(srv, alice.ID); n != 2 {
		t.Errorf("answers = %d, want 2 despite duplicate deliveries", n)
	}
	if d := h.bot.Metrics().UpdatesDuplicate.Load(); d != 2 {
		t.Errorf("duplicates dropped = %d, want 2", d)
	}

	post := func(secret string, body []byte, method string) int {
		req, _ := http.NewRequest(method, hook.URL, bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("wrong", []byte(`{"update_id":5}`), "POST"); code != http.StatusForbidden {
		t.Errorf("wrong secret: %d", code)
	}
	if code := post(secret, bytes.Repeat([]byte(" "), MaxWebhookBody+10), "POST"); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", code)
	}
	if code := post(secret, []byte(`{`), "POST"); code != http.StatusBadRequest {
		t.Errorf("bad JSON: %d", code)
	}
	if code := post(secret, nil, "GET"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", code)
	}
}

func TestWebhookAnswersFast(t *testing.T) {
	srv := telegramtest.New(t)
	h, err := newBot(t, srv)
	if err != nil {
		t.Fatal(err)
	}
	started, release := block(h.search)
	handler := h.bot.WebhookHandler("")
	u := srv.PrivateText(alice, "trade 2023")
	body := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"A"},"text":"trade 2023"}}`,
		u.UpdateID, u.Message.MessageID, alice.ID, alice.ID)
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("POST", "/", strings.NewReader(body)))
	if rec.Code != http.StatusOK {
		t.Fatalf("webhook answered %d", rec.Code)
	}
	<-started // the answer is computed after the webhook returned
	close(release)
	srv.WaitSent(t, alice.ID, 1)
	h.bot.Close(t.Context())
}

func TestLongPollIsCanceledAtShutdown(t *testing.T) {
	srv := telegramtest.New(t)
	h := startOn(t, srv, func(c *Config) { c.PollTimeout = 50 * time.Second })
	srv.Wait(t, "a long poll", func() bool { return srv.Polling() == 1 })
	begin := time.Now()
	h.stop()
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("shutdown took %v with a 50s long poll pending", d)
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	srv := telegramtest.New(t)
	h := startOn(t, srv, func(c *Config) { c.Flood = rate.Inf })
	for i := 0; i < 50; i++ {
		srv.PrivateText(telegramtest.User(int64(2000+i), "u", "en"), "trade 2023")
	}
	srv.Wait(t, "all answered", func() bool { return srv.CountOK("sendMessage") == 50 })
	h.stop()
	if n := h.bot.seq.pending(); n != 0 {
		t.Errorf("%d jobs still pending", n)
	}
	h.bot.seq.mu.Lock()
	q := len(h.bot.seq.queues)
	h.bot.seq.mu.Unlock()
	if q != 0 {
		t.Errorf("%d chat queues left", q)
	}
}

func TestGetMeRetriesUntilReachable(t *testing.T) {
	srv := telegramtest.New(t)
	var calls atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			http.Error(w, "<html>502</html>", http.StatusBadGateway)
			return
		}
		srvProxy(srv, w, r)
	})
	url := newHTTPServer(t, mux)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	b, err := open(ctx, Config{Token: srv.Token, APIURL: url, Searcher: newFakeSearcher(t)})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if b.Username() != telegramtest.BotUser.UserName || calls.Load() != 3 {
		t.Errorf("Username %q after %d calls", b.Username(), calls.Load())
	}
}

// srvProxy forwards a request to the fake server.
func srvProxy(srv *telegramtest.Server, w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequest(r.Method, srv.URL+r.URL.Path, r.Body)
	req.Header = r.Header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	_, _ = w.Write(buf.Bytes())
}

// stall makes every search for a question containing word wait until
// release is closed (or the handler's context ends); others run at once.
func stall(s *fakeSearcher, word string) (release chan struct{}) {
	release = make(chan struct{})
	s.mu.Lock()
	s.hook = func(ctx context.Context, q string) error {
		if !strings.Contains(q, word) {
			return nil
		}
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Unlock()
	return release
}

// An update stuck in flight holds back the confirmation of every later
// one (Telegram's offset is cumulative), but not of the earlier ones, and
// not the intake: once the updates before it were handled they are
// confirmed, and the updates behind the first window are taken in.
func TestPollConfirmsPromptlyPastAStuckUpdate(t *testing.T) {
	srv := telegramtest.New(t)
	const n, stuck = 120, 10
	ids := make([]int, n)
	for i := range n {
		q := "trade 2023"
		if i == stuck {
			q = "stuck trade 2023"
		}
		ids[i] = srv.PrivateText(telegramtest.User(int64(3000+i), "u", "en"), q).UpdateID
	}
	h, err := newBot(t, srv)
	if err != nil {
		t.Fatal(err)
	}
	release := stall(h.search, "stuck")
	h.run()
	t.Cleanup(h.stop)
	srv.Wait(t, "the updates before the stuck one confirmed", func() bool { return srv.Confirmed() == ids[stuck] })
	srv.Wait(t, "updates past the first window answered", func() bool {
		for i := 100; i < 100+stuck; i++ {
			if answersTo(srv, int64(3000+i)) != 1 {
				return false
			}
		}
		return true
	})
	close(release)
	srv.Wait(t, "every update answered and confirmed", func() bool {
		return srv.CountOK("sendMessage") == n && srv.Confirmed() == ids[n-1]+1
	})
}

// A crash leaves updates handled after an older one still in flight
// unconfirmed, so Telegram delivers them again; the store remembers they
// were handled, and the next start confirms them without answering again.
func TestRestartSkipsUpdatesHandledBeforeIt(t *testing.T) {
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	srv := telegramtest.New(t)
	first, err := newBot(t, srv, withStore(st), func(c *Config) { c.DrainTimeout = 100 * time.Millisecond })
	if err != nil {
		t.Fatal(err)
	}
	release := stall(first.search, "stuck")
	first.run()
	stuck := srv.PrivateText(alice, "stuck trade 2023")
	const n = 5
	for i := range n {
		srv.PrivateText(telegramtest.User(int64(3200+i), "u", "en"), "trade 2023")
	}
	srv.Wait(t, "the later updates answered", func() bool { return srv.CountOK("sendMessage") == n })
	// The stuck reply is given up at shutdown, as a crash would leave it:
	// nothing from it on is confirmed.
	first.stop()
	close(release)
	if got := srv.Confirmed(); got != stuck.UpdateID {
		t.Fatalf("confirmed offset %d, want %d (the stuck update's)", got, stuck.UpdateID)
	}

	second := startOn(t, srv, withStore(st))
	srv.WaitSent(t, alice.ID, 1)
	srv.Wait(t, "every update confirmed", func() bool { return srv.Pending() == 0 })
	second.stop()
	for i := range n {
		if got := answersTo(srv, int64(3200+i)); got != 1 {
			t.Errorf("user %d got %d answers, want 1", 3200+i, got)
		}
	}
	if got := second.bot.Metrics().UpdatesDuplicate.Load(); got != n {
		t.Errorf("updates confirmed without answering = %d, want %d", got, n)
	}
}

// A store no restart reopens gets no record of handled updates.
func TestTemporaryStoreRecordsNoHandledUpdates(t *testing.T) {
	for _, temporary := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "factbot.db")
		st := mustOpenStore(t, path)
		t.Cleanup(func() { st.Close() })
		srv := telegramtest.New(t)
		h := startOn(t, srv, withStore(st), func(c *Config) { c.TemporaryStore = temporary })
		srv.PrivateText(alice, "trade 2023")
		srv.WaitSent(t, alice.ID, 1)
		h.stop()
		fi, err := os.Stat(boltstore.HandledPath(path))
		if err != nil {
			t.Fatal(err)
		}
		if recorded := fi.Size() > 0; recorded == temporary {
			t.Errorf("TemporaryStore %v: %d bytes of handled updates recorded", temporary, fi.Size())
		}
	}
}

// What a run confirmed is forgotten by the next one, which answers an
// update with an id the first one handled: a new bot on the same data
// folder, or a fake server that numbers its updates from the start again.
func TestRestartForgetsConfirmedUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "factbot.db")
	st := mustOpenStore(t, path)
	srv := telegramtest.New(t)
	h := startOn(t, srv, withStore(st))
	first := srv.PrivateText(alice, "trade 2023")
	srv.WaitSent(t, alice.ID, 1)
	h.stop()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = mustOpenStore(t, path)
	t.Cleanup(func() { st.Close() })
	srv2 := telegramtest.New(t)
	startOn(t, srv2, withStore(st))
	if again := srv2.PrivateText(alice, "trade 2024"); again.UpdateID != first.UpdateID {
		t.Fatalf("the second server's update id is %d, want %d as the first's", again.UpdateID, first.UpdateID)
	}
	srv2.WaitSent(t, alice.ID, 1)
}
