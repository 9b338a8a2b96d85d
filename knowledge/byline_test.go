package knowledge

import (
	"strings"
	"testing"
)

const goodNames = `names:
  - id: tokayev
    name: {en: President Tokayev, ru: президент Токаев, kk: Президент Тоқаев, zh: 托卡耶夫总统, fr: le président Tokaïev}
    by: [President Tokayev, Tokayev]
`

// byFact is goodFact with its figure's by (and more lines after it).
func byFact(by string) string {
	return strings.Replace(goodFact, "by: GACC\n", "by: "+by+"\n", 1)
}

// TestByText: counting bodies and names in the reader's language, publishers
// as they publish, the by_note in the reader's language.
func TestByText(t *testing.T) {
	fact := byFact("Tokayev (Trend); GACC; Trend\n        by_note: {en: interview with Xinhua, ru: интервью агентству Синьхуа, kk: Синьхуа агенттігіне сұхбат, zh: 接受新华社采访, fr: entretien avec Xinhua}")
	b := mustLoad(t, files{"facts/a.yaml": fact, "counters/a.yaml": goodCounters, "counters/n.yaml": goodNames})
	fg := b.Fact("trade-2023").Figures[0]
	for _, tc := range []struct {
		lang Lang
		want string
	}{
		{EN, "President Tokayev (Trend); Chinese customs (GACC); Trend (interview with Xinhua)"},
		{RU, "президент Токаев (Trend); таможня КНР (ГТУ); Trend (интервью агентству Синьхуа)"},
		{ZH, "托卡耶夫总统（Trend）；中国海关总署；Trend（接受新华社采访）"},
		{FR, "le président Tokaïev (Trend); douanes chinoises (GACC); Trend (entretien avec Xinhua)"},
	} {
		if got := b.ByText(fg, tc.lang); got != tc.want {
			t.Errorf("ByText(%s) = %q, want %q", tc.lang, got, tc.want)
		}
	}
	if got := b.ByPublishers(fg); strings.Join(got, "|") != "Trend|Trend" {
		t.Errorf("ByPublishers = %q, want the two Trend parts", got)
	}
}

// TestLoadByProblems: by lists names only; what they said goes in by_note,
// in all five languages.
func TestLoadByProblems(t *testing.T) {
	for _, tc := range []struct {
		name, fact, want string
	}{
		{"description in by", byFact("Tokayev (interview with Xinhua)"),
			`facts/a.yaml:14: fact "trade-2023": figure "$41 billion": by names "interview with Xinhua", which is no counting body or name (counters/) and no publisher of the fact's sources; by lists who gives the figure, by_note how`},
		{"unknown person", byFact("Smailov"),
			`facts/a.yaml:14: fact "trade-2023": figure "$41 billion": by names "Smailov", which is no counting body or name (counters/) and no publisher of the fact's sources; by lists who gives the figure, by_note how`},
		{"by_note in one language", byFact("Trend\n        by_note: {en: interview}"),
			`facts/a.yaml:18: fact "trade-2023": figure "$41 billion": by_note: note has no text in ru`},
		{"by_note without by", strings.Replace(goodFact, "by: GACC\n", "by_note: {en: a, ru: a, kk: a, zh: a, fr: a}\n", 1),
			`facts/a.yaml:17: fact "trade-2023": figure "$41 billion" has a by_note but no by`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(mapFS(files{"facts/a.yaml": tc.fact, "counters/a.yaml": goodCounters, "counters/n.yaml": goodNames}))
			wantProblem(t, err, tc.want)
		})
	}
}

// TestCuratedByIsNamesOnly: no by of the curated base carries a
// description: every part is a name the reader's language has, or a
// publisher of the fact's sources (the loader's rule, which the curated
// base opts into by listing names).
func TestCuratedByIsNamesOnly(t *testing.T) {
	b := mustCurated(t)
	if len(b.Names) == 0 {
		t.Fatal("the curated base lists no names, so its by is not checked")
	}
}
