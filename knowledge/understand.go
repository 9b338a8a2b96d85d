package knowledge

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxQuestionBytes bounds the part of a question Understand reads; the rest
// is ignored. No question is that long, and the bound keeps hostile input
// cheap.
const MaxQuestionBytes = 2048

// Intent is what a question asks, as far as words tell: which measures and
// entities it names, for what time, and what kind of answer it wants. It is
// the input of ranking; it holds no search results.
type Intent struct {
	// Question is the question as read (at most MaxQuestionBytes of it).
	Question string
	// Lang is the question's language (DetectLang without a hint), and
	// LangSure whether the text itself decided it.
	Lang     Lang
	LangSure bool
	// Measures are the ids of the measures the question names, best first:
	// the one named by the most specific words (rarest in the base's facts)
	// first, then by order of appearance. A measure that Refines others is
	// put before them.
	Measures []string
	// MeasureMatches are the words that named them, in order of appearance.
	MeasureMatches []MeasureMatch
	// Entities are the alias ids the question names, in order of appearance,
	// each once.
	Entities []string
	// EntityMatches are where it names them, with byte offsets in Question:
	// what a Matcher of the base's aliases finds in it.
	EntityMatches []AliasMatch
	// Period is the time the question asks about.
	Period Period
	// Kind is the kind of answer the question wants.
	Kind QuestionKind
	// Practical is set when the question asks how to do something (get a
	// visa, open an account), for opening hours or a schedule, or for a
	// price now: what a base of sourced figures does not hold.
	Practical bool
	// ShortYears are the years the question writes in two digits ("в 23
	// году", "'23", "FY23", "2022/23"): which year, and where in Question.
	ShortYears []ShortYear
	// Content are the question's remaining words, folded (see Fold), once
	// each, in order: what is left after removing question and filler words,
	// period words, and the words of measures and entities. Chinese comes
	// as runs of characters between function characters.
	Content []string
}

// ShortYear is a year written in two digits, at bytes Start to End of a
// question.
type ShortYear struct {
	Year       int
	Start, End int
}

// MeasureMatch is one mention of a measure in a question.
type MeasureMatch struct {
	ID string
	// Start and End are the byte offsets of the words in Intent.Question.
	Start, End int
	// Weight is how specific the words are: the inverse document frequency
	// of the word or phrase among the base's facts, ln(1 + N/(1+df)), where
	// a word no fact uses counts as used by each fact of its measure; halved
	// for a typo.
	Weight float64
	// Typo is set when the words are one edit away from a thesaurus word
	// ("investmnet"), not the word itself.
	Typo bool
}

// QuestionKind is the kind of answer a question wants.
type QuestionKind string

// The kinds of question. A question that names two distinct years with a
// trend or compare word is a trend or a comparison; one that names only a
// numeric measure and nothing else about what it wants asks for a value.
const (
	AskValue    QuestionKind = "value"    // how much, how many, сколько, қанша, 多少, combien
	AskWhen     QuestionKind = "when"     // when, когда, қашан, 什么时候, quand
	AskWhere    QuestionKind = "where"    // where, где, қайда, 哪里, où
	AskWho      QuestionKind = "who"      // who, which company, кто, кім, 谁, qui
	AskTrend    QuestionKind = "trend"    // growth over years, dynamics, по годам, 历年, évolution
	AskCompare  QuestionKind = "compare"  // compare 2013 and 2023, vs, чем в, 比, par rapport à
	AskOverview QuestionKind = "overview" // tell me about, расскажи о, туралы айтып бер, 介绍, parle-moi de
	AskUnknown  QuestionKind = "unknown"
)

// PeriodKind says what sort of time a question asks about.
type PeriodKind string

// The kinds of Period.
const (
	PeriodNone   PeriodKind = ""
	PeriodYear   PeriodKind = "year"   // one year: "in 2023", "last year"
	PeriodPart   PeriodKind = "part"   // part of one year: months, a quarter, a half
	PeriodRange  PeriodKind = "range"  // a run of years: "2013–2023", "since 2015"
	PeriodYears  PeriodKind = "years"  // separate years: "2013 and 2023"
	PeriodLatest PeriodKind = "latest" // the newest there is: "latest", "now", "сейчас"
)

// Relative says how a period was named relative to the day asked.
type Relative string

// The relative periods.
const (
	RelNone           Relative = ""
	RelLastYear       Relative = "last-year"        // last year, в прошлом году, былтыр, 去年, l'an dernier
	RelThisYear       Relative = "this-year"        // this year, в этом году, биыл, 今年, cette année
	RelYearBeforeLast Relative = "year-before-last" // в позапрошлом году, 前年
	RelLatest         Relative = "latest"           // latest, now, сейчас, соңғы, 最新, actuellement
	RelRecentYears    Relative = "recent-years"     // the last five years, за последние 5 лет, 近五年
	RelSince          Relative = "since"            // since 2015, с 2015 года, 2015 жылдан бері, 2015年以来
)

// Period is the time a question asks about. Relative periods are resolved
// against the day asked: "last year" asked in 2025 is 2024, "since 2015" is
// 2015..2025. "Latest" is left for the ranking, which knows the measure:
// Base.ResolvePeriod fills it in.
type Period struct {
	Kind PeriodKind
	// Value is the period in Fact.Date's format: "2023", "2023-H1",
	// "2024-Q1", "2020-01..2020-04", "2019..2023"; "" for none, for
	// separate years and for an unresolved latest.
	Value string
	// From and To are the first and last year covered, 0 when none.
	From, To int
	// Years are the distinct years the question names, ascending.
	Years []int
	// Relative says how the period was named, Said in which words, as
	// typed, so that a reply can say "the latest figure I have is for 2024".
	Relative Relative
	Said     string
	// Open is set for "since 2015": To is the year the question was asked.
	Open bool
}

// Understander turns questions into Intents for one base. It is built once
// per base (Base.Understand builds and keeps one) and is safe for concurrent
// use.
type Understander struct {
	measures []*Measure
	numeric  []bool
	lex      *lexicon  // thesaurus words; tag = index in measures
	weights  []float64 // per lex entry
	refines  []refineRule
	cues     *lexicon // tag = cue
	aliases  *Matcher
}

type refineRule struct {
	measure  int
	from     []int
	entities []string
}

// NewUnderstander compiles the base's thesaurus, cues and aliases, and
// weighs each thesaurus word by how many of the base's facts use it.
func NewUnderstander(b *Base) *Understander {
	u := &Understander{lex: b.thesaurus, cues: newLexicon(), aliases: NewMatcher(b.Aliases)}
	if u.lex == nil {
		u.lex = compileThesaurus(b.Thesaurus)
	}
	index := map[string]int{}
	for i, m := range b.Thesaurus {
		index[m.ID] = i
		u.measures = append(u.measures, m)
		u.numeric = append(u.numeric, m.Numeric)
	}
	for i, m := range b.Thesaurus {
		if len(m.Refines.Measures) == 0 {
			continue
		}
		r := refineRule{measure: i, entities: m.Refines.Entities}
		for _, id := range m.Refines.Measures {
			if j, ok := index[id]; ok {
				r.from = append(r.from, j)
			}
		}
		u.refines = append(u.refines, r)
	}
	for _, c := range cueForms {
		for _, f := range strings.Split(c.forms, "|") {
			u.cues.add(f, int32(c.cue))
		}
	}
	u.cues.finish()
	u.weigh(b.Facts)
	return u
}

// weigh sets each thesaurus entry's weight from its document frequency
// among the facts, all languages together.
func (u *Understander) weigh(facts []*Fact) {
	perMeasure := make([]int, len(u.measures))
	index := map[string]int{}
	for i, m := range u.measures {
		index[m.ID] = i
	}
	for _, f := range facts {
		for _, id := range f.Measures {
			if i, ok := index[id]; ok {
				perMeasure[i]++
			}
		}
	}
	df := make([]int, len(u.lex.entries))
	last := make([]int, len(u.lex.entries))
	for i := range last {
		last[i] = -1
	}
	var hits []lexHit
	for fi, f := range facts {
		for _, lang := range Langs {
			norm := qfold(f.Text[lang])
			hits = u.lex.find(norm, words(norm), hits[:0])
			for _, h := range hits {
				if last[h.entry] != fi {
					last[h.entry] = fi
					df[h.entry]++
				}
			}
		}
	}
	// A word the facts never use (a colloquial form, a typo people make)
	// counts as common as its measure: as if each of its facts used it.
	n := float64(len(facts))
	u.weights = make([]float64, len(df))
	for i, d := range df {
		if d == 0 {
			d = perMeasure[u.lex.entries[i].tag]
		}
		u.weights[i] = math.Log(1 + n/float64(1+d))
	}
}

// Understand reads a question asked at the given time. It never fails:
// a question with nothing recognisable gives an Intent with only Lang,
// Content and Kind AskUnknown.
func (b *Base) Understand(question string, asked time.Time) Intent {
	return b.understanderFor().Understand(question, asked)
}

// understanderFor returns the base's understander, building it on first
// use.
func (b *Base) understanderFor() *Understander {
	if b.understander == nil {
		return NewUnderstander(b) // a base not built by Load or Rebuild
	}
	return b.understander.get(b)
}

// lazyUnderstander builds a base's understander once, on first use, so that
// loading a base does not pay for it.
type lazyUnderstander struct {
	once sync.Once
	u    *Understander
}

func (l *lazyUnderstander) get(b *Base) *Understander {
	l.once.Do(func() { l.u = NewUnderstander(b) })
	return l.u
}

// ResolvePeriod returns the intent's period with "latest" made concrete:
// the newest as-of period of the first of its measures that has one
// (LatestPeriod), keeping Relative and Said so that the reply can say so.
// Any other period is returned as it is.
func (b *Base) ResolvePeriod(in Intent) Period { return b.ResolvePeriodAsOf(in, time.Time{}) }

// ResolvePeriodAsOf is ResolvePeriod for a question asked on the given day:
// "latest" is the newest period over by then (LatestPeriodAsOf), and "this
// year" of a quantity, a year not yet over, is the newest part of it over
// by then ("trade this year", asked in June: the first quarter's figure),
// when the base has one.
func (b *Base) ResolvePeriodAsOf(in Intent, asked time.Time) Period {
	p := in.Period
	if p.Relative == RelThisYear && p.Kind == PeriodYear && !asked.IsZero() && len(in.Measures) > 0 && b.Numeric(in.Measures[0]) {
		if q := PeriodOf(b.LatestPeriodAsOf(in.Measures[0], asked)); q.Kind == PeriodPart && q.From == p.From {
			q.Relative, q.Said = p.Relative, p.Said
			return q
		}
	}
	if p.Kind != PeriodLatest {
		return p
	}
	for _, id := range in.Measures {
		if v := b.LatestPeriodAsOf(id, asked); v != "" {
			q := PeriodOf(v)
			q.Relative, q.Said = p.Relative, p.Said
			return q
		}
	}
	return p
}

// PeriodOf describes a period written as in Fact.Date ("2024", "2024-Q1",
// "2019..2023"). A malformed one gives a zero Period.
func PeriodOf(v string) Period {
	if !ValidPeriod(v) {
		return Period{}
	}
	from, _ := strconv.Atoi(v[:4])
	to := from
	if i := strings.Index(v, ".."); i >= 0 {
		to, _ = strconv.Atoi(v[i+2 : i+6])
	}
	switch {
	case from != to:
		return Period{Kind: PeriodRange, Value: v, From: from, To: to}
	case len(v) == 4:
		return Period{Kind: PeriodYear, Value: v, From: from, To: to}
	}
	return Period{Kind: PeriodPart, Value: v, From: from, To: to}
}

// question is the state of one call of Understand.
type question struct {
	u       *Understander
	text    string
	lower   string // lazily: strings.ToLower(text)
	norm    string
	offsets []int
	ws      []word
	mhits   []lexHit
	chits   []lexHit
	aliases []AliasMatch
	years   []yearAt
	used    []bool // words the period was read from
	covered []bool // bytes of norm inside a measure, cue or alias match
	asked   time.Time
}

type yearAt struct {
	y          int
	w          int // word index
	start, end int // bytes in norm
	short      bool
}

// Understand reads a question asked at the given time; see Base.Understand.
func (u *Understander) Understand(text string, asked time.Time) Intent {
	if len(text) > MaxQuestionBytes {
		cut := MaxQuestionBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	q := question{u: u, text: text, asked: asked}
	norm, offsets := fold(text, true)
	// Aliases are matched on the plain fold, the lexicons on the question
	// fold: the same offsets and word boundaries, other letters.
	q.offsets = offsets
	q.norm = questionFold(norm)
	q.ws = words(q.norm)
	q.used = make([]bool, len(q.ws))
	q.mhits = u.lex.find(q.norm, q.ws, nil)
	q.chits = u.cues.find(q.norm, q.ws, nil)
	plain := q.ws
	if q.norm != norm {
		plain = words(norm)
	}
	q.aliases = u.aliases.findFolded(norm, plain, func(i int) int { return i }, nil)
	q.findYears()
	q.covered = make([]bool, len(q.norm))
	q.cover(q.mhits)
	q.cover(q.chits)
	for _, a := range q.aliases {
		q.coverSpan(a.Start, a.End)
	}
	q.typos()

	in := Intent{Question: text}
	in.Lang, in.LangSure = Detect(text, "")
	in.Entities = q.entities()
	if len(q.aliases) > 0 {
		in.EntityMatches = make([]AliasMatch, len(q.aliases))
		for i, a := range q.aliases {
			in.EntityMatches[i] = AliasMatch{ID: a.ID, Start: offsets[a.Start], End: offsets[a.End]}
		}
	}
	in.Measures, in.MeasureMatches = q.measures(in.Entities)
	in.Period = q.period()
	for _, y := range q.years {
		if y.short {
			in.ShortYears = append(in.ShortYears, ShortYear{Year: y.y, Start: offsets[y.start], End: offsets[y.end]})
		}
	}
	in.Kind = q.kind(in)
	in.Practical = q.practical()
	in.Content = q.content()
	return in
}

// questionWordWeight scales the weight of a measure named inside a
// question cue: "company" in "which company will build the plant" says who
// is asked about, not what.
const questionWordWeight = 0.3

// inQuestionCue reports whether a measure match lies inside a who, when or
// where cue.
func (q *question) inQuestionCue(h lexHit) bool {
	for _, c := range q.chits {
		switch cue(c.tag) {
		case cueWho, cueWhen, cueWhere:
			if c.start <= h.start && h.end <= c.end {
				return true
			}
		}
	}
	return false
}

// typoWeight scales the weight of a measure found through a typo: the
// guess is less sure than a word as listed.
const typoWeight = 0.5

// maxTypoWords bounds the words one question has guessed at: a question
// has a few unknown long words, a flood of them is no question.
const maxTypoWords = 8

// typos looks for thesaurus words one edit away from the long words that
// nothing matched: "investmnet", "товарооборт", "comerce".
func (q *question) typos() {
	var buf []byte
	var ids []int32
	tried := 0
	for i, w := range q.ws {
		if utf8.RuneCountInString(w.w) < minFuzzyRunes || stopWords[w.w] || isDigits(w.w[:1]) || q.coveredByHit(w.start, w.end) {
			continue
		}
		if tried++; tried > maxTypoWords {
			return
		}
		if buf == nil {
			buf = make([]byte, 0, 64)
		}
		ids = q.u.lex.nearest(w.w, buf, ids[:0])
		for _, id := range ids {
			e := &q.u.lex.entries[id]
			q.mhits = append(q.mhits, lexHit{tag: e.tag, entry: id, w0: i, w1: i + 1, start: w.start, end: w.end, typo: true})
		}
	}
}

// cover marks the bytes of hits as covered.
func (q *question) cover(hits []lexHit) {
	for _, h := range hits {
		q.coverSpan(h.start, h.end)
	}
}

func (q *question) coverSpan(start, end int) {
	for i := max(start, 0); i < end && i < len(q.covered); i++ {
		q.covered[i] = true
	}
}

// coveredByHit reports whether any byte of [start, end) of the folded
// question is inside a measure, cue or alias match.
func (q *question) coveredByHit(start, end int) bool {
	for i := max(start, 0); i < end && i < len(q.covered); i++ {
		if q.covered[i] {
			return true
		}
	}
	return false
}

// entities lists the alias ids found, once each.
func (q *question) entities() []string {
	if len(q.aliases) == 0 {
		return nil
	}
	out := make([]string, 0, len(q.aliases))
	for _, a := range q.aliases {
		if !contains(out, a.ID) {
			out = append(out, a.ID)
		}
	}
	return out
}

// measures orders the measures found, best first, and lists the matches.
func (q *question) measures(entities []string) ([]string, []MeasureMatch) {
	if len(q.mhits) == 0 {
		return nil, nil // a refinement needs a measure to refine
	}
	type scored struct {
		m     int
		score float64
		pos   int
	}
	found := make([]scored, 0, len(q.mhits))
	matches := make([]MeasureMatch, 0, len(q.mhits))
	at := func(m int) int {
		for i := range found {
			if found[i].m == m {
				return i
			}
		}
		found = append(found, scored{m: m, score: -1, pos: math.MaxInt})
		return len(found) - 1
	}
	for _, h := range q.mhits {
		w := q.u.weights[h.entry]
		if h.typo {
			w *= typoWeight
		}
		if q.inQuestionCue(h) {
			w *= questionWordWeight
		}
		s := &found[at(int(h.tag))]
		s.score = math.Max(s.score, w)
		s.pos = min(s.pos, h.start)
		matches = append(matches, MeasureMatch{ID: q.u.measures[h.tag].ID, Start: q.offsets[h.start], End: q.offsets[h.end], Weight: w, Typo: h.typo})
	}
	slices.SortStableFunc(matches, func(a, b MeasureMatch) int { return a.Start - b.Start })
	for _, r := range q.u.refines {
		named := false
		for _, e := range r.entities {
			named = named || contains(entities, e)
		}
		if !named {
			continue
		}
		best := -1
		for i, f := range found {
			for _, m := range r.from {
				if f.m == m && (best < 0 || f.score > found[best].score) {
					best = i
				}
			}
		}
		if best < 0 {
			continue
		}
		score, pos := found[best].score+1e-6, found[best].pos
		s := &found[at(r.measure)]
		if s.score < score {
			s.score = score
		}
		s.pos = min(s.pos, pos)
	}
	slices.SortStableFunc(found, func(a, b scored) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case a.pos != b.pos:
			return a.pos - b.pos
		}
		return a.m - b.m
	})
	ids := make([]string, len(found))
	for i, f := range found {
		ids[i] = q.u.measures[f.m].ID
	}
	return ids, matches
}

// findYears finds the years named in the question: four digits from 1980 to
// 2099 standing alone ("2023", "2023年", "2023ж.", "2023-ші"), not part of a
// larger number ("2,023", "12023", "2023.5").
func (q *question) findYears() {
	for i, w := range q.ws {
		s := w.w
		if strings.HasPrefix(s, "fy") && len(s) > 2 && isDigits(s[2:]) { // "FY2023", "FY23"
			w.start += 2
			s = s[2:]
		}
		if y, ok := q.shortYear(i, s, w); ok {
			q.years = append(q.years, yearAt{y, i, w.start, w.start + 2, true})
			continue
		}
		if len(s) < 4 || !isDigits(s[:4]) || len(s) > 4 && (s[4] >= '0' && s[4] <= '9') {
			continue
		}
		y, _ := strconv.Atoi(s[:4])
		if y < 1980 || y > 2099 {
			continue
		}
		if len(s) > 4 && !yearSuffix(s[4:]) {
			continue
		}
		if w.start >= 2 && (q.norm[w.start-1] == '.' || q.norm[w.start-1] == ',') && isDigit(q.norm[w.start-2]) {
			continue
		}
		if w.end+1 < len(q.norm) && (q.norm[w.end] == '.' || q.norm[w.end] == ',') && isDigit(q.norm[w.end+1]) {
			continue
		}
		q.years = append(q.years, yearAt{y, i, w.start, w.start + 4, false})
	}
}

// shortYear reads word i, s, as a year written in two digits where nothing
// else can be meant: "23г", "в 23 году", "за 22 год", "'23", "FY23", and
// the second year of "2022/23" or "2022-23". The century is the one that
// puts the year no later than the year after the question is asked; a
// question read without a date (a briefing's text) has none.
func (q *question) shortYear(i int, s string, w word) (int, bool) {
	if q.asked.IsZero() || len(s) < 2 || !isDigits(s[:2]) {
		return 0, false
	}
	n, _ := strconv.Atoi(s[:2])
	ok := false
	switch {
	case s[2:] == "г" || s[2:] == "гг":
		ok = true
	case len(s) > 2:
		return 0, false
	case i+1 < len(q.ws) && (q.ws[i+1].w == "г" || q.ws[i+1].w == "году" || q.ws[i+1].w == "год"):
		ok = true
	case w.start > 0 && (q.norm[w.start-1] == '\'' || strings.HasSuffix(q.norm[:w.start], "’")):
		ok = true
	case q.norm[max(0, w.start-2):w.start] == "fy":
		ok = true
	case len(q.years) > 0 && q.years[len(q.years)-1].w == i-1 && !q.years[len(q.years)-1].short:
		prev := q.years[len(q.years)-1]
		gap := strings.TrimSpace(q.norm[prev.end:w.start])
		if (gap == "/" || gap == "-" || gap == "–") && n > prev.y%100 && n-prev.y%100 <= 10 {
			return prev.y - prev.y%100 + n, true
		}
	}
	if !ok {
		return 0, false
	}
	switch y := 2000 + n; {
	case y <= q.asked.Year()+1:
		return y, true
	case n >= 90:
		return 1900 + n, true
	}
	return 0, false
}

// yearSuffix reports whether letters glued to a year say "year" or are a
// case ending: "2023г", "2023ж", "2023th", "2023年" (Chinese is not in words).
func yearSuffix(s string) bool { return yearSuffixes[s] }

var yearSuffixes = qset("г гг ж жж жыл жылы жылғы s th y год году года")

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// said returns the original words of a hit.
func (q *question) said(h lexHit) string {
	return q.text[q.offsets[h.start]:q.offsets[h.end]]
}

// period works out the time the question asks about.
func (q *question) period() Period {
	var p Period
	for _, y := range q.years {
		if !containsInt(p.Years, y.y) {
			p.Years = append(p.Years, y.y)
		}
	}
	sort.Ints(p.Years)
	now := q.asked.Year()
	switch {
	case len(p.Years) >= 2:
		if a, b, ok := q.yearRange(); ok {
			p.Kind, p.From, p.To = PeriodRange, a, b
			p.Value = fmt.Sprintf("%d..%d", a, b)
			return p
		}
		p.Kind, p.From, p.To = PeriodYears, p.Years[0], p.Years[len(p.Years)-1]
		return p
	case len(p.Years) == 1:
		y := p.Years[0]
		if said, ok := q.since(); ok && y < now {
			p.Kind, p.From, p.To, p.Open = PeriodRange, y, now, true
			p.Value = fmt.Sprintf("%d..%d", y, now)
			p.Relative, p.Said = RelSince, said
			return p
		}
		return q.partOf(p, y)
	}
	// No year: relative words, strongest first.
	var latest *lexHit
	for i := range q.chits {
		h := &q.chits[i]
		switch c := cue(h.tag); {
		case c == cueLastYear:
			p.Relative, p.Said = RelLastYear, q.said(*h)
			return q.partOf(p, now-1)
		case c == cueThisYear:
			p.Relative, p.Said = RelThisYear, q.said(*h)
			return q.partOf(p, now)
		case c == cueYearBeforeLast:
			p.Relative, p.Said = RelYearBeforeLast, q.said(*h)
			return q.partOf(p, now-2)
		}
	}
	for i := range q.chits {
		h := &q.chits[i]
		switch c := cue(h.tag); {
		case c > cueSpan && c <= cueSpan+cueSpanMax:
			n := int(c - cueSpan)
			if h.w0 > 0 { // "ces deux dernières années": the number says how many
				if m, ok := q.number(h.w0 - 1); ok {
					q.used[h.w0-1] = true
					return q.span(p, m, q.text[q.offsets[q.ws[h.w0-1].start]:q.offsets[h.end]])
				}
			}
			return q.span(p, n, q.said(*h))
		case c == cueLast && h.w0 >= 0:
			if n, end, ok := q.yearsAround(h.w0); ok {
				return q.span(p, n, q.text[q.offsets[min(h.start, end.start)]:q.offsets[max(h.end, end.end)]])
			}
			if latest == nil {
				latest = h
			}
		case c == cueLatest && latest == nil:
			latest = h
		}
	}
	if latest != nil {
		p.Kind, p.Relative, p.Said = PeriodLatest, RelLatest, q.said(*latest)
	}
	return p
}

// span is the period of the last n years, up to the year asked.
func (q *question) span(p Period, n int, said string) Period {
	now := q.asked.Year()
	p.Kind, p.From, p.To = PeriodRange, now-n, now
	p.Value = fmt.Sprintf("%d..%d", now-n, now)
	p.Relative, p.Said = RelRecentYears, said
	return p
}

// number reads word j as a small count of years, in digits or in words.
func (q *question) number(j int) (int, bool) {
	if j < 0 || j >= len(q.ws) {
		return 0, false
	}
	s := q.ws[j].w
	if n, ok := numberWords[s]; ok {
		return n, true
	}
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n <= cueSpanMax {
		return n, true
	}
	return 0, false
}

// yearsAround reads "last 5 years" / "5 dernières années" around the cue at
// word i: a number and a year word. It returns the number and the word
// that ends the phrase.
func (q *question) yearsAround(i int) (int, word, bool) {
	num := q.number
	year := func(j int) bool { return j >= 0 && j < len(q.ws) && isYearWord(q.ws[j].w) }
	if n, ok := num(i + 1); ok && year(i+2) {
		q.used[i+1], q.used[i+2] = true, true
		return n, q.ws[i+2], true
	}
	if n, ok := num(i - 1); ok && year(i+1) {
		q.used[i-1], q.used[i+1] = true, true
		return n, q.ws[i+1], true
	}
	return 0, word{}, false
}

// yearRange finds two years joined as a range: "2013–2023", "from 2013 to
// 2023", "between 2019 and 2023", "с 2015 по 2020", "2015 жылдан 2020
// жылға дейін", "2015年至2020年", "de 2015 à 2020".
func (q *question) yearRange() (from, to int, ok bool) {
	for k := 0; k+1 < len(q.years); k++ {
		a, b := q.years[k], q.years[k+1]
		if a.y == b.y {
			continue
		}
		var between []string
		for j := a.w + 1; j < b.w; j++ {
			// "2015 жылдан 2020 жылға дейін": жылдан is the "from".
			if w := q.ws[j].w; !isYearWord(w) || w == "жылдан" {
				between = append(between, w)
			}
		}
		gap := q.norm[a.end:b.start]
		han := strings.Trim(hanOnly(gap), "年")
		isRange := false
		switch {
		case len(between) == 0 && han == "":
			isRange = strings.ContainsAny(gap, "-–—~") || strings.Contains(gap, "..") || b.short && strings.TrimSpace(gap) == "/"
		case len(between) == 0:
			isRange = han == "至" || han == "到" || han == "年至" || han == "年到"
		case len(between) == 1:
			switch between[0] {
			case "to", "till", "until", "through", "thru", "по", "до", "жылдан", "нан", "ден", "тан", "тен", "a", "au", "jusqu":
				isRange = true
			case "and", "и", "et", "мен", "бен", "пен":
				isRange = q.betweenWord(a.w, b.w)
			}
		}
		if isRange {
			return min(a.y, b.y), max(a.y, b.y), true
		}
	}
	return 0, 0, false
}

// betweenWord reports whether "between" frames years at words a and b:
// "between 2019 and 2023", "между", "entre", "... аралығында", "...之间".
func (q *question) betweenWord(a, b int) bool {
	if a > 0 {
		switch q.ws[a-1].w {
		case "between", "между", "entre":
			return true
		}
	}
	for j := b + 1; j < len(q.ws) && j <= b+2; j++ {
		if strings.HasPrefix(q.ws[j].w, "аралыг") { // аралығында, folded
			return true
		}
	}
	return strings.Contains(q.norm[q.years[len(q.years)-1].end:], "之间")
}

// since reports whether the one year named opens a period running to now:
// "since 2015", "from 2015", "с 2015 года", "после 2015", "depuis 2015",
// "2015 жылдан бері", "2015年以来", "自2015年".
func (q *question) since() (string, bool) {
	y := q.years[0]
	for _, h := range q.chits {
		if cue(h.tag) == cueSince {
			return q.said(h), true
		}
	}
	if y.w > 0 {
		prev := q.ws[y.w-1]
		switch prev.w {
		case "since", "from", "after", "с", "со", "после", "depuis":
			return q.text[q.offsets[prev.start]:q.offsets[y.end]], true
		case "de":
			if y.w > 1 && q.ws[y.w-2].w == "partir" {
				return q.text[q.offsets[q.ws[y.w-2].start]:q.offsets[y.end]], true
			}
		}
	}
	if i := strings.LastIndexAny(q.norm[:y.start], "自从"); i >= 0 && y.start-i <= len("自从") {
		return q.text[q.offsets[i]:q.offsets[y.end]], true
	}
	after := strings.TrimPrefix(q.norm[y.end:], "年")
	if strings.HasPrefix(after, "起") {
		return q.text[q.offsets[y.start]:q.offsets[y.end]], true
	}
	return "", false
}

// hanOnly keeps the Chinese characters of s.
func hanOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// partOf is the period of year y, or of the part of it the question names:
// months, a quarter, a half, the first n months.
func (q *question) partOf(p Period, y int) Period {
	p.Kind, p.From, p.To, p.Value = PeriodYear, y, y, strconv.Itoa(y)
	if q.lower == "" {
		q.lower = strings.ToLower(q.text)
	}
	ys := strconv.Itoa(y)
	part := ""
	switch ms := months(q.lower); {
	case len(ms) >= 2:
		part = fmt.Sprintf("%s-%02d..%s-%02d", ys, ms[0], ys, ms[len(ms)-1])
	case len(ms) == 1:
		part = fmt.Sprintf("%s-%02d", ys, ms[0])
	}
	if part == "" {
		if n := q.firstMonths(); n > 0 {
			part = fmt.Sprintf("%s-01..%s-%02d", ys, ys, n)
		}
	}
	if part == "" {
		if h := half(q.lower); h != "" {
			part = ys + "-" + h
		} else if h := q.ordinalBefore(halfWords); h > 0 && h <= 2 {
			part = fmt.Sprintf("%s-H%d", ys, h)
		}
	}
	if part == "" {
		if qt := quarter(q.lower); qt != "" {
			part = ys + "-" + qt
		} else if n := q.ordinalBefore(quarterWords); n > 0 {
			part = fmt.Sprintf("%s-Q%d", ys, n)
		}
	}
	if part != "" {
		p.Kind, p.Value = PeriodPart, part
	}
	return p
}

// isMonthWord reports whether w names a month (see months), in any of
// its forms.
func isMonthWord(w string) bool {
	if IsPeriodWord(w) || w == "май" || w == "мая" || w == "мае" {
		return true
	}
	for _, s := range monthStemsQ {
		if len(s) > 4 && strings.HasPrefix(w, s) {
			return true
		}
	}
	return false
}

// isPartWord reports whether w names a part of a year: a half, a quarter,
// months.
func isPartWord(w string) bool {
	for _, stems := range [][]string{halfWords, quarterWords, {"month", "месяц", "mois"}} {
		for _, s := range stems {
			if strings.HasPrefix(w, s) {
				return true
			}
		}
	}
	return false
}

var (
	halfWords    = qfoldAll("half", "semestre", "полугоди", "жартыжылдық", "жарты")
	quarterWords = qfoldAll("quarter", "trimestre", "квартал", "тоқсан")
	// monthStemsQ are the Russian and Kazakh month stems, question-folded.
	monthStemsQ = func() []string {
		var out []string
		for _, m := range monthStems {
			out = append(out, qfold(m.stem))
		}
		return out
	}()
)

func qfoldAll(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = qfold(s)
	}
	return out
}

// ordinalBefore finds a word starting with one of stems preceded by an
// ordinal from 1 to 4 ("1er semestre", "1 квартал", "2-ші тоқсан") and
// returns it, or 0.
func (q *question) ordinalBefore(stems []string) int {
	for i, w := range q.ws {
		match := false
		for _, s := range stems {
			match = match || strings.HasPrefix(w.w, s)
		}
		if !match {
			continue
		}
		for j := i - 1; j >= 0 && j >= i-2; j-- {
			if n := ordinal(q.ws[j].w); n > 0 {
				q.used[i], q.used[j] = true, true
				return n
			}
		}
	}
	return 0
}

// ordinal reads 1 to 4 written as a digit or an ordinal word ("first",
// "1er", "перв…", "бірінші"), or returns 0.
func ordinal(w string) int {
	for n, forms := range ordinals {
		for _, f := range forms {
			if w == f || len(f) > 3 && strings.HasPrefix(w, f) {
				return n + 1
			}
		}
	}
	return 0
}

// ordinals lists, for 1 to 4, exact forms and (longer than 3 bytes) stems,
// question-folded.
var ordinals = func() [4][]string {
	var out [4][]string
	for i, s := range []string{
		"1 1st 1er 1re first premier premiere перв бірінші",
		"2 2nd second seconde deuxieme втор екінші",
		"3 3rd third troisieme трет үшінші",
		"4 4th fourth quatrieme четв төртінші",
	} {
		for _, f := range strings.Fields(s) {
			out[i] = append(out[i], qfold(f))
		}
	}
	return out
}()

// firstMonths reads "the first ten months", "за 10 месяцев", "10 айда",
// "前10个月", "les dix premiers mois": n in 2..11, or 0.
func (q *question) firstMonths() int {
	for i, w := range q.ws {
		if !(w.w == "months" || strings.HasPrefix(w.w, "месяц") || w.w == "мес" || w.w == "ай" || w.w == "айда" || w.w == "айында" || w.w == "айдағы" || w.w == "mois") {
			continue
		}
		for j := i - 1; j >= 0 && j >= i-2; j-- {
			s := q.ws[j].w
			n, ok := numberWords[s]
			if !ok {
				n, _ = strconv.Atoi(s)
			}
			if n >= 2 && n <= 11 {
				q.used[i], q.used[j] = true, true
				return n
			}
		}
	}
	if i := strings.Index(q.norm, "个月"); i > 0 {
		before := q.norm[:i]
		j := len(before)
		for j > 0 && isDigit(before[j-1]) {
			j--
		}
		n, _ := strconv.Atoi(before[j:])
		if n == 0 {
			for k, r := range []rune("零一二三四五六七八九十") {
				if strings.HasSuffix(before, string(r)) {
					n = k
				}
			}
			if strings.HasSuffix(before, "十一") {
				n = 11
			}
		}
		if n >= 2 && n <= 11 {
			return n
		}
	}
	// "前三季度", "前两个季度": the first quarters, months from January.
	if i := strings.Index(q.norm, "季度"); i > 0 {
		before := strings.TrimSuffix(q.norm[:i], "个")
		for n, forms := range map[int][]string{6: {"前二", "前两", "前2"}, 9: {"前三", "前3"}} {
			for _, f := range forms {
				if strings.HasSuffix(before, f) {
					return n
				}
			}
		}
	}
	return 0
}

// kind works out what kind of answer the question wants.
func (q *question) kind(in Intent) QuestionKind {
	var has [cueSpan + cueSpanMax + 1]bool
	for _, h := range q.chits {
		has[cue(h.tag)] = true
	}
	for _, w := range q.ws {
		// French "où" folds to "ou" (or): only the accent tells them apart.
		if w.w == "ou" && strings.Contains(q.text[q.offsets[w.start]:q.offsets[w.end]], "ù") {
			has[cueWhere] = true
		}
	}
	years := len(in.Period.Years)
	multi := in.Period.Kind == PeriodRange || in.Period.Kind == PeriodYears
	numeric := false
	for _, id := range in.Measures {
		for i, m := range q.u.measures {
			numeric = numeric || m.ID == id && q.u.numeric[i]
		}
	}
	switch {
	case has[cueCompare] || has[cueCompareWeak] && years >= 2:
		return AskCompare
	case has[cueTrendStrong],
		has[cueTrend] && (multi || in.Period.Kind == PeriodNone && !has[cueValue]),
		multi && numeric && !has[cueWhen] && !has[cueWhere] && !has[cueWho]:
		return AskTrend
	case has[cueWhen]:
		return AskWhen
	case has[cueWhere]:
		return AskWhere
	case has[cueWho]:
		return AskWho
	case has[cueValue]:
		return AskValue
	case has[cueOverview]:
		return AskOverview
	case numeric:
		return AskValue
	}
	return AskUnknown
}

// practical reports whether the question asks how to do something, for a
// schedule, or for a price now (see Intent.Practical).
func (q *question) practical() bool {
	var price, now bool
	for _, h := range q.chits {
		switch cue(h.tag) {
		case cuePractical:
			return true
		case cuePrice:
			price = true
		case cueLatest:
			now = true
		}
	}
	return price && now
}

// content lists the words left once measures, entities, cues, years and
// filler are taken out.
func (q *question) content() []string {
	for _, h := range q.mhits {
		if h.typo {
			q.coverSpan(h.start, h.end)
		}
	}
	for _, y := range q.years {
		q.coverSpan(y.start, q.ws[y.w].end)
	}
	covered := q.coveredByHit
	var out []string
	var seen map[string]bool // once out is long, to keep this linear
	add := func(s string) {
		switch {
		case s == "":
		case seen != nil:
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		case !contains(out, s):
			out = append(out, s)
			if len(out) == 16 {
				seen = map[string]bool{}
				for _, w := range out {
					seen[w] = true
				}
			}
		}
	}
	for i, w := range q.ws {
		if covered(w.start, w.end) || q.used[i] || stopWords[w.w] || isYearWord(w.w) || isMonthWord(w.w) || isPartWord(w.w) {
			continue
		}
		add(w.w)
	}
	// Chinese: runs of characters between function characters.
	start := -1
	for i, r := range q.norm {
		keep := unicode.Is(unicode.Han, r) && !strings.ContainsRune(hanFunction, r) && !covered(i, i+utf8.RuneLen(r))
		switch {
		case keep && start < 0:
			start = i
		case !keep && start >= 0:
			add(q.norm[start:i])
			start = -1
		}
	}
	if start >= 0 {
		add(q.norm[start:])
	}
	return out
}

// hanFunction are Chinese characters that carry no content in a question.
const hanFunction = "的了吗呢吧啊呀么是在有和与及对从自到至年月日把被给向为中个些这那哪什怎也都就还又并而或其之以于等各每多少几第请问请您你我他她它们哈国两方上下里内外前后"
