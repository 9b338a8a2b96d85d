package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"factbot/bot"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(body)
}

// /readyz fails until the index is loaded and Telegram answered, and again
// when Telegram has been silent too long; /healthz answers throughout.
func TestReadiness(t *testing.T) {
	m := &bot.Metrics{}
	ready := &readiness{maxSilence: time.Minute}
	var hook atomic.Pointer[http.Handler]
	h := newHTTPHandler(newRegistry(m, newSearchHistogram()), ready, "", &hook)

	if code, _ := get(t, h, "/healthz"); code != 200 {
		t.Errorf("/healthz = %d while loading, want 200", code)
	}
	if code, body := get(t, h, "/readyz"); code != 503 || !strings.Contains(body, "index not loaded") {
		t.Errorf("/readyz before the index = %d %q, want 503", code, body)
	}
	ready.indexLoaded.Store(true)
	if code, body := get(t, h, "/readyz"); code != 503 || !strings.Contains(body, "no answer from the Bot API") {
		t.Errorf("/readyz before Telegram answered = %d %q, want 503", code, body)
	}
	last := time.Now()
	contact := func() time.Time { return last }
	ready.contact.Store(&contact)
	if code, _ := get(t, h, "/readyz"); code != 200 {
		t.Errorf("/readyz when ready = %d, want 200", code)
	}
	last = time.Now().Add(-2 * time.Minute)
	if code, body := get(t, h, "/readyz"); code != 503 || !strings.Contains(body, "ago") {
		t.Errorf("/readyz after silence = %d %q, want 503", code, body)
	}
	ready.webhook.Store(true) // deliveries are pushed: silence is normal
	if code, _ := get(t, h, "/readyz"); code != 200 {
		t.Errorf("/readyz with a webhook = %d, want 200", code)
	}
}

// /metrics speaks Prometheus: runtime metrics and the bot's own, by label.
func TestMetricsEndpoint(t *testing.T) {
	m := &bot.Metrics{}
	hist := newSearchHistogram()
	h := newHTTPHandler(newRegistry(m, hist), &readiness{}, "", new(atomic.Pointer[http.Handler]))
	m.Update("message")
	m.Update("inline_query")
	m.Answer(knowledge.RU, knowledge.TierAnswer)
	m.Answer(knowledge.ZH, knowledge.TierNone)
	m.Delivery("delivered")
	m.Reloads.Add(1)
	m.SetKnowledge(func() (string, int, int) { return "abc123", 241, 25 })
	ts := timedSearcher{searcherFunc(func(context.Context, knowledge.Query) (knowledge.Result, error) { return knowledge.Result{}, nil }), hist}
	ts.Search(context.Background(), knowledge.Query{Text: "x"})

	code, body := get(t, h, "/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`factbot_updates_total{kind="message"} 1`,
		`factbot_updates_total{kind="inline_query"} 1`,
		`factbot_answers_total{lang="ru",result="answered"} 1`,
		`factbot_answers_total{lang="zh",result="no_answer"} 1`,
		`factbot_answered_total 1`,
		`factbot_sends_total{result="429"} 0`,
		`factbot_sends_total{result="ok"} 0`,
		`factbot_reloads_total 1`,
		`factbot_announcement_deliveries_total{state="delivered"} 1`,
		`factbot_knowledge_info{documents="25",facts="241",hash="abc123"} 1`,
		`factbot_search_seconds_count 1`,
		`factbot_build_info{version="dev"} 1`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

type searcherFunc func(context.Context, knowledge.Query) (knowledge.Result, error)

func (f searcherFunc) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	return f(ctx, q)
}

// The wired serve: /healthz, /readyz and /metrics answer on the HTTP
// address, and each update gets one JSON log line without the question.
func TestServeEndpoints(t *testing.T) {
	srv := telegramtest.New(t)
	addr := freeAddr(t)
	t.Setenv("FACTBOT_LOG_FORMAT", "json")
	in := serve(t, srv, "--http-addr", addr, "--log-level", "info")
	srv.PrivateText(alice, "How many Chinese companies operate in Kazakhstan?")
	srv.WaitSent(t, alice.ID, 1)

	fetch := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	srv.Wait(t, "ready", func() bool { code, _ := fetch("/readyz"); return code == 200 })
	if code, _ := fetch("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	_, metrics := fetch("/metrics")
	for _, want := range []string{
		`factbot_updates_total{kind="message"} 1`,
		`factbot_answers_total{lang="en",result="answered"} 1`,
		`factbot_search_seconds_count 1`,
		`facts="241"`,
		`factbot_sends_total{result="ok"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	in.stop()
	logs := in.stderr.String()
	var updates int
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, `"msg":"update"`) {
			continue
		}
		updates++
		for _, want := range []string{`"chat":601`, `"kind":"message"`, `"lang":"en"`, `"answered":true`, `"hits":`, `"took":`} {
			if !strings.Contains(line, want) {
				t.Errorf("update log line lacks %s: %s", want, line)
			}
		}
	}
	if updates != 1 {
		t.Errorf("%d update log lines, want 1:\n%s", updates, logs)
	}
	if strings.Contains(logs, "How many Chinese companies") {
		t.Error("the question's text is logged at info level")
	}
}
