package index

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"factbot/knowledge"
)

// Searcher is anything that answers a knowledge.Query, such as Index or Live.
type Searcher interface {
	Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error)
}

// LangStats are the retrieval metrics for one language's in-scope questions.
// A question counts as found at k when the reply shows hits (the answer or
// the closest-facts tier) and a wanted id is among the first k.
type LangStats struct {
	Cases          int
	Hit1, Hit3     int
	ReciprocalRank float64 // sum over cases
	Detected       int     // questions whose language was detected right
	Found20        int     // a wanted id among the first 20 candidates, whatever the tier
	// Answered counts the answer tier, AnsweredRight those whose first hit
	// is wanted; Closest and None the other tiers.
	Answered, AnsweredRight, Closest, None int
	// Trend counts the cases that ask for a series (kind: trend), SeriesOK
	// those whose series are right (see checkSeries), and NoTrend those
	// for which the base holds no series of two points in the years asked,
	// so that the right answer is a value and no series.
	Trend, SeriesOK, NoTrend int
}

// Recall1, Recall3 and MRR are the usual retrieval metrics.
func (s LangStats) Recall1() float64 { return ratio(s.Hit1, s.Cases) }
func (s LangStats) Recall3() float64 { return ratio(s.Hit3, s.Cases) }
func (s LangStats) MRR() float64 {
	if s.Cases == 0 {
		return 0
	}
	return s.ReciprocalRank / float64(s.Cases)
}

// Recall20 is the candidate set's recall: a wanted id among the first 20.
func (s LangStats) Recall20() float64 { return ratio(s.Found20, s.Cases) }

// Precision is the share of confident answers whose first hit is right.
func (s LangStats) Precision() float64 { return ratio(s.AnsweredRight, s.Answered) }

// EvalMiss is one case the searcher got wrong, for curators.
type EvalMiss struct {
	Case knowledge.EvalCase
	Got  []string // hit ids, best first
	Tier knowledge.Tier
	Why  string
}

// EvalReport is the outcome of running an eval set.
type EvalReport struct {
	Langs map[knowledge.Lang]*LangStats
	// OutOfScope counts out-of-scope questions; Abstained those that got no
	// confident answer, Silent those that got no answer at all.
	OutOfScope, Abstained, Silent int
	// Calibration bins the confidence of every question's first hit by
	// tenths: how many there were and how many were right.
	Calibration [10]struct {
		N, Right int
		Conf     float64
	}
	Misses []EvalMiss
}

// Abstention is the share of out-of-scope questions that got no confident answer.
func (r EvalReport) Abstention() float64 { return ratio(r.Abstained, r.OutOfScope) }

// ECE is the expected calibration error of the confidence: the mean gap,
// weighted by questions, between the confidence and the share right.
func (r EvalReport) ECE() float64 {
	var n, gap float64
	for _, b := range r.Calibration {
		if b.N == 0 {
			continue
		}
		n += float64(b.N)
		gap += math.Abs(b.Conf - float64(b.Right)) // sums: |Σconf − Σright|
	}
	if n == 0 {
		return 0
	}
	return gap / n
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func newReport() EvalReport {
	r := EvalReport{Langs: map[knowledge.Lang]*LangStats{}}
	for _, l := range knowledge.Langs {
		r.Langs[l] = &LangStats{}
	}
	return r
}

// add counts one case's outcome: the hit ids best first (up to 20), the
// tier, the confidence and the detected language.
func (r *EvalReport) add(c knowledge.EvalCase, got []string, tier knowledge.Tier, conf float64, lang knowledge.Lang, why string) {
	if len(got) > 0 {
		b := &r.Calibration[min(int(conf*10), 9)]
		b.N++
		b.Conf += conf
		if slices.Contains(c.Want, got[0]) && !c.OutOfScope {
			b.Right++
		}
	}
	if c.OutOfScope {
		r.OutOfScope++
		switch tier {
		case knowledge.TierAnswer:
			r.Misses = append(r.Misses, EvalMiss{c, got, tier, "answered an out-of-scope question"})
		case knowledge.TierNone:
			r.Abstained++
			r.Silent++
		default:
			r.Abstained++
		}
		return
	}
	st := r.Langs[c.Lang]
	if st == nil {
		return
	}
	st.Cases++
	if lang == c.Lang {
		st.Detected++
	}
	rank := 0
	for i, id := range got {
		if slices.Contains(c.Want, id) {
			rank = i + 1
			break
		}
	}
	if rank > 0 {
		st.Found20++
	}
	switch tier {
	case knowledge.TierAnswer:
		st.Answered++
		if rank == 1 {
			st.AnsweredRight++
		}
	case knowledge.TierClosest:
		st.Closest++
	default:
		st.None++
		r.Misses = append(r.Misses, EvalMiss{c, got, tier, "no answer: " + why})
		return
	}
	switch {
	case rank == 0:
		r.Misses = append(r.Misses, EvalMiss{c, got, tier, "wanted id not in the hits"})
	case rank > 1:
		r.Misses = append(r.Misses, EvalMiss{c, got, tier, fmt.Sprintf("wanted id at rank %d", rank)})
	}
	if rank == 1 {
		st.Hit1++
	}
	if rank >= 1 && rank <= 3 {
		st.Hit3++
	}
	if rank > 0 {
		st.ReciprocalRank += 1 / float64(rank)
	}
}

// addSeries judges the series a trend case got (see checkSeries).
func (r *EvalReport) addSeries(b *knowledge.Base, c knowledge.EvalCase, got []knowledge.Series, gotIDs []string, tier knowledge.Tier) {
	if c.Kind != "trend" || c.Series == nil || b == nil {
		return
	}
	st := r.Langs[c.Lang]
	if st == nil {
		return
	}
	st.Trend++
	ok, none, why := checkSeries(b, *c.Series, got)
	if none {
		st.NoTrend++
	}
	if ok {
		st.SeriesOK++
		return
	}
	r.Misses = append(r.Misses, EvalMiss{c, gotIDs, tier, "series: " + why})
}

// checkSeries judges the series of a trend question against what it asks
// for: when the base holds a trend of the measure in the years asked (a
// series with two points there), at least one series, each of the right
// measure, each from one counting body (or one by), together spanning the
// earliest to the latest year the base has points for in the range. When
// the base holds none, no series at all: the question is answered as a
// value. none reports that the base holds none.
func checkSeries(b *knowledge.Base, want knowledge.SeriesWant, got []knowledge.Series) (ok, none bool, why string) {
	expect := b.SeriesAnswer(knowledge.Intent{Kind: knowledge.AskTrend, Measures: []string{want.Measure}},
		knowledge.Period{Kind: knowledge.PeriodRange, From: want.From, To: want.To})
	if len(expect) == 0 {
		if len(got) > 0 {
			return false, true, fmt.Sprintf("the base holds no %s trend in %d–%d, got %d series", want.Measure, want.From, want.To, len(got))
		}
		return true, true, ""
	}
	if len(got) == 0 {
		return false, false, fmt.Sprintf("no series; want %s %d–%d", want.Measure, want.From, want.To)
	}
	for _, s := range got {
		if s.Measure != want.Measure {
			return false, false, fmt.Sprintf("series of %s, want %s", s.Measure, want.Measure)
		}
		if !s.OneCounter() {
			return false, false, fmt.Sprintf("series %q mixes counting bodies", s.By)
		}
	}
	lo, hi := yearSpan(expect)
	glo, ghi := yearSpan(got)
	if glo != lo || ghi != hi {
		return false, false, fmt.Sprintf("points span %d–%d, the base has %d–%d in %d–%d", glo, ghi, lo, hi, want.From, want.To)
	}
	return true, false, ""
}

// yearSpan is the first and last year of any point of the series.
func yearSpan(ss []knowledge.Series) (lo, hi int) {
	for _, s := range ss {
		for _, p := range s.Points {
			if lo == 0 || p.Year < lo {
				lo = p.Year
			}
			hi = max(hi, p.Year)
		}
	}
	return lo, hi
}

// Evaluate runs every case against s, as the bot asks: the language
// detected, the day asked the case's (today when it has none). The series
// of trend cases are judged when s has a Base (Index and Live do).
func Evaluate(ctx context.Context, s Searcher, cases []knowledge.EvalCase) (EvalReport, error) {
	r := newReport()
	var b *knowledge.Base
	if bs, ok := s.(interface{ Base() *knowledge.Base }); ok {
		b = bs.Base()
	}
	for _, c := range cases {
		res, err := s.Search(ctx, knowledge.Query{Text: c.Question, Size: 20, Asked: c.Asked})
		if err != nil {
			return r, fmt.Errorf("eval %s:%d: %w", c.Pos.File, c.Pos.Line, err)
		}
		r.add(c, idsOf(res.Hits), res.Tier, res.Confidence, res.Lang, res.Why)
		r.addSeries(b, c, res.Series, idsOf(res.Hits), res.Tier)
	}
	return r, nil
}

// CrossValidate judges the model fitting on cases by k-fold
// cross-validation: each fold's cases are answered by a model fitted on the
// other folds, so that no number comes from a question the model was
// fitted on.
func CrossValidate(ctx context.Context, ix *Index, cases []knowledge.EvalCase, k int, opts FitOptions) (EvalReport, error) {
	opts = opts.withDefaults()
	ls, err := ix.label(ctx, cases)
	if err != nil {
		return EvalReport{}, err
	}
	r := newReport()
	for f := 0; f < k; f++ {
		var train, test []*labeled
		for _, l := range ls {
			if fold(l.c, k) == f {
				test = append(test, l)
			} else {
				train = append(train, l)
			}
		}
		m, err := fitModel(train, opts)
		if err != nil {
			return r, fmt.Errorf("fold %d: %w", f, err)
		}
		for _, l := range test {
			d := m.decide(l.s)
			order, series, tier := ix.present(l.s, d)
			var got []string
			for _, di := range order[:min(20, len(order))] {
				got = append(got, di.id)
			}
			lang, _ := knowledge.Detect(cleanQuestion(l.c.Question), "")
			r.add(l.c, got, tier, d.confidence, lang, "low confidence")
			r.addSeries(ix.base, l.c, series, got, tier)
		}
	}
	return r, nil
}

// QualityFloor is what the blind set must reach (TestQualityGate, factbot
// eval). A question counts as found at k when the reply shows hits (the
// answer, or the closest facts) and a wanted id is among the first k;
// abstention is the share of out-of-scope questions that get no confident
// answer; recall@20 is the share whose answer is among the candidates.
//
// The floor is recall@1 ≥ 0.85, recall@3 ≥ 0.95 and recall@20 ≥ 0.99 in
// every language and abstention ≥ 0.92 (see README, "Search quality").
// Each blind set is measured once; the third fell short in Chinese
// recall@3 (0.943), the fourth in Russian recall@3 (0.935), the fifth in
// abstention (0.880), the sixth and the seventh in Kazakh recall@3
// (0.946), the ninth in French recall@3 (0.947) and Chinese recall@20
// (0.989); the eighth and the tenth met it everywhere. (French recall@3
// was held to 0.94 while the ninth set was the gate.)
var QualityFloor = struct {
	Recall1, Recall3, Recall20 map[knowledge.Lang]float64
	Abstention                 float64
}{
	Recall1:    map[knowledge.Lang]float64{knowledge.EN: 0.85, knowledge.RU: 0.85, knowledge.KK: 0.85, knowledge.ZH: 0.85, knowledge.FR: 0.85},
	Recall3:    map[knowledge.Lang]float64{knowledge.EN: 0.95, knowledge.RU: 0.95, knowledge.KK: 0.95, knowledge.ZH: 0.95, knowledge.FR: 0.95},
	Recall20:   map[knowledge.Lang]float64{knowledge.EN: 0.99, knowledge.RU: 0.99, knowledge.KK: 0.99, knowledge.ZH: 0.99, knowledge.FR: 0.99},
	Abstention: 0.92,
}

// seriesOK writes "ok/trend" for the eval table, "-" with no trend case.
func seriesOK(s *LangStats) string {
	if s.Trend == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d", s.SeriesOK, s.Trend)
}

func idsOf(hs []knowledge.Hit) []string {
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	return ids
}

// Print writes the report as a table: per language recall@1, recall@3,
// MRR, the candidates' recall@20, the tiers and the precision of confident
// answers; then abstention and calibration.
func (r EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%-5s %6s %9s %9s %7s %10s %7s %7s %5s %9s %9s %6s %9s\n",
		"lang", "cases", "recall@1", "recall@3", "MRR", "recall@20", "answer", "closest", "none", "precision", "detected", "trend", "series ok")
	for _, l := range knowledge.Langs {
		s := r.Langs[l]
		fmt.Fprintf(w, "%-5s %6d %9.3f %9.3f %7.3f %10.3f %7d %7d %5d %9.3f %9.3f %6d %9s\n", l, s.Cases, s.Recall1(), s.Recall3(), s.MRR(),
			s.Recall20(), s.Answered, s.Closest, s.None, s.Precision(), ratio(s.Detected, s.Cases), s.Trend, seriesOK(s))
	}
	var trend, ok, none int
	for _, l := range knowledge.Langs {
		trend, ok, none = trend+r.Langs[l].Trend, ok+r.Langs[l].SeriesOK, none+r.Langs[l].NoTrend
	}
	if trend > 0 {
		fmt.Fprintf(w, "series of trend questions: %d of %d right; for %d the base holds no series of two points in the years asked (right: none, answered as a value)\n",
			ok, trend, none)
	}
	fmt.Fprintf(w, "abstention on out-of-scope questions: %.3f (%d of %d got no confident answer; %d no answer at all)\n",
		r.Abstention(), r.Abstained, r.OutOfScope, r.Silent)
	var cal []string
	for i, b := range r.Calibration {
		if b.N > 0 {
			cal = append(cal, fmt.Sprintf("%.1f–%.1f: %.2f/%.2f (%d)", float64(i)/10, float64(i+1)/10, b.Conf/float64(b.N), ratio(b.Right, b.N), b.N))
		}
	}
	fmt.Fprintf(w, "calibration (confidence/right, n): %s; ECE %.3f\n", strings.Join(cal, ", "), r.ECE())
}

var _ = time.Now
