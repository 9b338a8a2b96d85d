package main

import (
	"context"
	"fmt"

	"factbot/knowledge"
)

// runKnowledge runs "factbot knowledge export [--force] DIR".
func runKnowledge(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return fmt.Errorf("%w: usage: factbot knowledge export [--force] DIR", errUsage)
	}
	fs := newFlags(e, "knowledge export")
	force := fs.Bool("force", false, "overwrite files in a non-empty DIR")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: factbot knowledge export [--force] DIR\n\nWrites the embedded knowledge base to DIR as editable files; serve it with --knowledge DIR.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: knowledge export needs one DIR", errUsage)
	}
	n, err := knowledge.Export(knowledge.Curated(), fs.Arg(0), *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d files to %s; edit them, run 'factbot check %s', and serve with --knowledge %s\n", n, fs.Arg(0), fs.Arg(0), fs.Arg(0))
	return nil
}
