package chart

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"factbot/knowledge"
)

// Text writes a series answer as plain text in l: a heading; for each
// series, the change from its first point to its last — computed within
// that series alone, labelled as computed, naming who counted it — and a table
// of its points (the period, the figure as the source gives it, whose
// figure it is, the numbers of its sources); when two series are shown, why
// their figures differ; then every source of every point, numbered. It
// returns "" for no series.
func Text(series []knowledge.Series, l knowledge.Lang) string {
	a, ok := Parts(series, l)
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(a.Heading + "\n")
	for _, s := range a.Series {
		b.WriteString("\n" + s.Change + "\n" + s.Table)
	}
	if a.Differ != "" {
		fmt.Fprintf(&b, "\n%s%s%s\n", a.DifferLabel, a.Colon, a.Differ)
	}
	fmt.Fprintf(&b, "\n%s%s\n", a.SourcesLabel, strings.TrimRight(a.Colon, " "))
	for i, src := range a.Sources {
		text := src.Text
		if src.URL != "" {
			text += " — " + src.URL
		}
		fmt.Fprintf(&b, "  %d. %s\n", i+1, text)
	}
	return b.String()
}

// Answer is a series answer in its parts, in one language, for a renderer
// other than Text (the bot's Telegram HTML): what Text writes, unjoined.
type Answer struct {
	Heading string
	Series  []SeriesPart
	// Differ is why two series' figures differ ("" with one series), under
	// DifferLabel; Colon follows a label in the language.
	DifferLabel, Differ, Colon string
	// Sources are every source of every point, numbered from 1 in order,
	// under SourcesLabel.
	SourcesLabel string
	Sources      []SourceLine
}

// SeriesPart is one series of an Answer: its computed change, labelled as
// computed, and its points as a table.
type SeriesPart struct {
	Change string
	// Rows are the points: the period, the figure as the source gives it,
	// whose figure it is, and the numbers of its sources ("[1, 2]").
	Rows [][]string
	// Table is the rows as Text writes them: indented, columns padded to
	// their widest cell, a line each.
	Table string
}

// SourceLine is one source: publisher, «title», date, note in the
// language; and its link, apart.
type SourceLine struct {
	Text, URL string
}

// Parts returns the series answer in its parts; false for no series.
func Parts(series []knowledge.Series, l knowledge.Lang) (Answer, bool) {
	if len(series) == 0 {
		return Answer{}, false
	}
	w := wordsFor(l)
	a := Answer{Heading: heading(series, l), DifferLabel: w.Differ, Colon: w.Colon, SourcesLabel: w.Sources,
		Differ: disagreement(series, l)}
	var srcs sourceList
	for _, s := range series {
		rows := make([][]string, len(s.Points))
		for i, p := range s.Points {
			// The figure as the reader's press writes it (knowledge.FormatValue);
			// in English, as the source gives it, with the unit in l.
			fig, err := knowledge.FormatValue(p.Figure, l)
			if l == knowledge.EN || err != nil {
				fig = p.Figure.Value
				if u := shownUnit(p.Figure, l); u != "" {
					fig += " " + u
				}
			}
			by := p.Figure.ByShown[l]
			if by == "" {
				by = p.Figure.By
			}
			var nums []int
			for _, src := range p.Sources {
				nums = append(nums, srcs.add(src))
			}
			slices.Sort(nums)
			refs := make([]string, len(nums))
			for j, n := range nums {
				refs[j] = fmt.Sprint(n)
			}
			rows[i] = []string{knowledge.FormatPeriod(p.Period, l), fig, by, "[" + strings.Join(refs, ", ") + "]"}
		}
		var t strings.Builder
		writeTable(&t, rows)
		a.Series = append(a.Series, SeriesPart{Change: changeLine(s, l), Rows: rows, Table: t.String()})
	}
	for _, src := range srcs {
		a.Sources = append(a.Sources, SourceLine{Text: formatSource(src, w, l), URL: src.URL})
	}
	return a, true
}

// Caption is the short text that goes with a chart: the heading and the
// computed change of each series, in l.
func Caption(series []knowledge.Series, l knowledge.Lang) string {
	if len(series) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(heading(series, l))
	for _, s := range series {
		b.WriteString("\n" + changeLine(s, l))
	}
	return b.String()
}

// heading is "<Measure> by year, <first>–<last>".
func heading(series []knowledge.Series, l knowledge.Lang) string {
	name, _ := series[0].MeasureName.In(l)
	if name == "" {
		name = series[0].Measure
	}
	return fmt.Sprintf(wordsFor(l).Title, capitalize(name), yearRange(series))
}

// yearRange writes the years the series span: "2018–2024", or "2023".
func yearRange(series []knowledge.Series) string {
	lo, hi := 0, 0
	for _, s := range series {
		for _, p := range s.Points {
			if lo == 0 || p.Year < lo {
				lo = p.Year
			}
			hi = max(hi, p.Year)
		}
	}
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d–%d", lo, hi)
}

// changeLine is the computed change of one series, or says there is none.
func changeLine(s knowledge.Series, l knowledge.Lang) string {
	w := wordsFor(l)
	c, ok := s.Change()
	if !ok {
		return fmt.Sprintf(w.OnePoint, capitalize(s.Name(l)))
	}
	approx := ""
	if c.Approx {
		approx = "≈"
	}
	name := s.Name(l)
	if strings.HasPrefix(w.Change, "%[4]s") {
		name = capitalize(name)
	}
	if s.Unit == "%" {
		diff := approx + signed(c.Diff, l)
		return fmt.Sprintf(w.ChangePoints, fmt.Sprintf(w.Points, diff), c.From.Year, c.To.Year, name, c.From.Year, c.To.Year)
	}
	ratio := approx + "×" + number(c.Ratio, l)
	pct := fmt.Sprintf(w.Percent, approx+signed(c.Percent, l))
	return fmt.Sprintf(w.Change, ratio, c.From.Year, c.To.Year, name, pct, c.From.Year, c.To.Year)
}

// signed writes x with its sign: "+120", "-49.1".
func signed(x float64, l knowledge.Lang) string {
	if x >= 0 {
		return "+" + number(x, l)
	}
	return "-" + number(-x, l)
}

// disagreement is why the figures of the series shown differ: the
// disagreement of the newest fact that gives points to two of them, or of
// any fact of theirs; "" with one series.
func disagreement(series []knowledge.Series, l knowledge.Lang) string {
	if len(series) < 2 {
		return ""
	}
	in := map[*knowledge.Fact]map[int]bool{}
	var facts []*knowledge.Fact
	year := map[*knowledge.Fact]int{}
	for i, s := range series {
		for _, p := range s.Points {
			f := p.Fact
			if f == nil || len(f.Disagreement) == 0 {
				continue
			}
			if in[f] == nil {
				in[f] = map[int]bool{}
				facts = append(facts, f)
			}
			in[f][i] = true
			year[f] = max(year[f], p.Year)
		}
	}
	var best *knowledge.Fact
	for _, f := range facts {
		switch {
		case best == nil,
			len(in[f]) > 1 && len(in[best]) < 2,
			(len(in[f]) > 1) == (len(in[best]) > 1) && year[f] > year[best]:
			best = f
		}
	}
	if best == nil {
		return ""
	}
	d, _ := best.Disagreement.In(l)
	return d
}

// sourceList numbers sources in the order met, each once.
type sourceList []knowledge.Source

func (sl *sourceList) add(s knowledge.Source) int {
	for i, x := range *sl {
		if x.Publisher == s.Publisher && x.Title == s.Title && x.URL == s.URL && x.Date == s.Date && x.Note[knowledge.EN] == s.Note[knowledge.EN] {
			return i + 1
		}
	}
	*sl = append(*sl, s)
	return len(*sl)
}

// formatSource writes a source on a line: publisher, «title», date, note
// in l (the link goes apart).
func formatSource(s knowledge.Source, w words, l knowledge.Lang) string {
	parts := []string{s.Publisher}
	if s.Title != "" {
		parts = append(parts, "«"+s.Title+"»")
	}
	if s.Date != "" {
		parts = append(parts, s.Date)
	}
	// The English note is the one the phrase is fixed in.
	if s.URL == "" && strings.Contains(strings.ToLower(s.Note[knowledge.EN]), "url not recorded") {
		parts = append(parts, w.NoLink)
	} else if note, _ := s.Note.In(l); note != "" {
		parts = append(parts, note)
	}
	return strings.Join(parts, ", ")
}

// writeTable writes rows indented, columns padded to their widest cell.
func writeTable(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(c))
		}
	}
	for _, r := range rows {
		b.WriteString("  ")
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-width(c)+2))
			}
		}
		b.WriteString("\n")
	}
}

// width is how many columns s takes in a monospaced font: two for a
// Chinese character.
func width(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana) || (r >= 0xFF00 && r <= 0xFF60) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
