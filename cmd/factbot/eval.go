package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"factbot/index"
	"factbot/knowledge"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval")
	dir := knowledgeFlag(e, fs)
	verbose := fs.Bool("v", false, "list every miss of the dev set (the blind set's stay unlisted: reading them would tune the search to them)")
	fit := fs.String("fit", "", "fit the ranking and confidence model on the dev set and write it to `FILE` (index/model.json in the source tree)")
	model := fs.String("model", "", "judge the model in `FILE` instead of the embedded one")
	folds := fs.Int("folds", 5, "folds of the dev set's cross-validation")
	lambda := fs.Float64("lambda", 10, "L2 penalty of the fit, chosen by the dev set's cross-validation (which refits with it too)")
	explain := fs.String("explain", "", "show how the model ranks `QUESTION`'s candidates, and stop")
	set := fs.String("set", "all", "which eval `set`: dev (cross-validated), blind, or all")
	scoring := fs.String("scoring", "tfidf", "scoring `model`: tfidf or bm25")
	kk := fs.String("kazakh", string(index.KazakhLight), "Kazakh stemming: none, light or truncate")
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
	if *set != "dev" && *set != "blind" && *set != "all" {
		return fmt.Errorf("%w: --set %q: want dev, blind or all", errUsage, *set)
	}
	if *folds < 2 {
		return fmt.Errorf("%w: --folds %d: want at least 2", errUsage, *folds)
	}
	opts := index.Options{Scoring: *scoring, Kazakh: index.KazakhStemming(*kk)}
	if *fit != "" {
		return fitModel(ctx, e, *dir, opts, *fit, *lambda)
	}
	if *model != "" {
		data, err := os.ReadFile(*model)
		if err != nil {
			return err
		}
		if opts.Model, err = index.ParseModel(data); err != nil {
			return fmt.Errorf("%s: %w", *model, err)
		}
	}
	live, closeIndex, err := openKnowledge(ctx, *dir, opts)
	if err != nil {
		return err
	}
	defer closeIndex()
	if *explain != "" {
		return live.Current().Explain(ctx, knowledge.Query{Text: *explain}, e.stdout)
	}
	b := live.Base()
	if *set != "blind" {
		rep, err := index.CrossValidate(ctx, live.Current(), b.Eval, *folds, index.FitOptions{Lambda: *lambda})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "dev set (%d questions), %d-fold cross-validated: each fold answered by a model fitted on the others\n", len(b.Eval), *folds)
		rep.Print(e.stdout)
		if *verbose {
			printMisses(e, rep)
		}
	}
	if *set == "dev" {
		return nil
	}
	if len(b.Blind) == 0 {
		fmt.Fprintln(e.stdout, "\nno blind set in this knowledge folder")
		return nil
	}
	rep, err := index.Evaluate(ctx, live, b.Blind)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nblind set (%d questions), the shipped model (fitted on the dev set; nothing fitted on these)\n", len(b.Blind))
	rep.Print(e.stdout)
	var below []string
	for _, l := range knowledge.Langs {
		s := rep.Langs[l]
		f := index.QualityFloor
		if s.Cases > 0 && s.Recall3() < f.Recall3[l] {
			below = append(below, fmt.Sprintf("%s recall@3 %.3f < %.2f", l, s.Recall3(), f.Recall3[l]))
		}
		if s.Cases > 0 && s.Recall1() < f.Recall1[l] {
			below = append(below, fmt.Sprintf("%s recall@1 %.3f < %.2f", l, s.Recall1(), f.Recall1[l]))
		}
		if s.Cases > 0 && s.Recall20() < f.Recall20[l] {
			below = append(below, fmt.Sprintf("%s recall@20 %.3f < %.2f", l, s.Recall20(), f.Recall20[l]))
		}
	}
	if rep.OutOfScope > 0 && rep.Abstention() < index.QualityFloor.Abstention {
		below = append(below, fmt.Sprintf("abstention %.3f < %.2f", rep.Abstention(), index.QualityFloor.Abstention))
	}
	if len(below) > 0 {
		return fmt.Errorf("blind set below the quality floor: %s", strings.Join(below, "; "))
	}
	return nil
}

// fitModel fits the model on the dev set and writes it to file.
func fitModel(ctx context.Context, e *env, dir string, opts index.Options, file string, lambda float64) error {
	b, err := loadBase(dir)
	if err != nil {
		return err
	}
	opts.Model = &index.Model{} // fitting reads features only
	ix, err := index.Build(ctx, b, "", opts)
	if err != nil {
		return err
	}
	defer ix.Close()
	m, err := index.Fit(ctx, ix, b.Eval, index.FitOptions{Lambda: lambda, Command: fmt.Sprintf("factbot eval --fit %s --lambda %g", file, lambda)})
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "fitted on %d dev questions (%d out of scope); answer tier from confidence %.3f, closest from relevance %.3f or confidence %.3f; wrote %s\n",
		m.Fitted.Cases, m.Fitted.OutOfScope, m.Answer, m.Closest, m.CloseConfidence, file)
	return nil
}

func printMisses(e *env, rep index.EvalReport) {
	for _, m := range rep.Misses {
		fmt.Fprintf(e.stdout, "%s:%d: [%s] %q want %s got [%s] (%s): %s\n", m.Case.Pos.File, m.Case.Pos.Line,
			m.Case.Lang, m.Case.Question, wantOf(m.Case), strings.Join(m.Got[:min(5, len(m.Got))], " "), m.Tier, m.Why)
	}
}

func wantOf(c knowledge.EvalCase) string {
	if c.OutOfScope {
		return "no answer"
	}
	return strings.Join(c.Want, "|")
}
