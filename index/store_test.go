package index

import (
	"context"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"factbot/knowledge"
)

// versions writes two knowledge folders: testdata/base, and a copy where one
// fact changed and one was added.
func versions(t *testing.T) (v1, v2 string) {
	t.Helper()
	v1 = filepath.Join(t.TempDir(), "v1")
	if _, err := knowledge.Export(os.DirFS("testdata/base"), v1, false); err != nil {
		t.Fatal(err)
	}
	v2 = filepath.Join(t.TempDir(), "v2")
	if _, err := knowledge.Export(os.DirFS("testdata/base"), v2, false); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(v2, "facts", "f.yaml")
	data, _ := os.ReadFile(f)
	s := strings.Replace(string(data), "handles container trains.", "handles container trains and trucks.", 1)
	s += `  - id: new-fact
    topic: trade
    measures: [trade-turnover]
    text: {en: A new fact about wheat., ru: Новый факт о пшенице., kk: Бидай туралы жаңа факт., zh: 关于小麦的新事实。, fr: Un fait nouveau sur le blé.}
    sources: [{publisher: Test}]
`
	os.WriteFile(f, []byte(s), 0o644)
	return v1, v2
}

func newStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := NewStore(dir, Options{}, NewLive(nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Live().Close() })
	return s
}

// mustAnswer checks that q shows want first, as the answer or the first of
// the closest facts.
func mustAnswer(t *testing.T, l *Live, q, want string) {
	t.Helper()
	res, err := l.Search(context.Background(), knowledge.Query{Text: q})
	if err != nil || res.Tier == knowledge.TierNone || res.Hits[0].ID != want {
		t.Errorf("Search(%q) = %+v, %v; want %s", q, res.Hits, err, want)
	}
}

func TestStoreLoadReloadRollback(t *testing.T) {
	v1, v2 := versions(t)
	data := t.TempDir()
	s := newStore(t, data)

	rep, err := s.Load(context.Background(), os.DirFS(v1))
	if err != nil || !rep.Built || rep.Facts != 4 || len(rep.Diff.AddedFacts) != 4 {
		t.Fatalf("first Load = %+v, %v", rep, err)
	}
	mustAnswer(t, s.Live(), "Khorgos dry port", "khorgos-port")

	rep, err = s.Load(context.Background(), os.DirFS(v2))
	if err != nil {
		t.Fatal(err)
	}
	if want := (knowledge.Diff{AddedFacts: []string{"new-fact"}, ChangedFacts: []string{"khorgos-port"}}); rep.Diff.Empty() ||
		strings.Join(rep.Diff.AddedFacts, ",") != "new-fact" || strings.Join(rep.Diff.ChangedFacts, ",") != "khorgos-port" {
		t.Errorf("reload diff = %+v, want %+v", rep.Diff, want)
	}
	mustAnswer(t, s.Live(), "wheat", "new-fact")
	if n := indexDirs(t, data); n != 2 {
		t.Errorf("%d index folders after a reload, want 2 (current and previous)", n)
	}

	rep, err = s.Rollback(context.Background())
	if err != nil || rep.Built || len(rep.Diff.RemovedFacts) != 1 {
		t.Errorf("Rollback = %+v, %v; want the previous version reopened, new-fact removed", rep, err)
	}
	if res, _ := s.Live().Search(context.Background(), knowledge.Query{Text: "wheat"}); res.Answered {
		t.Errorf("after rollback, wheat is still answered: %v", res.Hits[0].ID)
	}

	// A second process start reopens the sound index instead of building.
	s.Live().Close()
	s2 := newStore(t, data)
	rep, err = s2.Load(context.Background(), os.DirFS(v1))
	if err != nil || rep.Built {
		t.Errorf("restart Load = %+v, %v; want the existing index reopened", rep, err)
	}
	mustAnswer(t, s2.Live(), "Khorgos dry port", "khorgos-port")
}

func indexDirs(t *testing.T, dir string) int {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), dirPrefix) {
			n++
		}
	}
	return n
}

// A bad reload changes nothing: the old knowledge keeps serving.
func TestStoreBadReloadKeepsServing(t *testing.T) {
	v1, v2 := versions(t)
	s := newStore(t, t.TempDir())
	if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(v2, "facts", "bad.yaml"), []byte("facts:\n  - id: Bad Id\n"), 0o644)
	_, err := s.Load(context.Background(), os.DirFS(v2))
	var probs knowledge.Problems
	if !errors.As(err, &probs) || !strings.Contains(err.Error(), "facts/bad.yaml:2:") {
		t.Fatalf("Load(bad) = %v, want problems with positions", err)
	}
	mustAnswer(t, s.Live(), "Khorgos dry port", "khorgos-port")
	if res, _ := s.Live().Search(context.Background(), knowledge.Query{Text: "wheat"}); res.Answered {
		t.Error("a rejected version is being served")
	}
}

// Leftovers of a crash are never opened: a half-built folder is removed, an
// index whose files were damaged is rebuilt.
func TestStoreRecoversFromDebris(t *testing.T) {
	v1, _ := versions(t)
	data := t.TempDir()
	s := newStore(t, data)
	if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil {
		t.Fatal(err)
	}
	s.Live().Close()
	b, _ := knowledge.Load(os.DirFS(v1))
	final := filepath.Join(data, dirPrefix+b.Hash())
	half := final + buildingTag + "crashed"
	os.MkdirAll(filepath.Join(half, "store"), 0o755)
	os.WriteFile(filepath.Join(half, "store", "junk.zap"), []byte("partial"), 0o644)
	// Damage the complete index: its marker now lies about the document count.
	os.WriteFile(filepath.Join(final, markerFile), []byte(`{"hash":"`+b.Hash()+`","format":3,"scoring":"tfidf","kazakh":"light","docs":999}`), 0o644)

	s2 := newStore(t, data)
	rep, err := s2.Load(context.Background(), os.DirFS(v1))
	if err != nil || !rep.Built {
		t.Fatalf("Load over debris = %+v, %v; want a rebuild", rep, err)
	}
	if _, err := os.Stat(half); !os.IsNotExist(err) {
		t.Errorf("half-built folder %s still there", half)
	}
	mustAnswer(t, s2.Live(), "Khorgos dry port", "khorgos-port")
}

// Searches hammer the store while it reloads again and again: none fails or
// comes back empty, and no goroutine or file handle leaks.
func TestStoreReloadUnderLoad(t *testing.T) {
	v1, v2 := versions(t)
	s := newStore(t, t.TempDir())
	if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil {
		t.Fatal(err)
	}
	goroutines, fds := runtime.NumGoroutine(), openFiles(t)
	stop := hammer(s.Live(), "Khorgos dry port", "khorgos-port")
	for i := range 10 {
		dir := v1
		if i%2 == 0 {
			dir = v2
		}
		if _, err := s.Load(context.Background(), os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
	}
	if bad, all := stop(); bad > 0 {
		t.Errorf("%d of %d searches failed or were empty during reloads", bad, all)
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= goroutines+2 }, "goroutines back to %d", goroutines)
	waitFor(t, func() bool { return openFiles(t) <= fds+2 }, "open files back to %d", fds)
}

func openFiles(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

func waitFor(t *testing.T, ok func() bool, format string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Errorf("timed out waiting: "+format, args...)
			return
		}
		runtime.Gosched()
		time.Sleep(20 * time.Millisecond)
	}
}

// Killing the process at any moment of a reload leaves a data folder from
// which a new process starts and answers.
func TestStoreSurvivesKill(t *testing.T) {
	if os.Getenv("FACTBOT_RELOAD_FOREVER") != "" {
		reloadForever(os.Getenv("FACTBOT_DATA"), os.Getenv("FACTBOT_V1"), os.Getenv("FACTBOT_V2"))
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	v1, v2 := versions(t)
	data := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 7))
	for i := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStoreSurvivesKill$")
		cmd.Env = append(os.Environ(), "FACTBOT_RELOAD_FOREVER=1", "FACTBOT_DATA="+data, "FACTBOT_V1="+v1, "FACTBOT_V2="+v2)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(100+rng.IntN(900)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		s := newStore(t, data)
		if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil {
			t.Fatalf("start after kill %d: %v", i, err)
		}
		mustAnswer(t, s.Live(), "Khorgos dry port", "khorgos-port")
		s.Live().Close()
	}
}

func reloadForever(data, v1, v2 string) {
	s, err := NewStore(data, Options{}, NewLive(nil))
	if err != nil {
		os.Exit(3)
	}
	for i := 0; ; i++ {
		dir := v1
		if i%2 == 1 {
			dir = v2
		}
		if _, err := s.Load(context.Background(), os.DirFS(dir)); err != nil {
			os.Exit(4)
		}
	}
}

// Reloading the version being served changes nothing: it must not reopen
// the index (whose folder the open one locks), rebuild or delete it.
func TestStoreReloadSameVersion(t *testing.T) {
	v1, _ := versions(t)
	s := newStore(t, t.TempDir())
	if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil {
		t.Fatal(err)
	}
	cur := s.Live().Current()
	rep, err := s.Load(context.Background(), os.DirFS(v1))
	if err != nil || rep.Built || !rep.Diff.Empty() {
		t.Fatalf("same-version Load = %+v, %v; want an empty diff, nothing built", rep, err)
	}
	if s.Live().Current() != cur {
		t.Error("the served index was replaced")
	}
	mustAnswer(t, s.Live(), "Khorgos dry port", "khorgos-port")
}

// Reload reads the folder of the last Load again; the same content is the
// same version, and the report carries the base read, so that the bot
// schedules its announcements.
func TestStoreReloadReadsTheLastFolderAgain(t *testing.T) {
	v1, _ := versions(t)
	s := newStore(t, t.TempDir())
	if _, err := s.Reload(context.Background()); err == nil {
		t.Error("Reload before any Load succeeded")
	}
	if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil {
		t.Fatal(err)
	}
	cur := s.Live().Current()
	rep, err := s.Reload(context.Background())
	if err != nil || rep.Built || !rep.Diff.Empty() || rep.Base == nil || rep.Base.Hash() != cur.Base().Hash() {
		t.Fatalf("Reload of the same folder = %+v, %v; want nothing built, an empty diff, the base read", rep, err)
	}
	if s.Live().Current() != cur {
		t.Error("the served index was replaced")
	}
}

// A Builder builds what a reload serves, given the knowledge folder and
// its hash; the first index, with nothing serving yet, is built here. What
// a Builder leaves is opened only if its marker matches the base the store
// loaded itself; a failed build leaves nothing behind and the old
// knowledge serves.
func TestStoreBuilder(t *testing.T) {
	v1, v2 := versions(t)
	data := t.TempDir()
	s := newStore(t, data)
	var calls []string
	var build func(ctx context.Context, fsys fs.FS, hash, dir string, opts Options) error
	s.Builder = func(ctx context.Context, fsys fs.FS, hash, dir string, opts Options) error {
		calls = append(calls, hash)
		return build(ctx, fsys, hash, dir, opts)
	}
	asChild := func(ctx context.Context, fsys fs.FS, hash, dir string, opts Options) error {
		b, err := knowledge.Load(fsys)
		if err != nil {
			return err
		}
		return BuildFolder(ctx, b, dir, opts)
	}
	build = asChild
	if _, err := s.Load(context.Background(), os.DirFS(v1)); err != nil || len(calls) != 0 {
		t.Fatalf("first Load: %v, Builder called %d times; want it built here", err, len(calls))
	}
	b2, err := knowledge.Load(os.DirFS(v2))
	if err != nil {
		t.Fatal(err)
	}

	build = func(ctx context.Context, fsys fs.FS, hash, dir string, opts Options) error {
		os.MkdirAll(dir, 0o755)
		return errors.New("the child died")
	}
	if _, err := s.Load(context.Background(), os.DirFS(v2)); err == nil || !strings.Contains(err.Error(), "the child died") {
		t.Errorf("Load with a failing Builder = %v, want its error", err)
	}
	build = func(ctx context.Context, fsys fs.FS, hash, dir string, opts Options) error {
		return asChild(ctx, os.DirFS(v1), hash, dir, opts) // not what was asked for
	}
	if _, err := s.Load(context.Background(), os.DirFS(v2)); err == nil || !strings.Contains(err.Error(), "was built for") {
		t.Errorf("Load with a Builder that indexed other knowledge = %v, want the marker refused", err)
	}
	mustAnswer(t, s.Live(), "Khorgos dry port", "khorgos-port")
	if n := indexDirs(t, data); n != 1 {
		t.Errorf("%d index folders after failed builds, want 1 (nothing left behind)", n)
	}

	build = asChild
	calls = nil
	rep, err := s.Load(context.Background(), os.DirFS(v2))
	if err != nil || !rep.Built || len(calls) != 1 || calls[0] != b2.Hash() {
		t.Fatalf("Load = %+v, %v; Builder called for %q, want once for %s", rep, err, calls, b2.Hash())
	}
	mustAnswer(t, s.Live(), "wheat", "new-fact")
}
