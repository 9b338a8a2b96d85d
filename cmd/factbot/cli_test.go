package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"factbot/index"
	"factbot/knowledge"
)

// run runs factbot with args and stdin and returns its exit code and output.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// The same question in five languages gets the same fact, in that language,
// with its figure, as-of date and source.
func TestAskFiveLanguages(t *testing.T) {
	for _, tc := range []struct {
		q, lang string
		want    []string // substrings of the answer
	}{
		{"How many Chinese companies operate in Kazakhstan?", "en", []string{"4,700", "As of: 2024-09", "Sources:", "astanatimes.com"}},
		{"Сколько китайских компаний работает в Казахстане?", "ru", []string{"4700", "По состоянию на: сентябрь 2024 г.", "Источники:"}},
		{"Қазақстанда қанша қытай компаниясы жұмыс істейді?", "kk", []string{"4 700", "Мерзімі: 2024 жылғы қыркүйек", "Дереккөздер:"}},
		{"哈萨克斯坦有多少家中国企业？", "zh", []string{"4700", "截至：2024年9月", "来源："}},
		{"Combien d'entreprises chinoises opèrent au Kazakhstan ?", "fr", []string{"4 700", "À la date de\u00a0: septembre 2024", "Sources\u00a0:"}},
	} {
		code, out, errs := run(t, "", "ask", "--json", tc.q)
		if code != 0 {
			t.Fatalf("ask --json %q: exit %d: %s", tc.q, code, errs)
		}
		var a jsonAnswer
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("ask --json %q: %v in %q", tc.q, err, out)
		}
		if !a.Answered || a.Language != tc.lang || len(a.Hits) == 0 || a.Hits[0].ID != "ciftis-2024-kz-chinese-enterprises" || a.Hits[0].Lang != tc.lang {
			t.Errorf("ask --json %q = answered %v in %s, first hit %+v; want ciftis-2024-kz-chinese-enterprises in %s", tc.q, a.Answered, a.Language, a.Hits, tc.lang)
		}
		_, plain, _ := run(t, "", "ask", tc.q)
		for _, w := range tc.want {
			if !strings.Contains(plain, w) {
				t.Errorf("ask %q: answer lacks %q:\n%s", tc.q, w, plain)
			}
		}
	}
}

func TestAskNoAnswer(t *testing.T) {
	code, out, _ := run(t, "", "ask", "What is the weather in Paris?")
	if code != 0 || !strings.Contains(out, "I don't know that yet") {
		t.Errorf("ask weather: exit %d, %q; want the honest no-answer", code, out)
	}
	_, out, _ = run(t, "", "ask", "--json", "What is the weather in Paris?")
	var a jsonAnswer
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("ask --json weather: %v: %s", err, out)
	}
	// Every field of the contract is there; no hits, tier none, a low
	// confidence.
	if !strings.HasPrefix(strings.TrimSpace(out), `{"question":"What is the weather in Paris?","language":"en","answered":false,"hits":[],"confidence":`) ||
		a.Tier != "none" || a.Confidence >= 0.5 || len(a.Hits) != 0 {
		t.Errorf("ask --json weather = %s", out)
	}
}

// The JSON contract of design.md, field by field, and batch mode: one object
// per input line, in order.
func TestAskJSONBatch(t *testing.T) {
	in := "How many Chinese companies operate in Kazakhstan?\nWhat is the weather in Paris?\n\n中哈贸易额2023年是多少\n"
	code, out, errs := run(t, in, "ask", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4 (one per input line):\n%s", len(lines), out)
	}
	wantQ := []string{"How many Chinese companies operate in Kazakhstan?", "What is the weather in Paris?", "", "中哈贸易额2023年是多少"}
	for i, line := range lines {
		var raw map[string]any
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, k := range []string{"question", "language", "answered", "hits"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("line %d lacks %q: %s", i+1, k, line)
			}
		}
		if raw["question"] != wantQ[i] {
			t.Errorf("line %d question = %q, want %q", i+1, raw["question"], wantQ[i])
		}
		hits, _ := raw["hits"].([]any)
		for _, h := range hits {
			hm := h.(map[string]any)
			for _, k := range []string{"id", "kind", "text", "lang", "score", "sources"} {
				if _, ok := hm[k]; !ok {
					t.Errorf("line %d: hit lacks %q", i+1, k)
				}
			}
			for _, s := range hm["sources"].([]any) {
				sm := s.(map[string]any)
				for _, k := range []string{"title", "publisher", "url", "date"} {
					if _, ok := sm[k]; !ok {
						t.Errorf("line %d: source lacks %q", i+1, k)
					}
				}
			}
		}
	}
	var third jsonAnswer
	json.Unmarshal([]byte(lines[3]), &third)
	if !third.Answered || third.Language != "zh" || !strings.HasPrefix(third.Hits[0].ID, "trade-2023") {
		t.Errorf("line 4 = %+v, want trade-2023 in zh", third)
	}
}

// A line of any length gets one JSON answer, its question cut to the
// searcher's cap, and every line after it is still answered.
func TestAskJSONBatchLongLine(t *testing.T) {
	long := strings.Repeat("trade khorgos китай 贸易 ", 100_000) // about 3 MB
	in := "How many Chinese companies operate in Kazakhstan?\n" + long + "\n中哈贸易额2023年是多少\nlast line without newline"
	code, out, errs := run(t, in, "ask", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines, want 4 (one per input line)", len(lines))
	}
	var got []jsonAnswer
	for i, line := range lines {
		var a jsonAnswer
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		got = append(got, a)
	}
	if n := utf8.RuneCountInString(got[1].Question); n == 0 || n > index.MaxQuestionRunes {
		t.Errorf("long line's question has %d characters, want 1..%d", n, index.MaxQuestionRunes)
	}
	if !utf8.ValidString(got[1].Question) {
		t.Errorf("long line's question is not valid UTF-8")
	}
	if got[2].Question != "中哈贸易额2023年是多少" || !got[2].Answered {
		t.Errorf("line after the long one: %+v", got[2])
	}
	if got[3].Question != "last line without newline" {
		t.Errorf("last line: question %q", got[3].Question)
	}
}

func TestAskForcedLanguage(t *testing.T) {
	_, out, _ := run(t, "", "ask", "--json", "--lang", "fr", "How many Chinese companies operate in Kazakhstan?")
	var a jsonAnswer
	json.Unmarshal([]byte(out), &a)
	if a.Language != "fr" || len(a.Hits) == 0 || a.Hits[0].Lang != "fr" {
		t.Errorf("--lang fr: %+v", a)
	}
	if code, _, errs := run(t, "", "ask", "--lang", "de", "x"); code != 2 || !strings.Contains(errs, "--lang") {
		t.Errorf("--lang de: exit %d, %q; want a usage error", code, errs)
	}
}

func TestCheck(t *testing.T) {
	if code, out, _ := run(t, "", "check"); code != 0 || !strings.Contains(out, "ok: 241 facts") {
		t.Errorf("check embedded: exit %d, %q", code, out)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "facts"), 0o755)
	os.WriteFile(filepath.Join(dir, "facts", "bad.yaml"), []byte("facts:\n  - id: x-1\n    topic: trade\n    colour: red\n"), 0o644)
	code, out, _ := run(t, "", "check", dir)
	if code != 1 {
		t.Errorf("check bad folder: exit %d, want 1", code)
	}
	for _, want := range []string{
		filepath.Join(dir, "facts/bad.yaml") + `:2: fact "x-1" has no source`,
		filepath.Join(dir, "facts/bad.yaml") + `:4: unknown field "colour" in fact`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check bad folder: output lacks %q:\n%s", want, out)
		}
	}
	if code, _, _ := run(t, "", "check", filepath.Join(dir, "nope")); code != 1 {
		t.Errorf("check missing folder: exit %d, want 1", code)
	}
}

// check refuses a folder holding a link to a device, a named pipe or a
// file that is not UTF-8, naming each file, instead of hanging on the pipe
// or reading /dev/zero until memory runs out.
func TestCheckHostileFiles(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := run(t, "", "knowledge", "export", dir); code != 0 {
		t.Fatalf("knowledge export: exit %d: %s", code, errs)
	}
	facts := filepath.Join(dir, "facts")
	if err := os.Symlink("/dev/zero", filepath.Join(facts, "z.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(facts, "f.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "documents", "bad.en.md"), []byte("---\ntitle: x\xff\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var (
		code int
		out  string
	)
	go func() {
		defer close(done)
		code, out, _ = run(t, "", "check", dir)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("check did not return: it blocks on the named pipe")
	}
	if code != 1 {
		t.Errorf("check: exit %d, want 1", code)
	}
	for _, want := range []string{
		filepath.Join(dir, "facts/z.yaml") + ":1: not a regular file (a character device)",
		filepath.Join(dir, "facts/f.yaml") + ":1: not a regular file (a named pipe)",
		filepath.Join(dir, "documents/bad.en.md") + ":2: invalid UTF-8 (byte 0xff)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
}

// A bad knowledge folder stops ask with the problems, not a crash.
func TestAskBadKnowledge(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "facts"), 0o755)
	os.WriteFile(filepath.Join(dir, "facts", "bad.yaml"), []byte("facts: [\n"), 0o644)
	code, _, errs := run(t, "", "ask", "--knowledge", dir, "trade")
	if code != 1 || !strings.Contains(errs, "facts/bad.yaml:") {
		t.Errorf("ask with a bad folder: exit %d, %q", code, errs)
	}
}

func TestEvalPrintsTable(t *testing.T) {
	// The blind set with the shipped model: the quality floor holds.
	code, out, errs := run(t, "", "eval", "--set", "blind")
	if code != 0 {
		t.Fatalf("eval --set blind: exit %d: %s\n%s", code, errs, out)
	}
	b, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fmt.Sprintf("blind set (%d questions)", len(b.Blind)), "recall@1", "recall@3", "MRR", "recall@20", "\nkk ", "\nzh ",
		"abstention on out-of-scope questions", "calibration"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cross-validated") {
		t.Errorf("eval --set blind also ran the dev set:\n%s", out)
	}

	// The dev set's cross-validation, and a refit, on a smaller folder
	// (every fold refits the model, which the race detector makes slow).
	dir := t.TempDir()
	if code, _, errs := run(t, "", "knowledge", "export", dir); code != 0 {
		t.Fatal(errs)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "eval"))
	for _, e := range entries {
		if e.Name() != "02-trade-by-year.yaml" && e.Name() != "99-out-of-scope.yaml" {
			os.Remove(filepath.Join(dir, "eval", e.Name()))
		}
	}
	code, out, errs = run(t, "", "eval", "--set", "dev", "--folds", "3", "--knowledge", dir)
	if code != 0 || !strings.Contains(out, "3-fold cross-validated") || !strings.Contains(out, "recall@3") || strings.Contains(out, "blind set") {
		t.Errorf("eval --set dev: exit %d: %s\n%s", code, errs, out)
	}
	model := filepath.Join(t.TempDir(), "model.json")
	if code, out, errs := run(t, "", "eval", "--fit", model, "--knowledge", dir); code != 0 || !strings.Contains(out, "fitted on") {
		t.Fatalf("eval --fit: exit %d: %s\n%s", code, errs, out)
	}
	data, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := index.ParseModel(data); err != nil {
		t.Errorf("the fitted model does not parse: %v", err)
	}
	if code, out, _ := run(t, "", "eval", "--explain", "kz china trade 2023"); code != 0 ||
		!strings.Contains(out, "measures [trade-turnover]") || !strings.Contains(out, "1. trade-2023") ||
		!explainsConfidence(out) {
		t.Errorf("eval --explain: exit %d:\n%s", code, out)
	}
}

func TestChat(t *testing.T) {
	code, out, _ := run(t, "/lang ru\nHow many Chinese companies operate in Kazakhstan?\n/quit\n", "chat")
	if code != 0 || !strings.Contains(out, "Reply language: ru") || !strings.Contains(out, "Источники:") {
		t.Errorf("chat: exit %d:\n%s", code, out)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := run(t, ""); code != 2 || !strings.Contains(errs, "usage: factbot") {
		t.Errorf("no args: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, "", "frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errs)
	}
}

func TestKnowledgeExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	if code, out, errs := run(t, "", "knowledge", "export", dir); code != 0 || !strings.Contains(out, "wrote") {
		t.Fatalf("export: exit %d, %q %q", code, out, errs)
	}
	if code, out, _ := run(t, "", "check", dir); code != 0 || !strings.Contains(out, "ok: 241 facts") {
		t.Errorf("check exported: exit %d, %q", code, out)
	}
	if code, _, errs := run(t, "", "knowledge", "export", dir); code != 1 || !strings.Contains(errs, "not empty") {
		t.Errorf("export into a non-empty folder: exit %d, %q", code, errs)
	}
	if code, _, _ := run(t, "", "knowledge", "export", "--force", dir); code != 0 {
		t.Errorf("export --force: exit %d", code)
	}
	if code, _, _ := run(t, "", "knowledge", "frob"); code != 2 {
		t.Errorf("knowledge frob: exit %d, want 2", code)
	}
}

// The healthcheck's exit code follows /healthz.
func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	if code, out, errs := run(t, "", "healthcheck", "--http-addr", addr); code != 0 || !strings.Contains(out, "healthy") {
		t.Errorf("healthy server: exit %d, %q %q", code, out, errs)
	}
	status = http.StatusServiceUnavailable
	if code, _, errs := run(t, "", "healthcheck", "--http-addr", addr); code != 1 || !strings.Contains(errs, "503") {
		t.Errorf("unhealthy server: exit %d, %q", code, errs)
	}
	srv.Close()
	if code, _, _ := run(t, "", "healthcheck", "--http-addr", addr, "--timeout", "500ms"); code != 1 {
		t.Errorf("no server: exit %d, want 1", code)
	}
	if code, _, _ := run(t, "", "healthcheck"); code != 2 {
		t.Errorf("no address: exit %d, want 2", code)
	}
	if got := probeAddr(":8080"); got != "127.0.0.1:8080" {
		t.Errorf("probeAddr(:8080) = %s", got)
	}
}

func TestVersion(t *testing.T) {
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "factbot dev (go") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// explainsConfidence reports whether eval --explain's output lists the eight
// features that moved the confidence most, each with its value and share.
func explainsConfidence(out string) bool {
	for _, line := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "confidence from  "); ok {
			parts := strings.Fields(rest)
			for _, p := range parts {
				if !strings.Contains(p, "=") || !strings.HasSuffix(p, ")") {
					return false
				}
			}
			return len(parts) == 8
		}
	}
	return false
}
