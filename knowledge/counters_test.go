package knowledge

import (
	"strings"
	"testing"
)

const goodCounters = `counters:
  - id: chinese-customs
    name: {en: Chinese customs (GACC), ru: таможня КНР (ГТУ), kk: ҚХР кедені, zh: 中国海关总署, fr: douanes chinoises (GACC)}
    measures: [trade-turnover]
    by: [GACC, GAC, Chinese customs]
  - id: kazakh-statistics
    name: {en: Kazakh statistics, ru: Бюро национальной статистики РК, kk: ҚР Ұлттық статистика бюросы, zh: 哈萨克斯坦国家统计局, fr: statistiques kazakhstanaises}
    measures: [trade-turnover]
    by: [Kazakh statistics]
`

func TestLoadCounters(t *testing.T) {
	b := mustLoad(t, files{"facts/a.yaml": goodFact, "counters/a.yaml": goodCounters})
	if len(b.Counters) != 2 || b.Counter("kazakh-statistics").Name[KK] != "ҚР Ұлттық статистика бюросы" {
		t.Fatalf("counters = %+v", b.Counters)
	}
	f := b.Fact("trade-2023")
	if c := b.FigureCounter(f.Figures[0], "trade-turnover"); c == nil || c.ID != "chinese-customs" {
		t.Errorf("FigureCounter(by GACC) = %v, want chinese-customs", c)
	}
	if c := b.FigureCounter(f.Figures[0], "rail-cargo"); c != nil {
		t.Errorf("FigureCounter(by GACC, rail-cargo) = %v, want none: customs do not count rail cargo", c.ID)
	}
}

func TestContainsPhrase(t *testing.T) {
	for _, tc := range []struct {
		s, phrase string
		want      bool
	}{
		{"GAC (Chinese customs), per Emil Avdaliani", "GAC", true},
		{"GACC (Chinese customs)", "GAC", false},
		{"GACC (Chinese customs)", "chinese customs", true},
		{"Reuters (Kazakh statistics)", "Kazakh statistics", true},
		{"Kazakh statisticsX", "Kazakh statistics", false},
		{"People's Daily (Arabic edition)", "People's Daily (French edition)", false},
		{"", "GAC", false},
	} {
		if got := containsPhrase(tc.s, tc.phrase); got != tc.want {
			t.Errorf("containsPhrase(%q, %q) = %v, want %v", tc.s, tc.phrase, got, tc.want)
		}
	}
}

func TestLoadCounterProblems(t *testing.T) {
	counters := func(old, new string) string {
		if !strings.Contains(goodCounters, old) {
			panic("fixture has no " + old)
		}
		return strings.Replace(goodCounters, old, new, 1)
	}
	fact := func(old, new string) string {
		if !strings.Contains(goodFact, old) {
			panic("fixture has no " + old)
		}
		return strings.Replace(goodFact, old, new, 1)
	}
	numeric := strings.Replace(goodMeasures, "    words:", "    numeric: true\n    words:", 1)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no id", files{"counters/a.yaml": counters("  - id: chinese-customs\n", "  - \n")},
			`counters/a.yaml:3: counter has no id`},
		{"duplicate id", files{"counters/a.yaml": counters("id: kazakh-statistics", "id: chinese-customs")},
			`counters/a.yaml:6: duplicate counter id "chinese-customs" (first at counters/a.yaml:2)`},
		{"missing language", files{"counters/a.yaml": counters(", kk: ҚХР кедені", "")},
			`counters/a.yaml:3: counter "chinese-customs" has no name in kk`},
		{"unknown measure", files{"counters/a.yaml": counters("measures: [trade-turnover]\n    by: [GACC", "measures: [rail-cargo]\n    by: [GACC")},
			`counters/a.yaml:4: counter "chinese-customs" counts unknown measure "rail-cargo"`},
		{"no by", files{"counters/a.yaml": counters("    by: [Kazakh statistics]\n", "")},
			`counters/a.yaml:6: counter "kazakh-statistics" has no by (the phrasings of a figure's by that mean it)`},
		{"by twice", files{"counters/a.yaml": counters("[GACC, GAC,", "[GACC, gacc,")},
			`counters/a.yaml:5: counter "chinese-customs" lists by "gacc" twice`},
		{"by names two bodies", files{"counters/a.yaml": goodCounters, "facts/a.yaml": fact("by: GACC", "by: GACC and Kazakh statistics")},
			`facts/a.yaml:14: fact "trade-2023": figure "$41 billion": by "GACC and Kazakh statistics" names more than one counting body: chinese-customs and kazakh-statistics; say which with counter:`},
		{"unknown counter", files{"counters/a.yaml": goodCounters, "facts/a.yaml": fact("by: GACC\n", "by: GACC\n        counter: customs\n")},
			`facts/a.yaml:14: fact "trade-2023": figure "$41 billion" names unknown counter "customs"`},
		{"unreadable amount in a series", files{"measures/m.yaml": numeric, "facts/a.yaml": fact(`"$41 billion"`, `"forty-one billion dollars"`)},
			`facts/a.yaml:14: fact "trade-2023": figure "forty-one billion dollars" of a numeric measure cannot be read as an amount (no number in "forty-one billion dollars"); rewrite the value or give amount: (a readable value, or "none")`},
		{"unreadable amount override", files{"facts/a.yaml": fact("by: GACC\n", "by: GACC\n        amount: lots\n")},
			`facts/a.yaml:14: fact "trade-2023": figure "$41 billion": amount "lots" cannot be read: no number in "lots"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(mapFS(tc.files))
			wantProblem(t, err, tc.want)
		})
	}
}

// An unreadable figure outside any series (a measure that is not numeric),
// or one marked amount: none, is no problem.
func TestLoadUnreadableOutsideSeries(t *testing.T) {
	mustLoad(t, files{"facts/a.yaml": strings.Replace(goodFact, `"$41 billion"`, `"forty-one billion dollars"`, 1)})
	numeric := strings.Replace(goodMeasures, "    words:", "    numeric: true\n    words:", 1)
	mustLoad(t, files{"measures/m.yaml": numeric, "facts/a.yaml": strings.Replace(goodFact, "by: GACC\n", "by: GACC\n        amount: none\n", 1)})
}

// TestCuratedCounters: the trade figures of the curated base are each
// counting body's as knowledge-sources.md says, and no other.
func TestCuratedCounters(t *testing.T) {
	b := mustCurated(t)
	want := map[string]string{ // fact id + value → counter id ("" none)
		"trade-2023 $41 billion":            "chinese-customs",
		"trade-2023 $41.02 billion":         "chinese-customs",
		"trade-2023 $31.5 billion":          "kazakh-statistics",
		"trade-2022 $31.2 billion":          "chinese-customs",
		"trade-2022 $24.1 billion":          "kazakh-statistics",
		"trade-2022 >$24 billion":           "", // Smailov: an official, not a statistic
		"trade-2021 $25.25 billion":         "chinese-customs",
		"trade-2021 $18 billion":            "", // el.kz (Kazakh side): whose statistics not said
		"trade-2021 $17 billion":            "",
		"trade-2018 $19.88 billion":         "chinese-customs",
		"trade-2018 $19.885 billion":        "", // the ambassador does not say whose
		"trade-2018 $12 billion":            "kazakh-statistics",
		"trade-2017 $18 billion":            "", // People's Daily (Arabic): not stated
		"trade-2013 $28.6 billion":          "chinese-customs",
		"trade-1992 $368 million":           "",
		"trade-2024 $43.82 billion":         "chinese-customs",
		"trade-2024 $43.8 billion":          "", // orda.kz
		"trade-2024 $44 billion":            "",
		"trade-2020-jan-apr $5 billion":     "", // Qazaq TV: not stated
		"china-ca-trade-2023 $89.4 billion": "chinese-customs",
	}
	seen := 0
	for _, f := range b.Facts {
		for _, fg := range f.Figures {
			id, ok := want[f.ID+" "+fg.Value]
			if !ok {
				continue
			}
			seen++
			got := ""
			if c := b.FigureCounter(fg, f.Measures[0]); c != nil {
				got = c.ID
			}
			if got != id {
				t.Errorf("%s %s (by %q): counter %q, want %q", f.ID, fg.Value, fg.By, got, id)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d figures", seen, len(want))
	}
}
