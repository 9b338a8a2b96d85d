package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"factbot/knowledge"
)

// Limits that keep any question cheap, whatever its text.
const (
	MaxQuestionRunes = 300 // longer questions are cut
	MaxTerms         = 32  // analysed terms per field
	MaxFuzzyTerms    = 1   // unknown words retried with one typo allowed (measured: more costs abstention)
	DefaultSize      = 5
	maxSize          = 20
	searchTimeout    = 2 * time.Second
	maxTermSearchers = 2000
)

// Tuning, calibrated on the eval set (see README, "Search quality"). The
// "no answer" rule uses two features of the best hit: its coverage (the
// share of the question's content, weighted by idf, that it matched) and the
// idf mass it matched. A hit answers when it covers most of the question, or
// covers a fair part of it that is specific enough: near misses ("trade
// between Kazakhstan and Russia") match only common words, and specific
// questions with chatty wording ("is it true there are 4700 chinese firms in
// qazaqstan now") match rare ones.
const (
	MinCoverage        = 0.55 // answer at this coverage or above
	MinPartialCoverage = 0.25 // or, for a fact, at this coverage if the match is specific:
	MinSpecificity     = 1.2  // worth a little more than one rare word
	// MinAnySpecificity is the least any answer must match: "what is
	// Kazakhstan" names only words that most facts share.
	MinAnySpecificity = 0.15
	// boostOther weighs matches in a language field other than the question's.
	boostOther = 0.5
	// boostEntity and boostNumber weigh the language-neutral fields.
	boostEntity = 1.5
	boostNumber = 1.5
	// passageFactor ranks passages below facts of equal merit: a fact has
	// the figure, its date and its sources. For a broad question, one that
	// only names something ("tell me about Khorgos"), a briefing's passage
	// is the better answer.
	passageFactor      = 0.7
	broadPassageFactor = 1.3
	// A fact about exactly the year asked for, or a part of it, ranks above
	// its siblings about other periods.
	exactPeriodFactor = 1.35
	exactYearFactor   = 1.2
	inYearFactor      = 1.1
)

// periodFactor weighs a fact by how well its as-of period fits the periods
// the question names (knowledge.Periods: the most specific first, the bare
// year last): the very period asked for ranks first, then the year, then a
// part of the year.
func periodFactor(period string, asked []string) float64 {
	best := 1.0
	for _, a := range asked {
		switch {
		case period == a && len(a) > 4:
			return exactPeriodFactor
		case period == a:
			best = max(best, exactYearFactor)
		case len(a) == 4 && (strings.HasPrefix(period, a) || strings.Contains(period, ".."+a)):
			best = max(best, inYearFactor)
		}
	}
	return best
}

// unit is one piece of a question's content: a term in the question's own
// language field, an entity id or a number.
type unit struct {
	field, term string
	idf         float64
	alts        []string // for an unknown word: known forms matched instead
}

// maxNear bounds the typo candidates of one word; words shorter than
// minFuzzyRunes get none (measured: short stems one edit away are other
// words too often, e.g. Kazakh халқы → халық).
const (
	maxNear       = 8
	maxScan       = 5000
	minFuzzyRunes = 6
)

// oneEditAway returns up to maxNear terms of the field within one edit of
// term that share its first two letters. It walks the dictionary under that
// prefix (at most maxScan terms) instead of building a Levenshtein
// automaton, which cost a quarter of all the allocations of the answer path.
func (d *dfReader) oneEditAway(field, term string) ([]string, error) {
	r := []rune(term)
	dict, err := d.r.FieldDictPrefix(field, []byte(string(r[:2])))
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var out []string
	for scanned := 0; len(out) < maxNear && scanned < maxScan; scanned++ {
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if e.Term != term && withinOneEdit(e.Term, term) {
			out = append(out, e.Term)
		}
	}
	return out, nil
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion or substitution of a letter.
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra
	}
	if len(ra)-len(rb) > 1 {
		return false
	}
	i, j, edits := 0, 0, 0
	for i < len(ra) && j < len(rb) {
		if ra[i] == rb[j] {
			i++
			j++
			continue
		}
		if edits++; edits > 1 {
			return false
		}
		if len(ra) == len(rb) {
			j++ // a substitution
		}
		i++ // else a deletion from the longer
	}
	return edits+(len(ra)-i) <= 1
}

// shorterKnown returns the longest prefix of term, one to three letters
// shorter and at least four letters long, that the field holds, or "".
func (d *dfReader) shorterKnown(field, term string) (string, error) {
	r := []rune(term)
	for n := len(r) - 1; n >= max(4, len(r)-3); n-- {
		df, err := d.df(field, string(r[:n]))
		if err != nil {
			return "", err
		}
		if df > 0 {
			return string(r[:n]), nil
		}
	}
	return "", nil
}

// plan is a question turned into a query, and the content units that
// coverage is measured on: entities and numbers, shared by every language,
// and the terms of the question in each language it may be written in.
type plan struct {
	query   query.Query
	shared  []unit
	terms   map[knowledge.Lang][]unit
	years   []string // years the question names
	periods []string // periods it names, most specific first
	broad   bool     // the question only names entities
	ids     []string // entities the question names
}

// names reports whether any of ids is an entity the question names.
func (p plan) names(ids []string) bool {
	for _, id := range ids {
		if slices.Contains(p.ids, id) {
			return true
		}
	}
	return false
}

func (p plan) empty() bool {
	if len(p.shared) > 0 {
		return false
	}
	for _, us := range p.terms {
		if len(us) > 0 {
			return false
		}
	}
	return true
}

// Search answers q from the index. It never parses query syntax: the
// question is analysed and turned into term queries, so no user text can make
// a wildcard, regexp, field or range query, or a syntax error.
func (ix *Index) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	text := cleanQuestion(q.Text)
	qlang, sure := knowledge.Detect(text, q.Hint)
	res := knowledge.Result{Question: text, Lang: qlang}
	if q.Lang.Valid() {
		res.Lang = q.Lang
	}
	size := q.Size
	if size <= 0 {
		size = DefaultSize
	}
	size = min(size, maxSize)

	dfs, err := ix.newDFReader()
	if err != nil {
		return res, fmt.Errorf("search %q: %w", truncate(text, 60), err)
	}
	p, err := ix.plan(dfs, text, qlang)
	dfs.Close()
	if err != nil {
		return res, err
	}
	if p.empty() {
		res.Why = "no searchable words in the question"
		return res, nil
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	ctx = context.WithValue(ctx, search.MaxTermSearchersKey, maxTermSearchers)
	sr, err := ix.searchWithLocations(ctx, p.query)
	if err != nil {
		return res, fmt.Errorf("search %q: %w", truncate(text, 60), err)
	}
	// When neither the script nor the words decided between two languages
	// of one script, the language the best hit matched in decides.
	if !sure && !q.Lang.Valid() && len(sr.Hits) > 0 {
		if _, l := p.coverage(sr.Hits[0]); l != "" {
			res.Lang = l
		}
	}
	hits := ix.rank(sr, p, res.Lang)
	if len(hits) > size {
		hits = hits[:size]
	}
	res.Hits = hits
	switch {
	case len(hits) == 0:
		res.Why = "nothing matched"
	case !answers(hits[0]):
		res.Why = fmt.Sprintf("best hit %s covers %.2f of the question (specificity %.2f), too little", hits[0].ID, hits[0].Coverage, hits[0].Specificity)
	default:
		res.Answered = true
	}
	return res, nil
}

// answers is the "no answer" rule.
func answers(h knowledge.Hit) bool {
	switch {
	case h.Specificity < MinAnySpecificity:
		return false
	case h.Kind == knowledge.KindPassage:
		// Passages are long and gather chance matches: only coverage counts.
		return h.Coverage >= MinCoverage
	}
	return h.Coverage >= MinCoverage || h.Coverage >= MinPartialCoverage && h.Specificity >= MinSpecificity
}

// searchWithLocations finds the best candidates and which terms each
// matched. Term locations cost a read of term vectors for every matching
// posting, so in a large index the first pass scores without them and the
// second asks for them on the candidates alone; in a small one a single pass
// is cheaper.
func (ix *Index) searchWithLocations(ctx context.Context, q query.Query) (*bleve.SearchResult, error) {
	if !ix.twoPass {
		req := bleve.NewSearchRequestOptions(q, maxSize, 0, false)
		req.IncludeLocations = true
		return ix.idx.SearchInContext(ctx, req)
	}
	first, err := ix.idx.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, maxSize, 0, false))
	if err != nil || len(first.Hits) == 0 {
		return first, err
	}
	ids := make([]string, len(first.Hits))
	for i, h := range first.Hits {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), q}), maxSize, 0, false)
	req.IncludeLocations = true
	second, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	// Keep the first pass's scores: the doc-id clause adds to the second's.
	locs := make(map[string]search.FieldTermLocationMap, len(second.Hits))
	for _, h := range second.Hits {
		locs[h.ID] = h.Locations
	}
	for _, h := range first.Hits {
		h.Locations = locs[h.ID]
	}
	return first, nil
}

// coverage is the largest share of the question's content, weighted by idf,
// that a hit matched, over the languages the question may be in; it also
// returns that language.
func (p plan) coverage(dm *search.DocumentMatch) (float64, knowledge.Lang) {
	c, l, _ := p.match(dm)
	return c, l
}

// match is coverage that also returns the idf mass the hit matched, in the
// language that gave the best coverage.
func (p plan) match(dm *search.DocumentMatch) (float64, knowledge.Lang, float64) {
	var shared, sharedTotal float64
	for _, u := range p.shared {
		sharedTotal += u.idf
		if matched(dm.Locations[u.field], u) {
			shared += u.idf
		}
	}
	best, bestLang, bestGot := 0.0, knowledge.Lang(""), 0.0
	hasTerms := false
	for _, us := range p.terms {
		hasTerms = hasTerms || len(us) > 0
	}
	if !hasTerms {
		// Only names and numbers: they are the whole question.
		if sharedTotal > 0 {
			best = shared / sharedTotal
		}
		return best, "", shared
	}
	for _, l := range knowledge.Langs {
		us, ok := p.terms[l]
		if !ok {
			continue
		}
		got, total := shared, sharedTotal
		for _, u := range us {
			total += u.idf
			if matched(dm.Locations[u.field], u) {
				got += u.idf
			}
		}
		// A reading with no words of its own ("when and where was CIFTIS
		// 2024" in English) is judged on the names and numbers alone.
		if total > 0 && (got/total > best || bestLang == "" && got/total == best) {
			best, bestLang, bestGot = got/total, l, got
		}
	}
	return best, bestLang, bestGot
}

// cleanQuestion drops control characters, folds white space and caps the
// length, so that nothing a user types costs more than a short question.
func cleanQuestion(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > MaxQuestionRunes {
		s = string(r[:MaxQuestionRunes])
	}
	return s
}

// fieldsFor returns the language fields worth querying for text: those
// written in the scripts it uses, the question's language first.
func fieldsFor(text string, lang knowledge.Lang) []knowledge.Lang {
	var han, cyr, lat bool
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han = true
		case unicode.Is(unicode.Cyrillic, r):
			cyr = true
		case unicode.Is(unicode.Latin, r):
			lat = true
		}
	}
	out := []knowledge.Lang{lang}
	add := func(ok bool, ls ...knowledge.Lang) {
		for _, l := range ls {
			if ok && l != lang {
				out = append(out, l)
			}
		}
	}
	add(han, knowledge.ZH)
	add(cyr, knowledge.RU, knowledge.KK)
	add(lat, knowledge.EN, knowledge.FR)
	return out
}

// sameScript lists the languages written in lang's script: a question's
// terms are weighed in each, since "4.700 entreprises" has no word that tells
// French from English.
func sameScript(lang knowledge.Lang) []knowledge.Lang {
	switch lang {
	case knowledge.EN, knowledge.FR:
		return []knowledge.Lang{knowledge.EN, knowledge.FR}
	case knowledge.RU, knowledge.KK:
		return []knowledge.Lang{knowledge.RU, knowledge.KK}
	}
	return []knowledge.Lang{lang}
}

// plan turns a question into a disjunction of term queries over the language
// fields, the entities its names resolve to and its numbers, and lists the
// content units that coverage is measured on.
func (ix *Index) plan(dfs *dfReader, text string, lang knowledge.Lang) (plan, error) {
	p := plan{terms: map[knowledge.Lang][]unit{}, periods: knowledge.Periods(text)}
	var clauses []clause
	matches := ix.matcher.Find(text)
	candidates := sameScript(lang)
	for i, l := range fieldsFor(text, lang) {
		field := textField(l)
		analyzer := analyzerName(l, ix.opts.Kazakh, true)
		input := text
		if l == knowledge.ZH {
			input = chineseReplacer.Replace(text)
		}
		terms, err := ix.analyze(analyzer, input)
		if err != nil {
			return p, err
		}
		// Words that name an entity are counted once, as the entity;
		// month names say when, which the as-of period answers.
		aliasTerms := map[string]bool{}
		for _, m := range matches {
			ts, _ := ix.analyze(analyzer, text[m.Start:m.End])
			for _, t := range ts {
				aliasTerms[t] = true
			}
		}
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if knowledge.IsPeriodWord(w) {
				ts, _ := ix.analyze(analyzer, w)
				for _, t := range ts {
					aliasTerms[t] = true
				}
			}
		}
		boost := 1.0
		if i > 0 {
			boost = boostOther
		}
		unitsWanted := slices.Contains(candidates, l)
		if unitsWanted {
			p.terms[l] = []unit{}
		}
		fuzzy := 0
		for _, t := range terms {
			df, err := dfs.df(field, t)
			if err != nil {
				return p, fmt.Errorf("look up %q in %s: %w", t, field, err)
			}
			tq := query.NewTermQuery(t)
			tq.SetField(field)
			tq.SetBoost(boost)
			clauses = append(clauses, clause{tq, field, t, df})
			if !unitsWanted || aliasTerms[t] || isNumber([]byte(t)) {
				continue
			}
			u := unit{field: field, term: t, idf: ix.idf(df)}
			if df == 0 && l != knowledge.ZH {
				// An inflection the stemmer missed ("opèrent" beside
				// "opéraient" → "oper"): try the word's own shorter
				// prefixes, as exact terms, down to four letters.
				if alt, err := dfs.shorterKnown(field, t); err != nil {
					return p, err
				} else if alt != "" {
					aq := query.NewTermQuery(alt)
					aq.SetField(field)
					aq.SetBoost(boost * 0.7)
					clauses = append(clauses, clause{aq, field, alt, 0})
					u.alts = []string{alt}
				}
			}
			if df == 0 && len(u.alts) == 0 && utf8.RuneCountInString(t) >= minFuzzyRunes && fuzzy < MaxFuzzyTerms && l != knowledge.ZH {
				// Perhaps a typo: the words of the field one edit away,
				// keeping the first letter, as exact terms.
				near, err := dfs.oneEditAway(field, t)
				if err != nil {
					return p, err
				}
				for _, n := range near {
					nq := query.NewTermQuery(n)
					nq.SetField(field)
					nq.SetBoost(boost * 0.5)
					clauses = append(clauses, clause{nq, field, n, 0})
				}
				u.alts = near
				fuzzy++
			}
			p.terms[l] = append(p.terms[l], u)
		}
	}
	seen := map[string]bool{}
	for _, m := range matches {
		if seen[m.ID] {
			continue
		}
		seen[m.ID] = true
		p.ids = append(p.ids, m.ID)
		df, err := dfs.df(fieldEntities, m.ID)
		if err != nil {
			return p, err
		}
		tq := query.NewTermQuery(m.ID)
		tq.SetField(fieldEntities)
		tq.SetBoost(boostEntity)
		clauses = append(clauses, clause{tq, fieldEntities, m.ID, df})
		p.shared = append(p.shared, unit{field: fieldEntities, term: m.ID, idf: ix.idf(df)})
	}
	for _, n := range knowledge.Numbers(text) {
		if len(n) == 4 && n >= "1990" && n <= "2099" {
			p.years = append(p.years, n)
		}
		df, err := dfs.df(fieldNums, n)
		if err != nil {
			return p, err
		}
		tq := query.NewTermQuery(n)
		tq.SetField(fieldNums)
		tq.SetBoost(boostNumber)
		clauses = append(clauses, clause{tq, fieldNums, n, df})
		p.shared = append(p.shared, unit{field: fieldNums, term: n, idf: ix.idf(df)})
	}
	// Broad: names and nothing else in the question's own language ("tell
	// me about Khorgos", "Хоргос туралы").
	p.broad = len(matches) > 0 && len(p.terms[lang]) == 0 && len(p.years) == 0
	clauses = p.withinBudget(clauses)
	qs := make([]query.Query, len(clauses))
	for i, c := range clauses {
		qs[i] = c.q
	}
	p.query = query.NewDisjunctionQuery(qs)
	if p.broad {
		// A fact matches a name in five language fields, a passage in one:
		// lift passages so that briefings reach the candidates at all.
		// Only passages in the question's language: facts are "all".
		inLang := query.NewTermQuery(string(lang))
		inLang.SetField(fieldLang)
		inLang.SetBoost(boostEntity * 2)
		p.query = query.NewBooleanQuery([]query.Query{p.query}, []query.Query{inLang}, nil)
	}
	if len(clauses) == 0 {
		p.query = query.NewMatchNoneQuery()
	}
	return p, nil
}

// clause is one query of a plan with the postings it will scan.
type clause struct {
	q           query.Query
	field, term string
	df          int
}

// PostingBudget bounds the postings one question may scan. Bleve scores a
// disjunction by walking every posting of every term, so in a large index a
// question full of common words ("Kazakhstan China trade 2024") would walk
// most of it. Over budget, the commonest terms, which carry the least
// information, are left out of the query and out of coverage. The curated
// base never reaches it.
const PostingBudget = 30_000

// withinBudget drops the clauses with the most postings until the rest fit
// the budget, always keeping the rarest one.
func (p *plan) withinBudget(cs []clause) []clause {
	total := 0
	for _, c := range cs {
		total += c.df
	}
	if total <= PostingBudget {
		return cs
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].df < cs[j].df })
	for len(cs) > 1 && total > PostingBudget {
		last := cs[len(cs)-1]
		total -= last.df
		cs = cs[:len(cs)-1]
		p.drop(last.field, last.term)
	}
	return cs
}

// drop removes a unit that is no longer queried, so it cannot count as missed.
func (p *plan) drop(field, term string) {
	keep := func(us []unit) []unit {
		out := us[:0]
		for _, u := range us {
			if u.field != field || u.term != term {
				out = append(out, u)
			}
		}
		return out
	}
	p.shared = keep(p.shared)
	for l, us := range p.terms {
		p.terms[l] = keep(us)
	}
}

// analyze returns the distinct terms analyzer makes of text, at most MaxTerms.
func (ix *Index) analyze(analyzer, text string) ([]string, error) {
	ts, err := ix.mapping.AnalyzeText(analyzer, []byte(text))
	if err != nil {
		return nil, fmt.Errorf("analyze with %s: %w", analyzer, err)
	}
	var terms []string
	seen := map[string]bool{}
	for _, t := range ts {
		s := string(t.Term)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		terms = append(terms, s)
		if len(terms) == MaxTerms {
			break
		}
	}
	return terms, nil
}

// idf is the BM25 inverse document frequency of a term in df documents.
func (ix *Index) idf(df int) float64 {
	n := ix.docs
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// rank resolves hits to knowledge objects, measures each one's coverage of
// the question and orders them by Bleve's score weighted by coverage.
func (ix *Index) rank(sr *bleve.SearchResult, p plan, lang knowledge.Lang) []knowledge.Hit {
	var hits []knowledge.Hit
	var weights []float64
	rare := ix.idf(1) // the idf of a word found in one document
	maxScore := sr.MaxScore
	if maxScore <= 0 {
		maxScore = 1
	}
	for _, dm := range sr.Hits {
		h, ok := ix.resolve(dm, lang)
		if !ok {
			continue
		}
		var got float64
		h.Coverage, _, got = p.match(dm)
		h.Specificity = got / rare
		w := math.Sqrt(dm.Score/maxScore) * (0.25 + h.Coverage)
		switch {
		case h.Kind == knowledge.KindPassage && p.broad && !h.Fallback:
			w *= broadPassageFactor
			if p.names(ix.matcher.IDs(passagePrefix(h.Document, h.Passage))) {
				w *= broadPassageFactor // the section is about what was asked
			}
		case h.Kind == knowledge.KindPassage:
			w *= passageFactor
		case h.Fact != nil:
			w *= periodFactor(h.Fact.Date, p.periods)
		}
		if h.Fallback {
			w *= 0.8
		}
		hits = append(hits, h)
		weights = append(weights, w)
	}
	idx := make([]int, len(hits))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return weights[idx[a]] > weights[idx[b]] })
	out := make([]knowledge.Hit, len(hits))
	for i, j := range idx {
		out[i] = hits[j]
		out[i].Score = weights[j]
	}
	return out
}

// matched reports whether a hit's term locations include the unit.
func matched(locs search.TermLocationMap, u unit) bool {
	if locs == nil {
		return false
	}
	if _, ok := locs[u.term]; ok {
		return true
	}
	for _, a := range u.alts {
		if _, ok := locs[a]; ok {
			return true
		}
	}
	return false
}

// resolve turns a Bleve hit into a knowledge.Hit in lang, with highlight marks.
func (ix *Index) resolve(dm *search.DocumentMatch, lang knowledge.Lang) (knowledge.Hit, bool) {
	if f := ix.base.Fact(dm.ID); f != nil {
		text, ok := f.Text.In(lang)
		l := lang
		if !ok {
			l = knowledge.EN
		}
		return knowledge.Hit{
			ID: f.ID, Kind: knowledge.KindFact, Lang: l, Text: text, Score: dm.Score,
			Fallback: !ok, Fact: f, Marks: marks(dm.Locations[textField(l)], 0, len(text)),
		}, true
	}
	if p := ix.base.Passage(dm.ID); p != nil {
		d := ix.base.Document(p.DocID)
		prefix := len(passagePrefix(d, p))
		return knowledge.Hit{
			ID: p.ID, Kind: knowledge.KindPassage, Lang: p.Lang, Text: p.Text, Score: dm.Score,
			Fallback: p.Lang != lang, Passage: p, Document: d,
			Marks: marks(dm.Locations[textField(p.Lang)], prefix, len(p.Text)),
		}, true
	}
	return knowledge.Hit{}, false
}

// marks turns term locations into sorted, merged byte spans of a text that
// starts at offset in the indexed field.
func marks(locs search.TermLocationMap, offset, n int) []knowledge.Span {
	var spans []knowledge.Span
	for _, ls := range locs {
		for _, l := range ls {
			s, e := int(l.Start)-offset, int(l.End)-offset
			if s >= 0 && e <= n && s < e {
				spans = append(spans, knowledge.Span{Start: s, End: e})
			}
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	out := spans[:0]
	for _, s := range spans {
		if len(out) > 0 && s.Start <= out[len(out)-1].End {
			out[len(out)-1].End = max(out[len(out)-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return out
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
