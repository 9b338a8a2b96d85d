package knowledge

import (
	"errors"
	"strings"
	"testing"
)

// TestFormatValue writes figures as each language's press does; spaces
// are shown as "_" (no-break) and "^" (narrow no-break) to be read.
func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		value, unit    string
		ru, kk, zh, fr string
	}{
		{"$41 billion", "USD", "41_млрд_долл.", "41_млрд_доллар", "410亿美元", "41_milliards_de_dollars"},
		{"$41.02 billion", "USD", "41,02_млрд_долл.", "41,02_млрд_доллар", "410.2亿美元", "41,02_milliards_de_dollars"},
		{"$19.885 billion", "USD", "19,885_млрд_долл.", "19,885_млрд_доллар", "198.85亿美元", "19,885_milliards_de_dollars"},
		{"$51.1 million", "USD", "51,1_млн_долл.", "51,1_млн_доллар", "5110万美元", "51,1_millions_de_dollars"},
		{"over $1 billion", "USD", "более_1_млрд_долл.", ">1_млрд_доллар", "超过10亿美元", "plus_de_1_milliard_de_dollars"},
		{">$1 billion", "USD", ">1_млрд_долл.", ">1_млрд_доллар", "超过10亿美元", ">1_milliard_de_dollars"},
		{"~$1.2 billion", "USD", "~1,2_млрд_долл.", "~1,2_млрд_доллар", "约12亿美元", "~1,2_milliard_de_dollars"},
		{"+$1 billion", "USD", "+1_млрд_долл.", "+1_млрд_доллар", "+10亿美元", "+1_milliard_de_dollars"},
		{"1.5 trillion tenge", "KZT", "1,5_трлн_тенге", "1,5_трлн_теңге", "1.5万亿坚戈", "1,5_billion_de_tenges"},
		{"143.94 billion yuan", "CNY", "143,94_млрд_юаней", "143,94_млрд_юань", "1439.4亿元", "143,94_milliards_de_yuans"},
		{"8,000 yuan", "CNY", "8000_юаней", "8000_юань", "8000元", "8^000_yuans"},
		{"20 Mt/yr", "Mt", "20_млн_т_в_год", "20_млн_т/жыл", "2000万吨/年", "20_Mt/an"},
		{"~48 Mt/yr", "Mt/yr", "~48_млн_т_в_год", "~48_млн_т/жыл", "约4800万吨/年", "~48_Mt/an"},
		{"up to 1 Mt/yr", "Mt", "до_1_млн_т_в_год", "≤1_млн_т/жыл", "最多100万吨/年", "jusqu'à_1_Mt/an"},
		{"~2,800 km", "km", "~2800_км", "~2800_км", "约2800公里", "~2^800_km"},
		{"2,800 km", "km", "2800_км", "2800_км", "2800公里", "2^800_km"},
		{"1,782.75 km", "km", "1782,75_км", "1782,75_км", "1782.75公里", "1^782,75_km"},
		{"~4,700", "companies", "~4700_компаний", "~4700_компания", "约4700家企业", "~4^700_entreprises"},
		{"more than 80", "countries", "более_80_стран", ">80_ел", "超过80个国家", "plus_de_80_pays"},
		{"21", "companies", "21_компания", "21_компания", "21家企业", "21_entreprises"},
		{"42", "companies", "42_компании", "42_компания", "42家企业", "42_entreprises"},
		{"367,000", "tourists", "367_000_туристов", "367_000_турист", "36.7万名游客", "367^000_touristes"},
		{"10–15", "projects", "10–15_проектов", "10–15_жоба", "10–15个项目", "10–15_projets"},
		{"at least 2–3", "plants", "не_менее_2–3_станций", "кемінде_2–3_станция", "至少2–3座电站", "au_moins_2–3_centrales"},
		{"20–22%", "%", "20–22%", "20–22%", "20–22%", "20–22^%"},
		{"+32%", "%", "+32%", "+32%", "+32%", "+32^%"},
		{"21.3%", "%", "21,3%", "21,3%", "21.3%", "21,3^%"},
		{">=85%", "%", "≥85%", "≥85%", "至少85%", "≥85^%"},
		{"x1.7", "times", "×1,7", "×1,7", "1.7倍", "×1,7"},
		{"~100x", "times", "~×100", "~×100", "约100倍", "~×100"},
		{"13 bcm -> 5.5 bcm", "bcm", "13_→_5,5_млрд_куб._м", "13_→_5,5_млрд_текше_м", "130亿_→_55亿立方米", "13_→_5,5_milliards_de_m³"},
		{"124 per week", "flights/week", "124_рейса_в_неделю", "124_рейс_аптасына", "124个航班/周", "124_vols_par_semaine"},
		{">1 million TEU", "TEU", ">1_млн_ДФЭ", ">1_млн_TEU", "超过100万标准箱", ">1_million_d'EVP"},
		{"5 h", "hours", "5_ч", "5_сағ", "5小时", "5_h"},
		{"2024-07-03", "date", "3_июля_2024_г.", "2024_жылғы_3_шілде", "2024年7月3日", "3_juillet_2024"},
		{"Sept 2019", "date", "сентябрь_2019_г.", "2019_жылғы_қыркүйек", "2019年9月", "septembre_2019"},
		{"12–16 Sep 2024", "dates", "12–16_сентября_2024_г.", "2024_жылғы_12–16_қыркүйек", "2024年9月12日至16日", "12–16_septembre_2024"},
		{"30 Aug – 3 Sep 2025", "date", "30_августа_–_3_сентября_2025_г.", "30_тамыз_–_2025_жылғы_3_қыркүйек", "8月30日_–_2025年9月3日", "30_août_–_3_septembre_2025"},
		{"1983–1984", "years", "1983–1984", "1983–1984", "1983–1984", "1983–1984"},
	} {
		fg := Figure{Value: tc.value, Unit: tc.unit}
		for _, want := range []struct {
			lang Lang
			s    string
		}{{RU, tc.ru}, {KK, tc.kk}, {ZH, tc.zh}, {FR, tc.fr}} {
			got, err := FormatValue(fg, want.lang)
			if err != nil {
				t.Errorf("FormatValue(%q, %q, %s): %v", tc.value, tc.unit, want.lang, err)
				continue
			}
			if got = visibleSpaces(got); got != want.s {
				t.Errorf("FormatValue(%q, %q, %s) = %q, want %q", tc.value, tc.unit, want.lang, got, want.s)
			}
		}
		if got, _ := FormatValue(fg, EN); got != englishValue(fg) {
			t.Errorf("FormatValue(%q, en) = %q, want the value as written", tc.value, got)
		}
	}
}

func visibleSpaces(s string) string {
	return strings.NewReplacer(" ", "_", nbsp, "_", nnbsp, "^").Replace(s)
}

// TestFormatValueKeepsWhatItCannotWrite: a value with words the formatter
// cannot translate keeps its English text and says why.
func TestFormatValueKeepsWhatItCannotWrite(t *testing.T) {
	for _, fg := range []Figure{
		{Value: "1,200 buses and e-buses", Unit: "buses/yr"},
		{Value: "second largest trade partner", Unit: "rank"},
		{Value: "3rd", Unit: "plants"},
		{Value: "late Feb 2024", Unit: "date"},
		{Value: "12", Unit: "widgets"},
		{Value: "2/3 of 1,500 MW", Unit: "MW"},
	} {
		for _, l := range []Lang{RU, KK, ZH, FR} {
			got, err := FormatValue(fg, l)
			if !errors.Is(err, ErrUnformattable) {
				t.Errorf("FormatValue(%q, %q, %s) error = %v, want ErrUnformattable", fg.Value, fg.Unit, l, err)
			}
			if got != englishValue(fg) {
				t.Errorf("FormatValue(%q, %s) = %q, want the English %q", fg.Value, l, got, englishValue(fg))
			}
		}
	}
}

func TestShiftDecimal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		exp  int
		want string
	}{
		{"41.02", 9, "41020000000"}, {"41020000000", -8, "410.2"}, {"4,700", 0, "4700"},
		{"0.5", 4, "5000"}, {"5", -4, "0.0005"}, {"1.23", 6, "1230000"},
	} {
		if got := shiftDecimal(tc.in, tc.exp); got != tc.want {
			t.Errorf("shiftDecimal(%q, %d) = %q, want %q", tc.in, tc.exp, got, tc.want)
		}
	}
}

// TestFormatValueWords: a figure in words is shown in the reader's words.
func TestFormatValueWords(t *testing.T) {
	fg := Figure{Value: "second largest", Unit: "rank", Words: Text{EN: "second largest", RU: "второй по величине", KK: "көлемі жағынан екінші", ZH: "第二大", FR: "deuxième"}}
	for _, l := range Langs[1:] {
		got, err := FormatValue(fg, l)
		if err != nil || got != fg.Words[l] {
			t.Errorf("FormatValue(%s) = %q, %v; want %q", l, got, err, fg.Words[l])
		}
	}
}

func TestFormatPeriod(t *testing.T) {
	for _, tc := range []struct {
		p              string
		en, ru, zh, fr string
	}{
		{"2023", "2023", "2023", "2023", "2023"},
		{"2024-Q1", "2024-Q1", "I_кв._2024_г.", "2024年第一季度", "T1_2024"},
		{"2025-H1", "2025-H1", "I_полугодие_2025_г.", "2025年上半年", "S1_2025"},
		{"2024-07", "2024-07", "июль_2024_г.", "2024年7月", "juillet_2024"},
		{"2018-01..2018-09", "2018-01_–_2018-09", "январь_2018_г._–_сентябрь_2018_г.", "2018年1月_–_2018年9月", "janvier_2018_–_septembre_2018"},
	} {
		for _, want := range []struct {
			lang Lang
			s    string
		}{{EN, tc.en}, {RU, tc.ru}, {ZH, tc.zh}, {FR, tc.fr}} {
			if got := visibleSpaces(FormatPeriod(tc.p, want.lang)); got != want.s {
				t.Errorf("FormatPeriod(%q, %s) = %q, want %q", tc.p, want.lang, got, want.s)
			}
		}
	}
}
