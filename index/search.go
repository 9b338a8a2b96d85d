package index

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"factbot/knowledge"
)

// Limits that keep any question cheap, whatever its text.
const (
	MaxQuestionRunes = 300 // longer questions are cut
	MaxTerms         = 32  // analysed terms per field
	DefaultSize      = 5
	maxSize          = 20
	searchTimeout    = 2 * time.Second
	maxTermSearchers = 2000
	// Candidates is how many hits Bleve gives the ranking; the facts of
	// the question's measure join them.
	Candidates = 20
	// maxMeasureCandidates bounds the facts one measure adds.
	maxMeasureCandidates = 40
	// commonShare: a term in more than this share of documents is left
	// out of the Bleve query (it would walk most postings and tell little)
	// but still counts in coverage.
	commonShare = 0.35
)

// Search answers q from the index. It never parses query syntax: the
// question is analysed and turned into term queries, so no user text can
// make a wildcard, regexp, field or range query, or a syntax error.
//
// The question is read for what it asks (knowledge.Intent: measures,
// entities, period, kind); Bleve finds candidates by its words, names,
// numbers and measures; the facts of its measure join them, so that a fact
// worded differently is not missed; the learnt model ranks them and says
// how sure it is, which sets the answer's tier.
func (ix *Index) Search(ctx context.Context, q knowledge.Query) (knowledge.Result, error) {
	text := cleanQuestion(q.Text)
	asked := q.Asked
	if asked.IsZero() {
		asked = time.Now()
	}
	qlang, sure := knowledge.Detect(text, q.Hint)
	res := knowledge.Result{Question: text, Lang: qlang, Tier: knowledge.TierNone}
	if q.Lang.Valid() {
		res.Lang = q.Lang
	}
	size := q.Size
	if size <= 0 {
		size = DefaultSize
	}
	size = min(size, maxSize)

	s, err := ix.sample(ctx, text, qlang, res.Lang, asked)
	if err != nil {
		return res, fmt.Errorf("search %q: %w", truncate(text, 60), err)
	}
	defer ix.release(s)
	res.Intent = s.q.intent
	res.Period = s.q.period
	if len(s.cands) == 0 {
		res.Why = "nothing matched"
		if s.empty {
			res.Why = "no searchable words in the question"
		}
		return res, nil
	}
	d := ix.model.decide(s)
	var order []*docInfo
	order, res.Series, d.tier = ix.present(s, d)
	// When neither the script nor the words decided between two languages
	// of one script, the language the best hit matched in decides.
	if !sure && !q.Lang.Valid() {
		if l := s.q.bestReading(s.cands[d.order[0]]); l >= 0 {
			res.Lang = knowledge.Langs[l]
		}
	}
	res.Confidence, res.Tier = d.confidence, d.tier
	res.Answered = d.tier == knowledge.TierAnswer
	prob := make(map[*docInfo]int, len(s.cands))
	for i, c := range s.cands {
		prob[c] = i
	}
	for r, c := range order[:min(size, len(order))] {
		h, ok := ix.resolve(c, res.Lang)
		if !ok {
			continue
		}
		if r == 0 {
			h.Marks = ix.marks(c, h.Text, h.Lang, s.q)
		}
		if i, ok := prob[c]; ok {
			h.Score = d.prob[i]
			h.Coverage = s.x[i][2]
		}
		res.Hits = append(res.Hits, h)
	}
	if d.tier == knowledge.TierNone {
		res.Why = fmt.Sprintf("best hits from %s have relevance %.2f and confidence %.2f (no answer below %.2f and %.2f)",
			res.Hits[0].ID, d.relevance, d.confidence, ix.model.Closest, ix.model.CloseConfidence)
	}
	if top := res.Hits[0].Fact; top != nil && d.tier != knowledge.TierNone {
		res.Newest = newestInstead(s.q.intent, top)
	}
	return res, nil
}

// present turns a decision into what the reply shows: the hits in order
// and, for a question about a series, the series. A series answer is the
// series of the question's measure (knowledge.Base.SeriesAnswer), and its
// hits are the facts of its points, newest first, ahead of the ranking's
// others; it is the answer unless the question names something — another
// country, say — that none of those facts names (a near miss: then it is
// no series, and the ranking's tier stands), or names no years and the
// ranking's first is a fact that tells the change itself (tellsChange).
func (ix *Index) present(s *sample, d decision) ([]*docInfo, []knowledge.Series, knowledge.Tier) {
	order := make([]*docInfo, len(d.order))
	for r, i := range d.order {
		order[r] = s.cands[i]
	}
	series := ix.base.SeriesAnswer(s.q.intent, s.q.period)
	if len(series) == 0 {
		if lead := ix.overviewLead(s.q); lead != nil {
			out := append(make([]*docInfo, 0, len(order)+1), lead)
			for _, di := range order {
				if di != lead {
					out = append(out, di)
				}
			}
			return out, nil, knowledge.TierAnswer
		}
		return order, nil, d.tier
	}
	var points []*docInfo
	seen := map[*docInfo]bool{}
	for _, sr := range series {
		for i := len(sr.Points) - 1; i >= 0; i-- {
			if di := ix.table.byID[sr.Points[i].Fact.ID]; di != nil && !seen[di] {
				seen[di] = true
				points = append(points, di)
			}
		}
	}
	// A question that names no years ("did trade grow 100 times?") may be
	// about a fact that tells a change itself, over a range of years or as
	// a multiple: when the ranking's first is one and no point of the
	// series, it is the answer, and no series.
	if top := order[0]; s.q.period.From == 0 && !seen[top] && tellsChange(top) {
		return order, nil, d.tier
	}
	sort.SliceStable(points, func(a, b int) bool { return points[a].to > points[b].to })
	for _, e := range s.q.entities {
		named := false
		for _, di := range points {
			named = named || di.hasEntity(e)
		}
		if !named {
			return order, nil, d.tier
		}
	}
	for _, di := range order {
		if !seen[di] {
			points = append(points, di)
		}
	}
	return points, series, knowledge.TierAnswer
}

// overviewLead is, for a question that asks for an overview of something
// ("tell me about Khorgos", "что такое Хоргос Гейтвей"), the first
// paragraph of the briefing section about it in the question's language:
// of the sections whose heading names every distinctive entity the
// question names, the one whose heading names fewest other distinctive
// entities, the first in the briefings on a tie. Nil when there is none,
// and for a question that asks for a figure of a period or how to do
// something. A briefing section is written as the overview of what its
// heading names, which no single fact is; the learnt ranking, fitted
// mostly on questions about figures, put such paragraphs under the facts.
func (ix *Index) overviewLead(q *questionInfo) *docInfo {
	in := q.intent
	if in.Kind != knowledge.AskOverview || in.Practical || len(q.entities) == 0 || len(q.measures) > 0 && q.period.From > 0 {
		return nil
	}
	t := ix.table
	var best *docInfo
	bestExtra := 0
	for _, d := range t.sections[q.entities[0]] {
		if langIndex(d.passage.Lang) != q.lang {
			continue
		}
		all, extra := true, 0
		for _, e := range q.entities[1:] {
			all = all && slices.Contains(d.sectionEntities, e)
		}
		for _, e := range d.sectionEntities {
			if !t.ubiquitous[t.entities.names[e]] && !slices.Contains(q.entities, e) {
				extra++
			}
		}
		if all && (best == nil || extra < bestExtra) {
			best, bestExtra = d, extra
		}
	}
	return best
}

// newestInstead returns the fact's period when the question asked, in
// relative words, for a later year than the fact is about: "last year"
// asked in 2026 answered with 2024's figure, the newest there is.
func newestInstead(in knowledge.Intent, f *knowledge.Fact) string {
	p := in.Period
	switch p.Relative {
	case knowledge.RelLastYear, knowledge.RelThisYear, knowledge.RelYearBeforeLast:
	default:
		return ""
	}
	if fp := knowledge.PeriodOf(f.Date); fp.To > 0 && fp.To < p.From {
		return f.Date
	}
	return ""
}

// sample is one question with its candidates and their features: what the
// model ranks, at search time and when it is fitted.
type sample struct {
	q     *questionInfo
	cands []*docInfo
	x     [][]float64
	flat  *[]float64 // x's backing array, from Index.featureRows
	empty bool       // the question had nothing to search for
}

// release gives s's feature rows back for another search to reuse: Search
// calls it when done with s; the fit keeps its samples and never does.
func (ix *Index) release(s *sample) {
	if s.flat != nil {
		ix.featureRows.Put(s.flat)
		s.flat, s.x = nil, nil
	}
}

// sample reads the question, finds its candidates and computes their
// features. replyLang is the language the reply will be in.
func (ix *Index) sample(ctx context.Context, text string, qlang, replyLang knowledge.Lang, asked time.Time) (*sample, error) {
	qi, clauses, err := ix.understand(text, qlang, asked)
	if err != nil {
		return nil, err
	}
	s := &sample{q: qi}
	if len(clauses) == 0 && len(qi.intent.Measures) == 0 {
		s.empty = true
		return s, nil
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	hits, maxScore, err := ix.candidateHits(ctx, clauses)
	if err != nil {
		return nil, err
	}
	if maxScore <= 0 {
		maxScore = 1
	}
	// The Bleve hits come first, in their order; then the measure and
	// overview candidates they lack.
	s.cands = make([]*docInfo, len(hits), len(hits)+maxMeasureCandidates)
	for i, h := range hits {
		s.cands[i] = h.d
	}
	for _, d := range append(ix.measureCandidates(qi), ix.overviewCandidates(qi)...) {
		if !slices.Contains(s.cands, d) {
			s.cands = append(s.cands, d)
		}
	}
	reply := langIndex(replyLang)
	s.x = make([][]float64, len(s.cands))
	flat, _ := ix.featureRows.Get().(*[]float64)
	if flat == nil {
		flat = new([]float64)
	}
	if n := len(s.cands) * nFeatures; cap(*flat) < n {
		*flat = make([]float64, n)
	}
	s.flat = flat
	for i, d := range s.cands {
		s.x[i] = (*flat)[i*nFeatures : (i+1)*nFeatures : (i+1)*nFeatures]
		norm, rank := 0.0, -1
		if i < len(hits) {
			norm, rank = float64(float32(hits[i].score))/maxScore, i
		}
		qi.features(s.x[i], d, norm, rank, reply)
	}
	return s, nil
}

// measureCandidates are the facts of the question's first measures that fit
// its period: those that cover a year it asks about, or, when it asks for
// the newest or names no period, the measure's facts (the newest first).
func (ix *Index) measureCandidates(q *questionInfo) []*docInfo {
	var out []*docInfo
	for _, m := range q.intent.Measures[:min(2, len(q.intent.Measures))] {
		facts := ix.table.byMeasure[m]
		n := 0
		for i := len(facts) - 1; i >= 0 && n < maxMeasureCandidates; i-- {
			d := facts[i]
			if q.period.From > 0 && !(d.from <= q.period.To+1 && d.to >= q.period.From-1) && !d.newest {
				continue
			}
			out = append(out, d)
			n++
		}
	}
	return out
}

// overviewCandidates are, for a question that asks for an overview, the
// first paragraphs of the briefings whose title or heading names one of
// its distinctive entities, in the languages the question reads as.
func (ix *Index) overviewCandidates(q *questionInfo) []*docInfo {
	if q.intent.Kind != knowledge.AskOverview {
		return nil
	}
	var out []*docInfo
	for _, e := range q.entities {
		for _, d := range ix.table.leads[e] {
			if l := langIndex(d.passage.Lang); l == q.lang || slices.Contains(q.readings, l) {
				out = append(out, d)
			}
		}
	}
	return out
}

// understand turns a question into what the features read and the terms
// that find candidates by its words (candidateHits); none when it has no
// searchable word, name or number.
func (ix *Index) understand(text string, qlang knowledge.Lang, asked time.Time) (*questionInfo, []clause, error) {
	intent := ix.base.Understand(text, asked)
	qi := &questionInfo{intent: intent, period: ix.resolvePeriod(intent, asked), lang: langIndex(qlang), rare: ix.idf(1)}
	for _, l := range sameScript(qlang) {
		qi.readings = append(qi.readings, langIndex(l))
	}
	var clauses []clause
	addTerm := func(field, term string, boost float64, df int) {
		clauses = append(clauses, clause{field, term, boost, df})
	}
	// Words that name an entity or a measure count once, as it; month
	// and period words say when, which the as-of period answers, and the
	// words that named a relative period ("last year", "в прошлом году")
	// are not searched for at all: a fact that happens to say "30 years"
	// must not match them. Spans are byte ranges of text.
	var named, when []span
	if intent.Question == text {
		for _, m := range intent.EntityMatches {
			named = append(named, span{m.Start, m.End})
		}
		for _, m := range intent.MeasureMatches {
			named = append(named, span{m.Start, m.End})
		}
	} else {
		for _, m := range ix.matcher.Find(text) {
			named = append(named, span{m.Start, m.End})
		}
	}
	if said := intent.Period.Said; said != "" {
		if i := strings.Index(text, said); i >= 0 {
			when = append(when, span{i, i + len(said)})
		}
	}
	if intent.Period.Kind == knowledge.PeriodPart {
		for _, s := range knowledge.PartOfYearSpans(text) {
			when = append(when, span{s[0], s[1]})
		}
	}
	// A year written in two digits ("в 23 году") is searched as the year
	// it stands for, never as the number 23.
	numText := text
	if len(intent.ShortYears) > 0 && intent.Question == text {
		b := []byte(text)
		for _, y := range intent.ShortYears {
			when = append(when, span{y.Start, y.End})
			for i := y.Start; i < y.End; i++ {
				b[i] = ' '
			}
			n := strconv.Itoa(y.Year)
			addTerm(fieldNums, n, boostNumber, ix.table.nums.docs(n))
		}
		numText = string(b)
	}
	for i, l := range fieldsFor(text, qlang) {
		li := langIndex(l)
		dict := ix.table.dicts[li]
		input := text
		if l == knowledge.ZH {
			input = chineseReplacer.Replace(text) // same length: offsets stay true
		}
		tokens, err := ix.mapping.AnalyzeText(analyzerName(l, ix.opts.Kazakh, true), []byte(input))
		if err != nil {
			return nil, nil, fmt.Errorf("analyze with %s: %w", analyzerName(l, ix.opts.Kazakh, true), err)
		}
		terms := make([]string, 0, len(tokens))
		skip := map[string]bool{}
		for _, t := range tokens {
			term := string(t.Term)
			if term == "" {
				continue
			}
			switch {
			case within(when, t.Start, t.End):
				continue
			case within(named, t.Start, t.End):
				skip[term] = true
			case l != knowledge.ZH && knowledge.IsPeriodWord(text[t.Start:t.End]):
				continue
			}
			if !slices.Contains(terms, term) && len(terms) < MaxTerms {
				terms = append(terms, term)
			}
		}
		boost := 1.0
		if i > 0 {
			boost = boostOther
		}
		reading := slices.Contains(qi.readings, li)
		for _, t := range terms {
			id, df, ok := dict.lookup(t)
			if ok {
				qi.marked[li] = append(qi.marked[li], id)
			}
			if !isNumber([]byte(t)) {
				qi.nwords[li]++
				if ok {
					qi.words[li] = append(qi.words[li], id)
				}
			}
			if ok && float64(df) <= commonShare*ix.docs {
				addTerm(textField(l), t, boost, df)
			}
			if !reading || skip[t] || isNumber([]byte(t)) {
				continue
			}
			u := unit{lang: li, id: id, ok: ok, idf: ix.idf(df), kind: unitTerm}
			if !ok && l != knowledge.ZH {
				u.alts = dict.near(t)
				qi.marked[li] = append(qi.marked[li], u.alts...)
				for _, a := range u.alts {
					addTerm(textField(l), dict.terms[a], boost*0.5, dict.df[a])
				}
			}
			qi.terms[li] = append(qi.terms[li], u)
		}
	}
	t := ix.table
	for _, e := range intent.Entities {
		qi.partnerOnly = qi.partnerOnly || t.partners[e]
		es := t.entities.lookup(e)
		qi.allEntities = append(qi.allEntities, es)
		if !t.ubiquitous[e] {
			qi.entities = append(qi.entities, es)
			addTerm(fieldEntities, e, boostEntity, t.entities.docs(e))
		}
		qi.shared = append(qi.shared, unit{lang: -1, kind: unitEntity, sym: es, idf: ix.idf(t.entities.docs(e))})
	}
	qi.partnerNotChina = qi.partnerOnly && !slices.Contains(intent.Entities, "china")
	qi.partnerOnly = qi.partnerOnly && !slices.Contains(intent.Entities, "kazakhstan")
	for _, n := range knowledge.Numbers(numText) {
		addTerm(fieldNums, n, boostNumber, t.nums.docs(n))
		if len(n) == 4 && n >= "1990" && n <= "2099" {
			continue // a year: the period features weigh it
		}
		ns := t.nums.lookup(n)
		qi.numbers = append(qi.numbers, ns)
		qi.shared = append(qi.shared, unit{lang: -1, kind: unitNumber, sym: ns, idf: ix.idf(t.nums.docs(n))})
	}
	for _, m := range intent.Measures {
		addTerm(fieldMeasures, m, boostMeasure, t.measures.docs(m))
		ms := t.measures.lookup(m)
		qi.measures = append(qi.measures, ms)
		qi.shared = append(qi.shared, unit{lang: -1, kind: unitMeasure, sym: ms, idf: ix.idf(len(t.byMeasure[m]))})
	}
	return qi, withinBudget(clauses), nil
}

// PostingBudget bounds the postings one question's candidate search may
// walk. Bleve scores a disjunction by walking every posting of every term,
// so in a large index a question of common words would walk most of it.
// Over budget, the commonest terms are left out of the Bleve query; they
// still count in the features. The curated base never reaches it.
const PostingBudget = 30_000

// withinBudget drops the clauses with the most postings until the rest fit
// the budget, always keeping the rarest one.
func withinBudget(cs []clause) []clause {
	total := 0
	for _, c := range cs {
		total += c.df
	}
	if total <= PostingBudget {
		return cs
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].df < cs[j].df })
	for len(cs) > 1 && total > PostingBudget {
		total -= cs[len(cs)-1].df
		cs = cs[:len(cs)-1]
	}
	return cs
}

// resolvePeriod makes the question's period concrete: "latest" is the
// newest period of its measure (knowledge.Base.ResolvePeriod), and a
// relative year the base has no figure of that measure for ("last year",
// asked before the year's figures are out) becomes the newest year before
// it that has one, the answer saying so (Result.Newest).
func (ix *Index) resolvePeriod(in knowledge.Intent, asked time.Time) knowledge.Period {
	p := ix.base.ResolvePeriodAsOf(in, asked)
	switch p.Relative {
	case knowledge.RelLastYear, knowledge.RelThisYear, knowledge.RelYearBeforeLast:
	default:
		return p
	}
	if len(in.Measures) == 0 || p.From == 0 {
		return p
	}
	latest := knowledge.PeriodOf(ix.base.LatestPeriod(in.Measures[0]))
	if latest.From == 0 || latest.To >= p.From {
		return p // there are figures for the year asked, or none at all
	}
	latest.Relative, latest.Said = p.Relative, p.Said
	return latest
}

// span is a byte range [start, end) of a question.
type span struct{ start, end int }

// within reports whether [start, end) lies inside one of spans.
func within(spans []span, start, end int) bool {
	for _, s := range spans {
		if start >= s.start && end <= s.end {
			return true
		}
	}
	return false
}

// Query boosts of the language-neutral fields and of the other languages'
// fields. Bleve's score is one feature among many; these only shape which
// candidates it finds.
const (
	boostOther   = 0.5
	boostEntity  = 1.5
	boostNumber  = 1.5
	boostMeasure = 1.5
)

// bestReading returns the language field whose words of the question d
// holds the largest share of (names and measure words included, numbers
// not, since every language writes them alike), or -1.
func (q *questionInfo) bestReading(d *docInfo) int {
	best, bestL := 0.0, -1
	for _, l := range q.readings {
		if q.nwords[l] == 0 {
			continue
		}
		n := 0
		for _, id := range q.words[l] {
			if d.has(l, id) {
				n++
			}
		}
		if c := float64(n) / float64(q.nwords[l]); c > best {
			best, bestL = c, l
		}
	}
	return bestL
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
			if ok && !slices.Contains(out, l) {
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

// analyze returns the distinct terms analyzer makes of text, at most limit
// (0: all).
func (ix *Index) analyze(analyzer, text string, limit int) ([]string, error) {
	ts, err := ix.tokens(analyzer, text)
	if err != nil {
		return nil, err
	}
	return distinctTerms(ts, limit), nil
}

// tokens returns the tokens analyzer makes of text.
func (ix *Index) tokens(analyzer, text string) (analysis.TokenStream, error) {
	ts, err := ix.mapping.AnalyzeText(analyzer, []byte(text))
	if err != nil {
		return nil, fmt.Errorf("analyze with %s: %w", analyzer, err)
	}
	return ts, nil
}

// distinctTerms returns the distinct non-empty terms of ts in order, at
// most limit (0: all).
func distinctTerms(ts analysis.TokenStream, limit int) []string {
	terms := make([]string, 0, len(ts))
	for _, t := range ts {
		s := string(t.Term)
		if s == "" || slices.Contains(terms, s) {
			continue
		}
		terms = append(terms, s)
		if len(terms) == limit {
			break
		}
	}
	return terms
}

// idf is the BM25 inverse document frequency of a term in df documents.
func (ix *Index) idf(df int) float64 {
	n := ix.docs
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// resolve turns a candidate into a knowledge.Hit in lang.
func (ix *Index) resolve(d *docInfo, lang knowledge.Lang) (knowledge.Hit, bool) {
	if f := d.fact; f != nil {
		text, ok := f.Text.In(lang)
		l := lang
		if !ok {
			l = knowledge.EN
		}
		return knowledge.Hit{
			ID: f.ID, Kind: knowledge.KindFact, Lang: l, Text: text,
			Fallback: !ok, Fact: f,
		}, true
	}
	if p := d.passage; p != nil {
		return knowledge.Hit{
			ID: p.ID, Kind: knowledge.KindPassage, Lang: p.Lang, Text: p.Text,
			Fallback: p.Lang != lang, Passage: p, Document: d.document,
		}, true
	}
	return knowledge.Hit{}, false
}

// marks returns the sorted, merged byte spans of text, d's text in l,
// whose terms the question holds. A fact's tokens were kept when the index
// was built; a passage's text is analysed here.
func (ix *Index) marks(d *docInfo, text string, l knowledge.Lang, q *questionInfo) []knowledge.Span {
	li := langIndex(l)
	want := q.marked[li]
	if len(want) == 0 {
		return nil
	}
	var spans []knowledge.Span
	if toks := ix.table.toks[d]; toks != nil {
		for _, t := range toks[li] {
			if slices.Contains(want, t.id) {
				spans = append(spans, knowledge.Span{Start: int(t.start), End: int(t.end)})
			}
		}
	} else {
		ts, err := ix.mapping.AnalyzeText(analyzerName(l, ix.opts.Kazakh, false), []byte(text))
		if err != nil {
			return nil
		}
		for _, t := range ts {
			if id, _, ok := ix.table.dicts[li].lookup(string(t.Term)); ok && slices.Contains(want, id) {
				spans = append(spans, knowledge.Span{Start: t.Start, End: t.End})
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
