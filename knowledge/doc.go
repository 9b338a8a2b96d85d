// Package knowledge is factbot's domain: facts, documents and their passages,
// sources, aliases and evaluation cases, and the loader that reads and validates
// a knowledge folder from any fs.FS. It imports neither Bleve nor Telegram.
//
// A knowledge folder holds five kinds of file:
//
//	facts/*.yaml          sourced facts, one list per file
//	documents/*.md        briefings: Markdown with YAML front matter
//	aliases/*.yaml        equivalent names across languages and scripts
//	eval/*.yaml           questions with the fact ids that answer them
//	announcements/*.yaml  scheduled messages to groups (see Announcement)
//
// A fact file:
//
//	facts:
//	  - id: trade-2023                 # stable, lower-case, [a-z0-9-]
//	    topic: trade                   # one of Topics
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
//	        by: GACC                   # whose figure this is
//	        note: "+32%"
//	      - value: "$31.5 billion"
//	        unit: USD
//	        date: "2023"
//	        by: Kazakh statistics
//	    disagreement:                  # why the figures differ, in all five languages
//	      en: The two sides record mirror trade differently …
//	      …
//	    sources:
//	      - publisher: WE News English
//	        title: China–Central Asia trade hits $89.4 billion in 2023
//	        url: https://wenewsenglish.pk/china-central-asia-trade-hits-89-4-billion-in-2023
//	        date: "2024-01"            # YYYY, YYYY-MM or YYYY-MM-DD, "~" if approximate
//	        note: original not seen    # optional
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
// Load reports every problem it finds in one pass, each as "path:line: problem",
// sorted by path and line.
package knowledge
