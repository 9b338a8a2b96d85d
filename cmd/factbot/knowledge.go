package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"factbot/bot/reply"
	"factbot/index"
	"factbot/knowledge"
)

// loadBase loads the knowledge folder dir, or the embedded base when dir is
// empty. Problems come back as one error listing each path:line.
func loadBase(dir string) (*knowledge.Base, error) {
	var fsys fs.FS = knowledge.Curated()
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return nil, fmt.Errorf("knowledge folder %s: not a folder", dir)
		}
		fsys = os.DirFS(dir)
	}
	b, err := knowledge.Load(fsys)
	var probs knowledge.Problems
	if errors.As(err, &probs) {
		return nil, fmt.Errorf("knowledge folder %s has %d problems (run factbot check):\n%w", displayDir(dir), len(probs), err)
	}
	return b, err
}

func displayDir(dir string) string {
	if dir == "" {
		return "knowledge/base (embedded)"
	}
	return dir
}

// openKnowledge loads the knowledge base and builds an in-memory index of
// it, ready to search; close releases it. dir "" means the embedded base.
func openKnowledge(ctx context.Context, dir string, opts index.Options) (live *index.Live, close func(), err error) {
	if dir == "" && opts == (index.Options{}) {
		ix, err := embeddedIndex(ctx)
		if err != nil {
			return nil, nil, err
		}
		return index.NewLive(ix), func() {}, nil
	}
	b, err := loadBase(dir)
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.Build(ctx, b, "", opts)
	if err != nil {
		return nil, nil, err
	}
	live = index.NewLive(ix)
	return live, func() { live.Close() }, nil
}

// embedded is the embedded base's in-memory index with the default
// options, built at its first use and kept for the life of the process:
// the base cannot change while it runs, and the tests run many commands
// in one process.
var embedded struct {
	mu sync.Mutex
	ix *index.Index
}

func embeddedIndex(ctx context.Context) (*index.Index, error) {
	embedded.mu.Lock()
	defer embedded.mu.Unlock()
	if embedded.ix != nil {
		return embedded.ix, nil
	}
	b, err := loadBase("")
	if err != nil {
		return nil, err
	}
	ix, err := index.Build(ctx, b, "", index.Options{})
	if err != nil {
		return nil, err
	}
	embedded.ix = ix
	return ix, nil
}

// knowledgeFlag registers --knowledge, defaulting to FACTBOT_KNOWLEDGE_DIR.
func knowledgeFlag(e *env, fs interface {
	StringVar(*string, string, string, string)
}) *string {
	dir := new(string)
	fs.StringVar(dir, "knowledge", e.getenv("FACTBOT_KNOWLEDGE_DIR"), "knowledge `folder` (default: the embedded base; env FACTBOT_KNOWLEDGE_DIR)")
	return dir
}

// langFlag parses a --lang value.
func langFlag(s string) (knowledge.Lang, error) {
	if s == "" {
		return "", nil
	}
	l := knowledge.ParseLang(s)
	if l == "" {
		return "", fmt.Errorf("%w: --lang %q: want one of en, ru, kk, zh, fr", errUsage, s)
	}
	return l, nil
}

// answerFlags are the flags ask and chat share: the reply language and the
// knowledge folder.
type answerFlags struct {
	lang, dir *string
}

func addAnswerFlags(e *env, fs *flag.FlagSet, langHelp string) answerFlags {
	return answerFlags{
		lang: fs.String("lang", "", "reply `language` (en, ru, kk, zh, fr); default: "+langHelp),
		dir:  knowledgeFlag(e, fs),
	}
}

// open checks --lang and loads the knowledge; close releases the index.
func (f answerFlags) open(ctx context.Context, e *env) (a *reply.Answerer, lang knowledge.Lang, close func(), err error) {
	if lang, err = langFlag(*f.lang); err != nil {
		return nil, "", nil, err
	}
	live, close, err := openKnowledge(ctx, *f.dir, index.Options{})
	if err != nil {
		return nil, "", nil, err
	}
	return &reply.Answerer{Searcher: live}, lang, close, nil
}
