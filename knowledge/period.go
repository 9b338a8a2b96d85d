package knowledge

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// monthNames maps month words in the five languages (and common
// abbreviations) to month numbers. Russian and Kazakh forms are stems: any
// word that starts with one matches (январь, января, январе).
var monthNames = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
	"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
	"juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}

var monthStems = []struct {
	stem  string
	month int
}{
	{"январ", 1}, {"феврал", 2}, {"март", 3}, {"апрел", 4}, {"ма", 5}, {"июн", 6}, {"июл", 7},
	{"август", 8}, {"сентябр", 9}, {"октябр", 10}, {"ноябр", 11}, {"декабр", 12},
	{"қаңтар", 1}, {"ақпан", 2}, {"наурыз", 3}, {"сәуір", 4}, {"мамыр", 5}, {"маусым", 6},
	{"шілде", 7}, {"тамыз", 8}, {"қыркүйек", 9}, {"қазан", 10}, {"қараша", 11}, {"желтоқсан", 12},
}

var (
	yearRE    = regexp.MustCompile(`\b(199\d|20\d\d)\b`)
	zhMonthRE = regexp.MustCompile(`(\d{1,2})\s*[-–—至到~]\s*(\d{1,2})\s*月|(\d{1,2})\s*月`)
	halfRE    = regexp.MustCompile(`(?i)\b(h[12])\b|first half|second half|premier semestre|second semestre|перв\S* полугоди|втор\S* полугоди|бірінші жартыжылдық|екінші жартыжылдық|上半年|下半年`)
	// quarterRE: groups 1–6 name the quarter in words the mapping of
	// quarterOf reads; 7 is "1 кв" (8 set when it is "кв. км", an area,
	// not a quarter), 9 "1q", 10 French "T1", 11 a Roman numeral.
	quarterRE = regexp.MustCompile(`(?i)\b(q[1-4])\b|(first|second|third|fourth) quarter|(premier|deuxième|troisième|quatrième) trimestre|(перв|втор|трет|четв[её]рт)\S* квартал|([1-4])-?(?:тоқсан|квартал)|([1-4一二三四])季度` +
		`|([1-4])\s*-?\s*(?:й|ый)?\s*кв(?:\.?\s*(км|м)(?:[^а-яё]|$)|[^а-яёa-z]|$)|\b([1-4])q\b|\bt([1-4])\b|\b(iv|i{1,3})\s*-?\s*(?:й\s*|ый\s*)?(?:кв|квартал|quarter|trimestre|тоқсан)`)
)

// Periods returns the as-of periods a question names, in the format of
// Fact.Date: "2020-01..2020-04" for "Jan–Apr 2020", "2023-H1" for "first
// half of 2023", "2024-Q1" for "Q1 2024", or just the year. A question that
// names no year names no period.
func Periods(text string) []string {
	years := yearRE.FindAllString(text, -1)
	if len(years) == 0 {
		return nil
	}
	lower := strings.ToLower(text)
	var out []string
	add := func(p string) {
		for _, q := range out {
			if q == p {
				return
			}
		}
		out = append(out, p)
	}
	for _, y := range years {
		switch ms := months(lower); {
		case len(ms) >= 2:
			add(fmt.Sprintf("%s-%02d..%s-%02d", y, ms[0], y, ms[len(ms)-1]))
		case len(ms) == 1:
			add(fmt.Sprintf("%s-%02d", y, ms[0]))
		}
		if h := half(lower); h != "" {
			add(y + "-" + h)
		}
		if q := quarter(lower); q != "" {
			add(y + "-" + q)
		}
		add(y)
	}
	return out
}

// PartOfYearSpans returns the byte ranges of text that name a half or a
// quarter of a year ("Q1", "first half", "1-тоқсан", "上半年"): words that
// say when, which a question's period answers rather than its search. A
// span ends where the pattern does: an inflected Russian ending after the
// stem ("полугоди|е") is outside it, so that word is still searched
// (extending the spans to the word's end was neutral to slightly worse on
// the dev set, and was left out).
func PartOfYearSpans(text string) [][2]int {
	lower := strings.ToLower(text)
	var out [][2]int
	for _, k := range []struct {
		keys []string
		re   *regexp.Regexp
	}{{halfKeys, halfRE}, {quarterKeys, quarterRE}} {
		if !mayMatch(lower, k.keys) {
			continue
		}
		for _, m := range k.re.FindAllStringSubmatchIndex(text, -1) {
			if k.re == quarterRE && m[2*8] >= 0 { // "кв. км"
				continue
			}
			end := m[1]
			for end > m[0] && strings.IndexByte(" .,;", text[end-1]) >= 0 { // what "кв" was matched with
				end--
			}
			out = append(out, [2]int{m[0], end})
		}
	}
	return out
}

// IsPeriodWord reports whether a word only says when (a month name or
// abbreviation), so that it need not be matched as content.
func IsPeriodWord(w string) bool {
	w = strings.ToLower(w)
	if _, ok := monthNames[w]; ok {
		return true
	}
	for _, s := range monthStems {
		if len(s.stem) > 4 && strings.HasPrefix(w, s.stem) {
			return true
		}
	}
	return false
}

// months returns the month numbers named in text, in order.
func months(text string) []int {
	var out []int
	if strings.Contains(text, "月") { // every match of zhMonthRE holds it
		if m := zhMonthRE.FindStringSubmatch(text); m != nil {
			if m[1] != "" {
				a, _ := strconv.Atoi(m[1])
				b, _ := strconv.Atoi(m[2])
				return validMonths(a, b)
			}
			a, _ := strconv.Atoi(m[3])
			return validMonths(a)
		}
	}
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'à' && r <= 'ÿ' || r >= 'а' && r <= 'я' || r == 'ё' || strings.ContainsRune("әғқңөұүһі", r))
	}) {
		if m, ok := monthNames[w]; ok {
			// "may" and "mar" are also English words; take them only next to a range.
			if (w == "may" || w == "mar") && !strings.ContainsAny(text, "-–—") {
				continue
			}
			out = append(out, m)
			continue
		}
		for _, s := range monthStems {
			if strings.HasPrefix(w, s.stem) && (len(s.stem) > 4 || w == "май" || w == "мая" || w == "мае") {
				out = append(out, s.month)
				break
			}
		}
	}
	return out
}

func validMonths(ms ...int) []int {
	var out []int
	for _, m := range ms {
		if m >= 1 && m <= 12 {
			out = append(out, m)
		}
	}
	return out
}

// oddFolds holds the letters that a case-insensitive regexp matches with
// a letter other than its own lower and upper case: ſ with s, K (Kelvin)
// with k, and the old Cyrillic forms of в, д, о, с, т and ъ. Text without
// them, lower-cased, holds a case-insensitive literal only as its lower
// case, which strings.Contains finds far faster than the regexp.
const oddFolds = "ſKᲀᲁᲂᲃᲄᲅᲆᲇᲈ"

// halfKeys and quarterKeys are lower-case strings one of which lower-cased
// text must hold for halfRE or quarterRE to match it.
var (
	halfKeys    = []string{"h1", "h2", "half", "semestre", "полугоди", "жартыжылдық", "半年"}
	quarterKeys = []string{"q1", "q2", "q3", "q4", "1q", "2q", "3q", "4q", "t1", "t2", "t3", "t4", "quarter", "trimestre", "кв", "тоқсан", "季度"}
)

// mayMatch reports whether lower (lower-cased text) can match a regexp
// whose every match holds one of keys: false only when it surely cannot.
func mayMatch(lower string, keys []string) bool {
	if strings.ContainsAny(lower, oddFolds) {
		return true
	}
	for _, k := range keys {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

// half returns "H1" or "H2" for lower-cased text that names a half year.
func half(text string) string {
	if !mayMatch(text, halfKeys) {
		return ""
	}
	return halfOf(text)
}

// halfOf is half without the quick test.
func halfOf(text string) string {
	m := halfRE.FindString(text)
	switch {
	case m == "":
		return ""
	case strings.Contains(m, "2") || strings.Contains(m, "second") || strings.Contains(m, "втор") || strings.Contains(m, "екінші") || strings.Contains(m, "下"):
		return "H2"
	}
	return "H1"
}

// quarter returns "Q1" … "Q4" for lower-cased text that names a quarter.
func quarter(text string) string {
	if !mayMatch(text, quarterKeys) {
		return ""
	}
	return quarterOf(text)
}

// quarterOf is quarter without the quick test.
func quarterOf(text string) string {
	for _, m := range quarterRE.FindAllStringSubmatch(text, -1) {
		if q := quarterOfMatch(m); q != "" {
			return q
		}
	}
	return ""
}

var romanQuarters = map[string]string{"i": "Q1", "ii": "Q2", "iii": "Q3", "iv": "Q4"}

// quarterOfMatch reads one match of quarterRE.
func quarterOfMatch(m []string) string {
	switch {
	case m[8] != "": // "кв. км"
		return ""
	case m[7] != "":
		return "Q" + m[7]
	case m[9] != "":
		return "Q" + m[9]
	case m[10] != "":
		return "Q" + m[10]
	case m[11] != "":
		return romanQuarters[strings.ToLower(m[11])]
	}
	joined := strings.Join(m[1:7], " ")
	for i, keys := range [][]string{
		{"q1", "first", "premier", "перв", "1", "一"},
		{"q2", "second", "deuxième", "втор", "2", "二"},
		{"q3", "third", "troisième", "трет", "3", "三"},
		{"q4", "fourth", "quatrième", "четв", "4", "四"},
	} {
		for _, k := range keys {
			if strings.Contains(joined, k) {
				return fmt.Sprintf("Q%d", i+1)
			}
		}
	}
	return ""
}
