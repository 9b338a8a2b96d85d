package main

import (
	"context"
	"fmt"
	"strings"

	"factbot/index"
	"factbot/knowledge"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval")
	dir := knowledgeFlag(e, fs)
	verbose := fs.Bool("v", false, "list every miss")
	scoring := fs.String("scoring", "tfidf", "scoring `model`: tfidf or bm25")
	kk := fs.String("kazakh", string(index.KazakhLight), "Kazakh stemming: none, light or truncate")
	minR3 := fs.Float64("min-recall3", 0.90, "fail below this recall@3 in any language")
	minAbst := fs.Float64("min-abstention", 0.85, "fail below this abstention on out-of-scope questions")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *scoring != "bm25" && *scoring != "tfidf" {
		return fmt.Errorf("%w: --scoring %q: want bm25 or tfidf", errUsage, *scoring)
	}
	switch index.KazakhStemming(*kk) {
	case index.KazakhNone, index.KazakhLight, index.KazakhTruncate:
	default:
		return fmt.Errorf("%w: --kazakh %q: want none, light or truncate", errUsage, *kk)
	}
	live, err := openKnowledgeWith(ctx, *dir, index.Options{Scoring: *scoring, Kazakh: index.KazakhStemming(*kk)})
	if err != nil {
		return err
	}
	defer live.Close()
	rep, err := index.Evaluate(ctx, live, live.Base().Eval)
	if err != nil {
		return err
	}
	rep.Print(e.stdout)
	if *verbose {
		for _, m := range rep.Misses {
			fmt.Fprintf(e.stdout, "%s:%d: [%s] %q want %s got [%s]: %s\n", m.Case.Pos.File, m.Case.Pos.Line,
				m.Case.Lang, m.Case.Question, wantOf(m.Case), strings.Join(m.Got, " "), m.Why)
		}
	}
	var below []string
	for _, l := range knowledge.Langs {
		if s := rep.Langs[l]; s.Cases > 0 && s.Recall3() < *minR3 {
			below = append(below, fmt.Sprintf("%s recall@3 %.3f < %.2f", l, s.Recall3(), *minR3))
		}
	}
	if rep.OutOfScope > 0 && rep.Abstention() < *minAbst {
		below = append(below, fmt.Sprintf("abstention %.3f < %.2f", rep.Abstention(), *minAbst))
	}
	if len(below) > 0 {
		return fmt.Errorf("below the quality floor: %s", strings.Join(below, "; "))
	}
	return nil
}

func wantOf(c knowledge.EvalCase) string {
	if c.OutOfScope {
		return "no answer"
	}
	return strings.Join(c.Want, "|")
}
