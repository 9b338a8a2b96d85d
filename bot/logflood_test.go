package bot

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"factbot/bot/telegramtest"
)

// TestWebhookWrongSecretFlood: 5,000 requests with a wrong secret are all
// refused and counted, and write only a few sampled log lines.
func TestWebhookWrongSecretFlood(t *testing.T) {
	srv := telegramtest.New(t)
	h, err := newBot(t, srv)
	if err != nil {
		t.Fatal(err)
	}
	handler := h.bot.WebhookHandler("s3cret-Token_1")
	const n = 5000
	start := time.Now()
	for range n {
		req := httptest.NewRequest("POST", "/hook", strings.NewReader(`{"update_id":1}`))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "wrong")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Fatalf("wrong secret answered %d, want 403", rec.Code)
		}
	}
	took := time.Since(start)
	lines := 0
	for _, e := range h.logs.All() {
		if strings.Contains(e.Message, "wrong secret") {
			lines++
		}
	}
	// The sampler lets through rejectLogsPerSecond lines in each second
	// the flood touched.
	bound := rejectLogsPerSecond * (int(took/time.Second) + 2)
	if lines == 0 || lines > bound {
		t.Errorf("%d log lines for %d rejected requests in %v, want 1 to %d", lines, n, took.Round(time.Millisecond), bound)
	}
	if got := h.bot.Metrics().WebhookRejected("secret"); got != n {
		t.Errorf("WebhookRejected(secret) = %d, want %d", got, n)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(h.bot.Metrics())
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	exported := -1.0
	for _, mf := range mfs {
		if mf.GetName() != "factbot_webhook_rejected_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			if l := m.GetLabel(); len(l) == 1 && l[0].GetName() == "reason" && l[0].GetValue() == "secret" {
				exported = m.GetCounter().GetValue()
			}
		}
	}
	if exported != n {
		t.Errorf(`factbot_webhook_rejected_total{reason="secret"} = %v, want %d`, exported, n)
	}
	t.Logf("%d requests refused in %v: %d log lines", n, took.Round(time.Millisecond), lines)
}

// TestHugeQuestionAtDebugLevel: a 1 MB question, with every request logged
// (debug level, tgbotapi's own logging on): no log line reaches 1 KB, and
// the question's line says it was cut and how long it was.
func TestHugeQuestionAtDebugLevel(t *testing.T) {
	srv := telegramtest.New(t)
	core, logs := observer.New(zapcore.DebugLevel)
	logger := zap.New(core)
	SetLibraryLogger(logger, srv.Token)
	t.Cleanup(func() { SetLibraryLogger(zap.NewNop(), "") })
	h := startOn(t, srv, func(c *Config) { c.Logger, c.Debug = logger, true })
	question := strings.Repeat("trade 2023 ", 1<<20/11+1)[:1<<20]
	h.ask(alice, question)
	h.stop()

	sawQuestion := false
	for _, e := range logs.All() {
		line := entryText(t, e)
		if len(line) >= 1024 {
			t.Errorf("a log line of %d bytes: %.200s…", len(line), line)
		}
		if e.Message == "question" && strings.Contains(line, "[cut: 1048576 characters in all]") {
			sawQuestion = true
		}
	}
	if !sawQuestion {
		t.Error("no debug line with the question, cut and its length")
	}
}
