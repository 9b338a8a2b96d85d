package knowledge

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestPeriods(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"trade with Kitai jan-apr 2020", []string{"2020-01..2020-04", "2020"}},
		{"товарооборот за январь–июль 2022", []string{"2022-01..2022-07", "2022"}},
		{"2022 жылғы қаңтар–қазан айлары", []string{"2022-01..2022-10", "2022"}},
		{"2020年1-4月中哈贸易额", []string{"2020-01..2020-04", "2020"}},
		{"échanges de janvier à septembre 2018", []string{"2018-01..2018-09", "2018"}},
		{"trade in the first half of 2023", []string{"2023-H1", "2023"}},
		{"2024年上半年", []string{"2024-H1", "2024"}},
		{"Q1 2024 trade", []string{"2024-Q1", "2024"}},
		{"первый квартал 2024 года", []string{"2024-Q1", "2024"}},
		{"2024年一季度", []string{"2024-Q1", "2024"}},
		{"2024年2季度", []string{"2024-Q2", "2024"}},
		{"товарооборот 1 кв 2024", []string{"2024-Q1", "2024"}},
		{"товарооборот 3-й кв. 2024", []string{"2024-Q3", "2024"}},
		{"товарооборот 2кв 2024", []string{"2024-Q2", "2024"}},
		{"II квартал 2023", []string{"2023-Q2", "2023"}},
		{"trade 1q 2024", []string{"2024-Q1", "2024"}},
		{"commerce T4 2023", []string{"2023-Q4", "2023"}},
		{"площадь 3 кв. км 2024", []string{"2024"}}, // square kilometres, not a quarter
		{"2 кв м 2024", []string{"2024"}},
		{"1 квартира 2024", []string{"2024"}},
		{"in September 2024", []string{"2024-09", "2024"}},
		{"may we have trade 2023", []string{"2023"}}, // "may" the verb is no month
		{"trade 2013", []string{"2013"}},
		{"how many companies", nil},
	} {
		if got := Periods(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Periods(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The quick test in front of the half and quarter regexps changes nothing:
// on lower-cased text, half and quarter say what the regexps alone say,
// whatever the case or the letters that fold oddly (ſ, K, ᲂ …).
func TestHalfQuarterQuickTest(t *testing.T) {
	pieces := []string{"", " ", "2023", "h1", "H2", "h3", "q1", "Q4", "q5", "first half", "FIRST HALF", "Second Half", "half",
		"premier semestre", "SECOND SEMESTRE", "ſecond ſemeſtre", "первое полугодие", "ВТОРОЕ ПОЛУГОДИЕ", "перв\u1c82е пᲂлугᲂ\u1c81ие",
		"бірінші жартыжылдық", "ЕКІНШІ ЖАРТЫЖЫЛДЫҚ", "екінші жар\u1c84ыжылдық", "上半年", "下半年", "半年",
		"first quarter", "FOURTH QUARTER", "third quarter", "deuxième trimestre", "QUATRIÈME TRIMESTRE", "troiſième trimeſtre",
		"первый квартал", "ЧЕТВЁРТЫЙ КВАРТАЛ", "трет\u1c84ий к\u1c80ар\u1c85ал", "3-тоқсан", "2 квартал", "4-ТОҚСАН", "三季度", "一季度", "2季度",
		"1 кв", "1кв", "3-й кв.", "3 кв. км", "2 кв м", "1 квартира", "1q", "4Q", "T1", "t3", "II квартал", "iv quarter", "iii trimestre", "ІІ кв",
		"trade", "товарооборот", "\u212a", "k", "ſ", "of", "in", "-", "\xff", "季", "度", "quarterly", "halfway", "полу", "годие"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for range rng.IntN(5) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(3) > 0 {
				sb.WriteByte(' ')
			}
		}
		lower := strings.ToLower(sb.String())
		if got, want := half(lower), halfOf(lower); got != want {
			t.Errorf("half(%q) = %q, the regexp says %q", lower, got, want)
		}
		if got, want := quarter(lower), quarterOf(lower); got != want {
			t.Errorf("quarter(%q) = %q, the regexp says %q", lower, got, want)
		}
	}
}

// The words that name a half or a quarter are found where they are, in
// every language, so that the search can leave them to the period.
func TestPartOfYearSpans(t *testing.T) {
	for text, want := range map[string][]string{
		"bilateral turnover q1 2024":         {"q1"},
		"trade in the first half of 2023":    {"first half"},
		"товарооборот за первое полугодие":   {"первое полугоди"}, // the stem: see PartOfYearSpans
		"2024 жылғы 1-тоқсан сауда":          {"1-тоқсан"},
		"2023年上半年中哈贸易":                       {"上半年"},
		"échanges au premier trimestre 2024": {"premier trimestre"},
		"товарооборот 1 кв 2024":             {"1 кв"},
		"площадь 3 кв. км":                   nil,
		"half of china europe cargo":         nil, // a share, not a period
		"trade 2023":                         nil,
	} {
		var got []string
		for _, s := range PartOfYearSpans(text) {
			got = append(got, text[s[0]:s[1]])
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("PartOfYearSpans(%q) = %q, want %q", text, got, want)
		}
	}
}
