package index

import (
	"context"
	"testing"
	"time"

	"factbot/knowledge"
)

// TestSearchSeries: a question about a series gets the series of each
// counting body over the years asked, besides its hits; any other question
// gets none.
func TestSearchSeries(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the curated base")
	}
	b := curated(t)
	ix := mustBuild(t, b, "")
	asked := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		q    string
		want []string // counter ids, or none
		from int
	}{
		{"how did China–Kazakhstan trade change since 2015?", []string{"chinese-customs", "kazakh-statistics"}, 2018},
		{"как изменился товарооборот Китая и Казахстана с 2015 года?", []string{"chinese-customs", "kazakh-statistics"}, 2018},
		{"2015 жылдан бері Қытай мен Қазақстан саудасы қалай өзгерді?", []string{"chinese-customs", "kazakh-statistics"}, 2018},
		{"2015年以来中哈贸易有何变化？", []string{"chinese-customs", "kazakh-statistics"}, 2018},
		{"comment ont évolué les échanges entre la Chine et le Kazakhstan depuis 2015 ?", []string{"chinese-customs", "kazakh-statistics"}, 2018},
		{"trade by year", []string{"chinese-customs", "kazakh-statistics"}, 2013},
		{"how much trade in 2023?", nil, 0},
		{"tell me about Khorgos", nil, 0},
	} {
		res, err := ix.Search(context.Background(), knowledge.Query{Text: tc.q, Asked: asked})
		if err != nil {
			t.Fatalf("Search(%q): %v", tc.q, err)
		}
		var got []string
		first := 0
		for _, s := range res.Series {
			got = append(got, s.By)
			if first == 0 || s.Points[0].Year < first {
				first = s.Points[0].Year
			}
		}
		if len(got) != len(tc.want) || (len(got) > 0 && (got[0] != tc.want[0] || got[1] != tc.want[1] || first != tc.from)) {
			t.Errorf("Search(%q).Series by %v from %d, want %v from %d", tc.q, got, first, tc.want, tc.from)
		}
		if len(res.Hits) == 0 {
			t.Errorf("Search(%q) has no hits", tc.q)
		}
	}
}

func TestCheckSeries(t *testing.T) {
	b := curated(t)
	trend := func(m string, from, to int) []knowledge.Series {
		return b.SeriesAnswer(knowledge.Intent{Kind: knowledge.AskTrend, Measures: []string{m}},
			knowledge.Period{Kind: knowledge.PeriodRange, From: from, To: to})
	}
	trade := trend("trade-turnover", 2013, 2024)
	mixed := append([]knowledge.Series(nil), trade...)
	mixed[1].Points = append(append([]knowledge.Point(nil), mixed[1].Points...), trade[0].Points[0])
	for _, tc := range []struct {
		name     string
		want     knowledge.SeriesWant
		got      []knowledge.Series
		ok, none bool
	}{
		{"right", knowledge.SeriesWant{Measure: "trade-turnover", From: 2013, To: 2024}, trade, true, false},
		{"no series", knowledge.SeriesWant{Measure: "trade-turnover", From: 2013, To: 2024}, nil, false, false},
		{"wrong measure", knowledge.SeriesWant{Measure: "china-ca-trade", From: 2013, To: 2024}, trade, false, false},
		{"short", knowledge.SeriesWant{Measure: "trade-turnover", From: 2013, To: 2024}, trend("trade-turnover", 2018, 2024), false, false},
		{"two bodies in one series", knowledge.SeriesWant{Measure: "trade-turnover", From: 2013, To: 2024}, mixed, false, false},
		{"no trend in the base, none given", knowledge.SeriesWant{Measure: "rail-cargo", From: 2022, To: 2024}, nil, true, true},
		{"no trend in the base, one given", knowledge.SeriesWant{Measure: "rail-cargo", From: 2022, To: 2024}, trade, false, true},
	} {
		ok, none, why := checkSeries(b, tc.want, tc.got)
		if ok != tc.ok || none != tc.none {
			t.Errorf("%s: checkSeries = %v, %v (%s), want %v, %v", tc.name, ok, none, why, tc.ok, tc.none)
		}
	}
}
