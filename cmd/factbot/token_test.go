package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"factbot/bot/telegramtest"
)

// TestServeNeverShowsTheToken: a Bot API that echoes the token in every
// spelling (telegramtest.Spellings) in its 401, 400, 429 and 500 bodies.
// No spelling of the token's secret reaches serve's stderr (log lines at
// debug level, and the error it exits with) or a message to a user.
func TestServeNeverShowsTheToken(t *testing.T) {
	const token = "987654:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
	echo := " (token " + strings.Join(telegramtest.Spellings(token), " | ") + ")"
	srv := telegramtest.New(t, telegramtest.WithToken(token))
	srv.Timeout = 30 * time.Second
	t.Setenv("FACTBOT_DATA_DIR", t.TempDir()) // the index is built once for the three runs

	// getMe refused: serve stops with the error on stderr.
	for _, f := range []telegramtest.Fault{
		{Method: "getMe", Status: 401, Description: "Unauthorized" + echo},
		{Method: "getMe", Status: 400, Description: "Bad Request: invalid token" + echo},
	} {
		srv.Inject(f)
		t.Setenv("FACTBOT_TOKEN", token)
		t.Setenv("FACTBOT_API_URL", srv.URL)
		t.Setenv("FACTBOT_LOG_LEVEL", "debug")
		var stderr strings.Builder
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		code := Main(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, &stderr)
		cancel()
		if code != 1 || !strings.Contains(stderr.String(), "factbot serve: getMe: ") {
			t.Fatalf("serve with getMe answering %d exited %d; stderr:\n%s", f.Status, code, stderr.String())
		}
		if telegramtest.ShowsSecret(stderr.String(), token) {
			t.Errorf("with getMe answering %d, stderr shows the token:\n%s", f.Status, stderr.String())
		}
		if !strings.Contains(stderr.String(), "[REDACTED]") {
			t.Errorf("with getMe answering %d, stderr has nothing redacted: the body was not echoed", f.Status)
		}
	}

	// getMe busy, then failures while answering.
	srv.Inject(telegramtest.Fault{Method: "getMe", Status: 429, RetryAfter: 1, Description: "Too Many Requests: retry after 1" + echo})
	srv.Inject(telegramtest.Fault{Method: "getMe", Status: 500, Description: "Internal Server Error" + echo})
	srv.Inject(telegramtest.Fault{Method: "getUpdates", Status: 500, Description: "Internal Server Error" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: alice.ID, Status: 500, Description: "Internal Server Error" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: alice.ID, Status: 429, RetryAfter: 1, Description: "Too Many Requests: retry after 1" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: boris.ID, Status: 400, Description: "Bad Request: chat not found" + echo})
	srv.Inject(telegramtest.Fault{Method: "sendMessage", Chat: boris.ID + 1, Status: 401, Description: "Unauthorized" + echo})
	in := serve(t, srv)
	srv.PrivateText(alice, companies)
	srv.PrivateText(boris, companies)
	srv.PrivateText(telegramtest.User(boris.ID+1, "Chen", "zh"), companies)
	srv.WaitSent(t, alice.ID, 1)
	srv.Wait(t, "the 400 and the 401", func() bool {
		n := 0
		for _, c := range srv.Calls("sendMessage") {
			if c.Status == 400 || c.Status == 401 {
				n++
			}
		}
		return n == 2
	})
	in.stop()

	logs := in.stderr.String()
	for _, line := range strings.Split(logs, "\n") {
		if telegramtest.ShowsSecret(line, token) {
			t.Errorf("a log line shows the token: %.300s", line)
		}
	}
	if n := strings.Count(logs, "[REDACTED]"); n < 5*len(telegramtest.Spellings(token)) {
		t.Errorf("only %d redactions in the log: the echoed bodies were not all logged", n)
	}
	for _, c := range srv.Calls() {
		if c.ChatID != 0 && telegramtest.ShowsSecret(c.Text, token) {
			t.Errorf("a message to a user shows the token: %s", c)
		}
	}
}
