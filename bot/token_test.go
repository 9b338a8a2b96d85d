package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"factbot/bot/telegramtest"
)

// flakyTransport fails the 3rd and 6th requests the way a network does,
// with errors that quote the request URL, token and all. Two failures at
// most: which requests they hit depends on how polls and sends interleave,
// and with the server's three injected faults more could exhaust one
// message's retries (six attempts) and make the test flaky.
type flakyTransport struct {
	n    atomic.Int64
	base http.RoundTripper
}

func (f *flakyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if n := f.n.Add(1); n%3 == 0 && n <= 6 {
		return nil, fmt.Errorf("dial tcp: connection reset while fetching %s", req.URL)
	}
	return f.base.RoundTrip(req)
}

// entryText renders a log entry as JSON, fields and all.
func entryText(t *testing.T, e observer.LoggedEntry) string {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	buf, err := enc.EncodeEntry(e.Entry, e.Context)
	if err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTokenNeverLeaks(t *testing.T) {
	srv := telegramtest.New(t)
	token := srv.Token
	secrets := []string{token, url.PathEscape(token), url.QueryEscape(token), strings.Split(token, ":")[1]}

	core, logs := observer.New(zapcore.DebugLevel)
	logger := zap.New(core)
	SetLibraryLogger(logger, token) // tgbotapi logs every request in debug mode
	t.Cleanup(func() { SetLibraryLogger(zap.NewNop(), "") })

	client := &http.Client{Transport: &flakyTransport{base: http.DefaultTransport}}
	// Faults whose text carries the token, as a misbehaving proxy might.
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Status: 500, Description: "Internal error at /bot" + token + "/sendMessage"})
	srv.Inject(telegramtest.Drop().For("sendMessage"))
	srv.Inject(telegramtest.BadGatewayPage().For("sendMessage"))
	srv.Inject(telegramtest.Fault{Method: "getUpdates", Status: 502, Description: "upstream " + srv.URL + "/bot" + token + "/getUpdates failed"})
	srv.Inject(telegramtest.ServerError(503).For("sendMessage").InChat(chen.ID).N(-1)) // given up: logged as dropped

	h := startOn(t, srv, func(c *Config) {
		c.HTTPClient = client
		c.Logger = logger
		c.Debug = true
	})
	h.search.fail(errors.New("search backend at https://x/bot" + token + " is down"))
	h.ask(boris, "trade 2023")
	h.search.fail(nil)
	h.ask(alice, "trade 2023")
	h.ask(alice, "/help")
	srv.PrivateText(chen, "trade 2023")
	srv.Wait(t, "chen's answer given up", func() bool { return h.bot.Metrics().Dropped("retries") == 1 })
	h.stop()

	// The faults really were hit and logged.
	if h.bot.Metrics().Retries.Load() < 3 || len(logs.All()) < 10 {
		t.Fatalf("too few failures to prove anything: %d retries, %d log entries", h.bot.Metrics().Retries.Load(), len(logs.All()))
	}
	sawRedacted := false
	for _, e := range logs.All() {
		text := entryText(t, e)
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("log entry shows the token: %s", text)
			}
		}
		sawRedacted = sawRedacted || strings.Contains(text, Redacted)
	}
	if !sawRedacted {
		t.Error("no log entry needed redacting; the test injected nothing that carries the token")
	}
	for _, c := range srv.Calls() {
		if c.Method == "getMe" || c.Method == "getUpdates" {
			continue
		}
		for _, s := range secrets {
			if strings.Contains(c.Text, s) || strings.Contains(c.Param("text"), s) {
				t.Errorf("a message to users shows the token: %s", c)
			}
		}
	}
}

func TestBadAPIURLErrorHidesToken(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	const token = "4242:SECRET-secret"
	for _, api := range []string{"http://bad host", "ftp://example.com", "http://127.0.0.1:1"} {
		_, err := open(ctx, Config{Token: token, APIURL: api, Searcher: newFakeSearcher(t)})
		if err == nil {
			t.Errorf("New(%q) succeeded", api)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("New(%q) error shows the token: %v", api, err)
		}
	}
}

type secretHolder struct{ URL string }

func (s secretHolder) String() string { return s.URL }

func TestRedactLogger(t *testing.T) {
	const token = "777:abcDEF"
	core, logs := observer.New(zapcore.DebugLevel)
	l := RedactLogger(zap.New(core), token).With(zap.String("with", "x"+token))
	ue := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + token + "/getMe", Err: errors.New("EOF")}
	l.Named("n").Error("failed "+token,
		zap.Error(ue),
		zap.Any("struct", secretHolder{"/bot" + token}),
		zap.Stringer("stringer", secretHolder{token}),
		zap.ByteString("bytes", []byte(token)),
		zap.Strings("list", []string{token}),
		zap.String("escaped", url.QueryEscape(token)),
	)
	for _, e := range logs.All() {
		if text := entryText(t, e); strings.Contains(text, "abcDEF") {
			t.Errorf("redacted logger wrote the token: %s", text)
		}
	}
	if logs.Len() != 1 {
		t.Errorf("%d entries", logs.Len())
	}
}

func TestRedactorKeepsErrorKinds(t *testing.T) {
	r := newRedactor("1:tok")
	err := r.err(&url.Error{Op: "Post", URL: "http://x/bot1:tok/m", Err: context.DeadlineExceeded})
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(err.Error(), "tok") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("redacted url.Error = %v", err)
	}
	if k, _ := errKind(err); k != "canceled" {
		t.Errorf("kind = %s", k)
	}
}

// The secret part of the token is removed in every spelling a server, a
// proxy or an encoder may give it, and nothing else is touched.
func TestRedactorSpellings(t *testing.T) {
	const token = "987654:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
	r := newRedactor(token)
	for _, s := range telegramtest.Spellings(token) {
		in := `{"description":"Unauthorized: ` + s + ` is not a valid token"}`
		got := r.String(in)
		if telegramtest.ShowsSecret(got, token) {
			t.Errorf("String(%q) = %q: the secret shows", in, got)
		}
		if !strings.Contains(got, Redacted) || !strings.HasSuffix(got, ` is not a valid token"}`) {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
	for in, want := range map[string]string{
		"https://api.telegram.org/bot" + token + "/getMe":       "https://api.telegram.org/bot" + Redacted + "/getMe",
		"/bot987654%3a" + "aahfiqkskz8wmr2zsjiq7_v4tmakdihm9t0": "/bot" + Redacted,
		"x AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0 y":               "x " + Redacted + " y",
	} {
		if got := r.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	for _, keep := range []string{"", "100% %41 \\u0041 &#65; AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T 987654:", "привет, 你好"} {
		if got := r.String(keep); got != keep {
			t.Errorf("String(%q) = %q, want it unchanged", keep, got)
		}
	}
}

// TestTokenSpellingsNeverLeak: a Bot API that echoes the token in every
// spelling in its 401, 400, 429 and 500 bodies. No spelling of the secret
// reaches a log line (the library's debug lines included), an error, or a
// message to a user (an announcement's report quotes failures).
func TestTokenSpellingsNeverLeak(t *testing.T) {
	const token = "987654:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
	srv := telegramtest.New(t, telegramtest.WithToken(token))
	echo := " (token " + strings.Join(telegramtest.Spellings(token), " | ") + ")"
	core, logs := observer.New(zapcore.DebugLevel)
	logger := zap.New(core)
	SetLibraryLogger(logger, token)
	t.Cleanup(func() { SetLibraryLogger(zap.NewNop(), "") })
	var errs []string

	// getMe refused: New's error.
	srv.Inject(telegramtest.Fault{Method: "getMe", Status: 401, Description: "Unauthorized" + echo})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := open(ctx, Config{Token: token, APIURL: srv.URL, Searcher: newFakeSearcher(t), Logger: logger, Debug: true})
	if err == nil {
		t.Fatal("New succeeded with getMe answering 401")
	}
	errs = append(errs, err.Error())

	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	h := startOn(t, srv, withStore(st), withAdmin(nil), func(c *Config) { c.Logger, c.Debug = logger, true })
	addGroups(t, srv, st, 1)
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: alice.ID, Status: 500, Description: "Internal Server Error" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: alice.ID, Status: 429, RetryAfter: 1, Description: "Too Many Requests: retry after 1" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: boris.ID, Status: 400, Description: "Bad Request: chat not found" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: chen.ID, Status: 401, Description: "Unauthorized" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: groupID(0), Status: 400, Description: "Bad Request: not enough rights" + echo})
	h.ask(alice, "trade 2023") // answered after a 500 and a 429
	srv.PrivateText(boris, "trade 2023")
	srv.PrivateText(chen, "trade 2023")
	srv.Wait(t, "boris's and chen's answers given up", func() bool { return h.bot.Metrics().Dropped("rejected") == 2 })
	preview := announce(t, srv, "Forum on Monday")
	srv.Callback(admin, preview.Message(), preview.Buttons()[0])
	if report := waitReport(t, srv); !strings.Contains(report, "not enough rights") {
		t.Errorf("the report does not give the failure's reason:\n%s", report)
	}
	h.stop()

	for _, e := range errs {
		if telegramtest.ShowsSecret(e, token) {
			t.Errorf("an error shows the token: %s", e)
		}
	}
	redacted := 0
	for _, e := range logs.All() {
		text := entryText(t, e)
		if telegramtest.ShowsSecret(text, token) {
			t.Errorf("a log line shows the token: %s", text)
		}
		redacted += strings.Count(text, Redacted)
	}
	if redacted < 4*len(telegramtest.Spellings(token)) {
		t.Errorf("only %d redactions in the logs: the echoed bodies were not all logged", redacted)
	}
	for _, c := range srv.Calls() {
		if c.ChatID == 0 || c.Method == "getUpdates" {
			continue
		}
		if telegramtest.ShowsSecret(c.Text+" "+c.Param("text"), token) {
			t.Errorf("a message to a user shows the token: %s", c)
		}
	}
}
