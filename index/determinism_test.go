package index

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

// Two builds of one base give every dev question the same candidates, in
// the same order, with the same features, and the same fitted model. Bleve
// numbers a batch's documents in the order their analysis finishes, so the
// two indexes number them differently; the candidates must not depend on
// it (see candidateHits), or eval's numbers would change from run to run.
func TestEvalDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the curated base twice")
	}
	b := curated(t)
	ctx := context.Background()
	var err error
	var runs [2][]*labeled
	var models [2]*Model
	for i := range runs {
		ix := mustBuild(t, b, "")
		if runs[i], err = ix.label(ctx, b.Eval); err != nil {
			t.Fatal(err)
		}
		if models[i], err = fitModel(runs[i], FitOptions{}.withDefaults()); err != nil {
			t.Fatal(err)
		}
	}
	bad := 0
	for j, l := range runs[0] {
		m := runs[1][j]
		a, c := ids(l.s.cands), ids(m.s.cands)
		switch {
		case !slices.Equal(a, c):
			t.Errorf("%s:%d %q: candidates differ between two builds:\n%v\n%v", l.c.Pos.File, l.c.Pos.Line, l.c.Question, a, c)
		case !reflect.DeepEqual(l.s.x, m.s.x):
			t.Errorf("%s:%d %q: features differ between two builds", l.c.Pos.File, l.c.Pos.Line, l.c.Question)
		default:
			continue
		}
		if bad++; bad == 5 {
			t.Fatal("…")
		}
	}
	if !reflect.DeepEqual(models[0], models[1]) {
		t.Errorf("two fits on the same dev set differ:\n%+v\n%+v", models[0], models[1])
	}
}

func ids(ds []*docInfo) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.id
	}
	return out
}
