package index

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sort"
	"time"

	"factbot/knowledge"
)

// labeled is an eval case's sample with the candidates that answer it.
type labeled struct {
	c     knowledge.EvalCase
	s     *sample
	right []bool
}

// label runs every case through candidate search and features, as Search
// does, and marks the candidates the case wants.
func (ix *Index) label(ctx context.Context, cases []knowledge.EvalCase) ([]*labeled, error) {
	out := make([]*labeled, 0, len(cases))
	for _, c := range cases {
		text := cleanQuestion(c.Question)
		qlang, _ := knowledge.Detect(text, "")
		asked := c.Asked
		if asked.IsZero() {
			asked = time.Now()
		}
		s, err := ix.sample(ctx, text, qlang, qlang, asked)
		if err != nil {
			return nil, fmt.Errorf("eval %s:%d: %w", c.Pos.File, c.Pos.Line, err)
		}
		l := &labeled{c: c, s: s, right: make([]bool, len(s.cands))}
		for i, d := range s.cands {
			l.right[i] = slices.Contains(c.Want, d.id)
		}
		out = append(out, l)
	}
	return out, nil
}

// FitOptions are the choices of a fit.
type FitOptions struct {
	// Lambda is the L2 penalty of both models (default 10, chosen by
	// cross-validation on the dev set among 0.1–100).
	Lambda float64
	// Folds is how many folds cross-fit the ranker's probabilities that
	// the confidence model learns from (default 5).
	Folds int
	// Command is recorded in the model, to say how to fit it again.
	Command string
}

func (o FitOptions) withDefaults() FitOptions {
	if o.Lambda <= 0 {
		o.Lambda = 10
	}
	if o.Folds < 2 {
		o.Folds = 5
	}
	return o
}

// Fit fits a model on cases (the dev set) over ix.
func Fit(ctx context.Context, ix *Index, cases []knowledge.EvalCase, opts FitOptions) (*Model, error) {
	ls, err := ix.label(ctx, cases)
	if err != nil {
		return nil, err
	}
	m, err := fitModel(ls, opts.withDefaults())
	if err != nil {
		return nil, err
	}
	m.Fitted.KBHash = ix.base.Hash()
	return m, nil
}

// fold assigns a case to one of k folds by its question, so that the
// folds do not change when cases are added elsewhere.
func fold(c knowledge.EvalCase, k int) int {
	h := fnv.New32a()
	h.Write([]byte(string(c.Lang) + c.Question))
	return int(h.Sum32() % uint32(k))
}

// fitModel fits the ranker on every labelled sample, the confidence model
// on cross-fitted ranker probabilities (a ranker never judges questions it
// was fitted on, so the confidence learns how sure it should be on new
// ones), and the tier thresholds on those confidences.
func fitModel(ls []*labeled, o FitOptions) (*Model, error) {
	m := &Model{Features: rankFeatures, ConfFeatures: confFeatures}
	var rows [][]float64
	for _, l := range ls {
		rows = append(rows, l.s.x...)
	}
	m.RankScaler = FitScaler(rows)
	w, err := fitRanker(ls, m.RankScaler, o.Lambda)
	if err != nil {
		return nil, err
	}
	m.RankWeights = w

	// Cross-fitted rankings: each sample ranked by a ranker fitted
	// without its fold.
	decided := make([]decision, len(ls))
	for f := 0; f < o.Folds; f++ {
		var train []*labeled
		for _, l := range ls {
			if fold(l.c, o.Folds) != f {
				train = append(train, l)
			}
		}
		fw, err := fitRanker(train, m.RankScaler, o.Lambda)
		if err != nil {
			return nil, err
		}
		fm := &Model{RankScaler: m.RankScaler, RankWeights: fw}
		for i, l := range ls {
			if fold(l.c, o.Folds) == f {
				decided[i] = fm.rank(l.s)
			}
		}
	}
	var crows [][]float64
	var cy, ry []bool
	for i, l := range ls {
		d := decided[i]
		if len(d.order) == 0 {
			continue
		}
		crows = append(crows, confRow(l.s, d))
		cy = append(cy, l.right[d.order[0]])
		ry = append(ry, inFirst3(l, d))
	}
	m.ConfScaler = FitScaler(crows)
	z := make([][]float64, len(crows))
	for i, r := range crows {
		z[i] = m.ConfScaler.Apply(nil, r)
	}
	m.ConfWeights, err = FitLogistic(z, cy, o.Lambda)
	if err != nil {
		return nil, err
	}
	m.RelWeights, err = FitLogistic(z, ry, o.Lambda)
	if err != nil {
		return nil, err
	}
	// Thresholds, from the cross-fitted confidences.
	var pts []tierPoint
	k := 0
	for i, l := range ls {
		d := decided[i]
		if len(d.order) == 0 {
			pts = append(pts, tierPoint{conf: 0, oos: l.c.OutOfScope})
			continue
		}
		c, r := sigmoid(logit(m.ConfWeights, z[k])), sigmoid(logit(m.RelWeights, z[k]))
		k++
		pts = append(pts, tierPoint{conf: c, rel: r, oos: l.c.OutOfScope, right: l.right[d.order[0]], top3: inFirst3(l, d)})
	}
	m.Answer, m.Closest, m.CloseConfidence = thresholds(pts)
	m.Fitted = FitInfo{Cases: len(ls), Lambda: o.Lambda, Command: o.Command}
	for _, l := range ls {
		if l.c.OutOfScope {
			m.Fitted.OutOfScope++
		}
	}
	return m, nil
}

func fitRanker(ls []*labeled, sc Scaler, lambda float64) ([]float64, error) {
	var groups []Group
	for _, l := range ls {
		if !anyRight(l.right) {
			continue
		}
		g := Group{Right: l.right}
		for _, x := range l.s.x {
			g.X = append(g.X, sc.Apply(nil, x))
		}
		groups = append(groups, g)
	}
	return FitRanker(groups, lambda)
}

func confRow(s *sample, d decision) []float64 { return s.confidenceInput(nil, d) }

// inFirst3 reports whether one of d's first three candidates is right.
func inFirst3(l *labeled, d decision) bool {
	for _, j := range d.order[:min(3, len(d.order))] {
		if l.right[j] {
			return true
		}
	}
	return false
}

// tierPoint is one question's cross-fitted confidence, relevance and
// outcome.
type tierPoint struct {
	conf, rel        float64
	oos, right, top3 bool
}

// Costs that set the tier thresholds: a wrong confident answer (to an
// out-of-scope question, or the wrong fact) costs wrongAnswer right ones;
// the "closest" tier must keep keepClosest of the questions whose answer is
// among the first three by relevance, and keepCloseConf of them by
// confidence.
const (
	wrongAnswer   = 3.0
	keepClosest   = 0.995
	keepCloseConf = 0.99
	maxOOSAnswer  = 0.05 // at most this share of out-of-scope questions answered
)

// thresholds picks the answer threshold that maximises right answers less
// wrongAnswer × wrong ones, answering at most maxOOSAnswer of the
// out-of-scope questions; and the closest thresholds, of relevance and of
// confidence, that each keep their share of the questions whose answer is
// in the first three. Either one puts a question in the closest tier: the
// relevance tells out-of-scope questions apart better on the dev set, the
// confidence keeps a small base's plain questions from going unanswered.
func thresholds(pts []tierPoint) (answer, closest, closeConf float64) {
	sort.Slice(pts, func(i, j int) bool { return pts[i].conf > pts[j].conf })
	oos := 0
	for _, p := range pts {
		if p.oos {
			oos++
		}
	}
	best, score, oosAbove := 1.0, 0.0, 0
	bestScore := math.Inf(-1)
	for i, p := range pts {
		switch {
		case p.oos:
			score -= wrongAnswer
			oosAbove++
		case p.right:
			score++
		default:
			score -= wrongAnswer
		}
		if i+1 < len(pts) && pts[i+1].conf == p.conf {
			continue // a threshold cannot split equal confidences
		}
		if float64(oosAbove) <= maxOOSAnswer*float64(oos) && score > bestScore {
			bestScore, best = score, p.conf
		}
	}
	var rel, conf []float64
	for _, p := range pts {
		if !p.oos && p.top3 {
			rel, conf = append(rel, p.rel), append(conf, p.conf)
		}
	}
	return best, quantile(rel, 1-keepClosest), min(quantile(conf, 1-keepCloseConf), best)
}

// quantile returns the q-quantile of xs (sorting them), 0 for none.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	return xs[int(float64(len(xs))*q)]
}
