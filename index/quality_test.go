package index

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"factbot/knowledge"
)

// TestQualityGate holds the blind set to QualityFloor: questions written by
// someone who saw neither the search nor the base's texts, on which nothing
// was fitted or tuned.
func TestQualityGate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the curated base")
	}
	b := curated(t)
	ix := mustBuild(t, b, "")
	rep, err := Evaluate(context.Background(), ix, b.Blind)
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	rep.Print(&table)
	t.Logf("blind set, %d questions:\n%s", len(b.Blind), table.String())
	for _, l := range knowledge.Langs {
		s := rep.Langs[l]
		if s.Cases < 60 {
			t.Errorf("%s: %d blind questions, want at least 60", l, s.Cases)
		}
		if s.Recall1() < QualityFloor.Recall1[l] {
			t.Errorf("%s: recall@1 = %.3f, want ≥ %.2f", l, s.Recall1(), QualityFloor.Recall1[l])
		}
		if s.Recall3() < QualityFloor.Recall3[l] {
			t.Errorf("%s: recall@3 = %.3f, want ≥ %.2f", l, s.Recall3(), QualityFloor.Recall3[l])
		}
		if s.Recall20() < QualityFloor.Recall20[l] {
			t.Errorf("%s: recall@20 of the candidates = %.3f, want ≥ %.2f", l, s.Recall20(), QualityFloor.Recall20[l])
		}
	}
	if rep.OutOfScope < 60 {
		t.Errorf("%d out-of-scope blind questions, want at least 60", rep.OutOfScope)
	}
	if rep.Abstention() < QualityFloor.Abstention {
		t.Errorf("abstention = %.3f, want ≥ %.2f", rep.Abstention(), QualityFloor.Abstention)
	}
	// The misses are not listed: reading the blind set's misses would tune
	// the search to it. Use the dev set (factbot eval -v --set dev).
}

// factbot beats the plain full-text baseline (one field holding every
// language, an OR of the question's words, BM25) in every language of the
// blind set: a higher recall@1 and recall@3 (unless both find every
// answer: 1.000 cannot be beaten), and a higher abstention. (On the seventh
// blind set the two tied in Chinese recall@3, 91 of 92 each, and the test
// asked for a recall@3 no lower while that set was the gate; on the eighth
// factbot's is higher everywhere.)
func TestBeatsBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the curated base")
	}
	b := curated(t)
	ctx := context.Background()
	ours, err := Evaluate(ctx, mustBuild(t, b, ""), b.Blind)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := Evaluate(ctx, newBaseline(t, b), b.Blind)
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-5s %18s %18s\n", "lang", "recall@1 us/base", "recall@3 us/base")
	for _, l := range knowledge.Langs {
		o, th := ours.Langs[l], theirs.Langs[l]
		fmt.Fprintf(&table, "%-5s %8.3f / %.3f %8.3f / %.3f\n", l, o.Recall1(), th.Recall1(), o.Recall3(), th.Recall3())
		if o.Recall1() <= th.Recall1() || o.Recall3() <= th.Recall3() && o.Recall3() < 1 {
			t.Errorf("%s: factbot recall@1 %.3f, @3 %.3f does not beat the baseline's %.3f, %.3f",
				l, o.Recall1(), o.Recall3(), th.Recall1(), th.Recall3())
		}
	}
	fmt.Fprintf(&table, "abstention %.3f / %.3f\n", ours.Abstention(), theirs.Abstention())
	t.Logf("blind set, factbot against the one-field BM25 baseline:\n%s", table.String())
	if ours.Abstention() <= theirs.Abstention() {
		t.Errorf("abstention %.3f does not beat the baseline's %.3f", ours.Abstention(), theirs.Abstention())
	}
}
