package knowledge

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// TestParseAmount reads values as the base writes them.
func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		value, unit string
		want        Amount
	}{
		{"$41.02 billion", "USD", Amount{Number: "41.02", Value: 41.02, Scale: 1e9, ScaleWord: "billion", Unit: "USD", Kind: AmountLevel}},
		{"$41 billion", "USD", Amount{Number: "41", Value: 41, Scale: 1e9, ScaleWord: "billion", Unit: "USD", Kind: AmountLevel}},
		{"$19.885 billion", "USD", Amount{Number: "19.885", Value: 19.885, Scale: 1e9, ScaleWord: "billion", Unit: "USD", Kind: AmountLevel}},
		{"$368 million", "USD", Amount{Number: "368", Value: 368, Scale: 1e6, ScaleWord: "million", Unit: "USD", Kind: AmountLevel}},
		{">$24 billion", "USD", Amount{Number: "24", Value: 24, Scale: 1e9, ScaleWord: "billion", Unit: "USD", Qualifier: MoreThan, Kind: AmountLevel}},
		{"~$21 billion", "USD", Amount{Number: "21", Value: 21, Scale: 1e9, ScaleWord: "billion", Unit: "USD", Qualifier: About, Kind: AmountLevel}},
		{"+$1 billion", "USD", Amount{Number: "1", Value: 1, Scale: 1e9, ScaleWord: "billion", Unit: "USD", Kind: AmountChange}},
		{"~4,700", "companies", Amount{Number: "4,700", Value: 4700, Scale: 1, Unit: "companies", Qualifier: About, Kind: AmountLevel}},
		{">4,700", "companies", Amount{Number: "4,700", Value: 4700, Scale: 1, Unit: "companies", Qualifier: MoreThan, Kind: AmountLevel}},
		{"more than 80", "countries", Amount{Number: "80", Value: 80, Scale: 1, Unit: "countries", Qualifier: MoreThan, Kind: AmountLevel}},
		{"367,000", "tourists", Amount{Number: "367,000", Value: 367000, Scale: 1, Unit: "tourists", Kind: AmountLevel}},
		{"21.3%", "%", Amount{Number: "21.3", Value: 21.3, Scale: 1, Unit: "%", Kind: AmountLevel}},
		{"+32%", "%", Amount{Number: "32", Value: 32, Scale: 1, Unit: "%", Kind: AmountChange}},
		{">=85%", "%", Amount{Number: "85", Value: 85, Scale: 1, Unit: "%", Qualifier: AtLeast, Kind: AmountLevel}},
		{"20–22%", "%", Amount{Number: "20", Value: 20, Upper: 22, Scale: 1, Unit: "%", Kind: AmountLevel}},
		{"x1.7", "times", Amount{Number: "1.7", Value: 1.7, Scale: 1, Unit: "times", Kind: AmountRatio}},
		{"~100x", "times", Amount{Number: "100", Value: 100, Scale: 1, Unit: "times", Qualifier: About, Kind: AmountRatio}},
		{"143.94 billion yuan", "CNY", Amount{Number: "143.94", Value: 143.94, Scale: 1e9, ScaleWord: "billion", Unit: "CNY", Kind: AmountLevel}},
		{">450 billion tenge", "KZT", Amount{Number: "450", Value: 450, Scale: 1e9, ScaleWord: "billion", Unit: "KZT", Qualifier: MoreThan, Kind: AmountLevel}},
		{"8,000 yuan", "CNY", Amount{Number: "8,000", Value: 8000, Scale: 1, Unit: "CNY", Kind: AmountLevel}},
		{"2,500 CNY", "CNY", Amount{Number: "2,500", Value: 2500, Scale: 1, Unit: "CNY", Kind: AmountLevel}},
		{"254,200 t", "t", Amount{Number: "254,200", Value: 254200, Scale: 1, Unit: "t", Kind: AmountLevel}},
		{"500,000 t/yr", "t", Amount{Number: "500,000", Value: 500000, Scale: 1, Unit: "t", Kind: AmountLevel}},
		{"up to 1 Mt/yr", "Mt", Amount{Number: "1", Value: 1, Scale: 1, Unit: "Mt", Qualifier: AtMost, Kind: AmountLevel}},
		{"~48 Mt/yr", "Mt/yr", Amount{Number: "48", Value: 48, Scale: 1, Unit: "Mt/yr", Qualifier: About, Kind: AmountLevel}},
		{"140 million bbl/yr", "bbl", Amount{Number: "140", Value: 140, Scale: 1e6, ScaleWord: "million", Unit: "bbl", Kind: AmountLevel}},
		{">1 million TEU", "TEU", Amount{Number: "1", Value: 1, Scale: 1e6, ScaleWord: "million", Unit: "TEU", Qualifier: MoreThan, Kind: AmountLevel}},
		{"5.43 million", "people", Amount{Number: "5.43", Value: 5.43, Scale: 1e6, ScaleWord: "million", Unit: "people", Kind: AmountLevel}},
		{"1,782.75 km", "km", Amount{Number: "1,782.75", Value: 1782.75, Scale: 1, Unit: "km", Kind: AmountLevel}},
		{"5.28 km²", "km²", Amount{Number: "5.28", Value: 5.28, Scale: 1, Unit: "km²", Kind: AmountLevel}},
		{"350 GWh/yr", "GWh/yr", Amount{Number: "350", Value: 350, Scale: 1, Unit: "GWh/yr", Kind: AmountLevel}},
		{"90,000/yr", "cars/yr", Amount{Number: "90,000", Value: 90000, Scale: 1, Unit: "cars/yr", Kind: AmountLevel}},
		{"124 per week", "flights/week", Amount{Number: "124", Value: 124, Scale: 1, Unit: "flights/week", Kind: AmountLevel}},
		{"13 bcm -> 5.5 bcm", "bcm", Amount{Number: "5.5", Value: 5.5, Scale: 1, Unit: "bcm", Kind: AmountLevel, Before: 13, HasBefore: true}},
		{"6 -> 12 Mt/yr", "Mt", Amount{Number: "12", Value: 12, Scale: 1, Unit: "Mt", Kind: AmountLevel, Before: 6, HasBefore: true}},
		{"1,200 buses and e-buses", "buses/yr", Amount{Number: "1,200", Value: 1200, Scale: 1, Unit: "buses/yr", Kind: AmountLevel}},
		{"30 days per entry", "days", Amount{Number: "30", Value: 30, Scale: 1, Unit: "days", Kind: AmountLevel}},
		{"5 h", "hours", Amount{Number: "5", Value: 5, Scale: 1, Unit: "hours", Kind: AmountLevel}},
		{"at least 2–3", "plants", Amount{Number: "2", Value: 2, Upper: 3, Scale: 1, Unit: "plants", Qualifier: AtLeast, Kind: AmountLevel}},
		{">10,000", "joint ventures/projects", Amount{Number: "10,000", Value: 10000, Scale: 1, Unit: "joint ventures/projects", Qualifier: MoreThan, Kind: AmountLevel}},
	} {
		got, err := ParseAmount(tc.value, tc.unit)
		if err != nil {
			t.Errorf("ParseAmount(%q, %q): %v", tc.value, tc.unit, err)
			continue
		}
		if got != tc.want {
			t.Errorf("ParseAmount(%q, %q) =\n  %+v, want\n  %+v", tc.value, tc.unit, got, tc.want)
		}
	}
}

// TestParseAmountBad lists values that are not amounts, or not readable,
// with what the error must say.
func TestParseAmountBad(t *testing.T) {
	for _, tc := range []struct {
		value, unit, want string
		notQuantity       bool
	}{
		{"2024-09-12", "date", "not a quantity", true},
		{"second largest", "rank", "not a quantity", true},
		{"3rd", "branches", "ordinal", true},
		{"2nd NPP", "plants", "ordinal", true},
		{"24th", "summit", "ordinal", true},
		{"the only Confucius Institute in Astana", "institutes", "no number", false},
		{"2/3 of 1,500 MW", "MW", `cannot read "/3 of 1,500 MW"`, false},
		{"40% domestic / 60% export", "%", "cannot read", false},
		{"$41 billion", "CNY", "is in USD", false},
		{"41%", "USD", "is a percentage", false},
		{"41", "%", "no % sign", false},
		{"41 apples", "USD", `cannot read "apples"`, false},
		{"22–20%", "%", "backwards", false},
		{"", "USD", "no number", false},
	} {
		_, err := ParseAmount(tc.value, tc.unit)
		if err == nil {
			t.Errorf("ParseAmount(%q, %q) read it, want an error", tc.value, tc.unit)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || errors.Is(err, ErrNotQuantity) != tc.notQuantity {
			t.Errorf("ParseAmount(%q, %q) = %v (not a quantity: %v), want %q (not a quantity: %v)",
				tc.value, tc.unit, err, errors.Is(err, ErrNotQuantity), tc.want, tc.notQuantity)
		}
	}
}

func TestAmountBase(t *testing.T) {
	for _, tc := range []struct {
		value, unit string
		want        float64
	}{
		{"$19.88 billion", "USD", 19880000000},
		{"$41.02 billion", "USD", 41020000000},
		{"$368 million", "USD", 368000000},
		{"~4,700", "companies", 4700},
		{"674.15 billion yuan", "CNY", 674150000000},
		{"-5.5%", "%", -5.5},
	} {
		a, err := ParseAmount(tc.value, tc.unit)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Base(); got != tc.want {
			t.Errorf("ParseAmount(%q).Base() = %v, want %v", tc.value, got, tc.want)
		}
	}
}

func TestAmountPoint(t *testing.T) {
	for value, want := range map[string]bool{
		"$41 billion": true, "~4,700": true, "+32%": false, "x1.7": false, "20–22%": false, "13 -> 19": false,
	} {
		unit := "USD"
		switch {
		case strings.HasSuffix(value, "%"):
			unit = "%"
		case strings.HasPrefix(value, "x"):
			unit = "times"
		case !strings.HasPrefix(value, "$"):
			unit = "companies"
		}
		a, err := ParseAmount(value, unit)
		if err != nil {
			t.Fatalf("ParseAmount(%q): %v", value, err)
		}
		if a.Point() != want {
			t.Errorf("ParseAmount(%q).Point() = %v, want %v", value, a.Point(), want)
		}
	}
}

// TestAmountCoverage reads every figure of the curated base: how many are
// read, how many are no quantity (dates, ranks, ordinals), and which are
// not readable. A figure that belongs to a series must be readable (the
// loader reports it otherwise), so those left over stand outside series.
// Run with -v for the list.
func TestAmountCoverage(t *testing.T) {
	b := mustCurated(t)
	var read, none, override, bad int
	var unread []string
	units := map[string]int{}
	for _, f := range b.Facts {
		for _, fg := range f.Figures {
			if fg.AmountText != "" {
				override++
			}
			a, err := fg.Amount()
			switch {
			case err == nil:
				read++
				units[a.Unit]++
			case errors.Is(err, ErrNotQuantity):
				none++
			default:
				bad++
				unread = append(unread, f.ID+": "+err.Error())
			}
		}
	}
	sort.Strings(unread)
	total := read + none + bad
	t.Logf("figures: %d; read as amounts: %d; not quantities (dates, ranks, ordinals, amount: none): %d; not readable: %d; with an amount: override: %d",
		total, read, none, bad, override)
	for _, u := range unread {
		t.Logf("  not readable: %s", u)
	}
	if bad > 2 {
		t.Errorf("%d figures not readable, want at most 2 (neither in a series)", bad)
	}
}
