package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"factbot/knowledge"
)

// MaxMessageLen is Telegram's limit on one message's text after entity
// parsing, counted in UTF-16 code units.
const MaxMessageLen = 4096

// Message is one Telegram message ready to send: its text in Telegram HTML,
// and the same text without markup, sent instead when Telegram cannot parse
// the HTML after all.
type Message struct {
	HTML  string
	Plain string
}

// Everything the bot shows is first built as a doc: paragraphs of styled
// spans holding raw, unescaped text. Escaping happens once, when a doc is
// rendered, and splitting works on spans, so a message never ends inside a
// tag or an entity and no text reaches Telegram unescaped.

// span is a run of text in one style.
type span struct {
	text   string
	bold   bool
	italic bool
	pre    bool   // a monospaced block (a table); no other style
	href   string // a link when set; only http and https
}

// para is a paragraph; its text may hold single newlines.
type para []span

// doc is a message under construction.
type doc struct {
	paras []para
	cur   para
}

func (d *doc) add(s span) *doc {
	s.text = clean(s.text)
	if s.text != "" {
		d.cur = append(d.cur, s)
	}
	return d
}

// text appends plain text to the current paragraph.
func (d *doc) text(s string) *doc { return d.add(span{text: s}) }

// bold appends bold text.
func (d *doc) bold(s string) *doc { return d.add(span{text: s, bold: true}) }

// italic appends italic text.
func (d *doc) italic(s string) *doc { return d.add(span{text: s, italic: true}) }

// link appends text linking to url; an unsafe or empty url leaves plain text.
func (d *doc) link(s, url string) *doc {
	if !safeURL(url) {
		return d.text(s)
	}
	return d.add(span{text: s, href: url})
}

// line ends the current line inside the paragraph.
func (d *doc) line() *doc { return d.text("\n") }

// para ends the current paragraph.
func (d *doc) para() *doc {
	// Drop a trailing line break, which would only add blank space.
	for len(d.cur) > 0 {
		last := &d.cur[len(d.cur)-1]
		last.text = strings.TrimRightFunc(last.text, unicode.IsSpace)
		if last.text != "" {
			break
		}
		d.cur = d.cur[:len(d.cur)-1]
	}
	if len(d.cur) > 0 {
		d.paras = append(d.paras, d.cur)
	}
	d.cur = nil
	return d
}

// messages renders the doc, split into messages of at most limit UTF-16
// units (as Telegram counts, after entity parsing) on paragraph boundaries;
// a paragraph longer than limit is cut at a line break, else a space, else
// between characters, and its styles are closed and reopened around the cut.
func (d *doc) messages(limit int) []Message {
	d.para()
	var (
		out    []Message
		cur    []para
		curLen int
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, renderParas(cur))
		}
		cur, curLen = nil, 0
	}
	for _, p := range d.paras {
		n := p.len()
		sep := 0
		if len(cur) > 0 {
			sep = 2 // the "\n\n" between paragraphs
		}
		if curLen+sep+n <= limit {
			cur, curLen = append(cur, p), curLen+sep+n
			continue
		}
		flush()
		for n > limit {
			var head para
			head, p = p.cut(limit)
			out = append(out, renderParas([]para{head}))
			n = p.len()
		}
		if n > 0 {
			cur, curLen = []para{p}, n
		}
	}
	flush()
	return out
}

func (p para) len() int {
	n := 0
	for _, s := range p {
		n += utf16Len(s.text)
	}
	return n
}

// cut splits p into a head of at most limit units and the rest, preferring
// a line break (a span of its own, in the second half, or one inside the
// span that does not fit), then a space, then the last span boundary, then any
// character boundary. The whitespace at the cut is dropped.
func (p para) cut(limit int) (head, rest para) {
	used := 0
	lastLine := -1 // the last span that is a line break, when in the second half
	for i, s := range p {
		n := utf16Len(s.text)
		if used+n <= limit {
			if s.text == "\n" && used >= limit/2 {
				lastLine = i
			}
			used += n
			continue
		}
		at, skip := breakAt(s.text, limit-used)
		if lastLine > 0 && (at <= 0 || s.text[at] != '\n') {
			// A line of its own (a source, say) ended in the second half:
			// cut there rather than inside the next line.
			head = append(head, p[:lastLine]...)
			rest = append(rest, p[lastLine+1:]...)
			return head.trimRight(), rest.trimLeft()
		}
		if at <= 0 && i > 0 && len(para(append([]span(nil), p[:i]...)).trimRight()) > 0 {
			// No good break inside this span: cut before it.
			head = append(head, p[:i]...)
			rest = append(rest, p[i:]...)
			return head.trimRight(), rest.trimLeft()
		}
		if at <= 0 {
			at, skip = hardBreak(s.text, limit-used), 0
		}
		h, r := s, s
		h.text, r.text = s.text[:at], s.text[at+skip:]
		head = append(append(head, p[:i]...), h)
		rest = append(para{r}, p[i+1:]...)
		return head.trimRight(), rest.trimLeft()
	}
	return p, nil
}

// breakAt finds where to cut s so that s[:at] fits budget units: at the
// last line break if it is in the second half, else at the last line break
// or space, whichever is later; skip is the separator's length. It returns
// 0 when there is no such place.
func breakAt(s string, budget int) (at, skip int) {
	fit := prefixFitting(s, budget)
	nl, sp, spSize := -1, -1, 0
	// The separator itself may lie just past the budget: it is dropped.
	end := fit
	if end < len(s) {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
	}
	for i, r := range s[:end] {
		switch {
		case r == '\n':
			nl = i
		case unicode.IsSpace(r):
			sp, spSize = i, utf8.RuneLen(r)
		}
	}
	switch {
	case nl > 0 && nl >= fit/2:
		return nl, 1
	case sp > nl && sp > 0:
		return sp, spSize
	case nl > 0:
		return nl, 1
	}
	return 0, 0
}

// hardBreak cuts s between two characters so that s[:at] fits budget; it
// keeps at least one character so splitting always progresses.
func hardBreak(s string, budget int) int {
	at := prefixFitting(s, budget)
	if at == 0 {
		_, at = utf8.DecodeRuneInString(s)
	}
	return at
}

// prefixFitting returns the byte length of the longest prefix of s that is
// at most budget UTF-16 units.
func prefixFitting(s string, budget int) int {
	n := 0
	for i, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > budget {
			return i
		}
		n += w
	}
	return len(s)
}

func (p para) trimRight() para {
	for len(p) > 0 {
		last := p[len(p)-1]
		last.text = strings.TrimRightFunc(last.text, unicode.IsSpace)
		if last.text != "" {
			p[len(p)-1] = last
			return p
		}
		p = p[:len(p)-1]
	}
	return p
}

func (p para) trimLeft() para {
	for len(p) > 0 {
		p[0].text = strings.TrimLeftFunc(p[0].text, unicode.IsSpace)
		if p[0].text != "" {
			return p
		}
		p = p[1:]
	}
	return p
}

// renderParas renders paragraphs into one message.
func renderParas(ps []para) Message {
	var h, t strings.Builder
	n := 0
	for _, p := range ps {
		for _, s := range p {
			n += len(s.text) + 2
		}
	}
	h.Grow(n + n/8 + 64) // room for tags and escapes
	t.Grow(n)
	for i, p := range ps {
		if i > 0 {
			h.WriteString("\n\n")
			t.WriteString("\n\n")
		}
		for _, s := range p {
			t.WriteString(s.text)
			if s.href != "" {
				h.WriteString(`<a href="` + escapeHTML(s.href) + `">`)
			}
			if s.bold {
				h.WriteString("<b>")
			}
			if s.italic {
				h.WriteString("<i>")
			}
			if s.pre {
				h.WriteString("<pre>")
			}
			h.WriteString(escapeHTML(s.text))
			if s.pre {
				h.WriteString("</pre>")
			}
			if s.italic {
				h.WriteString("</i>")
			}
			if s.bold {
				h.WriteString("</b>")
			}
			if s.href != "" {
				h.WriteString("</a>")
			}
		}
	}
	return Message{HTML: h.String(), Plain: t.String()}
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escapeHTML escapes text for Telegram HTML, in element text and in
// double-quoted attribute values alike.
func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

// clean makes text safe to send: valid UTF-8, no control characters other
// than newline and tab.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, badControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badControl(r) {
			return -1
		}
		return r
	}, s)
}

func badControl(r rune) bool {
	return (unicode.IsControl(r) && r != '\n' && r != '\t') || r == '\u2028' || r == '\u2029'
}

// safeURL accepts only http and https links without spaces or quotes.
func safeURL(u string) bool {
	l := strings.ToLower(u)
	return (strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://")) && len(u) > len("https://") &&
		!strings.ContainsAny(u, " \t\n\"<>") && utf8.ValidString(u)
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

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
	t := textsFor(r.Lang)
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
		d.italic(truncate(h.Text, 120))
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
	t := textsFor(lang)
	if empty {
		return renderText(t.TopicEmpty)
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
		d.text(textsFor(lang).TopicEmpty)
	}
	for i, f := range facts {
		text, _ := f.Text.In(lang)
		d.bold(strconv.Itoa(from+i+1) + ".").text(" " + truncate(text, 300)).para()
	}
	// A page is six facts of at most 300 characters: always one message.
	return d.messages(MaxMessageLen)[0]
}

// RenderPublishers lists who the facts come from, most cited first.
func RenderPublishers(base *knowledge.Base, lang knowledge.Lang) []Message {
	t := textsFor(lang)
	if base == nil {
		return renderText(t.TopicEmpty)
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
	d.bold(fill(t.SourcesTitle, "n", strconv.Itoa(len(pubs)))).para()
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
	t := textsFor(lang)
	d := textDoc(t.About)
	if base != nil {
		d.para().italic(fill(t.AboutStats, "facts", strconv.Itoa(len(base.Facts)),
			"docs", strconv.Itoa(len(base.Documents)), "hash", base.Hash()))
	}
	return d.messages(MaxMessageLen)
}
