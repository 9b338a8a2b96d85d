package knowledge

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Counter is a counting body: the one whose statistics a figure is —
// Chinese customs, Kazakhstan's statistics bureau. Two bodies that count the
// same trade differently give two series of it, never one (see Series).
//
// A figure's counter is found by its By: a counter lists the phrasings of By
// that mean it ("GACC", "Chinese customs", "Kazakh statistics"), and the
// measures it counts, so that "GAC" on a rail figure is not taken for
// customs trade statistics. Where By is ambiguous a figure names its counter
// itself (Figure.Counter).
type Counter struct {
	ID string
	// Name is the display name, in all five languages.
	Name Text
	// Measures are the ids of the measures the body counts.
	Measures []string
	// By are the phrasings of Figure.By that mean the body, matched as
	// whole words anywhere in By, ignoring case.
	By  []string
	Pos Pos
}

// Counter returns the counting body with the given id, or nil.
func (b *Base) Counter(id string) *Counter { return findCounter(b.Counters, id) }

// Counts reports whether the body counts the measure.
func (c *Counter) Counts(measure string) bool { return contains(c.Measures, measure) }

// errAmbiguousBy is returned by counterOf when By names two bodies.
var errAmbiguousBy = errors.New("names more than one counting body")

// FigureCounter returns the counting body whose figure fg is, as a figure of
// measure: the one it names itself, or the one its By means; nil when By
// names none (or names two: the loader reports that).
func (b *Base) FigureCounter(fg Figure, measure string) *Counter {
	c, _ := counterOf(b.Counters, fg, measure)
	return c
}

// counterOf finds fg's counter among cs, as a figure of measure.
func counterOf(cs []*Counter, fg Figure, measure string) (*Counter, error) {
	if fg.Counter != "" {
		for _, c := range cs {
			if c.ID == fg.Counter {
				return c, nil
			}
		}
		return nil, fmt.Errorf("unknown counting body %q", fg.Counter)
	}
	var found *Counter
	for _, c := range cs {
		if measure != "" && !c.Counts(measure) {
			continue
		}
		for _, p := range c.By {
			if containsPhrase(fg.By, p) {
				if found != nil && found != c {
					return nil, fmt.Errorf("by %q %w: %s and %s", fg.By, errAmbiguousBy, found.ID, c.ID)
				}
				found = c
			}
		}
	}
	return found, nil
}

// containsPhrase reports whether phrase occurs in s as whole words, ignoring
// case: "GAC" is in "GAC (Chinese customs)", not in "GACC".
func containsPhrase(s, phrase string) bool {
	ls, lp := strings.ToLower(s), strings.ToLower(phrase)
	if lp == "" {
		return false
	}
	for from := 0; from < len(ls); {
		i := strings.Index(ls[from:], lp)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(lp)
		before, _ := utf8.DecodeLastRuneInString(ls[:start])
		after, _ := utf8.DecodeRuneInString(ls[end:])
		if !wordRune(before) && !wordRune(after) {
			return true
		}
		from = start + 1
	}
	return false
}

func wordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// counterSum hashes a counter's content, not where it sits in a file.
func counterSum(c *Counter) [32]byte {
	g := *c
	g.Pos = Pos{}
	b, _ := json.Marshal(g)
	return sha256.Sum256(b)
}

// counterFile loads one file of counting bodies.
func (l *loader) counterFile(name string, data []byte) {
	root := l.parseYAML(name, data, 0)
	if root == nil {
		return
	}
	if l.counterIDs == nil {
		l.counterIDs = map[string]Pos{}
	}
	top := node{l, name, 0, root}.fields("counter file", "counters", "names")
	if cn, ok := top["counters"]; ok {
		for _, cn := range cn.list("counters") {
			if c := l.counter(cn); c != nil {
				l.b.Counters = append(l.b.Counters, c)
			}
		}
	}
	if nn, ok := top["names"]; ok {
		for _, n := range nn.list("names") {
			if c := l.named(n); c != nil {
				l.b.Names = append(l.b.Names, c)
			}
		}
	}
}

func (l *loader) counter(n node) *Counter {
	fs := n.fields("counter", "id", "name", "measures", "by")
	id, label, ok := l.entryID(n, fs, "counter")
	if !ok {
		return nil
	}
	c := &Counter{ID: id, Pos: n.pos(), Name: l.entryName(n, fs, label)}
	mn, ok := fs["measures"]
	for _, m := range mn.list("measures") {
		id := m.str("measure")
		switch {
		case id == "":
		case contains(c.Measures, id):
			l.addf(m.pos(), "%s lists measure %q twice", label, id)
		default:
			c.Measures = append(c.Measures, id)
			l.counterRefs = append(l.counterRefs, measureRef{c.ID, id, m.pos()})
		}
	}
	if !ok || len(c.Measures) == 0 {
		l.addf(n.pos(), "%s has no measures", label)
	}
	c.By = l.entryBy(n, fs, label, "the phrasings of a figure's by that mean it")
	return c
}

// entryID reads the id of a counter or a name (kind), which share one
// namespace, and returns it with the entry's label for problems.
func (l *loader) entryID(n node, fs map[string]node, kind string) (id, label string, ok bool) {
	id = fs["id"].str("id")
	switch {
	case id == "":
		l.addf(n.pos(), "%s has no id", kind)
		return "", "", false
	case !idRE.MatchString(id):
		l.addf(n.pos(), "%s id %q must be lower-case letters, digits and dashes", kind, id)
		return "", "", false
	}
	if first, dup := l.counterIDs[id]; dup {
		l.addf(n.pos(), "duplicate %s id %q (first at %s:%d)", kind, id, first.File, first.Line)
		return "", "", false
	}
	l.counterIDs[id] = n.pos()
	return id, fmt.Sprintf("%s %q", kind, id), true
}

// entryName reads an entry's name in all five languages.
func (l *loader) entryName(n node, fs map[string]node, label string) Text {
	nn, ok := fs["name"]
	if !ok {
		l.addf(n.pos(), "%s has no name", label)
		return nil
	}
	t := Text{}
	names := nn.fields("name", langKeys()...)
	for _, lang := range Langs {
		if s := names[string(lang)].str("name"); s != "" {
			t[lang] = s
		} else {
			l.addf(nn.pos(), "%s has no name in %s", label, lang)
		}
	}
	return t
}

// entryBy reads an entry's by: the ways a figure's by writes it; hint
// says what they are when there are none.
func (l *loader) entryBy(n node, fs map[string]node, label, hint string) []string {
	var out []string
	bn, ok := fs["by"]
	for _, p := range bn.list("by") {
		s := p.str("by")
		switch {
		case s == "":
		case !strings.ContainsFunc(s, wordRune):
			l.addf(p.pos(), "%s: by %q has no letters or digits", label, s)
		case slicesContainsFold(out, s):
			l.addf(p.pos(), "%s lists by %q twice", label, s)
		default:
			out = append(out, s)
		}
	}
	if !ok || len(out) == 0 {
		l.addf(n.pos(), "%s has no by (%s)", label, hint)
	}
	return out
}

func slicesContainsFold(xs []string, x string) bool {
	for _, s := range xs {
		if strings.EqualFold(s, x) {
			return true
		}
	}
	return false
}

// checkCounters reports, once every file is read: counters' unknown
// measures; figures naming an unknown counter or one that does not count
// their measures; figures whose By names two counting bodies; and figures
// that belong to a series (SeriesFigure) whose amount cannot be read.
func (l *loader) checkCounters() {
	for _, r := range l.counterRefs {
		if _, ok := l.measureIDs[r.measure]; !ok {
			l.addf(r.pos, "counter %q counts unknown measure %q", r.fact, r.measure)
		}
	}
	numeric := map[string]bool{}
	for _, m := range l.b.Thesaurus {
		numeric[m.ID] = m.Numeric
	}
	for _, f := range l.b.Facts {
		label := fmt.Sprintf("fact %q", f.ID)
		for _, fg := range f.Figures {
			if fg.Counter != "" {
				c := findCounter(l.b.Counters, fg.Counter)
				switch {
				case c == nil:
					l.addf(fg.Pos, "%s: figure %q names unknown counter %q", label, fg.Value, fg.Counter)
				case !countsAny(c, f.Measures):
					l.addf(fg.Pos, "%s: figure %q names counter %q, which counts none of the fact's measures", label, fg.Value, fg.Counter)
				}
			} else {
				for _, m := range f.Measures {
					if _, err := counterOf(l.b.Counters, fg, m); err != nil {
						l.addf(fg.Pos, "%s: figure %q: %v; say which with counter:", label, fg.Value, err)
						break
					}
				}
			}
			if fg.AmountText != "" && fg.AmountText != NotAmount {
				if _, err := fg.Amount(); err != nil && !errors.Is(err, ErrNotQuantity) {
					l.addf(fg.Pos, "%s: figure %q: amount %q cannot be read: %v", label, fg.Value, fg.AmountText, err)
				}
				continue
			}
			if !seriesFigure(f, fg, numeric) {
				continue
			}
			if _, err := fg.Amount(); err != nil && !errors.Is(err, ErrNotQuantity) {
				l.addf(fg.Pos, "%s: figure %q of a numeric measure cannot be read as an amount (%v); rewrite the value or give amount: (a readable value, or %q)", label, fg.Value, err, NotAmount)
			}
		}
	}
}

// seriesFigure reports whether a figure must be readable as an amount: it is
// dated, in a unit that is a quantity, and its fact names a numeric measure.
func seriesFigure(f *Fact, fg Figure, numeric map[string]bool) bool {
	if fg.Date == "" || !AmountUnit(fg.Unit) {
		return false
	}
	for _, m := range f.Measures {
		if numeric[m] {
			return true
		}
	}
	return false
}

func findCounter(cs []*Counter, id string) *Counter {
	for _, c := range cs {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func countsAny(c *Counter, measures []string) bool {
	for _, m := range measures {
		if c.Counts(m) {
			return true
		}
	}
	return false
}
