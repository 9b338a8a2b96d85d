package reply

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"factbot/knowledge"
)

// RenderAnswer renders a reply as Telegram messages: the best hit with its
// figures (bold), the disagreement when sources differ, the as-of date and
// linked sources, then the related hits; or the honest "I don't know".
func RenderAnswer(r Reply) []Message {
	lb := LabelsFor(r.Lang)
	d := &doc{}
	if r.Tier == knowledge.TierClosest && len(r.Closest) > 0 {
		writeClosest(d, r, lb)
		return d.messages(MaxMessageLen)
	}
	if !r.Answered {
		d.text(lb.NoAnswer)
		return d.messages(MaxMessageLen)
	}
	if r.Newest != "" {
		d.italic(fmt.Sprintf(lb.Newest, FormatPeriod(r.Newest))).para()
	}
	writeHit(d, r.Best, lb)
	if len(r.Related) > 0 {
		d.bold(lb.Related + ":")
		for _, h := range r.Related {
			d.line().text("• ")
			writeSummary(d, h)
		}
		d.para()
	}
	if r.Fallback {
		d.italic(lb.Fallback).para()
	}
	return d.messages(MaxMessageLen)
}

// writeClosest writes an unsure reply: that it is not sure, then the
// closest facts, each with its figures, as-of date and first source.
func writeClosest(d *doc, r Reply, lb Labels) {
	if r.Newest != "" {
		d.italic(fmt.Sprintf(lb.Newest, FormatPeriod(r.Newest))).para()
	}
	d.text("🤔 " + lb.NotSure).para()
	for i, h := range r.Closest {
		d.bold(strconv.Itoa(i+1) + ". ")
		writeSummary(d, h)
		if f := h.Fact; f != nil {
			for _, fg := range f.Figures {
				d.line().text("  • " + FormatFigure(fg, h.Lang))
			}
			if f.Date != "" {
				d.line().text(lb.AsOf + ": " + FormatPeriod(f.Date))
			}
		}
		if srcs := h.Sources(); len(srcs) > 0 {
			d.line().text(lb.From + ": ")
			writeSource(d, srcs[0], lb)
		}
		d.para()
	}
	if r.Fallback {
		d.italic(lb.Fallback).para()
	}
}

// RenderHit renders one hit as a card: statement, figures, disagreement,
// as-of date and sources.
func RenderHit(h knowledge.Hit, lang knowledge.Lang) []Message {
	lb := LabelsFor(lang)
	d := &doc{}
	writeHit(d, h, lb)
	if h.Fallback {
		d.italic(lb.Fallback).para()
	}
	return d.messages(MaxMessageLen)
}

// RenderMore renders the hits beyond the related ones, or says there are
// none.
func RenderMore(r Reply) []Message {
	lb := LabelsFor(r.Lang)
	t := TextsFor(r.Lang)
	d := &doc{}
	if len(r.More) == 0 {
		d.text(t.NoMore)
		return d.messages(MaxMessageLen)
	}
	d.bold(t.MoreTitle).para()
	for _, h := range r.More {
		writeSummary(d, h)
		if srcs := h.Sources(); len(srcs) > 0 {
			d.line().text(lb.From + ": ")
			writeSource(d, srcs[0], lb)
		}
		d.para()
	}
	return d.messages(MaxMessageLen)
}

// RenderSources lists every source of every hit in a reply, in full.
func RenderSources(r Reply) []Message {
	lb := LabelsFor(r.Lang)
	d := &doc{}
	d.bold(lb.Sources + ":").para()
	hits := append(append([]knowledge.Hit{r.Best}, r.Related...), r.More...)
	if r.Tier == knowledge.TierClosest {
		hits = r.Closest
	}
	for _, h := range hits {
		d.italic(Truncate(h.Text, 120))
		for i, s := range h.Sources() {
			d.line().text(strconv.Itoa(i+1) + ". ")
			writeSource(d, s, lb)
		}
		d.para()
	}
	return d.messages(MaxMessageLen)
}

// writeHit writes the statement (with its figure values in bold where they
// appear), the figures, the disagreement, the as-of date and the sources.
func writeHit(d *doc, h knowledge.Hit, lb Labels) {
	if h.Passage != nil && h.Document != nil {
		title := h.Document.Title
		if h.Passage.Heading != "" && h.Passage.Heading != title {
			title += " — " + h.Passage.Heading
		}
		d.bold(title).line()
	}
	var values []string
	if h.Fact != nil {
		for _, f := range h.Fact.Figures {
			values = append(values, f.Value)
		}
	}
	boldValues(d, h.Text, values)
	d.para()
	date := ""
	if f := h.Fact; f != nil {
		if len(f.Figures) > 0 {
			d.bold(lb.Figures + ":")
			for _, fg := range f.Figures {
				d.line().text("• ").bold(fg.Value)
				if meta := strings.TrimPrefix(FormatFigure(fg, lb.Lang), fg.Value); meta != "" {
					d.text(meta)
				}
			}
			d.para()
		}
		if why, _ := f.Disagreement.In(h.Lang); why != "" {
			d.italic(lb.Differ + ":").text(" " + why).para()
		}
		date = f.Date
	} else if h.Document != nil {
		date = h.Document.Date
	}
	if date != "" {
		d.text(lb.AsOf + ": " + FormatPeriod(date)).para()
	}
	if srcs := h.Sources(); len(srcs) > 0 {
		d.bold(lb.Sources + ":")
		for i, s := range srcs {
			d.line().text(strconv.Itoa(i+1) + ". ")
			writeSource(d, s, lb)
		}
		d.para()
	}
}

// writeSummary writes a hit in one line: its statement, and for a passage
// the document it comes from.
func writeSummary(d *doc, h knowledge.Hit) {
	if h.Passage != nil && h.Document != nil {
		d.italic(h.Document.Title + ": ")
	}
	d.text(h.Text)
}

// writeSource writes a source, linked when it has a URL.
func writeSource(d *doc, s knowledge.Source, lb Labels) {
	text, url := FormatSource(s, lb)
	d.link(text, url)
}

// boldValues writes text with the values in bold wherever one stands
// whole: on token boundaries, so that a figure's digits are never bolded
// inside a longer number or word (the figure "2" in "2019" or "12", "700"
// in "4,700", "1" in "1.5").
func boldValues(d *doc, text string, values []string) {
	for text != "" {
		at, n := -1, 0
		for _, v := range values {
			if v == "" {
				continue
			}
			if i := indexWhole(text, v); i >= 0 && (at < 0 || i < at || (i == at && len(v) > n)) {
				at, n = i, len(v)
			}
		}
		if at < 0 {
			d.text(text)
			return
		}
		d.text(text[:at]).bold(text[at : at+n])
		text = text[at+n:]
	}
}

// indexWhole returns the index of the first occurrence of v in text that
// stands whole, or -1.
func indexWhole(text, v string) int {
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], v)
		if i < 0 {
			return -1
		}
		i += from
		if standsWhole(text, i, i+len(v)) {
			return i
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		from = i + size
	}
	return -1
}

// standsWhole reports whether text[i:j] is not part of a longer word or
// number: where it begins or ends with a letter or digit, the text next to
// it does not go on with one, nor with a digit after a decimal or
// thousands separator ("1.5", "4,700", "4 700" with a no-break space).
func standsWhole(text string, i, j int) bool {
	first, _ := utf8.DecodeRuneInString(text[i:j])
	last, _ := utf8.DecodeLastRuneInString(text[i:j])
	if i > 0 && inWord(first) {
		before, size := utf8.DecodeLastRuneInString(text[:i])
		if inWord(before) {
			return false
		}
		if unicode.IsDigit(first) && numberSeparator(before) {
			if r, _ := utf8.DecodeLastRuneInString(text[:i-size]); unicode.IsDigit(r) {
				return false
			}
		}
	}
	if j < len(text) && inWord(last) {
		after, size := utf8.DecodeRuneInString(text[j:])
		if inWord(after) {
			return false
		}
		if unicode.IsDigit(last) && numberSeparator(after) {
			if r, _ := utf8.DecodeRuneInString(text[j+size:]); unicode.IsDigit(r) {
				return false
			}
		}
	}
	return true
}

// inWord reports whether r continues a word or a number: a letter or a
// digit, but not a Chinese, Japanese or Korean character, which those
// languages write right against numbers ("2018年", "199亿美元").
func inWord(r rune) bool {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// numberSeparator reports whether r may stand between the digits of one
// number: a decimal point or comma, or the no-break spaces French and
// Russian group thousands with.
func numberSeparator(r rune) bool {
	return r == '.' || r == ',' || r == '\u00a0' || r == '\u202f' || r == '\u2009'
}

// RenderTopics is the heading of the topic list; empty says the base has
// no facts yet.
func RenderTopics(lang knowledge.Lang, empty bool) []Message {
	t := TextsFor(lang)
	if empty {
		return RenderText(t.TopicEmpty)
	}
	return (&doc{}).bold(t.TopicsTitle).messages(MaxMessageLen)
}

// RenderTopicPage lists facts of a topic, numbered from from+1, under the
// topic's name and its count of facts.
func RenderTopicPage(lang knowledge.Lang, topic string, facts []*knowledge.Fact, from, total int) Message {
	name := topic
	if tp, ok := knowledge.TopicByID(topic); ok {
		name, _ = tp.Name.In(lang)
	}
	d := &doc{}
	d.bold(name).text(" (" + strconv.Itoa(total) + ")").para()
	if len(facts) == 0 {
		d.text(TextsFor(lang).TopicEmpty)
	}
	for i, f := range facts {
		text, _ := f.Text.In(lang)
		d.bold(strconv.Itoa(from+i+1) + ".").text(" " + Truncate(text, 300)).para()
	}
	// A page is six facts of at most 300 characters: always one message.
	return d.messages(MaxMessageLen)[0]
}

// RenderPublishers lists who the facts come from, most cited first.
func RenderPublishers(base *knowledge.Base, lang knowledge.Lang) []Message {
	t := TextsFor(lang)
	if base == nil {
		return RenderText(t.TopicEmpty)
	}
	counts := map[string]int{}
	for _, f := range base.Facts {
		seen := map[string]bool{}
		for _, s := range f.Sources {
			if !seen[s.Publisher] {
				seen[s.Publisher] = true
				counts[s.Publisher]++
			}
		}
	}
	pubs := make([]string, 0, len(counts))
	for p := range counts {
		pubs = append(pubs, p)
	}
	sort.Slice(pubs, func(i, j int) bool {
		if counts[pubs[i]] != counts[pubs[j]] {
			return counts[pubs[i]] > counts[pubs[j]]
		}
		return pubs[i] < pubs[j]
	})
	d := &doc{}
	d.bold(Fill(t.SourcesTitle, "n", strconv.Itoa(len(pubs)))).para()
	for i, p := range pubs {
		if i > 0 {
			d.line()
		}
		d.text("• " + p + " — " + strconv.Itoa(counts[p]))
	}
	return d.messages(MaxMessageLen)
}

// RenderAbout says what the bot is and what it knows.
func RenderAbout(base *knowledge.Base, lang knowledge.Lang) []Message {
	t := TextsFor(lang)
	d := textDoc(t.About)
	if base != nil {
		d.para().italic(Fill(t.AboutStats, "facts", strconv.Itoa(len(base.Facts)),
			"docs", strconv.Itoa(len(base.Documents)), "hash", base.Hash()))
	}
	return d.messages(MaxMessageLen)
}
