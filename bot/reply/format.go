package reply

import (
	"strings"

	"factbot/knowledge"
)

// FormatPeriod renders an as-of period for people: "2018-01..2018-09"
// becomes "2018-01 – 2018-09".
func FormatPeriod(p string) string { return strings.ReplaceAll(p, "..", " – ") }

// FormatSource renders one source on a line: publisher, title, date, its
// note in the labels' language, link. A source without a link whose note
// says so gets the label for "no link recorded" instead of the note.
func FormatSource(s knowledge.Source, lb Labels) (text, url string) {
	parts := []string{s.Publisher}
	if s.Title != "" {
		parts = append(parts, "«"+s.Title+"»")
	}
	if s.Date != "" {
		parts = append(parts, s.Date)
	}
	// The English note is the one to test: it is the one curators write
	// first and the one the phrase is fixed in.
	if s.URL == "" && strings.Contains(strings.ToLower(s.Note[knowledge.EN]), "url not recorded") {
		parts = append(parts, lb.URLNotRecorded)
	} else if note, _ := s.Note.In(lb.Lang); note != "" {
		parts = append(parts, note)
	}
	return strings.Join(parts, ", "), s.URL
}

// impliedUnits are units a figure's value already shows ("$41 billion", "32%").
var impliedUnits = map[string]bool{"USD": true, "CNY": true, "KZT": true, "EUR": true, "RUB": true, "%": true}

// FormatFigure renders a figure: value and unit, then when, who gives it and
// its note in lang (English when the note has no text in lang).
func FormatFigure(f knowledge.Figure, lang knowledge.Lang) string {
	var b strings.Builder
	b.WriteString(f.Value)
	if f.Unit != "" && !impliedUnits[f.Unit] && !strings.Contains(f.Value, f.Unit) {
		b.WriteString(" " + f.Unit)
	}
	var meta []string
	if f.Date != "" {
		meta = append(meta, FormatPeriod(f.Date))
	}
	if f.By != "" {
		meta = append(meta, f.By)
	}
	if note, _ := f.Note.In(lang); note != "" {
		meta = append(meta, note)
	}
	if len(meta) > 0 {
		b.WriteString(" (" + strings.Join(meta, "; ") + ")")
	}
	return b.String()
}
