package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"

	"go.uber.org/zap"

	"factbot/bot"
	"factbot/bot/boltstore"
	"factbot/index"
	"factbot/knowledge"
	"factbot/knowledge/versions"
)

// knowledgeStore is serve's data folder: an index.Store, loaded from the
// knowledge folder (or the embedded base) and reloaded from it on /reload
// and SIGHUP (it is the bot's Reloader), and the bot's own state in
// factbot.db.
type knowledgeStore struct {
	store   *index.Store
	state   *boltstore.Store
	dir     string // the knowledge folder; "" for the embedded base
	tempDir string // removed on Close when serve made up a data folder

	// The knowledge versions (curate.go): what is served, the bot's
	// Curator; nil in the benchmarks that reload from the folder alone.
	versions *versions.Store
	toDir    bool // the knowledge folder follows the version served
	log      *zap.Logger
}

// stateFile is the bot's state under the data folder.
const stateFile = "factbot.db"

// openStore opens the bot's state and the index of the current knowledge
// under dataDir, building the index when there is no sound one. With no
// dataDir it uses a temporary folder, removed on Close.
func openStore(ctx context.Context, log *zap.Logger, dataDir, knowledgeDir string, opts index.Options, vopts versionOptions) (*knowledgeStore, error) {
	ks := &knowledgeStore{dir: knowledgeDir, log: log}
	if dataDir == "" {
		tmp, err := os.MkdirTemp("", "factbot-data-")
		if err != nil {
			return nil, fmt.Errorf("temporary data folder: %w", err)
		}
		log.Warn("FACTBOT_DATA_DIR is not set: the index and the bot's state live in a temporary folder and are lost at exit",
			zap.String("folder", tmp))
		dataDir, ks.tempDir = tmp, tmp
	}
	s, err := index.NewStore(dataDir, opts, index.NewLive(nil))
	if err != nil {
		ks.Close()
		return nil, err
	}
	s.Builder = childBuilder(log)
	ks.store = s
	if ks.state, err = boltstore.Open(filepath.Join(dataDir, stateFile)); err != nil {
		ks.Close()
		return nil, err
	}
	served, err := ks.openVersions(ctx, log, dataDir, vopts)
	if err != nil {
		ks.Close()
		return nil, err
	}
	rep, err := s.Load(ctx, served)
	var probs knowledge.Problems
	switch {
	case errors.As(err, &probs):
		ks.Close()
		return nil, fmt.Errorf("knowledge folder %s has %d problems (run factbot check):\n%w", displayDir(knowledgeDir), len(probs), err)
	case err != nil:
		ks.Close()
		return nil, err
	}
	log.Info("knowledge index ready", zap.String("hash", rep.Hash), zap.Bool("built", rep.Built), zap.Duration("took", rep.Took))
	return ks, nil
}

// fsys is the knowledge folder, read afresh at each reload.
func (k *knowledgeStore) fsys() fs.FS {
	if k.dir == "" {
		return knowledge.Curated()
	}
	return os.DirFS(k.dir)
}

// Live is the holder searches go through.
func (k *knowledgeStore) Live() *index.Live { return k.store.Live() }

// Close closes the index and the state, and removes a temporary data folder.
func (k *knowledgeStore) Close() error {
	var err error
	if k.store != nil {
		err = k.store.Live().Close()
	}
	if k.state != nil {
		if serr := k.state.Close(); err == nil {
			err = serr
		}
	}
	if k.tempDir != "" {
		os.RemoveAll(k.tempDir)
	}
	return err
}

// Reload implements bot.Reloader: the knowledge version to serve, read
// afresh. index.Store decides what a reload of the same content hash does
// (nothing is rebuilt).
func (k *knowledgeStore) Reload(ctx context.Context) (knowledge.ReloadReport, error) {
	fsys, err := k.reloadSource(ctx)
	if err != nil {
		return knowledge.ReloadReport{}, err
	}
	return k.load(ctx, fsys)
}

// load serves the knowledge folder fsys.
func (k *knowledgeStore) load(ctx context.Context, fsys fs.FS) (knowledge.ReloadReport, error) {
	return k.store.Load(ctx, fsys)
}

// Rollback implements bot.Reloader.
func (k *knowledgeStore) Rollback(ctx context.Context) (knowledge.ReloadReport, error) {
	if k.versions != nil {
		return k.rollbackVersion(ctx)
	}
	return k.store.Rollback(ctx)
}

// reloadOnHUP reloads the knowledge on every SIGHUP until the returned
// stop is called; stop waits for a reload in progress.
func reloadOnHUP(ctx context.Context, log *zap.Logger, b *bot.Bot) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-hup:
				log.Info("SIGHUP: reloading the knowledge")
				_ = b.Reload(ctx) // logged and sent to the admins
			case <-ctx.Done():
				return
			}
		}
	}()
	log.Info("a SIGHUP reloads the knowledge", zap.Int("pid", os.Getpid()))
	return func() {
		signal.Stop(hup)
		cancel()
		wg.Wait()
	}
}
