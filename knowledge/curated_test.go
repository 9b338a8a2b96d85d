package knowledge

import (
	"strings"
	"testing"
)

// The embedded base is valid and complete enough to serve: every topic has
// facts, and every fact, figure and source is well formed (Load checks that).
func TestCuratedBase(t *testing.T) {
	b, err := Load(Curated())
	if err != nil {
		t.Fatalf("the embedded knowledge base has problems:\n%v", err)
	}
	perTopic := map[string]int{}
	for _, f := range b.Facts {
		perTopic[f.Topic]++
		if strings.HasPrefix(f.Confidence, "disagree") && len(f.Disagreement) == 0 {
			t.Errorf("%s:%d: fact %q: sources disagree but the fact does not say why", f.Pos.File, f.Pos.Line, f.ID)
		}
	}
	for _, tp := range Topics {
		if perTopic[tp.ID] == 0 {
			t.Errorf("topic %q has no facts", tp.ID)
		}
	}
	t.Logf("%d facts, %d documents, %d passages, %d aliases, %d eval cases", len(b.Facts), len(b.Documents), len(b.Passages()), len(b.Aliases), len(b.Eval))
}
