package index

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"factbot/knowledge"
)

// TestDumpFeatures writes per-hit features of every eval case for offline
// calibration. Run with FACTBOT_FEATURES=path.
func TestDumpFeatures(t *testing.T) {
	out := os.Getenv("FACTBOT_FEATURES")
	if out == "" {
		t.Skip("FACTBOT_FEATURES not set")
	}
	b, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Build(context.Background(), b, "", Options{Scoring: os.Getenv("FACTBOT_SCORING"), Kazakh: KazakhStemming(os.Getenv("FACTBOT_KAZAKH"))})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	f, _ := os.Create(out)
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, c := range b.Eval {
		text := cleanQuestion(c.Question)
		qlang, _ := knowledge.Detect(text, "")
		dfs, _ := ix.newDFReader()
		p, _ := ix.plan(dfs, text, qlang)
		dfs.Close()
		req := bleve.NewSearchRequestOptions(p.query, 20, 0, false)
		req.IncludeLocations = true
		ctx := context.WithValue(context.Background(), search.MaxTermSearchersKey, maxTermSearchers)
		sr, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		type hit struct {
			ID      string
			Score   float64
			Cov     float64
			Passage bool
			Matched int
			Units   int
			Got     float64
			Raw     float64
		}
		var hits []hit
		nunits := len(p.shared)
		for _, us := range p.terms {
			nunits = max(nunits, len(p.shared)+len(us))
		}
		for _, dm := range sr.Hits {
			cov, _, got := p.match(dm)
			got /= ix.idf(1)
			m := 0
			for _, u := range p.shared {
				if matched(dm.Locations[u.field], u) {
					m++
				}
			}
			hits = append(hits, hit{dm.ID, dm.Score / sr.MaxScore, cov, b.Fact(dm.ID) == nil, m, nunits, got, dm.Score})
		}
		enc.Encode(map[string]any{"q": c.Question, "lang": c.Lang, "want": c.Want, "oos": c.OutOfScope, "hits": hits})
	}
}
