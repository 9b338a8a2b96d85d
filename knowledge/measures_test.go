package knowledge

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// goodMeasureFile is a valid measure file; tests break one thing at a time.
const goodMeasureFile = `measures:
  - id: trade-turnover
    name: {en: trade turnover, ru: товарооборот, kk: тауар айналымы, zh: 贸易额, fr: échanges commerciaux}
    numeric: true
    words:
      en: [trade turnover, trade]
      ru: [товарооборот*, объем* торговл*]
      kk: [тауар айналым*, сауда*]
      zh: [贸易额, 贸易]
      fr: [échanges commerciaux, commerce]
  - id: china-ca-trade
    name: {en: China–Central Asia trade, ru: торговля Китая с ЦА, kk: Қытай мен Орталық Азия саудасы, zh: 中国与中亚贸易, fr: commerce Chine–Asie centrale}
    words:
      en: [central asia trade]
      ru: [торговл* с центральной азией]
      kk: [Орталық Азиямен сауда*]
      zh: [中亚贸易]
      fr: [commerce avec l'asie centrale]
    refines:
      measures: [trade-turnover]
      entities: [central-asia]
`

const centralAsiaAlias = "aliases:\n  - id: central-asia\n    forms: [Central Asia, Центральной Азией]\n"

func TestLoadMeasures(t *testing.T) {
	b := mustLoad(t, files{"facts/a.yaml": goodFact, "measures/m.yaml": goodMeasureFile, "aliases/a.yaml": centralAsiaAlias})
	if len(b.Measures()) != 2 {
		t.Fatalf("Measures() = %v, want 2", b.Measures())
	}
	m := b.Measure("trade-turnover")
	if m == nil || m.Name[ZH] != "贸易额" || !m.Numeric || !b.Numeric("trade-turnover") || m.Pos != (Pos{"measures/m.yaml", 2}) ||
		!reflect.DeepEqual(m.Words[RU], []string{"товарооборот*", "объем* торговл*"}) {
		t.Errorf("Measure(trade-turnover) = %+v", m)
	}
	ca := b.Measure("china-ca-trade")
	if ca == nil || ca.Numeric || !reflect.DeepEqual(ca.Refines, Refinement{Measures: []string{"trade-turnover"}, Entities: []string{"central-asia"}}) {
		t.Errorf("Measure(china-ca-trade) = %+v", ca)
	}
	if b.Measure("nope") != nil || b.Numeric("nope") {
		t.Error("an unknown measure exists")
	}
	if f := b.Fact("trade-2023"); !reflect.DeepEqual(f.Measures, []string{"trade-turnover"}) {
		t.Errorf("fact measures = %v", f.Measures)
	}
	if fs := b.MeasureFacts("trade-turnover"); len(fs) != 1 || fs[0].ID != "trade-2023" || len(b.MeasureFacts("china-ca-trade")) != 0 {
		t.Errorf("MeasureFacts = %v", fs)
	}
}

func TestLoadMeasureProblems(t *testing.T) {
	measure := func(old, new string) string {
		if !strings.Contains(goodMeasureFile, old) {
			panic("fixture has no " + old)
		}
		return strings.Replace(goodMeasureFile, old, new, 1)
	}
	fact := func(old, new string) string {
		if !strings.Contains(goodFact, old) {
			panic("fixture has no " + old)
		}
		return strings.Replace(goodFact, old, new, 1)
	}
	withFact := func(f string) files {
		return files{"facts/a.yaml": f, "measures/m.yaml": goodMeasureFile, "aliases/a.yaml": centralAsiaAlias}
	}
	withMeasures := func(m string) files {
		return files{"facts/a.yaml": goodFact, "measures/m.yaml": m, "aliases/a.yaml": centralAsiaAlias}
	}
	for _, tc := range []struct {
		name  string
		files files
		want  string
	}{
		{"fact without measures", withFact(fact("    measures: [trade-turnover]\n", "")),
			`facts/a.yaml:2: fact "trade-2023" has no measures`},
		{"fact with an empty list", withFact(fact("measures: [trade-turnover]", "measures: []")),
			`facts/a.yaml:4: fact "trade-2023" has no measures`},
		{"unknown measure", withFact(fact("measures: [trade-turnover]", "measures: [trade-turnover, trade-volume]")),
			`facts/a.yaml:4: fact "trade-2023" has unknown measure "trade-volume"`},
		{"measure listed twice", withFact(fact("measures: [trade-turnover]", "measures: [trade-turnover, trade-turnover]")),
			`facts/a.yaml:4: fact "trade-2023" lists measure "trade-turnover" twice`},
		{"measure without id", withMeasures(measure("  - id: trade-turnover\n    name", "  - name")),
			`measures/m.yaml:2: measure has no id`},
		{"malformed id", withMeasures(measure("id: trade-turnover", "id: Trade Turnover")),
			`measures/m.yaml:2: measure id "Trade Turnover" must be lower-case letters, digits and dashes`},
		{"duplicate id", files{"facts/a.yaml": goodFact, "measures/a.yaml": goodMeasureFile, "measures/b.yaml": goodMeasureFile, "aliases/a.yaml": centralAsiaAlias},
			`measures/b.yaml:2: duplicate measure id "trade-turnover" (first at measures/a.yaml:2)`},
		{"no name", withMeasures(measure("    name: {en: trade turnover, ru: товарооборот, kk: тауар айналымы, zh: 贸易额, fr: échanges commerciaux}\n", "")),
			`measures/m.yaml:2: measure "trade-turnover" has no name`},
		{"no name in a language", withMeasures(measure(" kk: тауар айналымы,", "")),
			`measures/m.yaml:3: measure "trade-turnover" has no name in kk`},
		{"no words", withMeasures(measure("    words:\n      en: [trade turnover, trade]\n      ru: [товарооборот*, объем* торговл*]\n      kk: [тауар айналым*, сауда*]\n      zh: [贸易额, 贸易]\n      fr: [échanges commerciaux, commerce]\n", "")),
			`measures/m.yaml:2: measure "trade-turnover" has no words`},
		{"no words in a language", withMeasures(measure("      zh: [贸易额, 贸易]\n", "")),
			`measures/m.yaml:6: measure "trade-turnover" has no words in zh`},
		{"empty words in a language", withMeasures(measure("      zh: [贸易额, 贸易]", "      zh: []")),
			`measures/m.yaml:9: measure "trade-turnover" has no words in zh`},
		{"duplicate word", withMeasures(measure("en: [trade turnover, trade]", "en: [trade turnover, trade, Trade]")),
			`measures/m.yaml:6: measure "trade-turnover" lists the word "Trade" twice in en (first as "trade" at line 6)`},
		{"duplicate word folded", withMeasures(measure("ru: [товарооборот*, объем* торговл*]", "ru: [товарооборот*, объем* торговл*, объём* торговл*]")),
			`measures/m.yaml:7: measure "trade-turnover" lists the word "объём* торговл*" twice in ru (first as "объем* торговл*" at line 7)`},
		{"lone star", withMeasures(measure("en: [trade turnover, trade]", "en: [trade turnover, trade, \"*\"]")),
			`measures/m.yaml:6: measure "trade-turnover" has malformed word "*": a lone "*"`},
		{"star inside a word", withMeasures(measure("en: [trade turnover, trade]", "en: [trade turnover, trade, tra*de]")),
			`measures/m.yaml:6: measure "trade-turnover" has malformed word "tra*de": "*" may only end a word`},
		{"star in Chinese", withMeasures(measure("zh: [贸易额, 贸易]", "zh: [贸易额, 贸易*]")),
			`measures/m.yaml:9: measure "trade-turnover" has malformed word "贸易*": Chinese is matched anywhere in the text, "*" means nothing there`},
		{"short prefix", withMeasures(measure("ru: [товарооборот*, объем* торговл*]", "ru: [товарооборот*, объем* торговл*, то*]")),
			`measures/m.yaml:7: measure "trade-turnover" has malformed word "то*": a prefix shorter than 3 letters matches too many words`},
		{"numeric not a bool", withMeasures(measure("numeric: true", "numeric: yes please")),
			`measures/m.yaml:4: measure "trade-turnover": numeric must be true or false, not "yes please"`},
		{"unknown field", withMeasures(measure("    numeric: true\n", "    numeric: true\n    unit: USD\n")),
			`measures/m.yaml:5: unknown field "unit" in measure`},
		{"refines an unknown measure", withMeasures(measure("measures: [trade-turnover]", "measures: [trade-volume]")),
			`measures/m.yaml:11: measure "china-ca-trade" refines unknown measure "trade-volume"`},
		{"refines with an unknown alias", withMeasures(measure("entities: [central-asia]", "entities: [centralasia]")),
			`measures/m.yaml:11: measure "china-ca-trade" refines with unknown alias "centralasia"`},
		{"refines without entities", withMeasures(measure("      entities: [central-asia]\n", "")),
			`measures/m.yaml:20: measure "china-ca-trade": refines needs both measures and entities`},
		{"measure file not a mapping", withMeasures("- id: x\n"),
			`measures/m.yaml:1: expected a mapping at the top of the file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(mapFS(tc.files))
			wantProblem(t, err, tc.want)
		})
	}
}

// FuzzLoadMeasures: a measure file never makes loading panic, and every
// problem carries a file:line.
func FuzzLoadMeasures(f *testing.F) {
	f.Add(goodMeasureFile, goodFact)
	f.Add("measures: [", "facts: [")
	f.Add("measures:\n  - id: x\n    words: {en: [\"*\", a*b, 贸易*]}\n", "facts:\n  - id: a\n    measures: [x, x, y]\n")
	f.Add("measures:\n  - id: x\n    refines: {measures: [y]}\n    numeric: maybe\n", goodFact)
	f.Fuzz(func(t *testing.T, measures, fact string) {
		b, err := Load(mapFS(files{"measures/m.yaml": measures, "facts/f.yaml": fact}))
		if err == nil {
			b.Understand("trade 2023", time.Now())
			return
		}
		var probs Problems
		if !errors.As(err, &probs) {
			t.Fatalf("Load() error %v is not Problems", err)
		}
		for _, p := range probs {
			if p.Pos.File == "" || p.Pos.Line < 1 || !posRE.MatchString(p.String()) {
				t.Fatalf("problem without a position: %q", p.String())
			}
		}
	})
}

// LatestPeriod is the newest observed period: figure dates up to the
// sources' dates, attributed by their notes, the coarser of two that end
// together.
func TestLatestPeriod(t *testing.T) {
	const facts = `facts:
  - id: trade-2024
    topic: trade
    measures: [trade-turnover]
    date: "2024"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "$44 billion", unit: USD, date: "2024"}
      - {value: "$10 billion", unit: USD, date: "2024-Q4"}
    sources: [{publisher: X, date: "2025-01-20"}]
  - id: target
    topic: trade
    measures: [trade-turnover]
    date: "2023"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "$40 billion", unit: USD, date: "2030", note: {en: target, ru: цель, kk: меже, zh: 目标, fr: objectif}}
    sources: [{publisher: X, date: "2023-10"}]
  - id: article
    topic: trade
    measures: [trade-turnover, china-ca-trade]
    date: "2025-08"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "$100 billion", unit: USD, date: "2025-06", note: {en: Central Asia trade, ru: торговля с Центральной Азией, kk: Орталық Азиямен сауда, zh: 与中亚的贸易, fr: commerce avec l'Asie centrale}}
      - {value: "$5 billion", unit: USD, date: "2025-H1"}
    sources: [{publisher: X, date: "2025-08"}]
  - id: undated
    topic: trade
    measures: [china-ca-trade]
    date: "2025-07"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    sources: [{publisher: X}]
`
	b := mustLoad(t, files{"facts/a.yaml": facts, "measures/m.yaml": goodMeasureFile, "aliases/a.yaml": centralAsiaAlias})
	// trade-turnover: 2024 beats 2024-Q4 (same end, coarser); 2030 is a
	// target; the 2025-06 figure is about Central Asia; 2025-H1 names
	// nothing and counts for both.
	if got := b.LatestPeriod("trade-turnover"); got != "2025-H1" {
		t.Errorf("LatestPeriod(trade-turnover) = %q, want 2025-H1", got)
	}
	if got := b.LatestPeriod("china-ca-trade"); got != "2025-07" {
		t.Errorf("LatestPeriod(china-ca-trade) = %q, want 2025-07 (the undated fact's own date)", got)
	}
	in := b.Understand("latest trade figures", time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC))
	if p := b.ResolvePeriod(in); p.Value != "2025-H1" || p.Kind != PeriodPart || p.Relative != RelLatest || p.Said != "latest" {
		t.Errorf("ResolvePeriod = %+v, want 2025-H1, said latest", p)
	}
	// As of a day asked: the newest period over by then; before any was
	// over, and with no day, the newest there is.
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		asked time.Time
		want  string
	}{
		{day(2025, 9, 1), "2025-H1"},
		{day(2025, 6, 30), "2024"},
		{day(2024, 11, 5), "2025-H1"}, // none over yet
		{time.Time{}, "2025-H1"},
	} {
		if got := b.LatestPeriodAsOf("trade-turnover", c.asked); got != c.want {
			t.Errorf("LatestPeriodAsOf(trade-turnover, %s) = %q, want %q", c.asked.Format(time.DateOnly), got, c.want)
		}
	}
	in = b.Understand("latest trade figures", day(2025, 3, 1))
	if p := b.ResolvePeriodAsOf(in, day(2025, 3, 1)); p.Value != "2024" || p.Relative != RelLatest {
		t.Errorf("ResolvePeriodAsOf(2025-03-01) = %+v, want 2024, latest", p)
	}
	// "This year", not over yet: its newest part over by the day asked.
	in = b.Understand("trade this year", day(2025, 9, 1))
	if p := b.ResolvePeriodAsOf(in, day(2025, 9, 1)); p.Value != "2025-H1" || p.Kind != PeriodPart || p.Relative != RelThisYear {
		t.Errorf("ResolvePeriodAsOf(trade this year, 2025-09-01) = %+v, want 2025-H1, this year", p)
	}
	if p := b.ResolvePeriodAsOf(in, day(2025, 3, 1)); p.Value != "2025" {
		t.Errorf("ResolvePeriodAsOf(trade this year, 2025-03-01) = %+v, want 2025: no part of it over", p)
	}
	b2 := mustLoad(t, files{"facts/a.yaml": strings.Replace(facts, `date: "2025-H1"`, `date: "2024"`, 1), "measures/m.yaml": goodMeasureFile, "aliases/a.yaml": centralAsiaAlias})
	if got := b2.LatestPeriod("trade-turnover"); got != "2024" {
		t.Errorf("LatestPeriod(trade-turnover) = %q, want 2024", got)
	}
}

func TestPeriodOf(t *testing.T) {
	for v, want := range map[string]Period{
		"2024":             {Kind: PeriodYear, Value: "2024", From: 2024, To: 2024},
		"2024-Q1":          {Kind: PeriodPart, Value: "2024-Q1", From: 2024, To: 2024},
		"2020-01..2020-04": {Kind: PeriodPart, Value: "2020-01..2020-04", From: 2020, To: 2020},
		"2013..2024":       {Kind: PeriodRange, Value: "2013..2024", From: 2013, To: 2024},
		"soon":             {},
	} {
		if got := PeriodOf(v); !reflect.DeepEqual(got, want) {
			t.Errorf("PeriodOf(%q) = %+v, want %+v", v, got, want)
		}
	}
}

func TestLexicon(t *testing.T) {
	x := newLexicon()
	for tag, forms := range [][]string{
		{"товарооборот*", "объем* торговл*", "trade", "贸易", "贸易额"},
		{"trade target", "цел* по товарооборот*"},
		{"investment", "инвестиц*"},
		{"investment", "direct investment"}, // "investment" names both tags
		{"中亚贸易"},
	} {
		for _, f := range forms {
			x.add(f, int32(tag))
		}
	}
	x.finish()
	x.buildFuzzy()
	find := func(text string) []int32 {
		norm := qfold(text)
		var tags []int32
		for _, h := range x.find(norm, words(norm), nil) {
			tags = append(tags, h.tag)
		}
		return tags
	}
	for _, tc := range []struct {
		text string
		want []int32
	}{
		{"Объёмом торговли и товарооборота", []int32{0, 0}}, // every word of a phrase may be a prefix
		{"товарооборо", nil},                      // a prefix of a stem is not the stem
		{"the trade target for 2030", []int32{1}}, // the longest phrase wins
		{"цели по товарообороту", []int32{1}},     // ...over its own last word
		{"chinese investment", []int32{2, 3}},     // a form of two measures gives both
		{"direct investment", []int32{3}},
		{"2023年中哈贸易额", []int32{0}}, // the longest Chinese form, once
		{"中国与中亚贸易额", []int32{4}},   // leftmost longest: 中亚贸易, then 额 alone
		{"", nil},
	} {
		if got := find(tc.text); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("find(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	for word, want := range map[string][]int32{
		"investmnet":  {2, 3}, // two letters swapped
		"инвестицый":  {2},    // a prefix one letter off
		"товарооборт": {0},    // a letter missing
		"trade":       nil,    // too short to guess
		"torgovlya":   nil,
	} {
		var got []int32
		for _, id := range x.nearest(qfold(word), nil, nil) {
			got = append(got, x.entries[id].tag)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("nearest(%q) = %v, want %v", word, got, want)
		}
	}
}

// Words the thesaurus must not catch, and a few it must, in the curated
// base: a too-short stem, or one that folds onto another language's word,
// shows here.
func TestThesaurusFalseFriends(t *testing.T) {
	b := mustCurated(t)
	asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for q, want := range map[string]string{
		"по данным":           "",               // дән* (grain) folds to дан*
		"осуществляется":      "",               // өсу* (growth) folds to осу*
		"осенью":              "",               // өсе*
		"Грузия":              "",               // груз* (cargo)
		"визит":               "visits-summits", // not виз* (visa)
		"виза":                "visa-regime",
		"портфель проектов":   "joint-projects", // not порт* (dry ports)
		"хабар":               "",               // Kazakh "news", not хаб (hub)
		"уран":                "uranium",        // not ұран (slogan)
		"газета":              "",               // not газ
		"доллар":              "",               // not доля (share)
		"поездки в Китай":     "border-crossings",
		"поездов":             "china-europe-trains",
		"нефтепровод":         "pipeline-capacity", // the longer stem, not нефт*
		"vegetable oil":       "agri-trade",
		"ветер":               "renewables",
		"nuclear power plant": "nuclear-power",
		"exchange rate":       "", // two edits from échanges: no typo
		"сапары":              "visits-summits",
	} {
		in := b.Understand(q, asked)
		got := ""
		if len(in.Measures) > 0 {
			got = in.Measures[0]
		}
		if got != want {
			t.Errorf("Understand(%q).Measures = %v, want %q first", q, in.Measures, want)
		}
	}
}

// The curated thesaurus: every measure names facts, has 5 to 30 words per
// language, and the measures that eval writers ask trends of exist and are
// numeric.
func TestCuratedMeasures(t *testing.T) {
	b := mustCurated(t)
	for _, m := range b.Measures() {
		if len(b.MeasureFacts(m.ID)) == 0 {
			t.Errorf("%s:%d: measure %q names no fact", m.Pos.File, m.Pos.Line, m.ID)
		}
		for _, l := range Langs {
			if n := len(m.Words[l]); n < 5 || n > 30 {
				t.Errorf("%s:%d: measure %q has %d words in %s, want 5 to 30", m.Pos.File, m.Pos.Line, m.ID, n, l)
			}
		}
	}
	for _, id := range []string{"trade-turnover", "kz-exports-to-china", "kz-imports-from-china", "china-ca-trade", "rail-cargo",
		"container-transit", "chinese-tourists", "joint-projects", "chinese-companies", "investment", "agri-trade"} {
		if !b.Numeric(id) || b.LatestPeriod(id) == "" {
			t.Errorf("trend measure %q: numeric %v, latest %q", id, b.Numeric(id), b.LatestPeriod(id))
		}
	}
}

// The content hash follows the measures, not the files they sit in.
func TestHashFollowsMeasures(t *testing.T) {
	a := mustLoad(t, files{"facts/a.yaml": goodFact, "measures/m.yaml": goodMeasureFile, "aliases/a.yaml": centralAsiaAlias})
	moved := mustLoad(t, files{"facts/a.yaml": goodFact, "measures/z.yaml": "# moved\n" + goodMeasureFile, "aliases/a.yaml": centralAsiaAlias})
	changed := mustLoad(t, files{"facts/a.yaml": goodFact, "measures/m.yaml": strings.Replace(goodMeasureFile, "en: [trade turnover, trade]", "en: [trade turnover, trade, commerce]", 1), "aliases/a.yaml": centralAsiaAlias})
	if a.Hash() != moved.Hash() {
		t.Error("moving a measure changed the hash")
	}
	if a.Hash() == changed.Hash() {
		t.Error("a new word kept the hash")
	}
	d := Compare(a, changed)
	if !reflect.DeepEqual(d.ChangedMeasures, []string{"trade-turnover"}) || len(d.AddedMeasures)+len(d.RemovedMeasures)+len(d.ChangedFacts) != 0 || d.Empty() {
		t.Errorf("Compare = %+v, want trade-turnover changed", d)
	}
	fewer := mustLoad(t, files{"facts/a.yaml": goodFact, "measures/m.yaml": goodMeasureFile[:strings.Index(goodMeasureFile, "  - id: china-ca-trade")], "aliases/a.yaml": centralAsiaAlias})
	if d := Compare(a, fewer); !reflect.DeepEqual(d.RemovedMeasures, []string{"china-ca-trade"}) {
		t.Errorf("Compare = %+v, want china-ca-trade removed", d)
	}
	if d := Compare(fewer, a); !reflect.DeepEqual(d.AddedMeasures, []string{"china-ca-trade"}) {
		t.Errorf("Compare = %+v, want china-ca-trade added", d)
	}
}
