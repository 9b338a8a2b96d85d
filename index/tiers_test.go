package index

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"factbot/knowledge"
)

// curatedIndex builds the embedded base once per test.
func curatedIndex(t *testing.T) *Index {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the curated base")
	}
	b := curated(t)
	return mustBuild(t, b, "")
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Near misses — the right topic, another country — never get a confident
// answer: at most the closest facts, said to be unsure.
func TestNearMissesNeverConfident(t *testing.T) {
	ix := curatedIndex(t)
	for _, q := range []string{
		"Kazakhstan–Russia trade 2024",
		"kazakhstan russia trade turnover 2024",
		"торговля казахстана и узбекистана 2023",
		"commerce kazakhstan turquie 2023",
		"Қазақстан мен Ресей арасындағы тауар айналымы 2024",
		"哈萨克斯坦与俄罗斯贸易额2024",
		"kazakhstan india trade 2023",
		"american investment in Kazakhstan 2023", // not "US": the alias matcher folds case, and "us" is a word
		"uzbekistan gas exports to china 2023",   // a fact about the Line C pipeline names Uzbekistan
		"2024年中俄贸易额",                             // 中俄: China–Russia
		"2019年中哈贸易额",                             // no figure for 2019; a 2018 fact only cites something in 2019
	} {
		res, err := ix.Search(context.Background(), knowledge.Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tier == knowledge.TierAnswer {
			t.Errorf("Search(%q) answered %s with confidence %.2f; want no confident answer", q, res.Hits[0].ID, res.Confidence)
		}
	}
}

// The tiers: a clear question is answered, an unrelated one gets nothing,
// and the confidence orders them.
func TestTiers(t *testing.T) {
	ix := curatedIndex(t)
	for _, tc := range []struct {
		q    string
		tier knowledge.Tier
		id   string
	}{
		{"kz china trade 2023", knowledge.TierAnswer, "trade-2023"},
		{"товарооборот Казахстана и Китая в 2022 году", knowledge.TierAnswer, "trade-2022"},
		{"What's the weather in Paris tomorrow?", knowledge.TierNone, ""},
		{"рецепт бешбармака", knowledge.TierNone, ""},
	} {
		res, err := ix.Search(context.Background(), knowledge.Query{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Tier != tc.tier || tc.id != "" && res.Hits[0].ID != tc.id {
			t.Errorf("Search(%q) = %s %v (confidence %.2f), want %s %s", tc.q, res.Tier, idsOf(res.Hits), res.Confidence, tc.tier, tc.id)
		}
		if (res.Tier == knowledge.TierAnswer) != res.Answered {
			t.Errorf("Search(%q): answered %v in tier %s", tc.q, res.Answered, res.Tier)
		}
		if (res.Tier == knowledge.TierAnswer) != (res.Confidence >= ix.model.Answer) {
			t.Errorf("Search(%q): confidence %.2f does not fit tier %s", tc.q, res.Confidence, res.Tier)
		}
	}
}

// "Last year" and "this year" are read against the day asked; when the base
// has no figure for that year yet, the newest one is given and said to be
// the newest.
func TestRelativePeriods(t *testing.T) {
	ix := curatedIndex(t)
	for _, tc := range []struct {
		q, asked string
		want     string // first hit
		newest   string // Result.Newest
	}{
		{"kz china trade last year", "2025-03-10", "trade-2024", ""},
		{"kz china trade last year", "2026-12-07", "trade-2024", "2024"},
		{"товарооборот с Китаем в прошлом году", "2024-02-01", "trade-2023", ""},
		{"去年中哈贸易额", "2025-06-01", "trade-2024", ""},
		{"commerce kazakhstan chine l'an dernier", "2026-01-15", "trade-2024", "2024"},
		{"latest trade figure kazakhstan china", "2026-12-07", "trade-2024", ""},
		{"Chinese tourists in Kazakhstan this year", "2026-12-07", "chinese-tourists-2025-jan-may", "2025-01..2025-05"},
		{"товарооборот с кнр позапрошлый год", "2025-06-01", "trade-2023", ""},
		{"товарооборот с кнр в 23 году", "2025-06-01", "trade-2023", ""},
		{"kz china trade '22", "2025-06-01", "trade-2022", ""},
	} {
		res, err := ix.Search(context.Background(), knowledge.Query{Text: tc.q, Asked: day(tc.asked)})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res.Tier != knowledge.TierNone {
			got = res.Hits[0].ID
		}
		if got != tc.want || res.Newest != tc.newest {
			t.Errorf("Search(%q) asked %s = %s %q (newest %q), want %q (newest %q)", tc.q, tc.asked, res.Tier, got, res.Newest, tc.want, tc.newest)
		}
	}
}

// A question that asks for an overview of something a briefing section is
// about is answered with that section's first paragraph, in its language;
// one about something no section is about is left to the ranking.
func TestOverviewLead(t *testing.T) {
	ix := curatedIndex(t)
	for _, tc := range []struct {
		q, want string // want: the first hit of the answer tier, "" for no overview answer
	}{
		{"tell me about Khorgos", "briefing-transport-khorgos-en#1"},
		{"расскажи про Хоргос", "briefing-transport-khorgos-ru#1"},
		{"коргас туралы не білесің", "briefing-transport-khorgos-kk#1"}, // typed without Kazakh letters
		{"霍尔果斯无水港是什么", "briefing-transport-khorgos-zh#4"},               // the dry port's section, not the town's
		{"parle-moi de l'ICBC de Khorgos", "briefing-transport-khorgos-fr#7"},
		{"what do u know about ciftis 2024", "briefing-ciftis-2024-en#1"},
		{"tell me about the kazakhstan russia relationship", ""},
		{"tell me about khorgos rail freight 2023", ""}, // a figure of a year: the ranking's
	} {
		res, err := ix.Search(context.Background(), knowledge.Query{Text: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res.Tier == knowledge.TierAnswer && strings.HasPrefix(res.Hits[0].ID, "briefing-") {
			got = res.Hits[0].ID
		}
		if got != tc.want {
			t.Errorf("Search(%q) = %s %v, want the overview %q", tc.q, res.Tier, idsOf(res.Hits), tc.want)
		}
	}
}

// A year written in two digits is searched as the year, never as the
// number it is written with.
func TestShortYearNotANumber(t *testing.T) {
	ix := curatedIndex(t)
	qi, clauses, err := ix.understand("товарооборот в 23 году", knowledge.RU, day("2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	var nums []string
	for _, c := range clauses {
		if c.field == fieldNums {
			nums = append(nums, c.term)
		}
	}
	if len(qi.numbers) != 0 || !slices.Equal(nums, []string{"2023"}) || qi.period.Value != "2023" {
		t.Errorf("numbers %v, number clauses %v, period %q; want none, [2023], 2023", qi.numbers, nums, qi.period.Value)
	}
}

// A question names a partner alone when it names a country other than
// the two and not Kazakhstan: about that partner, not the base's pair; it
// names another pair when it names such a country and not China
// ("Kazakhstan–Russia trade"). Both are confidence features.
func TestPartnerOnly(t *testing.T) {
	ix := curatedIndex(t)
	for q, want := range map[string][2]bool{ // partnerOnly, partnerNotChina
		"uzbekistan gas exports to china":         {true, false},
		"Өзбекстанның Қытайға газ экспорты":       {true, false},
		"kazakhstan russia trade 2024":            {false, true},
		"товарооборот казахстана и россии 2023":   {false, true},
		"line c gas pipeline kazakhstan":          {false, false},
		"china kazakhstan trade 2023":             {false, false},
		"中俄贸易额":                                   {true, true}, // 中 alone is not an alias of China
		"did china overtake russia in kz trade":   {false, false},
		"commerce kazakhstan inde 2023":           {false, true},
		"tourists from russia in kazakhstan 2024": {false, true},
	} {
		qi, _, err := ix.understand(q, knowledge.DetectLang(q, knowledge.EN), day("2025-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		if got := [2]bool{qi.partnerOnly, qi.partnerNotChina}; got != want {
			t.Errorf("%q: partnerOnly, partnerNotChina = %v, want %v (entities %v)", q, got, want, qi.intent.Entities)
		}
	}
}

// An overview question has its entity's briefing leads among the
// candidates, in the languages of its script (English and French read
// alike, Russian and Kazakh too), whatever Bleve's first hits are; a
// question that asks for a value gets none of them added.
func TestOverviewCandidates(t *testing.T) {
	ix := curatedIndex(t)
	for _, tc := range []struct {
		q     string
		lang  knowledge.Lang
		lead  string
		langs []knowledge.Lang
	}{
		{"tell me about Khorgos", knowledge.EN, "briefing-transport-khorgos-en#1", []knowledge.Lang{knowledge.EN, knowledge.FR}},
		{"расскажи про Хоргос", knowledge.RU, "briefing-transport-khorgos-ru#1", []knowledge.Lang{knowledge.RU, knowledge.KK}},
		{"介绍一下霍尔果斯", knowledge.ZH, "briefing-transport-khorgos-zh#1", []knowledge.Lang{knowledge.ZH}},
	} {
		s, err := ix.sample(context.Background(), tc.q, tc.lang, tc.lang, day("2025-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range s.cands {
			ids = append(ids, d.id)
		}
		if !slices.Contains(ids, tc.lead) {
			t.Errorf("%q: candidates %v lack %s", tc.q, ids, tc.lead)
		}
		qi, _, err := ix.understand(tc.q, tc.lang, day("2025-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ix.overviewCandidates(qi) {
			if !slices.Contains(tc.langs, d.passage.Lang) {
				t.Errorf("%q: an overview candidate in %s: %s", tc.q, d.passage.Lang, d.id)
			}
		}
	}
	qi, _, err := ix.understand("khorgos dry port capacity", knowledge.EN, day("2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.overviewCandidates(qi); len(got) != 0 {
		t.Errorf("a value question got %d overview candidates", len(got))
	}
}
