package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

var root = tgbotapi.User{ID: 4242, FirstName: "Root", UserName: "root", LanguageCode: "en"}

// editable exports the curated base to a folder serve can reload from.
func editable(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "knowledge")
	if _, err := knowledge.Export(knowledge.Curated(), dir, false); err != nil {
		t.Fatal(err)
	}
	return dir
}

// edit replaces old with new in a knowledge file.
func edit(t testing.TB, dir, file, old, new string) {
	t.Helper()
	p := filepath.Join(dir, file)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveAdmin runs serve with root as its admin on knowledge and data.
func serveAdmin(t *testing.T, srv *telegramtest.Server, knowledgeDir, dataDir string) *instance {
	t.Helper()
	t.Setenv("FACTBOT_ADMINS", fmt.Sprint(root.ID))
	t.Setenv("FACTBOT_KNOWLEDGE_DIR", knowledgeDir)
	t.Setenv("FACTBOT_DATA_DIR", dataDir)
	t.Setenv("FACTBOT_LIMITS", "off")
	return serve(t, srv)
}

// say sends text in from's private chat and returns the bot's next message.
func say(t *testing.T, srv *telegramtest.Server, from tgbotapi.User, text string) string {
	t.Helper()
	n := len(srv.Sent(from.ID))
	srv.PrivateText(from, text)
	return srv.WaitSent(t, from.ID, n+1)[n].PlainText()
}

const companies = "How many Chinese companies operate in Kazakhstan?"

func TestServeReloadRollbackAndRestart(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	in := serveAdmin(t, srv, kdir, data)

	if got := say(t, srv, alice, companies); !strings.Contains(got, "forum: The Astana Times") {
		t.Fatalf("answer before the edit = %q", got)
	}
	// A user may not reload.
	if got := say(t, srv, alice, "/reload"); !strings.Contains(got, "only for the bot's administrators") {
		t.Errorf("/reload from a user = %q", got)
	}

	// An admin edits a fact and reloads: the report names it.
	edit(t, kdir, "facts/01-ciftis-2024.yaml", "forum: The Astana Times", "forum (as reported): The Astana Times")
	got := say(t, srv, root, "/reload")
	if !strings.Contains(got, "Knowledge reloaded in") || !strings.Contains(got, "Facts changed (1): ciftis-2024-kz-chinese-enterprises") {
		t.Fatalf("/reload = %q", got)
	}
	hash := regexp.MustCompile(`version ([0-9a-f]{12})`).FindStringSubmatch(got)
	if hash == nil {
		t.Fatalf("/reload report has no version: %q", got)
	}
	if got := say(t, srv, alice, companies); !strings.Contains(got, "forum (as reported): The Astana Times") {
		t.Errorf("answer after the reload = %q", got)
	}

	// A typo is reported with its line and changes nothing.
	edit(t, kdir, "facts/01-ciftis-2024.yaml", "  - id: ciftis-2024-kz-chinese-enterprises\n    topic: investment",
		"  - id: ciftis-2024-kz-chinese-enterprises\n    topic: investmnet")
	got = say(t, srv, root, "/reload")
	if !regexp.MustCompile(`facts/01-ciftis-2024\.yaml:\d+: fact "ciftis-2024-kz-chinese-enterprises" has unknown topic "investmnet"`).MatchString(got) ||
		!strings.Contains(got, "Nothing changed; the old knowledge keeps serving (version "+hash[1]+")") {
		t.Errorf("/reload of a bad folder = %q", got)
	}
	if got := say(t, srv, alice, companies); !strings.Contains(got, "forum (as reported): The Astana Times") {
		t.Errorf("answer after a refused reload = %q", got)
	}

	// Rollback returns to the first version.
	got = say(t, srv, root, "/rollback")
	if !strings.Contains(got, "Rolled back in") || !strings.Contains(got, "Facts changed (1): ciftis-2024-kz-chinese-enterprises") {
		t.Errorf("/rollback = %q", got)
	}
	if got := say(t, srv, alice, companies); !strings.Contains(got, "forum: The Astana Times") {
		t.Errorf("answer after the rollback = %q", got)
	}
	in.stop()

	// A restart serves the newest version, the rollback's, and reopens
	// its index on disk rather than building it. The folder, edited
	// meanwhile, is shadowed by the stored versions: the log says so.
	edit(t, kdir, "facts/01-ciftis-2024.yaml", "topic: investmnet", "topic: investment")
	edit(t, kdir, "facts/01-ciftis-2024.yaml", "forum (as reported): The Astana Times", "forum (edited offline): The Astana Times")
	srv2 := telegramtest.New(t)
	srv2.Timeout = 60 * time.Second
	in = serveAdmin(t, srv2, kdir, data)
	if got := say(t, srv2, alice, companies); !strings.Contains(got, "forum: The Astana Times") {
		t.Errorf("answer after the restart = %q", got)
	}
	in.stop()
	if !strings.Contains(in.stderr.String(), `"built":false`) {
		t.Errorf("the restart rebuilt the index instead of reopening it:\n%s", grepLines(in.stderr.String(), "knowledge index"))
	}
	if !strings.Contains(in.stderr.String(), "the stored knowledge versions shadow "+kdir) || !strings.Contains(in.stderr.String(), "FACTBOT_RESEED=true") {
		t.Errorf("the restart did not say the versions shadow the edited folder:\n%s", grepLines(in.stderr.String(), "shadow"))
	}

	// FACTBOT_RESEED serves the folder, recorded as a new version.
	t.Setenv("FACTBOT_RESEED", "true")
	srv3 := telegramtest.New(t)
	srv3.Timeout = 60 * time.Second
	in = serveAdmin(t, srv3, kdir, data)
	if got := say(t, srv3, alice, companies); !strings.Contains(got, "forum (edited offline): The Astana Times") {
		t.Errorf("answer after a reseed = %q", got)
	}
	if got := say(t, srv3, root, "/versions"); !strings.Contains(got, "reseed: reseeded from "+kdir) {
		t.Errorf("/versions after a reseed = %q", got)
	}
	in.stop()
}

// TestServeReloadUnderLoad reloads repeatedly while many users ask at once:
// no question fails or goes unanswered.
func TestServeReloadUnderLoad(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t, telegramtest.WithMessageLog(64))
	srv.Timeout = 120 * time.Second
	serveAdmin(t, srv, kdir, data)
	say(t, srv, alice, companies) // warm
	files := openFilesUnder(t, data)
	if files == 0 {
		t.Fatal("no open files under the data folder: the leak check would prove nothing")
	}

	const users, each = 24, 8
	var wg sync.WaitGroup
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := telegramtest.User(int64(10_000+u), fmt.Sprint("U", u), "en")
			for range each {
				srv.PrivateText(user, companies)
			}
		}()
	}
	for i := range 3 {
		old, new := "forum: The Astana Times", "forum (as reported): The Astana Times"
		if i%2 == 1 {
			old, new = new, old
		}
		edit(t, kdir, "facts/01-ciftis-2024.yaml", old, new)
		if got := say(t, srv, root, "/reload"); !strings.Contains(got, "Facts changed (1): ciftis-2024-kz-chinese-enterprises") {
			t.Fatalf("reload %d under load = %q", i, got)
		}
	}
	wg.Wait()
	for u := 0; u < users; u++ {
		id := int64(10_000 + u)
		for _, c := range srv.WaitSent(t, id, each) {
			if txt := c.PlainText(); !strings.Contains(txt, "4,700") {
				t.Errorf("user %d got %q during reloads", id, txt)
			}
		}
	}
	// The old indexes were closed: no more files under the data folder are
	// open than before the reloads (the index served, and factbot.db).
	srv.Wait(t, "the old indexes' files closed", func() bool { return openFilesUnder(t, data) <= files })
	if entries, _ := os.ReadDir(data); len(entries) > 5 {
		t.Errorf("data folder after 3 reloads holds %d entries, want the current and previous index, the knowledge versions, factbot.db and factbot.handled", len(entries))
	}
}

// openFilesUnder counts this process's open files under dir.
func openFilesUnder(t *testing.T, dir string) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(target, dir) {
			n++
		}
	}
	return n
}

func TestServeReloadsOnSIGHUP(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	in := serveAdmin(t, srv, kdir, data)
	say(t, srv, root, "/start")
	srv.Wait(t, "SIGHUP handling", func() bool { return strings.Contains(in.stderr.String(), "a SIGHUP reloads the knowledge") })
	edit(t, kdir, "facts/01-ciftis-2024.yaml", "forum: The Astana Times", "forum (as reported): The Astana Times")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitSent(t, root.ID, 2)[1].PlainText()
	if !strings.Contains(got, "Facts changed (1): ciftis-2024-kz-chinese-enterprises") {
		t.Errorf("after SIGHUP the admin got %q", got)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestServeReloadUnchanged: reloading the knowledge being served changes
// nothing and is quick (its index is open; it is neither waited for nor
// rebuilt).
func TestServeReloadUnchanged(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	in := serveAdmin(t, srv, kdir, data)
	say(t, srv, root, "/start") // up
	// Nothing is rebuilt (checked below, from the log); how long the
	// check takes is the benchmarks' business, not a test's.
	got := say(t, srv, root, "/reload")
	if !strings.Contains(got, "Nothing changed.") {
		t.Errorf("/reload of unchanged knowledge: %q", got)
	}
	if got := say(t, srv, alice, companies); !strings.Contains(got, "4,700") {
		t.Errorf("answer after an unchanged reload = %q", got)
	}
	in.stop()
	if strings.Contains(in.stderr.String(), `"built":true`) && strings.Count(in.stderr.String(), `"built":true`) > 1 {
		t.Errorf("the index was built more than once")
	}
}

// A change to aliases, eval cases or announcements alone is a change: the
// report names it and the reload counts. (It used to say "Nothing
// changed." while the index was rebuilt without the alias.)
func TestServeReloadAliasesEvalAnnouncements(t *testing.T) {
	kdir, data := editable(t), t.TempDir()
	srv := telegramtest.New(t)
	srv.Timeout = 60 * time.Second
	in := serveAdmin(t, srv, kdir, data)
	say(t, srv, root, "/start") // up

	edit(t, kdir, "aliases/05-transport.yaml", "Korgas, Qorgas, ", "Korgas, ")
	got := say(t, srv, root, "/reload")
	if !strings.Contains(got, "Knowledge reloaded in") || !regexp.MustCompile(`Aliases changed \(1\): khorgos\b`).MatchString(got) ||
		strings.Contains(got, "Nothing changed.") {
		t.Errorf("/reload after removing an alias form = %q", got)
	}

	edit(t, kdir, "eval/02-trade-by-year.yaml", "  - q: trade between china and kazakstan in 1992\n",
		"  - q: trade between china and kazakhstan in 1992\n")
	os.MkdirAll(filepath.Join(kdir, "announcements"), 0o755)
	os.WriteFile(filepath.Join(kdir, "announcements", "a.yaml"), []byte(
		"announcements:\n  - id: forum-later\n    text: The forum opens soon.\n    target: all\n    publish_at: \"2099-01-01T09:00:00+05:00\"\n"), 0o644)
	got = say(t, srv, root, "/reload")
	if !strings.Contains(got, "Eval cases: 1 added, 0 changed, 1 removed") ||
		!strings.Contains(got, "Announcements added (1): forum-later") || strings.Contains(got, "Nothing changed.") {
		t.Errorf("/reload after an eval and an announcement change = %q", got)
	}
	in.stop()
	if m := in.stderr.String(); strings.Count(m, `"built":true`) > 2 {
		t.Errorf("the index was built more than twice (once at start, once for the alias)")
	}
}
