package index

import (
	"math"
	"slices"
	"strings"

	"factbot/knowledge"
)

// The features of one candidate for one question. Names are part of the
// model file: a model fitted on other features is refused at start.
var rankFeatures = []string{
	"bleve",            // Bleve's score over the best candidate's
	"bleve_rank",       // 1/(1+rank) in Bleve's order; 0 when Bleve did not return it
	"coverage",         // idf-weighted share of the question's content matched, best same-script reading
	"coverage_own",     // the same, in the question's own language field only
	"specificity",      // log(1 + matched idf mass / idf of a word in one document)
	"missed",           // log(1 + unmatched idf mass / idf of a word in one document)
	"measure_first",    // the candidate has the question's first measure
	"measure_share",    // share of the question's measures it has
	"measure_other",    // the question names measures, the candidate has others only
	"entity_share",     // share of the question's distinctive entities it names
	"entity_missed",    // how many of them it does not name
	"period_exact",     // its as-of period is exactly the one asked
	"period_year",      // the question asks a year; the candidate is a fact about that whole year
	"period_part",      // part of the year asked (or the year, when a part was asked)
	"period_covers",    // its as-of periods cover a year asked
	"period_near",      // a year next to the one asked, and none asked
	"period_missed",    // the question names years, it covers none of them
	"latest",           // the question asks for the newest, and it is the newest of its measure
	"passage",          // a briefing's paragraph rather than a fact
	"passage_overview", // a paragraph, for a question that asks for an overview
	"passage_other",    // a paragraph in another language than the reply's
	"fallback",         // a fact without text in the reply's language
	"numbers",          // share of the question's numbers (other than years) it holds
	"trend_point",      // a trend question, and it is a point of the measure within the range
	"measure_primary",  // its first (most specific) measure is the question's first
	"measures",         // log(1 + how many measures it has): a fact about many things is about each less
	"amount_in_period", // a fact with an amount (not a share or a ratio) dated in the period asked
	"passage_lead",     // a briefing's first paragraph: its summary
	"passage_heading",  // a paragraph whose heading or title names an entity the question names
	"asks_date",        // the question asks when, and the candidate is a fact with a date among its figures
	"period_named",     // its text names a year asked that its as-of periods do not cover ("…, cited in 2019")
}

const nFeatures = 31

// unit is one piece of a question's content that a candidate may match: a
// term of a language field (with typo or inflection alternatives), an
// entity, a number or a measure.
type unit struct {
	lang int // language field, for terms; -1 for shared units
	id   termID
	ok   bool // the term is in the field's dictionary
	alts []termID
	idf  float64
	kind unitKind
	sym  sym // entity, number or measure
}

type unitKind uint8

const (
	unitTerm unitKind = iota
	unitEntity
	unitNumber
	unitMeasure
)

// questionInfo is a question as the features see it.
type questionInfo struct {
	intent   knowledge.Intent
	period   knowledge.Period // resolved: "latest" made concrete
	lang     int              // the question's language field
	readings []int            // the language fields its words are weighed in
	terms    [nLangs][]unit
	// marked are the terms of each field the question holds, names
	// included, for highlighting.
	marked   [nLangs][]termID
	words    [nLangs][]termID // marked, less numbers
	nwords   [nLangs]int      // words of the question in each field, known or not
	shared   []unit
	entities []sym // distinctive entities (not ubiquitous)
	// partnerOnly is set when the question names a partner other than
	// Kazakhstan and China, and not Kazakhstan.
	partnerOnly bool
	// partnerNotChina is set when it names such a partner and not China
	// ("Kazakhstan–Russia trade"): about another pair of countries.
	partnerNotChina bool
	measures        []sym // the intent's measures, in its order
	numbers         []sym // numbers other than years
	// allEntities are every entity the question names.
	allEntities []sym
	rare        float64 // idf of a term found in one document
}

// features writes the candidate's features into x.
func (q *questionInfo) features(x []float64, d *docInfo, bleveNorm float64, bleveRank int, replyLang int) {
	clear(x)
	x[0] = bleveNorm
	if bleveRank >= 0 {
		x[1] = 1 / float64(1+bleveRank)
	}
	cov, own, got, missed := q.coverage(d)
	x[2], x[3] = cov, own
	x[4] = math.Log1p(got / q.rare)
	x[5] = math.Log1p(missed / q.rare)
	ms := q.measures
	if len(ms) > 0 {
		n := 0
		for _, m := range ms {
			if d.hasMeasure(m) {
				n++
			}
		}
		if d.hasMeasure(ms[0]) {
			x[6] = 1
		}
		x[7] = float64(n) / float64(len(ms))
		if n == 0 && len(d.measures) > 0 {
			x[8] = 1
		}
	}
	if len(q.entities) > 0 {
		n := 0
		for _, e := range q.entities {
			if d.hasEntity(e) {
				n++
			}
		}
		x[9] = float64(n) / float64(len(q.entities))
		x[10] = float64(len(q.entities) - n)
	}
	q.periodFeatures(x, d)
	if d.passage != nil {
		x[18] = 1
		if q.intent.Kind == knowledge.AskOverview {
			x[19] = 1
		}
		if langIndex(d.passage.Lang) != replyLang {
			x[20] = 1
		}
		if strings.HasSuffix(d.passage.ID, "#1") {
			x[27] = 1
		}
		for _, e := range q.allEntities {
			if slices.Contains(d.headingEntities, e) {
				x[28] = 1
			}
		}
	} else if d.fact != nil && d.fact.Text[knowledge.Langs[replyLang]] == "" {
		x[21] = 1
	}
	if len(q.numbers) > 0 {
		n := 0
		for _, v := range q.numbers {
			if d.hasNum(v) {
				n++
			}
		}
		x[22] = float64(n) / float64(len(q.numbers))
	}
	if len(ms) > 0 && len(d.measures) > 0 && d.measures[0] == ms[0] {
		x[24] = 1
	}
	x[25] = math.Log1p(float64(len(d.measures)))
	if d.fact != nil && q.period.From > 0 {
		for _, fg := range d.fact.Figures {
			if isAmount(fg) && fg.Date != "" && (fg.Date == q.period.Value || q.period.Kind != knowledge.PeriodPart && periodIn(fg.Date, q.period)) {
				x[26] = 1
				break
			}
		}
	}
	if q.intent.Kind == knowledge.AskWhen && d.dated {
		x[29] = 1
	}
	if (q.intent.Kind == knowledge.AskTrend || q.intent.Kind == knowledge.AskCompare) && d.fact != nil && len(ms) > 0 &&
		d.hasMeasure(ms[0]) && q.period.From > 0 && d.from > 0 && d.from <= q.period.To && d.to >= q.period.From {
		x[23] = 1
	}
}

// periodFeatures fills features 11–17 and 30.
func (q *questionInfo) periodFeatures(x []float64, d *docInfo) {
	p := q.period
	if p.Kind == knowledge.PeriodLatest || p.Relative == knowledge.RelLatest {
		if d.newest {
			x[17] = 1
		}
	}
	if p.From == 0 {
		return
	}
	if d.fact != nil && p.Value != "" && d.period == p.Value {
		x[11] = 1
	}
	asked := p.Years
	if len(asked) == 0 {
		for y := p.From; y <= p.To && y-p.From < 50; y++ {
			asked = append(asked, y)
		}
	}
	if d.fact != nil && (p.Kind == knowledge.PeriodYear || p.Kind == knowledge.PeriodPart) {
		fp := knowledge.PeriodOf(d.period)
		switch {
		case p.Kind == knowledge.PeriodYear && fp.Kind == knowledge.PeriodYear && fp.From == p.From:
			x[12] = 1
		case fp.From == p.From && fp.To == p.To && fp.Kind != p.Kind:
			x[13] = 1
		}
	}
	covers, named, near := false, false, false
	for _, y := range asked {
		switch {
		case d.from > 0 && d.from <= y && y <= d.to:
			covers = true
		case d.hasYear(y):
			named = true
		}
		if d.from > 0 && (d.to == y-1 || d.from == y+1) {
			near = true
		}
	}
	switch {
	case covers:
		x[14] = 1
	case named:
		x[30] = 1
	case near:
		x[15] = 1
	case len(d.years) > 0 || d.from > 0:
		x[16] = 1
	}
}

// coverage returns the idf-weighted share of the question's units d
// matches, in the best reading and in the question's own language, and the
// idf mass matched and missed in the best reading.
func (q *questionInfo) coverage(d *docInfo) (best, own, got, missed float64) {
	var sharedGot, sharedTotal float64
	for i := range q.shared {
		u := &q.shared[i]
		sharedTotal += u.idf
		if q.matchShared(d, u) {
			sharedGot += u.idf
		}
	}
	best, got, missed = -1, 0, 0
	if len(q.readings) == 0 {
		if sharedTotal > 0 {
			best = sharedGot / sharedTotal
		}
		return max(best, 0), max(best, 0), sharedGot, sharedTotal - sharedGot
	}
	for _, l := range q.readings {
		g, total := sharedGot, sharedTotal
		for i := range q.terms[l] {
			u := &q.terms[l][i]
			total += u.idf
			if matchTerm(d, u) {
				g += u.idf
			}
		}
		c := 0.0
		if total > 0 {
			c = g / total
		}
		if l == q.lang {
			own = c
		}
		if c > best {
			best, got, missed = c, g, total-g
		}
	}
	return best, own, got, missed
}

func matchTerm(d *docInfo, u *unit) bool {
	if u.ok && d.has(u.lang, u.id) {
		return true
	}
	for _, a := range u.alts {
		if d.has(u.lang, a) {
			return true
		}
	}
	return false
}

func (q *questionInfo) matchShared(d *docInfo, u *unit) bool {
	switch u.kind {
	case unitEntity:
		return d.hasEntity(u.sym)
	case unitNumber:
		return d.hasNum(u.sym)
	case unitMeasure:
		return d.hasMeasure(u.sym)
	}
	return false
}

// confFeatures are the features of a question's ranked candidates that the
// confidence model reads.
var confFeatures = []string{
	"p1",          // the ranker's probability of the first candidate
	"margin",      // p1 − the second's
	"coverage",    // the first's coverage
	"specificity", // the first's specificity
	"missed",      // the first's missed idf
	"measure_first",
	"measure_other",
	"entity_missed",
	"period_fit", // the first's period is exact, its year, or covers a year asked
	"period_missed",
	"passage",
	"has_measure", // the question names a measure
	"has_entity",  // the question names a distinctive entity
	"units",       // log(1 + how many content units the question has)
	"measure_primary",
	"amount_in_period",
	"period_named",
	"partner_only",                             // the question names a partner other than the two countries, and not Kazakhstan
	"practical",                                // the question asks how to do something, for a schedule or a price now (knowledge.Intent.Practical)
	"lang_ru", "lang_kk", "lang_zh", "lang_fr", // the question's language (English is none of them)
	"p3",                // the ranker's probability that the answer is among the first three
	"partner_not_china", // the question names a partner other than the two countries, and not China
}

// confidenceInput writes the confidence features of a sample ranked as d.
func (s *sample) confidenceInput(dst []float64, d decision) []float64 {
	q, x := s.q, s.x[d.order[0]]
	p1, p2, p3 := d.prob[d.order[0]], 0.0, 0.0
	if len(d.order) > 1 {
		p2 = d.prob[d.order[1]]
	}
	for _, i := range d.order[:min(3, len(d.order))] {
		p3 += d.prob[i]
	}
	n := len(q.shared)
	for _, l := range q.readings {
		n = max(n, len(q.shared)+len(q.terms[l]))
	}
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	return append(dst[:0],
		p1, p1-p2, x[2], x[4], x[5], x[6], x[8], x[10],
		b(x[11]+x[12]+x[14] > 0), x[16], x[18],
		b(len(q.intent.Measures) > 0), b(len(q.entities) > 0), math.Log1p(float64(n)), x[24], x[26], x[30],
		b(q.partnerOnly), b(q.intent.Practical),
		b(q.lang == langIndex(knowledge.RU)), b(q.lang == langIndex(knowledge.KK)), b(q.lang == langIndex(knowledge.ZH)), b(q.lang == langIndex(knowledge.FR)),
		p3, b(q.partnerNotChina))
}

// periodIn reports whether the period v (as in Fact.Date) lies within p.
func periodIn(v string, p knowledge.Period) bool {
	fp := knowledge.PeriodOf(v)
	return fp.From > 0 && fp.From >= p.From && fp.To <= p.To
}
