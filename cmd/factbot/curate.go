package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"go.uber.org/zap"

	"factbot/bot"
	"factbot/index"
	"factbot/knowledge"
	"factbot/knowledge/curate"
	"factbot/knowledge/versions"
)

// serve keeps every applied version of the knowledge in
// DATA_DIR/knowledge (knowledge/versions) and serves the newest sound one.
// The first start records what it would have served (the embedded base or
// FACTBOT_KNOWLEDGE_DIR) as the first version. Later starts serve the
// newest version even when that source changed meanwhile (a new binary, an
// edited folder): they log that the stored versions shadow it, and
// FACTBOT_RESEED=true records the source as a new version. /reload with a
// knowledge folder records the folder as a new version; an admin's upload
// (bot's Curator) and /rollback record theirs. Uploads write only under
// DATA_DIR, unless FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR=true makes the
// knowledge folder follow the version served.

// versionOptions configure the knowledge versions of serve.
type versionOptions struct {
	reseed bool // record the source as a new version if it differs
	toDir  bool // write the version served to the knowledge folder
}

// openVersions opens the versions under dataDir, seeds them from the
// source on the first start, and returns the folder to serve.
func (k *knowledgeStore) openVersions(ctx context.Context, log *zap.Logger, dataDir string, opts versionOptions) (fs.FS, error) {
	vs, err := versions.Open(dataDir, versions.Options{})
	if err != nil {
		return nil, err
	}
	k.versions, k.toDir, k.log = vs, opts.toDir && k.dir != "", log
	for _, err := range vs.Damaged() {
		log.Error("a knowledge version is damaged and is skipped", zap.Error(err))
	}
	src, source := k.fsys(), displayDir(k.dir)
	cur, ok := vs.Current()
	if !ok {
		v, err := vs.Seed(ctx, src)
		if err != nil {
			return nil, fmt.Errorf("record the first knowledge version from %s: %w", source, err)
		}
		log.Info("knowledge versions start from "+source, zap.Int("version", v.Seq), zap.String("hash", v.Hash),
			zap.String("folder", vs.Dir()))
		return vs.FS(v), nil
	}
	srcTree, err := versions.Tree(src)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	if srcTree != cur.Tree && opts.reseed {
		v, err := vs.Apply(ctx, src, versions.Change{Who: WhoReseed, What: "reseeded from " + source,
			Diff: diffOf(ctx, vs.FS(cur), src)})
		if err != nil {
			return nil, fmt.Errorf("reseed the knowledge from %s: %w", source, err)
		}
		log.Warn("FACTBOT_RESEED: the knowledge from "+source+" is recorded as a new version and served",
			zap.Int("version", v.Seq), zap.String("hash", v.Hash), zap.String("shadowed_version", strconv.Itoa(cur.Seq)))
		return vs.FS(v), nil
	}
	if srcTree != cur.Tree {
		if known(vs, srcTree) {
			log.Info("serving the newest knowledge version, applied since "+source+" was recorded",
				zap.Int("version", cur.Seq), zap.String("hash", cur.Hash), zap.String("who", cur.Who))
		} else {
			log.Warn("the stored knowledge versions shadow "+source+", which changed since they were recorded (a new "+
				"binary or an edited folder): serving version "+strconv.Itoa(cur.Seq)+". To serve "+source+
				" instead, start once with FACTBOT_RESEED=true (--reseed): it is recorded as a new version, and "+
				"/rollback returns to this one.", zap.Int("version", cur.Seq), zap.String("hash", cur.Hash),
				zap.String("folder", vs.Dir()))
		}
	}
	return vs.FS(cur), nil
}

// WhoReseed is the Who of a version recorded by FACTBOT_RESEED.
const WhoReseed = "reseed"

// known reports whether a stored version has the files of tree.
func known(vs *versions.Store, tree string) bool {
	all, err := vs.List(0)
	if err != nil {
		return false
	}
	for _, v := range all {
		if v.Tree == tree {
			return true
		}
	}
	return false
}

// diffOf is what changes from old to new, empty when either cannot be
// loaded (the version's summary then says so).
func diffOf(ctx context.Context, old, new fs.FS) knowledge.Diff {
	a, err1 := knowledge.LoadContext(ctx, old)
	b, err2 := knowledge.LoadContext(ctx, new)
	if err1 != nil || err2 != nil {
		return knowledge.Diff{}
	}
	return knowledge.Compare(a, b)
}

// who is the version author of a reload or rollback: the admin who asked,
// or the signal.
func who(ctx context.Context) string {
	if id, ok := bot.AdminFrom(ctx); ok {
		return versions.Admin(id)
	}
	return "SIGHUP"
}

// reloadSource is what /reload serves: with a knowledge folder, the folder
// recorded as a new version (or the current one, unchanged); with the
// embedded base, the current version, which the embedded base cannot
// change while serve runs.
func (k *knowledgeStore) reloadSource(ctx context.Context) (fs.FS, error) {
	if k.versions == nil {
		return k.fsys(), nil
	}
	cur, _ := k.versions.Current()
	if k.dir == "" {
		return k.versions.FS(cur), nil
	}
	src := os.DirFS(k.dir)
	v, err := k.versions.Apply(ctx, src, versions.Change{Who: who(ctx), What: "", Diff: diffOf(ctx, k.versions.FS(cur), src)})
	switch {
	case errors.Is(err, versions.ErrUnchanged):
		return k.versions.FS(cur), nil
	case err != nil:
		return nil, err
	}
	k.log.Info("reload recorded as a knowledge version", zap.Int("version", v.Seq), zap.String("hash", v.Hash))
	return k.versions.FS(v), nil
}

// rollbackVersion steps back one version and serves it.
func (k *knowledgeStore) rollbackVersion(ctx context.Context) (knowledge.ReloadReport, error) {
	v, err := k.versions.Rollback(ctx, who(ctx))
	if err != nil {
		return knowledge.ReloadReport{}, err
	}
	rep, err := k.serveVersion(ctx, v)
	k.log.Info("rolled back", zap.Int("version", v.Seq), zap.Int("restores", v.Restores), zap.String("who", v.Who))
	return rep, err
}

// serveVersion swaps in the index of version v, and writes v to the
// knowledge folder when uploads go there.
func (k *knowledgeStore) serveVersion(ctx context.Context, v versions.Version) (knowledge.ReloadReport, error) {
	rep, err := k.load(ctx, k.versions.FS(v))
	if err != nil {
		return rep, err
	}
	if k.toDir {
		if err := writeFolder(k.versions.FS(v), k.dir); err != nil {
			// The version is recorded and served; only the copy is behind.
			k.log.Error("write the knowledge folder (FACTBOT_UPLOADS_TO_KNOWLEDGE_DIR)", zap.String("folder", k.dir), zap.Error(err))
		}
	}
	return rep, nil
}

// Served implements bot.Curator.
func (k *knowledgeStore) Served() (fs.FS, versions.Version, error) {
	if k.versions == nil {
		return nil, versions.Version{}, versions.ErrNoVersion
	}
	v, ok := k.versions.Current()
	if !ok {
		return nil, v, versions.ErrNoVersion
	}
	return k.versions.FS(v), v, nil
}

// Evaluate implements bot.Curator.
func (k *knowledgeStore) Evaluate(ctx context.Context, old, new *knowledge.Base) (*curate.EvalChange, error) {
	return index.PreviewEval(ctx, old, new, index.Options{})
}

// Apply implements bot.Curator: the upload becomes a version, then is
// served. Should serving fail (a disk error while building its index), the
// version is rolled back, so that the version a restart serves is the one
// being served.
func (k *knowledgeStore) Apply(ctx context.Context, fsys fs.FS, admin int64, basedOn string) (knowledge.ReloadReport, versions.Version, error) {
	cur, _ := k.versions.Current()
	v, err := k.versions.Apply(ctx, fsys, versions.Change{Who: versions.Admin(admin), BasedOn: basedOn,
		Diff: diffOf(ctx, k.versions.FS(cur), fsys)})
	if err != nil {
		return knowledge.ReloadReport{}, v, err
	}
	rep, err := k.serveVersion(ctx, v)
	if err != nil {
		if _, rerr := k.versions.Rollback(context.WithoutCancel(ctx), versions.Admin(admin)); rerr != nil {
			k.log.Error("the upload's version could not be served nor rolled back: a restart serves it", zap.Error(rerr))
		}
		return rep, v, err
	}
	return rep, v, nil
}

// Versions implements bot.Curator.
func (k *knowledgeStore) Versions(n int) ([]versions.Version, error) {
	if k.versions == nil {
		return nil, versions.ErrNoVersion
	}
	return k.versions.List(n)
}

// writeFolder makes dir hold the knowledge files of fsys: each written to
// a temporary file and renamed over the old one, then the knowledge files
// fsys does not have removed. Other files in dir are left alone.
func writeFolder(fsys fs.FS, dir string) error {
	names, err := knowledge.Files(fsys)
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, name := range names {
		keep[name] = true
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		if old, err := os.ReadFile(target); err == nil && string(old) == string(data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		tmp := target + ".tmp-factbot"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, target); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	old, err := knowledge.Files(os.DirFS(dir))
	if err != nil {
		return err
	}
	sort.Strings(old)
	for _, name := range old {
		if !keep[name] {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				return err
			}
		}
	}
	return nil
}
