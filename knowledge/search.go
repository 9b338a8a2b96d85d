package knowledge

import "time"

// Kind says what a search hit is.
type Kind string

// The two kinds of search result.
const (
	KindFact    Kind = "fact"
	KindPassage Kind = "passage"
)

// Query is one question put to a searcher.
type Query struct {
	Text string
	// Lang forces the reply language; empty means detect it from Text.
	Lang Lang
	// Hint is the caller's guess (Telegram's language_code), used only to
	// break ties in detection.
	Hint Lang
	// Size is how many hits to return; 0 means the searcher's default.
	Size int
	// Asked is when the question is asked, for "last year" and "this
	// year"; zero means now.
	Asked time.Time
}

// Tier is how sure an answer is.
type Tier string

// The tiers of an answer.
const (
	// TierAnswer: confident; the first hit answers the question.
	TierAnswer Tier = "answer"
	// TierClosest: unsure; the first hits are the closest facts, shown
	// as such.
	TierClosest Tier = "closest"
	// TierNone: nothing relevant.
	TierNone Tier = "none"
)

// Hit is one search result, already resolved to the domain object.
type Hit struct {
	ID    string
	Kind  Kind
	Lang  Lang   // language of Text
	Text  string // the fact's statement or the passage, in Lang
	Score float64
	// Fallback is set when Text is in English because the requested
	// language was missing.
	Fallback bool
	// Marks are the byte ranges of Text that matched the question, for
	// highlighting, in order; set on the first hit only.
	Marks []Span
	// Coverage is the share of the question's content (weighted by rarity)
	// that this hit matched, from 0 to 1.
	Coverage float64
	// Specificity is how rare what it matched is, counted in words found in
	// only one document (idf mass over the idf of such a word): high when
	// the question's specific words matched, low when only common ones did.
	Specificity float64
	Fact        *Fact     // set for KindFact
	Passage     *Passage  // set for KindPassage
	Document    *Document // the passage's document
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Sources returns the hit's sources: the fact's or the document's.
func (h Hit) Sources() []Source {
	switch {
	case h.Fact != nil:
		return h.Fact.Sources
	case h.Document != nil:
		return h.Document.Sources
	}
	return nil
}

// Result is the outcome of one search: the hits, best first, and whether the
// best one answers the question.
type Result struct {
	Question string
	Lang     Lang // the language the reply should be in
	// Answered is set for the answer tier alone.
	Answered bool
	// Tier is how sure the answer is, and Confidence the probability,
	// calibrated on the dev eval set, that the first hit answers the
	// question.
	Tier       Tier
	Confidence float64
	// Intent is what the question was read to ask, and Period the time it
	// asks about with "latest" made concrete.
	Intent Intent
	Period Period
	// Newest is set when the question asked, in relative words, for a
	// period the base has no figure for ("last year"), and the first hit
	// is the newest there is: its period ("2024").
	Newest string
	// Series are the series a question about a series is answered with
	// (Base.SeriesAnswer): per counting body, the points in the years
	// asked; empty for any other question, and when no series has two
	// points in those years (the hits answer it as a value).
	Series []Series
	// Hits are best first; for the none tier they are what came closest,
	// for logs and curators, and are not shown.
	Hits []Hit
	// Why explains a "no answer" decision, for logs and curators.
	Why string
}
