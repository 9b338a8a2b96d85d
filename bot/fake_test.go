package bot

import (
	"context"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"factbot/bot/internal/testkb"
	"factbot/knowledge"
)

// fakeSearcher is a naive Searcher over a small knowledge.Base: a hit is a
// fact or passage sharing at least two words with the question. It lets the
// bot's tests run without the index.
type fakeSearcher struct {
	base *knowledge.Base

	mu   sync.Mutex
	err  error                                     // returned by Search when set
	hook func(ctx context.Context, q string) error // called first; its error is returned
}

// mustBase returns bot/testdata/kb.
func mustBase(tb testing.TB) *knowledge.Base { return testkb.Base(tb) }

func newFakeSearcher(tb testing.TB) *fakeSearcher { return &fakeSearcher{base: mustBase(tb)} }

func (f *fakeSearcher) Base() *knowledge.Base { return f.base }

func (f *fakeSearcher) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// stop are words too common to count.
var stop = map[string]bool{"the": true, "and": true, "between": true, "what": true, "was": true, "how": true,
	"much": true, "les": true, "entre": true, "et": true, "en": true, "мен": true, "арасындағы": true, "жылы": true,
	"году": true, "и": true, "в": true}

// words splits text into lower-case words; a run of Chinese characters
// becomes its two-character pieces.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		var han []rune
		flush := func() {
			for i := 0; i+1 < len(han); i++ {
				out = append(out, string(han[i:i+2]))
			}
			han = han[:0]
		}
		var rest []rune
		for _, r := range w {
			if unicode.Is(unicode.Han, r) {
				if len(rest) > 0 {
					out = append(out, string(rest))
					rest = rest[:0]
				}
				han = append(han, r)
				continue
			}
			flush()
			rest = append(rest, r)
		}
		flush()
		if len(rest) > 0 {
			out = append(out, string(rest))
		}
	}
	return out
}

func (f *fakeSearcher) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	f.mu.Lock()
	err, hook := f.err, f.hook
	f.mu.Unlock()
	if hook != nil {
		if err := hook(ctx, q.Text); err != nil {
			return knowledge.Result{}, err
		}
	}
	if err != nil {
		return knowledge.Result{}, err
	}
	lang := q.Lang
	if lang == "" {
		lang = knowledge.DetectLang(q.Text, q.Hint)
	}
	qw := map[string]float64{}
	for _, w := range words(q.Text) {
		switch r := []rune(w); {
		case stop[w]:
		case unicode.IsDigit(r[0]):
			qw[w] = 3 // years decide
		case len(r) >= 2:
			qw[w] = 1
		}
	}
	score := func(text string) float64 {
		n := 0.0
		seen := map[string]bool{}
		for _, w := range words(text) {
			if qw[w] > 0 && !seen[w] {
				seen[w] = true
				n += qw[w]
			}
		}
		return n
	}
	var hits []knowledge.Hit
	for _, fact := range f.base.Facts {
		text, ok := fact.Text.In(lang)
		hl := lang
		if !ok {
			hl = knowledge.EN
		}
		all := strings.Join(fact.Tags, " ")
		for _, t := range fact.Text {
			all += " " + t
		}
		if s := score(all); s >= 3 {
			hits = append(hits, knowledge.Hit{ID: fact.ID, Kind: knowledge.KindFact, Lang: hl, Text: text, Score: s, Fallback: !ok, Fact: fact})
		}
	}
	for _, d := range f.base.Documents {
		if d.Lang != lang {
			continue
		}
		for i := range d.Passages {
			p := &d.Passages[i]
			if s := score(p.Text); s >= 3 {
				hits = append(hits, knowledge.Hit{ID: p.ID, Kind: knowledge.KindPassage, Lang: d.Lang, Text: p.Text, Score: s - 0.5, Passage: p, Document: d})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	size := q.Size
	if size == 0 {
		size = 8
	}
	if len(hits) > size {
		hits = hits[:size]
	}
	return knowledge.Result{Question: q.Text, Lang: lang, Answered: len(hits) > 0, Hits: hits}, nil
}
