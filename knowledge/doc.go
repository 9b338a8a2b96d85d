// Package knowledge is factbot's domain: facts, documents and their passages,
// sources, aliases, measures and their words (the thesaurus) and evaluation
// cases; the loader that reads and validates a knowledge folder from any
// fs.FS; and question understanding (Understand): which measures, entities
// and period a question names and what kind of answer it wants. It imports
// neither Bleve nor Telegram.
//
// A knowledge folder holds seven kinds of file:
//
//	facts/*.yaml          sourced facts, one list per file
//	documents/*.md        briefings: Markdown with YAML front matter
//	aliases/*.yaml        equivalent names across languages and scripts
//	measures/*.yaml       what facts count or tell about, and the words for it
//	counters/*.yaml       counting bodies: whose statistics a figure is
//	eval/*.yaml           questions with the fact ids that answer them
//	announcements/*.yaml  scheduled messages to groups (see Announcement)
//
// A fact file:
//
//	facts:
//	  - id: trade-2023                 # stable, lower-case, [a-z0-9-]
//	    topic: trade                   # one of Topics
//	    measures: [trade-turnover]     # one or more measure ids, most specific first
//	    tags: [customs, record]
//	    date: "2023"                   # as-of period: YYYY, YYYY-MM, YYYY-MM-DD,
//	                                   # YYYY-Qn, YYYY-Hn or FROM..TO
//	    text:                          # the statement, in all five languages
//	      en: China–Kazakhstan trade reached $41 billion in 2023 by Chinese customs data …
//	      ru: …
//	      kk: …
//	      zh: …
//	      fr: …
//	    figures:                       # exactly as the sources give them
//	      - value: "$41 billion"
//	        unit: USD
//	        date: "2023"
//	        by: GACC                   # who gives it: names only (see below)
//	        note:                      # optional; in all five languages, like text
//	          en: "+32%; also cited by President Tokayev"
//	          ru: "+32%; эту цифру приводит и президент Токаев"
//	          kk: "+32%; бұл цифрды Президент Тоқаев та келтіреді"
//	          zh: "增长32%；托卡耶夫总统也引用这一数字"
//	          fr: "+32 % ; chiffre repris par le président Tokaïev"
//	      - value: "$31.5 billion"
//	        unit: USD
//	        date: "2023"
//	        by: Kazakh statistics (Reuters)
//	        by_note:                   # optional: how by gave it, in all five languages
//	          en: "cited by President Tokayev, 2019"
//	          …
//	        counter: kazakh-statistics # only where by is ambiguous (see Counter)
//	        amount: "$31.5 billion"    # only where value cannot be read (see below)
//	    disagreement:                  # why the figures differ, in all five languages
//	      en: The two sides record mirror trade differently …
//	      …
//	    sources:
//	      - publisher: WE News English
//	        title: China–Central Asia trade hits $89.4 billion in 2023
//	        url: https://wenewsenglish.pk/china-central-asia-trade-hits-89-4-billion-in-2023
//	        date: "2024-01"            # YYYY, YYYY-MM or YYYY-MM-DD, "~" if approximate
//	        note:                      # optional; in all five languages
//	          en: original not seen
//	          ru: оригинал не найден
//	          kk: түпнұсқасы табылмады
//	          zh: 未见原文
//	          fr: original non consulté
//
// A document is Markdown with front matter between "---" lines:
//
//	---
//	id: briefing-ciftis-2024-en
//	title: Kazakhstan at CIFTIS 2024
//	lang: en
//	date: "2024-09-16"
//	topic: events
//	facts: [ciftis-2024-dates-venues, kz-china-forum-ciftis-2024]
//	sources:
//	  - publisher: The Astana Times
//	    url: https://astanatimes.com/…
//	    date: "2024-09-16"
//	---
//	# Heading
//	A paragraph becomes one passage, searchable on its own.
//
// An alias file lists entities and every surface form that names them; a form
// ending in "*" matches any word that starts with it (Казахстан* matches
// Казахстане):
//
//	aliases:
//	  - id: kazakhstan
//	    forms: [Kazakhstan, Qazaqstan, KZ, Казахстан*, Қазақстан*, 哈萨克斯坦]
//
// A measure file lists measures: a closed list, since every fact names its
// measures and tables, charts and eval cases refer to their ids. A measure has
// a display name and the words people type for it, in all five languages; a
// word ending in "*" matches any word that starts with it, and every word of a
// phrase may (объем* торговл* matches "объемом торговли"). Matching ignores
// case, ё/е and Latin accents, reads Kazakh typed on a Russian keyboard
// (мунай for мұнай) and Traditional Chinese; Chinese is matched anywhere in
// the text. A prefix must keep at least 3 letters, and a word may not be
// listed twice in one language; the same word may name two measures, and a
// question that uses it names both. numeric: true marks a quantity that
// tables and charts can show; refines says that a question naming one of the
// measures with one of the entities (alias ids) means this narrower measure:
//
//	measures:
//	  - id: trade-turnover             # stable, lower-case, [a-z0-9-]
//	    name: {en: trade turnover, ru: товарооборот, kk: тауар айналымы, zh: 贸易额, fr: échanges commerciaux}
//	    numeric: true
//	    words:
//	      en: [trade turnover, turnover, trade volume, bilateral trade, trade, commerce]
//	      ru: [товарооборот*, объем* торговл*, торговл*]
//	      kk: [тауар айналым*, сауда*, сауда көлем*]
//	      zh: [贸易额, 双边贸易, 贸易, 进出口]
//	      fr: [échanges commerciaux, échanges, commerce, volume des échanges]
//	  - id: china-ca-trade
//	    name: {en: China–Central Asia trade, …}
//	    numeric: true
//	    words: {en: [central asia trade, …], …}
//	    refines:                       # "trade with Uzbekistan" is China–Central Asia trade
//	      measures: [trade-turnover]
//	      entities: [central-asia, uzbekistan]
//
// A figure's amount — its number, scale, unit, qualifier and period — is read
// from its value and unit (ParseAmount: "$41.02 billion" in USD is 41.02 ×
// 1e9 USD, "~4,700" companies is about 4,700, "+32%" a change). It is read,
// not written twice, because the value is already the figure exactly as the
// source gives it, "~", ">" and the source's rounding included, and what
// people are shown; a second, numeric copy would drift from it. Only where a
// value cannot be read does a figure say what to read instead, "amount:
// <value>", or "amount: none" for a figure that is no single quantity
// ("40% domestic / 60% export"). A dated figure in a quantity unit of a fact
// with a numeric measure belongs to a series (see Series), and one whose
// amount cannot be read is a problem; dates, places, ranks and ordinals
// ("3rd") are no quantities and are not read.
//
// A counter file lists counting bodies. A figure is the body's when one of
// its by phrasings is found, as whole words, in the figure's by, and the
// figure gives one of the measures the body counts; a by that names no body
// (a newspaper, an official) makes the figure a series of its own by that by.
// Every body needs a name in all five languages:
//
//	counters:
//	  - id: chinese-customs
//	    name: {en: Chinese customs (GACC), ru: таможня КНР (ГТУ), kk: ҚХР кедені, zh: 中国海关总署, fr: douanes chinoises (GACC)}
//	    measures: [trade-turnover, kz-exports-to-china, kz-imports-from-china]
//	    by: [GACC, GAC, Chinese customs]
//
// A counter file may also list names: the people and bodies a figure's by
// names that are no counting body, each with its name in the five
// languages and the ways by writes it (matched whole). A figure's by lists
// names only, separated by "; ": counting bodies, names, and publishers of
// the fact's sources as they publish ("Trend", "The Astana Times"); "A (B)"
// is A as published by B. How they gave the figure goes in by_note. A base
// that lists names has every by checked so (Base.ByText shows it in the
// reader's language):
//
//	names:
//	  - id: tokayev
//	    name: {en: President Tokayev, ru: президент Токаев, kk: Президент Тоқаев, zh: 托卡耶夫总统, fr: le président Tokaïev}
//	    by: [President Tokayev, Tokayev]
//
// A figure is shown in the reader's language (FormatValue): "$41.02
// billion" is "41,02 млрд долл." in Russian and "410.2亿美元" in Chinese.
// A value that cannot be written so (a rank or a place in words, a number
// followed by words) gives its text in the five languages as words:, its
// en being the value; `factbot check` lists any other as a notice.
//
// An eval file lists questions and the fact or passage ids that answer them, or
// marks a question as one the base cannot answer:
//
//	cases:
//	  - q: how much trade in 2023?
//	    lang: en
//	    want: [trade-2023]
//	  - q: What is the weather in Paris?
//	    lang: en
//	    out_of_scope: true
//
// A note is shown in the reader's language, so it is written in all five,
// in each language's own conventions (32,7 in Russian, Kazakh and French;
// 万 and 亿 in Chinese) but with the same numbers and qualifiers as the
// English. The English note is the one the code reads: it names the measure
// a figure gives when its fact has several ("Kazakh exports to China"), and
// a source without a URL whose English note says "URL not recorded" is shown
// with the reply's own words for it.
//
// Load reports every problem it finds in one pass, each as "path:line: problem",
// sorted by path and line. A folder may come from an upload, so reading it is
// bounded: files of at most MaxFileSize, text in UTF-8, no YAML aliases
// (*name; anchors are harmless, but an alias would be read as the wrong kind
// of value, and expanding them is how a "billion laughs" file explodes), at
// most MaxYAMLItems line breaks and YAML punctuation marks in a file and
// MaxYAMLItemsTotal in all, and at most MaxProblems problems listed.
package knowledge
