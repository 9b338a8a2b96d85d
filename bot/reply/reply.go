package reply

import (
	"context"
	"fmt"
	"slices"

	"factbot/knowledge"
)

// Searcher finds the facts and passages that answer a question. index.Live
// implements it; bot never sees Bleve.
type Searcher interface {
	Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error)
}

// MaxRelated is how many related facts an answer shows under the best one,
// and MaxClosest how many facts an unsure reply shows.
const (
	MaxRelated = 2
	MaxClosest = 3
)

// Reply is an answer with no Telegram in it: the best hit, related hits and
// whatever else the search returned, in the reply language.
type Reply struct {
	Question string
	Lang     knowledge.Lang
	// Tier is how sure the reply is: the answer (Answered, Best, Related,
	// More), the closest facts when unsure (Closest), or none.
	Tier     knowledge.Tier
	Answered bool
	// Newest is set when the question asked for a period the base has no
	// figure for, in relative words ("last year"), and the reply gives the
	// newest there is: that period.
	Newest  string
	Best    knowledge.Hit
	Related []knowledge.Hit
	More    []knowledge.Hit // further hits, for "more results"
	// Closest are the facts shown when unsure, best first.
	Closest []knowledge.Hit
	// Fallback is set when some text is shown in English because it is
	// missing in Lang.
	Fallback bool
	Result   knowledge.Result
}

// Answerer turns a question into a Reply. The Telegram adapter and the
// console commands share it.
type Answerer struct {
	Searcher Searcher
}

// Answer searches for question and builds the reply. lang forces the reply
// language (empty: detect it); hint breaks ties in detection. An error is
// returned only when the search itself failed; "no answer" is a Reply with
// Answered false.
func (a *Answerer) Answer(ctx context.Context, question string, lang, hint knowledge.Lang) (Reply, error) {
	res, err := a.Searcher.Search(ctx, knowledge.Query{Text: question, Lang: lang, Hint: hint, Size: 8})
	if err != nil {
		return Reply{}, fmt.Errorf("answer %q: %w", Truncate(question, 80), err)
	}
	r := Reply{Question: question, Lang: res.Lang, Tier: res.Tier, Answered: res.Answered && len(res.Hits) > 0, Result: res,
		Newest: res.Newest}
	if r.Tier == "" || len(res.Hits) == 0 {
		r.Tier = knowledge.TierNone
		if r.Answered {
			r.Tier = knowledge.TierAnswer
		}
	}
	if r.Tier == knowledge.TierClosest {
		r.Closest = distinct(res.Hits, MaxClosest)
		for _, h := range r.Closest {
			r.Fallback = r.Fallback || h.Fallback
		}
		return r, nil
	}
	if !r.Answered {
		r.Newest = ""
		return r, nil
	}
	r.Best = res.Hits[0]
	r.Fallback = r.Best.Fallback
	seen := map[string]bool{r.Best.ID: true}
	if r.Best.Passage != nil {
		seen[r.Best.Passage.DocID] = true
	}
	for _, h := range res.Hits[1:] {
		key := h.ID
		if h.Passage != nil {
			key = h.Passage.DocID // one passage per document is enough
		}
		if seen[key] || restates(h, r.Best) {
			continue
		}
		seen[key] = true
		if len(r.Related) < MaxRelated {
			r.Related = append(r.Related, h)
		} else {
			r.More = append(r.More, h)
		}
	}
	return r, nil
}

// distinct returns up to n hits, one per fact and one per document.
func distinct(hs []knowledge.Hit, n int) []knowledge.Hit {
	var out []knowledge.Hit
	seen := map[string]bool{}
	for _, h := range hs {
		key := h.ID
		if h.Passage != nil {
			key = h.Passage.DocID
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, h)
		if len(out) == n {
			break
		}
	}
	return out
}

// restates reports whether h is a briefing paragraph drawn from the fact
// best: it would only say the answer again.
func restates(h, best knowledge.Hit) bool {
	return best.Fact != nil && h.Document != nil && slices.Contains(h.Document.Facts, best.ID)
}

// Truncate cuts s to n characters, marking the cut with an ellipsis.
func Truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
