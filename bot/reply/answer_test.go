package reply

import (
	"context"
	"testing"

	"factbot/knowledge"
)

type fixedSearcher knowledge.Result

func (f fixedSearcher) Search(context.Context, knowledge.Query) (knowledge.Result, error) {
	return knowledge.Result(f), nil
}

// Related hits are other facts and other documents, never a briefing
// paragraph drawn from the very fact that answers.
func TestAnswerRelated(t *testing.T) {
	best := &knowledge.Fact{ID: "companies"}
	other := &knowledge.Fact{ID: "companies-series"}
	brief := &knowledge.Document{ID: "briefing", Facts: []string{"companies"}}
	otherDoc := &knowledge.Document{ID: "timeline", Facts: []string{"trade"}}
	res := knowledge.Result{Lang: knowledge.EN, Answered: true, Hits: []knowledge.Hit{
		{ID: "companies", Kind: knowledge.KindFact, Fact: best},
		{ID: "briefing#8", Kind: knowledge.KindPassage, Document: brief, Passage: &knowledge.Passage{ID: "briefing#8", DocID: "briefing"}},
		{ID: "companies-series", Kind: knowledge.KindFact, Fact: other},
		{ID: "timeline#3", Kind: knowledge.KindPassage, Document: otherDoc, Passage: &knowledge.Passage{ID: "timeline#3", DocID: "timeline"}},
		{ID: "timeline#4", Kind: knowledge.KindPassage, Document: otherDoc, Passage: &knowledge.Passage{ID: "timeline#4", DocID: "timeline"}},
	}}
	a := &Answerer{Searcher: fixedSearcher(res)}
	r, err := a.Answer(context.Background(), "q", "", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range r.Related {
		got = append(got, h.ID)
	}
	if len(got) != 2 || got[0] != "companies-series" || got[1] != "timeline#3" {
		t.Errorf("Related = %v, want [companies-series timeline#3]", got)
	}
	if len(r.More) != 0 {
		t.Errorf("More = %v, want none (one passage per document)", r.More)
	}
}
