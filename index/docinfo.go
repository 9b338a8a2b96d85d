package index

import (
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"factbot/knowledge"
)

// What the ranking knows of every fact and passage, computed once when an
// index is built or opened: the analysed terms of each of its language
// fields, the entities, measures, numbers and years it names. Features are
// read from here rather than from Bleve's term vectors: a set lookup costs
// nanoseconds, a term vector read a posting walk and an allocation.

// termID numbers the distinct terms of one language field.
type termID = uint32

// fieldDict numbers a language field's terms and counts their documents.
type fieldDict struct {
	ids   map[string]termID
	terms []string // by id
	df    []int    // documents holding the term, by id
	// sorted is terms in order, for typo candidates under a prefix.
	sorted []string
	// scratch is add's buffer, reused from one document to the next.
	scratch []termID
}

func newFieldDict() *fieldDict { return &fieldDict{ids: map[string]termID{}} }

// add numbers the distinct terms of one document and counts it once for each.
// The result is exactly as long as it needs to be: a table of 100,000
// passages keeps one for each.
func (d *fieldDict) add(terms []string) []termID {
	out := d.scratch[:0]
	for _, t := range terms {
		id, ok := d.ids[t]
		if !ok {
			id = termID(len(d.terms))
			d.ids[t] = id
			d.terms = append(d.terms, t)
			d.df = append(d.df, 0)
		}
		out = append(out, id)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	for _, id := range out {
		d.df[id]++
	}
	d.scratch = out
	return slices.Clone(out)
}

func (d *fieldDict) finish() {
	d.sorted = slices.Clone(d.terms)
	sort.Strings(d.sorted)
}

// lookup returns the id and document frequency of term; ok is false for a
// term no document holds.
func (d *fieldDict) lookup(term string) (id termID, df int, ok bool) {
	id, ok = d.ids[term]
	if !ok {
		return 0, 0, false
	}
	return id, d.df[id], true
}

// docInfo is one indexed fact or passage.
type docInfo struct {
	id       string
	fact     *knowledge.Fact
	passage  *knowledge.Passage
	document *knowledge.Document
	// terms are the sorted term ids of each language field the document
	// has text in (a fact: all five; a passage: its own).
	// Entities, measures and numbers are symbols (see interner): slices
	// without pointers, which the garbage collector need not scan.
	terms    [nLangs][]termID
	entities []sym // sorted
	measures []sym // the fact's, most specific first; for a passage, those its text names
	nums     []sym // sorted, numbers other than years
	// from and to are the years the document's as-of periods cover (a
	// fact's date and its figures'); 0 when it has none. years are the
	// distinct years it names or covers.
	from, to int
	years    []int16
	period   string // a fact's as-of period, as written
	// headingEntities are the entities a passage's document title and
	// heading name.
	headingEntities []sym
	// sectionEntities are, for the first paragraph of a briefing's
	// section, the entities its heading names (the first section's: with
	// the title's); nil for other paragraphs and for facts.
	sectionEntities []sym
	// newest is set for a fact whose as-of period is the newest of one of
	// its measures (Base.LatestPeriod).
	newest bool
	// dated is set for a fact with a figure that is a date or a year.
	dated bool
}

const nLangs = 5

func langIndex(l knowledge.Lang) int {
	switch l {
	case knowledge.EN:
		return 0
	case knowledge.RU:
		return 1
	case knowledge.KK:
		return 2
	case knowledge.ZH:
		return 3
	case knowledge.FR:
		return 4
	}
	return -1
}

func (d *docInfo) has(l int, id termID) bool {
	_, ok := slices.BinarySearch(d.terms[l], id)
	return ok
}

func (d *docInfo) hasEntity(id sym) bool {
	_, ok := slices.BinarySearch(d.entities, id)
	return ok
}

func (d *docInfo) hasNum(n sym) bool {
	_, ok := slices.BinarySearch(d.nums, n)
	return ok
}

func (d *docInfo) hasMeasure(id sym) bool { return slices.Contains(d.measures, id) }

func (d *docInfo) hasYear(y int) bool {
	_, ok := slices.BinarySearch(d.years, int16(y))
	return ok
}

// tok is one token of a text: its term and its byte range.
type tok struct {
	id         termID
	start, end uint32
}

// sym numbers an entity, a measure or a number within its kind.
type sym = uint32

// noSym is the symbol of a name no document holds.
const noSym = ^sym(0)

// interner numbers names.
type interner struct {
	ids   map[string]sym
	names []string
	df    []int // documents holding each
}

func newInterner() *interner { return &interner{ids: map[string]sym{}} }

func (in *interner) intern(s string) sym {
	id, ok := in.ids[s]
	if !ok {
		id = sym(len(in.names))
		in.ids[s] = id
		in.names = append(in.names, s)
		in.df = append(in.df, 0)
	}
	return id
}

// lookup returns the symbol of s, or noSym.
func (in *interner) lookup(s string) sym {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return noSym
}

// docs returns how many documents hold s.
func (in *interner) docs(s string) int {
	if id, ok := in.ids[s]; ok {
		return in.df[id]
	}
	return 0
}

// set interns names and returns their sorted, distinct symbols.
func (in *interner) set(names []string) []sym {
	out := make([]sym, 0, len(names))
	for _, n := range names {
		out = append(out, in.intern(n))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// list interns names, keeping their order.
func (in *interner) list(names []string) []sym {
	out := make([]sym, 0, len(names))
	for _, n := range names {
		out = append(out, in.intern(n))
	}
	return out
}

// docTable holds every document's info and each field's dictionary.
type docTable struct {
	docs  []*docInfo
	byID  map[string]*docInfo
	dicts [nLangs]*fieldDict
	// byMeasure lists the facts of each measure, for candidates that the
	// words of a question miss.
	byMeasure map[string][]*docInfo
	// leads lists, by entity, the briefings' first paragraphs whose title
	// or heading names it: what an overview question ("tell me about
	// Khorgos") wants, which its one word may not bring among the first
	// candidates.
	leads map[sym][]*docInfo
	// sections lists, by entity, the first paragraphs of the briefings'
	// sections whose heading names it (the first section's, its heading or
	// the briefing's title), in document order.
	sections map[sym][]*docInfo
	// partners are the aliases of countries other than Kazakhstan and
	// China (knowledge.AliasPartner).
	partners map[string]bool
	// ubiquitous entities are named by most documents ("Kazakhstan",
	// "China"): they tell documents apart too little to be searched for.
	ubiquitous map[string]bool
	// The symbols of entities, numbers (years included) and measures, with
	// how many documents name each.
	entities, nums, measures *interner
	// toks are each fact's tokens in each language, in text order, for the
	// marks of an answer (Index.marks): what the analyzer made of the text
	// when the index was built, so that a question need not analyse its
	// answer again. Kept aside, not in docInfo, which 100,000 passages
	// would each pay for.
	toks map[*docInfo]*[nLangs][]tok
}

// buildDocTable analyses every fact and passage of ix.base with the index
// analyzers.
func (ix *Index) buildDocTable() (*docTable, error) {
	t := &docTable{byID: map[string]*docInfo{}, byMeasure: map[string][]*docInfo{}, leads: map[sym][]*docInfo{}, sections: map[sym][]*docInfo{}, partners: map[string]bool{}, ubiquitous: map[string]bool{}, toks: map[*docInfo]*[nLangs][]tok{},
		entities: newInterner(), nums: newInterner(), measures: newInterner()}
	for i := range t.dicts {
		t.dicts[i] = newFieldDict()
	}
	b := ix.base
	for _, a := range b.Aliases {
		if a.Kind == knowledge.AliasPartner {
			t.partners[a.ID] = true
		}
	}
	add := func(d *docInfo) {
		if len(t.docs)%16 == 0 {
			// A reload builds the table while searches run on the old
			// index: let them have the processor between documents
			// rather than wait out the scheduler's 10 ms time slice.
			runtime.Gosched()
		}
		t.docs = append(t.docs, d)
		t.byID[d.id] = d
		for _, e := range d.entities {
			t.entities.df[e]++
		}
		for _, n := range d.nums {
			t.nums.df[n]++
		}
		for _, m := range slices.Compact(slices.Sorted(slices.Values(d.measures))) {
			t.measures.df[m]++
		}
		for _, y := range d.years {
			t.nums.df[t.nums.intern(strconv.Itoa(int(y)))]++
		}
	}
	for _, f := range b.Facts {
		d := &docInfo{id: f.ID, fact: f, period: f.Date, measures: t.measures.list(f.Measures)}
		toks := new([nLangs][]tok)
		t.toks[d] = toks
		for _, l := range knowledge.Langs {
			li := langIndex(l)
			ts, err := ix.tokens(analyzerName(l, ix.opts.Kazakh, false), textInput(l, f.Text[l]))
			if err != nil {
				return nil, err
			}
			terms := distinctTerms(ts, 0)
			dict := t.dicts[li]
			d.terms[li] = dict.add(terms)
			kept := make([]tok, 0, len(ts))
			for _, x := range ts {
				if len(x.Term) > 0 {
					kept = append(kept, tok{id: dict.ids[string(x.Term)], start: uint32(x.Start), end: uint32(x.End)})
				}
			}
			toks[li] = kept
		}
		doc := ix.document(f.ID, func() document { return ix.factDoc(f) })
		d.entities = t.entities.set(strs(doc[fieldEntities]))
		nums, years := splitYears(strs(doc[fieldNums]))
		d.nums, d.years = t.nums.set(nums), years
		d.from, d.to = periodYears(f.Date)
		for _, fg := range f.Figures {
			from, to := periodYears(fg.Date)
			d.from, d.to = widen(d.from, d.to, from, to)
			d.dated = d.dated || isDate(fg)
		}
		for y := d.from; y > 0 && y <= d.to && y-d.from < 50; y++ {
			d.years = append(d.years, int16(y))
		}
		slices.Sort(d.years)
		d.years = slices.Compact(d.years)
		for _, m := range f.Measures {
			if v := b.LatestPeriod(m); v != "" && v == f.Date && (!b.Numeric(m) || hasAmountAt(f, v)) {
				d.newest = true
			}
			t.byMeasure[m] = append(t.byMeasure[m], d)
		}
		add(d)
	}
	for _, doc := range b.Documents {
		for i := range doc.Passages {
			p := &doc.Passages[i]
			text := passagePrefix(doc, p) + p.Text
			d := &docInfo{id: p.ID, passage: p, document: doc}
			li := langIndex(p.Lang)
			terms, err := ix.analyze(analyzerName(p.Lang, ix.opts.Kazakh, false), textInput(p.Lang, text), 0)
			if err != nil {
				return nil, err
			}
			d.terms[li] = t.dicts[li].add(terms)
			bd := ix.document(p.ID, func() document { return ix.passageDoc(doc, p) })
			d.entities = t.entities.set(strs(bd[fieldEntities]))
			nums, years := splitYears(strs(bd[fieldNums]))
			d.nums, d.years = t.nums.set(nums), years
			if len(d.years) > 0 {
				d.from, d.to = int(d.years[0]), int(d.years[len(d.years)-1])
			}
			d.measures = t.measures.list(strs(bd[fieldMeasures]))
			d.headingEntities = t.entities.set(ix.matcher.IDs(doc.Title + "\n" + p.Heading))
			if strings.HasSuffix(p.ID, "#1") {
				for _, e := range d.headingEntities {
					t.leads[e] = append(t.leads[e], d)
				}
			}
			if i == 0 || doc.Passages[i-1].Heading != p.Heading {
				d.sectionEntities = d.headingEntities
				if i > 0 {
					d.sectionEntities = t.entities.set(ix.matcher.IDs(p.Heading))
				}
				for _, e := range d.sectionEntities {
					t.sections[e] = append(t.sections[e], d)
				}
			}
			add(d)
		}
	}
	for _, dict := range t.dicts {
		dict.finish()
	}
	for e, n := range t.entities.df {
		if float64(n) > 0.4*float64(len(t.docs)) {
			t.ubiquitous[t.entities.names[e]] = true
		}
	}
	return t, nil
}

// textInput is what an analyzer reads of a text: Chinese without its
// function characters, as questions are read.
func textInput(l knowledge.Lang, s string) string { return s }

func strs(v any) []string {
	ss, _ := v.([]string)
	return ss
}

// splitYears separates the years (1990–2099), sorted and distinct, from
// other numbers.
func splitYears(nums []string) (rest []string, years []int16) {
	for _, n := range nums {
		if len(n) == 4 && n >= "1990" && n <= "2099" {
			y, _ := strconv.Atoi(n)
			years = append(years, int16(y))
			continue
		}
		rest = append(rest, n)
	}
	slices.Sort(years)
	return rest, slices.Compact(years)
}

// periodYears returns the first and last year of a period written as in
// Fact.Date, or 0, 0.
func periodYears(p string) (from, to int) {
	pp := knowledge.PeriodOf(p)
	return pp.From, pp.To
}

func widen(from, to, f2, t2 int) (int, int) {
	switch {
	case f2 == 0:
		return from, to
	case from == 0:
		return f2, t2
	}
	return min(from, f2), max(to, t2)
}

// maxNear bounds the typo candidates of one word; words shorter than
// minFuzzyRunes get none (measured: short stems one edit away are other
// words too often, e.g. Kazakh халқы → халық).
const (
	maxNear       = 8
	maxScan       = 5000
	minFuzzyRunes = 6
)

// near returns the terms of the field a word the field does not hold may
// stand for: its longest prefix the field holds, one to three letters
// shorter and at least four long (an inflection the stemmer missed), or
// else up to maxNear terms within one edit of it that share its first two
// letters (a typo).
func (d *fieldDict) near(term string) []termID {
	r := []rune(term)
	for n := len(r) - 1; n >= max(4, len(r)-3); n-- {
		if id, ok := d.ids[string(r[:n])]; ok {
			return []termID{id}
		}
	}
	if len(r) < minFuzzyRunes {
		return nil
	}
	prefix := string(r[:2])
	var out []termID
	i := sort.SearchStrings(d.sorted, prefix)
	for scanned := 0; i < len(d.sorted) && scanned < maxScan && len(out) < maxNear; i, scanned = i+1, scanned+1 {
		t := d.sorted[i]
		if !strings.HasPrefix(t, prefix) {
			break
		}
		if t != term && withinOneEdit(t, term) {
			out = append(out, d.ids[t])
		}
	}
	return out
}

// withinOneEdit reports whether a and b differ by at most one insertion,
// deletion or substitution of a letter, or two neighbouring letters
// swapped ("brigdes", "trunover": the commonest slip on a phone keyboard).
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if swapped(ra, rb) {
		return true
	}
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

// swapped reports whether b is a with two neighbouring letters swapped.
func swapped(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && string(a[i+2:]) == string(b[i+2:])
}

// hasAmountAt reports whether the fact gives an amount — not a share or a
// ratio — for the period v: "the newest figure" of a measure is one.
func hasAmountAt(f *knowledge.Fact, v string) bool {
	for _, fg := range f.Figures {
		if fg.Date == v && isAmount(fg) {
			return true
		}
	}
	return false
}

// isDate reports whether a figure is a date or a year (when something
// happened) rather than a quantity.
func isDate(fg knowledge.Figure) bool {
	switch fg.Unit {
	case "date", "dates", "year":
		return true
	}
	return false
}

// tellsChange reports whether d is a fact that tells a change itself: its
// period spans years, or it gives a multiple ("grew ~100 times").
func tellsChange(d *docInfo) bool {
	if d.fact == nil {
		return false
	}
	if d.from > 0 && d.from < d.to && knowledge.PeriodOf(d.period).Kind == knowledge.PeriodRange {
		return true
	}
	for _, fg := range d.fact.Figures {
		if fg.Unit == "times" {
			return true
		}
	}
	return false
}

// isAmount reports whether a figure is an amount of something rather than
// a share or a ratio.
func isAmount(fg knowledge.Figure) bool { return fg.Unit != "%" && fg.Unit != "times" }
