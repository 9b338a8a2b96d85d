package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AliasMatch is one entity named in a text, at bytes [Start, End).
type AliasMatch struct {
	ID         string
	Start, End int
}

// Matcher finds the entities of an alias table in text, whatever language,
// script or inflection names them. It is safe for concurrent use.
type Matcher struct {
	words  map[string][]wordForm // by first word
	prefix map[string][]string   // one-word prefix forms: prefix → ids
	subs   map[rune][]substrForm // forms without word boundaries (Chinese, symbols)
	starts runeSet               // the first runes of subs
	minPre int                   // shortest prefix form, in runes
	maxPre int                   // longest prefix form, in bytes
}

type wordForm struct {
	id         string
	words      []string
	prefixLast bool
}

type substrForm struct {
	id, form string
}

// NewMatcher compiles an alias table.
func NewMatcher(aliases []Alias) *Matcher {
	m := &Matcher{words: map[string][]wordForm{}, prefix: map[string][]string{}, subs: map[rune][]substrForm{}, minPre: 1 << 30}
	for _, a := range aliases {
		var forms []string
		for _, f := range a.Forms {
			forms = append(forms, f)
			// The same form typed on a Russian keyboard (Қорғас as
			// коргас, ҚХР as кхр), unless that spells something else.
			if t := questionFold(Fold(f)); t != Fold(f) && !keyboardClashes[strings.TrimSuffix(t, "*")] {
				forms = append(forms, t)
			}
		}
		for _, f := range forms {
			prefix := strings.HasSuffix(f, "*")
			f = strings.TrimSuffix(f, "*")
			norm := Fold(f)
			ws := words(norm)
			switch {
			case hasHan(norm) || len(ws) == 0:
				r, _ := utf8.DecodeRuneInString(norm)
				m.subs[r] = append(m.subs[r], substrForm{a.ID, norm})
				m.starts.add(r)
			case prefix && len(ws) == 1:
				m.prefix[ws[0].w] = append(m.prefix[ws[0].w], a.ID)
				m.minPre = min(m.minPre, utf8.RuneCountInString(ws[0].w))
				m.maxPre = max(m.maxPre, len(ws[0].w))
			default:
				texts := make([]string, len(ws))
				for i, w := range ws {
					texts[i] = w.w
				}
				m.words[texts[0]] = append(m.words[texts[0]], wordForm{a.ID, texts, prefix})
			}
		}
	}
	return m
}

// keyboardClashes are Kazakh alias forms that, typed without Kazakh
// letters, spell another name: ҚР (Kazakhstan) as КР, which Russian uses
// for the Kyrgyz Republic; СІМ (a foreign ministry) as the Russian сим.
var keyboardClashes = map[string]bool{"кр": true, "сим": true}

// Find returns the entities named in text, longest match first at each
// place, in order of appearance. A text may name one entity several times.
func (m *Matcher) Find(text string) []AliasMatch { return m.find(text, true) }

// find is Find; without spans it skips mapping offsets back to text, and
// every match spans [0, 0).
func (m *Matcher) find(text string, spans bool) []AliasMatch {
	norm, offsets := fold(text, spans)
	at := func(i int) int {
		if offsets == nil {
			return 0
		}
		return offsets[i]
	}
	return m.findFolded(norm, words(norm), at, nil)
}

// findFolded is find on text already folded and split into words; at maps
// an offset of norm to the offset a match reports. Matches are appended to
// out.
func (m *Matcher) findFolded(norm string, ws []word, at func(int) int, out []AliasMatch) []AliasMatch {
	covered := 0 // words before this index are inside an earlier match
	for i := 0; i < len(ws); i++ {
		if i < covered {
			continue
		}
		best, bestLen := "", 0
		for _, f := range m.words[ws[i].w] {
			if len(f.words) <= bestLen || i+len(f.words) > len(ws) {
				continue
			}
			ok := true
			for j, w := range f.words {
				t := ws[i+j].w
				if j == len(f.words)-1 && f.prefixLast {
					ok = ok && strings.HasPrefix(t, w)
				} else {
					ok = ok && t == w
				}
			}
			if ok {
				best, bestLen = f.id, len(f.words)
			}
		}
		if bestLen == 0 && len(m.prefix) > 0 {
			w := ws[i].w
			// Longest prefix first, none longer than the longest form nor
			// shorter than the shortest.
			end, n := len(w), utf8.RuneCountInString(w)
			for end > m.maxPre {
				_, size := utf8.DecodeLastRuneInString(w[:end])
				end, n = end-size, n-1
			}
			for ; n >= m.minPre; n-- {
				if ids, ok := m.prefix[w[:end]]; ok {
					best, bestLen = ids[0], 1
					for _, id := range ids[1:] {
						out = append(out, AliasMatch{id, at(ws[i].start), at(ws[i].end)})
					}
					break
				}
				_, size := utf8.DecodeLastRuneInString(w[:end])
				end -= size
			}
		}
		if bestLen > 0 {
			out = append(out, AliasMatch{best, at(ws[i].start), at(ws[i+bestLen-1].end)})
			covered = i + bestLen
		}
	}
	// Forms without word boundaries: scan every position.
	if len(m.subs) > 0 {
		for i, r := range norm {
			if !m.starts.mayHold(r) {
				continue
			}
			for _, f := range m.subs[r] {
				if strings.HasPrefix(norm[i:], f.form) {
					out = append(out, AliasMatch{f.id, at(i), at(i + len(f.form))})
				}
			}
		}
	}
	return out
}

// IDs returns the distinct entity ids named in text, in order of appearance.
func (m *Matcher) IDs(text string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, a := range m.find(text, false) {
		if !seen[a.ID] {
			seen[a.ID] = true
			ids = append(ids, a.ID)
		}
	}
	return ids
}

type word struct {
	w          string
	start, end int // bytes in the folded text
}

// words splits folded text into runs of letters and digits. Han characters
// are left out: they have no word boundaries and are matched as substrings.
func words(s string) []word {
	out := make([]word, 0, 1+strings.Count(s, " "))
	start := -1
	for i, r := range s {
		in := isWordRune(r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, word{s[start:i], start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{s[start:], start, len(s)})
	}
	return out
}

// isWordRune reports whether r belongs to a word: a letter, digit or
// combining mark, but no Han character.
func isWordRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isASCIILetter(r) || '0' <= r && r <= '9'
	case 'А' <= r && r <= 'я': // the Russian alphabet
		return true
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !unicode.Is(unicode.Han, r)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Fold lower-cases s, writes ё as е and strips Latin accents, so that names
// meet however they are typed.
func Fold(s string) string {
	f, _ := fold(s, false)
	return f
}

var latinFold = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a", 'ç': "c", 'ć': "c",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'î': "i", 'ï': "i", 'í': "i", 'ì': "i", 'ı': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ñ': "n", 'œ': "oe", 'æ': "ae", 'ǵ': "g", 'ğ': "g", 'ş': "s", 'š': "s",
	'ž': "z", 'č': "c", 'ё': "е", '’': "'", 'ʼ': "'",
}

// fold folds s and, if asked, maps every byte offset of the result (and
// its end) back to the offset in s it came from.
func fold(s string, withOffsets bool) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	var offsets []int
	if withOffsets {
		offsets = make([]int, 0, len(s)+1)
	}
	for i, r := range s {
		var n int
		if r, rep := foldRune(r); rep != "" {
			n, _ = b.WriteString(rep)
		} else {
			n, _ = b.WriteRune(r)
		}
		if withOffsets {
			for range n {
				offsets = append(offsets, i)
			}
		}
	}
	if withOffsets {
		offsets = append(offsets, len(s))
	}
	return b.String(), offsets
}

// foldRune lower-cases r and returns what it is written as, if not
// itself: without its accent, ё as е. ASCII and the Russian alphabet, most
// of any question, are lower-cased without a table.
func foldRune(r rune) (lower rune, rep string) {
	switch {
	case 'A' <= r && r <= 'Z':
		return r + 'a' - 'A', ""
	case r < utf8.RuneSelf, 'а' <= r && r <= 'я':
		return r, ""
	case 'А' <= r && r <= 'Я':
		return r + 'а' - 'А', ""
	}
	r = unicode.ToLower(r)
	return r, latinFold[r]
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// runeSet is a set of runes that answers "surely not" cheaply, before a
// map keyed by rune is asked: it knows its ASCII members and its smallest
// other one. The substring forms of aliases and lexicons start with Han
// characters and a few symbols, so most letters of a text are turned away
// without a lookup.
type runeSet struct {
	ascii    [utf8.RuneSelf]bool
	minOther rune // smallest member outside ASCII; 0 for none
}

func (s *runeSet) add(r rune) {
	switch {
	case r < utf8.RuneSelf:
		s.ascii[r] = true
	case s.minOther == 0 || r < s.minOther:
		s.minOther = r
	}
}

// mayHold reports false when r is surely not in the set.
func (s *runeSet) mayHold(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && s.ascii[r]
	}
	return s.minOther != 0 && r >= s.minOther
}
