package versions

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"factbot/knowledge"
	"factbot/knowledge/internal/memfs"
)

// small is the test knowledge folder shared by knowledge's subpackages.
const small = "../testdata/small"

// fixtures returns the small folder (v1) and an edit of it (v2): one fact
// changed, one eval case added.
// A nil t (the kill test's child process) panics on failure.
func fixtures(t testing.TB) (v1, v2 memfs.FS) {
	v1, err := memfs.Snapshot(os.DirFS(small), memfs.Limits{Files: 100, Bytes: 1 << 20})
	if err != nil {
		if t == nil {
			panic(err)
		}
		t.Fatal(err)
	}
	v2 = memfs.FS{}
	for p, d := range v1 {
		v2[p] = d
	}
	v2["facts/f.yaml"] = []byte(strings.Replace(string(v1["facts/f.yaml"]), `"$41 billion"`, `"$41.1 billion"`, 1))
	v2["eval/more.yaml"] = []byte("cases:\n  - q: Khorgos dry port\n    lang: en\n    want: [khorgos-port]\n")
	return v1, v2
}

func mustOpen(t *testing.T, data string, opts Options) *Store {
	t.Helper()
	s, err := Open(data, opts)
	if err != nil {
		t.Fatalf("Open(%s) = %v", data, err)
	}
	return s
}

func mustCurrent(t *testing.T, s *Store) Version {
	t.Helper()
	v, ok := s.Current()
	if !ok {
		t.Fatal("Current() = none, want a version")
	}
	return v
}

// treeOf is the tree hash of a version's files as they are on disk.
func treeOf(t *testing.T, s *Store, v Version) string {
	t.Helper()
	tr, err := Tree(s.FS(v))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func mustTree(t *testing.T, fsys fs.FS) string {
	t.Helper()
	tr, err := Tree(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestSeedApplyRollback(t *testing.T) {
	ctx := context.Background()
	v1, v2 := fixtures(t)
	data := t.TempDir()
	now := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	s := mustOpen(t, data, Options{Now: func() time.Time { return now }})
	if _, ok := s.Current(); ok {
		t.Fatal("a new store has a current version")
	}
	if _, err := s.Apply(ctx, v2, Change{Who: "1"}); !errors.Is(err, ErrNoVersion) {
		t.Errorf("Apply before Seed = %v, want ErrNoVersion", err)
	}
	if _, err := s.Rollback(ctx, "1"); !errors.Is(err, ErrNoVersion) {
		t.Errorf("Rollback before Seed = %v, want ErrNoVersion", err)
	}

	seed, err := s.Seed(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	if seed.Seq != 1 || seed.Who != WhoStart || seed.Prev != 0 || seed.Facts != 4 || seed.Tree != mustTree(t, v1) || treeOf(t, s, seed) != seed.Tree {
		t.Errorf("Seed = %+v", seed)
	}
	if again, err := s.Seed(ctx, v2); err != nil || again.Seq != 1 {
		t.Errorf("second Seed = %+v, %v; want the current version, nothing written", again, err)
	}

	b1, _ := knowledge.Load(v1)
	b2, _ := knowledge.Load(v2)
	diff := knowledge.Compare(b1, b2)
	if _, err := s.Apply(ctx, v2, Change{Who: Admin(42), Diff: diff, BasedOn: "not-the-tree"}); !errors.Is(err, ErrStale) {
		t.Errorf("Apply based on another version = %v, want ErrStale", err)
	}
	now = now.Add(time.Hour)
	got, err := s.Apply(ctx, v2, Change{Who: Admin(42), Diff: diff, BasedOn: seed.Tree})
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 2 || got.Who != "42" || got.Prev != 1 || !got.When.Equal(now) || got.Hash != b2.Hash() ||
		got.What != "facts: trade-2023 changed; eval cases: 1 added" || treeOf(t, s, got) != mustTree(t, v2) {
		t.Errorf("Apply = %+v", got)
	}
	if _, err := s.Apply(ctx, v2, Change{Who: "42"}); !errors.Is(err, ErrUnchanged) {
		t.Errorf("Apply of the current files = %v, want ErrUnchanged", err)
	}
	if b, err := knowledge.Load(s.FS(got)); err != nil || b.Hash() != b2.Hash() {
		t.Errorf("Load(FS(current)) = %v; want the applied base", err)
	}

	rb, err := s.Rollback(ctx, Admin(7))
	if err != nil {
		t.Fatal(err)
	}
	if rb.Seq != 3 || rb.Restores != 1 || rb.Prev != 0 || rb.Who != "7" || rb.Hash != b1.Hash() || treeOf(t, s, rb) != mustTree(t, v1) ||
		strings.Join(rb.Diff.ChangedFacts, ",") != "trade-2023" || !strings.HasPrefix(rb.What, "rollback to version 1 (") {
		t.Errorf("Rollback = %+v", rb)
	}
	if _, err := s.Rollback(ctx, "7"); !errors.Is(err, ErrNoPrevious) {
		t.Errorf("Rollback past the first version = %v, want ErrNoPrevious", err)
	}

	// A restart serves the rollback.
	s2 := mustOpen(t, data, Options{})
	if cur := mustCurrent(t, s2); cur.Seq != 3 || cur.Tree != rb.Tree {
		t.Errorf("after a restart, Current = %+v, want version 3", cur)
	}
	list, err := s2.List(10)
	if err != nil || len(list) != 3 || list[0].Seq != 3 || list[2].Seq != 1 || list[1].What != got.What {
		t.Errorf("List = %+v, %v", list, err)
	}
}

// Rolling back twice steps back two versions, like an undo.
func TestRollbackTwice(t *testing.T) {
	ctx := context.Background()
	v1, v2 := fixtures(t)
	v3 := memfs.FS{}
	for p, d := range v2 {
		v3[p] = d
	}
	v3["eval/third.yaml"] = []byte("cases:\n  - q: visa-free regime\n    lang: en\n    want: [visa-free]\n")
	s := mustOpen(t, t.TempDir(), Options{Keep: 3})
	mustSeed(t, s, v1)
	mustApply(t, s, v2)
	mustApply(t, s, v3)
	r1, err := s.Rollback(ctx, "1")
	if err != nil || r1.Restores != 2 || r1.Tree != mustTree(t, v2) {
		t.Fatalf("first Rollback = %+v, %v; want version 2's files", r1, err)
	}
	// Four versions, Keep 3: version 1 is kept all the same, since the
	// next rollback returns to it.
	r2, err := s.Rollback(ctx, "1")
	if err != nil || r2.Restores != 1 || r2.Tree != mustTree(t, v1) {
		t.Fatalf("second Rollback = %+v, %v; want version 1's files", r2, err)
	}
	if _, err := s.Rollback(ctx, "1"); !errors.Is(err, ErrNoPrevious) {
		t.Errorf("third Rollback = %v, want ErrNoPrevious", err)
	}
}

func mustSeed(t *testing.T, s *Store, fsys fs.FS) Version {
	t.Helper()
	v, err := s.Seed(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustApply(t *testing.T, s *Store, fsys fs.FS) Version {
	t.Helper()
	v, err := s.Apply(context.Background(), fsys, Change{Who: "1"})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func versionDirs(t *testing.T, s *Store) []string {
	t.Helper()
	entries, err := os.ReadDir(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// The number of versions stays bounded, and what is pruned is the oldest.
func TestKeep(t *testing.T) {
	v1, v2 := fixtures(t)
	s := mustOpen(t, t.TempDir(), Options{Keep: 3})
	mustSeed(t, s, v1)
	for i := range 6 {
		if i%2 == 0 {
			mustApply(t, s, v2)
		} else {
			mustApply(t, s, v1)
		}
	}
	dirs := versionDirs(t, s)
	if len(dirs) != 3 || !strings.HasPrefix(dirs[0], "000005-") || !strings.HasPrefix(dirs[2], "000007-") {
		t.Errorf("after 7 versions with Keep 3, folders = %q; want versions 5, 6 and 7", dirs)
	}
	if list, _ := s.List(0); len(list) != 3 {
		t.Errorf("List(0) = %d versions, want 3", len(list))
	}
}

// A version that fails validation is not recorded.
func TestApplyInvalid(t *testing.T) {
	v1, v2 := fixtures(t)
	s := mustOpen(t, t.TempDir(), Options{})
	mustSeed(t, s, v1)
	v2["facts/bad.yaml"] = []byte("facts:\n  - id: Bad Id\n")
	_, err := s.Apply(context.Background(), v2, Change{Who: "1"})
	var probs knowledge.Problems
	if !errors.As(err, &probs) || !strings.Contains(err.Error(), "facts/bad.yaml:2:") {
		t.Fatalf("Apply(invalid) = %v, want problems", err)
	}
	if cur := mustCurrent(t, s); cur.Seq != 1 || len(versionDirs(t, s)) != 1 {
		t.Errorf("after a refused Apply: current %d, folders %q", cur.Seq, versionDirs(t, s))
	}
}

// What a crash or a hand leaves behind: a half-written version is ignored
// and removed at the next write; a damaged one is skipped and reported;
// the newest sound one is served.
func TestDebrisAndDamage(t *testing.T) {
	v1, v2 := fixtures(t)
	data := t.TempDir()
	s := mustOpen(t, data, Options{})
	mustSeed(t, s, v1)
	good := mustApply(t, s, v2)
	half := filepath.Join(s.Dir(), ".tmp-000003-0123456789abcdef-abc")
	os.MkdirAll(filepath.Join(half, "files", "facts"), 0o755)
	os.WriteFile(filepath.Join(half, "files", "facts", "f.yaml"), []byte("facts:\n"), 0o644)

	for _, tc := range []struct {
		name   string
		damage func(dir string)
		want   string
	}{
		{"edited file", func(dir string) {
			os.WriteFile(filepath.Join(dir, "files", "facts", "f.yaml"), []byte("facts: []\n"), 0o644)
		}, "facts/f.yaml: 10 bytes with SHA-256"},
		{"extra file", func(dir string) {
			os.WriteFile(filepath.Join(dir, "files", "facts", "new.yaml"), []byte("facts: []\n"), 0o644)
		}, "facts/new.yaml is not in the manifest"},
		{"missing file", func(dir string) { os.Remove(filepath.Join(dir, "files", "aliases", "a.yaml")) }, "1 of the manifest's 7 files are missing"},
		{"no manifest", func(dir string) { os.Remove(filepath.Join(dir, "manifest.json")) }, "no such file"},
		{"torn manifest", func(dir string) {
			data, _ := os.ReadFile(filepath.Join(dir, "manifest.json"))
			os.WriteFile(filepath.Join(dir, "manifest.json"), data[:len(data)/2], 0o644)
		}, "manifest: unexpected end of JSON input"},
		{"symlink", func(dir string) {
			os.Symlink("/etc/passwd", filepath.Join(dir, "files", "facts", "link.yaml"))
		}, "facts/link.yaml is not in the manifest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A copy of the data folder with version 3 a damaged copy of 2.
			d := t.TempDir()
			copyDir(t, data, d)
			src := filepath.Join(d, "knowledge", good.Name())
			third := filepath.Join(d, "knowledge", strings.Replace(good.Name(), "000002-", "000003-", 1))
			copyDir(t, src, third)
			rewriteSeq(t, third, 3)
			tc.damage(third)
			s := mustOpen(t, d, Options{})
			if cur := mustCurrent(t, s); cur.Seq != 2 {
				t.Errorf("Current = %d, want 2 (3 is damaged)", cur.Seq)
			}
			dmg := s.Damaged()
			if len(dmg) != 1 || !strings.Contains(dmg[0].Error(), "000003-") || !strings.Contains(dmg[0].Error(), tc.want) {
				t.Errorf("Damaged() = %v, want version 3: %s", dmg, tc.want)
			}
			list, _ := s.List(0)
			if len(list) != 3 || list[0].Err == nil || list[1].Err != nil {
				t.Errorf("List = %+v; want version 3 listed as damaged", list)
			}
			// The next write numbers after the damaged version and clears
			// the half-written one.
			v, err := s.Apply(context.Background(), v1, Change{Who: "1"})
			if err != nil || v.Seq != 4 || v.Prev != 2 {
				t.Errorf("Apply after damage = %+v, %v; want version 4 after 2", v, err)
			}
			if _, err := os.Stat(filepath.Join(d, "knowledge", filepath.Base(half))); !os.IsNotExist(err) {
				t.Errorf("half-written version still there: %v", err)
			}
		})
	}
}

// rewriteSeq makes the copied version folder dir claim sequence number seq,
// with a manifest that is sound in itself.
func rewriteSeq(t *testing.T, dir string, seq int) {
	t.Helper()
	p := filepath.Join(dir, "manifest.json")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), `"seq": 2,`, `"seq": 3,`, 1)
	if s == string(data) {
		t.Fatal("manifest has no seq 2")
	}
	os.WriteFile(p, []byte(s), 0o644)
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The blind set's questions never reach a manifest.
func TestRedact(t *testing.T) {
	v1, v2 := fixtures(t)
	s := mustOpen(t, t.TempDir(), Options{})
	mustSeed(t, s, v1)
	v, err := s.Apply(context.Background(), v2, Change{Who: "1", Diff: knowledge.Diff{
		AddedEval: []string{"en: a dev question", "blind en: a secret question"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(s.Dir(), v.Name(), "manifest.json"))
	if strings.Contains(string(data), "secret") || !strings.Contains(string(data), "a dev question") || !strings.Contains(string(data), `"blind en #`) {
		t.Errorf("manifest's diff: %s", data)
	}
}

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		d    knowledge.Diff
		want string
	}{
		{knowledge.Diff{}, "no change to facts, documents, aliases, measures, eval cases or announcements"},
		{knowledge.Diff{AddedFacts: []string{"a", "b"}, ChangedFacts: []string{"c", "d", "e"}, RemovedAliases: []string{"x"}},
			"facts: a, b added, 3 changed; aliases: x removed"},
		{knowledge.Diff{AddedEval: []string{"en: q"}, ChangedAnnouncements: []string{"forum"}},
			"eval cases: 1 added; announcements: forum changed"},
	} {
		if got := Summarize(tc.d); got != tc.want {
			t.Errorf("Summarize(%+v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestOpenMissingDataDir(t *testing.T) {
	if _, err := Open(filepath.Join(t.TempDir(), "nope"), Options{}); err == nil {
		t.Error("Open of a missing data folder succeeded")
	}
	s := mustOpen(t, t.TempDir(), Options{})
	if list, err := s.List(10); err != nil || len(list) != 0 {
		t.Errorf("List of an empty store = %v, %v", list, err)
	}
}
