package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kazakh letters that Russian does not use.
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"

var (
	enWords = wordSet("the a an is are was were what how many much who when where which why does do did of in on to and for with from between about tell me there it its this that by than")
	frWords = wordSet("le la les un une des est sont quel quelle quels quelles combien qui quand où pourquoi comment du de au aux et pour avec entre sur dans ce cette en par qu est-ce que ont été y a-t-il" +
		// French-only words of this bot's subjects, for questions typed as
		// keywords ("commerce kazakhstan russie 2024"), which have no
		// function word to vote with.
		" chine chinois chinoise chinoises russie inde pékin pekin échanges echanges milliard milliards mds entreprises année annee années annees" +
		" météo meteo superficie financement éolien eolien visiteurs ventes voies nouvelles objectif signés signes touristes étudiants etudiants" +
		" gaz pétrole petrole ferroviaire douane investissements coentreprises sommet")
	kkWords = wordSet("туралы қанша неше не қандай қашан қайда жылы жылғы бойынша мен және ма ме ба бе па пе бар жоқ арасындағы арасында деген қалай үшін екі ел елдер")
	ruWords = wordSet("сколько какой какая какие каков когда где почему что как в во на о об про между и с со для по из от это ли ещё расскажи")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// DetectLang guesses the language of a question from its script, the letters
// only Kazakh uses, and a vote of function words between English and French
// (or Russian and Kazakh). hint, a caller's guess such as Telegram's
// language_code, breaks ties; with no evidence at all the answer is English.
func DetectLang(text string, hint Lang) Lang {
	l, _ := Detect(text, hint)
	return l
}

// Detect is DetectLang that also says whether the text itself decided the
// language (script, Kazakh letters or a word vote), rather than the hint or
// the default.
func Detect(text string, hint Lang) (lang Lang, sure bool) {
	var han, cyr, lat, kk, frAccents int
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if isASCIILetter(r) {
				lat++
			}
		case 'А' <= r && r <= 'я': // the Russian alphabet, no Kazakh letter
			cyr++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
			if strings.ContainsRune(kazakhLetters, r) {
				kk++
			}
		case unicode.Is(unicode.Latin, r):
			lat++
			if strings.ContainsRune("éèêàâçùûôîïëœÉÈÊÀÂÇÙÛÔÎ", r) {
				frAccents++
			}
		}
	}
	switch {
	case han > 0 && han*2 >= cyr+lat/3:
		return ZH, true
	case cyr > 0 && cyr >= lat:
		if kk > 0 {
			return KK, true
		}
		k, r := votes(text, kkWords, ruWords)
		switch {
		case k > r:
			return KK, true
		case r > k:
			return RU, true
		case hint == KK:
			return KK, false
		}
		return RU, false
	case lat > 0:
		e, f := votes(text, enWords, frWords)
		f += frAccents
		switch {
		case f > e:
			return FR, true
		case e > f:
			return EN, true
		case hint == FR:
			return FR, false
		}
		return EN, false
	}
	if hint.Valid() {
		return hint, false
	}
	return EN, false
}

// votes counts the words of text that are in each of two sets.
func votes(text string, a, b map[string]bool) (na, nb int) {
	for w := range strings.FieldsFuncSeq(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-' && r != '\''
	}) {
		na += vote(w, a)
		nb += vote(w, b)
	}
	return na, nb
}

// vote counts how many times word w is in set: once as it is, once more
// for a French elision (l'énergie, d'affaires, qu'est-ce) of a word in it.
func vote(w string, set map[string]bool) int {
	n := 0
	if set[w] {
		n++
	}
	if i := strings.IndexByte(w, '\''); i > 0 && i <= 3 && set[w[:i]+"e"] {
		n++
	}
	return n
}

// ParseLang turns a code such as "ru", "ru-RU" or "zh-hans" into a Lang, or ""
// when it is none of the five.
func ParseLang(code string) Lang {
	code = strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(code, "-_"); i > 0 {
		code = code[:i]
	}
	if l := Lang(code); l.Valid() {
		return l
	}
	return ""
}
