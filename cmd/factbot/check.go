package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"factbot/knowledge"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check")
	fs.Usage = func() { fmt.Fprintln(e.stderr, "usage: factbot check [DIR]") }
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: at most one folder", errUsage)
	}
	where, prefix, fsys := "the embedded knowledge base", "knowledge/base", knowledge.Curated()
	if fs.NArg() == 1 {
		dir := fs.Arg(0)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		where, prefix, fsys = dir, dir, os.DirFS(dir)
	}
	b, err := knowledge.Load(fsys)
	var probs knowledge.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			p.Pos.File = filepath.Join(prefix, p.Pos.File)
			fmt.Fprintln(e.stdout, p)
		}
		fmt.Fprintf(e.stderr, "%s: %d problems\n", where, len(probs))
		return errSilent
	}
	if err != nil {
		return err
	}
	// Figures a reader sees in English are no error (they keep their
	// text), but a curator should rewrite them.
	unf := b.Unformattable()
	for _, p := range unf {
		p.Pos.File = filepath.Join(prefix, p.Pos.File)
		fmt.Fprintf(e.stdout, "%s:%d: notice: %s\n", p.Pos.File, p.Pos.Line, p.Msg)
	}
	if len(unf) > 0 {
		fmt.Fprintf(e.stderr, "%s: %d figures cannot be formatted for every reader (notices above)\n", where, len(unf))
	}
	fmt.Fprintf(e.stdout, "%s: ok: %d facts, %d documents (%d passages), %d aliases, %d measures, %d eval cases (%d blind); hash %s\n",
		where, len(b.Facts), len(b.Documents), len(b.Passages()), len(b.Aliases), len(b.Measures()), len(b.Eval), len(b.Blind), b.Hash())
	return nil
}
