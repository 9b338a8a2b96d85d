package bot

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.uber.org/zap/zapcore"

	"factbot/bot/telegramtest"
	"factbot/knowledge"
	"factbot/knowledge/curate"
	"factbot/knowledge/versions"
)

// fakeCurator serves testdata/kb as version 1 and records what is applied.
type fakeCurator struct {
	tb      testing.TB
	fsys    fs.FS
	v       versions.Version
	gate    bool // the eval numbers fail the quality gate
	mu      sync.Mutex
	applied []applied
}

type applied struct {
	who     int64
	basedOn string
	files   fs.FS
}

func newFakeCurator(tb testing.TB) *fakeCurator {
	fsys := os.DirFS("testdata/kb")
	tree, err := versions.Tree(fsys)
	if err != nil {
		tb.Fatal(err)
	}
	return &fakeCurator{tb: tb, fsys: fsys, v: versions.Version{Seq: 1, Who: versions.WhoStart, Tree: tree, Hash: "3fa2c1d04b5e6a7f"}}
}

func (f *fakeCurator) Served() (fs.FS, versions.Version, error) { return f.fsys, f.v, nil }

func (f *fakeCurator) Evaluate(ctx context.Context, old, new *knowledge.Base) (*curate.EvalChange, error) {
	n := func(r float64) curate.EvalNumbers {
		return curate.EvalNumbers{Cases: map[knowledge.Lang]int{knowledge.EN: 10}, Recall1: map[knowledge.Lang]float64{knowledge.EN: r},
			Recall3: map[knowledge.Lang]float64{knowledge.EN: r}, OutOfScope: 4, Abstention: 1}
	}
	after := 0.9
	if f.gate {
		after = 0.5
	}
	return &curate.EvalChange{Before: n(0.9), After: n(after)}, nil
}

func (f *fakeCurator) Apply(ctx context.Context, fsys fs.FS, who int64, basedOn string) (knowledge.ReloadReport, versions.Version, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, applied{who, basedOn, fsys})
	return knowledge.ReloadReport{Hash: "9b1e22aa0c4d5e6f", Facts: 3, Diff: knowledge.Diff{ChangedFacts: []string{"trade-2013"}}},
		versions.Version{Seq: 2, Who: versions.Admin(who)}, nil
}

func (f *fakeCurator) Versions(n int) ([]versions.Version, error) {
	return []versions.Version{f.v}, nil
}

func (f *fakeCurator) appliedN() []applied {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]applied(nil), f.applied...)
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var (
	curAdmin  = telegramtest.User(901, "Root", "en")
	curDeputy = telegramtest.User(902, "Deputy", "en")
)

func startCurating(t *testing.T, cur *fakeCurator, clk *clock) *harness {
	return start(t, func(c *Config) {
		c.Admins = []int64{curAdmin.ID, curDeputy.ID}
		c.Curator = cur
		c.Now = clk.Now
	})
}

// editedTrade is testdata/kb's trade file with one figure changed.
func editedTrade(t *testing.T) []byte {
	data, err := os.ReadFile("testdata/kb/facts/trade.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), `value: "$28.6 billion"`, `value: "$28.9 billion"`, 1)
	if s == string(data) {
		t.Fatal("the trade file has no $28.6 billion figure")
	}
	return []byte(s)
}

// sendFile sends a file from user and waits for a message to them after
// it that matches.
func (h *harness) sendFile(from tgbotapi.User, name string, data []byte, what string, match func(string) bool) telegramtest.Call {
	h.t.Helper()
	n := len(h.srv.Sent(from.ID))
	h.srv.Document(from, name, data)
	return h.waitAfter(from.ID, n, what, match)
}

func (h *harness) waitAfter(chat int64, skip int, what string, match func(string) bool) telegramtest.Call {
	h.t.Helper()
	return h.srv.WaitSentAfter(h.t, chat, skip, what, match)
}

func has(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

func (h *harness) pressOn(from tgbotapi.User, msg telegramtest.Call, data, what string, match func(string) bool) telegramtest.Call {
	h.t.Helper()
	n := len(h.srv.Sent(from.ID))
	h.srv.Callback(from, msg.Message(), data)
	return h.waitAfter(from.ID, n, what, match)
}

func TestUploadPreviewApply(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)}
	h := startCurating(t, cur, clk)
	p := h.sendFile(curAdmin, "trade.yaml", editedTrade(t), "the preview", has("Apply or Cancel within"))
	text := p.PlainText()
	for _, want := range []string{"trade-2013", "$28.6 billion", "→", "$28.9 billion", "Quality gate: passes", "it replaces facts/trade.yaml"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview has no %q:\n%s", want, text)
		}
	}
	if got := p.Buttons(); len(got) != 2 || got[0] != "u:a:1" || got[1] != "u:c:1" {
		t.Fatalf("buttons = %v", got)
	}
	got := h.pressOn(curAdmin, p, "u:a:1", "the apply report", has("Upload applied")).PlainText()
	if !strings.Contains(got, "Facts changed (1): trade-2013") || !strings.Contains(got, "Recorded as version 2") {
		t.Errorf("report = %q", got)
	}
	a := cur.appliedN()
	if len(a) != 1 || a[0].who != curAdmin.ID || a[0].basedOn != cur.v.Tree {
		t.Fatalf("applied = %+v", a)
	}
	if data, err := fs.ReadFile(a[0].files, "facts/trade.yaml"); err != nil || !strings.Contains(string(data), "$28.9 billion") {
		t.Errorf("the applied folder's trade file: %v", err)
	}
	// A second press finds the preview closed.
	h.srv.Callback(curAdmin, p.Message(), "u:a:1")
	h.srv.Wait(t, "the callback answered", func() bool { return len(h.srv.UnansweredCallbacks()) == 0 && h.srv.CountOK("answerCallbackQuery") >= 2 })
	if n := len(cur.appliedN()); n != 1 {
		t.Errorf("a second Apply applied again (%d)", n)
	}
}

// Cancel, or 30 minutes without an answer, discards the upload.
func TestUploadCancelAndExpiry(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)}
	h := startCurating(t, cur, clk)
	p := h.sendFile(curAdmin, "trade.yaml", editedTrade(t), "the preview", has("Apply or Cancel within"))
	h.pressOn(curAdmin, p, "u:c:1", "the cancellation", has("cancelled. Nothing changed"))

	p = h.sendFile(curAdmin, "trade.yaml", editedTrade(t), "the second preview", has("Apply or Cancel within"))
	clk.Add(UploadTTL + time.Minute)
	h.pressOn(curAdmin, p, buttonData(t, p, "u:a:"), "the expiry", has("discarded: no Apply or Cancel within 30 minutes"))
	if n := len(cur.appliedN()); n != 0 {
		t.Errorf("%d uploads applied, want none", n)
	}
}

func buttonData(t *testing.T, c telegramtest.Call, prefix string) string {
	t.Helper()
	for _, b := range c.Buttons() {
		if strings.HasPrefix(b, prefix) {
			return b
		}
	}
	t.Fatalf("no %s button in %v", prefix, c.Buttons())
	return ""
}

// A failing quality gate: the preview says so and Apply asks again.
func TestUploadGateNeedsConfirmation(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Now()}
	cur.gate = true
	h := startCurating(t, cur, clk)
	p := h.sendFile(curAdmin, "trade.yaml", editedTrade(t), "the preview", has("Apply or Cancel within"))
	if !strings.Contains(p.PlainText(), "Quality gate: FAILS") || !strings.Contains(p.PlainText(), "Apply asks you to confirm") {
		t.Errorf("preview = %q", p.PlainText())
	}
	confirm := h.pressOn(curAdmin, p, "u:a:1", "the confirmation", has("Apply it anyway?"))
	if n := len(cur.appliedN()); n != 0 {
		t.Fatalf("the first Apply of a failing gate applied")
	}
	h.pressOn(curAdmin, confirm, buttonData(t, confirm, "u:A:"), "the report", has("Upload applied"))
	if n := len(cur.appliedN()); n != 1 {
		t.Errorf("%d applied after the confirmation, want 1", n)
	}
}

// One upload at a time: the second waits its turn, and gets its preview
// when the first is done.
func TestUploadQueue(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Now()}
	h := startCurating(t, cur, clk)
	p := h.sendFile(curAdmin, "trade.yaml", editedTrade(t), "the preview", has("Apply or Cancel within"))
	h.sendFile(curDeputy, "trade.yaml", editedTrade(t), "the wait", has("One upload at a time: another admin's upload"))
	// The deputy cannot press the root's buttons.
	h.srv.Callback(curDeputy, p.Message(), "u:a:1")
	h.pressOn(curAdmin, p, "u:c:1", "the cancellation", has("cancelled"))
	h.waitAfter(curDeputy.ID, 0, "the deputy's turn", has("Your turn"))
	dp := h.waitAfter(curDeputy.ID, 0, "the deputy's preview", has("Apply or Cancel within"))
	h.pressOn(curDeputy, dp, buttonData(t, dp, "u:a:"), "the report", has("Upload applied"))
	a := cur.appliedN()
	if len(a) != 1 || a[0].who != curDeputy.ID {
		t.Errorf("applied = %+v, want the deputy's upload alone", a)
	}
}

// Anyone but a bot admin in a private chat is refused, and the file is
// never fetched.
func TestUploadRefusedToUsers(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Now()}
	h := startCurating(t, cur, clk)
	h.sendFile(alice, "trade.yaml", editedTrade(t), "the refusal", has("only for the bot's administrators"))
	if n := h.srv.Count("getFile") + h.srv.Count(telegramtest.DownloadMethod); n != 0 {
		t.Errorf("a user's file was fetched (%d calls)", n)
	}
}

// A download that fails gets a fixed sentence; the token appears in no
// reply and no log line.
func TestUploadDownloadFails(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Now()}
	h := startCurating(t, cur, clk)
	h.srv.Inject(telegramtest.ServerError(502).For("getFile").N(100))
	got := h.sendFile(curAdmin, "trade.yaml", editedTrade(t), "the failure", has("could not be downloaded")).PlainText()
	if strings.Contains(got, h.srv.Token) || strings.Contains(got, "502") {
		t.Errorf("reply = %q", got)
	}
	for _, e := range h.logs.All() {
		line := e.Message
		for _, f := range e.Context {
			line += " " + f.String + " " + f.Key
			if err, ok := f.Interface.(error); ok {
				line += " " + err.Error()
			}
		}
		if strings.Contains(line, h.srv.Token) || strings.Contains(line, strings.Split(h.srv.Token, ":")[1]) {
			t.Errorf("log line has the token: %s", line)
		}
	}
	if !h.logged(zapcore.WarnLevel, "upload: download failed") {
		t.Error("the failure was not logged")
	}
	// Too big: refused before any download.
	h.srv.ClearFaults()
	n := len(h.srv.Sent(curAdmin.ID))
	h.srv.SendDocument(curAdmin, h.srv.AddFileSized("big.zip", []byte("PK"), 21<<20), "")
	h.waitAfter(curAdmin.ID, n, "the size refusal", has("a bot may download at most 20.0 MB"))
	if c := h.srv.Count(telegramtest.DownloadMethod); c != 0 {
		t.Errorf("%d downloads of a file over 20 MB", c)
	}
}

// /gaps names the fact closest to each unanswered question, or the one
// that answers it since the knowledge changed; none when nothing is close.
func TestGapsHint(t *testing.T) {
	st := mustOpenStore(t, filepath.Join(t.TempDir(), "factbot.db"))
	t.Cleanup(func() { st.Close() })
	h := start(t, withStore(st), withAdmin(&fakeReloader{}))
	// Recorded before the trade fact was added, say.
	if err := st.RecordGap("China Kazakhstan trade in 2013?", knowledge.EN); err != nil {
		t.Fatal(err)
	}
	h.ask(alice, "What is the weather in Paris tomorrow?")
	got := h.ask(admin, "/gaps").PlainText()
	if !strings.Contains(got, "[en] China Kazakhstan trade in 2013? → now answered by trade-2013") {
		t.Errorf("/gaps has no hint for the trade question:\n%s", got)
	}
	if !strings.Contains(got, "[en] What is the weather in Paris tomorrow?\n") {
		t.Errorf("/gaps gives the weather question a hint:\n%s", got)
	}
}

// A long problem list is paged over several messages within Telegram's
// limit (the fake server refuses longer ones), the first maxProblemList
// listed and the rest counted; nothing is applied.
func TestUploadProblemsPaged(t *testing.T) {
	cur, clk := newFakeCurator(t), &clock{t: time.Now()}
	h := startCurating(t, cur, clk)
	var s strings.Builder
	s.WriteString("facts:\n")
	for i := range 300 {
		fmt.Fprintf(&s, "  - id: broken-%03d\n    topic: nowhere\n", i)
	}
	n := len(h.srv.Sent(curAdmin.ID))
	h.srv.Document(curAdmin, "broken.yaml", []byte(s.String()))
	last := h.waitAfter(curAdmin.ID, n, "the end of the list", has("more (run factbot check"))
	var all strings.Builder
	pages := 0
	for _, c := range h.srv.Sent(curAdmin.ID)[n:] {
		if strings.HasPrefix(c.PlainText(), "📥") {
			continue
		}
		pages++
		all.WriteString(c.PlainText())
		if c.Seq == last.Seq {
			break
		}
	}
	if pages < 2 {
		t.Errorf("the list came in %d message(s), want it paged", pages)
	}
	if !strings.Contains(all.String(), "facts/broken.yaml:2: ") || !strings.Contains(all.String(), "Nothing was applied") {
		t.Errorf("the list:\n%.2000s", all.String())
	}
	if got := strings.Count(all.String(), "facts/broken.yaml:"); got != maxProblemList {
		t.Errorf("%d problems listed, want %d", got, maxProblemList)
	}
	if len(cur.appliedN()) != 0 {
		t.Error("a broken upload was applied")
	}
}
