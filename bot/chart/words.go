package chart

import (
	"strconv"
	"strings"

	"factbot/knowledge"
)

// words are the fixed words of a series answer, per language.
type words struct {
	// Title is "<measure> by year, <from>–<to>".
	Title string
	// Change is the computed change of one series: ratio, first year,
	// last year, counting body, percentage, first year, last year. A
	// counting body's name that opens the line is capitalized.
	Change string
	// ChangePoints is Change for a share: the difference in percentage
	// points instead of a ratio and a percentage.
	ChangePoints string
	// OnePoint says a series (its counting body) has one figure in the
	// years asked.
	OnePoint string
	// Differ, Sources: the labels of the disagreement note and the sources;
	// Colon follows a label.
	Differ, Sources, NoLink, Colon string
	// Thousand, Million, Billion name scales on the chart's y axis.
	Thousand, Million, Billion string
	// Decimal is the decimal separator; Percent writes a percentage and
	// Points a difference in percentage points.
	Decimal, Percent, Points string
}

var wordsByLang = map[knowledge.Lang]words{
	knowledge.EN: {
		Title:        "%s by year, %s",
		Change:       "%s from %d to %d by %s (%s; computed from the %d and %d figures below)",
		ChangePoints: "%s from %d to %d by %s (computed from the %d and %d figures below)",
		OnePoint:     "%s: one figure in these years, no change computed",
		Differ:       "Why the figures differ", Sources: "Sources", NoLink: "no link recorded", Colon: ": ",
		Thousand: "thousand", Million: "million", Billion: "billion", Decimal: ".", Percent: "%s%%", Points: "%s percentage points",
	},
	knowledge.RU: {
		Title:        "%s по годам, %s",
		Change:       "%[4]s: %[1]s с %[2]d по %[3]d год (%[5]s; рассчитано по цифрам за %[6]d и %[7]d годы ниже)",
		ChangePoints: "%[4]s: %[1]s с %[2]d по %[3]d год (рассчитано по цифрам за %[5]d и %[6]d годы ниже)",
		OnePoint:     "%s: за эти годы одна цифра, изменение не рассчитано",
		Differ:       "Почему цифры расходятся", Sources: "Источники", NoLink: "ссылка не записана", Colon: ": ",
		Thousand: "тыс.", Million: "млн", Billion: "млрд", Decimal: ",", Percent: "%s%%", Points: "%s п. п.",
	},
	knowledge.KK: {
		Title:        "%s жылдар бойынша, %s",
		Change:       "%[4]s: %[2]d–%[3]d жылдары %[1]s (%[5]s; төмендегі %[6]d және %[7]d жылғы сандар бойынша есептелді)",
		ChangePoints: "%[4]s: %[2]d–%[3]d жылдары %[1]s (төмендегі %[5]d және %[6]d жылғы сандар бойынша есептелді)",
		OnePoint:     "%s: бұл жылдары бір ғана сан бар, өзгеріс есептелмеді",
		Differ:       "Сандар неге әртүрлі", Sources: "Дереккөздер", NoLink: "сілтеме жазылмаған", Colon: ": ",
		Thousand: "мың", Million: "млн", Billion: "млрд", Decimal: ",", Percent: "%s%%", Points: "%s пайыздық тармақ",
	},
	knowledge.ZH: {
		Title:        "%s（按年份，%s年）",
		Change:       "%[4]s：%[2]d年至%[3]d年%[1]s（%[5]s；根据下表%[6]d年和%[7]d年的数字计算）",
		ChangePoints: "%[4]s：%[2]d年至%[3]d年%[1]s（根据下表%[5]d年和%[6]d年的数字计算）",
		OnePoint:     "%s：这些年份只有一个数字，未计算变化",
		Differ:       "数据为何不同", Sources: "来源", NoLink: "未记录链接", Colon: "：",
		// The chart draws no Chinese (see Render): Latin scales.
		Thousand: "k", Million: "mn", Billion: "bn", Decimal: ".", Percent: "%s%%", Points: "%s个百分点",
	},
	knowledge.FR: {
		Title:        "%s par année, %s",
		Change:       "%[4]s : %[1]s de %[2]d à %[3]d (%[5]s ; calculé à partir des chiffres de %[6]d et %[7]d ci-dessous)",
		ChangePoints: "%[4]s : %[1]s de %[2]d à %[3]d (calculé à partir des chiffres de %[5]d et %[6]d ci-dessous)",
		OnePoint:     "%s : un seul chiffre pour ces années, pas de variation calculée",
		Differ:       "Pourquoi les chiffres diffèrent", Sources: "Sources", NoLink: "lien non enregistré", Colon: " : ",
		Thousand: "milliers", Million: "millions", Billion: "milliards", Decimal: ",", Percent: "%s %%", Points: "%s points de pourcentage",
	},
}

func wordsFor(l knowledge.Lang) words {
	if w, ok := wordsByLang[l]; ok {
		return w
	}
	return wordsByLang[knowledge.EN]
}

// unitNames name the units of the base's series, per language, where the
// figure's own text does not show them ("367,000" tourists); a unit not
// listed is shown as the base writes it.
var unitNames = map[string]map[knowledge.Lang]string{
	"USD":        {knowledge.EN: "USD", knowledge.RU: "долл. США", knowledge.KK: "АҚШ доллары", knowledge.ZH: "美元", knowledge.FR: "USD"},
	"CNY":        {knowledge.EN: "CNY", knowledge.RU: "юаней", knowledge.KK: "юань", knowledge.ZH: "元", knowledge.FR: "yuans"},
	"KZT":        {knowledge.EN: "KZT", knowledge.RU: "тенге", knowledge.KK: "теңге", knowledge.ZH: "坚戈", knowledge.FR: "tenges"},
	"t":          {knowledge.EN: "t", knowledge.RU: "т", knowledge.KK: "т", knowledge.ZH: "吨", knowledge.FR: "t"},
	"Mt":         {knowledge.EN: "Mt", knowledge.RU: "млн т", knowledge.KK: "млн т", knowledge.ZH: "百万吨", knowledge.FR: "Mt"},
	"tourists":   {knowledge.EN: "tourists", knowledge.RU: "туристов", knowledge.KK: "турист", knowledge.ZH: "名游客", knowledge.FR: "touristes"},
	"companies":  {knowledge.EN: "companies", knowledge.RU: "компаний", knowledge.KK: "компания", knowledge.ZH: "家企业", knowledge.FR: "entreprises"},
	"containers": {knowledge.EN: "containers", knowledge.RU: "контейнеров", knowledge.KK: "контейнер", knowledge.ZH: "个集装箱", knowledge.FR: "conteneurs"},
	"trains":     {knowledge.EN: "trains", knowledge.RU: "поездов", knowledge.KK: "пойыз", knowledge.ZH: "列", knowledge.FR: "trains"},
	"students":   {knowledge.EN: "students", knowledge.RU: "студентов", knowledge.KK: "студент", knowledge.ZH: "名学生", knowledge.FR: "étudiants"},
}

// unitName names a unit in l, or returns it as written.
func unitName(unit string, l knowledge.Lang) string {
	if n := unitNames[unit][l]; n != "" {
		return n
	}
	return unit
}

// shownUnit is what follows a figure's value in a table: nothing when the
// value shows its unit ("$41 billion", "21.3%", "312.04 billion yuan",
// "1 million TEU"), else the unit's name in l.
func shownUnit(fg knowledge.Figure, l knowledge.Lang) string {
	v := strings.ToLower(fg.Value)
	switch {
	case fg.Unit == "USD" && strings.Contains(v, "$"), fg.Unit == "%":
		return ""
	case fg.Unit == "CNY" && (strings.Contains(v, "yuan") || strings.Contains(v, "cny")),
		fg.Unit == "KZT" && (strings.Contains(v, "tenge") || strings.Contains(v, "kzt")):
		return ""
	case strings.Contains(v, strings.ToLower(fg.Unit)):
		return ""
	}
	return unitName(fg.Unit, l)
}

// number writes x with 3 significant digits (at least the units), in l's
// decimal separator: 2.2, 1.07, 111, 0.509.
func number(x float64, l knowledge.Lang) string {
	var s string
	switch ax := abs(x); {
	case ax >= 100:
		s = strconv.FormatFloat(x, 'f', 0, 64)
	case ax >= 10:
		s = strconv.FormatFloat(x, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(x, 'f', 2, 64)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return strings.Replace(s, ".", wordsFor(l).Decimal, 1)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
