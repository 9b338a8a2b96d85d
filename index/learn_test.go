package index

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The ranker recovers the weights that generated which candidate was right.
func TestFitRankerRecoversWeights(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	want := []float64{2, -1, 0.5}
	var groups []Group
	for range 3000 {
		g := Group{}
		for range 8 {
			g.X = append(g.X, []float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()})
		}
		p := softmax(nil, want, g.X)
		u, pick := rng.Float64(), 0
		for i, acc := 0, 0.0; i < len(p); i++ {
			if acc += p[i]; u <= acc {
				pick = i
				break
			}
		}
		g.Right = make([]bool, len(g.X))
		g.Right[pick] = true
		groups = append(groups, g)
	}
	groups = append(groups, Group{X: [][]float64{{1, 1, 1}}, Right: []bool{false}}) // no right candidate: skipped
	w, err := FitRanker(groups, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	for j := range want {
		if math.Abs(w[j]-want[j]) > 0.15 {
			t.Errorf("FitRanker weights = %.3f, want about %v", w, want)
			break
		}
	}
}

// Logistic regression recovers its weights and intercept, and its
// probabilities are calibrated: in each bin the mean prediction is close
// to the share of positives.
func TestFitLogisticRecoversWeightsAndCalibrates(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	want := []float64{1.5, -2, 0.7} // last: intercept
	var rows [][]float64
	var y []bool
	for range 20000 {
		x := []float64{rng.NormFloat64(), rng.NormFloat64()}
		rows = append(rows, x)
		y = append(y, rng.Float64() < sigmoid(logit(want, x)))
	}
	w, err := FitLogistic(rows, y, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	for j := range want {
		if math.Abs(w[j]-want[j]) > 0.1 {
			t.Errorf("FitLogistic weights = %.3f, want about %v", w, want)
			break
		}
	}
	var bins [5]struct{ p, pos, n float64 }
	for i, x := range rows {
		p := sigmoid(logit(w, x))
		b := min(int(p*5), 4)
		bins[b].p += p
		bins[b].n++
		if y[i] {
			bins[b].pos++
		}
	}
	for i, b := range bins {
		if b.n > 200 && math.Abs(b.p/b.n-b.pos/b.n) > 0.03 {
			t.Errorf("bin %d: mean prediction %.3f, share of positives %.3f", i, b.p/b.n, b.pos/b.n)
		}
	}
}

// Separable data does not make the fit diverge: the penalty keeps the
// weights finite.
func TestFitLogisticSeparable(t *testing.T) {
	rows := [][]float64{{-2}, {-1}, {1}, {2}}
	w, err := FitLogistic(rows, []bool{false, false, true, true}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if math.IsNaN(w[0]) || math.IsInf(w[0], 0) || w[0] <= 0 {
		t.Errorf("weights %v", w)
	}
}

func TestScaler(t *testing.T) {
	s := FitScaler([][]float64{{1, 5}, {3, 5}})
	got := s.Apply(nil, []float64{3, 5})
	if got[0] != 1 || got[1] != 0 {
		t.Errorf("Apply = %v, want [1 0]", got)
	}
}
