package knowledge

import "strings"

// cue is what a question word or phrase says about the question: what kind
// of answer it wants, or when. Cues are matched like thesaurus words
// (folded, "*" for a prefix, Chinese as substrings) and removed from a
// question's content.
type cue int32

const (
	cueNone           cue = iota // says nothing; consumed so a shorter cue does not match inside it
	cueValue                     // how much, сколько, қанша, 多少, combien
	cueWhen                      // when, когда, қашан, 什么时候, quand
	cueWhere                     // where, где, қайда, 哪里 (French "où" is told from "ou" by its accent)
	cueWho                       // who, кто, кім, 谁, qui
	cueTrend                     // growth, вырос, өсті, 增长, hausse: a trend unless one year is asked
	cueTrendStrong               // dynamics, по годам, жылдар бойынша, 历年, par année: always a trend
	cueCompare                   // compare, vs, по сравнению, салыстыр, 对比, par rapport à
	cueCompareWeak               // than, чем, 比: a comparison only between two years
	cueOverview                  // tell me about, расскажи, туралы айтып бер, 介绍, parle-moi de
	cuePractical                 // how do I get, как оформить, қалай алуға, 怎么办, comment obtenir; opening hours, расписание, 营业时间
	cuePrice                     // price, цена, бағасы, 价格, prix: a live price when it also says now or today
	cueLastYear                  // last year, в прошлом году, былтыр, 去年, l'an dernier
	cueThisYear                  // this year, в этом году, биыл, 今年, cette année
	cueYearBeforeLast            // the year before last, в позапрошлом году, 前年
	cueLatest                    // latest, now, сейчас, соңғы, 最新, actuellement
	cueLast                      // last, past, последние, соңғы, derniers: "last 5 years" is a span, alone it means latest
	cueSince                     // since, начиная с, бері, 以来, depuis: from a year to now
	cueSpan                      // "over the past decade": cueSpan+n years back, up to now
)

// cueSpanMax bounds the spans a cue can carry.
const cueSpanMax = 30

// cueForms lists the cues, "|" between forms; every language's forms are
// matched in every question.
var cueForms = []struct {
	cue   cue
	forms string
}{
	{cueValue, "how much|how many|how big|how large|how high|how long|how far|how fast|how much money|number of|amount of|what amount|what volume|what figure|what percentage|what percent|what proportion|what size|how significant|worth" +
		"|сколько|скока|скольк*|каков*|какой объем|какая сумма|на сколько|насколько|во сколько|какое количество|количество|какова сумма|сумма" +
		"|қанша|неше|нешеу|қаншама|қаншалықты|нешінші|неше пайыз|қанша пайыз" +
		"|多少|几个|几家|几条|几项|几份|几次|几列|几所|几名|几座|几天|几|多大|多长|多高|多远|多久|多少钱|第几|有多" +
		"|combien|quel montant|quel volume|quelle part|quel pourcentage|quelle quantite|quelle somme|quel nombre|nombre de|montant|quelle taille|a combien"},
	{cueWhen, "when|what year|which year|in what year|what date|which date|what day|which day|since when|how long ago|what month|which month|the date|dates|date of" +
		"|когда|в каком году|какого года|какого числа|в какой день|какой год|с какого года|с каких пор|в каком месяце|какая дата|дата|даты|с какого числа" +
		"|қашан|қай жылы|қай жылдан|қай күні|қай айда|қашаннан бері|қашаннан|нешінші жылы|қай уақытта" +
		"|什么时候|何时|哪年|哪一年|几月|哪天|哪一天|几号|哪个月|何年|什么时间|哪日" +
		"|quand|quelle annee|en quelle annee|quelle date|a quelle date|depuis quand|quel jour|quel mois|date de|dates de|date du"},
	{cueWhere, "where|which city|what city|in which city|which place|what place|which port|from where" +
		"|где|в каком городе|куда|откуда|в какой стране|в каком месте|какой город|в каком порту" +
		"|қайда|қай жерде|қай қалада|қайдан|қай елде|қай қала" +
		"|哪里|在哪|哪儿|哪个城市|什么地方|哪座城市|何地|哪个港口|何处" +
		"|dans quelle ville|quelle ville|quel endroit|a quel endroit|quel port"},
	{cueWho, "who|whom|whose|which company|what company|which companies|which firm|which bank|which university|which country|which leaders|by whom|which chinese company" +
		"|кто|кем|кого|чей|чья|чьи|какая компания|какой компании|какие компании|какой банк|какой университет|какая страна|с кем|кому|какая китайская компания" +
		"|кім|кімдер|кімге|кіммен|кімдермен|кімнің|қай компания|қандай компания|қай ел|қай университет|қай банк" +
		"|谁|哪家|哪个公司|哪些公司|哪家公司|哪个国家|哪所|哪个企业|哪位|哪些国家|哪个大学" +
		"|qui|quelle entreprise|quelle societe|quelles entreprises|quel pays|quelle banque|quelle universite|par qui|avec qui|qui detient"},
	{cueTrend, "change|changed|changes|changing|grow|grew|grown|growing|growth|increase|increased|increasing|rise|rose|risen|rising|decline|declined|declining|fall|fell|drop|dropped|evolve|evolved|go up|went up|gone up" +
		"|рост|вырос*|растет|растут|росла|росли|увелич*|сниз*|снижени*|падени*|упал*|изменил*|изменени*|менял*|прирост*|возрос*|сократил*" +
		"|өсу|өсуі|өсуін|өсті|өскен|өсім*|өседі|артты|артқан|азайды|төмендеді|төмендеу*|өзгер*|құлдыра*" +
		"|变化|增长|增加|下降|减少|增幅|上升|提高|涨了|跌了|降了" +
		"|evolue|progression|croissance|hausse|baisse|augment*|diminu*|recul*|progresse|change|changement*|multiplie*"},
	{cueTrendStrong, "trend|trends|dynamics|dynamic|by year|year by year|over the years|over time|history of|historical|time series|through the years|evolution" +
		"|динамик*|тенденци*|по годам|из года в год|за все годы|за эти годы|хронолог*|тренд*|история|историю|истории" +
		"|динамикас*|жылдар бойынша|жылдан жылға|үрдіс*|тенденциясы|тарихы" +
		"|趋势|历年|逐年|走势|历史数据|年度变化|这些年|多年来|各年" +
		"|par annee|annee par annee|au fil des ans|au fil des annees|tendance*|dynamique"},
	{cueCompare, "compare|compared|comparison|versus|vs|difference between|relative to|compared with|compared to" +
		"|сравни*|сравнени*|по сравнению|против|в отличие|разница|разниц*" +
		"|салыстыр*|қарағанда|айырмашылық*" +
		"|比较|对比|相比|比起|差距|差别" +
		"|compar*|par rapport a|par rapport au|contre|difference entre|ecart entre"},
	{cueCompareWeak, "than|more than|less than|чем|больше чем|меньше чем|более чем|менее чем|plus que|moins que|比"},
	{cueNone, "over|比例|比重|占比|比率|几乎|plus de|moins de"},
	{cueOverview, "tell me about|tell me more|tell about|what do you know about|what do u know about|what u know about|overview|summary|explain|describe|info on|information about|anything about|background on|what is known about" +
		"|расскажи*|рассказать|что известно|что ты знаешь|обзор|справк*|поясни|объясни|опиши|что такое" +
		"|айтып бер*|туралы айт*|не білесің|туралы ақпарат|түсіндір*|шолу|дегеніміз не|деген не" +
		"|介绍|讲讲|说说|概况|简介|谈谈|聊聊|了解一下|是什么|是啥|什么是" +
		"|parle moi de|parlez moi de|parle moi du|presente*|presentation|resume|c est quoi|qu est ce que|que sais tu|explique*|apercu"},
	{cuePractical, "how do i|how can i|how to get|how to apply|how to open|how to obtain|how to register|where do i apply|what documents|which documents|opening hours|working hours|open hours|schedule|timetable|is it open" +
		"|как получить|как оформить|как открыть|как подать|как зарегистрировать|какие документы|куда обращаться|режим работы|часы работы|график работы|расписание|работает ли" +
		"|қалай алуға|қалай алам|қалай рәсімде*|қандай құжаттар|құжаттары|жұмыс уақыты|жұмыс кестесі|кестесі|жұмыс істей ме" +
		"|怎么办|如何办理|怎么办理|怎么申请|如何申请|需要什么材料|需要哪些材料|营业时间|开放时间|时刻表|几点开门|开门吗" +
		"|comment obtenir|comment faire|comment demander|comment ouvrir|quels documents|quels papiers|horaires|horaire|heures d ouverture|est ce ouvert"},
	{cuePrice, "price|prices|how much does|how much is a|цена|цены|цену|ценах|почем|бағасы|бағалары|价格|价钱|多少钱|售价|prix|combien coute|combien coûte"},
	{cueLastYear, "last year|last yr|past year|past yr|previous year|a year ago|в прошлом году|прошлого года|прошлый год|за прошлый год|прошлогодн*|былтыр|былтырғы|өткен жылы|өткен жылғы|өткен жыл|去年|上一年|上年|l an dernier|l annee derniere|l an passe|l annee passee|annee derniere" +
		"|one year ago|1 year ago|год назад|il y a un an|бір жыл бұрын|一年前"},
	{cueThisYear, "this year|current year|so far this year|в этом году|этого года|текущего года|текущем году|этот год|в текущем году|биыл|биылғы|осы жылы|осы жылғы|今年|本年|今年以来|cette annee|cette annee ci|l annee en cours" +
		"|ytd|year to date|с начала года|с начала этого года|с начала текущего года|жыл басынан бері|жыл басынан|年初以来|年初至今|depuis le debut de l annee|depuis le debut de cette annee"},
	{cueYearBeforeLast, "the year before last|year before last|two years ago|2 years ago|в позапрошлом году|позапрошлого года|позапрошлый год|два года назад|2 года назад" +
		"|өткен жылдың алдында|екі жыл бұрын|2 жыл бұрын|前年|两年前|2年前|il y a deux ans|il y a 2 ans"},
	{cueLatest, "latest|most recent|newest|now|currently|current|today|recently|these days|at the moment|right now|as of now|up to date|nowadays|so far|fresh" +
		"|сейчас|сегодня|последние данные|свежие данные|на данный момент|в настоящее время|текущий|текущая|недавно|на сегодня|нынешн*|ныне|актуальн*" +
		"|қазір|қазіргі|бүгін|бүгінгі|жуырда|соңғы деректер|соңғы мәлімет*|қазіргі кезде" +
		"|最新|目前|现在|当前|近期|最近|如今|现今|眼下|截至目前" +
		"|actuellement|le plus recent|la plus recente|les plus recents|derniers chiffres|dernieres donnees|derniere donnee|aujourd hui|en ce moment|recemment|maintenant|a ce jour|actuel|actuelle"},
	{cueLast, "last|past|recent|последн*|прошедш*|минувш*|соңғы|derniers|dernieres|derniere|dernier|passees|passes"},
	{cueSince, "since|starting from|ever since|начиная с|бері|бастап|以来|以後|以后|之后|起至今|depuis|a partir de"},
	{cueSpan + 10, "decade|past decade|last decade|десятилетие|десять лет|за десятилетие|онжылдық|он жыл|十年来|近十年|过去十年|decennie|dix ans|dix dernieres annees"},
	{cueSpan + 5, "近五年|过去五年|近5年|过去5年"},
	{cueSpan + 3, "近三年|过去三年|近3年|过去3年"},
	{cueSpan + 2, "近两年|过去两年|近2年|过去2年"},
	{cueSpan + 5, "recent years|in recent years|последние годы|в последние годы|последних лет|соңғы жылдары|соңғы жылдар|ces dernieres annees|dernieres annees|近年来|近几年|近些年|最近几年|最近五年|最近5年"},
	{cueSpan + 10, "最近十年"},
	{cueSpan + 3, "最近三年|最近3年"},
	{cueSpan + 2, "最近两年|最近2年"},
}

// numberWords are small numbers written out, for "last five years", keyed
// by their question fold.
var numberWords = qkeys(map[string]int{
	"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "fifteen": 15, "several": 3, "few": 3, "couple": 2,
	"два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "четыре": 4, "пять": 5, "пяти": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "десяти": 10, "несколько": 3, "нескольких": 3,
	"екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9, "он": 10,
	"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quelques": 3,
})

// yearWords name the unit "year" ("last 5 years", "5 жыл", "cinq ans"),
// question-folded.
var yearWords = qset("year years yrs yr год года году годом годах годы лет г гг жыл жылы жылғы жылда жылдар жылдары жылдың жылдан жылға жылдардағы жылдарда жылдағы жылдай жж ж an ans annee annees")

func isYearWord(w string) bool { return yearWords[w] }

// stopWords are the words that carry no content in a question: function
// words and the question's own framing, in the five languages.
var stopWords = qset(strings.Join([]string{
	// English
	"the a an is are was were be been being what how who when where which why does do did doing done of in on at to and or for with from between about tell me there it its this that these those by than into out over under up down as per i you we they my your our their can could would should will shall may might must has have had any some all much many more most less least very just only also still yet get got give show please pls plz is it's s vs was say said says really true really also any",
	// French
	"le la les l un une des de du d est sont etait etaient quel quelle quels quelles qui quand ou pourquoi comment en au aux et pour avec entre sur dans ce cet cette ces par qu que il elle ils elles on a y ont ete sa son ses leur leurs pas ne plus tres c s t est-ce vers chez selon dont se",
	// Russian
	"сколько какой какая какие каков какова когда где почему что как в во на о об про между и с со для по из от это ли ещё еще расскажи был была было были есть ли а но же бы у к ко до за при под над без их его её ее они он она мы вы я ты мне нам наш ваш этот эта эти того тот та те там тут так такой уже всего всех все весь вся также ну пожалуйста который которая которые чтобы чем",
	// Kazakh
	"туралы қанша неше не қандай қашан қайда жылы жылғы бойынша мен және ма ме ба бе па пе бар жоқ арасындағы арасында деген қалай үшін екі ел елдер бен пен да де та те ғой ғана әлі осы сол бұл ол олар біз сіз мен оның олардың кезде кейін дейін шейін ше ші болды болған болады бола болып",
}, " "))

// qset is wordSet over the question folds of the words.
func qset(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[qfold(w)] = true
	}
	return m
}

// qkeys re-keys a map by the question folds of its keys.
func qkeys(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[qfold(k)] = v
	}
	return out
}
