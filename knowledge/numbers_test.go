package knowledge

import (
	"reflect"
	"testing"
)

func TestNormalizeNumber(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"4700", "4700"},
		{"4,700", "4700"},
		{"4.700", "4700"},
		{"4 700", "4700"},
		{"4\u00a0700", "4700"},
		{"4\u202f700", "4700"},
		{"31,5", "31.5"},
		{"31.5", "31.5"},
		{"1,782.75", "1782.75"},
		{"1.782,75", "1782.75"},
		{"1 782,75", "1782.75"},
		{"4,700,000", "4700000"},
		{"4.700.000", "4700000"},
		{"0.5", "0.5"},
		{"2023", "2023"},
		{"043.10", "43.1"},
	} {
		if got := NormalizeNumber(tc.in); got != tc.want {
			t.Errorf("NormalizeNumber(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumbersMeetAcrossLanguages(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"$41 billion", []string{"41000000000"}},
		{"41 млрд долларов", []string{"41000000000"}},
		{"41 миллиард доллар", []string{"41000000000"}},
		{"410亿美元", []string{"41000000000"}},
		{"41 milliards de dollars", []string{"41000000000"}},
		{"about 4,700 companies", []string{"4700"}},
		{"около 4 700 компаний", []string{"4700"}},
		{"4.700 entreprises", []string{"4700"}},
		{"31,5 млрд", []string{"31500000000"}},
		{"$31.5 bn in 2023", []string{"31500000000", "2023"}},
		{"43.82 billion", []string{"43820000000"}},
		{"no digits here", nil},
		// Codes are not quantities, and a space before a year is no
		// group separator.
		{"bilateral turnover q1 2024", []string{"2024"}},
		{"Q1 2024: 3,650 trains", []string{"2024", "3650"}},
		{"C+C5 summit in H1 2025", []string{"2025"}},
		{"page 1 2024", []string{"1", "2024"}},
		{"12 345 678 tonnes", []string{"12345678"}},
	} {
		if got := Numbers(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Numbers(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
