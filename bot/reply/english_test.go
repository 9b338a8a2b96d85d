package reply

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"factbot/knowledge"
)

// The English detector: a Russian, Kazakh, Chinese or French reader must
// see no English word in an answer, outside what stays as published —
// source titles, publishers' names, links — and a short list of proper
// names and acronyms that every language writes in Latin letters.

// allowedLatin are the names and acronyms the other languages write as
// English does. Each is a proper name or an international abbreviation
// (the texts of the base write them so in every language): keep it short.
var allowedLatin = map[string]bool{
	// State companies, programmes and bodies known by their Latin acronym.
	"gacc": true, "gac": true, "cnpc": true, "cnnc": true, "ktz": true, "titr": true, "mofcom": true,
	"sasac": true, "ciftis": true, "ciie": true, "icbc": true, "sco": true, "cis": true,
	"bri": true, "nwpu": true, "blcu": true, "kaznu": true, "enu": true, "edb": true,
	// Units the press of every language writes in Latin letters (fr "20 Mt/an",
	// kk "347 000 TEU").
	"teu": true, "mt": true, "mw": true, "gw": true, "gwh": true, "mwc": true, "km": true, "ha": true,
	// A company's name written as it writes it.
	"aktobemunaigas": true,
	// People whose names French writes in Latin letters as English does.
	"nuryshev": true,
}

// latinWord is a run of Latin letters (with inner apostrophes or hyphens).
var latinWord = regexp.MustCompile(`\p{Latin}+(?:['’-]\p{Latin}+)*`)

// alsoFrench are French words spelt as English ones that the French texts
// of the base happen not to use, but its notes and figures do.
var alsoFrench = []string{"bus", "stand", "ports", "export", "volume", "distance", "inauguration", "notes", "textiles"}

// romanNumeral is a quarter's or a half's number, as ru and kk write it.
var romanNumeral = regexp.MustCompile(`^(?:I|II|III|IV)$`)

// urlRE finds links in rendered text.
var urlRE = regexp.MustCompile(`https?://\S+`)

type englishDetector struct {
	base     *knowledge.Base
	english  map[string]bool                    // English words of the base
	legit    map[knowledge.Lang]map[string]bool // Latin words the language's own texts use
	verbatim []string                           // publishers' names and source titles, longest first
}

var (
	detectorOnce sync.Once
	detector     *englishDetector
)

// curatedDetector builds the detector from the curated base: the English
// vocabulary is every word of its English texts (facts, notes,
// disagreements, labels); a word is legitimate in a language when that
// language's own texts use it outside publishers' names ("transit",
// "dollars" in French).
func curatedDetector(tb testing.TB) *englishDetector {
	tb.Helper()
	detectorOnce.Do(func() {
		b, err := knowledge.Load(knowledge.Curated())
		if err != nil {
			panic(err)
		}
		d := &englishDetector{base: b, english: map[string]bool{}, legit: map[knowledge.Lang]map[string]bool{}}
		seen := map[string]bool{}
		addVerbatim := func(s string) {
			if s = strings.TrimSpace(s); s != "" && !seen[s] {
				seen[s] = true
				d.verbatim = append(d.verbatim, s)
			}
		}
		for _, f := range b.Facts {
			for _, s := range f.Sources {
				addVerbatim(s.Publisher)
				addVerbatim(s.Title)
				// "Trend (trend.az)": the name before the site is a publisher too.
				if i := strings.IndexAny(s.Publisher, "(,"); i > 0 {
					addVerbatim(s.Publisher[:i])
				}
			}
			for _, fg := range f.Figures {
				for _, p := range b.ByPublishers(fg) {
					addVerbatim(p)
				}
			}
		}
		for _, doc := range b.Documents {
			for _, s := range doc.Sources {
				addVerbatim(s.Publisher)
				addVerbatim(s.Title)
			}
		}
		// Brands a figure's by names, written as their owners write them
		// in every language (counters/02-names.yaml).
		for _, brand := range []string{"fDi Markets", "Trip.com"} {
			addVerbatim(brand)
		}
		sort.Slice(d.verbatim, func(i, j int) bool { return len(d.verbatim[i]) > len(d.verbatim[j]) })
		words := func(s string, into map[string]bool) {
			for _, w := range latinWord.FindAllString(d.strip(s), -1) {
				into[strings.ToLower(w)] = true
			}
		}
		for _, f := range b.Facts {
			words(f.Text[knowledge.EN], d.english)
			words(f.Disagreement[knowledge.EN], d.english)
			for _, fg := range f.Figures {
				words(fg.Note[knowledge.EN], d.english)
				words(fg.Value+" "+fg.Unit, d.english)
				words(fg.By, d.english)
			}
		}
		lb := LabelsFor(knowledge.EN)
		words(strings.Join(labelStrings(lb), " "), d.english)
		for _, l := range knowledge.Langs[1:] {
			d.legit[l] = map[string]bool{}
			for _, f := range b.Facts {
				words(f.Text[l], d.legit[l])
				words(f.Disagreement[l], d.legit[l])
			}
			if l == knowledge.FR {
				for _, w := range alsoFrench {
					d.legit[l][w] = true
				}
			}
			for _, p := range b.Passages() {
				if p.Lang == l {
					words(p.Text, d.legit[l])
				}
			}
		}
		detector = d
	})
	return detector
}

// labelStrings are a label set's texts.
func labelStrings(lb Labels) []string {
	return []string{lb.NoAnswer, lb.Fallback, lb.Figures, lb.AsOf, lb.Sources, lb.Related, lb.Differ, lb.URLNotRecorded, lb.From, lb.NotSure, lb.Newest}
}

// strip removes what stays as published: links, publishers' names and
// titles, and the start of one that a shortened text cuts ("The Astana
// Time…").
func (d *englishDetector) strip(s string) string {
	s = urlRE.ReplaceAllString(s, " ")
	for _, v := range d.verbatim {
		s = strings.ReplaceAll(s, v, " ")
	}
	s = cutName.ReplaceAllStringFunc(s, func(m string) string {
		head := strings.TrimSpace(strings.TrimSuffix(m, "…"))
		for _, v := range d.verbatim {
			if len(head) > 1 && strings.HasPrefix(v, head) {
				return " "
			}
		}
		return m
	})
	// The word a shortened text ends in is cut, in any language ("sept…").
	return cutWord.ReplaceAllString(s, " ")
}

var cutWord = regexp.MustCompile(`[\p{Latin}.]+…`)

// cutName is a run of Latin words that a shortened text ends with.
var cutName = regexp.MustCompile(`[\p{Latin}' ]+…`)

// englishWords returns the English words of a rendered answer in lang.
func (d *englishDetector) englishWords(s string, lang knowledge.Lang) []string {
	var out []string
	for _, w := range latinWord.FindAllString(d.strip(s), -1) {
		lw := strings.ToLower(w)
		if romanNumeral.MatchString(w) || len([]rune(w)) == 1 {
			continue // "I кв. 2024", "T1 2024", "5 h", "20 t"
		}
		if d.english[lw] && !d.legit[lang][lw] && !allowedLatin[lw] {
			out = append(out, w)
		}
	}
	return out
}

// htmlText is a rendered message's text with its tags dropped and its
// entities read (the link targets are dropped with the tags).
func htmlText(ms []Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(tagRE.ReplaceAllString(m.HTML, " "))
		b.WriteString("\n")
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`).Replace(b.String())
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// answersFor renders every way an answer with the fact shows: as the
// answer (with a related fact), as one of the closest facts when unsure,
// as a card; each as Telegram HTML and as plain text.
func answersFor(b *knowledge.Base, f *knowledge.Fact, lang knowledge.Lang) map[string]string {
	hit := func(f *knowledge.Fact) knowledge.Hit {
		text, ok := f.Text.In(lang)
		return knowledge.Hit{ID: f.ID, Kind: knowledge.KindFact, Lang: lang, Text: text, Fallback: !ok, Fact: f}
	}
	related := b.Facts[0]
	if related == f {
		related = b.Facts[1]
	}
	answer := Reply{Question: "q", Lang: lang, Tier: knowledge.TierAnswer, Answered: true, Best: hit(f), Related: []knowledge.Hit{hit(related)}}
	closest := Reply{Question: "q", Lang: lang, Tier: knowledge.TierClosest, Closest: []knowledge.Hit{hit(f)}}
	return map[string]string{
		"answer html":  htmlText(RenderAnswer(answer)),
		"answer plain": PlainText(answer),
		"closest html": htmlText(RenderAnswer(closest)),
		"closest text": PlainText(closest),
		"card html":    htmlText(RenderHit(hit(f), lang)),
		"sources html": htmlText(RenderSources(answer)),
	}
}

// TestNoEnglishInAnswers renders, for every fact of the curated base and
// every language but English, the answer as Telegram HTML and as plain
// text, and fails on any English word outside titles, publishers' names,
// links and allowedLatin.
func TestNoEnglishInAnswers(t *testing.T) {
	d := curatedDetector(t)
	failed, total := 0, 0
	counts := map[string]int{}
	for _, f := range d.base.Facts {
		for _, lang := range knowledge.Langs[1:] {
			total++
			var bad []string
			for kind, text := range answersFor(d.base, f, lang) {
				if ws := d.englishWords(text, lang); len(ws) > 0 {
					bad = append(bad, fmt.Sprintf("%s: %s", kind, strings.Join(ws, " ")))
					for _, w := range ws {
						counts[strings.ToLower(w)]++
					}
				}
			}
			if len(bad) > 0 {
				failed++
				sort.Strings(bad)
				if failed <= 20 {
					t.Errorf("fact %q in %s has English: %s", f.ID, lang, strings.Join(bad, "; "))
				}
			}
		}
	}
	if failed > 0 {
		var top []string
		for w, n := range counts {
			top = append(top, fmt.Sprintf("%s %d", w, n))
		}
		sort.Slice(top, func(i, j int) bool { return top[i] < top[j] })
		t.Errorf("%d of %d answers (facts × ru, kk, zh, fr) show English; words: %s", failed, total, strings.Join(top, ", "))
	}
	t.Logf("%d answers checked, %d with English", total, failed)
}

// TestEnglishDetectorCatches: the detector sees an English word that a
// translation left, and not a publisher's name or a link.
func TestEnglishDetectorCatches(t *testing.T) {
	d := curatedDetector(t)
	if ws := d.englishWords("Товарооборот (original not seen) достиг", knowledge.RU); len(ws) == 0 {
		t.Error("the detector missed \"original not seen\" in a Russian answer")
	}
	if ws := d.englishWords("Источник: The Astana Times, https://astanatimes.com/2024/ GACC", knowledge.RU); len(ws) != 0 {
		t.Errorf("the detector flagged %q: a publisher, a link and an allowed acronym", ws)
	}
}
