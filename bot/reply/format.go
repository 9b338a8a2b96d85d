package reply

import (
	"strings"

	"factbot/knowledge"
)

// FormatPeriod renders an as-of period for a reader of lang
// (knowledge.FormatPeriod): "2018-01..2018-09" is "2018-01 – 2018-09" in
// English, "январь 2018 г. – сентябрь 2018 г." in Russian; "2024-Q1" is
// "2024年第一季度" in Chinese.
func FormatPeriod(p string, lang knowledge.Lang) string { return knowledge.FormatPeriod(p, lang) }

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

// FormatFigure renders a figure for a reader of lang: its value as the
// language's press writes it (knowledge.FormatValue), then FigureMeta.
func FormatFigure(f knowledge.Figure, lang knowledge.Lang) string {
	v, _ := knowledge.FormatValue(f, lang)
	return v + FigureMeta(f, lang)
}

// FigureMeta is what follows a figure's value, in lang: " (when; who gives
// it; its note)", or "" when there is nothing. Who gives it is its by with
// counting bodies and names in lang (Figure.ByShown); the note is in lang,
// or English when it has no text in lang.
func FigureMeta(f knowledge.Figure, lang knowledge.Lang) string {
	var meta []string
	if f.Date != "" {
		meta = append(meta, FormatPeriod(f.Date, lang))
	}
	if by := f.ByShown[lang]; by != "" {
		meta = append(meta, by)
	} else if f.By != "" {
		meta = append(meta, f.By)
	}
	if note, _ := f.Note.In(lang); note != "" {
		meta = append(meta, note)
	}
	if len(meta) == 0 {
		return ""
	}
	lb := LabelsFor(lang)
	space := " "
	if lang == knowledge.ZH {
		space = "" // full-width brackets carry their space
	}
	return space + lb.Open + strings.Join(meta, lb.Sep) + lb.Close
}
