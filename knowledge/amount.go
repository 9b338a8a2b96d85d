package knowledge

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Amount is a figure's value read by machine: the number as the source
// gives it, its scale and unit, the qualifier that goes with it and, for a
// change or a range, what kind of number it is. It is read from the figure's
// own Value and Unit (see ParseAmount), so the figure's wording stays the one
// shown to people; Amount only places it on a chart or in a table.
type Amount struct {
	// Number is the number exactly as written, separators included
	// ("41.02", "4,700"), and Value the same number read (41.02, 4700):
	// never rounded, converted or recomputed.
	Number string
	Value  float64
	// Scale multiplies Value: 1e9 for "billion", 1e6 for "million", 1 for
	// none; ScaleWord is the word as written ("billion", "bn").
	Scale     float64
	ScaleWord string
	// Unit is what is counted, the figure's Unit (USD, %, t, Mt, TEU,
	// companies …); a currency written as a sign or a word ("$", "yuan")
	// must agree with it.
	Unit string
	// Qualifier is how exact the number is, normalized: "" (as stated),
	// "~" (about, around), ">" (more than, over), "≥" (at least), "<"
	// (less than, under), "≤" (up to).
	Qualifier Qualifier
	// Kind says whether the number is a level, a change or a ratio.
	Kind AmountKind
	// Upper is the upper end of a range ("17–18", "20–22%"); 0 otherwise.
	Upper float64
	// Before is the starting level of a transition ("13 bcm -> 5.5 bcm":
	// Before 13, Value 5.5), and HasBefore whether there is one.
	Before    float64
	HasBefore bool
}

// Qualifier is how exact an amount is.
type Qualifier string

// The qualifiers an amount may carry.
const (
	Exact    Qualifier = ""
	About    Qualifier = "~"
	MoreThan Qualifier = ">"
	AtLeast  Qualifier = "≥"
	LessThan Qualifier = "<"
	AtMost   Qualifier = "≤"
)

// AmountKind says what an amount's number measures.
type AmountKind string

// The kinds of amount.
const (
	// AmountLevel is a quantity at or over its period: $41 billion, 4,700
	// companies, 21.3%.
	AmountLevel AmountKind = "level"
	// AmountChange is a difference from an earlier period: "+32%", "+$2.8
	// billion", "-5%".
	AmountChange AmountKind = "change"
	// AmountRatio is a multiple of an earlier period: "x1.7", "~100x".
	AmountRatio AmountKind = "ratio"
)

// Base returns the amount in units of its unit, scale applied: 41.02e9 for
// "$41.02 billion". It is for placing a point on an axis, never for
// showing: the figure's own text is what people read.
func (a Amount) Base() float64 {
	// Read from the digits with the scale as an exponent, so that "$19.88
	// billion" is exactly 19880000000, not 19.88 × 1e9 rounded twice.
	exp := int(math.Round(math.Log10(a.Scale)))
	v, err := strconv.ParseFloat(strings.ReplaceAll(a.Number, ",", "")+"e"+strconv.Itoa(exp), 64)
	if err != nil || a.Scale <= 0 {
		return a.Value * a.Scale
	}
	return math.Copysign(v, a.Value)
}

// Point reports whether the amount can stand as one point of a series: a
// level with one number, not a change, a ratio, a range or a transition.
func (a Amount) Point() bool {
	return a.Kind == AmountLevel && a.Upper == 0 && !a.HasBefore
}

// NotAmount is what an explicit "amount:" override says of a figure that
// is not a quantity at all (a rank written in words, a description).
const NotAmount = "none"

// nonAmountUnits are units whose figures are not quantities: dates, places,
// ranks. Their figures belong to no series and are not read.
var nonAmountUnits = map[string]bool{
	"date": true, "dates": true, "year": true, "place and dates": true,
	"location": true, "frequency": true, "rank": true, "stand": true,
}

// ErrNotQuantity is the error of ParseAmount for a figure that is not a
// quantity: a unit such as "date" or "rank" (see AmountUnit), or an ordinal
// ("3rd", "24th"). Such a figure belongs to no series, and not reading it
// is no problem.
var ErrNotQuantity = errors.New("not a quantity")

// AmountUnit reports whether figures in unit are quantities that ParseAmount
// reads: everything but dates, places and ranks.
func AmountUnit(unit string) bool { return !nonAmountUnits[strings.ToLower(strings.TrimSpace(unit))] }

var (
	numberAtStart = regexp.MustCompile(`^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`)
	rangeDash     = regexp.MustCompile(`^\s*[–—-]\s*`)
)

// qualifierWords are the words and signs that may open a value, longest
// first within each sign, with the qualifier they mean.
var qualifierWords = []struct {
	w string
	q Qualifier
}{
	{">=", AtLeast}, {"≥", AtLeast}, {"<=", AtMost}, {"≤", AtMost},
	{"~", About}, {"≈", About}, {">", MoreThan}, {"<", LessThan},
	{"approximately ", About}, {"about ", About}, {"around ", About}, {"some ", About},
	{"nearly ", About}, {"almost ", About},
	{"more than ", MoreThan}, {"over ", MoreThan}, {"at least ", AtLeast},
	{"less than ", LessThan}, {"under ", LessThan}, {"up to ", AtMost},
}

// scaleWords are the scale words a value may use after its number.
var scaleWords = []struct {
	w string
	x float64
}{
	{"thousand", 1e3}, {"million", 1e6}, {"mln", 1e6}, {"mn", 1e6},
	{"billion", 1e9}, {"bn", 1e9}, {"trillion", 1e12},
}

// currencyWords are the currencies a value may name, by sign or word.
var currencySigns = map[string]string{"$": "USD", "€": "EUR", "¥": "CNY"}
var currencyWords = map[string]string{
	"yuan": "CNY", "cny": "CNY", "tenge": "KZT", "kzt": "KZT",
	"dollars": "USD", "usd": "USD", "euros": "EUR", "eur": "EUR",
}

// ParseAmount reads a figure's value, as the base writes it, in the given
// unit:
//
//	"$41.02 billion"  USD        41.02 × 1e9 USD
//	"~4,700"          companies  about 4,700 companies
//	">450 billion tenge" KZT     more than 450 × 1e9 KZT
//	"+32%"            %          a change of +32 %
//	"x1.7", "~100x"   times      a ratio
//	"20–22%"          %          a range, 20 to 22 %
//	"13 bcm -> 5.5 bcm" bcm      5.5 bcm, from 13
//	"up to 1 Mt/yr"   Mt         at most 1 Mt
//
// Words after the unit are allowed ("1,200 buses and e-buses" in buses/yr,
// "30 days per entry"); anything else before or instead of the unit is not:
// the error says what could not be read. A unit that is not a quantity
// (AmountUnit) is an error too.
func ParseAmount(value, unit string) (Amount, error) {
	w, err := parseWritten(value, unit)
	return w.Amount, err
}

// written is an amount with the parts of its value as written, which
// formatting for a reader (FormatValue) needs and a chart does not.
type written struct {
	Amount
	qualWord string   // the qualifier as written, lower case: "~", "about"
	upper    string   // the upper end of a range as written
	tail     string   // what follows the number, scale, currency and %
	from     *written // the left side of a transition
}

// parseWritten is ParseAmount keeping the written parts.
func parseWritten(value, unit string) (written, error) {
	if !AmountUnit(unit) {
		return written{}, fmt.Errorf("unit %q: %w", unit, ErrNotQuantity)
	}
	s := strings.TrimSpace(value)
	if i := strings.Index(s, "->"); i >= 0 || strings.Contains(s, "→") {
		sep := "->"
		if i < 0 {
			sep = "→"
			i = strings.Index(s, sep)
		}
		before, err := parseOne(strings.TrimSpace(s[:i]), unit, true)
		if err != nil {
			return written{}, err
		}
		a, err := parseOne(strings.TrimSpace(s[i+len(sep):]), unit, false)
		if err != nil {
			return written{}, err
		}
		if before.Scale == 1 && a.Scale != 1 {
			before.Scale = a.Scale // "6 -> 12 Mt": the scale is written once
		}
		a.Before, a.HasBefore = before.Base()/a.Scale, true
		a.from = &before
		return a, nil
	}
	return parseOne(s, unit, false)
}

// parseOne reads one amount; bare allows a number without a unit (the
// left side of a transition, whose unit comes after the arrow).
func parseOne(s, unit string, bare bool) (written, error) {
	a := written{Amount: Amount{Unit: unit, Scale: 1, Kind: AmountLevel}}
	orig := s
	lower := strings.ToLower(s)
	for _, q := range qualifierWords {
		if strings.HasPrefix(lower, q.w) {
			a.Qualifier, a.qualWord = q.q, strings.TrimSpace(q.w)
			s = strings.TrimSpace(s[len(q.w):])
			break
		}
	}
	sign := 1.0
	switch {
	case strings.HasPrefix(s, "+"):
		a.Kind = AmountChange
		s = s[1:]
	case strings.HasPrefix(s, "−"):
		a.Kind, sign = AmountChange, -1
		s = s[len("−"):]
	case strings.HasPrefix(s, "-"):
		a.Kind, sign = AmountChange, -1
		s = s[1:]
	}
	if strings.HasPrefix(s, "x") || strings.HasPrefix(s, "×") {
		_, size := firstRune(s)
		if rest := s[size:]; rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			a.Kind = AmountRatio
			s = rest
		}
	}
	currency := ""
	for sym, cur := range currencySigns {
		if strings.HasPrefix(s, sym) {
			currency = cur
			s = s[len(sym):]
		}
	}
	num := numberAtStart.FindString(s)
	if num == "" {
		return written{}, fmt.Errorf("no number in %q", orig)
	}
	a.Number = num
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
	if err != nil {
		return written{}, fmt.Errorf("read %q: %w", num, err)
	}
	a.Value = sign * v
	s = s[len(num):]
	if ordinalSuffix(s) {
		return written{}, fmt.Errorf("%q is an ordinal: %w", orig, ErrNotQuantity)
	}
	if m := rangeDash.FindString(s); m != "" {
		if up := numberAtStart.FindString(s[len(m):]); up != "" {
			u, err := strconv.ParseFloat(strings.ReplaceAll(up, ",", ""), 64)
			if err != nil || u <= v {
				return written{}, fmt.Errorf("range %q runs backwards", orig)
			}
			a.Upper, a.upper = u, up
			s = s[len(m)+len(up):]
		}
	}
	switch {
	case strings.HasPrefix(s, "x") || strings.HasPrefix(s, "×"):
		_, size := firstRune(s)
		if a.Kind != AmountLevel {
			return written{}, fmt.Errorf("%q is both a change and a ratio", orig)
		}
		a.Kind = AmountRatio
		s = s[size:]
	case strings.HasPrefix(strings.ToLower(s), "-fold"):
		a.Kind = AmountRatio
		s = s[len("-fold"):]
	}
	s = strings.TrimSpace(s)
	word, rest := cutWord(s)
	for _, sw := range scaleWords {
		if strings.EqualFold(word, sw.w) {
			a.Scale, a.ScaleWord = sw.x, word
			s = rest
			word, rest = cutWord(s)
			break
		}
	}
	if cur, ok := currencyWords[strings.ToLower(word)]; ok {
		if currency != "" && currency != cur {
			return written{}, fmt.Errorf("%q names two currencies", orig)
		}
		currency = cur
		s = rest
	}
	if strings.HasPrefix(s, "%") {
		if unit != "%" {
			return written{}, fmt.Errorf("%q is a percentage, but the unit is %q", orig, unit)
		}
		s = strings.TrimSpace(s[1:])
	} else if unit == "%" && a.Kind != AmountRatio {
		return written{}, fmt.Errorf("%q has no %% sign, but the unit is %%", orig)
	}
	if currency != "" && currency != unit {
		return written{}, fmt.Errorf("%q is in %s, but the unit is %q", orig, currency, unit)
	}
	a.tail = s
	if s != "" && !unitWords(s, unit) {
		if bare {
			return written{}, fmt.Errorf("cannot read %q in %q", s, orig)
		}
		return written{}, fmt.Errorf("cannot read %q in %q as %s", s, orig, unit)
	}
	return a, nil
}

// unitWords reports whether the words after a number name the unit, with
// or without a rate ("Mt/yr" for Mt, "per week" for flights/week), and
// perhaps more words after it ("buses and e-buses", "days per entry").
func unitWords(s, unit string) bool {
	s, unit = strings.ToLower(strings.TrimSpace(s)), strings.ToLower(unit)
	bareUnit := trimRate(unit)
	if s == unit || trimRate(s) == bareUnit || trimRate(s) == "" {
		return true
	}
	first, _ := cutWord(s)
	first = trimRate(first)
	switch {
	case first == bareUnit, first+"s" == bareUnit, first == bareUnit+"s":
		return true
	case bareUnit == "hours" && first == "h":
		return true
	}
	// A unit of several words ("joint ventures/projects"): its first word.
	if uw, _ := cutWord(strings.ReplaceAll(bareUnit, "/", " ")); uw != "" && first == uw {
		return true
	}
	return false
}

// trimRate drops a rate from a unit or a word: "/yr", "/week", "per year",
// "per week".
func trimRate(s string) string {
	for _, r := range []string{"/yr", "/year", "/week", " per year", " per week", "per year", "per week"} {
		s = strings.TrimSuffix(s, r)
	}
	return strings.TrimSpace(s)
}

// ordinalSuffix reports whether s, what follows a number, makes it an
// ordinal: "3rd", "24th", "2nd NPP".
func ordinalSuffix(s string) bool {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if rest, ok := strings.CutPrefix(s, suf); ok && (rest == "" || rest[0] == ' ') {
			return true
		}
	}
	return false
}

// cutWord splits s at its first space.
func cutWord(s string) (word, rest string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], strings.TrimSpace(s[i+1:])
	}
	return s, ""
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}
