package reply

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	s.text = Clean(s.text)
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
		n += UTF16Len(s.text)
	}
	return n
}

// cut splits p into a head of at most limit units and the rest, preferring
// a line break, then a space, then the last span boundary, then any
// character boundary. The whitespace at the cut is dropped.
func (p para) cut(limit int) (head, rest para) {
	used := 0
	for i, s := range p {
		n := UTF16Len(s.text)
		if used+n <= limit {
			used += n
			continue
		}
		at, skip := breakAt(s.text, limit-used)
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
			h.WriteString(escapeHTML(s.text))
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

// Clean makes text safe to send: valid UTF-8, no control characters other
// than newline and tab.
func Clean(s string) string {
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

// UTF16Len is the length of s as Telegram counts it, in UTF-16 code units.
func UTF16Len(s string) int {
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

// textDoc builds a doc from fixed text: paragraphs separated by blank lines.
func textDoc(s string) *doc {
	d := &doc{}
	for i, p := range strings.Split(s, "\n\n") {
		if i > 0 {
			d.para()
		}
		d.text(p)
	}
	return d
}

// RenderText renders fixed text as messages.
func RenderText(s string) []Message { return textDoc(s).messages(MaxMessageLen) }
