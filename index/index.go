// Package index is factbot's only importer of Bleve. It owns the mapping (one
// analyzer per language), building and opening indexes, searching (safe
// queries, highlighting, language choice and the "no answer" decision), the
// live holder that swaps a new index in atomically, and retrieval-quality
// metrics. Callers see knowledge types only.
package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"factbot/knowledge"
)

// Options are the search choices that were measured on the eval set.
type Options struct {
	// Scoring is "tfidf" or "bm25". Default tfidf: on the eval set it
	// ranks a little better than Bleve's approximate BM25, whose average
	// field length counts terms per segment and favours the shortest facts.
	Scoring string
	// Kazakh is how Kazakh text is stemmed. Default KazakhLight.
	Kazakh KazakhStemming
	// Model ranks candidates and sets the tiers; nil means DefaultModel.
	Model *Model
}

func (o Options) withDefaults() Options {
	if o.Scoring == "" {
		o.Scoring = "tfidf"
	}
	if o.Kazakh == "" {
		o.Kazakh = KazakhLight
	}
	return o
}

// Index is a searchable Bleve index over one knowledge base.
type Index struct {
	idx     bleve.Index
	mapping *mapping.IndexMappingImpl
	base    *knowledge.Base
	matcher *knowledge.Matcher
	opts    Options
	dir     string
	docs    float64 // documents in the index, for idf
	table   *docTable
	model   *Model

	accumulators sync.Pool                 // of *accumulator, reused by candidate searches
	featureRows  sync.Pool                 // of *[]float64, the samples' feature rows (Search releases them)
	numbering    atomic.Pointer[numbering] // of the last index snapshot searched

	// made holds the documents made while building, for the ranking's
	// table; dropped once that is built.
	madeMu sync.Mutex
	made   map[string]document
}

// setDocs finishes an index built or opened: the document count and what
// the ranking reads of every document.
func (ix *Index) setDocs(n uint64) error {
	ix.docs = float64(n)
	t, err := ix.buildDocTable()
	ix.made = nil
	if err != nil {
		return err
	}
	ix.table = t
	if ix.model == nil {
		if ix.model, err = DefaultModel(); err != nil {
			return err
		}
	}
	return nil
}

// Field names.
const (
	fieldKind     = "kind"
	fieldTopic    = "topic"
	fieldLang     = "lang"
	fieldEntities = "entities"
	fieldNums     = "nums"
	fieldMeasures = "measures"
)

func textField(l knowledge.Lang) string { return "text_" + string(l) }

// buildMapping is the one explicit mapping: a text field per language with
// its own analyzer, keyword fields for ids, kinds, entities and numbers, and
// nothing dynamic.
func buildMapping(o Options) *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = o.Scoring
	if o.Scoring == "tfidf" {
		m.ScoringModel = "tf-idf"
	}
	m.DefaultAnalyzer = keyword.Name
	doc := bleve.NewDocumentStaticMapping()
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		f.IncludeTermVectors = false
		return f
	}
	for _, name := range []string{fieldKind, fieldTopic, fieldLang, fieldEntities, fieldNums, fieldMeasures} {
		doc.AddFieldMappingsAt(name, kw())
	}
	for _, l := range knowledge.Langs {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzerName(l, o.Kazakh, false)
		f.Store = false
		f.IncludeInAll = false
		f.DocValues = false
		f.IncludeTermVectors = false // the ranking reads its own term sets (docinfo.go)
		doc.AddFieldMappingsAt(textField(l), f)
	}
	m.DefaultMapping = doc
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}

// document is what Bleve indexes for one fact or passage.
type document map[string]any

// passagePrefix is indexed before a passage's own text, so that a document's
// title and the heading above the paragraph are searchable with it.
func passagePrefix(d *knowledge.Document, p *knowledge.Passage) string {
	return d.Title + " — " + p.Heading + "\n"
}

func (ix *Index) factDoc(f *knowledge.Fact) document {
	doc := document{fieldKind: string(knowledge.KindFact), fieldTopic: f.Topic, fieldLang: "all"}
	var all []string
	for _, l := range knowledge.Langs {
		doc[textField(l)] = f.Text[l]
		all = append(all, f.Text[l])
	}
	for _, fg := range f.Figures {
		all = append(all, fg.Value+" "+fg.Unit)
	}
	joined := strings.Join(all, "\n")
	doc[fieldEntities] = ix.matcher.IDs(joined)
	doc[fieldNums] = knowledge.Numbers(joined)
	doc[fieldMeasures] = f.Measures
	return doc
}

func (ix *Index) passageDoc(d *knowledge.Document, p *knowledge.Passage) document {
	text := passagePrefix(d, p) + p.Text
	return document{
		fieldKind:         string(knowledge.KindPassage),
		fieldTopic:        d.Topic,
		fieldLang:         string(p.Lang),
		textField(p.Lang): text,
		fieldEntities:     ix.matcher.IDs(text),
		fieldNums:         knowledge.Numbers(text),
		fieldMeasures:     ix.base.Understand(text, zeroTime).Measures,
	}
}

// document returns what Bleve indexes for id, made once: building the index
// and the ranking's table (docinfo.go) both read it, and making it runs
// question understanding over the text.
func (ix *Index) document(id string, make func() document) document {
	if ix.made == nil {
		return make()
	}
	ix.madeMu.Lock()
	d, ok := ix.made[id]
	ix.madeMu.Unlock()
	if ok {
		return d
	}
	d = make()
	ix.madeMu.Lock()
	ix.made[id] = d
	ix.madeMu.Unlock()
	return d
}

// BatchSize is how many documents go into one Bleve batch when building.
const BatchSize = 2000

// Build indexes base into dir, which must not exist yet; an empty dir builds
// in memory (scorch, never the legacy in-memory store, which ignores BM25).
// A failed build removes what it wrote.
func Build(ctx context.Context, base *knowledge.Base, dir string, opts Options) (*Index, error) {
	ix, n, err := fillNew(ctx, base, dir, opts)
	if err != nil {
		return nil, err
	}
	if err := ix.setDocs(n); err != nil {
		ix.Close()
		return nil, fmt.Errorf("build index %s: %w", dir, err)
	}
	if dir != "" {
		// An index on disk is one that will be served for a long time. A
		// build leaves several times the index's size in garbage (analysed
		// batches, Bleve's segment merges); the runtime would hand it back
		// to the system over minutes, this does it now, so the resident
		// size after a build or a reload is what serving needs (100,000
		// passages: 710 MB → 325 MB resident). One collection per build.
		debug.FreeOSMemory()
	}
	return ix, nil
}

// fillNew creates the Bleve index of base in dir ("" for memory) and fills
// it: Build without the ranking's term table, which an index built only to
// be written to disk (BuildFolder) does not need. It returns the number of
// documents indexed.
func fillNew(ctx context.Context, base *knowledge.Base, dir string, opts Options) (*Index, uint64, error) {
	opts = opts.withDefaults()
	ix := &Index{base: base, matcher: knowledge.NewMatcher(base.Aliases), opts: opts, dir: dir, mapping: buildMapping(opts), model: opts.Model,
		made: map[string]document{}}
	var err error
	ix.idx, err = bleve.NewUsing(dir, ix.mapping, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := ix.fill(ctx); err != nil {
		ix.idx.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
		return nil, 0, fmt.Errorf("build index %s: %w", dir, err)
	}
	n, err := ix.idx.DocCount()
	if err != nil {
		ix.Close()
		return nil, 0, fmt.Errorf("count documents in %s: %w", dir, err)
	}
	return ix, n, nil
}

func (ix *Index) fill(ctx context.Context) error {
	// Documents are prepared (alias matching, numbers) in a goroutine while
	// Bleve indexes the previous batch: the two overlap on two cores.
	type prepared struct {
		id  string
		doc document
	}
	batches := make(chan []prepared, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(batches)
		var buf []prepared
		send := func() bool {
			select {
			case batches <- buf:
				buf = nil
				return true
			case <-stop:
				return false
			}
		}
		for _, f := range ix.base.Facts {
			if buf = append(buf, prepared{f.ID, ix.document(f.ID, func() document { return ix.factDoc(f) })}); len(buf) == BatchSize && !send() {
				return
			}
		}
		for _, d := range ix.base.Documents {
			for i := range d.Passages {
				p := &d.Passages[i]
				if buf = append(buf, prepared{p.ID, ix.document(p.ID, func() document { return ix.passageDoc(d, p) })}); len(buf) == BatchSize && !send() {
					return
				}
			}
		}
		if len(buf) > 0 {
			send()
		}
	}()
	for docs := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := ix.idx.NewBatch()
		for _, p := range docs {
			if err := b.Index(p.id, map[string]any(p.doc)); err != nil {
				return fmt.Errorf("document %s: %w", p.id, err)
			}
		}
		if err := ix.idx.Batch(b); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Base returns the knowledge base the index was built from.
func (ix *Index) Base() *knowledge.Base { return ix.base }

// Close releases the index. It waits for searches in flight.
func (ix *Index) Close() error {
	if err := ix.idx.Close(); err != nil && !errors.Is(err, bleve.ErrorIndexClosed) {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}

// dfReader looks up document frequencies on one index snapshot, so that a
// question's many lookups share one reader.
type dfReader struct {
	r bindex.IndexReader
}

func (ix *Index) newDFReader() (*dfReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	return &dfReader{r}, nil
}

func (d *dfReader) Close() error { return d.r.Close() }

// df returns how many documents hold term in field.
func (d *dfReader) df(field, term string) (int, error) {
	tfr, err := d.r.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
	if err != nil {
		return 0, err
	}
	n := int(tfr.Count())
	return n, tfr.Close()
}

// sortedKeys is for deterministic output in tests and logs.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// zeroTime is "no day asked", for reading documents rather than questions.
var zeroTime time.Time
