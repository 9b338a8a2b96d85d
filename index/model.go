package index

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"factbot/knowledge"
)

// Model is the fitted ranking and confidence: the weights of the
// conditional logit that orders a question's candidates, those of the
// logistic regression that says how likely the first is right, those of
// the one that says how likely one of the first three is right (the
// relevance), and the thresholds of the answer tiers. `factbot eval --fit` fits it on
// the dev eval set and writes model.json, which is embedded here.
type Model struct {
	Features     []string  `json:"features"`
	RankScaler   Scaler    `json:"rank_scaler"`
	RankWeights  []float64 `json:"rank_weights"`
	ConfFeatures []string  `json:"conf_features"`
	ConfScaler   Scaler    `json:"conf_scaler"`
	ConfWeights  []float64 `json:"conf_weights"` // the last is the intercept
	// RelWeights read the same features as ConfWeights, for the
	// probability that one of the first three candidates is right.
	RelWeights []float64 `json:"rel_weights"`
	// Answer is the confidence from which the first candidate is given as
	// the answer; Closest the relevance, and CloseConfidence the
	// confidence, from either of which the first candidates are shown as
	// the closest facts. Below both: no answer.
	Answer          float64 `json:"answer"`
	Closest         float64 `json:"closest"`
	CloseConfidence float64 `json:"close_confidence"`
	// Fitted says on what, for the record.
	Fitted FitInfo `json:"fitted"`
}

// FitInfo records what a model was fitted on.
type FitInfo struct {
	Cases      int     `json:"cases"`        // eval cases
	OutOfScope int     `json:"out_of_scope"` // of which out of scope
	KBHash     string  `json:"knowledge"`    // the base's content hash
	Lambda     float64 `json:"lambda"`
	Command    string  `json:"command"`
}

//go:embed model.json
var modelJSON []byte

// DefaultModel returns the model that ships with factbot.
func DefaultModel() (*Model, error) { return ParseModel(modelJSON) }

// ParseModel reads a model file, refusing one fitted on other features.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Model) check() error {
	if !slices.Equal(m.Features, rankFeatures) || len(m.RankWeights) != len(rankFeatures) ||
		len(m.RankScaler.Mean) != len(rankFeatures) {
		return fmt.Errorf("model: fitted on features %v, this factbot has %v: run factbot eval --fit", m.Features, rankFeatures)
	}
	if !slices.Equal(m.ConfFeatures, confFeatures) || len(m.ConfWeights) != len(confFeatures)+1 ||
		len(m.RelWeights) != len(confFeatures)+1 ||
		len(m.ConfScaler.Mean) != len(confFeatures) {
		return fmt.Errorf("model: confidence fitted on %v, this factbot has %v: run factbot eval --fit", m.ConfFeatures, confFeatures)
	}
	return nil
}

// decision is what the model makes of one sample.
type decision struct {
	order      []int     // candidates, best first
	prob       []float64 // each candidate's probability of being the answer
	confidence float64   // that order[0] is right
	relevance  float64   // that one of the first three is right
	tier       knowledge.Tier
}

// rank orders a sample's candidates by the ranker: the order and each
// one's probability, without the confidence (decide adds it).
func (m *Model) rank(s *sample) decision {
	n := len(s.cands)
	d := decision{order: make([]int, n), prob: make([]float64, n)}
	if n == 0 {
		return d
	}
	z := make([]float64, nFeatures)
	hi := math.Inf(-1)
	for i, x := range s.x {
		d.prob[i] = dot(m.RankWeights, m.RankScaler.Apply(z, x))
		hi = math.Max(hi, d.prob[i])
	}
	var sum float64
	for i := range d.prob {
		d.prob[i] = math.Exp(d.prob[i] - hi)
		sum += d.prob[i]
	}
	for i := range d.order {
		d.prob[i] /= sum
		d.order[i] = i
	}
	// Ties (equal features) keep Bleve's order, which is the input order.
	sort.SliceStable(d.order, func(a, b int) bool { return d.prob[d.order[a]] > d.prob[d.order[b]] })
	return d
}

// decide ranks a sample's candidates and sets its tier.
func (m *Model) decide(s *sample) decision {
	d := m.rank(s)
	n := len(d.order)
	if n == 0 {
		d.tier = knowledge.TierNone
		return d
	}
	c := s.confidenceInput(make([]float64, 0, len(confFeatures)), d)
	z := m.ConfScaler.Apply(nil, c)
	d.confidence = sigmoid(logit(m.ConfWeights, z))
	d.relevance = sigmoid(logit(m.RelWeights, z))
	switch {
	case d.confidence >= m.Answer:
		d.tier = knowledge.TierAnswer
	case d.relevance >= m.Closest, d.confidence >= m.CloseConfidence:
		d.tier = knowledge.TierClosest
	default:
		d.tier = knowledge.TierNone
	}
	return d
}

// Explain writes how the model ranked a question's first candidates: each
// one's probability and the features that moved it most, for curators
// asking why an answer came first.
func (ix *Index) Explain(ctx context.Context, q knowledge.Query, w io.Writer) error {
	text := cleanQuestion(q.Text)
	asked := q.Asked
	if asked.IsZero() {
		asked = time.Now()
	}
	lang, _ := knowledge.Detect(text, q.Hint)
	s, err := ix.sample(ctx, text, lang, lang, asked)
	if err != nil {
		return err
	}
	in := s.q.intent
	fmt.Fprintf(w, "question %q (%s), asked %s\nmeasures %v, entities %v (%d distinctive), period %+v, kind %s\n",
		text, lang, asked.Format(time.DateOnly), in.Measures, in.Entities, len(s.q.entities), s.q.period, in.Kind)
	if len(s.cands) == 0 {
		fmt.Fprintln(w, "no candidates")
		return nil
	}
	d := ix.model.decide(s)
	fmt.Fprintf(w, "tier %s, confidence %.3f (answer from %.3f, closest from %.3f), relevance %.3f (closest from %.3f)\n",
		d.tier, d.confidence, ix.model.Answer, ix.model.CloseConfidence, d.relevance, ix.model.Closest)
	c := s.confidenceInput(nil, d)
	fmt.Fprintf(w, "confidence from  %s\n", contributions(confFeatures, c, ix.model.ConfScaler.Apply(nil, c), ix.model.ConfWeights, 8))
	fmt.Fprintf(w, "relevance from   %s\n", contributions(confFeatures, c, ix.model.ConfScaler.Apply(nil, c), ix.model.RelWeights, 8))
	z := make([]float64, nFeatures)
	for r, i := range d.order[:min(8, len(d.order))] {
		ix.model.RankScaler.Apply(z, s.x[i])
		fmt.Fprintf(w, "%d. %s p=%.3f  %s\n", r+1, s.cands[i].id, d.prob[i], contributions(rankFeatures, s.x[i], z, ix.model.RankWeights, 6))
	}
	return nil
}

// contributions lists the k features that moved a linear model's score
// most: each one's value and, in brackets, its weight times its scaled
// value.
func contributions(names []string, x, scaled, weights []float64, k int) string {
	type contrib struct {
		name string
		x, c float64
	}
	cs := make([]contrib, len(scaled))
	for j, v := range scaled {
		cs[j] = contrib{names[j], x[j], weights[j] * v}
	}
	sort.SliceStable(cs, func(a, b int) bool { return math.Abs(cs[a].c) > math.Abs(cs[b].c) })
	var parts []string
	for _, c := range cs[:min(k, len(cs))] {
		parts = append(parts, fmt.Sprintf("%s=%.2f(%+.2f)", c.name, c.x, c.c))
	}
	return strings.Join(parts, " ")
}
