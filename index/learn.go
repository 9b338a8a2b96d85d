package index

import (
	"errors"
	"fmt"
	"math"
)

// The learning behind the ranking, in pure Go and small enough to read:
//
//   - a conditional logit ranker: a question's candidates compete in a
//     softmax over w·x, fitted to put the probability on the candidates
//     that answer it (the listwise form of logistic regression);
//   - a logistic regression of "the first candidate is right" on features
//     of the question's best candidates, which gives the calibrated
//     confidence behind the answer tiers.
//
// Both are fitted by Newton's method with an L2 penalty, from features that
// were standardised on the training data, so that one penalty suits every
// feature. Nothing here knows what a feature means.

// Group is one question's candidates for fitting the ranker: a row of
// features per candidate, and which candidates answer the question. A group
// with no right candidate teaches the ranker nothing and is skipped.
type Group struct {
	X     [][]float64
	Right []bool
}

// Scaler standardises features: (x − Mean) / Scale.
type Scaler struct {
	Mean  []float64 `json:"mean"`
	Scale []float64 `json:"scale"`
}

// FitScaler returns the scaler of rows; a constant feature gets scale 1.
func FitScaler(rows [][]float64) Scaler {
	if len(rows) == 0 {
		return Scaler{}
	}
	d := len(rows[0])
	s := Scaler{Mean: make([]float64, d), Scale: make([]float64, d)}
	for _, r := range rows {
		for j, v := range r {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(len(rows))
	}
	for _, r := range rows {
		for j, v := range r {
			s.Scale[j] += (v - s.Mean[j]) * (v - s.Mean[j])
		}
	}
	for j := range s.Scale {
		s.Scale[j] = math.Sqrt(s.Scale[j] / float64(len(rows)))
		if s.Scale[j] < 1e-9 {
			s.Scale[j] = 1
		}
	}
	return s
}

// Apply writes the standardised x into dst (allocated when nil) and returns it.
func (s Scaler) Apply(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(x))
	}
	for j, v := range x {
		dst[j] = (v - s.Mean[j]) / s.Scale[j]
	}
	return dst
}

func dot(w, x []float64) float64 {
	var s float64
	for j, v := range x {
		s += w[j] * v
	}
	return s
}

// FitRanker fits conditional logit weights to groups of standardised rows,
// with L2 penalty lambda. It returns the weights (no intercept: a constant
// cancels in the softmax).
func FitRanker(groups []Group, lambda float64) ([]float64, error) {
	d := 0
	for _, g := range groups {
		if len(g.X) > 0 {
			d = len(g.X[0])
			break
		}
	}
	if d == 0 {
		return nil, errors.New("fit ranker: no data")
	}
	w := make([]float64, d)
	p := make([]float64, 0, 64)
	objective := func(w []float64) float64 {
		var ll float64
		for _, g := range groups {
			if !anyRight(g.Right) {
				continue
			}
			p = softmax(p[:0], w, g.X)
			var right float64
			for i, ok := range g.Right {
				if ok {
					right += p[i]
				}
			}
			ll += math.Log(math.Max(right, 1e-300))
		}
		return ll - lambda/2*dot(w, w)
	}
	return newton(w, objective, func(w []float64, grad []float64, hess [][]float64) {
		// For a group with right set R: log Σ_{i∈R} p_i. Its gradient is
		// E_q[x] − E_p[x], q being p restricted to R; its Hessian is
		// Cov_q[x] − Cov_p[x]. Newton uses the negative definite part only,
		// −Cov_p[x] (+ Cov_q, which is 0 for one right candidate), which
		// keeps each step an ascent direction.
		mp := make([]float64, d)
		mq := make([]float64, d)
		for _, g := range groups {
			if !anyRight(g.Right) {
				continue
			}
			p = softmax(p[:0], w, g.X)
			var right float64
			for i, ok := range g.Right {
				if ok {
					right += p[i]
				}
			}
			clear(mp)
			clear(mq)
			for i, x := range g.X {
				for j, v := range x {
					mp[j] += p[i] * v
					if g.Right[i] {
						mq[j] += p[i] / right * v
					}
				}
			}
			for j := range grad {
				grad[j] += mq[j] - mp[j]
			}
			for i, x := range g.X {
				for j := range d {
					dj := x[j] - mp[j]
					for k := 0; k <= j; k++ {
						hess[j][k] -= p[i] * dj * (x[k] - mp[k])
					}
				}
			}
		}
		for j := range grad {
			grad[j] -= lambda * w[j]
			hess[j][j] -= lambda
			for k := 0; k < j; k++ {
				hess[k][j] = hess[j][k]
			}
		}
	})
}

func anyRight(r []bool) bool {
	for _, ok := range r {
		if ok {
			return true
		}
	}
	return false
}

// softmax appends to dst the softmax of w·x over rows.
func softmax(dst []float64, w []float64, rows [][]float64) []float64 {
	hi := math.Inf(-1)
	for _, x := range rows {
		s := dot(w, x)
		dst = append(dst, s)
		hi = math.Max(hi, s)
	}
	var sum float64
	for i, s := range dst {
		dst[i] = math.Exp(s - hi)
		sum += dst[i]
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}

// FitLogistic fits a logistic regression of y on standardised rows with L2
// penalty lambda (not on the intercept). The returned weights end with the
// intercept.
func FitLogistic(rows [][]float64, y []bool, lambda float64) ([]float64, error) {
	if len(rows) == 0 || len(rows) != len(y) {
		return nil, errors.New("fit logistic: no data")
	}
	d := len(rows[0]) + 1
	w := make([]float64, d)
	objective := func(w []float64) float64 {
		var ll float64
		for i, x := range rows {
			z := logit(w, x)
			if y[i] {
				ll -= softplus(-z)
			} else {
				ll -= softplus(z)
			}
		}
		return ll - lambda/2*dot(w[:d-1], w[:d-1])
	}
	return newton(w, objective, func(w []float64, grad []float64, hess [][]float64) {
		xi := make([]float64, d)
		for i, x := range rows {
			copy(xi, x)
			xi[d-1] = 1
			p := sigmoid(logit(w, x))
			t := 0.0
			if y[i] {
				t = 1
			}
			for j := range d {
				grad[j] += (t - p) * xi[j]
				for k := 0; k <= j; k++ {
					hess[j][k] -= p * (1 - p) * xi[j] * xi[k]
				}
			}
		}
		for j := range d - 1 {
			grad[j] -= lambda * w[j]
			hess[j][j] -= lambda
		}
		hess[d-1][d-1] -= 1e-9 // keeps the matrix definite for separable data
		for j := range d {
			for k := 0; k < j; k++ {
				hess[k][j] = hess[j][k]
			}
		}
	})
}

// logit is w·x + the intercept, w's last element.
func logit(w, x []float64) float64 { return dot(w[:len(x)], x) + w[len(x)] }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// softplus is log(1 + e^z) without overflow.
func softplus(z float64) float64 {
	if z > 30 {
		return z
	}
	return math.Log1p(math.Exp(z))
}

// newton maximises objective from w with damped Newton steps; derive adds
// the gradient and Hessian at w into its zeroed arguments.
func newton(w []float64, objective func([]float64) float64, derive func(w, grad []float64, hess [][]float64)) ([]float64, error) {
	d := len(w)
	grad := make([]float64, d)
	hess := make([][]float64, d)
	for j := range hess {
		hess[j] = make([]float64, d)
	}
	cur := objective(w)
	next := make([]float64, d)
	for iter := 0; iter < 100; iter++ {
		clear(grad)
		for j := range hess {
			clear(hess[j])
		}
		derive(w, grad, hess)
		// Solve (−H) step = grad.
		neg := make([][]float64, d)
		for j := range neg {
			neg[j] = make([]float64, d)
			for k := range neg[j] {
				neg[j][k] = -hess[j][k]
			}
		}
		step, err := solveSPD(neg, grad)
		if err != nil {
			return nil, fmt.Errorf("newton step %d: %w", iter, err)
		}
		// Halve the step until the objective improves.
		improved := false
		for t := 1.0; t > 1e-6; t /= 2 {
			for j := range w {
				next[j] = w[j] + t*step[j]
			}
			if v := objective(next); v >= cur {
				improved = v-cur > 1e-10*math.Max(1, math.Abs(cur))
				copy(w, next)
				cur = v
				break
			}
		}
		if !improved {
			return w, nil
		}
	}
	return w, nil
}

// solveSPD solves A x = b for a symmetric positive definite A by Cholesky.
func solveSPD(a [][]float64, b []float64) ([]float64, error) {
	n := len(b)
	l := make([][]float64, n)
	for i := range l {
		l[i] = make([]float64, n)
	}
	for i := range n {
		for j := 0; j <= i; j++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= l[i][k] * l[j][k]
			}
			if i == j {
				if s <= 0 {
					return nil, errors.New("matrix is not positive definite")
				}
				l[i][i] = math.Sqrt(s)
			} else {
				l[i][j] = s / l[j][j]
			}
		}
	}
	y := make([]float64, n)
	for i := range n {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= l[i][k] * y[k]
		}
		y[i] = s / l[i][i]
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= l[k][i] * x[k]
		}
		x[i] = s / l[i][i]
	}
	return x, nil
}
