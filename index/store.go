package index

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"factbot/internal/durable"
	"factbot/knowledge"
)

// formatVersion changes whenever the mapping or the analyzers change, so
// that an index built by an older factbot is rebuilt rather than opened.
const formatVersion = 4

const (
	dirPrefix   = "index-"
	buildingTag = ".building-"
	markerFile  = "factbot-index.json"
)

// marker is written into an index folder once it is complete; a folder
// without it, or with one that does not match, is never opened.
type marker struct {
	Hash    string `json:"hash"`
	Format  int    `json:"format"`
	Scoring string `json:"scoring"`
	Kazakh  string `json:"kazakh"`
	Docs    uint64 `json:"docs"`
}

// Store keeps one on-disk index per knowledge version under a data folder,
// at index-<content hash>, and serves the current one through a Live holder.
// Indexes are built in a temporary folder and renamed into place only when
// complete, so a crash at any moment leaves either the old index or the new
// one, never half of one. Methods are safe for concurrent use; reloads run
// one at a time.
type Store struct {
	// Builder builds the index of a reload, while another version serves;
	// nil builds it in this process, as it does the first index. Set it
	// before the first Load.
	Builder Builder

	dir  string
	opts Options
	live *Live

	mu     sync.Mutex
	prev   *knowledge.Base // the version before the current one, for Rollback
	source fs.FS           // the knowledge folder of the last Load, which Reload reads again
}

// A Builder writes the complete index of the knowledge folder fsys, whose
// base has the content hash hash, into the new folder dir, as BuildFolder
// does, somewhere other than the serving process: serve runs BuildFolder in
// a child process at the lowest CPU priority (cmd/factbot), so that a
// reload does not slow the searches the old version answers meanwhile. The
// Store opens what it built as it opens any index, checking the marker
// against the base it loaded itself.
type Builder func(ctx context.Context, fsys fs.FS, hash, dir string, opts Options) error

// NewStore returns a store under dir (created if missing) serving through live.
func NewStore(dir string, opts Options, live *Live) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("data folder %s: %w", dir, err)
	}
	return &Store{dir: dir, opts: opts.withDefaults(), live: live}, nil
}

// Live returns the holder the store serves through.
func (s *Store) Live() *Live { return s.live }

// Load validates the knowledge folder fsys and, if it is sound, makes it
// the served version: its index is reopened if a sound one exists, else
// built. On any problem (knowledge.Problems for bad files) nothing changes
// and the old version keeps serving.
func (s *Store) Load(ctx context.Context, fsys fs.FS) (knowledge.ReloadReport, error) {
	s.mu.Lock()
	s.source = fsys
	s.mu.Unlock()
	start := time.Now()
	b, err := knowledge.LoadContext(ctx, fsys)
	if err != nil {
		return knowledge.ReloadReport{At: start, Took: time.Since(start)}, err
	}
	return s.swapTo(ctx, fsys, b, start)
}

// Reload loads the knowledge folder of the last Load again: the bot's
// /reload and SIGHUP (Store satisfies bot.Reloader).
func (s *Store) Reload(ctx context.Context) (knowledge.ReloadReport, error) {
	s.mu.Lock()
	fsys := s.source
	s.mu.Unlock()
	if fsys == nil {
		return knowledge.ReloadReport{}, errors.New("reload: nothing loaded yet")
	}
	return s.Load(ctx, fsys)
}

// Rollback returns to the version served before the last successful load.
func (s *Store) Rollback(ctx context.Context) (knowledge.ReloadReport, error) {
	s.mu.Lock()
	prev := s.prev
	s.mu.Unlock()
	if prev == nil {
		return knowledge.ReloadReport{}, errors.New("rollback: no previous knowledge version")
	}
	rep, err := s.swapTo(ctx, nil, prev, time.Now())
	rep.Base = nil // the scheduled announcements stay those of the last reload
	return rep, err
}

// swapTo serves b, read from fsys (nil when it is not at hand: a rollback).
func (s *Store) swapTo(ctx context.Context, fsys fs.FS, b *knowledge.Base, start time.Time) (knowledge.ReloadReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.live.Current(); c != nil && c.Base().Hash() == b.Hash() {
		// The version being served: its index is open (and its folder
		// locked) already. Nothing to build, swap or delete. Eval cases
		// and announcements are not part of the hash: say what of them
		// changed, and hand on the announcements read now.
		return knowledge.ReloadReport{
			Hash: b.Hash(), Diff: knowledge.Compare(c.Base(), b), Facts: len(b.Facts), Docs: len(b.Documents),
			Passages: len(b.Passages()), Took: time.Since(start), At: start, Base: b,
		}, nil
	}
	ix, built, err := s.openOrBuild(ctx, fsys, b)
	if err != nil {
		return knowledge.ReloadReport{At: start, Took: time.Since(start)}, err
	}
	if err := ctx.Err(); err != nil {
		// Canceled while building: whoever asked was told it failed.
		ix.Close()
		return knowledge.ReloadReport{At: start, Took: time.Since(start)}, fmt.Errorf("reload canceled: %w", err)
	}
	var cur *knowledge.Base
	if c := s.live.Current(); c != nil {
		cur = c.Base()
	}
	rep := knowledge.ReloadReport{
		Hash: b.Hash(), Diff: knowledge.Compare(cur, b), Facts: len(b.Facts), Docs: len(b.Documents),
		Passages: len(b.Passages()), Built: built, At: start, Base: b,
	}
	if old := s.live.Swap(ix); old != nil {
		s.prev = cur
		rep.CloseErr = old.Close() // the new index serves; the old one only leaks until exit
	}
	s.removeStale(b, s.prev)
	rep.Took = time.Since(start)
	return rep, nil
}

// openOrBuild opens the sound index of b if there is one, else builds it:
// with the Builder when one is set, fsys is at hand and another version
// serves, else in this process.
func (s *Store) openOrBuild(ctx context.Context, fsys fs.FS, b *knowledge.Base) (*Index, bool, error) {
	s.removeHalfBuilt()
	final := filepath.Join(s.dir, dirPrefix+b.Hash())
	if ix, err := s.open(final, b); err == nil {
		return ix, false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		// Unsound (a crash, a disk error, an older format): the index is a
		// cache of the knowledge files, so rebuild it.
		os.RemoveAll(final)
	}
	tmp := final + buildingTag + randomSuffix()
	inProcess := s.Builder == nil || fsys == nil || s.live.Current() == nil
	var err error
	if inProcess {
		err = BuildFolder(ctx, b, tmp, s.opts)
	} else {
		err = s.Builder(ctx, fsys, b.Hash(), tmp, s.opts)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, false, err
	}
	err = os.Rename(tmp, final)
	if err == nil {
		err = durable.SyncDir(s.dir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return nil, false, fmt.Errorf("build index %s: %w", final, err)
	}
	ix, err := s.open(final, b)
	if err != nil {
		os.RemoveAll(final)
		return nil, false, fmt.Errorf("open new index %s: %w", final, err)
	}
	if inProcess {
		// A build leaves several times the index's size in garbage
		// (analysed batches, Bleve's segment merges); the runtime would
		// hand it back to the system over minutes, this does it now, so
		// the resident size after a build is what serving needs (100,000
		// passages: 710 MB → 325 MB resident). One collection per build.
		debug.FreeOSMemory()
	}
	return ix, true, nil
}

// BuildFolder writes the complete index of base into dir, which must not
// exist yet, with the marker that Store checks before it opens an index,
// and closes it. A failed build removes what it wrote.
func BuildFolder(ctx context.Context, base *knowledge.Base, dir string, opts Options) error {
	opts = opts.withDefaults()
	ix, n, err := fillNew(ctx, base, dir, opts)
	if err != nil {
		return err
	}
	err = ix.Close()
	if err == nil {
		err = writeMarker(dir, marker{base.Hash(), formatVersion, opts.Scoring, string(opts.Kazakh), n})
	}
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("build index %s: %w", dir, err)
	}
	return nil
}

// open opens the complete index in dir, checking its marker against b and
// the options, and its document count against the marker.
func (s *Store) open(dir string, b *knowledge.Base) (*Index, error) {
	data, err := os.ReadFile(filepath.Join(dir, markerFile))
	if err != nil {
		return nil, err // fs.ErrNotExist when never built
	}
	var m marker
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("index %s: bad marker: %w", dir, err)
	}
	if m != (marker{b.Hash(), formatVersion, s.opts.Scoring, string(s.opts.Kazakh), m.Docs}) {
		return nil, fmt.Errorf("index %s was built for %+v", dir, m)
	}
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": "5s"})
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	ix := &Index{idx: idx, base: b, matcher: knowledge.NewMatcher(b.Aliases), opts: s.opts, dir: dir, mapping: buildMapping(s.opts), model: s.opts.Model}
	n, err := idx.DocCount()
	if err != nil || n != m.Docs {
		idx.Close()
		return nil, fmt.Errorf("index %s holds %d documents, its marker says %d (%v)", dir, n, m.Docs, err)
	}
	if err := ix.setDocs(n); err != nil {
		idx.Close()
		return nil, fmt.Errorf("open index %s: %w", dir, err)
	}
	return ix, nil
}

// removeHalfBuilt deletes folders left by a build that a crash interrupted.
func (s *Store) removeHalfBuilt() {
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), dirPrefix) && strings.Contains(e.Name(), buildingTag) {
			os.RemoveAll(filepath.Join(s.dir, e.Name()))
		}
	}
}

// removeStale deletes index folders of versions other than the current and
// the previous one (kept for a fast rollback).
func (s *Store) removeStale(cur, prev *knowledge.Base) {
	keep := map[string]bool{dirPrefix + cur.Hash(): true}
	if prev != nil {
		keep[dirPrefix+prev.Hash()] = true
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), dirPrefix) && !keep[e.Name()] && !strings.Contains(e.Name(), buildingTag) {
			os.RemoveAll(filepath.Join(s.dir, e.Name()))
		}
	}
}

func writeMarker(dir string, m marker) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return durable.WriteFile(filepath.Join(dir, markerFile), data, os.O_TRUNC)
}

func randomSuffix() string {
	var b [6]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
