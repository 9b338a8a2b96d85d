package knowledge

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Spaces the French and Russian press put inside numbers and before units.
const (
	nbsp   = "\u00a0" // no-break space: "12 000" in ru and kk, "20 Mt" in fr
	nnbsp  = "\u202f" // narrow no-break space: "2 800" and "32 %" in fr
	enDash = "–"
)

// ErrUnformattable is wrapped by FormatValue when a figure's value cannot
// be written for a reader: it keeps its original text, and `factbot check`
// lists it (see Base.Unformattable).
var ErrUnformattable = errors.New("cannot format")

// FormatValue writes a figure's value with its unit for a reader of lang,
// as that language's press writes it: "$41.02 billion" in USD is
// "41,02 млрд долл." in ru, "41,02 млрд доллар" in kk, "410.2亿美元" in zh,
// "41,02 milliards de dollars" in fr; "20 Mt/yr" is "20 млн т в год",
// "20 млн т/жыл", "2000万吨/年", "20 Mt/an". The digits are never rounded or
// recomputed: zh shifts the decimal point for 万 and 亿, the others only
// change separators. English is the value as written, with its unit when
// the value does not show it.
//
// A figure that gives its Words is shown in them. A value that cannot be
// written in lang (words after the number that are not its unit, a unit
// with no names, a rank in words) returns the English text and an error
// wrapping ErrUnformattable.
func FormatValue(fg Figure, lang Lang) (string, error) {
	en := englishValue(fg)
	if lang == EN || !lang.Valid() {
		return en, nil
	}
	if w := fg.Words[lang]; w != "" {
		return w, nil
	}
	var (
		s   string
		err error
	)
	switch {
	case AmountUnit(fg.Unit) && !yearsPeriod(fg):
		s, err = formatQuantity(fg, lang)
	case dateUnits[strings.ToLower(fg.Unit)]:
		s, err = formatDate(fg, lang)
	default:
		err = fmt.Errorf("a %s in words", fg.Unit)
	}
	if err != nil {
		return en, fmt.Errorf("figure %q in %s: %w: %v", fg.Value, fg.Unit, ErrUnformattable, err)
	}
	return s, nil
}

// impliedUnits are units a figure's value already shows ("$41 billion", "32%").
var impliedUnits = map[string]bool{"USD": true, "CNY": true, "KZT": true, "EUR": true, "RUB": true, "%": true}

// englishValue is the value as the base writes it, with its unit when the
// value does not show it: "4,700 companies", "$41 billion".
func englishValue(fg Figure) string {
	if fg.Unit != "" && !impliedUnits[fg.Unit] && !strings.Contains(fg.Value, fg.Unit) {
		return fg.Value + " " + fg.Unit
	}
	return fg.Value
}

// yearsPeriod reports whether a figure in years is a span of calendar
// years ("1983–1984"), not a duration ("32 years").
func yearsPeriod(fg Figure) bool {
	u := strings.ToLower(fg.Unit)
	return (u == "years" || u == "year") && yearRange.MatchString(fg.Value)
}

// dateUnits are the units of figures that are dates (formatDate).
var dateUnits = map[string]bool{"date": true, "dates": true, "year": true, "years": true}

var yearRange = regexp.MustCompile(`^\d{4}(?:\s*[–-]\s*\d{4})?$`)

// rate is how often a quantity recurs.
type rate int

const (
	noRate rate = iota
	perYear
	perWeek
)

// rateOf cuts a rate off a unit or a tail: "Mt/yr" is Mt per year, "per
// week" is a bare rate.
func rateOf(s string) (string, rate) {
	for _, r := range []struct {
		suffix string
		r      rate
	}{{"/yr", perYear}, {"/year", perYear}, {"per year", perYear}, {"/week", perWeek}, {"per week", perWeek}} {
		if rest, ok := strings.CutSuffix(s, r.suffix); ok {
			return strings.TrimSpace(rest), r.r
		}
	}
	return s, noRate
}

func formatQuantity(fg Figure, lang Lang) (string, error) {
	w, err := parseWritten(fg.Value, fg.Unit)
	if err != nil {
		return "", err
	}
	unit, r := rateOf(strings.TrimSpace(fg.Unit))
	tail, tr := rateOf(strings.TrimSpace(w.tail))
	if tr != noRate {
		if r != noRate && r != tr {
			return "", fmt.Errorf("two rates in %q", fg.Value)
		}
		r = tr
	}
	if !tailIsUnit(tail, unit) {
		return "", fmt.Errorf("words after the number: %q", w.tail)
	}
	if w.from != nil && (w.from.tail != "" && !tailIsUnit(w.from.tail, unit) || w.from.Qualifier != Exact) {
		return "", fmt.Errorf("cannot read the start of %q", fg.Value)
	}
	un, ok := unitNames[unit]
	if !ok {
		return "", fmt.Errorf("no names for the unit %q", unit)
	}
	return formatWritten(w, un, r, lang), nil
}

// tailIsUnit reports whether the words after a number only name the unit:
// "km" for km, "buses" or "bus" for buses, "h" for hours.
func tailIsUnit(tail, unit string) bool {
	t, u := strings.ToLower(tail), strings.ToLower(unit)
	return t == "" || t == u || t+"s" == u || t == u+"s" || u == "hours" && t == "h"
}

// formatWritten assembles qualifier, sign, number and unit in lang.
func formatWritten(w written, un unitName, r rate, lang Lang) string {
	num := w.Number
	if w.from != nil {
		// A transition shares the scale and unit of its right side.
		left, _ := scaledNumber(*w.from, w.from.Number, w.from.Scale*un.factor, lang)
		return left + " → " + formatWritten(written{Amount: w.Amount, tail: w.tail}, un, r, lang)
	}
	var b strings.Builder
	if q := qualifierIn(w.Qualifier, w.qualWord, lang); q != "" {
		b.WriteString(q)
	}
	switch {
	case w.Kind == AmountChange && w.Value < 0:
		b.WriteString("−")
	case w.Kind == AmountChange:
		b.WriteString("+")
	}
	if w.Kind == AmountRatio {
		n := formatNumberAt(num, 1, lang)
		if lang == ZH {
			b.WriteString(n + "倍")
		} else {
			b.WriteString("×" + n)
		}
		return b.String()
	}
	scale := w.Scale * un.factor
	if w.Unit == "%" {
		b.WriteString(formatNumberAt(num, 1, lang) + upperPart(w, 1, lang))
		if lang == FR {
			b.WriteString(nnbsp)
		}
		b.WriteString("%")
		return b.String()
	}
	n, scaleWord := scaledNumber(w, num, scale, lang)
	b.WriteString(n)
	b.WriteString(unitPhrase(w, un, r, scaleWord, lang))
	return b.String()
}

// upperPart is the upper end of a range, "–22", in the scale of the lower.
func upperPart(w written, scale float64, lang Lang) string {
	if w.upper == "" {
		return ""
	}
	return enDash + formatNumberAt(w.upper, scale, lang)
}

// scaledNumber writes the number (and a range's upper end) with its scale
// word: "41,02 млрд", "41,02 milliards", "410.2亿". scaleWord is what the
// unit phrase needs to know: "" when there is none.
func scaledNumber(w written, num string, scale float64, lang Lang) (string, string) {
	if lang == ZH {
		// Chinese counts in 万 and 亿 of the unit's base (吨, 立方米 …).
		exp := exponent(scale)
		digits := shiftDecimal(num, exp)
		up := ""
		if w.upper != "" {
			up = shiftDecimal(w.upper, exp)
		}
		word := ""
		base := digits
		for _, z := range []struct {
			w string
			e int
		}{{"万亿", 12}, {"亿", 8}, {"万", 4}} {
			if magnitude(digits) >= z.e && (up == "" || magnitude(up) >= z.e) {
				base, word = shiftDecimal(digits, -z.e), z.w
				if up != "" {
					up = shiftDecimal(up, -z.e)
				}
				break
			}
		}
		if up != "" {
			base += enDash + up
		}
		return base + word, word
	}
	var word string
	switch exponent(w.Scale) {
	case 3:
		word = "thousand"
	case 6:
		word = "million"
	case 9:
		word = "billion"
	case 12:
		word = "trillion"
	}
	n := formatNumberAt(num, 1, lang) + upperPart(w, 1, lang)
	if word == "" {
		return n, ""
	}
	sw := scaleWords5[word][lang]
	if lang == FR {
		// "1,5 milliard", "41 milliards"
		if !frSingular(w) {
			sw += "s"
		}
	}
	return n + nbspFor(lang) + sw, word
}

// scaleWords5 are the scale words of the other languages.
var scaleWords5 = map[string]map[Lang]string{
	"thousand": {RU: "тыс.", KK: "мың", FR: "mille"},
	"million":  {RU: "млн", KK: "млн", FR: "million"},
	"billion":  {RU: "млрд", KK: "млрд", FR: "milliard"},
	"trillion": {RU: "трлн", KK: "трлн", FR: "billion"},
}

func nbspFor(lang Lang) string {
	if lang == ZH {
		return ""
	}
	return nbsp
}

// unitPhrase writes the unit after the number, with the right form.
func unitPhrase(w written, un unitName, r rate, scaleWord string, lang Lang) string {
	switch lang {
	case ZH:
		s := un.zh
		switch r {
		case perYear:
			s += "/年"
		case perWeek:
			s += "/周"
		}
		return s
	case RU:
		var s string
		switch {
		case scaleWord != "":
			s = un.ru[2]
		default:
			s = un.ru[ruForm(w)]
		}
		switch r {
		case perYear:
			s += " в год"
		case perWeek:
			s += " в неделю"
		}
		return nbsp + s
	case KK:
		s := un.kk
		switch r {
		case perYear:
			s += "/жыл"
		case perWeek:
			s += " аптасына"
		}
		return nbsp + s
	case FR:
		var s string
		switch {
		case scaleWord != "" && un.factor == 1:
			// "41 milliards de dollars", "1 million d'EVP"
			noun := un.fr[1]
			if startsWithVowel(noun) {
				return nbsp + "d'" + noun + frRate(r)
			}
			return nbsp + "de " + noun + frRate(r)
		case frSingular(w):
			s = un.fr[0]
		default:
			s = un.fr[1]
		}
		return nbsp + s + frRate(r)
	}
	return ""
}

func frRate(r rate) string {
	switch r {
	case perYear:
		return "/an"
	case perWeek:
		return " par semaine"
	}
	return ""
}

func startsWithVowel(s string) bool {
	return s != "" && strings.ContainsRune("aeiouéèêàâîôûAEIOUÉ", []rune(s)[0])
}

// frSingular reports whether French takes the singular: below 2.
func frSingular(w written) bool {
	return w.upper == "" && w.Value > -2 && w.Value < 2
}

// ruForm picks the Russian noun form for the number: 0 one (21
// компания), 1 few (22 компании, and a decimal: 1,5 тонны), 2 many (25
// компаний). After "более", "около", "менее", "до" the noun is genitive:
// one becomes few, few becomes many.
func ruForm(w written) int {
	num := w.Number
	if w.upper != "" {
		num = w.upper
	}
	num = strings.ReplaceAll(num, ",", "")
	form := 2
	if strings.Contains(num, ".") {
		form = 1
	} else if n, err := strconv.Atoi(num); err == nil {
		switch n10, n100 := n%10, n%100; {
		case n10 == 1 && n100 != 11:
			form = 0
		case n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14):
			form = 1
		}
	}
	if ruGenitive[w.qualWord] && form < 2 {
		form++
	}
	return form
}

// ruGenitive are the qualifier words whose Russian renderings take the
// genitive: "более", "около", "менее", "не менее", "до".
var ruGenitive = map[string]bool{
	"approximately": true, "about": true, "around": true, "some": true,
	"more than": true, "over": true, "at least": true, "less than": true, "under": true, "up to": true,
}

// qualifierIn renders a qualifier: signs stay signs ("~2800 км"), words
// become the language's words ("около", "environ"); Chinese always writes
// words ("约2800公里"), Kazakh writes signs where its word would need a
// case ending on the number ("астам").
func qualifierIn(q Qualifier, word string, lang Lang) string {
	if q == Exact {
		return ""
	}
	sign := word == "" || !strings.ContainsFunc(word, func(r rune) bool { return r >= 'a' && r <= 'z' })
	if lang == ZH {
		return map[Qualifier]string{About: "约", MoreThan: "超过", AtLeast: "至少", LessThan: "不到", AtMost: "最多"}[q]
	}
	if sign {
		return map[Qualifier]string{About: "~", MoreThan: ">", AtLeast: "≥", LessThan: "<", AtMost: "≤"}[q]
	}
	if w, ok := qualifierWords5[word][lang]; ok {
		return w + nbsp
	}
	return map[Qualifier]string{About: "~", MoreThan: ">", AtLeast: "≥", LessThan: "<", AtMost: "≤"}[q]
}

// qualifierWords5 are the words for the qualifier words of English values.
var qualifierWords5 = map[string]map[Lang]string{
	"approximately": {RU: "около", KK: "шамамен", FR: "environ"},
	"about":         {RU: "около", KK: "шамамен", FR: "environ"},
	"around":        {RU: "около", KK: "шамамен", FR: "environ"},
	"some":          {RU: "около", KK: "шамамен", FR: "environ"},
	"nearly":        {RU: "почти", KK: "шамамен", FR: "près de"},
	"almost":        {RU: "почти", KK: "шамамен", FR: "près de"},
	"more than":     {RU: "более", FR: "plus de"},
	"over":          {RU: "более", FR: "plus de"},
	"at least":      {RU: "не менее", KK: "кемінде", FR: "au moins"},
	"less than":     {RU: "менее", FR: "moins de"},
	"under":         {RU: "менее", FR: "moins de"},
	"up to":         {RU: "до", FR: "jusqu'à"},
}

// formatNumberAt writes a number as written ("4,700", "41.02"), multiplied
// by scale (a power of ten), with lang's separators: "4700" and "12 000" in
// ru and kk, "4 700" in fr, "4700" in zh; decimal comma but in zh.
func formatNumberAt(num string, scale float64, lang Lang) string {
	digits := shiftDecimal(num, exponent(scale))
	intPart, frac, _ := strings.Cut(digits, ".")
	sep, minGroup := "", 0
	switch lang {
	case RU, KK:
		sep, minGroup = nbsp, 5
	case FR:
		sep, minGroup = nnbsp, 4
	}
	if sep != "" && len(intPart) >= minGroup {
		var b strings.Builder
		for i, c := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(c)
		}
		intPart = b.String()
	}
	if frac == "" {
		return intPart
	}
	if lang == ZH || lang == EN {
		return intPart + "." + frac
	}
	return intPart + "," + frac
}

// exponent is the power of ten of a scale: 9 for 1e9.
func exponent(scale float64) int {
	e := 0
	for s := scale; s >= 10; s /= 10 {
		e++
	}
	return e
}

// shiftDecimal multiplies a written number by 10^exp by moving its decimal
// point, so nothing is rounded: ("41.02", 9) is "41020000000", ("41020000000",
// -8) is "410.2". Thousands separators are dropped.
func shiftDecimal(num string, exp int) string {
	num = strings.ReplaceAll(num, ",", "")
	intPart, frac, _ := strings.Cut(num, ".")
	digits := intPart + frac
	point := len(intPart) + exp
	for point > len(digits) {
		digits += "0"
	}
	for point < 0 {
		digits = "0" + digits
		point++
	}
	i, f := strings.TrimLeft(digits[:point], "0"), strings.TrimRight(digits[point:], "0")
	if i == "" {
		i = "0"
	}
	if f == "" {
		return i
	}
	return i + "." + f
}

// magnitude is the number of integer digits less one: 3 for "4700".
func magnitude(num string) int {
	i, _, _ := strings.Cut(num, ".")
	if i == "0" {
		return -1
	}
	return len(i) - 1
}

// unitName is a unit in the other languages: ru's three forms (21
// компания, 22 компании, 25 компаний; an abbreviation has one), kk's one
// (a Kazakh noun after a number stays singular), zh's with its measure
// word, fr's singular and plural. factor is how many of zh's unit one unit
// is (Mt: 1e6 吨), so that 20 Mt is 2000万吨.
type unitName struct {
	ru     [3]string
	kk, zh string
	fr     [2]string
	factor float64
}

// abbr is a unit written the same whatever the number.
func abbr(ru, kk, zh, fr string) unitName {
	return unitName{ru: [3]string{ru, ru, ru}, kk: kk, zh: zh, fr: [2]string{fr, fr}, factor: 1}
}

// noun is a counted noun.
func noun(ru1, ru2, ru5, kk, zh, fr1, fr2 string) unitName {
	return unitName{ru: [3]string{ru1, ru2, ru5}, kk: kk, zh: zh, fr: [2]string{fr1, fr2}, factor: 1}
}

// unitNames are the units of the base's figures, by their name without a
// rate ("Mt" for "Mt/yr"). A unit missing here leaves its figures
// unformatted: `factbot check` lists them.
var unitNames = map[string]unitName{
	"USD": noun("долл.", "долл.", "долл.", "доллар", "美元", "dollar", "dollars"),
	"CNY": noun("юань", "юаня", "юаней", "юань", "元", "yuan", "yuans"),
	"KZT": noun("тенге", "тенге", "тенге", "теңге", "坚戈", "tenge", "tenges"),
	"EUR": noun("евро", "евро", "евро", "еуро", "欧元", "euro", "euros"),
	"%":   abbr("%", "%", "%", "%"),
	"Mt":  {ru: [3]string{"млн т", "млн т", "млн т"}, kk: "млн т", zh: "吨", fr: [2]string{"Mt", "Mt"}, factor: 1e6},
	"bcm": {ru: [3]string{"млрд куб. м", "млрд куб. м", "млрд куб. м"}, kk: "млрд текше м", zh: "立方米",
		fr: [2]string{"milliard de m³", "milliards de m³"}, factor: 1e9},
	"t":     abbr("т", "т", "吨", "t"),
	"km":    abbr("км", "км", "公里", "km"),
	"km²":   abbr("км²", "км²", "平方公里", "km²"),
	"m²":    abbr("м²", "м²", "平方米", "m²"),
	"ha":    abbr("га", "га", "公顷", "ha"),
	"MW":    abbr("МВт", "МВт", "兆瓦", "MW"),
	"MWp":   abbr("МВт пиковой мощности", "МВт шыңдық қуат", "兆瓦（峰值）", "MWc"),
	"GW":    abbr("ГВт", "ГВт", "吉瓦", "GW"),
	"GWh":   abbr("ГВт·ч", "ГВт·сағ", "吉瓦时", "GWh"),
	"TEU":   abbr("ДФЭ", "TEU", "标准箱", "EVP"),
	"bbl":   noun("барреля", "барреля", "баррелей", "баррель", "桶", "baril", "barils"),
	"hours": noun("ч", "ч", "ч", "сағ", "小时", "h", "h"),
	"days":  noun("день", "дня", "дней", "күн", "天", "jour", "jours"),
	"years": noun("год", "года", "лет", "жыл", "年", "an", "ans"),
	// A ratio ("x1.7") is written with its sign, not its unit.
	"times": abbr("", "", "", ""),

	"agreements":              noun("соглашение", "соглашения", "соглашений", "келісім", "项协议", "accord", "accords"),
	"articles":                noun("статья", "статьи", "статей", "бап", "条", "article", "articles"),
	"branches":                noun("филиал", "филиала", "филиалов", "филиал", "所分校", "antenne", "antennes"),
	"bridges":                 noun("мост", "моста", "мостов", "көпір", "座桥梁", "pont", "ponts"),
	"buses":                   noun("автобус", "автобуса", "автобусов", "автобус", "辆客车", "bus", "bus"),
	"cars":                    noun("автомобиль", "автомобиля", "автомобилей", "автокөлік", "辆汽车", "voiture", "voitures"),
	"centres":                 noun("центр", "центра", "центров", "орталық", "个中心", "centre", "centres"),
	"companies":               noun("компания", "компании", "компаний", "компания", "家企业", "entreprise", "entreprises"),
	"containers":              noun("контейнер", "контейнера", "контейнеров", "контейнер", "个集装箱", "conteneur", "conteneurs"),
	"contracts":               noun("контракт", "контракта", "контрактов", "келісімшарт", "份合同", "contrat", "contrats"),
	"corridors":               noun("коридор", "коридора", "коридоров", "дәліз", "条通道", "corridor", "corridors"),
	"countries":               noun("страна", "страны", "стран", "ел", "个国家", "pays", "pays"),
	"crossings":               noun("пункт пропуска", "пункта пропуска", "пунктов пропуска", "өткізу пункті", "个口岸", "point de passage", "points de passage"),
	"culverts":                noun("водопропускная труба", "водопропускные трубы", "водопропускных труб", "су өткізу құбыры", "座涵洞", "ponceau", "ponceaux"),
	"documents":               noun("документ", "документа", "документов", "құжат", "份文件", "document", "documents"),
	"editions":                noun("выпуск", "выпуска", "выпусков", "рет", "届", "édition", "éditions"),
	"events":                  noun("мероприятие", "мероприятия", "мероприятий", "іс-шара", "场活动", "événement", "événements"),
	"fields":                  noun("месторождение", "месторождения", "месторождений", "кен орны", "个油气田", "gisement", "gisements"),
	"flights":                 noun("рейс", "рейса", "рейсов", "рейс", "个航班", "vol", "vols"),
	"goods":                   noun("товар", "товара", "товаров", "тауар", "种商品", "produit", "produits"),
	"highway routes":          noun("автодорожный маршрут", "автодорожных маршрута", "автодорожных маршрутов", "автожол бағыты", "条公路线路", "itinéraire routier", "itinéraires routiers"),
	"highways":                noun("автомагистраль", "автомагистрали", "автомагистралей", "автомагистраль", "条公路", "autoroute", "autoroutes"),
	"institutes":              noun("институт", "института", "институтов", "институт", "所学院", "institut", "instituts"),
	"jobs":                    noun("рабочее место", "рабочих места", "рабочих мест", "жұмыс орны", "个就业岗位", "emploi", "emplois"),
	"joint ventures/projects": noun("совместное предприятие и проект", "совместных предприятия и проекта", "совместных предприятий и проектов", "бірлескен кәсіпорын мен жоба", "家合资企业和项目", "coentreprise et projet", "coentreprises et projets"),
	"pairs of ports":          noun("пара портов", "пары портов", "пар портов", "жұп порт", "对口岸", "paire de ports", "paires de ports"),
	"people":                  noun("человек", "человека", "человек", "адам", "人", "personne", "personnes"),
	"pipelines":               noun("трубопровод", "трубопровода", "трубопроводов", "құбыр", "条管道", "conduite", "conduites"),
	"places":                  noun("место", "места", "мест", "орын", "个名额", "place", "places"),
	"plants":                  noun("станция", "станции", "станций", "станция", "座电站", "centrale", "centrales"),
	"producers":               noun("производитель", "производителя", "производителей", "өндіруші", "家生产商", "producteur", "producteurs"),
	"product types":           noun("вид продукции", "вида продукции", "видов продукции", "өнім түрі", "种产品", "type de produit", "types de produits"),
	"projects":                noun("проект", "проекта", "проектов", "жоба", "个项目", "projet", "projets"),
	"rail corridors":          noun("железнодорожный коридор", "железнодорожных коридора", "железнодорожных коридоров", "теміржол дәлізі", "条铁路通道", "corridor ferroviaire", "corridors ferroviaires"),
	"rail links":              noun("железнодорожная линия", "железнодорожные линии", "железнодорожных линий", "теміржол желісі", "条铁路线", "liaison ferroviaire", "liaisons ferroviaires"),
	"rail routes":             noun("железнодорожный маршрут", "железнодорожных маршрута", "железнодорожных маршрутов", "теміржол бағыты", "条铁路线路", "itinéraire ferroviaire", "itinéraires ferroviaires"),
	"railways":                noun("железная дорога", "железные дороги", "железных дорог", "теміржол", "条铁路", "ligne ferroviaire", "lignes ferroviaires"),
	"regions":                 noun("регион", "региона", "регионов", "өңір", "个地区", "région", "régions"),
	"road corridors":          noun("автодорожный коридор", "автодорожных коридора", "автодорожных коридоров", "автожол дәлізі", "条公路通道", "corridor routier", "corridors routiers"),
	"routes":                  noun("маршрут", "маршрута", "маршрутов", "бағыт", "条线路", "itinéraire", "itinéraires"),
	"scholarships":            noun("стипендия", "стипендии", "стипендий", "грант", "个奖学金名额", "bourse", "bourses"),
	"stations":                noun("станция", "станции", "станций", "станция", "个车站", "gare", "gares"),
	"students":                noun("студент", "студента", "студентов", "студент", "名学生", "étudiant", "étudiants"),
	"tourists":                noun("турист", "туриста", "туристов", "турист", "名游客", "touriste", "touristes"),
	"tracks":                  noun("путь", "пути", "путей", "жол", "条股道", "voie", "voies"),
	"trains":                  noun("поезд", "поезда", "поездов", "пойыз", "列班列", "train", "trains"),
	"turbines":                noun("турбина", "турбины", "турбин", "турбина", "台风机", "éolienne", "éoliennes"),
	"visits":                  noun("посещение", "посещения", "посещений", "сапар", "人次", "visite", "visites"),
}

// months are the month names English values use, by number.
var monthWords = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
	"dec": 12, "december": 12,
}

// monthNames5 are the months in the other languages: ru nominative and
// genitive, kk, fr.
var monthNames5 = map[Lang][12]string{
	RU: {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
	KK: {"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"},
	FR: {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

var ruMonthsGen = [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}

// day is one end of a date: day and month may be 0 (unknown).
type day struct{ d, m, y int }

var (
	isoDate  = regexp.MustCompile(`^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$`)
	dateWord = regexp.MustCompile(`^(?:(\d{1,2})(?:\s*[–-]\s*(\d{1,2}))?\s+)?([A-Za-z]+)\.?(?:\s+(\d{4}))?$`)
)

// formatDate writes a date, a month or a span of days of a date figure:
// "2024-07-03", "Sept 2019", "12–16 Sep 2024", "30 Aug – 3 Sep 2025",
// "1983–1984".
func formatDate(fg Figure, lang Lang) (string, error) {
	v := strings.TrimSpace(fg.Value)
	if yearRange.MatchString(v) {
		return strings.ReplaceAll(strings.ReplaceAll(v, " ", ""), "-", enDash), nil
	}
	if m := isoDate.FindStringSubmatch(v); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if mo > 12 || d > 31 {
			return "", fmt.Errorf("no such date %q", v)
		}
		return dateIn(day{d, mo, y}, 0, lang), nil
	}
	// "30 Aug – 3 Sep 2025": two dates sharing a year.
	if left, right, ok := strings.Cut(v, " – "); ok {
		a, b := dateWord.FindStringSubmatch(left), dateWord.FindStringSubmatch(right)
		if a == nil || b == nil || a[2] != "" || b[2] != "" || a[4] != "" {
			return "", fmt.Errorf("cannot read the dates %q", v)
		}
		da, err := wordDay(a)
		if err != nil {
			return "", err
		}
		db, err := wordDay(b)
		if err != nil {
			return "", err
		}
		if da.d == 0 || db.d == 0 {
			return "", fmt.Errorf("cannot read the dates %q", v)
		}
		// The year is written once, at the end.
		return dateIn(da, 0, lang) + " – " + dateIn(db, 0, lang), nil
	}
	m := dateWord.FindStringSubmatch(v)
	if m == nil {
		return "", fmt.Errorf("cannot read the date %q", v)
	}
	d, err := wordDay(m)
	if err != nil {
		return "", err
	}
	to := 0
	if m[2] != "" {
		to, _ = strconv.Atoi(m[2])
	}
	return dateIn(d, to, lang), nil
}

// wordDay reads the parts matched by dateWord.
func wordDay(m []string) (day, error) {
	mo, ok := monthWords[strings.ToLower(m[3])]
	if !ok {
		return day{}, fmt.Errorf("%q is no month", m[3])
	}
	d, _ := strconv.Atoi(m[1])
	y, _ := strconv.Atoi(m[4])
	if d > 31 {
		return day{}, fmt.Errorf("no such day %d", d)
	}
	return day{d, mo, y}, nil
}

// dateIn writes a day (a span of days to `to` when set), a month or a year.
func dateIn(d day, to int, lang Lang) string {
	days := ""
	if d.d > 0 {
		days = strconv.Itoa(d.d)
		if to > 0 {
			days += enDash + strconv.Itoa(to)
		}
	}
	year := ""
	if d.y > 0 {
		year = strconv.Itoa(d.y)
	}
	if d.m == 0 {
		return year
	}
	switch lang {
	case ZH:
		s := ""
		if year != "" {
			s = year + "年"
		}
		s += strconv.Itoa(d.m) + "月"
		if d.d > 0 {
			s += strconv.Itoa(d.d) + "日"
			if to > 0 {
				s += "至" + strconv.Itoa(to) + "日"
			}
		}
		return s
	case RU:
		if days == "" {
			return joinSp(monthNames5[RU][d.m-1], year, " г.")
		}
		return joinSp(days+nbsp+ruMonthsGen[d.m-1], year, " г.")
	case KK:
		s := monthNames5[KK][d.m-1]
		if days != "" {
			s = days + nbsp + s
		}
		if year != "" {
			s = year + " жылғы " + s
		}
		return s
	case FR:
		s := monthNames5[FR][d.m-1]
		if days != "" {
			if d.d == 1 && to == 0 {
				days = "1er"
			}
			s = days + nbsp + s
		}
		if year != "" {
			s += " " + year
		}
		return s
	}
	return ""
}

// joinSp is s, then the year and its suffix when there is a year.
func joinSp(s, year, suffix string) string {
	if year == "" {
		return s
	}
	return s + " " + year + suffix
}

// Unformattable lists the figures whose value FormatValue cannot write in
// some language, in file order: their readers see the English text until
// the value is rewritten (a number and its unit, a date) or the unit gets
// its names. `factbot check` prints them as notices.
func (b *Base) Unformattable() []Problem {
	var out []Problem
	for _, f := range b.Facts {
		for _, fg := range f.Figures {
			var langs []string
			var why error
			for _, l := range Langs[1:] {
				if _, err := FormatValue(fg, l); err != nil {
					langs = append(langs, string(l))
					if why == nil {
						why = err
					}
				}
			}
			if len(langs) > 0 {
				out = append(out, Problem{Pos: fg.Pos, Msg: fmt.Sprintf("fact %q: figure %q is shown in English in %s (%v)",
					f.ID, fg.Value, strings.Join(langs, ", "), reason(why))})
			}
		}
	}
	return out
}

// reason is the last part of a FormatValue error: what could not be read.
func reason(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ErrUnformattable.Error()+": "); i >= 0 {
		return s[i+len(ErrUnformattable.Error())+2:]
	}
	return s
}

// FormatPeriod writes an as-of period (see ValidPeriod) for a reader of
// lang: "2023" stays, "2024-07-03" is a date in words as FormatValue
// writes it, a quarter or a half is written as the language's press does
// ("I кв. 2024", "2024年上半年", "T1 2024"), and a range FROM..TO is "FROM –
// TO". English keeps the period as written, with " – " for "..".
func FormatPeriod(p string, lang Lang) string {
	if from, to, ok := strings.Cut(p, ".."); ok {
		return FormatPeriod(from, lang) + " – " + FormatPeriod(to, lang)
	}
	if lang == EN || !lang.Valid() {
		return p
	}
	if len(p) == 7 && (p[5] == 'Q' || p[5] == 'H') {
		n := int(p[6] - '0')
		return periodPart[lang][p[5]](n, romans[n], p[:4])
	}
	if m := isoDate.FindStringSubmatch(p); m != nil && m[2] != "" {
		s, err := formatDate(Figure{Value: p}, lang)
		if err == nil {
			return s
		}
	}
	return p
}

var romans = []string{"", "I", "II", "III", "IV"}

// periodPart writes quarter ('Q') or half ('H') n of a year, with n also
// as a roman numeral, as each language's press does.
var periodPart = map[Lang]map[byte]func(n int, roman, year string) string{
	RU: {
		'Q': func(_ int, r, y string) string { return r + nbsp + "кв. " + y + " г." },
		'H': func(_ int, r, y string) string { return r + nbsp + "полугодие " + y + " г." },
	},
	KK: {
		'Q': func(_ int, r, y string) string { return y + " ж. " + r + " тоқсан" },
		'H': func(_ int, r, y string) string { return y + " ж. " + r + " жартыжылдық" },
	},
	ZH: {
		'Q': func(n int, _, y string) string {
			return y + "年第" + []string{"", "一", "二", "三", "四"}[n] + "季度"
		},
		'H': func(n int, _, y string) string { return y + "年" + []string{"", "上", "下"}[n] + "半年" },
	},
	FR: {
		'Q': func(n int, _, y string) string { return "T" + strconv.Itoa(n) + " " + y },
		'H': func(n int, _, y string) string { return "S" + strconv.Itoa(n) + " " + y },
	},
}
