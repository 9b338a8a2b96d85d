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
)

// dataFolder is serve's data folder: an index.Store, loaded from the
// knowledge folder (or the embedded base) and reloaded from it on /reload
// and SIGHUP (it is the bot's Reloader), and the bot's own state in
// factbot.db.
type dataFolder struct {
	*index.Store // the bot's Reloader
	state        *boltstore.Store
	dir          string // the knowledge folder; "" for the embedded base
	tempDir      string // removed on Close when serve made up a data folder
}

// stateFile is the bot's state under the data folder.
const stateFile = "factbot.db"

// openDataFolder opens the bot's state and the index of the current knowledge
// under dataDir, building the index when there is no sound one. With no
// dataDir it uses a temporary folder, removed on Close.
func openDataFolder(ctx context.Context, log *zap.Logger, dataDir, knowledgeDir string, opts index.Options) (*dataFolder, error) {
	ks := &dataFolder{dir: knowledgeDir}
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
	ks.Store = s
	if ks.state, err = boltstore.Open(filepath.Join(dataDir, stateFile)); err != nil {
		ks.Close()
		return nil, err
	}
	rep, err := s.Load(ctx, ks.fsys())
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
func (k *dataFolder) fsys() fs.FS {
	if k.dir == "" {
		return knowledge.Curated()
	}
	return os.DirFS(k.dir)
}

// index.Store is the bot's Reloader: it decides what a reload does (one
// of the same content hash rebuilds nothing) and remembers the last one.
var _ bot.Reloader = (*index.Store)(nil)

// Close closes the index and the state, and removes a temporary data folder.
func (k *dataFolder) Close() error {
	var err error
	if k.Store != nil {
		err = k.Store.Live().Close()
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
