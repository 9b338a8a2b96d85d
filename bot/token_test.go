package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
		_, err := New(ctx, Config{Token: token, APIURL: api, Searcher: newFakeSearcher(t)})
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
