package knowledge

import (
	"reflect"
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
