package knowledge

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestStemMatches is a diagnostic for curators (it never fails): for every
// thesaurus word ending in "*" with a short stem, it lists the distinct
// words of the base (facts, passages and eval questions, all languages,
// question-folded) that the stem matches, so that a stem catching unrelated
// words shows. Run with -v:
//
//	go test ./knowledge -run TestStemMatches -v
func TestStemMatches(t *testing.T) {
	b := mustCurated(t)
	corpus := map[string]bool{}
	addText := func(s string) {
		for _, w := range words(qfold(s)) {
			corpus[w.w] = true
		}
	}
	for _, f := range b.Facts {
		for _, s := range f.Text {
			addText(s)
		}
	}
	for _, p := range b.Passages() {
		addText(p.Text)
	}
	for _, c := range b.Eval {
		addText(c.Question)
	}
	var out strings.Builder
	for _, m := range b.Measures() {
		for _, lang := range Langs {
			for _, w := range m.Words[lang] {
				e, ok := compileForm(w)
				if !ok || e.words == nil {
					continue
				}
				for i, stem := range e.words {
					if e.prefix&(1<<uint(i)) == 0 || utf8.RuneCountInString(stem) > 5 {
						continue
					}
					var hits []string
					for c := range corpus {
						if strings.HasPrefix(c, stem) {
							hits = append(hits, c)
						}
					}
					sort.Strings(hits)
					fmt.Fprintf(&out, "%-20s %s %-14q %d: %s\n", m.ID, lang, stem+"*", len(hits), strings.Join(hits, " "))
				}
			}
		}
	}
	t.Log("\n" + out.String())
}
