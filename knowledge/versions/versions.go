// Package versions keeps every version of the knowledge that was applied
// (by an admin's upload, a rollback, or the first edit's starting point) as
// a full knowledge folder in the data folder, so that the bot serves the
// newest after a restart, an admin can roll back, and a crash at any moment
// leaves either the old version or the new one, never a mix. It imports
// knowledge, but neither Bleve nor Telegram.
//
// # Layout
//
//	DATA_DIR/knowledge/
//	  000001-3fa2c1d04b5e6a7f/        a version: <seq>-<content hash>
//	    manifest.json                 when, who, what changed, and every file's size and SHA-256
//	    files/README.md               the knowledge folder (knowledge.Files: what the loader
//	    files/facts/01-trade.yaml     reads and the Markdown notes beside it)
//	    …
//	  000002-9b1e22aa0c4d5e6f/
//	  .tmp-000003-…/                  a version being written
//	  .trash-000001-…/                a version being deleted
//
// A version is written in a temporary folder: every file is written and
// fsynced, then the manifest, then every folder; the temporary folder is
// renamed to its final name and the parent folder fsynced. A rename is
// atomic, so a crash leaves either a complete version folder or a
// temporary one, which is never read and is removed at the next write.
// Old versions are renamed to a trash name before they are deleted, for
// the same reason. Versions are never changed once written.
//
// The version served is the newest sound one: at Open, versions are read
// newest first and each is verified (every file against its manifest's
// size and SHA-256, and no file the manifest does not list) until one is
// sound; a damaged one is skipped and reported by Damaged.
//
// # Rollback
//
// A rollback is recorded as a new version holding the files of the version
// before the current one, so the history only grows, a rollback survives a
// restart like any version, and /versions shows who rolled back and when.
// Each version knows the version a rollback returns to (Prev): the one that
// was current when it was applied, or, for a rollback, the one before the
// version it restored. Rolling back twice therefore steps back two
// versions, like an undo.
//
// # Bounds
//
// Options.Keep versions are kept (20 by default), and never the current
// one or the one a rollback needs. A version holds at most MaxFiles files
// and MaxBytes bytes.
//
// One process writes a data folder (serve holds factbot.db's lock); others,
// such as `factbot knowledge versions`, may read it.
package versions

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"factbot/internal/durable"
	"factbot/knowledge"
	"factbot/knowledge/internal/memfs"
)

// Bounds on one version, the same as on an upload's unpacked contents.
const (
	MaxFiles = 5000
	MaxBytes = 50 << 20
)

// DefaultKeep is how many versions are kept when Options.Keep is zero.
const DefaultKeep = 20

// WhoStart is the Who of the version recorded from what was served at
// start (the embedded base or FACTBOT_KNOWLEDGE_DIR).
const WhoStart = "start"

// Admin returns the Who of a version an admin applied: their numeric id.
func Admin(id int64) string { return strconv.FormatInt(id, 10) }

// Errors the store returns; test them with errors.Is.
var (
	ErrNoVersion  = errors.New("no knowledge version recorded yet")
	ErrNoPrevious = errors.New("no earlier version to roll back to")
	ErrUnchanged  = errors.New("these files are those of the current version")
	ErrStale      = errors.New("the current version changed since the upload was checked")
)

// Version is one version's record, as its manifest holds it.
type Version struct {
	Seq  int       `json:"seq"`
	When time.Time `json:"when"`
	// Who applied it: an admin's numeric id (Admin), or WhoStart.
	Who string `json:"who"`
	// What is a one-line summary of what changed.
	What string `json:"what"`
	// Diff is what changed from the version that was current, by id; blind
	// eval cases are named by a hash of their question (Diff.Redacted).
	Diff knowledge.Diff `json:"diff"`
	// Hash is the knowledge's content hash (knowledge.Base.Hash), which
	// also names its index; two versions may share it (a rollback, an
	// edit of eval cases only).
	Hash string `json:"hash"`
	// Tree is the SHA-256 of the list of files with their SHA-256
	// ("<sha256>  <path>\n" per file, sorted by path, as sha256sum prints
	// it): equal trees, equal files.
	Tree      string `json:"tree"`
	Facts     int    `json:"facts"`
	Documents int    `json:"documents"`
	// Prev is the version Rollback returns to; 0 when there is none.
	Prev int `json:"prev,omitempty"`
	// Restores is, for a rollback, the version whose files it holds.
	Restores int `json:"restores,omitempty"`
	// Err says why the version is damaged (List only); a damaged version
	// is never served.
	Err error `json:"-"`
}

// Name is the version's folder name, <seq>-<hash>.
func (v Version) Name() string { return fmt.Sprintf("%06d-%s", v.Seq, v.Hash) }

// manifest is a version folder's manifest.json.
type manifest struct {
	Format int `json:"format"`
	Version
	Files []fileSum `json:"files"`
}

type fileSum struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

const (
	manifestFile   = "manifest.json"
	filesDir       = "files"
	manifestFormat = 1
	tmpPrefix      = ".tmp-"
	trashPrefix    = ".trash-"
	maxManifest    = 16 << 20
)

var nameRE = regexp.MustCompile(`^(\d{6,9})-([0-9a-f]{16})$`)

// Options configure a Store.
type Options struct {
	// Keep is how many versions are kept, at least 2; 0 means DefaultKeep.
	Keep int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store is the versions under one data folder. Its methods are safe for
// concurrent use; writes run one at a time. Seed, Apply and Rollback write a
// version only when they return no error, with one exception: an error from
// the last fsync, of the versions folder after the rename, comes with the
// version, which is current all the same.
type Store struct {
	dir  string // DATA_DIR/knowledge
	keep int
	now  func() time.Time

	mu      sync.Mutex
	cur     *Version
	damaged []error
	checked map[string]checked // verified version folders, by name: they never change
}

type checked struct {
	v   Version
	err error
}

// Open returns the store of the data folder dataDir, which must exist. It
// finds the current version, the newest sound one; it writes nothing, so
// a second process may open the same folder to read it.
func Open(dataDir string, opts Options) (*Store, error) {
	if st, err := os.Stat(dataDir); err != nil {
		return nil, fmt.Errorf("open versions in %s: %w", dataDir, err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("open versions in %s: not a folder", dataDir)
	}
	if opts.Keep == 0 {
		opts.Keep = DefaultKeep
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Store{dir: filepath.Join(dataDir, "knowledge"), keep: max(opts.Keep, 2), now: opts.Now, checked: map[string]checked{}}
	names, err := s.names()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		v, err := s.verify(name)
		if err != nil {
			s.damaged = append(s.damaged, err)
			continue
		}
		s.cur = &v
		break
	}
	return s, nil
}

// Dir returns the folder the versions live in, DATA_DIR/knowledge.
func (s *Store) Dir() string { return s.dir }

// Current returns the version to serve, the newest sound one; false when
// none was recorded.
func (s *Store) Current() (Version, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return Version{}, false
	}
	return *s.cur, true
}

// Damaged returns why each version newer than the current one was skipped
// at Open (a disk error, a file edited by hand): one error per version,
// naming its folder, for the log.
func (s *Store) Damaged() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.damaged...)
}

// FS returns the knowledge folder of v, to load and serve.
func (s *Store) FS(v Version) fs.FS {
	return os.DirFS(filepath.Join(s.dir, v.Name(), filesDir))
}

// Seed records the knowledge folder fsys, what is being served, as the
// first version (Who WhoStart), so that the first edit has a version to
// roll back to. When the store has a version already it writes nothing and
// returns the current one. fsys is validated like an upload.
func (s *Store) Seed(ctx context.Context, fsys fs.FS) (Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil {
		return *s.cur, nil
	}
	files, b, err := snapshot(ctx, fsys)
	if err != nil {
		return Version{}, fmt.Errorf("seed versions: %w", err)
	}
	v := Version{Who: WhoStart, What: "the knowledge served before the first edit"}
	return s.write(files, b, v)
}

// Change describes an edit for Apply.
type Change struct {
	// Who applies it: Admin(id), or WhoStart.
	Who string
	// Diff is what changes from the current version (knowledge.Compare).
	Diff knowledge.Diff
	// What is the one-line summary; empty means Summarize(Diff).
	What string
	// BasedOn, when set, is the Tree of the version the edit was checked
	// against: Apply refuses with ErrStale if another version is current.
	BasedOn string
}

// Apply records the knowledge folder fsys as the new current version. The
// files are read once (knowledge.Files, within MaxFiles and MaxBytes) and
// validated as a whole: on problems it returns knowledge.Problems and
// records nothing. It returns ErrNoVersion before Seed, ErrStale when
// c.BasedOn is not the current version, and ErrUnchanged (with the current
// version) when the files are the current version's.
func (s *Store) Apply(ctx context.Context, fsys fs.FS, c Change) (Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return Version{}, fmt.Errorf("apply: %w (seed the store first)", ErrNoVersion)
	}
	if c.BasedOn != "" && c.BasedOn != s.cur.Tree {
		return Version{}, fmt.Errorf("apply: %w", ErrStale)
	}
	files, b, err := snapshot(ctx, fsys)
	if err != nil {
		return Version{}, fmt.Errorf("apply: %w", err)
	}
	if tree(sumsOf(files)) == s.cur.Tree {
		return *s.cur, fmt.Errorf("apply: %w", ErrUnchanged)
	}
	what := c.What
	if what == "" {
		what = Summarize(c.Diff)
	}
	return s.write(files, b, Version{Who: c.Who, What: what, Diff: c.Diff, Prev: s.cur.Seq})
}

// Rollback records, as the new current version, the files of the version
// the current one returns to (Version.Prev); who is Admin(id). It returns
// ErrNoVersion or ErrNoPrevious when there is nothing to return to, and an
// error naming the version when it was pruned or is damaged.
func (s *Store) Rollback(ctx context.Context, who string) (Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return Version{}, fmt.Errorf("rollback: %w", ErrNoVersion)
	}
	if s.cur.Prev == 0 {
		return Version{}, fmt.Errorf("rollback: %w", ErrNoPrevious)
	}
	target, err := s.find(s.cur.Prev)
	if err != nil {
		return Version{}, fmt.Errorf("rollback: %w", err)
	}
	files, b, err := snapshot(ctx, s.FS(target))
	if err != nil {
		return Version{}, fmt.Errorf("rollback to %s: %w", target.Name(), err)
	}
	_, cur, err := snapshot(ctx, s.FS(*s.cur))
	if err != nil {
		return Version{}, fmt.Errorf("rollback from %s: %w", s.cur.Name(), err)
	}
	v := Version{
		Who:      who,
		What:     fmt.Sprintf("rollback to version %d (%s)", target.Seq, target.What),
		Diff:     knowledge.Compare(cur, b),
		Prev:     target.Prev,
		Restores: target.Seq,
	}
	return s.write(files, b, v)
}

// List returns the newest n versions, newest first (all of them when n
// <= 0). A damaged version is listed with Err set.
func (s *Store) List(n int) ([]Version, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names, err := s.names()
	if err != nil {
		return nil, err
	}
	if n > 0 && len(names) > n {
		names = names[:n]
	}
	out := make([]Version, 0, len(names))
	for _, name := range names {
		v, err := s.verify(name)
		if err != nil {
			m := nameRE.FindStringSubmatch(name)
			seq, _ := strconv.Atoi(m[1])
			v = Version{Seq: seq, Hash: m[2], Err: err}
		}
		out = append(out, v)
	}
	return out, nil
}

// find returns the sound version seq.
func (s *Store) find(seq int) (Version, error) {
	names, err := s.names()
	if err != nil {
		return Version{}, err
	}
	for _, name := range names {
		if strings.HasPrefix(name, fmt.Sprintf("%06d-", seq)) {
			return s.verify(name)
		}
	}
	return Version{}, fmt.Errorf("version %d is no longer kept", seq)
}

// names lists the version folders, newest first; a missing folder has none.
func (s *Store) names() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	type named struct {
		seq  int
		name string
	}
	var vs []named
	for _, e := range entries {
		if m := nameRE.FindStringSubmatch(e.Name()); m != nil {
			seq, _ := strconv.Atoi(m[1])
			vs = append(vs, named{seq, e.Name()})
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].seq > vs[j].seq })
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.name
	}
	return out, nil
}

// verify reads the version folder name and checks every file against its
// manifest; the result is remembered, since versions never change.
func (s *Store) verify(name string) (Version, error) {
	if c, ok := s.checked[name]; ok {
		return c.v, c.err
	}
	v, err := verifyDir(filepath.Join(s.dir, name), name)
	if err != nil {
		err = fmt.Errorf("version %s is damaged: %w", filepath.Join(s.dir, name), err)
	}
	s.checked[name] = checked{v, err}
	return v, err
}

func verifyDir(dir, name string) (Version, error) {
	f, err := os.Open(filepath.Join(dir, manifestFile))
	if err != nil {
		return Version{}, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxManifest))
	f.Close()
	if err != nil {
		return Version{}, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Version{}, fmt.Errorf("manifest: %w", err)
	}
	if m.Format != manifestFormat {
		return Version{}, fmt.Errorf("manifest format %d, want %d", m.Format, manifestFormat)
	}
	if m.Name() != name {
		return Version{}, fmt.Errorf("manifest is of version %s", m.Name())
	}
	if tree(m.Files) != m.Tree {
		return Version{}, errors.New("manifest's file list does not match its tree hash")
	}
	listed := make(map[string]fileSum, len(m.Files))
	for _, f := range m.Files {
		if !fs.ValidPath(f.Path) || !knowledge.IsFile(f.Path) {
			return Version{}, fmt.Errorf("manifest lists %q, not a knowledge file", f.Path)
		}
		listed[f.Path] = f
	}
	root := filepath.Join(dir, filesDir)
	seen := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		want, ok := listed[rel]
		if !ok {
			return fmt.Errorf("%s is not in the manifest", rel)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", rel)
		}
		size, sum, err := hashFile(p)
		if err != nil {
			return err
		}
		if size != want.Size || sum != want.SHA256 {
			return fmt.Errorf("%s: %d bytes with SHA-256 %s, the manifest says %d bytes, %s", rel, size, sum[:12], want.Size, want.SHA256[:min(12, len(want.SHA256))])
		}
		seen++
		return nil
	})
	if err != nil {
		return Version{}, err
	}
	if seen != len(listed) {
		return Version{}, fmt.Errorf("%d of the manifest's %d files are missing", len(listed)-seen, len(listed))
	}
	return m.Version, nil
}

func hashFile(p string) (int64, string, error) {
	f, err := os.Open(p)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, knowledge.MaxFileSize+1))
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// snapshot reads fsys's knowledge files into memory and validates them.
func snapshot(ctx context.Context, fsys fs.FS) (memfs.FS, *knowledge.Base, error) {
	files, err := memfs.Snapshot(fsys, memfs.Limits{Files: MaxFiles, Bytes: MaxBytes})
	if err != nil {
		return nil, nil, err
	}
	b, err := knowledge.LoadContext(ctx, files)
	if err != nil {
		return nil, nil, err
	}
	return files, b, nil
}

func sumsOf(files memfs.FS) []fileSum {
	out := make([]fileSum, 0, len(files))
	for _, p := range files.Paths() {
		sum := sha256.Sum256(files[p])
		out = append(out, fileSum{p, int64(len(files[p])), hex.EncodeToString(sum[:])})
	}
	return out
}

// tree hashes a file list as sha256sum prints it, sorted by path.
func tree(files []fileSum) string {
	sorted := append([]fileSum(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	h := sha256.New()
	for _, f := range sorted {
		fmt.Fprintf(h, "%s  %s\n", f.SHA256, f.Path)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Tree returns the tree hash of the knowledge files of fsys (see
// Version.Tree), within MaxFiles and MaxBytes: to tell whether a folder
// holds a version's files.
func Tree(fsys fs.FS) (string, error) {
	files, err := memfs.Snapshot(fsys, memfs.Limits{Files: MaxFiles, Bytes: MaxBytes})
	if err != nil {
		return "", err
	}
	return tree(sumsOf(files)), nil
}

// write records files (loaded as b) as version v, numbered after every
// version folder there is, makes it current and prunes old versions. The
// caller holds s.mu.
func (s *Store) write(files memfs.FS, b *knowledge.Base, v Version) (Version, error) {
	if err := s.ensureDir(); err != nil {
		return Version{}, err
	}
	s.removeDebris()
	names, err := s.names()
	if err != nil {
		return Version{}, err
	}
	v.Seq = 1
	if len(names) > 0 {
		last, _ := strconv.Atoi(nameRE.FindStringSubmatch(names[0])[1])
		v.Seq = last + 1
	}
	v.When = s.now().UTC().Truncate(time.Second)
	v.Hash = b.Hash()
	v.Facts, v.Documents = len(b.Facts), len(b.Documents)
	v.Diff = v.Diff.Redacted()
	sums := sumsOf(files)
	v.Tree = tree(sums)
	m := manifest{Format: manifestFormat, Version: v, Files: sums}

	tmp := filepath.Join(s.dir, tmpPrefix+v.Name()+"-"+randomSuffix())
	if err := writeVersion(tmp, files, m); err != nil {
		os.RemoveAll(tmp)
		return Version{}, fmt.Errorf("write version %d: %w", v.Seq, err)
	}
	final := filepath.Join(s.dir, v.Name())
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return Version{}, fmt.Errorf("write version %d: %w", v.Seq, err)
	}
	// The rename is the commit: from here on the version is the current
	// one, in this process and at the next start.
	s.checked[v.Name()] = checked{v: v}
	s.cur = &v
	if err := durable.SyncDir(s.dir); err != nil {
		return v, fmt.Errorf("version %d written, but the disk did not confirm it: %w", v.Seq, err)
	}
	s.prune()
	return v, nil
}

// writeVersion writes a complete version folder at dir: the files, the
// manifest, each fsynced, then every folder, deepest first.
func writeVersion(dir string, files memfs.FS, m manifest) error {
	dirs := map[string]bool{dir: true, filepath.Join(dir, filesDir): true}
	if err := os.MkdirAll(filepath.Join(dir, filesDir), 0o755); err != nil {
		return err
	}
	for _, p := range files.Paths() {
		target := filepath.Join(dir, filesDir, filepath.FromSlash(p))
		parent := filepath.Dir(target)
		if !dirs[parent] {
			if err := os.MkdirAll(parent, 0o755); err != nil {
				return err
			}
			dirs[parent] = true
		}
		if err := durable.WriteFile(target, files[p], os.O_EXCL); err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := durable.WriteFile(filepath.Join(dir, manifestFile), append(data, '\n'), os.O_EXCL); err != nil {
		return err
	}
	order := make([]string, 0, len(dirs))
	for d := range dirs {
		order = append(order, d)
	}
	sort.Slice(order, func(i, j int) bool { return len(order[i]) > len(order[j]) })
	for _, d := range order {
		if err := durable.SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// ensureDir creates DATA_DIR/knowledge, durably, if it is missing.
func (s *Store) ensureDir() error {
	if _, err := os.Stat(s.dir); err == nil {
		return nil
	}
	if err := os.Mkdir(s.dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("versions folder: %w", err)
	}
	return durable.SyncDir(filepath.Dir(s.dir))
}

// removeDebris deletes what crashes left: versions half written or half
// deleted. Only the writing process calls it.
func (s *Store) removeDebris() {
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) || strings.HasPrefix(e.Name(), trashPrefix) {
			os.RemoveAll(filepath.Join(s.dir, e.Name()))
		}
	}
}

// prune deletes all but the newest s.keep versions, keeping the current one
// and the one a rollback returns to whatever their age. A version is first
// renamed to a trash name, so that a crash while deleting it leaves no
// half version under a version's name.
func (s *Store) prune() {
	names, err := s.names()
	if err != nil || len(names) <= s.keep {
		return
	}
	keep := map[string]bool{s.cur.Name(): true}
	for _, name := range names[:s.keep] {
		keep[name] = true
	}
	prev := fmt.Sprintf("%06d-", s.cur.Prev)
	removed := false
	for _, name := range names[s.keep:] {
		if keep[name] || s.cur.Prev != 0 && strings.HasPrefix(name, prev) {
			continue
		}
		trash := filepath.Join(s.dir, trashPrefix+name+"-"+randomSuffix())
		if os.Rename(filepath.Join(s.dir, name), trash) == nil {
			removed = true
			delete(s.checked, name)
		}
	}
	if removed {
		durable.SyncDir(s.dir)
		s.removeDebris()
	}
}

// Summarize says in one line what d changes: per kind, the ids when there
// are one or two, else the counts. Blind eval cases are counted, never
// named.
func Summarize(d knowledge.Diff) string {
	var parts []string
	add := func(kind string, added, changed, removed []string) {
		var ps []string
		for _, x := range []struct {
			verb string
			ids  []string
		}{{"added", added}, {"changed", changed}, {"removed", removed}} {
			switch n := len(x.ids); {
			case n == 0:
			case n <= 2 && kind != "eval case":
				ps = append(ps, strings.Join(x.ids, ", ")+" "+x.verb)
			default:
				ps = append(ps, fmt.Sprintf("%d %s", n, x.verb))
			}
		}
		if len(ps) > 0 {
			parts = append(parts, plural(kind)+": "+strings.Join(ps, ", "))
		}
	}
	add("fact", d.AddedFacts, d.ChangedFacts, d.RemovedFacts)
	add("document", d.AddedDocs, d.ChangedDocs, d.RemovedDocs)
	add("alias", d.AddedAliases, d.ChangedAliases, d.RemovedAliases)
	add("measure", d.AddedMeasures, d.ChangedMeasures, d.RemovedMeasures)
	add("eval case", d.AddedEval, d.ChangedEval, d.RemovedEval)
	add("announcement", d.AddedAnnouncements, d.ChangedAnnouncements, d.RemovedAnnouncements)
	if len(parts) == 0 {
		return "no change to facts, documents, aliases, measures, eval cases or announcements"
	}
	return strings.Join(parts, "; ")
}

func plural(kind string) string {
	if strings.HasSuffix(kind, "s") {
		return kind + "es"
	}
	return kind + "s"
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
