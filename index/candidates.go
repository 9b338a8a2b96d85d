package index

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	bindex "github.com/blevesearch/bleve_index_api"
)

// maxTieFetch bounds how many documents tied at the Candidates cut have
// their ids read to settle the tie.
const maxTieFetch = 640

// clause is one term of the candidate search: a term of a field, its
// boost, and the postings it walks (its document frequency).
type clause struct {
	field, term string
	boost       float64
	df          int
}

// hit is a candidate the search found, with its score.
type hit struct {
	d     *docInfo
	score float64
}

// candidateHits returns the first Candidates documents matching any of
// the clauses, by score and, among equal scores, by id, and the best score;
// the same whatever order Bleve numbered the documents in.
//
// The score is Bleve's own for a disjunction of term queries under its
// tf-idf model (what SearchInContext gives bleve.NewDisjunctionQuery of
// them; TestCandidatesMatchBleveSearch holds it): per clause, √freq × norm
// × idf × boost × idf × queryNorm, with idf = 1 + ln(docs/(df+1)) and
// queryNorm = 1/√Σ(boost×idf)²; summed over the clauses a document matches
// and multiplied by the share of the clauses it matches. It is computed
// here over the postings Bleve's index reader gives, because Bleve's
// searchers and collector cost half a question's CPU: they merge the
// clauses' postings in document order through a heap and keep a
// DocumentMatch per posting, where adding the scores into an array is all
// a candidate search needs.
//
// Bleve numbers a batch's documents in the order their analysis finished,
// so two builds of one base number them differently; a tie across the cut
// is settled by id, or the ranking, its features and the fits on them
// would differ from run to run. Scores are compared as float32: a sum may
// differ in its last bits with the order its terms are added in.
func (ix *Index) candidateHits(ctx context.Context, cs []clause) ([]hit, float64, error) {
	if len(cs) == 0 {
		return nil, 0, nil
	}
	if len(cs) > maxTermSearchers {
		return nil, 0, fmt.Errorf("%d search terms, over the limit of %d", len(cs), maxTermSearchers)
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, 0, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	docs, err := r.DocCount()
	if err != nil {
		return nil, 0, err
	}
	nb, err := ix.numbered(r)
	if err != nil {
		return nil, 0, err
	}
	acc, _ := ix.accumulators.Get().(*accumulator)
	if acc == nil {
		acc = new(accumulator)
	}
	defer ix.accumulators.Put(acc)
	acc.reset()

	// Bleve's TermQueryScorer: the query norm needs every clause's idf
	// before any posting is scored.
	lists := make([]*postingList, len(cs))
	idfs := make([]float64, len(cs))
	sumOfSquaredWeights := 0.0
	for i, c := range cs {
		if lists[i], err = nb.postings(ctx, r, c.field, c.term); err != nil {
			return nil, 0, err
		}
		idfs[i] = 1.0 + math.Log(float64(docs)/float64(lists[i].count+1.0))
		w := c.boost * idfs[i]
		sumOfSquaredWeights += w * w
	}
	queryNorm := 1.0 / math.Sqrt(sumOfSquaredWeights)
	for i, c := range cs {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		queryWeight := c.boost * idfs[i] * queryNorm
		for j, num := range lists[i].nums {
			score := lists[i].tfNorm[j] * idfs[i]
			if queryWeight != 1.0 {
				score *= queryWeight
			}
			acc.add(num, score)
		}
	}
	return ix.topHits(r, acc, len(cs))
}

// topHits turns the accumulated sums into scores (times the share of the
// clauses matched, as Bleve's DisjunctionQueryScorer does) and returns the
// first Candidates by score, then id, and the best score.
func (ix *Index) topHits(r bindex.IndexReader, acc *accumulator, clauses int) ([]hit, float64, error) {
	type scored struct {
		num   uint64
		score float32
		exact float64
		id    string
	}
	// byScore is Bleve's order: score, then its document number.
	byScore := func(a, b scored) int {
		switch {
		case a.score != b.score:
			return cmp.Compare(b.score, a.score)
		case a.num < b.num:
			return -1
		case a.num > b.num:
			return 1
		}
		return 0
	}
	// The first Candidates by that order, kept sorted; then every document
	// tied with the last of them joins (at most maxTieFetch in all), so
	// that the tie is settled by id.
	top := make([]scored, 0, Candidates+1)
	best := 0.0
	for _, num := range acc.touched {
		exact := acc.sum[num] * (float64(acc.matched[num]) / float64(clauses))
		best = max(best, exact)
		s := scored{num: num, score: float32(exact), exact: exact}
		if len(top) == Candidates && byScore(s, top[Candidates-1]) >= 0 {
			continue
		}
		i, _ := slices.BinarySearchFunc(top, s, byScore)
		top = slices.Insert(top, i, s)
		if len(top) > Candidates {
			top = top[:Candidates]
		}
	}
	if len(top) == Candidates {
		cut := top[Candidates-1]
		var tied []scored
		for _, num := range acc.touched {
			exact := acc.sum[num] * (float64(acc.matched[num]) / float64(clauses))
			if s := (scored{num: num, score: float32(exact), exact: exact}); s.score == cut.score && s.num > cut.num {
				tied = append(tied, s)
			}
		}
		slices.SortFunc(tied, byScore)
		top = append(top, tied[:min(len(tied), maxTieFetch-Candidates)]...)
	}
	nb, err := ix.numbered(r)
	if err != nil {
		return nil, 0, err
	}
	for i := range top {
		if top[i].id, err = nb.id(r, top[i].num); err != nil {
			return nil, 0, err
		}
	}
	slices.SortFunc(top, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	hits := make([]hit, 0, Candidates)
	for _, s := range top[:min(Candidates, len(top))] {
		if d := ix.table.byID[s.id]; d != nil {
			hits = append(hits, hit{d, s.exact})
		}
	}
	return hits, float64(float32(best)), nil
}

// numbering maps the document numbers of one index snapshot to the ids of
// its documents, so that a search need not read its hits' ids from the
// stored fields. Bleve numbers documents per snapshot: a new snapshot (a
// merge of segments) gets a numbering of its own, made on its first search.
//
// It also keeps the postings its searches read (postingList), so that a
// term asked again is not looked up in the term dictionary and decoded
// again: a snapshot never changes, and questions share most of their terms
// (the country names, "trade", the years). At most maxCachedPostings are
// kept; terms read after that are read from the index every time.
type numbering struct {
	snap bindex.IndexReader // compared, never read: searches hold their own
	ids  []string

	mu    sync.RWMutex
	lists map[fieldTerm]*postingList
	held  int // postings in lists
}

// fieldTerm names a term of a field.
type fieldTerm struct{ field, term string }

// maxCachedPostings bounds the postings a snapshot's numbering keeps: 16
// bytes each, 32 MB at most.
var maxCachedPostings = 2 << 20

// postingList is what a candidate search needs of a term's postings: how
// many there are (the document frequency), their document numbers and
// each one's √freq × norm.
type postingList struct {
	count  uint64
	nums   []uint64
	tfNorm []float64
}

// postings returns the postings of term in field, from the cache or read
// from r (the snapshot nb numbers) and kept if there is room.
func (nb *numbering) postings(ctx context.Context, r bindex.IndexReader, field, term string) (*postingList, error) {
	key := fieldTerm{field, term}
	nb.mu.RLock()
	pl := nb.lists[key]
	nb.mu.RUnlock()
	if pl != nil {
		return pl, nil
	}
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	pl = &postingList{count: tfr.Count()}
	var tfd bindex.TermFieldDoc
	for n := 0; ; n++ {
		if n%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p, err := tfr.Next(&tfd)
		if err != nil {
			return nil, err
		}
		if p == nil {
			break
		}
		pl.nums = append(pl.nums, p.ID.Value())
		pl.tfNorm = append(pl.tfNorm, math.Sqrt(float64(p.Freq))*p.Norm)
	}
	nb.mu.Lock()
	defer nb.mu.Unlock()
	if held := nb.lists[key]; held != nil {
		return held, nil
	}
	if nb.held+len(pl.nums) <= maxCachedPostings {
		if nb.lists == nil {
			nb.lists = map[fieldTerm]*postingList{}
		}
		nb.lists[key] = pl
		nb.held += len(pl.nums)
	}
	return pl, nil
}

// numbered returns the numbering of the snapshot r.
func (ix *Index) numbered(r bindex.IndexReader) (*numbering, error) {
	if nb := ix.numbering.Load(); nb != nil && nb.snap == r {
		return nb, nil
	}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer all.Close()
	nb := &numbering{snap: r}
	for {
		internal, err := all.Next()
		if err != nil {
			return nil, err
		}
		if internal == nil {
			break
		}
		id, err := r.ExternalID(internal)
		if err != nil {
			return nil, err
		}
		num := internal.Value()
		if num >= uint64(len(nb.ids)) {
			nb.ids = append(nb.ids, make([]string, num+1-uint64(len(nb.ids)))...)
		}
		nb.ids[num] = id
	}
	ix.numbering.Store(nb)
	return nb, nil
}

// id returns the id of document num, from the numbering or, for a number
// it lacks, from the index.
func (nb *numbering) id(r bindex.IndexReader, num uint64) (string, error) {
	if num < uint64(len(nb.ids)) && nb.ids[num] != "" {
		return nb.ids[num], nil
	}
	return r.ExternalID(bindex.NewIndexInternalID(nil, num))
}

// accumulator adds up one search's scores per document number: arrays as
// long as the highest number seen, reused across searches (Index keeps a
// pool), and the numbers touched, to reset only those.
type accumulator struct {
	sum     []float64
	matched []uint16
	touched []uint64
}

func (a *accumulator) reset() {
	for _, n := range a.touched {
		a.sum[n], a.matched[n] = 0, 0
	}
	a.touched = a.touched[:0]
}

func (a *accumulator) add(num uint64, score float64) {
	if num >= uint64(len(a.sum)) {
		size := max(2*uint64(len(a.sum)), num+1, 1024)
		a.sum = append(a.sum, make([]float64, size-uint64(len(a.sum)))...)
		a.matched = append(a.matched, make([]uint16, size-uint64(len(a.matched)))...)
	}
	if a.matched[num] == 0 {
		a.touched = append(a.touched, num)
	}
	a.sum[num] += score
	a.matched[num]++
}
