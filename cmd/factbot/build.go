package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"

	"go.uber.org/zap"

	"factbot/index"
	"factbot/knowledge"
)

// runBuildIndex is `factbot build-index`: it writes the index of a knowledge
// folder into a new folder, marker included, as index.BuildFolder does.
// serve's reloads run it in a child process (childBuilder); with --hash it
// refuses knowledge whose content hash is not the one expected.
func runBuildIndex(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "build-index")
	dir := fs.String("knowledge", "", "knowledge `folder` to index (required)")
	out := fs.String("out", "", "new `folder` to write the index into (required; must not exist)")
	hash := fs.String("hash", "", "content `hash` the knowledge must have")
	scoring := fs.String("scoring", "", "scoring `model`: tfidf (default) or bm25")
	kazakh := fs.String("kazakh", "", "Kazakh `stemming` (default light)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" || *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: want --knowledge FOLDER --out FOLDER", errUsage)
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists: the index is written into a new folder", *out)
	}
	b, err := loadBase(*dir)
	if err != nil {
		return err
	}
	if *hash != "" && b.Hash() != *hash {
		return fmt.Errorf("the knowledge in %s has the content hash %s, not %s", *dir, b.Hash(), *hash)
	}
	return index.BuildFolder(ctx, b, *out, index.Options{Scoring: *scoring, Kazakh: index.KazakhStemming(*kazakh)})
}

// selfCommand is this program run with args. The tests' binary acts as
// factbot only when told so (main_test.go), and sets its own.
var selfCommand = func(ctx context.Context, args ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return exec.CommandContext(ctx, exe, args...), nil
}

// childBuilder is serve's index.Builder: a reload's index is built by
// `factbot build-index` in a child process that has one core (GOMAXPROCS=1)
// and the lowest CPU priority (nice 19), from a copy of the knowledge
// files. The searches of the version still serving keep both cores and
// their own heap: an in-process build competed with them for the cores and
// made them wait on its garbage collection. The child is killed when the
// reload is cancelled (its time limit, shutdown) or serve dies.
func childBuilder(log *zap.Logger) index.Builder {
	return func(ctx context.Context, fsys fs.FS, hash, dir string, opts index.Options) error {
		start := time.Now()
		src, err := os.MkdirTemp("", "factbot-build-")
		if err != nil {
			return fmt.Errorf("build the index: %w", err)
		}
		defer os.RemoveAll(src)
		if err := knowledge.CopyFiles(fsys, src); err != nil {
			return fmt.Errorf("build the index: %w", err)
		}
		cmd, err := selfCommand(ctx, "build-index", "--knowledge", src, "--out", dir, "--hash", hash,
			"--scoring", opts.Scoring, "--kazakh", string(opts.Kazakh))
		if err != nil {
			return fmt.Errorf("build the index: %w", err)
		}
		cmd.Env = append(cmd.Environ(), "GOMAXPROCS=1")
		var stderr tail
		cmd.Stdout, cmd.Stderr = &stderr, &stderr
		if err := runNiced(cmd); err != nil {
			if msg := stderr.String(); msg != "" {
				err = fmt.Errorf("%w: %s", err, msg)
			}
			return fmt.Errorf("build the index in a child process: %w", err)
		}
		log.Info("index built in a child process", zap.String("hash", hash), zap.Duration("took", time.Since(start)))
		return nil
	}
}

// tail keeps the last 2 KB written to it: a child's last words.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2048 {
		t.b = t.b[len(t.b)-2048:]
	}
	return len(p), nil
}

func (t *tail) String() string { return strings.TrimSpace(string(t.b)) }
