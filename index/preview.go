package index

import (
	"context"
	"fmt"

	"factbot/knowledge"
	"factbot/knowledge/curate"
)

// PreviewEval computes the eval numbers of a preview: BaseEval of the base
// served and of the candidate, each on its own eval cases, and QualityFloor
// for the blind set. On the curated base it takes a few seconds (two index
// builds, two runs of the dev and blind sets); a caller that previews many
// uploads against one served base may keep that side's numbers, by its
// Hash, and call BaseEval for the candidate alone.
func PreviewEval(ctx context.Context, old, new *knowledge.Base, opts Options) (*curate.EvalChange, error) {
	e := &curate.EvalChange{Floor: Floor()}
	var err error
	if e.Before, e.BlindBefore, err = BaseEval(ctx, old, opts); err != nil {
		return nil, fmt.Errorf("preview eval of the version served: %w", err)
	}
	if e.After, e.BlindAfter, err = BaseEval(ctx, new, opts); err != nil {
		return nil, fmt.Errorf("preview eval of the new version: %w", err)
	}
	return e, nil
}

// BaseEval builds a throwaway in-memory index of b and runs b's dev eval
// cases on it, and its blind cases when it has any (blind is nil when it
// has none).
func BaseEval(ctx context.Context, b *knowledge.Base, opts Options) (dev curate.EvalNumbers, blind *curate.EvalNumbers, err error) {
	ix, err := Build(ctx, b, "", opts)
	if err != nil {
		return dev, nil, err
	}
	defer ix.Close()
	if dev, err = EvalNumbers(ctx, ix, b.Eval); err != nil {
		return dev, nil, err
	}
	if len(b.Blind) > 0 {
		n, err := EvalNumbers(ctx, ix, b.Blind)
		if err != nil {
			return dev, nil, err
		}
		blind = &n
	}
	return dev, blind, nil
}

// EvalNumbers runs cases on s and returns the numbers a preview shows.
func EvalNumbers(ctx context.Context, s Searcher, cases []knowledge.EvalCase) (curate.EvalNumbers, error) {
	r, err := Evaluate(ctx, s, cases)
	if err != nil {
		return curate.EvalNumbers{}, err
	}
	n := curate.EvalNumbers{
		Cases:      map[knowledge.Lang]int{},
		Recall1:    map[knowledge.Lang]float64{},
		Recall3:    map[knowledge.Lang]float64{},
		Recall20:   map[knowledge.Lang]float64{},
		OutOfScope: r.OutOfScope,
		Abstention: r.Abstention(),
	}
	for l, st := range r.Langs {
		n.Cases[l], n.Recall1[l], n.Recall3[l], n.Recall20[l] = st.Cases, st.Recall1(), st.Recall3(), st.Recall20()
	}
	return n, nil
}

// Floor is QualityFloor as a preview reads it.
func Floor() curate.Floor {
	return curate.Floor{Recall1: QualityFloor.Recall1, Recall3: QualityFloor.Recall3, Recall20: QualityFloor.Recall20, Abstention: QualityFloor.Abstention}
}
