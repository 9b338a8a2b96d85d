package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"factbot/knowledge"
)

// bleveCandidates is what candidateHits stands for: Bleve's own search for
// the disjunction of the clauses' term queries, every hit fetched, ordered
// by score (as float32) and then id, cut at Candidates.
func bleveCandidates(t *testing.T, ix *Index, cs []clause) ([]*search.DocumentMatch, float64) {
	t.Helper()
	qs := make([]query.Query, len(cs))
	for i, c := range cs {
		tq := query.NewTermQuery(c.term)
		tq.SetField(c.field)
		tq.SetBoost(c.boost)
		qs[i] = tq
	}
	sr, err := ix.idx.SearchInContext(context.Background(), bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), int(ix.docs), 0, false))
	if err != nil {
		t.Fatal(err)
	}
	hits := sr.Hits
	slices.SortFunc(hits, func(a, b *search.DocumentMatch) int {
		sa, sb := float32(a.Score), float32(b.Score)
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return hits[:min(Candidates, len(hits))], sr.MaxScore
}

// checkCandidates runs each question's candidate search both ways and
// reports where they differ; it returns how many questions had hits.
func checkCandidates(t *testing.T, ix *Index, questions []string) int {
	t.Helper()
	found := 0
	for _, q := range questions {
		text := cleanQuestion(q)
		lang, _ := knowledge.Detect(text, "")
		_, cs, err := ix.understand(text, lang, day("2026-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		got, best, err := ix.candidateHits(context.Background(), cs)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if len(cs) == 0 {
			if len(got) != 0 {
				t.Errorf("%q: no terms, yet %d hits", q, len(got))
			}
			continue
		}
		want, wantBest := bleveCandidates(t, ix, cs)
		if len(got) > 0 {
			found++
		}
		var a, b []string
		for _, h := range got {
			a = append(a, fmt.Sprintf("%s %.6g", h.d.id, float32(h.score)))
		}
		for _, h := range want {
			b = append(b, fmt.Sprintf("%s %.6g", h.ID, float32(h.Score)))
		}
		if !slices.Equal(a, b) {
			t.Errorf("%q: candidates differ from Bleve's search:\n got  %v\n want %v", q, a, b)
			continue
		}
		for i := range got {
			if d := math.Abs(got[i].score - want[i].Score); d > 1e-12*want[i].Score {
				t.Errorf("%q: %s scores %v, Bleve %v", q, got[i].d.id, got[i].score, want[i].Score)
			}
		}
		if float32(best) != float32(wantBest) {
			t.Errorf("%q: best score %v, Bleve %v", q, best, wantBest)
		}
	}
	return found
}

// The candidate search scores as Bleve's search does and returns the same
// candidates in the same order, for every dev question in all five
// languages and for questions Bleve finds nothing for.
func TestCandidatesMatchBleveSearch(t *testing.T) {
	b := curated(t)
	ix := mustBuild(t, b, "")
	var questions []string
	for _, c := range b.Eval {
		questions = append(questions, c.Question)
	}
	questions = append(questions, "zzzqx", "2024", "?", "товарооборот", "贸易")
	if testing.Short() {
		questions = questions[:200]
	}
	if n := checkCandidates(t, ix, questions); n < len(questions)*9/10 {
		t.Errorf("only %d of %d questions found candidates", n, len(questions))
	}
}

// The postings a snapshot keeps for its searches change nothing: the dev
// questions asked a second time (every term now kept) and with room for
// only a few postings (most terms read from the index every time) still
// give Bleve's candidates, and the cache holds no more than its bound.
func TestCandidatesPostingsCache(t *testing.T) {
	b := curated(t)
	// Every fifth dev question: TestCandidatesMatchBleveSearch asks them
	// all, with the cache filling as it goes.
	var questions []string
	for i, c := range b.Eval {
		if i%5 == 0 {
			questions = append(questions, c.Question)
		}
	}
	if testing.Short() {
		questions = questions[:200]
	}
	for _, bound := range []int{maxCachedPostings, 500} {
		t.Run(fmt.Sprint(bound), func(t *testing.T) {
			defer func(old int) { maxCachedPostings = old }(maxCachedPostings)
			maxCachedPostings = bound
			ix := mustBuild(t, b, "")
			checkCandidates(t, ix, questions)
			nb := ix.numbering.Load()
			if nb == nil || len(nb.lists) == 0 {
				t.Fatal("no postings kept")
			}
			held := 0
			for _, pl := range nb.lists {
				held += len(pl.nums)
			}
			if held != nb.held || held > bound {
				t.Errorf("%d postings kept (counted %d), bound %d", held, nb.held, bound)
			}
			checkCandidates(t, ix, questions) // warm
		})
	}
}

// More documents tie at the cut than it keeps: the first Candidates by id
// are kept, as Bleve's search ordered by id would keep them, whatever
// order the documents were numbered in.
func TestCandidatesTieAtTheCut(t *testing.T) {
	b := curated(t)
	doc := &knowledge.Document{ID: "tied", Title: "Tied", Lang: knowledge.EN, Topic: "trade",
		Sources: []knowledge.Source{{Publisher: "test"}}}
	for p := range 3 * Candidates {
		doc.Passages = append(doc.Passages, knowledge.Passage{
			ID: fmt.Sprintf("tied#%d", p+1), DocID: doc.ID, Heading: "Section", Lang: knowledge.EN,
			Text: "Zebrafinch quokka marmot wombat.",
		})
	}
	b.Documents = append(b.Documents, doc)
	b, err := knowledge.Rebuild(b)
	if err != nil {
		t.Fatal(err)
	}
	ix := mustBuild(t, b, "")
	q := "zebrafinch quokka"
	checkCandidates(t, ix, []string{q, "wombat", "marmot zebrafinch wombat"})
	_, cs, err := ix.understand(q, knowledge.EN, day("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := ix.candidateHits(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	var ids, want []string
	for _, h := range got {
		ids = append(ids, h.d.id)
	}
	for p := range 3 * Candidates {
		want = append(want, fmt.Sprintf("tied#%d", p+1))
	}
	slices.Sort(want)
	if want = want[:Candidates]; !slices.Equal(ids, want) {
		t.Errorf("tied candidates:\n got  %v\n want %v", ids, want)
	}
}
