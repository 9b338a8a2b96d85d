package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Lang is a two-letter language code. factbot speaks exactly Langs.
type Lang string

// The five languages every fact is written in.
const (
	EN Lang = "en"
	RU Lang = "ru"
	KK Lang = "kk"
	ZH Lang = "zh"
	FR Lang = "fr"
)

// Langs lists the supported languages in their canonical order.
var Langs = []Lang{EN, RU, KK, ZH, FR}

// Valid reports whether l is one of Langs.
func (l Lang) Valid() bool {
	for _, x := range Langs {
		if l == x {
			return true
		}
	}
	return false
}

// Text holds one piece of text per language.
type Text map[Lang]string

// In returns the text in l and whether it exists; otherwise the English text
// and false, so the caller can say the answer fell back to English.
func (t Text) In(l Lang) (string, bool) {
	if s := t[l]; s != "" {
		return s, true
	}
	return t[EN], false
}

// Source is where a fact or document comes from.
type Source struct {
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	URL       string `json:"url"`  // empty when the research notes recorded none
	Date      string `json:"date"` // YYYY, YYYY-MM or YYYY-MM-DD, "~" prefix if approximate; may be empty
	// Note says what the reader should know about the source ("original
	// not seen"), in all five languages; nil when there is none. It is not
	// part of the JSON contract of `factbot ask --json`.
	Note Text `json:"-"`
}

// Figure is one figure exactly as a source gives it.
type Figure struct {
	Value string // as given: "$41 billion", "~4,700", ">450"
	Unit  string // what is counted: USD, companies, %, t, TEU …
	Date  string // as-of period (see Period)
	// By is who gives the figure, names only (see ByText): counting bodies
	// (Counter), people and bodies of Names, publishers of the fact's
	// sources as they publish; several are separated by "; ", and "A (B)"
	// is A as published by B.
	By string
	// ByNote says how By gave the figure ("interview with Xinhua", "text
	// of the joint statement"), in all five languages; nil when there is
	// nothing to say.
	ByNote Text `json:",omitempty"`
	// ByShown is By (and ByNote) for people, per language: what Base.ByText
	// gives, set when the base is linked, so that rendering needs no base.
	ByShown Text `json:"-"`
	// Note qualifies the figure ("Kazakh exports to China, +~30%"), in all
	// five languages; nil when there is none. The English note also names
	// the measure a figure gives when its fact has several (see Measure).
	Note Text
	// Words is the value in each language, for a value FormatValue cannot
	// write (a rank, a place, a number with words: "second largest trade
	// partner"); nil otherwise. Its English is Value.
	Words Text `json:",omitempty"`
	// Counter is the id of the counting body whose figure this is (see
	// Counter), set in the file only where By is ambiguous; empty means
	// By decides.
	Counter string `json:",omitempty"`
	// AmountText, set in the file only where Value cannot be read, is what
	// to read instead (ParseAmount), or NotAmount for a figure that is no
	// quantity; empty means Value is read.
	AmountText string `json:",omitempty"`
	Pos        Pos    `json:"-"` // where the figure starts
}

// Amount reads the figure's amount (ParseAmount): from AmountText when the
// file gives one, else from Value.
func (fg Figure) Amount() (Amount, error) {
	switch fg.AmountText {
	case "":
		return ParseAmount(fg.Value, fg.Unit)
	case NotAmount:
		return Amount{}, fmt.Errorf("%q is marked as no amount: %w", fg.Value, ErrNotQuantity)
	}
	return ParseAmount(fg.AmountText, fg.Unit)
}

// Fact is one sourced statement in all five languages.
type Fact struct {
	ID    string
	Topic string
	// Measures are the ids of what the fact counts or tells about (see
	// Measure), most specific first.
	Measures     []string
	Tags         []string
	Date         string // as-of period
	Text         Text
	Figures      []Figure
	Disagreement Text // why the figures differ; empty when sources agree
	Sources      []Source
	Confidence   string
	Pos          Pos // where the fact starts
}

// Document is a briefing in one language, split into passages.
type Document struct {
	ID       string
	Title    string
	Lang     Lang
	Date     string
	Topic    string
	Facts    []string // ids of the facts it draws on
	Sources  []Source
	Passages []Passage
	Pos      Pos
}

// Passage is one paragraph of a document, searchable on its own.
type Passage struct {
	ID      string // "<document id>#<n>"
	DocID   string
	Heading string // the nearest heading above it
	Text    string
	Lang    Lang
	Line    int
}

// Alias names one entity in every language and script.
type Alias struct {
	ID    string
	Forms []string
	// Kind is AliasPartner for a country or union other than Kazakhstan
	// and China; empty otherwise.
	Kind string
	Pos  Pos
}

// AliasPartner is the Kind of an alias naming a partner other than the
// two countries the base is about ("Uzbekistan", "Russia", "EU"): a
// question about it alone is about something the base does not hold.
const AliasPartner = "partner"

// EvalCase is a question with the ids that answer it, or none.
type EvalCase struct {
	Question   string
	Lang       Lang
	Want       []string
	OutOfScope bool
	// Asked is the day the question is asked, for relative questions ("last
	// year", "latest"); zero means the day the eval runs.
	Asked time.Time
	// Kind is "trend" for a question about a series; empty otherwise.
	Kind string
	// Series is the series a trend question asks for.
	Series *SeriesWant
	Pos    Pos
}

// SeriesWant is what a trend question's answer must hold: points of the
// measure from one year to another.
type SeriesWant struct {
	Measure  string
	From, To int
}

// Pos is a position in a knowledge file.
type Pos struct {
	File string
	Line int
}

// Base is a loaded, validated knowledge folder.
type Base struct {
	Facts     []*Fact
	Documents []*Document
	Aliases   []Alias
	// Thesaurus is the closed list of measures and their words, in file
	// order; Measures returns it.
	Thesaurus []*Measure
	// Counters are the counting bodies (Counter), in file order.
	Counters []*Counter
	// Names are the people and bodies figures' By name that are not
	// counting bodies, with their names in every language (Name).
	Names []*Name
	Eval  []EvalCase
	// Blind is the blind eval set (blind/*.yaml): questions written by
	// someone who never saw the search or the base's texts. Nothing is
	// fitted or tuned on them; they only judge.
	Blind []EvalCase
	// Announcements are scheduled messages to groups; they are not part of
	// Hash, since the index does not hold them.
	Announcements []Announcement

	facts    map[string]*Fact
	passages map[string]*Passage
	docs     map[string]*Document

	measures     map[string]*Measure
	measureStats map[string]*measureStats
	thesaurus    *lexicon // the measures' words; tag = index in Thesaurus
	understander *lazyUnderstander
	series       *lazySeries
}

// Fact returns the fact with the given id, or nil.
func (b *Base) Fact(id string) *Fact { return b.facts[id] }

// Passage returns the passage with the given id, or nil.
func (b *Base) Passage(id string) *Passage { return b.passages[id] }

// Document returns the document with the given id, or nil.
func (b *Base) Document(id string) *Document { return b.docs[id] }

// Passages returns every passage of every document, in document order.
func (b *Base) Passages() []*Passage {
	var ps []*Passage
	for _, d := range b.Documents {
		for i := range d.Passages {
			ps = append(ps, &d.Passages[i])
		}
	}
	return ps
}

func (b *Base) link() {
	b.facts = make(map[string]*Fact, len(b.Facts))
	for _, f := range b.Facts {
		b.facts[f.ID] = f
		for i := range f.Figures {
			if fg := &f.Figures[i]; fg.By != "" {
				fg.ByShown = Text{}
				for _, l := range Langs {
					fg.ByShown[l] = b.ByText(*fg, l)
				}
			}
		}
	}
	b.docs = make(map[string]*Document, len(b.Documents))
	b.passages = make(map[string]*Passage)
	for _, d := range b.Documents {
		b.docs[d.ID] = d
		for i := range d.Passages {
			b.passages[d.Passages[i].ID] = &d.Passages[i]
		}
	}
	b.linkMeasures()
	b.understander = &lazyUnderstander{}
	b.series = &lazySeries{}
}

// Hash returns a stable content hash of the facts, documents, aliases,
// measures and counting bodies: two
// folders with the same knowledge have the same hash, whatever their file
// layout or formatting. It names the on-disk index built from the base.
func (b *Base) Hash() string {
	facts := append([]*Fact(nil), b.Facts...)
	sort.Slice(facts, func(i, j int) bool { return facts[i].ID < facts[j].ID })
	docs := append([]*Document(nil), b.Documents...)
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	h := sha256.New()
	for _, f := range facts {
		sum := factSum(f)
		h.Write(sum[:])
	}
	for _, d := range docs {
		sum := docSum(d)
		h.Write(sum[:])
	}
	enc := json.NewEncoder(h)
	for _, a := range b.Aliases {
		_ = enc.Encode([]any{a.ID, a.Forms})
	}
	measures := append([]*Measure(nil), b.Thesaurus...)
	sort.Slice(measures, func(i, j int) bool { return measures[i].ID < measures[j].ID })
	for _, m := range measures {
		sum := measureSum(m)
		h.Write(sum[:])
	}
	// Counters decide the series; a base without them hashes as before.
	counters := append([]*Counter(nil), b.Counters...)
	sort.Slice(counters, func(i, j int) bool { return counters[i].ID < counters[j].ID })
	for _, c := range counters {
		sum := counterSum(c)
		h.Write(sum[:])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Rebuild returns a base assembled in code (tests, generated corpora) with
// its lookup tables built. It reports duplicate ids.
func Rebuild(b *Base) (*Base, error) {
	seen := map[string]bool{}
	for _, f := range b.Facts {
		if seen[f.ID] {
			return nil, fmt.Errorf("duplicate id %q", f.ID)
		}
		seen[f.ID] = true
	}
	for _, d := range b.Documents {
		for _, p := range d.Passages {
			if seen[p.ID] {
				return nil, fmt.Errorf("duplicate id %q", p.ID)
			}
			seen[p.ID] = true
		}
	}
	out := *b
	out.link()
	return &out, nil
}
