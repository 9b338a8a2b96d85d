package index

import (
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// maxTieFetch bounds how many hits a candidate search fetches to settle a
// tie across the Candidates cut.
const maxTieFetch = 640

// candidateHits returns the question's first Candidates hits, by score
// and, among equal scores, by id, and the best score; the same whatever
// order Bleve numbered the documents in.
//
// Bleve orders hits of equal score by its internal document numbers, which
// depend on the order its batch analysis finished in, so two builds of one
// base could give a tied question different candidates, and the ranking,
// its features and the fits on them would differ from run to run. Scores
// are compared as float32: a disjunction's sum may differ in its last bits
// with the order its clauses are added in. When the hit after the cut ties
// with the last one kept, more are fetched, so that the tie is settled by
// id among all the documents in it.
func (ix *Index) candidateHits(ctx context.Context, bq query.Query) (search.DocumentMatchCollection, float64, error) {
	// Twice the candidates: one search settles the ties of all but one of
	// the 1,886 dev and blind questions (Candidates+1 left one in ten to a
	// second search), and scoring costs the same, since Bleve scores every
	// match whatever the size.
	size := 2 * Candidates
	for {
		sr, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(bq, size, 0, false))
		if err != nil {
			return nil, 0, err
		}
		hits := sr.Hits
		if len(hits) < size || size >= maxTieFetch ||
			float32(hits[size-1].Score) < float32(hits[Candidates-1].Score) {
			sortHits(hits)
			return hits[:min(Candidates, len(hits))], float64(float32(sr.MaxScore)), nil
		}
		size = min(2*size, maxTieFetch)
	}
}

// sortHits orders hits by score (as float32), best first, then by id.
func sortHits(hits search.DocumentMatchCollection) {
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
}
