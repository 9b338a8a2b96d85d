package knowledge

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

var (
	curatedOnce sync.Once
	curatedBase *Base
	curatedErr  error
)

// mustCurated loads the embedded base once for the tests that read it.
func mustCurated(tb testing.TB) *Base {
	tb.Helper()
	curatedOnce.Do(func() { curatedBase, curatedErr = Load(Curated()) })
	if curatedErr != nil {
		tb.Fatalf("Load(Curated()): %v", curatedErr)
	}
	return curatedBase
}

// understandCase is one question and what Understand must make of it.
type understandCase struct {
	q     string
	asked string // YYYY-MM-DD; 2025-06-01 when empty
	// measure is the measure that must come first ("" for none); period
	// is Period.Value, "latest", or the years of separate years ("2013,2023").
	measure, period string
	kind            QuestionKind
}

func (c understandCase) run(t *testing.T, b *Base, lang Lang) {
	t.Helper()
	asked := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if c.asked != "" {
		asked, _ = time.Parse("2006-01-02", c.asked)
	}
	in := b.Understand(c.q, asked)
	first := ""
	if len(in.Measures) > 0 {
		first = in.Measures[0]
	}
	if in.Lang != lang || first != c.measure || periodString(in.Period) != c.period || in.Kind != c.kind {
		t.Errorf("Understand(%q, %s) = lang %s, measures %v, period %q, kind %s; want %s, %q first, %q, %s",
			c.q, asked.Format("2006-01-02"), in.Lang, in.Measures, periodString(in.Period), in.Kind, lang, c.measure, c.period, c.kind)
	}
}

func periodString(p Period) string {
	switch p.Kind {
	case PeriodLatest:
		return "latest"
	case PeriodYears:
		s := make([]string, len(p.Years))
		for i, y := range p.Years {
			s[i] = fmt.Sprint(y)
		}
		return strings.Join(s, ",")
	}
	return p.Value
}

func TestUnderstandEnglish(t *testing.T) {
	b := mustCurated(t)
	for _, c := range []understandCase{
		{q: "How much was China–Kazakhstan trade in 2023? $41 billion?", measure: "trade-turnover", period: "2023", kind: AskValue},
		{q: "kz china trade last year", asked: "2025-03-10", measure: "trade-turnover", period: "2024", kind: AskValue},
		{q: "how many chinese tourists came this year", asked: "2025-08-01", measure: "chinese-tourists", period: "2025", kind: AskValue},
		{q: "latest figure for rail freight between kazakhstan and china", measure: "rail-cargo", period: "latest", kind: AskValue},
		{q: "how many chinese companies operate in kazakhstan now?", measure: "chinese-companies", period: "latest", kind: AskValue},
		{q: "how has trade with china changed since 2015", measure: "trade-turnover", period: "2015..2025", kind: AskTrend},
		{q: "trade between 2019 and 2023", measure: "trade-turnover", period: "2019..2023", kind: AskTrend},
		{q: "compare trade in 2013 and 2023", measure: "trade-turnover", period: "2013,2023", kind: AskCompare},
		{q: "kazakh exports to china in the first half of 2023", measure: "kz-exports-to-china", period: "2023-H1", kind: AskValue},
		{q: "Q1 2024 trade china kazakstan", measure: "trade-turnover", period: "2024-Q1", kind: AskValue},
		{q: "trade with Kitai jan-apr 2020", measure: "trade-turnover", period: "2020-01..2020-04", kind: AskValue},
		{q: "when did visa free travel between kz and china start?", measure: "visa-regime", kind: AskWhen},
		{q: "where was the first china - central asia summit held", measure: "visits-summits", kind: AskWhere},
		{q: "which chinese company will build kazakhstan's 2nd nuclear plant", measure: "nuclear-power", kind: AskWho},
		{q: "tell me about Khorgos", kind: AskOverview},
		{q: "What's the weather in Paris tomorrow?", kind: AskUnknown},
		{q: "chinese investmnet in kazakhstan h1 2023", measure: "investment", period: "2023-H1", kind: AskValue},
		{q: "china's share of kazakhstan's trade over the last 5 years", measure: "trade-share", period: "2020..2025", kind: AskTrend},
		{q: "is chinese investment in kazakhstan growing?", measure: "investment", kind: AskTrend},
		{q: "china trade with central asia in 2024", measure: "china-ca-trade", period: "2024", kind: AskValue},
	} {
		c.run(t, b, EN)
	}
}

func TestUnderstandRussian(t *testing.T) {
	b := mustCurated(t)
	for _, c := range []understandCase{
		{q: "Сколько составил товарооборот с КНР в первом квартале 2024", measure: "trade-turnover", period: "2024-Q1", kind: AskValue},
		{q: "товарооборот с китаем в прошлом году", asked: "2025-02-01", measure: "trade-turnover", period: "2024", kind: AskValue},
		{q: "сколько китайских туристов приехало в этом году", asked: "2025-09-01", measure: "chinese-tourists", period: "2025", kind: AskValue},
		{q: "последние данные по грузоперевозкам с Китаем", measure: "rail-cargo", period: "latest", kind: AskValue},
		{q: "динамика товарооборота с Китаем по годам", measure: "trade-turnover", kind: AskTrend},
		{q: "как изменился экспорт в Китай с 2015 по 2020", measure: "kz-exports-to-china", period: "2015..2020", kind: AskTrend},
		{q: "товарооборот с Китаем с 2018 года", measure: "trade-turnover", period: "2018..2025", kind: AskTrend},
		{q: "экспорт в 2023 году больше чем в 2022?", measure: "kz-exports-to-china", period: "2022,2023", kind: AskCompare},
		{q: "когда вступил в силу безвизовый режим с Китаем", measure: "visa-regime", kind: AskWhen},
		{q: "где прошел второй саммит Китай - Центральная Азия", measure: "visits-summits", kind: AskWhere},
		{q: "кто будет строить первую аэс в казахстане", measure: "nuclear-power", kind: AskWho},
		{q: "расскажи про Хоргос", kind: AskOverview},
		{q: "китайские инвестиции в Казахстан сейчас", measure: "investment", period: "latest", kind: AskValue},
		{q: "товарооборт казахстан китай 2013", measure: "trade-turnover", period: "2013", kind: AskValue},
		{q: "сколько казахстанских студентов учится в Китае", measure: "students", kind: AskValue},
		{q: "товарооборот за январь-сентябрь 2018", measure: "trade-turnover", period: "2018-01..2018-09", kind: AskValue},
		{q: "товарооборот за 9 мес. 2018", measure: "trade-turnover", period: "2018-01..2018-09", kind: AskValue},
		{q: "товарооборот 1 кв 2024", measure: "trade-turnover", period: "2024-Q1", kind: AskValue},
		{q: "товарооборот с кнр II квартал 2023", measure: "trade-turnover", period: "2023-Q2", kind: AskValue},
		{q: "товарооборот Китая с ЦА за январь-май 2025", measure: "china-ca-trade", period: "2025-01..2025-05", kind: AskValue},
		{q: "рецепт плова по-узбекски", kind: AskUnknown},
	} {
		c.run(t, b, RU)
	}
}

func TestUnderstandKazakh(t *testing.T) {
	b := mustCurated(t)
	for _, c := range []understandCase{
		{q: "2023 жылы Қазақстан мен Қытай арасындағы тауар айналымы қанша болды?", measure: "trade-turnover", period: "2023", kind: AskValue},
		{q: "былтыр Қытайға экспорт қанша болды", asked: "2025-04-01", measure: "kz-exports-to-china", period: "2024", kind: AskValue},
		{q: "биыл қанша қытай туристі келді", asked: "2025-07-01", measure: "chinese-tourists", period: "2025", kind: AskValue},
		{q: "Қытай инвестициясы бойынша соңғы деректер", measure: "investment", period: "latest", kind: AskValue},
		{q: "2015 жылдан бері тауар айналымы қалай өсті", measure: "trade-turnover", period: "2015..2025", kind: AskTrend},
		{q: "2015 жылдан 2020 жылға дейін Қытайға экспорт", measure: "kz-exports-to-china", period: "2015..2020", kind: AskTrend},
		{q: "Қытаймен тауар айналымы жылдар бойынша", measure: "trade-turnover", kind: AskTrend},
		{q: "2022 жылдың бірінші жартыжылдығында Қытаймен сауда", measure: "trade-turnover", period: "2022-H1", kind: AskValue},
		{q: "Қытаймен визасыз режим қашан күшіне енді?", measure: "visa-regime", kind: AskWhen},
		{q: "CIFTIS 2024 қай жерде өтті", period: "2024", kind: AskWhere},
		{q: "Қазақстандағы екінші атом электр станциясын қай компания салады?", measure: "nuclear-power", kind: AskWho},
		{q: "Қорғас туралы айтып берші", kind: AskOverview},
		{q: "Қытайға мунай экспорты 2022 жылы", measure: "oil-flows", period: "2022", kind: AskValue}, // мұнай typed on a Russian keyboard
		{q: "соңғы үш жылдағы тауар айналымы", measure: "trade-turnover", period: "2022..2025", kind: AskTrend},
		{q: "қытаймен сауда 2022 мен 2023 салыстыру", measure: "trade-turnover", period: "2022,2023", kind: AskCompare},
		{q: "Қытайда қанша қазақстандық студент оқиды", measure: "students", kind: AskValue},
		{q: "Қытайдың Қазақстан сыртқы саудасындағы үлесі қанша пайыз", measure: "trade-share", kind: AskValue},
	} {
		c.run(t, b, KK)
	}
}

func TestUnderstandChinese(t *testing.T) {
	b := mustCurated(t)
	for _, c := range []understandCase{
		{q: "2023年中哈贸易额是多少", measure: "trade-turnover", period: "2023", kind: AskValue},
		{q: "去年中国对哈萨克斯坦出口多少", measure: "kz-imports-from-china", period: "2024", kind: AskValue},
		{q: "今年赴哈中国游客有多少", asked: "2025-10-01", measure: "chinese-tourists", period: "2025", kind: AskValue},
		{q: "最新的中欧班列数据", measure: "china-europe-trains", period: "latest", kind: AskValue},
		{q: "2015年以来中哈贸易额的变化", measure: "trade-turnover", period: "2015..2025", kind: AskTrend},
		{q: "2013年到2024年中国与中亚贸易额增长了多少", measure: "china-ca-trade", period: "2013..2024", kind: AskTrend},
		{q: "中哈贸易额历年变化", measure: "trade-turnover", kind: AskTrend},
		{q: "2024年上半年赴哈中国游客人数", measure: "chinese-tourists", period: "2024-H1", kind: AskValue},
		{q: "2024年一季度中欧班列", measure: "china-europe-trains", period: "2024-Q1", kind: AskValue},
		{q: "2018年前三季度中哈贸易额", measure: "trade-turnover", period: "2018-01..2018-09", kind: AskValue},
		{q: "2024年3季度中哈贸易额", measure: "trade-turnover", period: "2024-Q3", kind: AskValue},
		{q: "中哈互免签证什么时候生效的", measure: "visa-regime", kind: AskWhen},
		{q: "丝绸之路经济带是在哪里提出的", measure: "belt-and-road", kind: AskWhere},
		{q: "哈萨克斯坦第二座核电站由谁牵头", measure: "nuclear-power", kind: AskWho},
		{q: "介绍一下霍尔果斯", kind: AskOverview},
		{q: "2023年和2024年中哈贸易对比", measure: "trade-turnover", period: "2023,2024", kind: AskCompare},
		{q: "中國哈薩克斯坦貿易額2024", measure: "trade-turnover", period: "2024", kind: AskValue},
		{q: "近五年中哈铁路货运量", measure: "rail-cargo", period: "2020..2025", kind: AskTrend},
		{q: "2020年1-4月中哈贸易额", measure: "trade-turnover", period: "2020-01..2020-04", kind: AskValue},
		{q: "明天巴黎天气怎么样？", kind: AskUnknown},
	} {
		c.run(t, b, ZH)
	}
}

func TestUnderstandFrench(t *testing.T) {
	b := mustCurated(t)
	for _, c := range []understandCase{
		{q: "combien d'échanges entre la Chine et le Kazakhstan en 2013", measure: "trade-turnover", period: "2013", kind: AskValue},
		{q: "exportations kazakhes vers la Chine l'an dernier", measure: "kz-exports-to-china", period: "2024", kind: AskValue},
		{q: "touristes chinois au Kazakhstan cette année", asked: "2025-11-20", measure: "chinese-tourists", period: "2025", kind: AskValue},
		{q: "les chiffres les plus récents du fret ferroviaire", measure: "rail-cargo", period: "latest", kind: AskValue},
		{q: "évolution du commerce avec la Chine depuis 2015", measure: "trade-turnover", period: "2015..2025", kind: AskTrend},
		{q: "commerce Chine Kazakhstan entre 2019 et 2023", measure: "trade-turnover", period: "2019..2023", kind: AskTrend},
		{q: "commerce Kazakhstan-Chine au premier trimestre 2024", measure: "trade-turnover", period: "2024-Q1", kind: AskValue},
		{q: "commerce kazakhstan chine T1 2024", measure: "trade-turnover", period: "2024-Q1", kind: AskValue},
		{q: "investissements chinois au premier semestre 2023", measure: "investment", period: "2023-H1", kind: AskValue},
		{q: "quand le régime sans visa est-il entré en vigueur", measure: "visa-regime", kind: AskWhen},
		{q: "où a été signé l'accord d'exemption de visa ?", measure: "visa-regime", kind: AskWhere},
		{q: "12 ou 19,9 milliards pour le commerce en 2018 ?", measure: "trade-turnover", period: "2018", kind: AskValue},
		{q: "quelle entreprise chinoise va construire la deuxième centrale nucléaire", measure: "nuclear-power", kind: AskWho},
		{q: "parle-moi de Khorgos", kind: AskOverview},
		{q: "commerce 2017 par rapport à 2018", measure: "trade-turnover", period: "2017,2018", kind: AskCompare},
		{q: "comerce chine kazakhstan en 1992", measure: "trade-turnover", period: "1992", kind: AskValue},
		{q: "combien d'étudiants kazakhs en Chine actuellement", measure: "students", period: "latest", kind: AskValue},
		{q: "de janvier à septembre 2018, commerce sino-kazakh", measure: "trade-turnover", period: "2018-01..2018-09", kind: AskValue},
	} {
		c.run(t, b, FR)
	}
}

// Relative periods keep the words they were named in, and "latest"
// resolves to the newest period of the question's measure.
func TestUnderstandRelative(t *testing.T) {
	b := mustCurated(t)
	asked := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		q        string
		relative Relative
		said     string
		resolved string
	}{
		{"chinese tourists last year", RelLastYear, "last year", "2024"},
		{"туристы из Китая в позапрошлом году", RelYearBeforeLast, "в позапрошлом году", "2023"},
		{"latest chinese tourists numbers", RelLatest, "latest", b.LatestPeriod("chinese-tourists")},
		{"сколько сейчас китайских компаний", RelLatest, "сейчас", b.LatestPeriod("chinese-companies")},
		{"trade since 2015", RelSince, "since", "2015..2025"},
		{"trade in the past 3 years", RelRecentYears, "past 3 years", "2022..2025"},
		{"中哈贸易额近五年", RelRecentYears, "近五年", "2020..2025"},
		{"touristes chinois ces deux dernières années", RelRecentYears, "deux dernières années", "2023..2025"},
		{"kazakhstan china trade last yr", RelLastYear, "last yr", "2024"},
		{"товарооборот позапрошлый год", RelYearBeforeLast, "позапрошлый год", "2023"},
		{"china kz trade two years ago", RelYearBeforeLast, "two years ago", "2023"},
		{"товарооборот 2 года назад", RelYearBeforeLast, "2 года назад", "2023"},
		{"commerce il y a deux ans", RelYearBeforeLast, "il y a deux ans", "2023"},
		{"中哈贸易额两年前", RelYearBeforeLast, "两年前", "2023"},
		{"туристы из китая с начала года", RelThisYear, "с начала года", "2025"},
	} {
		in := b.Understand(tc.q, asked)
		p := b.ResolvePeriod(in)
		if in.Period.Relative != tc.relative || in.Period.Said != tc.said || p.Value != tc.resolved || p.Relative != tc.relative {
			t.Errorf("Understand(%q): relative %q said %q, resolved %q (%+v); want %q, %q, %q", tc.q, in.Period.Relative, in.Period.Said, p.Value, p, tc.relative, tc.said, tc.resolved)
		}
	}
	if b.LatestPeriod("chinese-tourists") == "" || b.LatestPeriod("no-such-measure") != "" {
		t.Errorf("LatestPeriod: %q, %q", b.LatestPeriod("chinese-tourists"), b.LatestPeriod("no-such-measure"))
	}
}

// Years written in two digits are read where nothing else can be meant,
// with the century that keeps them no later than the year after the one
// asked in, and reported with where they are written.
func TestUnderstandShortYears(t *testing.T) {
	b := mustCurated(t)
	asked := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		q      string
		period string   // Period.Value, "" for none
		short  []string // the short years as written
	}{
		{"товарооборот в 23 году", "2023", []string{"23"}},
		{"товарооборот за 22г", "2022", []string{"22"}},
		{"товарооборот за 22 год", "2022", []string{"22"}},
		{"kz china trade '23", "2023", []string{"23"}},
		{"trade FY23", "2023", []string{"23"}},
		{"trade FY2023", "2023", nil},
		{"trade 2022/23", "2022..2023", []string{"23"}},
		{"trade 2019-21", "2019..2021", []string{"21"}},
		{"товарооборот в 98 году", "1998", []string{"98"}},
		{"товарооборот 23 года", "", nil},      // 23 years, not '23
		{"рост за 30 лет", "", nil},            // a span of years
		{"trade in 27 г", "", nil},             // after the year after the one asked: no year
		{"trade 2022-35 billion", "2022", nil}, // no range of years
	} {
		in := b.Understand(tc.q, asked)
		var short []string
		for _, y := range in.ShortYears {
			short = append(short, tc.q[y.Start:y.End])
		}
		if in.Period.Value != tc.period || !reflect.DeepEqual(short, tc.short) {
			t.Errorf("Understand(%q): period %q, short years %q; want %q, %q", tc.q, in.Period.Value, short, tc.period, tc.short)
		}
	}
	if in := b.Understand("товарооборот в 23 году", time.Time{}); in.Period.Value != "" {
		t.Errorf("without a date asked, a short year is read as %q", in.Period.Value)
	}
}

// What is left of a question once measures, entities, cues and periods are
// out, and where the measures were named.
func TestUnderstandContentAndSpans(t *testing.T) {
	b := mustCurated(t)
	asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		q       string
		content []string
		spans   []string // the text of each MeasureMatch, in order
	}{
		{"How much was China–Kazakhstan trade in 2023? record?", []string{"record"}, []string{"trade"}},
		{"Товарооборота с Китаем за январь–май 2025 года по данным таможни", []string{"данным", "таможни"}, []string{"Товарооборота"}},
		{"Қытайға ЭКСПОРТЫ қанша болды, рекорд па", []string{"рекорд"}, []string{"Қытайға ЭКСПОРТЫ"}},
		{"2023年中哈贸易额创纪录吗", []string{"创纪录"}, []string{"贸易额"}},
		{"Échanges commerciaux Chine–Kazakhstan, record historique ?", []string{"record", "historique"}, []string{"Échanges commerciaux"}},
		{"по данным таможни", []string{"данным", "таможни"}, nil}, // no thesaurus stem catches данным
	} {
		in := b.Understand(tc.q, asked)
		var spans []string
		for _, m := range in.MeasureMatches {
			spans = append(spans, tc.q[m.Start:m.End])
		}
		if !reflect.DeepEqual(in.Content, tc.content) || !reflect.DeepEqual(spans, tc.spans) {
			t.Errorf("Understand(%q): content %q, spans %q; want %q, %q", tc.q, in.Content, spans, tc.content, tc.spans)
		}
	}
}

// A measure named together with an entity it is refined by comes out as the
// narrower measure, first.
func TestUnderstandRefines(t *testing.T) {
	b := mustCurated(t)
	in := b.Understand("торговля с Узбекистаном и Кыргызстаном", time.Now())
	if len(in.Measures) < 2 || in.Measures[0] != "china-ca-trade" || in.Measures[1] != "trade-turnover" {
		t.Errorf("Measures = %v, want china-ca-trade before trade-turnover", in.Measures)
	}
	in = b.Understand("торговля Синьцзяна с Казахстаном", time.Now())
	if len(in.Measures) == 0 || in.Measures[0] != "regional-trade" {
		t.Errorf("Measures = %v, want regional-trade first", in.Measures)
	}
}

// hostileQuestions are inputs an attacker or a careless client may send.
var hostileQuestions = []string{
	"", " ", "\x00\x01\x02\x1b[31m\r\n\t", "🙂🙂🙂🚂🚂", "2023 2024 41 000 19,885", "12345678901234567890",
	"\xff\xfe\xfd invalid utf-8 \xc3", strings.Repeat("a", MaxQuestionBytes+10),
	strings.Repeat("товарооборот 2023 trade 贸易额 ", 40000), // ~1.4 MB
	strings.Repeat("é", MaxQuestionBytes), "***", "с по до между и", "近年来近年来近年来", "last last last 5 5 years years",
}

// Hostile input never panics and gives sane intents; what is read of a
// question is cut to MaxQuestionBytes, so no input costs more than a long
// question does (BenchmarkUnderstandHostile measures it).
func TestUnderstandHostile(t *testing.T) {
	b := mustCurated(t)
	asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	huge := hostileQuestions[8]
	for _, q := range hostileQuestions {
		checkIntent(t, q, b.Understand(q, asked))
	}
	if in := b.Understand(huge, asked); len(in.Question) > MaxQuestionBytes || !utf8.ValidString(in.Question) {
		t.Errorf("a long question is read as %d bytes (valid UTF-8: %v)", len(in.Question), utf8.ValidString(in.Question))
	}
}

// checkIntent checks what holds for any question.
func checkIntent(t *testing.T, q string, in Intent) {
	t.Helper()
	if !strings.HasPrefix(q, in.Question) || len(in.Question) > MaxQuestionBytes {
		t.Fatalf("Understand(%.40q…).Question = %.40q…", q, in.Question)
	}
	seen := map[string]bool{}
	for _, id := range in.Measures {
		if seen[id] {
			t.Fatalf("Understand(%.40q…): measure %q twice in %v", q, id, in.Measures)
		}
		seen[id] = true
	}
	for _, m := range in.MeasureMatches {
		if m.Start < 0 || m.End > len(in.Question) || m.Start >= m.End || !seen[m.ID] {
			t.Fatalf("Understand(%.40q…): bad match %+v", q, m)
		}
	}
	p := in.Period
	if p.From > p.To || (p.Kind == PeriodNone) != (p.From == 0) && p.Kind != PeriodLatest {
		t.Fatalf("Understand(%.40q…): bad period %+v", q, p)
	}
	if p.Value != "" && !ValidPeriod(p.Value) {
		t.Fatalf("Understand(%.40q…): period value %q is not a valid period", q, p.Value)
	}
	switch in.Kind {
	case AskValue, AskWhen, AskWhere, AskWho, AskTrend, AskCompare, AskOverview, AskUnknown:
	default:
		t.Fatalf("Understand(%.40q…): kind %q", q, in.Kind)
	}
	if !in.Lang.Valid() {
		t.Fatalf("Understand(%.40q…): lang %q", q, in.Lang)
	}
}

func FuzzUnderstand(f *testing.F) {
	b := mustCurated(f)
	for _, q := range []string{
		"How much was China–Kazakhstan trade in 2023?", "товарооборот с 2015 по 2020", "2015 жылдан бері",
		"2013年到2024年中国与中亚贸易额", "où en est le commerce depuis 2015 ?", "last 5 years", "\xff2023\x00",
		"2023-2024-2025", "первом квартале 2024", "前10个月", "investmnet",
	} {
		f.Add(q, 2025)
	}
	f.Fuzz(func(t *testing.T, q string, year int) {
		asked := time.Date(1990+abs(year)%200, 6, 1, 0, 0, 0, 0, time.UTC)
		checkIntent(t, q, b.Understand(q, asked))
	})
}

// benchQuestions are questions as people type them, in the five languages.
var benchQuestions = []string{
	"How much was China–Kazakhstan trade in 2023? $41 billion?",
	"how has trade with china changed since 2015",
	"товарооборот с китаем за январь-сентябрь 2018",
	"сколько китайских туристов приехало в этом году",
	"2015 жылдан бері тауар айналымы қалай өсті",
	"Қазақстандағы екінші атом электр станциясын қай компания салады?",
	"2013年到2024年中国与中亚贸易额增长了多少",
	"今年赴哈中国游客有多少",
	"évolution du commerce avec la Chine depuis 2015",
	"combien d'entreprises chinoises opèrent au Kazakhstan ?",
}

func BenchmarkUnderstand(b *testing.B) {
	base := mustCurated(b)
	asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	base.Understand("warm up", asked)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		base.Understand(benchQuestions[i%len(benchQuestions)], asked)
	}
}

// BenchmarkUnderstandHostile reads 1 MB questions: the same words over and
// over, long words nothing knows, emoji. Understand reads MaxQuestionBytes
// of each.
func BenchmarkUnderstandHostile(b *testing.B) {
	base := mustCurated(b)
	asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var unknown strings.Builder
	for i := 0; unknown.Len() < 1<<20; i++ {
		fmt.Fprintf(&unknown, "zqxwvut%dklmn ", i)
	}
	qs := []string{
		strings.Repeat("товарооборот 2023 trade 贸易额 ", 1<<20/40),
		unknown.String(),
		strings.Repeat("🙂", 1<<18),
		strings.Repeat("2023-2024 ", 1<<20/10),
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		base.Understand(qs[i%len(qs)], asked)
	}
}

// BenchmarkNewUnderstander is the one-off cost of the first Understand on a
// base.
func BenchmarkNewUnderstander(b *testing.B) {
	base := mustCurated(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		NewUnderstander(base)
	}
}

// An intent's entity matches are what a Matcher of the base's aliases finds
// in the question, spans included, for every dev question and a few
// hostile ones: the index takes them instead of matching again.
func TestUnderstandEntityMatches(t *testing.T) {
	b := mustCurated(t)
	m := NewMatcher(b.Aliases)
	questions := []string{"", "Хоргос — Khorgos — 霍尔果斯 — Қорғас", "ＫＨＯＲＧＯＳ gateway", "kazakhstan\u0301 china"}
	for _, c := range b.Eval {
		questions = append(questions, c.Question)
	}
	named := 0
	for _, q := range questions {
		in := b.Understand(q, time.Time{})
		want := m.Find(in.Question)
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(in.EntityMatches, want) {
			t.Errorf("%q: entity matches %v, the matcher finds %v", q, in.EntityMatches, want)
		}
		if len(want) > 0 {
			named++
		}
	}
	if named < len(questions)/2 {
		t.Errorf("only %d of %d questions name an entity", named, len(questions))
	}
}

// A question asking how to do something, for a schedule or for a price now
// is practical, in five languages; a question about a price change or a
// project's cost is not.
func TestUnderstandPractical(t *testing.T) {
	b := mustCurated(t)
	for q, want := range map[string]bool{
		"how do i get a chinese work visa":                 true,
		"как оформить рабочую визу в китай":                true,
		"қытайда жұмыс визасын қалай алуға болады":         true,
		"去哈萨克斯坦工作签证怎么办":                                    true,
		"comment obtenir un visa de travail pour la chine": true,
		"horaires du poste frontière de khorgos":           true,
		"режим работы погранперехода хоргос":               true,
		"brent oil price today":                            true,
		"бүгін мұнайдың бағасы қанша":                      true,
		"哈萨克斯坦小麦现在价格":                                      true,
		"kz china trade 2023":                              false,
		"сколько стоит дорога аягоз-бахты":                 false,
		"baisse des prix chery haval en septembre 2025":    false,
		"how much did the ayagoz bakhty railway cost":      false,
		"中哈贸易额2024年是多少":                                    false,
	} {
		if got := b.Understand(q, time.Time{}).Practical; got != want {
			t.Errorf("%q: practical %v, want %v", q, got, want)
		}
	}
}
