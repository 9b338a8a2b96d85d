package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"factbot/index"
	"factbot/knowledge"
	"factbot/knowledge/curate"
	"factbot/knowledge/versions"
)

const knowledgeUsage = `usage:
  factbot knowledge export [--force] DIR
  factbot knowledge zip [--data-dir D] [--force] [DIR] OUT.zip
  factbot knowledge versions [--data-dir D] [-n N]
  factbot knowledge preview [--data-dir D] [--knowledge DIR] [--no-eval] FILE`

// runKnowledge runs "factbot knowledge export|zip|versions|preview".
func runKnowledge(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, knowledgeUsage)
	}
	switch args[0] {
	case "export":
		return runKnowledgeExport(e, args[1:])
	case "zip":
		return runKnowledgeZip(e, args[1:])
	case "versions":
		return runKnowledgeVersions(e, args[1:])
	case "preview":
		return runKnowledgePreview(ctx, e, args[1:])
	}
	return fmt.Errorf("%w: unknown subcommand %q\n%s", errUsage, args[0], knowledgeUsage)
}

// runKnowledgeExport runs "factbot knowledge export [--force] DIR".
func runKnowledgeExport(e *env, args []string) error {
	fs := newFlags(e, "knowledge export")
	force := fs.Bool("force", false, "overwrite files in a non-empty DIR")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: factbot knowledge export [--force] DIR\n\nWrites the embedded knowledge base to DIR as editable files; serve it with --knowledge DIR.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
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

// dataDirFlag registers --data-dir, defaulting to FACTBOT_DATA_DIR.
func dataDirFlag(e *env, fs interface {
	StringVar(*string, string, string, string)
}) *string {
	dir := new(string)
	fs.StringVar(dir, "data-dir", e.getenv("FACTBOT_DATA_DIR"), "the bot's data `folder`, whose knowledge versions to read (env FACTBOT_DATA_DIR)")
	return dir
}

// served returns the knowledge folder a bot with this data folder and
// knowledge folder serves: the data folder's current version if it has
// one, else the knowledge folder, else the embedded base; and says which.
func served(dataDir, knowledgeDir string) (fs.FS, string, error) {
	if dataDir != "" {
		st, err := versions.Open(dataDir, versions.Options{})
		if err != nil {
			return nil, "", err
		}
		if v, ok := st.Current(); ok {
			return st.FS(v), fmt.Sprintf("version %d (%s) in %s", v.Seq, v.Hash, st.Dir()), nil
		}
	}
	if knowledgeDir != "" {
		if st, err := os.Stat(knowledgeDir); err != nil || !st.IsDir() {
			return nil, "", fmt.Errorf("knowledge folder %s: not a folder", knowledgeDir)
		}
		return os.DirFS(knowledgeDir), knowledgeDir, nil
	}
	return knowledge.Curated(), displayDir(""), nil
}

// runKnowledgeZip runs "factbot knowledge zip [--data-dir D] [DIR] OUT.zip".
func runKnowledgeZip(e *env, args []string) error {
	fl := newFlags(e, "knowledge zip")
	force := fl.Bool("force", false, "overwrite OUT.zip")
	dataDir := fl.String("data-dir", "", "zip the current knowledge version of this data `folder`")
	fl.Usage = func() {
		fmt.Fprintln(e.stderr, `usage: factbot knowledge zip [--data-dir D] [--force] [DIR] OUT.zip

Writes the knowledge folder DIR (default: the embedded base; with --data-dir,
the current version of that data folder) to OUT.zip, as an admin uploads it
to the bot. The same files always make the same zip.`)
		fl.PrintDefaults()
	}
	if err := parse(fl, args); err != nil {
		return err
	}
	if fl.NArg() < 1 || fl.NArg() > 2 || fl.NArg() == 2 && *dataDir != "" {
		return fmt.Errorf("%w: knowledge zip needs OUT.zip, after a DIR or with --data-dir", errUsage)
	}
	out := fl.Arg(fl.NArg() - 1)
	var src fs.FS
	where := ""
	switch {
	case fl.NArg() == 2:
		dir := fl.Arg(0)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("%s is not a folder", dir)
		}
		src, where = os.DirFS(dir), dir
	case *dataDir != "":
		st, err := versions.Open(*dataDir, versions.Options{})
		if err != nil {
			return err
		}
		v, ok := st.Current()
		if !ok {
			return fmt.Errorf("%s has no knowledge version", *dataDir)
		}
		src, where = st.FS(v), fmt.Sprintf("version %d (%s)", v.Seq, v.Hash)
	default:
		src, where = knowledge.Curated(), displayDir("")
	}
	mode := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if *force {
		mode = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(out, mode, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists (pass --force to overwrite)", out)
	}
	if err != nil {
		return err
	}
	n, err := curate.Zip(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %d files of %s to %s\n", n, where, out)
	return nil
}

// runKnowledgeVersions runs "factbot knowledge versions [--data-dir D] [-n N]".
func runKnowledgeVersions(e *env, args []string) error {
	fl := newFlags(e, "knowledge versions")
	dataDir := dataDirFlag(e, fl)
	n := fl.Int("n", 20, "list the last `N` versions (0: all)")
	fl.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: factbot knowledge versions [--data-dir D] [-n N]\n\nLists the knowledge versions kept in the data folder, newest first; * marks the one served.")
		fl.PrintDefaults()
	}
	if err := parse(fl, args); err != nil {
		return err
	}
	if fl.NArg() != 0 || *dataDir == "" {
		return fmt.Errorf("%w: knowledge versions needs --data-dir (or FACTBOT_DATA_DIR) and no arguments", errUsage)
	}
	st, err := versions.Open(*dataDir, versions.Options{})
	if err != nil {
		return err
	}
	list, err := st.List(*n)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(e.stdout, "no knowledge versions in %s: the bot serves the embedded base or FACTBOT_KNOWLEDGE_DIR until an admin applies an upload\n", st.Dir())
		return nil
	}
	cur, _ := st.Current()
	fmt.Fprintf(e.stdout, "  %7s  %-20s  %-12s  %-16s  %5s  %4s  %s\n", "version", "when (UTC)", "who", "hash", "facts", "docs", "what")
	for _, v := range list {
		mark := " "
		if v.Seq == cur.Seq {
			mark = "*"
		}
		if v.Err != nil {
			fmt.Fprintf(e.stdout, "%s %7d  DAMAGED, never served: %v\n", mark, v.Seq, v.Err)
			continue
		}
		fmt.Fprintf(e.stdout, "%s %7d  %-20s  %-12s  %-16s  %5d  %4d  %s\n", mark, v.Seq, v.When.UTC().Format("2006-01-02 15:04:05"),
			v.Who, v.Hash, v.Facts, v.Documents, v.What)
	}
	return nil
}

// runKnowledgePreview runs "factbot knowledge preview [--data-dir D] FILE".
func runKnowledgePreview(ctx context.Context, e *env, args []string) error {
	fl := newFlags(e, "knowledge preview")
	dataDir := dataDirFlag(e, fl)
	dir := knowledgeFlag(e, fl)
	noEval := fl.Bool("no-eval", false, "skip the eval numbers (two index builds and eval runs, a few seconds)")
	fl.Usage = func() {
		fmt.Fprintln(e.stderr, `usage: factbot knowledge preview [--data-dir D] [--knowledge DIR] [--no-eval] FILE

Checks FILE as the bot checks an admin's upload (a .yaml or .yml file, a .md
briefing, or a .zip of a whole knowledge folder) against the knowledge being
served (the data folder's current version, else --knowledge, else the
embedded base), and prints its problems as path:line, or what it would change
and the eval numbers before and after. Exits 1 when the upload is refused or
has problems.`)
		fl.PrintDefaults()
	}
	if err := parse(fl, args); err != nil {
		return err
	}
	if fl.NArg() != 1 {
		return fmt.Errorf("%w: knowledge preview needs one FILE", errUsage)
	}
	cur, where, err := served(*dataDir, *dir)
	if err != nil {
		return err
	}
	old, err := knowledge.LoadContext(ctx, cur)
	if err != nil {
		return fmt.Errorf("the knowledge served (%s): %w", where, err)
	}
	name := fl.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", name)
	}
	c, err := curate.Parse(ctx, filepath.Base(name), f, info.Size(), cur, curate.DefaultLimits)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: a %s, checked against %s\n", name, c.Kind, where)
	if c.Path != "" {
		verb := "adds"
		if c.Replaces {
			verb = "replaces"
		}
		fmt.Fprintf(e.stdout, "it %s %s\n", verb, c.Path)
	}
	for _, n := range c.Notes {
		fmt.Fprintf(e.stdout, "note: %s\n", n)
	}
	for _, i := range c.Ignored {
		fmt.Fprintf(e.stdout, "ignored: %s (%s)\n", i.Path, i.Why)
	}
	if !c.Valid() {
		for _, p := range c.Problems {
			fmt.Fprintln(e.stdout, p)
		}
		fmt.Fprintf(e.stderr, "%s: %d problems; nothing would change\n", name, len(c.Problems))
		return errSilent
	}
	p := curate.Compare(old, c.Base)
	if !*noEval {
		if p.Eval, err = index.PreviewEval(ctx, old, c.Base, index.Options{}); err != nil {
			return err
		}
	}
	fmt.Fprint(e.stdout, strings.TrimRight(p.String(), "\n")+"\n")
	return nil
}
