package knowledge

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// goodFact is a valid fact; tests break one thing at a time.
const goodFact = `facts:
  - id: trade-2023
    topic: trade
    measures: [trade-turnover]
    tags: [customs]
    date: "2023"
    text:
      en: Trade reached $41 billion in 2023.
      ru: Товарооборот достиг 41 млрд долларов в 2023 году.
      kk: 2023 жылы тауар айналымы 41 млрд долларға жетті.
      zh: 2023年贸易额达到410亿美元。
      fr: Les échanges ont atteint 41 milliards de dollars en 2023.
    figures:
      - value: "$41 billion"
        unit: USD
        date: "2023"
        by: GACC
    sources:
      - publisher: Trend
        url: https://en.trend.az/casia/kazakhstan/3878515.html
        date: "2024-03-28"
`

const goodDoc = `---
id: briefing-en
title: A briefing
lang: en
date: "2024-09"
topic: events
facts: [trade-2023]
sources:
  - publisher: The Astana Times
    url: https://astanatimes.com/x
---
# First heading
First paragraph,
still first.

Second paragraph.

## Second heading
- a list item
`

func mustLoad(t *testing.T, files map[string]string) *Base {
	t.Helper()
	b, err := Load(mapFS(files))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return b
}

// goodMeasures is a valid thesaurus; mapFS adds it to a folder that has
// none, so that fixtures about other things need not repeat it.
const goodMeasures = `measures:
  - id: trade-turnover
    name: {en: trade turnover, ru: товарооборот, kk: тауар айналымы, zh: 贸易额, fr: échanges commerciaux}
    words:
      en: [trade turnover, trade]
      ru: [товарооборот*, объем* торговл*]
      kk: [тауар айналым*, сауда*]
      zh: [贸易额, 贸易]
      fr: [échanges commerciaux, commerce]
`

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	hasMeasures := false
	for name := range files {
		hasMeasures = hasMeasures || strings.HasPrefix(name, "measures/")
	}
	if !hasMeasures {
		m["measures/default.yaml"] = &fstest.MapFile{Data: []byte(goodMeasures)}
	}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return m
}

func TestLoadGood(t *testing.T) {
	b := mustLoad(t, files{
		"facts/a.yaml":      goodFact,
		"documents/b.en.md": goodDoc,
		"aliases/core.yaml": "aliases:\n  - id: kazakhstan\n    forms: [Kazakhstan, Казахстан*]\n",
		"eval/a.yaml":       "cases:\n  - q: trade 2023?\n    lang: en\n    want: [trade-2023]\n  - q: weather\n    lang: en\n    out_of_scope: true\n  - q: briefing\n    lang: en\n    want: [briefing-en#2]\n",
		"facts/notes.txt":   "ignored: not a .yaml file",
	})
	f := b.Fact("trade-2023")
	if f == nil {
		t.Fatal(`Fact("trade-2023") = nil`)
	}
	if f.Text[ZH] != "2023年贸易额达到410亿美元。" || f.Figures[0].Value != "$41 billion" || f.Sources[0].Date != "2024-03-28" || f.Pos.Line != 2 {
		t.Errorf("fact = %+v", f)
	}
	d := b.Document("briefing-en")
	if d == nil || len(d.Passages) != 3 {
		t.Fatalf("Document(briefing-en) = %+v, want 3 passages", d)
	}
	want := []Passage{
		{ID: "briefing-en#1", DocID: "briefing-en", Heading: "First heading", Text: "First paragraph, still first.", Lang: EN, Line: 13},
		{ID: "briefing-en#2", DocID: "briefing-en", Heading: "First heading", Text: "Second paragraph.", Lang: EN, Line: 16},
		{ID: "briefing-en#3", DocID: "briefing-en", Heading: "Second heading", Text: "a list item", Lang: EN, Line: 19},
	}
	for i, p := range d.Passages {
		if p != want[i] {
			t.Errorf("passage %d = %+v, want %+v", i, p, want[i])
		}
	}
	if len(b.Aliases) != 1 || len(b.Eval) != 3 || !b.Eval[1].OutOfScope {
		t.Errorf("aliases %v, eval %v", b.Aliases, b.Eval)
	}
}

type files = map[string]string

// figureNote and sourceNote are notes in all five languages, to add after a
// figure's "by" and a source's "date" in goodFact.
const (
	figureNote = `        note:
          en: "+32%, about a third more"
          ru: рост на 32%, примерно на треть
          kk: шамамен 32%-ға өсті
          zh: 增长32%，约三分之一
          fr: "+32 %, environ un tiers de plus"
`
	sourceNote = `        note:
          en: interview with the ambassador
          ru: интервью с послом
          kk: елшімен сұхбат
          zh: 大使访谈
          fr: entretien avec l'ambassadeur
`
)

// A note is read in all five languages; a figure or source without one has
// none.
func TestLoadNotes(t *testing.T) {
	fact := strings.Replace(goodFact, "        by: GACC\n", "        by: GACC\n"+figureNote, 1)
	fact = strings.Replace(fact, `        date: "2024-03-28"`+"\n", `        date: "2024-03-28"`+"\n"+sourceNote, 1)
	f := mustLoad(t, files{"facts/a.yaml": fact}).Fact("trade-2023")
	if got := f.Figures[0].Note; got[EN] != "+32%, about a third more" || got[KK] != "шамамен 32%-ға өсті" || len(got) != 5 {
		t.Errorf("figure note = %q", got)
	}
	if got := f.Sources[0].Note; got[ZH] != "大使访谈" || got[FR] != "entretien avec l'ambassadeur" || len(got) != 5 {
		t.Errorf("source note = %q", got)
	}
	f = mustLoad(t, files{"facts/a.yaml": goodFact}).Fact("trade-2023")
	if f.Figures[0].Note != nil || f.Sources[0].Note != nil {
		t.Errorf("notes of a fact without any = %q, %q, want nil", f.Figures[0].Note, f.Sources[0].Note)
	}
}

func TestLoadProblems(t *testing.T) {
	fact := func(old, new string) string {
		if !strings.Contains(goodFact, old) {
			panic("fixture has no " + old)
		}
		return strings.Replace(goodFact, old, new, 1)
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown field", map[string]string{"facts/a.yaml": fact("    topic: trade\n", "    topic: trade\n    colour: red\n")},
			`facts/a.yaml:4: unknown field "colour" in fact`},
		{"missing id", map[string]string{"facts/a.yaml": fact("  - id: trade-2023\n    topic", "  - topic")},
			`facts/a.yaml:2: fact has no id`},
		{"malformed id", map[string]string{"facts/a.yaml": fact("id: trade-2023", "id: Trade_2023")},
			`facts/a.yaml:2: fact id "Trade_2023" must be lower-case letters, digits and dashes`},
		{"duplicate id", map[string]string{"facts/a.yaml": goodFact, "facts/b.yaml": goodFact},
			`facts/b.yaml:2: duplicate id "trade-2023" (first at facts/a.yaml:2)`},
		{"no source", map[string]string{"facts/a.yaml": goodFact[:strings.Index(goodFact, "    sources:")]},
			`facts/a.yaml:2: fact "trade-2023" has no source`},
		{"missing language", map[string]string{"facts/a.yaml": fact("      kk: 2023 жылы тауар айналымы 41 млрд долларға жетті.\n", "")},
			`facts/a.yaml:8: fact "trade-2023" has no text in kk`},
		{"no text at all", map[string]string{"facts/a.yaml": fact("    text:\n", "    txt:\n")},
			`facts/a.yaml:2: fact "trade-2023" has no text`},
		{"malformed URL", map[string]string{"facts/a.yaml": fact("url: https://en.trend.az/casia/kazakhstan/3878515.html", "url: en.trend.az/casia")},
			`facts/a.yaml:20: fact "trade-2023" has malformed URL "en.trend.az/casia"`},
		{"malformed source date", map[string]string{"facts/a.yaml": fact(`date: "2024-03-28"`, `date: "28.03.2024"`)},
			`facts/a.yaml:21: fact "trade-2023" has malformed date "28.03.2024"`},
		{"malformed as-of date", map[string]string{"facts/a.yaml": fact(`    date: "2023"`+"\n    text", `    date: "2023-13"`+"\n    text")},
			`facts/a.yaml:6: fact "trade-2023" has malformed date "2023-13"`},
		{"figure without unit", map[string]string{"facts/a.yaml": fact("        unit: USD\n", "")},
			`facts/a.yaml:14: fact "trade-2023": figure "$41 billion" has no unit`},
		{"unknown topic", map[string]string{"facts/a.yaml": fact("topic: trade", "topic: weather")},
			`facts/a.yaml:3: fact "trade-2023" has unknown topic "weather"`},
		{"eval unknown id", map[string]string{"facts/a.yaml": goodFact, "eval/e.yaml": "cases:\n  - q: what?\n    lang: en\n    want: [no-such-fact]\n"},
			`eval/e.yaml:2: eval case points at unknown id "no-such-fact"`},
		{"eval without want", map[string]string{"eval/e.yaml": "cases:\n  - q: what?\n    lang: en\n"},
			`eval/e.yaml:2: eval case needs either want ids or out_of_scope: true`},
		{"document without title", map[string]string{"facts/a.yaml": goodFact, "documents/d.md": strings.Replace(goodDoc, "title: A briefing\n", "", 1)},
			`documents/d.md:1: document has no title`},
		{"document without front matter", map[string]string{"documents/d.md": "# Just markdown\n"},
			`documents/d.md:1: document has no front matter (a first line "---")`},
		{"document unknown field", map[string]string{"facts/a.yaml": goodFact, "documents/d.md": strings.Replace(goodDoc, "topic: events\n", "topic: events\nauthor: me\n", 1)},
			`documents/d.md:7: unknown field "author" in front matter`},
		{"bad YAML", map[string]string{"facts/a.yaml": "facts:\n  - id: x\n    topic: a: b\n"},
			`facts/a.yaml:3: invalid YAML: mapping values are not allowed in this context`},
		{"alias without forms", map[string]string{"aliases/a.yaml": "aliases:\n  - id: kazakhstan\n"},
			`aliases/a.yaml:2: alias "kazakhstan" has no forms`},
		{"alias of an unknown kind", map[string]string{"aliases/a.yaml": "aliases:\n  - id: russia\n    kind: country\n    forms: [Russia]\n"},
			`aliases/a.yaml:3: alias kind "country": want "partner" or none`},
		{"figure note missing a language", map[string]string{"facts/a.yaml": fact("        by: GACC\n", "        by: GACC\n"+strings.Replace(figureNote, "          kk: шамамен 32%-ға өсті\n", "", 1))},
			`facts/a.yaml:19: fact "trade-2023": figure "$41 billion": note has no text in kk`},
		{"source note missing a language", map[string]string{"facts/a.yaml": fact(`        date: "2024-03-28"`+"\n", `        date: "2024-03-28"`+"\n"+strings.Replace(sourceNote, "          fr: entretien avec l'ambassadeur\n", "", 1))},
			`facts/a.yaml:23: fact "trade-2023": source "Trend": note has no text in fr`},
		{"figure note in English only", map[string]string{"facts/a.yaml": fact("        by: GACC\n", "        by: GACC\n        note: \"+32%\"\n")},
			`facts/a.yaml:18: fact "trade-2023": figure "$41 billion": note must be a mapping with its text in en, ru, kk, zh and fr`},
		{"source note in English only", map[string]string{"facts/a.yaml": fact(`        date: "2024-03-28"`+"\n", `        date: "2024-03-28"`+"\n        note: URL not recorded\n")},
			`facts/a.yaml:22: fact "trade-2023": source "Trend": note must be a mapping with its text in en, ru, kk, zh and fr`},
		{"document source note in English only", map[string]string{"facts/a.yaml": goodFact, "documents/d.md": strings.Replace(goodDoc, "    url: https://astanatimes.com/x\n", "    url: https://astanatimes.com/x\n    note: original not seen\n", 1)},
			`documents/d.md:11: document "briefing-en": source "The Astana Times": note must be a mapping with its text in en, ru, kk, zh and fr`},
		{"note in an unknown language", map[string]string{"facts/a.yaml": fact("        by: GACC\n", "        by: GACC\n"+figureNote+"          de: etwa 32 % mehr\n")},
			`facts/a.yaml:24: unknown field "de" in note`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(mapFS(tc.files))
			wantProblem(t, err, tc.want)
		})
	}
}

// Every problem in one pass, sorted by file and line.
func TestLoadReportsAllSorted(t *testing.T) {
	bad := strings.Replace(goodFact, "        unit: USD\n", "", 1)
	bad = strings.Replace(bad, "topic: trade", "topic: weather", 1)
	_, err := Load(mapFS(map[string]string{
		"facts/b.yaml": bad,
		"facts/a.yaml": strings.Replace(goodFact, "trade-2023", "other", 1),
		"eval/e.yaml":  "cases:\n  - q: x\n    lang: xx\n    want: [nope]\n",
	}))
	want := `eval/e.yaml:2: eval case has unknown lang "xx"
eval/e.yaml:2: eval case points at unknown id "nope"
facts/b.yaml:3: fact "trade-2023" has unknown topic "weather"
facts/b.yaml:14: fact "trade-2023": figure "$41 billion" has no unit`
	if err == nil || err.Error() != want {
		t.Errorf("Load() error =\n%v\nwant\n%s", err, want)
	}
}

func TestValidPeriod(t *testing.T) {
	for s, want := range map[string]bool{
		"2023": true, "2024-09": true, "2024-09-12": true, "2024-Q1": true, "2023-H1": true,
		"2018-01..2018-09": true, "2013..2024": true,
		"2024-Q5": false, "2023-H3": false, "2024-13": false, "24": false, "Sep 2024": false, "": false,
	} {
		if got := ValidPeriod(s); got != want {
			t.Errorf("ValidPeriod(%q) = %v, want %v", s, got, want)
		}
	}
}

var posRE = regexp.MustCompile(`^[^:]+:[1-9][0-9]*: .+`)

// FuzzLoad: loading never panics, and every problem carries a file:line.
func FuzzLoad(f *testing.F) {
	f.Add(goodFact, goodDoc, "cases:\n  - q: x\n    lang: en\n    want: [trade-2023]\n")
	f.Add("facts: [", "---\n---\n", "cases: 3")
	f.Add("facts:\n  - id: a\n    text: {en: x}\n", "---\ntitle: [\n---\n", "")
	f.Add("\xff\xfe", "---\nid: x\n", "cases:\n  - out_of_scope: maybe\n")
	f.Add(strings.Replace(goodFact, "        by: GACC\n", "        by: GACC\n        note: {en: x, ru: [y], kk: {z: 1}}\n", 1),
		strings.Replace(goodDoc, "    url: https://astanatimes.com/x\n", "    note: [a]\n", 1), "")
	f.Fuzz(func(t *testing.T, fact, doc, eval string) {
		_, err := Load(mapFS(map[string]string{"facts/f.yaml": fact, "documents/d.md": doc, "eval/e.yaml": eval}))
		if err == nil {
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
