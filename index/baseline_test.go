package index

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"factbot/knowledge"
)

// baseline is the plain full-text search factbot must beat: one row per
// fact, every language's text, its tags and figures in one field, a
// Unicode tokenizer that lower-cases (SQLite FTS5's unicode61, but with each
// Chinese character a token of its own), an OR of the question's words,
// ordered by BM25. It always answers when anything matched.
type baseline struct {
	idx bleve.Index
	m   *mapping.IndexMappingImpl
}

func newBaseline(tb testing.TB, b *knowledge.Base) *baseline {
	tb.Helper()
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer("plain", map[string]any{
		"type": custom.Name, "tokenizer": unicode.Name, "token_filters": []string{lowercase.Name},
	}); err != nil {
		tb.Fatal(err)
	}
	m.DefaultAnalyzer = "plain"
	m.ScoringModel = "bm25"
	doc := bleve.NewDocumentMapping()
	f := bleve.NewTextFieldMapping()
	f.Analyzer = "plain"
	doc.AddFieldMappingsAt("all", f)
	m.DefaultMapping = doc
	idx, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		tb.Fatal(err)
	}
	batch := idx.NewBatch()
	for _, fact := range b.Facts {
		var all strings.Builder
		for _, l := range knowledge.Langs {
			all.WriteString(fact.Text[l] + "\n")
		}
		all.WriteString(strings.Join(fact.Tags, " ") + "\n")
		for _, fg := range fact.Figures {
			fmt.Fprintf(&all, "%s %s %s %s\n", fg.Value, fg.Unit, fg.Date, fg.By)
		}
		if err := batch.Index(fact.ID, map[string]any{"all": all.String()}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := idx.Batch(batch); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idx.Close() })
	return &baseline{idx: idx, m: m}
}

func (bl *baseline) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	text := cleanQuestion(q.Text)
	lang, _ := knowledge.Detect(text, q.Hint)
	res := knowledge.Result{Question: text, Lang: lang}
	tokens, err := bl.m.AnalyzeText("plain", []byte(text))
	if err != nil {
		return res, err
	}
	var qs []query.Query
	seen := map[string]bool{}
	for _, t := range tokens {
		if s := string(t.Term); !seen[s] {
			seen[s] = true
			tq := query.NewTermQuery(s)
			tq.SetField("all")
			qs = append(qs, tq)
		}
	}
	if len(qs) == 0 {
		return res, nil
	}
	sr, err := bl.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), 20, 0, false))
	if err != nil {
		return res, err
	}
	for _, h := range sr.Hits {
		res.Hits = append(res.Hits, knowledge.Hit{ID: h.ID, Kind: knowledge.KindFact, Score: h.Score})
	}
	res.Answered = len(res.Hits) > 0
	res.Tier = knowledge.TierNone
	if res.Answered {
		res.Tier = knowledge.TierAnswer
	}
	return res, nil
}
