package knowledge

import (
	"math/big"
	"regexp"
	"strings"
)

// numberRE finds a number written with any of the usual group and decimal
// separators ("4,700", "4.700", "4 700", "4 700", "31,5", "1,782.75"),
// optionally followed by a scale word in any of the five languages.
var numberRE = regexp.MustCompile(`(?i)(\d{1,3}(?:[ \x{00A0}\x{202F}\x{2009}]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)(?:\s*(billions?|bn|milliards?|млрд\.?|миллиард[а-я]*|trillions?|трлн\.?|триллион[а-я]*|millions?|mln|mn|млн\.?|миллион[а-я]*|thousands?|тыс\.?|тысяч[а-я]*|мың|亿|万|千))?`)

var scales = map[string]string{
	"billion": "1e9", "bn": "1e9", "milliard": "1e9", "млрд": "1e9", "миллиард": "1e9",
	"trillion": "1e12", "трлн": "1e12", "триллион": "1e12",
	"million": "1e6", "mln": "1e6", "mn": "1e6", "млн": "1e6", "миллион": "1e6",
	"thousand": "1e3", "тыс": "1e3", "тысяч": "1e3", "мың": "1e3",
	"亿": "1e8", "万": "1e4", "千": "1e3",
}

func scaleOf(word string) string {
	w := strings.TrimSuffix(strings.ToLower(word), ".")
	if s, ok := scales[w]; ok {
		return s
	}
	for _, stem := range []string{"billion", "milliard", "миллиард", "trillion", "триллион", "million", "миллион", "thousand", "тысяч"} {
		if strings.HasPrefix(w, stem) {
			return scales[stem]
		}
	}
	return ""
}

// NormalizeNumber rewrites one number as plain digits with a "." decimal
// point: "4,700", "4.700" and "4 700" become "4700"; "31,5" becomes "31.5";
// "1,782.75" and "1.782,75" become "1782.75". With both "." and "," the last
// one is the decimal point; with one kind used once, it is a group separator
// when exactly three digits follow it ("19.885" is read as 19885 on both
// sides of a search, which keeps them meeting), else the decimal point.
func NormalizeNumber(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\u2009':
			return -1
		}
		return r
	}, s)
	last := strings.LastIndexAny(s, ".,")
	if last < 0 {
		return trimZeros(s)
	}
	dec := -1 // index of the decimal point, if any
	switch {
	case strings.Contains(s, ".") && strings.Contains(s, ","):
		dec = last
	case strings.Count(s, s[last:last+1]) == 1 && len(s)-last-1 != 3:
		dec = last
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case i == dec:
			b.WriteByte('.')
		case r == '.' || r == ',':
		default:
			b.WriteRune(r)
		}
	}
	return trimZeros(b.String())
}

// trimZeros drops leading zeros of the integer part and trailing zeros of the
// fraction: "031.50" becomes "31.5".
func trimZeros(s string) string {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	s = strings.TrimLeft(s, "0")
	if s == "" || s[0] == '.' {
		s = "0" + s
	}
	return s
}

// Numbers returns the quantities in text in a canonical form, so that the
// same quantity meets itself however it is written: "$41 billion",
// "41 млрд долларов" and "410亿美元" all give "41000000000"; "4 700" and
// "4,700" give "4700". Each quantity appears once.
//
// A number glued to a Latin letter is a code, not a quantity ("Q1", "H2",
// "C5", "A380"), and is left out. Digits grouped by spaces are one number
// only when every group has three digits: "Q1 2024" is not 12024 nor 1202.
func Numbers(text string) []string {
	var out []string
	seen := map[string]bool{}
	for pos := 0; pos < len(text); {
		// Every match starts with a digit: look for one before the regexp.
		d := strings.IndexAny(text[pos:], "0123456789")
		if d < 0 {
			break
		}
		pos += d
		m := numberRE.FindStringSubmatchIndex(text[pos:])
		if m == nil {
			break
		}
		start, end, num, word := pos+m[0], pos+m[1], text[pos+m[2]:pos+m[3]], ""
		if m[4] >= 0 {
			word = text[pos+m[4] : pos+m[5]]
		}
		if strings.ContainsAny(num, " \u00a0\u202f\u2009") && pos+m[3] < len(text) && isDigit(text[pos+m[3]]) {
			// A space-grouped run followed by more digits: its first
			// group is a number of its own, and the scan goes on after it.
			i := start
			for i < len(text) && isDigit(text[i]) {
				i++
			}
			num, word, end = text[start:i], "", i
		}
		pos = end
		if start > 0 && isLatinLetter(text[start-1]) {
			continue
		}
		n := NormalizeNumber(num)
		if n == "" {
			continue
		}
		if sc := scaleOf(word); sc != "" {
			n = scaled(n, sc)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func isLatinLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// scaled multiplies a decimal string by a power of ten, exactly.
func scaled(n, scale string) string {
	r, ok := new(big.Rat).SetString(n)
	if !ok {
		return n
	}
	s, _ := new(big.Rat).SetString(scale)
	r.Mul(r, s)
	if r.IsInt() {
		return r.Num().String()
	}
	return trimZeros(r.FloatString(6))
}
