package index

import (
	"context"
	"fmt"
	"io"
	"slices"

	"factbot/knowledge"
)

// Searcher is anything that answers a knowledge.Query, such as Index or Live.
type Searcher interface {
	Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error)
}

// LangStats are the retrieval metrics for one language's in-scope questions.
// A question counts as found at k only when the bot answered and a wanted id
// is among the first k hits.
type LangStats struct {
	Cases          int
	Hit1, Hit3     int
	ReciprocalRank float64 // sum over cases
	Detected       int     // questions whose language was detected right
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

// EvalMiss is one case the searcher got wrong, for curators.
type EvalMiss struct {
	Case knowledge.EvalCase
	Got  []string // hit ids, best first; empty if not answered
	Why  string
}

// EvalReport is the outcome of running the eval set.
type EvalReport struct {
	Langs map[knowledge.Lang]*LangStats
	// OutOfScope counts out-of-scope questions; Abstained those that got no answer.
	OutOfScope, Abstained int
	Misses                []EvalMiss
}

// Abstention is the share of out-of-scope questions that got no answer.
func (r EvalReport) Abstention() float64 { return ratio(r.Abstained, r.OutOfScope) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Evaluate runs every case against s, detecting each question's language as
// the bot would.
func Evaluate(ctx context.Context, s Searcher, cases []knowledge.EvalCase) (EvalReport, error) {
	r := EvalReport{Langs: map[knowledge.Lang]*LangStats{}}
	for _, l := range knowledge.Langs {
		r.Langs[l] = &LangStats{}
	}
	for _, c := range cases {
		res, err := s.Search(ctx, knowledge.Query{Text: c.Question, Size: 5})
		if err != nil {
			return r, fmt.Errorf("eval %s:%d: %w", c.Pos.File, c.Pos.Line, err)
		}
		var got []string
		if res.Answered {
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
		}
		if c.OutOfScope {
			r.OutOfScope++
			if !res.Answered {
				r.Abstained++
			} else {
				r.Misses = append(r.Misses, EvalMiss{c, got, "answered an out-of-scope question"})
			}
			continue
		}
		st := r.Langs[c.Lang]
		if st == nil {
			continue
		}
		st.Cases++
		if res.Lang == c.Lang {
			st.Detected++
		}
		rank := 0
		for i, id := range got {
			if slices.Contains(c.Want, id) {
				rank = i + 1
				break
			}
		}
		switch {
		case rank == 0 && !res.Answered:
			r.Misses = append(r.Misses, EvalMiss{c, idsOf(res.Hits), "no answer: " + res.Why})
		case rank == 0:
			r.Misses = append(r.Misses, EvalMiss{c, got, "wanted id not in the hits"})
		case rank > 1:
			r.Misses = append(r.Misses, EvalMiss{c, got, fmt.Sprintf("wanted id at rank %d", rank)})
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
	return r, nil
}

func idsOf(hs []knowledge.Hit) []string {
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	return ids
}

// Print writes the report as a table: recall@1, recall@3 and MRR per
// language, then abstention.
func (r EvalReport) Print(w io.Writer) {
	fmt.Fprintf(w, "%-5s %6s %9s %9s %7s %9s\n", "lang", "cases", "recall@1", "recall@3", "MRR", "detected")
	for _, l := range knowledge.Langs {
		s := r.Langs[l]
		fmt.Fprintf(w, "%-5s %6d %9.3f %9.3f %7.3f %9.3f\n", l, s.Cases, s.Recall1(), s.Recall3(), s.MRR(), ratio(s.Detected, s.Cases))
	}
	fmt.Fprintf(w, "abstention on out-of-scope questions: %.3f (%d of %d)\n", r.Abstention(), r.Abstained, r.OutOfScope)
}
