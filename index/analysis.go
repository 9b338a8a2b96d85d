package index

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/ru"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"factbot/knowledge"
)

// KazakhStemming is how Kazakh words are reduced before indexing. Kazakh is
// agglutinative and Bleve has no Kazakh stemmer; the choice was measured on
// the eval set (see README, "Search quality").
type KazakhStemming string

// The Kazakh stemming choices.
const (
	KazakhNone     KazakhStemming = "none"     // lower-case and stop words only
	KazakhLight    KazakhStemming = "light"    // strip plural and case endings
	KazakhTruncate KazakhStemming = "truncate" // keep the first 6 letters
)

// analyzerName names the registered analyzer for a language field. query
// analyzers also drop question words ("how many", "сколько", "қанша" …),
// which carry no content but would count against coverage.
func analyzerName(l knowledge.Lang, kk KazakhStemming, query bool) string {
	name := "factbot_" + string(l)
	if l == knowledge.KK {
		name += "_" + string(kk)
	}
	if query {
		name += "_q"
	}
	return name
}

func init() {
	for _, l := range knowledge.Langs {
		for _, query := range []bool{false, true} {
			kks := []KazakhStemming{""}
			if l == knowledge.KK {
				kks = []KazakhStemming{KazakhNone, KazakhLight, KazakhTruncate}
			}
			for _, kk := range kks {
				l, kk, query := l, kk, query
				err := registry.RegisterAnalyzer(analyzerName(l, kk, query), func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
					return newAnalyzer(l, kk, query)
				})
				if err != nil {
					panic(err)
				}
			}
		}
	}
}

// textAnalyzer tokenizes with Unicode word boundaries, joins numbers that a
// space splits ("4 700"), writes every number in one form, then runs the
// language's filters. It never rewrites the input bytes, so token offsets
// stay true for highlighting.
type textAnalyzer struct {
	tokenizer analysis.Tokenizer
	filters   []analysis.TokenFilter
	lang      knowledge.Lang
}

func newAnalyzer(l knowledge.Lang, kk KazakhStemming, query bool) (analysis.Analyzer, error) {
	cache := registry.NewCache()
	tok, err := cache.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, err
	}
	named := func(names ...string) ([]analysis.TokenFilter, error) {
		var fs []analysis.TokenFilter
		for _, n := range names {
			f, err := cache.TokenFilterNamed(n)
			if err != nil {
				return nil, fmt.Errorf("token filter %s: %w", n, err)
			}
			fs = append(fs, f)
		}
		return fs, nil
	}
	var fs []analysis.TokenFilter
	switch l {
	case knowledge.EN:
		fs, err = named(lowercase.Name, en.PossessiveName)
		fs = append(fs, foldFilter(knowledge.Fold))
		if stop, e := named(en.StopName); e == nil {
			fs = append(fs, stop...)
		}
		if query {
			fs = append(fs, stopFilter(questionWords[l]))
		}
		if stem, e := named(en.SnowballStemmerName); e == nil {
			fs = append(fs, stem...)
		}
	case knowledge.FR:
		// Accents are folded after stemming: the Snowball rules need them
		// ("opèrent" and "opéraient" both stem to "oper" only that way).
		fs, err = named(fr.ElisionName, lowercase.Name)
		if stop, e := named(fr.StopName); e == nil {
			fs = append(fs, stop...)
		}
		if query {
			fs = append(fs, stopFilter(questionWords[l]))
		}
		if stem, e := named(fr.SnowballStemmerName); e == nil {
			fs = append(fs, stem...)
		}
		fs = append(fs, foldFilter(knowledge.Fold))
	case knowledge.RU:
		fs, err = named(lowercase.Name)
		fs = append(fs, foldFilter(knowledge.Fold))
		if stop, e := named(ru.StopName); e == nil {
			fs = append(fs, stop...)
		}
		if query {
			fs = append(fs, stopFilter(questionWords[l]))
		}
		if stem, e := named(ru.SnowballStemmerName); e == nil {
			fs = append(fs, stem...)
		}
		fs = append(fs, ruLemmaFilter{})
	case knowledge.KK:
		// Kazakh letters are folded to their Russian-keyboard twins, as
		// many type Kazakh in chats ("кытай" for "қытай"); the stop lists
		// and endings below are folded the same way.
		fs, err = named(lowercase.Name)
		fs = append(fs, foldFilter(knowledge.KeyboardFold), stopFilter(kazakhStop))
		if query {
			fs = append(fs, stopFilter(questionWords[l]))
		}
		switch kk {
		case KazakhLight:
			fs = append(fs, kazakhStemmer{})
		case KazakhTruncate:
			fs = append(fs, truncateFilter(6))
		}
	case knowledge.ZH:
		fs, err = named(cjk.WidthName, lowercase.Name, cjk.BigramName)
	}
	if err != nil {
		return nil, err
	}
	return &textAnalyzer{tokenizer: tok, filters: fs, lang: l}, nil
}

func (a *textAnalyzer) Analyze(input []byte) analysis.TokenStream {
	ts := joinNumbers(input, a.tokenizer.Tokenize(input))
	for _, f := range a.filters {
		ts = f.Filter(ts)
	}
	return ts
}

// joinNumbers merges a number with the three-digit groups that follow it
// after a single space, NBSP or thin space ("4 700 000"), and writes every
// number in the canonical form of knowledge.NormalizeNumber.
func joinNumbers(input []byte, ts analysis.TokenStream) analysis.TokenStream {
	out := ts[:0]
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if !isNumber(t.Term) {
			out = append(out, t)
			continue
		}
		end := t.End
		for i+1 < len(ts) && groupLike(t.Term, ts[i+1].Term) && isGroupGap(input[end:ts[i+1].Start]) {
			i++
			end = ts[i].End
		}
		t.Term = []byte(knowledge.NormalizeNumber(string(input[t.Start:end])))
		t.End = end
		t.Type = analysis.Numeric
		out = append(out, t)
	}
	for i := range out {
		out[i].Position = i + 1
	}
	return out
}

func isNumber(b []byte) bool {
	if len(b) == 0 || b[0] < '0' || b[0] > '9' {
		return false
	}
	for _, c := range b {
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// groupLike reports whether next can continue first as a thousands group:
// first is 1–3 digits (or already grouped), next is exactly three digits
// with perhaps a decimal part.
func groupLike(first, next []byte) bool {
	if len(first) > 3 && bytes.IndexAny(first, ".,") < 0 {
		return false
	}
	if len(next) < 3 || !isNumber(next) {
		return false
	}
	for _, c := range next[:3] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(next) == 3 || next[3] == '.' || next[3] == ','
}

func isGroupGap(b []byte) bool {
	r, size := utf8.DecodeRune(b)
	return size == len(b) && (r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009')
}

// foldFilter writes each non-ASCII term as its function does; it keeps
// token offsets. foldFilter(knowledge.Fold) strips Latin accents and writes
// ё as е, so that "énergie" meets "energie" and "ещё" meets "еще";
// foldFilter(knowledge.KeyboardFold) also writes Kazakh letters as a
// Russian keyboard types them.
type foldFilter func(string) string

func (f foldFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		if !utf8.Valid(t.Term) || isASCII(t.Term) {
			continue
		}
		t.Term = []byte(f(string(t.Term)))
	}
	return ts
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stopFilter drops the tokens in its set.
type stopFilter map[string]bool

func (s stopFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	out := ts[:0]
	for _, t := range ts {
		if !s[string(t.Term)] {
			out = append(out, t)
		}
	}
	return out
}

func set(words string) stopFilter {
	ws := strings.Fields(words)
	for i, w := range ws {
		ws[i] = knowledge.Fold(w)
	}
	return stopSet(ws)
}

// kazakhSet is set for the Kazakh filters, which see keyboard-folded terms.
func kazakhSet(words string) stopFilter { return stopSet(keyboardFolded(strings.Fields(words))) }

func stopSet(words []string) stopFilter {
	m := stopFilter{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

// keyboardFolded returns the words as knowledge.KeyboardFold writes them,
// in the same order.
func keyboardFolded(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = knowledge.KeyboardFold(w)
	}
	return out
}

// questionWords are dropped from questions only: they ask, they do not say
// what about. Listed as they look after lower-casing and folding, before
// stemming.
var questionWords = map[knowledge.Lang]stopFilter{
	knowledge.EN: set("how many much what which who whom whose when where why is are was were the a an does do did tell me about there please show give info information know any anything something can could would you i we us our your it its was were been be has have had this that these those of in on at to for and or with from by as number figure figures amount total big large huge now currently today true really pls plz please exactly approximately roughly about explain describe"),
	knowledge.FR: set("combien quel quelle quels quelles quand où ou pourquoi comment est ce qu que qui quoi dis moi donne donnez sur il y a t elle ils sont était été avoir être peux pouvez savoir connais nombre chiffre chiffres montant total actuellement maintenant vrai vraiment stp svp environ parle parlez parler raconte racontez explique expliquez présente présentez info infos"),
	knowledge.RU: set("сколько какой какая какое какие каков какова каковы когда где почему зачем что как расскажи расскажите скажи скажите мне про о об есть был была было были ли ну вообще можно известно знаешь это такое такой число цифра цифры объем объём всего сейчас сегодня правда действительно пожалуйста примерно около расскажите поговорим объясни объясните информация инфо"),
	knowledge.KK: kazakhSet("қанша неше қандай қашан қайда неге не қалай туралы айтып айтшы берші бер ма ме ба бе па пе бар жоқ еді болды болған екен деген білесің ше маған саны сан көлемі қазір шынымен рас шамамен өтінемін айтып айтыңыз беріңізші берші түсіндір ақпарат"),
}

// kazakhStop is a stop list for Kazakh, which Bleve lacks: conjunctions,
// postpositions and particles.
var kazakhStop = kazakhSet("және мен бен пен да де та те ал бірақ немесе үшін туралы бойынша арқылы сияқты дейін кейін бұл осы сол ол олар біз сіз ең өте бір де ғана әрі яғни")

// kazakhSuffixes are plural, case and possessive endings, longest first.
var kazakhSuffixes = keyboardFolded([]string{
	// Case, plural, possessive and common verb endings, longest first.
	"ларының", "лерінің", "лардың", "лердің", "дардың", "дердің", "тардың", "тердің",
	"ларын", "лерін", "дарын", "дерін", "тарын", "терін", // plural, possessive and accusative
	"лары", "лері", "дары", "дері", "тары", "тері", // plural and possessive: мәлімдемелері → мәлімдеме
	"лардан", "лерден", "дардан", "дерден", "тардан", "терден", "ндағы", "ндегі", "ларға",
	"лерге", "дарға", "дерге", "тарға", "терге", "ларда", "лерде", "дарда", "дерде",
	"тарда", "терде", "дағы", "дегі", "тағы", "тегі", "йтын", "йтін", "атын", "етін",
	"ейді", "айды", "ның", "нің", "дың", "дің", "тың", "тің", "нан", "нен", "дан", "ден",
	"тан", "тен", "лар", "лер", "дар", "дер", "тар", "тер", "мен", "бен", "пен", "нда",
	"нде", "йді", "йды", "ған", "ген", "қан", "кен", "ады", "еді", "ға", "ге", "қа", "ке",
	"да", "де", "та", "те", "ны", "ні", "ды", "ді", "ты", "ті", "сы", "сі", "ғы", "гі",
	"қы", "кі",
})

var kazakhPlurals = keyboardFolded([]string{"лар", "лер", "дар", "дер", "тар", "тер"})

// kazakhStemmer strips one case ending, then one plural ending, keeping a
// stem of at least four letters: "компаниялардың" → "компания",
// "Қазақстанның" → "қазақстан". Country names in -стан keep it: their
// ending is not the ablative -тан.
type kazakhStemmer struct{}

func (kazakhStemmer) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		if t.Type == analysis.Numeric {
			continue
		}
		w := stripSuffix(string(t.Term), kazakhSuffixes)
		w = stripSuffix(w, kazakhPlurals)
		t.Term = []byte(w)
	}
	return ts
}

func stripSuffix(w string, suffixes []string) string {
	if i := strings.LastIndex(w, "стан"); i >= 0 {
		return w[:i+len("стан")] // Қазақстандағы → қазақстан
	}
	for _, suf := range suffixes {
		if strings.HasSuffix(w, suf) && utf8.RuneCountInString(w)-utf8.RuneCountInString(suf) >= 4 {
			return strings.TrimSuffix(w, suf)
		}
	}
	return w
}

// truncateFilter keeps the first n letters of each word, a crude stemmer.
type truncateFilter int

func (n truncateFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		if t.Type == analysis.Numeric {
			continue
		}
		if r := []rune(string(t.Term)); len(r) > int(n) {
			t.Term = []byte(string(r[:n]))
		}
	}
	return ts
}

// ruLemmaFilter repairs stems that the Russian Snowball stemmer splits:
// Казахстан/Казахстана → "казахста" but Казахстане → "казахстан"; Китая →
// "кит" but Китай → "кита"; Астана → "аста" but Астане → "астан".
type ruLemmaFilter struct{}

var ruLemmas = map[string]string{
	"казахста": "казахстан",
	"кит":      "кита",
	"аста":     "астан",
	"алмат":    "алмат",
	"хоргос":   "хоргос",
}

func (ruLemmaFilter) Filter(ts analysis.TokenStream) analysis.TokenStream {
	for _, t := range ts {
		if l, ok := ruLemmas[string(t.Term)]; ok {
			t.Term = []byte(l)
		}
	}
	return ts
}

// chineseFillers are function and question words removed from Chinese
// questions before analysis: they would only make junk bigrams.
var chineseFillers = []string{
	"请问", "多少", "什么", "哪些", "怎么", "为什么", "有没有", "是不是", "告诉我", "关于", "是否",
	"介绍一下", "介绍", "一下", "讲讲", "说说", "谈谈", "情况",
	"的", "了", "吗", "呢", "是", "几", "哪", "吧", "啊", "么", "我", "你", "请", "和", "与", "及", "在", "有", "个", "多", "少",
	"？", "?", "！", "，", "。", "、",
}

var chineseReplacer = func() *strings.Replacer {
	var pairs []string
	for _, f := range chineseFillers {
		// As many spaces as bytes, so that token offsets into the
		// replaced text are offsets into the question.
		pairs = append(pairs, f, strings.Repeat(" ", len(f)))
	}
	return strings.NewReplacer(pairs...)
}()
