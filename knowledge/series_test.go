package knowledge

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// seriesSummary writes a series as "by: year=figure year=figure".
func seriesSummary(ss []Series) []string {
	var out []string
	for _, s := range ss {
		var ps []string
		for _, p := range s.Points {
			ps = append(ps, fmt.Sprintf("%d=%s", p.Year, p.Figure.Value))
		}
		out = append(out, s.Unit+" "+s.By+": "+strings.Join(ps, " "))
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s =\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestCuratedTradeSeries pins the trade series of the curated base: one per
// counting body, never merged, one point a year, no part-year points.
func TestCuratedTradeSeries(t *testing.T) {
	b := mustCurated(t)
	var counted []Series
	for _, s := range b.Series("trade-turnover", 0, 0) {
		if s.Counter != nil {
			counted = append(counted, s)
		}
	}
	sameLines(t, "trade-turnover by counting body", seriesSummary(counted), []string{
		"USD chinese-customs: 2013=$28.6 billion 2018=$19.88 billion 2021=$25.25 billion 2022=$31.2 billion 2023=$41 billion 2024=$43.82 billion",
		"USD kazakh-statistics: 2018=$12 billion 2022=$24.1 billion 2023=$31.5 billion",
	})
	sameLines(t, "trade-turnover 2015–2022 by counting body", seriesSummary(b.Series("trade-turnover", 2015, 2022)[:2]), []string{
		"USD chinese-customs: 2018=$19.88 billion 2021=$25.25 billion 2022=$31.2 billion",
		"USD kazakh-statistics: 2018=$12 billion 2022=$24.1 billion",
	})
	for _, m := range []string{"kz-exports-to-china", "kz-imports-from-china", "china-ca-trade"} {
		var lines []string
		for _, s := range b.Series(m, 0, 0) {
			if s.Counter != nil || len(s.Points) > 1 {
				lines = append(lines, seriesSummary([]Series{s})...)
			}
		}
		want := map[string][]string{
			"kz-exports-to-china": {
				"USD chinese-customs: 2021=$11.27 billion 2023=$16.3 billion",
				"USD kazakh-statistics: 2022=$13.2 billion",
			},
			"kz-imports-from-china": {
				"USD chinese-customs: 2021=$13.98 billion 2023=$24.7 billion",
				"USD kazakh-statistics: 2022=$11 billion",
				"USD Kazinform: 2021=$8.2 billion 2024=$15.3 billion",
			},
			"china-ca-trade": {
				"USD chinese-customs: 2023=$89.4 billion 2024=$94.82 billion 2025=$106.3 billion",
				"CNY chinesetoday: 2013=312.04 billion yuan 2024=674.15 billion yuan",
			},
		}[m]
		sameLines(t, m, lines, want)
	}
	if ss := b.Series("visits-summits", 0, 0); ss != nil {
		t.Errorf("Series(visits-summits), not numeric, = %v, want none", seriesSummary(ss))
	}
}

// seriesBase is a base whose facts try the series rules one at a time.
const seriesFacts = `facts:
  - id: t-2022
    topic: trade
    measures: [trade-turnover, kz-exports-to-china]
    date: "2022"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "$31.2 billion", unit: USD, date: "2022", by: GACC}
      - {value: "$31.23 billion", unit: USD, date: "2022", by: Chinese customs, note: {en: "+23.6%", ru: "+23.6%", kk: "+23.6%", zh: "+23.6%", fr: "+23.6%"}}
      - {value: "$13.2 billion", unit: USD, date: "2022", by: Kazakh statistics, note: {en: "Kazakh exports to China", ru: "Kazakh exports to China", kk: "Kazakh exports to China", zh: "Kazakh exports to China", fr: "Kazakh exports to China"}}
      - {value: "$24.1 billion", unit: USD, date: "2022", by: Kazakh statistics}
      - {value: "$19.7 billion", unit: USD, date: "2022-01..2022-10", by: GACC}
      - {value: "$14 billion", unit: USD, date: "2022-H1", by: GACC}
      - {value: "+23.6%", unit: "%", date: "2022", by: GACC}
      - {value: "$30 billion", unit: USD, date: "2022", by: ""}
    sources: [{publisher: A, date: "2023"}]
  - id: other-2022
    topic: trade
    measures: [trade-share, trade-turnover]
    date: "2022"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "$99 billion", unit: USD, date: "2022", by: GACC, note: {en: "trade turnover", ru: "trade turnover", kk: "trade turnover", zh: "trade turnover", fr: "trade turnover"}}
      - {value: "~$2 billion", unit: USD, date: "2022", by: Kazakh statistics, note: {en: "trade with Russia", ru: "trade with Russia", kk: "trade with Russia", zh: "trade with Russia", fr: "trade with Russia"}}
    sources: [{publisher: A, date: "2023"}]
  - id: t-2023
    topic: trade
    measures: [trade-turnover]
    date: "2023"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "~$41 billion", unit: USD, date: "2023", by: GACC}
      - {value: "$31.5 billion", unit: USD, date: "2023", by: Kazakh statistics}
      - {value: "$40 billion", unit: USD, date: "2030", by: GACC, note: {en: "target", ru: "target", kk: "target", zh: "target", fr: "target"}}
      - {value: "$12 billion", unit: USD, date: "2023", by: The Daily, note: {en: "a plant", ru: "a plant", kk: "a plant", zh: "a plant", fr: "a plant"}}
    sources: [{publisher: The Daily, date: "2024-01"}, {publisher: B (Other), date: "2024"}]
  - id: t-daily
    topic: trade
    measures: [trade-turnover]
    date: "2020..2021"
    text: {en: a, ru: a, kk: a, zh: a, fr: a}
    figures:
      - {value: "$10 billion", unit: USD, date: "2020-03", by: The Daily}
      - {value: "$11 billion", unit: USD, date: "2020-11", by: The Daily}
      - {value: "$12 billion", unit: USD, date: "2021", by: The Daily, note: {en: "+9%", ru: "+9%", kk: "+9%", zh: "+9%", fr: "+9%"}}
      - {value: "$5 billion", unit: USD, date: "2021", by: The Daily, note: {en: "a plant", ru: "a plant", kk: "a plant", zh: "a plant", fr: "a plant"}}
    sources: [{publisher: The Daily, date: "2022"}]
`

const seriesMeasures = `measures:
  - id: trade-turnover
    name: {en: trade turnover, ru: товарооборот, kk: тауар айналымы, zh: 贸易额, fr: échanges commerciaux}
    numeric: true
    words: {en: [trade turnover, trade], ru: [товарооборот*], kk: [тауар айналым*], zh: [贸易额], fr: [échanges commerciaux]}
  - id: kz-exports-to-china
    name: {en: exports, ru: экспорт, kk: экспорт, zh: 出口, fr: exportations}
    numeric: true
    words: {en: [exports, kazakh exports], ru: [экспорт*], kk: [экспорт*], zh: [出口], fr: [exportations]}
  - id: trade-share
    name: {en: share, ru: доля, kk: үлес, zh: 份额, fr: part}
    numeric: true
    words: {en: [share], ru: [дол*], kk: [үлес*], zh: [份额], fr: [part]}
`

const seriesAliases = `aliases:
  - id: russia
    forms: [Russia]
`

func seriesBase(t *testing.T) *Base {
	t.Helper()
	return mustLoad(t, files{"facts/a.yaml": seriesFacts, "measures/m.yaml": seriesMeasures, "counters/c.yaml": goodCounters,
		"aliases/a.yaml": seriesAliases})
}

func TestSeriesRules(t *testing.T) {
	b := seriesBase(t)
	sameLines(t, "Series(trade-turnover)", seriesSummary(b.Series("trade-turnover", 0, 0)), []string{
		// 2022: the first figure listed wins over a more precise one; the
		// fact about something else (other-2022) loses; half years, months
		// from–to, changes and targets are no points.
		"USD chinese-customs: 2022=$31.2 billion 2023=~$41 billion",
		// Exports go to exports; Russia is not Kazakhstan.
		"USD kazakh-statistics: 2022=$24.1 billion 2023=$31.5 billion",
		// The Daily, within one fact and one subject: the full year, and
		// for 2020 the latest reading.
		"USD The Daily: 2023=$12 billion",
		"USD The Daily: 2020=$11 billion 2021=$12 billion",
		"USD The Daily: 2021=$5 billion",
	})
	// The fixture's counting bodies count trade turnover only: the exports
	// figure is its by's.
	sameLines(t, "Series(kz-exports-to-china)", seriesSummary(b.Series("kz-exports-to-china", 0, 0)), []string{
		"USD Kazakh statistics: 2022=$13.2 billion",
	})
	if got := seriesSummary(b.Series("trade-turnover", 2023, 0)); len(got) != 3 || !strings.HasSuffix(got[0], ": 2023=~$41 billion") {
		t.Errorf("Series(trade-turnover, 2023, open) = %v", got)
	}
	if got := b.Series("trade-turnover", 0, 0)[0].Years(2023); len(got.Points) != 1 || got.Points[0].Year != 2023 {
		t.Errorf("Years(2023) = %+v", got.Points)
	}
	// A figure names its sources by its by; one that names none has all.
	s := b.Series("trade-turnover", 0, 0)
	if src := s[2].Points[0].Sources; len(src) != 1 || src[0].Publisher != "The Daily" {
		t.Errorf("sources of The Daily's 2023 point = %+v, want The Daily's", src)
	}
	if src := s[0].Points[1].Sources; len(src) != 2 {
		t.Errorf("sources of GACC's 2023 point = %+v, want all of the fact's", src)
	}
}

func TestSeriesChange(t *testing.T) {
	b := seriesBase(t)
	ss := b.Series("trade-turnover", 0, 0)
	c, ok := ss[1].Change()
	if !ok || c.From.Year != 2022 || c.To.Year != 2023 || math.Abs(c.Ratio-31.5/24.1) > 1e-9 ||
		math.Abs(c.Percent-(31.5/24.1-1)*100) > 1e-9 || math.Abs(c.Diff-7.4e9) > 1 || c.Approx {
		t.Errorf("Change() = %+v, %v", c, ok)
	}
	if c, _ := ss[0].Change(); !c.Approx {
		t.Errorf("Change() from $31.2 billion to ~$41 billion is not approximate: %+v", c)
	}
	if _, ok := ss[2].Change(); ok {
		t.Errorf("a series of one point has a change")
	}
	// Scales are applied: million to billion.
	s := Series{Points: []Point{
		{Year: 1992, Amount: mustAmount(t, "$368 million", "USD")},
		{Year: 2023, Amount: mustAmount(t, "$41 billion", "USD")},
	}}
	if c, ok := s.Change(); !ok || math.Abs(c.Ratio-41e9/368e6) > 1e-9 {
		t.Errorf("Change($368 million → $41 billion) = %+v", c)
	}
}

func mustAmount(t *testing.T, value, unit string) Amount {
	t.Helper()
	a, err := ParseAmount(value, unit)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestSeriesAnswer: the question of the issue, in five languages, gets both
// counting bodies' series since 2015; separate years keep just those; a
// measure with one point a source is answered as a value.
func TestSeriesAnswer(t *testing.T) {
	b := mustCurated(t)
	asked := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	since2015 := []string{
		"USD chinese-customs: 2018=$19.88 billion 2021=$25.25 billion 2022=$31.2 billion 2023=$41 billion 2024=$43.82 billion",
		"USD kazakh-statistics: 2018=$12 billion 2022=$24.1 billion 2023=$31.5 billion",
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"how did China–Kazakhstan trade change since 2015?", since2015},
		{"как изменился товарооборот Китая и Казахстана с 2015 года?", since2015},
		{"2015 жылдан бері Қытай мен Қазақстан саудасы қалай өзгерді?", since2015},
		{"2015年以来中哈贸易有何变化？", since2015},
		{"comment ont évolué les échanges entre la Chine et le Kazakhstan depuis 2015 ?", since2015},
		{"compare trade in 2013 and 2023", []string{
			"USD chinese-customs: 2013=$28.6 billion 2023=$41 billion",
			"USD kazakh-statistics: 2023=$31.5 billion",
		}},
		{"Kazakh exports to China 2022 vs 2023", []string{
			"USD chinese-customs: 2023=$16.3 billion",
			"USD kazakh-statistics: 2022=$13.2 billion",
		}[:0]}, // one point a body: a value, not a trend
		{"how much trade in 2023?", nil},
		{"what is the visa regime?", nil},
		{"过境哈萨克斯坦集装箱2014至2019", nil}, // transit has a figure in those years: a value
	} {
		in := b.Understand(tc.q, asked)
		got := seriesSummary(b.SeriesAnswer(in, b.ResolvePeriod(in)))
		sameLines(t, fmt.Sprintf("SeriesAnswer(%q)", tc.q), got, tc.want)
	}
}
