package knowledge

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// lexicon finds phrases in folded text, longest match first, left to right,
// without overlaps. A phrase is a run of words, each matched exactly or, when
// written with a trailing "*", as the start of a word ("объем* торговл*"
// matches "объемом торговли"); a phrase with Chinese in it has no word
// boundaries and is matched as a substring of the text. The measures'
// thesaurus and the question cues are both lexicons; the alias Matcher keeps
// its own, overlapping, semantics.
//
// A lexicon is built once and is safe for concurrent use.
type lexicon struct {
	entries []lexEntry
	exact   map[string][]int32 // first word → entries
	prefix  map[string][]int32 // first-word stem → entries
	preLens []int              // byte lengths of the stems, longest first
	subs    map[rune][]int32   // first rune → substring entries, longest first
	starts  runeSet            // the first runes of subs
	fuzzy   map[string][]int32 // see buildFuzzy; nil when not built
}

type lexEntry struct {
	words  []string // folded; nil for a substring entry
	prefix uint64   // bit i: words[i] matches any word it starts
	sub    string   // folded substring, for Chinese (and symbols)
	tag    int32
	size   int // bytes of pattern, the tie-breaker between equally long matches
	exact  bool
}

// lexHit is one match: the entry's tag over bytes [start, end) of the folded
// text, which for a word phrase are words [w0, w1).
type lexHit struct {
	tag        int32
	entry      int32
	w0, w1     int // -1 for a substring match
	start, end int
	typo       bool // found by the typo fallback (nearest)
}

func newLexicon() *lexicon {
	return &lexicon{exact: map[string][]int32{}, prefix: map[string][]int32{}, subs: map[rune][]int32{}}
}

// maxPhraseWords bounds a phrase, so that its prefix flags fit one word.
const maxPhraseWords = 64

// add compiles one form under tag. It reports false for a form with nothing
// to match.
func (x *lexicon) add(form string, tag int32) bool {
	e, ok := compileForm(form)
	if !ok {
		return false
	}
	e.tag = tag
	i := int32(len(x.entries))
	x.entries = append(x.entries, e)
	switch {
	case e.words == nil:
		r, _ := utf8.DecodeRuneInString(e.sub)
		x.subs[r] = append(x.subs[r], i)
		x.starts.add(r)
	case e.prefix&1 != 0:
		x.prefix[e.words[0]] = append(x.prefix[e.words[0]], i)
		if n := len(e.words[0]); !containsInt(x.preLens, n) {
			x.preLens = append(x.preLens, n)
			sort.Sort(sort.Reverse(sort.IntSlice(x.preLens)))
		}
	default:
		x.exact[e.words[0]] = append(x.exact[e.words[0]], i)
	}
	return true
}

// finish orders the substring entries longest first; call it once all
// forms are added.
func (x *lexicon) finish() {
	for _, ids := range x.subs {
		sort.SliceStable(ids, func(a, b int) bool { return len(x.entries[ids[a]].sub) > len(x.entries[ids[b]].sub) })
	}
}

// compileForm folds a form and splits it into words, each with its "*".
func compileForm(form string) (lexEntry, bool) {
	norm := qfold(strings.TrimSpace(form))
	if hasHan(norm) || len(words(norm)) == 0 {
		sub := strings.TrimSuffix(norm, "*")
		if strings.TrimSpace(sub) == "" {
			return lexEntry{}, false
		}
		return lexEntry{sub: sub, size: len(sub), exact: true}, true
	}
	var e lexEntry
	e.exact = true
	for _, chunk := range strings.Fields(norm) {
		star := strings.HasSuffix(chunk, "*")
		ws := words(strings.TrimRight(chunk, "*"))
		for j, w := range ws {
			if len(e.words) == maxPhraseWords {
				return lexEntry{}, false
			}
			if star && j == len(ws)-1 {
				e.prefix |= 1 << uint(len(e.words))
				e.exact = false
			}
			e.words = append(e.words, w.w)
			e.size += len(w.w)
		}
	}
	return e, len(e.words) > 0
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// find appends to out the phrases found in the folded text norm, split into
// ws. Equally good matches of one span (a form listed under two tags) are
// all reported, in the order they were added.
func (x *lexicon) find(norm string, ws []word, out []lexHit) []lexHit {
	for i := 0; i < len(ws); {
		n := x.matchAt(ws, i, &out)
		if n == 0 {
			n = 1
		}
		i += n
	}
	if len(x.subs) == 0 {
		return out
	}
	covered := 0
	for i, r := range norm {
		if i < covered || !x.starts.mayHold(r) {
			continue
		}
		ids := x.subs[r]
		best := -1
		for _, id := range ids {
			e := &x.entries[id]
			if best >= 0 && len(e.sub) < best {
				break // longest first: nothing longer follows
			}
			if strings.HasPrefix(norm[i:], e.sub) {
				best = len(e.sub)
				out = append(out, lexHit{tag: e.tag, entry: id, w0: -1, w1: -1, start: i, end: i + best})
			}
		}
		if best > 0 {
			covered = i + best
		}
	}
	return out
}

// matchAt reports the best phrases starting at word i and returns how many
// words they span (0 for none).
func (x *lexicon) matchAt(ws []word, i int, out *[]lexHit) int {
	w := ws[i].w
	m := match{first: len(*out)}
	for _, id := range x.exact[w] {
		x.consider(ws, i, id, &m, out)
	}
	for _, n := range x.preLens {
		if n > len(w) || n < len(w) && !utf8.RuneStart(w[n]) {
			continue
		}
		for _, id := range x.prefix[w[:n]] {
			x.consider(ws, i, id, &m, out)
		}
	}
	return m.n
}

// match is the best so far at one position: its length in words, pattern
// size and exactness, and where its hits start in out.
type match struct {
	n, size, first int
	exact          bool
}

// consider adds entry id to the hits at word i if it matches there and is
// no worse than the best so far, dropping those it beats.
func (x *lexicon) consider(ws []word, i int, id int32, m *match, out *[]lexHit) {
	e := &x.entries[id]
	n := len(e.words)
	if i+n > len(ws) {
		return
	}
	for j := 1; j < n; j++ {
		t := ws[i+j].w
		if e.prefix&(1<<uint(j)) != 0 {
			if !strings.HasPrefix(t, e.words[j]) {
				return
			}
		} else if t != e.words[j] {
			return
		}
	}
	switch better := n > m.n || n == m.n && (e.size > m.size || e.size == m.size && e.exact && !m.exact); {
	case better:
		*out = (*out)[:m.first]
		m.n, m.size, m.exact = n, e.size, e.exact
	case n != m.n || e.size != m.size || e.exact != m.exact:
		return
	}
	*out = append(*out, lexHit{tag: e.tag, entry: id, w0: i, w1: i + n, start: ws[i].start, end: ws[i+n-1].end})
}

// minFuzzyRunes is the shortest word the typo fallback tries: a shorter
// word one edit away from a thesaurus word is too often another word;
// maxFuzzyRunes the longest, past which no word is a typo of another.
const (
	minFuzzyRunes = 6
	maxFuzzyRunes = 30
)

// buildFuzzy indexes the one-word entries of at least minFuzzyRunes letters
// by their one-letter deletions (symmetric deletion): two words one edit
// apart — a letter missing, added, changed or two swapped — share a key.
func (x *lexicon) buildFuzzy() {
	x.fuzzy = map[string][]int32{}
	for id, e := range x.entries {
		if len(e.words) != 1 || utf8.RuneCountInString(e.words[0]) < minFuzzyRunes {
			continue
		}
		w := e.words[0]
		x.fuzzy[w] = append(x.fuzzy[w], int32(id))
		for i, r := range w {
			k := w[:i] + w[i+utf8.RuneLen(r):]
			x.fuzzy[k] = append(x.fuzzy[k], int32(id))
		}
	}
}

// nearest appends to out the one-word entries one edit away from word w —
// w itself for an exact entry, a prefix of w for a prefix entry: the best
// such word, under every tag it is listed with. Exact entries win over
// prefixes, longer prefixes over shorter ones. buf is scratch space;
// lookups do not allocate.
func (x *lexicon) nearest(w string, buf []byte, out []int32) []int32 {
	best := x.nearestOne(w, buf)
	if best < 0 {
		return out
	}
	b := &x.entries[best]
	for _, id := range x.fuzzy[b.words[0]] {
		if e := &x.entries[id]; e.words[0] == b.words[0] && e.prefix == b.prefix {
			out = append(out, id)
		}
	}
	return out
}

func (x *lexicon) nearestOne(w string, buf []byte) int32 {
	n := utf8.RuneCountInString(w)
	if x.fuzzy == nil || n < minFuzzyRunes || n > maxFuzzyRunes {
		return -1
	}
	best, bestLen := int32(-1), -1
	// try looks up p and its one-letter deletions; ok says which entries
	// may match a key of p's length in runes.
	try := func(p string, ok func(e *lexEntry) bool) {
		check := func(ids []int32) {
			for _, id := range ids {
				if e := &x.entries[id]; ok(e) && len(e.words[0]) > bestLen && oneEdit(p, e.words[0]) {
					best, bestLen = id, len(e.words[0])
				}
			}
		}
		check(x.fuzzy[p])
		for i, r := range p {
			buf = append(append(buf[:0], p[:i]...), p[i+utf8.RuneLen(r):]...)
			check(x.fuzzy[string(buf)])
		}
	}
	runes := func(s string) int { return utf8.RuneCountInString(s) }
	try(w, func(e *lexEntry) bool { return e.prefix == 0 && abs(runes(e.words[0])-n) <= 1 })
	if best >= 0 {
		return best
	}
	// A prefix entry: a prefix of w one edit away from the stem.
	end := len(w)
	for l := n; l >= minFuzzyRunes-1 && best < 0; l-- {
		p := w[:end]
		try(p, func(e *lexEntry) bool { return e.prefix != 0 && abs(runes(e.words[0])-l) <= 1 })
		_, size := utf8.DecodeLastRuneInString(p)
		end -= size
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// oneEdit reports whether a and b are at most one edit apart: a letter
// added, dropped or changed, or two neighbours swapped. (Symmetric deletion
// also pairs words two edits apart, "exchange" and "echanges".)
func oneEdit(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if len(ra) < len(rb) { // one letter more in b, at i
		return string(ra[i:]) == string(rb[i+1:])
	}
	if string(ra[i+1:]) == string(rb[i+1:]) { // one letter changed
		return true
	}
	return i+1 < len(ra) && ra[i] == rb[i+1] && ra[i+1] == rb[i] && string(ra[i+2:]) == string(rb[i+2:]) // swapped
}
