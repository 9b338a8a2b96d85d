package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/boltstore"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

// These tests run `factbot serve` as a child process (the test binary
// itself, see TestMain) and kill it with SIGKILL: a crash, with no
// shutdown code running, unlike the in-process tests' cancel.

// child is one `factbot serve` process.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	log    string // its stderr
	exited chan struct{}
	err    error // set when exited is closed
}

var (
	childOnce sync.Once
	childBin  string // a factbot built without the race detector, or ""
	childDir  string // its folder, removed by TestMain
)

// factbot returns the command that runs factbot with args: the test binary
// itself (TestMain runs Main when childEnv is set), or, when the test
// binary has the race detector, which makes each start several times
// slower, factbot built without it, once per test run.
func factbot(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	if raceBuild {
		childOnce.Do(func() {
			dir, err := os.MkdirTemp("", "factbot-child-")
			if err != nil {
				return
			}
			bin := filepath.Join(dir, "factbot")
			out, err := exec.Command(goTool(), "build", "-o", bin, ".").CombinedOutput()
			if err != nil {
				t.Logf("building factbot without -race failed; the children run the test binary: %v\n%s", err, out)
				os.RemoveAll(dir)
				return
			}
			childBin, childDir = bin, dir
		})
	}
	if childBin != "" {
		return exec.Command(childBin, args...)
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	return cmd
}

// goTool returns the go command of the toolchain that built the test.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// startChild starts `factbot serve` with env added to the test's own
// environment; its log goes to a file under logDir.
func startChild(t *testing.T, logDir string, n int, env ...string) *child {
	t.Helper()
	c := &child{t: t, log: filepath.Join(logDir, fmt.Sprintf("serve-%02d.log", n)), exited: make(chan struct{})}
	f, err := os.Create(c.log)
	if err != nil {
		t.Fatal(err)
	}
	c.cmd = factbot(t, "serve")
	if c.cmd.Env == nil {
		c.cmd.Env = os.Environ()
	}
	c.cmd.Env = append(c.cmd.Env, env...)
	c.cmd.Stderr, c.cmd.Stdout = f, f
	if err := c.cmd.Start(); err != nil {
		f.Close()
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		f.Close()
		close(c.exited)
	}()
	t.Cleanup(func() { c.kill() })
	return c
}

// kill crashes the child (SIGKILL) and waits for it to be gone.
func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited
}

// stop sends SIGTERM and waits for a clean exit.
func (c *child) stop() {
	c.t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
		if c.err != nil {
			c.t.Errorf("serve exited with %v; log:\n%s", c.err, c.tail(40))
		}
	case <-time.After(30 * time.Second):
		c.t.Errorf("serve did not exit after SIGTERM")
		c.kill()
	}
}

// tail returns the last n lines of the child's log.
func (c *child) tail(n int) string {
	data, _ := os.ReadFile(c.log)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// pause waits d, failing the test if the child exits meanwhile.
func (c *child) pause(d time.Duration) {
	c.t.Helper()
	select {
	case <-time.After(d):
	case <-c.exited:
		c.t.Fatalf("serve exited on its own (%v); log:\n%s", c.err, c.tail(40))
	}
}

// seed returns the random seed of a storm: FACTBOT_STORM_SEED when set (to
// replay a failure), else a new one. It is logged either way.
func seed(t *testing.T) uint64 {
	s := rand.Uint64()
	if v := os.Getenv("FACTBOT_STORM_SEED"); v != "" {
		var err error
		if s, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("FACTBOT_STORM_SEED: %v", err)
		}
	}
	t.Logf("seed %d (FACTBOT_STORM_SEED=%d replays it)", s, s)
	return s
}

// stormQuestion is a question and the statement its answer opens with.
type stormQuestion struct {
	q, answer string
}

// stormQuestions picks n English questions of the eval set that the base
// answers, each with a different best fact, so that an answer on Telegram
// tells which question it answers.
func stormQuestions(t *testing.T, n int) []stormQuestion {
	t.Helper()
	base, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for _, c := range base.Eval {
		if c.Lang == knowledge.EN && !c.OutOfScope && !strings.ContainsAny(c.Question, "\n") {
			fmt.Fprintln(&in, c.Question)
		}
	}
	// The child's factbot answers faster than this test binary when the
	// test has the race detector.
	cmd := factbot(t, "ask", "--json")
	cmd.Stdin = strings.NewReader(in.String())
	var out, errs strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("ask --json: %v: %s", err, errs.String())
	}
	var qs []stormQuestion
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && len(qs) < n {
		var a jsonAnswer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if !a.Answered || a.Language != "en" || len(a.Hits) == 0 || a.Hits[0].Kind != "fact" {
			continue
		}
		h := a.Hits[0]
		first, _, _ := strings.Cut(h.Text, "\n")
		if seen[h.ID] || seen[first] {
			continue
		}
		seen[h.ID], seen[first] = true, true
		qs = append(qs, stormQuestion{q: a.Question, answer: first})
	}
	if len(qs) < n {
		t.Fatalf("only %d eval questions with distinct answers, want %d", len(qs), n)
	}
	return qs
}

// TestServeCrashStorm: bursts of ten questions in ten private chats, the
// bot killed (SIGKILL) at a random moment 0–0.5 s after each burst and
// restarted at once, 25 times, under Telegram's limits. Every question is
// answered; an answer is repeated only across a crash (two copies always
// have a kill between them: the send was in flight when it came), and there
// are at most two duplicates per kill: an update answered before a crash is
// not answered again after it.
// FACTBOT_STORM_SEED replays a storm; FACTBOT_STORM_LOGS keeps the
// children's logs in that folder.
func TestServeCrashStorm(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	const (
		chats = 10
		kills = 25
	)
	t0 := time.Now()
	qs := stormQuestions(t, kills)
	t.Logf("questions picked in %v", time.Since(t0))
	rng := rand.New(rand.NewPCG(seed(t), 1))

	srv := telegramtest.New(t)
	srv.Timeout = 90 * time.Second
	lim := telegramtest.TelegramLimits
	lim.Reject = true
	srv.EnforceLimits(lim)
	users := make([]tgbotapi.User, chats)
	var admins []string
	for i := range users {
		users[i] = telegramtest.User(int64(9100+i), fmt.Sprint("u", i), "en")
		admins = append(admins, strconv.FormatInt(users[i].ID, 10))
	}
	logs := t.TempDir()
	if d := os.Getenv("FACTBOT_STORM_LOGS"); d != "" {
		logs = d
	}
	env := []string{
		"FACTBOT_TOKEN=" + srv.Token, "FACTBOT_API_URL=" + srv.URL, "FACTBOT_DATA_DIR=" + t.TempDir(),
		"FACTBOT_LOG_FORMAT=json", "FACTBOT_LIMITS=telegram",
		// Each user asks 25 questions in a few seconds, past inbound flood
		// control (20 a minute), which is not what this test is about:
		// admins are exempt from it.
		"FACTBOT_ADMINS=" + strings.Join(admins, ","),
	}
	started := 0
	start := func() *child {
		started++
		c := startChild(t, logs, started, env...)
		// Every instance deletes the webhook once, right before it polls.
		srv.Wait(t, fmt.Sprintf("instance %d polling", started), func() bool { return srv.Count("deleteWebhook") >= started })
		return c
	}

	t0 = time.Now()
	c := start()
	t.Logf("first start in %v", time.Since(t0))
	begin := time.Now()
	// killed holds the moment each kill was over: a request the server
	// received before it may come from the killed process, one after it
	// from a later one.
	var killed []time.Time
	for round := range kills {
		for i, u := range users {
			srv.PrivateText(u, qs[(i+round)%len(qs)].q)
		}
		c.pause(time.Duration(rng.Int64N(int64(500 * time.Millisecond))))
		c.kill()
		killed = append(killed, time.Now())
		c = start()
	}
	storm := time.Since(begin)

	// copies lists, per chat, when each question's answers were received.
	copies := func() (map[int64]map[string][]time.Time, []string) {
		out := map[int64]map[string][]time.Time{}
		var stray []string
		for _, u := range users {
			out[u.ID] = map[string][]time.Time{}
			for _, m := range srv.Sent(u.ID) {
				found := false
				for _, q := range qs {
					if strings.HasPrefix(m.PlainText(), q.answer) {
						out[u.ID][q.q] = append(out[u.ID][q.q], m.At)
						found = true
						break
					}
				}
				if !found {
					stray = append(stray, m.PlainText())
				}
			}
		}
		return out, stray
	}
	srv.Wait(t, "every question answered", func() bool {
		if srv.CountOK("sendMessage") < chats*kills {
			return false
		}
		got, _ := copies()
		for _, u := range users {
			if len(got[u.ID]) < len(qs) {
				return false
			}
		}
		return true
	})
	t.Logf("all answered %v after the storm", time.Since(begin)-storm)
	c.stop()
	if t.Failed() {
		return
	}

	got, stray := copies()
	for _, s := range stray {
		t.Errorf("a message that answers none of the questions: %.200q", s)
	}
	// A copy is allowed only where a send was in flight at a crash: two
	// copies of one answer must have a kill between them, or one process
	// answered an update twice.
	killBetween := func(a, b time.Time) bool {
		for _, k := range killed {
			if a.Before(k) && k.Before(b) {
				return true
			}
		}
		return false
	}
	dups, most := 0, 0
	for _, u := range users {
		for q, at := range got[u.ID] {
			slices.SortFunc(at, time.Time.Compare)
			dups += len(at) - 1
			most = max(most, len(at))
			for i := 1; i < len(at); i++ {
				if !killBetween(at[i-1], at[i]) {
					t.Errorf("user %d got two answers to %q from one process (at %v and %v, no kill between)",
						u.ID, q, at[i-1].Format(time.StampMicro), at[i].Format(time.StampMicro))
				}
			}
		}
	}
	t.Logf("%d kills in %v: %d questions, %d answers, %d duplicates (most copies of one answer: %d)",
		kills, storm.Round(time.Millisecond), chats*kills, chats*kills+dups, dups, most)
	if dups > 2*kills {
		t.Errorf("%d duplicate answers after %d kills, want at most %d", dups, kills, 2*kills)
	}
	if n := srv.Pending(); n != 0 {
		t.Errorf("%d updates left unconfirmed", n)
	}
	if b := srv.Breaches(); len(b) > 0 {
		t.Logf("%d limit breaches answered 429 (a restarted process starts with fresh limiters): first %v", len(b), b[0])
	}
}

// TestServeBroadcastSurvivesKills: `factbot serve` killed (SIGKILL) four
// times during a broadcast to 120 groups under Telegram's limits, and
// restarted at once. Every group gets the announcement, and what the
// README promises holds: a crash adds at most one copy to a group, and
// only to a group whose send was in flight at the crash (its ledger entry
// marked "sending" by an attempt since the last crash, read from
// factbot.db between the kill and the restart).
func TestServeBroadcastSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills processes")
	}
	const (
		groups = 120
		kills  = 4
		text   = "The Kazakhstan–China business forum opens on 12 May in Astana."
	)
	rng := rand.New(rand.NewPCG(seed(t), 2))
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	lim := telegramtest.TelegramLimits
	lim.Reject = true
	srv.EnforceLimits(lim)
	data, logs := t.TempDir(), t.TempDir()
	if d := os.Getenv("FACTBOT_STORM_LOGS"); d != "" {
		logs = d
	}
	env := []string{
		"FACTBOT_TOKEN=" + srv.Token, "FACTBOT_API_URL=" + srv.URL, "FACTBOT_DATA_DIR=" + data,
		"FACTBOT_LOG_FORMAT=json", "FACTBOT_LIMITS=telegram", "FACTBOT_ADMINS=" + strconv.FormatInt(root.ID, 10),
	}
	group := func(i int) int64 { return -1_000_700_000 - int64(i) }
	delivered := func() map[int64]int {
		out := map[int64]int{}
		for _, c := range srv.Sent(0) {
			if c.ChatID < 0 && c.PlainText() == text {
				out[c.ChatID]++
			}
		}
		return out
	}
	sum := func(m map[int64]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}

	c := startChild(t, logs, 1, env...)
	for i := range groups {
		srv.GroupText(group(i), alice, "hello")
	}
	srv.Wait(t, "the groups seen", func() bool { return srv.Pending() == 0 && srv.Count("deleteWebhook") == 1 })
	n := len(srv.Sent(root.ID))
	srv.PrivateText(root, "/announce "+text)
	preview := srv.WaitSent(t, root.ID, n+1)[n]
	if !strings.Contains(preview.PlainText(), fmt.Sprintf("It will go to %d groups", groups)) {
		t.Fatalf("preview = %q", preview.PlainText())
	}
	send := preview.Buttons()[0]
	id, err := strconv.ParseUint(strings.TrimPrefix(send, "a:s:"), 10, 64)
	if err != nil {
		t.Fatalf("Send button %q: %v", send, err)
	}
	srv.Callback(root, preview.Message(), send)

	inFlight := map[int64]int{} // kills at which a group's send was in flight
	attempts := map[int64]int{} // a group's send attempts at the last kill
	for k := 1; k <= kills; k++ {
		// Kill while this instance is delivering.
		from := sum(delivered())
		srv.Wait(t, fmt.Sprintf("deliveries by instance %d", k), func() bool { return sum(delivered()) >= from+3 })
		c.pause(time.Duration(rng.Int64N(int64(500 * time.Millisecond))))
		c.kill()
		st, err := boltstore.Open(filepath.Join(data, "factbot.db"))
		if err != nil {
			t.Fatal(err)
		}
		dels, err := st.Deliveries(id)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		sending, done := 0, 0
		for _, d := range dels {
			// A send is in flight at this kill if it is marked so by an
			// attempt made since the last kill; one left "sending" by an
			// earlier crash and not tried again yet is not.
			if d.State == "sending" && d.Attempts > attempts[d.Chat] {
				inFlight[d.Chat]++
				sending++
			}
			if d.State == "sent" {
				done++
			}
			attempts[d.Chat] = d.Attempts
		}
		t.Logf("kill %d: %d of %d groups delivered, %d sends in flight", k, done, groups, sending)
		if done == groups {
			t.Fatalf("the broadcast ended before kill %d; the test proves nothing", k)
		}
		c = startChild(t, logs, k+1, env...)
	}
	srv.Wait(t, "the report", func() bool {
		for _, m := range srv.Sent(root.ID) {
			if strings.Contains(m.PlainText(), "delivered to") {
				return true
			}
		}
		return false
	})
	c.stop()

	got := delivered()
	extra, uncertain := 0, 0
	for i := range groups {
		g := group(i)
		uncertain += inFlight[g]
		switch {
		case got[g] == 0:
			t.Errorf("group %d never got the announcement", g)
		case got[g]-1 > inFlight[g]:
			t.Errorf("group %d got %d copies, but its send was in flight at only %d of the %d crashes", g, got[g], inFlight[g], kills)
		}
		extra += max(got[g]-1, 0)
	}
	t.Logf("%d kills: %d extra copies in all, of %d sends in flight at a crash", kills, extra, uncertain)
}
