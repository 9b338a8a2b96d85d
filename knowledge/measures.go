package knowledge

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Measure is one thing the facts of the base count or tell about — trade
// turnover, Chinese tourists, state visits — with its name and the words
// people use for it in the five languages: the thesaurus that question
// understanding matches questions against (see Understand).
//
// The list is closed: every fact names one or more measures, and ids are
// stable, since tables, charts and eval cases refer to them.
type Measure struct {
	ID string
	// Name is the display name, in all five languages.
	Name Text
	// Words are the words and phrases that name the measure, per language,
	// as written in the file: a word ending in "*" matches any word that
	// starts with it ("товарооборот*" matches "товарооборота"). Matching
	// ignores case, ё/е and Latin accents; Chinese is matched anywhere in
	// the text, without word boundaries. A question is matched against the
	// words of every language, whatever language it is in.
	Words map[Lang][]string
	// Refines says when a question means this measure without naming it:
	// when it names one of Refines.Measures together with one of
	// Refines.Entities (alias ids) — trade with Central Asia is China–Central
	// Asia trade. Empty for most measures.
	Refines Refinement
	// Numeric is set for a quantity — an amount, a count, a share — that
	// tables, charts and trends can show; unset for a subject such as state
	// visits or the visa regime, whose facts are told, not tabulated.
	Numeric bool
	Pos     Pos
}

// Refinement is the condition of Measure.Refines.
type Refinement struct {
	Measures []string `json:",omitempty"`
	Entities []string `json:",omitempty"`
}

// Measures returns the measures of the base, in file order.
func (b *Base) Measures() []*Measure { return b.Thesaurus }

// Measure returns the measure with the given id, or nil.
func (b *Base) Measure(id string) *Measure { return b.measures[id] }

// MeasureFacts returns the facts that carry the measure, in base order.
func (b *Base) MeasureFacts(id string) []*Fact {
	if s := b.measureStats[id]; s != nil {
		return s.facts
	}
	return nil
}

// LatestPeriod returns the newest period the facts of the measure give a
// figure for, written as in the files ("2024", "2025-H1", "2024-Q1"), or ""
// when none is dated. A figure dated after the newest of its fact's sources
// is a target or a projection ("$40 billion by 2030"), not an observation,
// and does not count; a fact without dated figures counts with its own date.
// Between periods ending on the same day, the coarser one wins: "2024" over
// "2024-Q4".
func (b *Base) LatestPeriod(id string) string {
	if s := b.measureStats[id]; s != nil {
		return s.latest
	}
	return ""
}

// Numeric reports whether the measure is a quantity (Measure.Numeric); false
// for an unknown id.
func (b *Base) Numeric(id string) bool {
	m := b.measures[id]
	return m != nil && m.Numeric
}

type measureStats struct {
	facts  []*Fact
	latest string
	// periods are the observed periods latest is the newest of.
	periods []string
}

func (b *Base) linkMeasures() {
	b.measures = make(map[string]*Measure, len(b.Thesaurus))
	b.measureStats = make(map[string]*measureStats, len(b.Thesaurus))
	for _, m := range b.Thesaurus {
		b.measures[m.ID] = m
		b.measureStats[m.ID] = &measureStats{}
	}
	b.thesaurus = compileThesaurus(b.Thesaurus)
	var hits []lexHit
	for _, f := range b.Facts {
		for _, id := range f.Measures {
			if s := b.measureStats[id]; s != nil {
				s.facts = append(s.facts, f)
			}
		}
		limit := sourcesEnd(f)
		for _, fg := range f.Figures {
			if !observed(fg.Date, limit) {
				continue
			}
			for _, id := range b.figureMeasures(f, fg, &hits) {
				if s := b.measureStats[id]; s != nil {
					s.observe(fg.Date)
				}
			}
		}
		if !hasDatedFigure(f) && observed(f.Date, limit) {
			for _, id := range f.Measures {
				if s := b.measureStats[id]; s != nil {
					s.observe(f.Date)
				}
			}
		}
	}
}

// observe counts an observed period of the measure.
func (s *measureStats) observe(p string) {
	if newerPeriod(p, s.latest) {
		s.latest = p
	}
	if !slices.Contains(s.periods, p) {
		s.periods = append(s.periods, p)
	}
}

// LatestPeriodAsOf is LatestPeriod as it stood on the day asked: the newest
// period of the measure that was over by then, since a figure comes out
// after the period it counts. "Latest", asked in June 2024, is not the year
// 2024, whose figure came out in 2025. When no period was over by then, or
// asked is zero, it is LatestPeriod.
func (b *Base) LatestPeriodAsOf(id string, asked time.Time) string {
	s := b.measureStats[id]
	if s == nil {
		return ""
	}
	if asked.IsZero() {
		return s.latest
	}
	day := asked.Format(time.DateOnly)
	if end, _ := periodEnd(s.latest); end <= day {
		return s.latest
	}
	best := ""
	for _, p := range s.periods {
		if end, _ := periodEnd(p); end <= day && newerPeriod(p, best) {
			best = p
		}
	}
	if best == "" {
		return s.latest
	}
	return best
}

// compileThesaurus builds the lexicon of the measures' words; a hit's tag
// is the measure's index. A word listed in several languages is added once.
func compileThesaurus(measures []*Measure) *lexicon {
	x := newLexicon()
	for i, m := range measures {
		added := map[string]bool{}
		for _, lang := range Langs {
			for _, w := range m.Words[lang] {
				if key := qfold(w); !added[key] {
					added[key] = true
					x.add(w, int32(i))
				}
			}
		}
	}
	x.finish()
	x.buildFuzzy()
	return x
}

// FigureMeasures says which of a fact's measures a figure gives: with one
// measure, that one; with several, those its note names ("Kazakh exports to
// China", "Chinese investment since 2005"), or all when it names none. The
// English note is read: the measures' English words are the ones curated
// for this.
func (b *Base) FigureMeasures(f *Fact, fg Figure) []string {
	var hits []lexHit
	return b.figureMeasures(f, fg, &hits)
}

// figureMeasures is FigureMeasures with a buffer for the note's matches.
func (b *Base) figureMeasures(f *Fact, fg Figure, hits *[]lexHit) []string {
	if named := b.noteMeasures(f, fg, hits); named != nil {
		return named
	}
	return f.Measures
}

// noteMeasures are the measures of a fact with several that a figure's
// English note names, in the note's order; nil when the fact has fewer than
// two, the figure no note, or the note names none of them.
func (b *Base) noteMeasures(f *Fact, fg Figure, hits *[]lexHit) []string {
	note := fg.Note[EN]
	if len(f.Measures) < 2 || note == "" {
		return nil
	}
	norm := qfold(note)
	*hits = b.thesaurus.find(norm, words(norm), (*hits)[:0])
	var out []string
	for _, h := range *hits {
		id := b.Thesaurus[h.tag].ID
		if contains(f.Measures, id) && !contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// sourcesEnd is the last day of the newest of a fact's source dates, or of
// its own date when no source is dated ("" when neither is).
func sourcesEnd(f *Fact) string {
	limit := ""
	for _, src := range f.Sources {
		if d := strings.TrimPrefix(src.Date, "~"); d != "" && ValidPeriod(d) {
			if end, _ := periodEnd(d); end > limit {
				limit = end
			}
		}
	}
	if limit == "" && f.Date != "" && ValidPeriod(f.Date) {
		limit, _ = periodEnd(f.Date)
	}
	return limit
}

// observed reports whether period p is an observation made by limit, not
// a target or a projection: it starts no later than limit.
func observed(p, limit string) bool {
	if p == "" || !ValidPeriod(p) {
		return false
	}
	return limit == "" || periodStart(p) <= limit
}

func hasDatedFigure(f *Fact) bool {
	for _, fg := range f.Figures {
		if fg.Date != "" {
			return true
		}
	}
	return false
}

// periodStart returns the first day a period covers, as "YYYY-MM-DD".
func periodStart(p string) string {
	if i := strings.Index(p, ".."); i >= 0 {
		p = p[:i]
	}
	switch {
	case len(p) == 4:
		return p + "-01-01"
	case len(p) == 7 && p[5] == 'H':
		if p[6] == '1' {
			return p[:4] + "-01-01"
		}
		return p[:4] + "-07-01"
	case len(p) == 7 && p[5] == 'Q':
		return fmt.Sprintf("%s-%02d-01", p[:4], 3*int(p[6]-'0')-2)
	case len(p) == 7:
		return p + "-01"
	}
	return p
}

// newerPeriod reports whether period p is newer than q ("" is oldest): it
// ends later, or on the same day and is coarser.
func newerPeriod(p, q string) bool {
	if q == "" {
		return p != ""
	}
	pe, pg := periodEnd(p)
	qe, qg := periodEnd(q)
	if pe != qe {
		return pe > qe
	}
	return pg < qg
}

// periodEnd returns the last day a period covers, as a comparable
// "YYYY-MM-DD" string (months end on "31"), and its grain: 0 for a year,
// 1 a half, 2 a quarter, 3 a month, 4 a day, 5 a range.
func periodEnd(p string) (end string, grain int) {
	if i := strings.Index(p, ".."); i >= 0 {
		end, _ = periodEnd(p[i+2:])
		return end, 5
	}
	switch {
	case len(p) == 4:
		return p + "-12-31", 0
	case len(p) == 7 && p[5] == 'H':
		if p[6] == '1' {
			return p[:4] + "-06-31", 1
		}
		return p[:4] + "-12-31", 1
	case len(p) == 7 && p[5] == 'Q':
		return fmt.Sprintf("%s-%02d-31", p[:4], 3*int(p[6]-'0')), 2
	case len(p) == 7:
		return p + "-31", 3
	}
	return p, 4
}

// measureSum hashes a measure's content, not where it sits in a file.
func measureSum(m *Measure) [32]byte {
	g := *m
	g.Pos = Pos{}
	b, _ := json.Marshal(g)
	return sha256.Sum256(b)
}

// measureFile loads one file of measures.
func (l *loader) measureFile(name string, data []byte) {
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return
	}
	if l.measureIDs == nil {
		l.measureIDs = map[string]Pos{}
	}
	top := node{l, name, 0, root}.fields("measure file", "measures")
	for _, mn := range top["measures"].list("measures") {
		if m := l.measure(mn); m != nil {
			l.b.Thesaurus = append(l.b.Thesaurus, m)
		}
	}
}

func (l *loader) measure(n node) *Measure {
	fs := n.fields("measure", "id", "name", "numeric", "words", "refines")
	m := &Measure{ID: fs["id"].str("id"), Pos: n.pos(), Words: map[Lang][]string{}}
	switch {
	case m.ID == "":
		l.addf(n.pos(), "measure has no id")
		return nil
	case !idRE.MatchString(m.ID):
		l.addf(n.pos(), "measure id %q must be lower-case letters, digits and dashes", m.ID)
		return nil
	}
	if first, dup := l.measureIDs[m.ID]; dup {
		l.addf(n.pos(), "duplicate measure id %q (first at %s:%d)", m.ID, first.File, first.Line)
		return nil
	}
	l.measureIDs[m.ID] = n.pos()
	label := fmt.Sprintf("measure %q", m.ID)
	if nn, ok := fs["numeric"]; ok {
		switch v := nn.str("numeric"); v {
		case "true":
			m.Numeric = true
		case "false":
		default:
			l.addf(nn.pos(), "%s: numeric must be true or false, not %q", label, v)
		}
	}
	if nn, ok := fs["name"]; ok {
		m.Name = Text{}
		names := nn.fields("name", langKeys()...)
		for _, lang := range Langs {
			if s := names[string(lang)].str("name"); s != "" {
				m.Name[lang] = s
			} else {
				l.addf(nn.pos(), "%s has no name in %s", label, lang)
			}
		}
	} else {
		l.addf(n.pos(), "%s has no name", label)
	}
	wn, ok := fs["words"]
	if !ok {
		l.addf(n.pos(), "%s has no words", label)
	} else {
		byLang := wn.fields("words", langKeys()...)
		for _, lang := range Langs {
			// A word may be listed in several languages (acronyms,
			// cognates), not twice in one: folded, the two are the same.
			seen := map[string]node{}
			ln, ok := byLang[string(lang)]
			for _, w := range ln.list("words") {
				s := w.str("word")
				if s == "" {
					continue
				}
				if problem := wordProblem(s); problem != "" {
					l.addf(w.pos(), "%s has malformed word %q: %s", label, s, problem)
					continue
				}
				key := Fold(s)
				if first, dup := seen[key]; dup {
					l.addf(w.pos(), "%s lists the word %q twice in %s (first as %q at line %d)", label, s, lang, first.n.Value, first.pos().Line)
					continue
				}
				seen[key] = w
				m.Words[lang] = append(m.Words[lang], s)
			}
			if len(m.Words[lang]) == 0 {
				pos := wn.pos()
				if ok {
					pos = ln.pos()
				}
				l.addf(pos, "%s has no words in %s", label, lang)
			}
		}
	}
	if rn, ok := fs["refines"]; ok {
		rf := rn.fields("refines", "measures", "entities")
		m.Refines = Refinement{Measures: rf["measures"].strs("measures"), Entities: rf["entities"].strs("entities")}
		if len(m.Refines.Measures) == 0 || len(m.Refines.Entities) == 0 {
			l.addf(rn.pos(), "%s: refines needs both measures and entities", label)
		}
	}
	return m
}

// minStem is the shortest prefix a word may end in "*" after: a shorter
// one matches too many unrelated words.
const minStem = 3

// wordProblem says what is wrong with a thesaurus word, or "".
func wordProblem(s string) string {
	for _, chunk := range strings.Fields(s) {
		stem := strings.TrimSuffix(chunk, "*")
		switch {
		case stem == "":
			return `a lone "*"`
		case strings.Contains(stem, "*"):
			return `"*" may only end a word`
		case strings.HasSuffix(chunk, "*") && hasHan(stem):
			return `Chinese is matched anywhere in the text, "*" means nothing there`
		case strings.HasSuffix(chunk, "*"):
			ws := words(Fold(stem))
			if len(ws) == 0 || utf8.RuneCountInString(ws[len(ws)-1].w) < minStem {
				return fmt.Sprintf("a prefix shorter than %d letters matches too many words", minStem)
			}
		}
	}
	if _, ok := compileForm(s); !ok {
		return "nothing to match"
	}
	return ""
}

func langKeys() []string {
	keys := make([]string, len(Langs))
	for i, lang := range Langs {
		keys[i] = string(lang)
	}
	return keys
}

// checkMeasureRefs reports facts without measures and references to
// measures or aliases that do not exist, once all files are read.
func (l *loader) checkMeasureRefs() {
	for _, r := range l.measureRefs {
		if _, ok := l.measureIDs[r.measure]; !ok {
			l.addf(r.pos, "fact %q has unknown measure %q", r.fact, r.measure)
		}
	}
	for _, m := range l.b.Thesaurus {
		for _, id := range m.Refines.Measures {
			if _, ok := l.measureIDs[id]; !ok {
				l.addf(m.Pos, "measure %q refines unknown measure %q", m.ID, id)
			}
		}
		for _, id := range m.Refines.Entities {
			if _, ok := l.aliasIDs[id]; !ok {
				l.addf(m.Pos, "measure %q refines with unknown alias %q", m.ID, id)
			}
		}
	}
}

type measureRef struct {
	fact, measure string
	pos           Pos
}

// factMeasures reads a fact's measures, reporting none and repeats.
func (l *loader) factMeasures(f *Fact, n node, ok bool, label string) {
	if !ok {
		l.addf(f.Pos, "%s has no measures", label)
		return
	}
	for _, mn := range n.list("measures") {
		id := mn.str("measure")
		if id == "" {
			continue
		}
		if contains(f.Measures, id) {
			l.addf(mn.pos(), "%s lists measure %q twice", label, id)
			continue
		}
		f.Measures = append(f.Measures, id)
		l.measureRefs = append(l.measureRefs, measureRef{f.ID, id, mn.pos()})
	}
	if len(f.Measures) == 0 {
		l.addf(n.pos(), "%s has no measures", label)
	}
}
