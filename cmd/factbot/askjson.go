package main

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"factbot/knowledge"
)

// jsonLine appends one answer of ask --json exactly as encoding/json's
// Encoder writes it: the same field order and omissions (the struct tags of
// jsonAnswer and the types under it), the same escaping (HTML escaping on)
// and the same numbers. Most of encoding/json's time goes to escaping the
// hits' texts and sources, which answers repeat: jsonLine escapes each once
// and copies it after (BenchmarkJSONLine: about 4 µs an answer of the dev
// set against 18).
//
// TestJSONLineMatchesEncodingJSON fills every field of jsonAnswer, down to
// the sources and series, and compares: a field added to those types and
// not here fails it.
type jsonLine struct {
	b []byte
	// unsupported is set on a NaN or an infinity, which JSON cannot hold;
	// the caller then lets encoding/json report it.
	unsupported bool
	// texts and sources hold the hits' texts and source lists as written
	// before: answers repeat the base's facts, and copying costs less than
	// escaping again. A list's key is its first element (the base does not
	// change while ask runs). Each stops growing at maxMemo entries.
	texts   map[string]string
	sources map[sourceList]string
}

type sourceList struct {
	first *knowledge.Source
	n     int
}

const maxMemo = 1 << 14

// write writes a to w as one line, as json.Encoder's Encode does.
func (l *jsonLine) write(w io.Writer, a jsonAnswer) error {
	l.b, l.unsupported = l.b[:0], false
	l.answer(&a)
	if l.unsupported {
		// encoding/json's error for it, and nothing written.
		return json.NewEncoder(w).Encode(a)
	}
	l.b = append(l.b, '\n')
	_, err := w.Write(l.b)
	return err
}

func (l *jsonLine) answer(a *jsonAnswer) {
	l.raw(`{"question":`)
	l.str(a.Question)
	l.raw(`,"language":`)
	l.str(a.Language)
	l.raw(`,"answered":`)
	l.bool(a.Answered)
	l.raw(`,"hits":`)
	appendList(l, a.Hits, (*jsonLine).hit)
	l.raw(`,"confidence":`)
	l.float(a.Confidence)
	l.raw(`,"tier":`)
	l.str(a.Tier)
	if a.Newest != "" {
		l.raw(`,"newest":`)
		l.str(a.Newest)
	}
	if len(a.Series) > 0 {
		l.raw(`,"series":`)
		appendList(l, a.Series, (*jsonLine).series)
	}
	l.raw("}")
}

func (l *jsonLine) hit(h *jsonHit) {
	l.raw(`{"id":`)
	l.str(h.ID)
	l.raw(`,"kind":`)
	l.str(h.Kind)
	l.raw(`,"text":`)
	memo(l, &l.texts, h.Text, func() { l.str(h.Text) })
	l.raw(`,"lang":`)
	l.str(h.Lang)
	l.raw(`,"score":`)
	l.float(h.Score)
	l.raw(`,"sources":`)
	if len(h.Sources) == 0 {
		appendList(l, h.Sources, (*jsonLine).source)
	} else {
		memo(l, &l.sources, sourceList{&h.Sources[0], len(h.Sources)}, func() {
			appendList(l, h.Sources, (*jsonLine).source)
		})
	}
	l.raw("}")
}

func (l *jsonLine) source(s *knowledge.Source) {
	l.raw(`{"title":`)
	l.str(s.Title)
	l.raw(`,"publisher":`)
	l.str(s.Publisher)
	l.raw(`,"url":`)
	l.str(s.URL)
	l.raw(`,"date":`)
	l.str(s.Date)
	l.raw("}")
}

func (l *jsonLine) series(s *jsonSeries) {
	l.raw(`{"measure":`)
	l.str(s.Measure)
	l.raw(`,"unit":`)
	l.str(s.Unit)
	l.raw(`,"by":`)
	l.str(s.By)
	l.raw(`,"points":`)
	appendList(l, s.Points, (*jsonLine).point)
	l.raw(`,"name":`)
	l.str(s.Name)
	if s.Change != nil {
		l.raw(`,"change":`)
		l.change(s.Change)
	}
	l.raw("}")
}

func (l *jsonLine) point(p *jsonPoint) {
	l.raw(`{"period":`)
	l.str(p.Period)
	l.raw(`,"value":`)
	l.float(p.Value)
	l.raw(`,"figure":`)
	l.str(p.Figure)
	l.raw("}")
}

func (l *jsonLine) change(c *jsonChange) {
	l.raw(`{"from":`)
	l.str(c.From)
	l.raw(`,"to":`)
	l.str(c.To)
	l.raw(`,"ratio":`)
	l.float(c.Ratio)
	l.raw(`,"percent":`)
	l.float(c.Percent)
	if c.Approx {
		l.raw(`,"approx":true`)
	}
	l.raw("}")
}

// memo appends what write appends, or a copy of what it appended before
// for key.
func memo[K comparable](l *jsonLine, m *map[K]string, key K, write func()) {
	if q, ok := (*m)[key]; ok {
		l.raw(q)
		return
	}
	n := len(l.b)
	write()
	if *m == nil {
		*m = make(map[K]string)
	}
	if len(*m) < maxMemo {
		(*m)[key] = string(l.b[n:])
	}
}

// appendList appends xs as a JSON array, each element with elem; a nil
// slice is null, as encoding/json has it.
func appendList[T any](l *jsonLine, xs []T, elem func(*jsonLine, *T)) {
	if xs == nil {
		l.raw("null")
		return
	}
	l.raw("[")
	for i := range xs {
		if i > 0 {
			l.raw(",")
		}
		elem(l, &xs[i])
	}
	l.raw("]")
}

func (l *jsonLine) raw(s string) { l.b = append(l.b, s...) }

func (l *jsonLine) bool(v bool) { l.b = strconv.AppendBool(l.b, v) }

// float appends f as encoding/json does (its floatEncoder, for float64):
// like ES6's number to string, 'f' between 1e-6 and 1e21 and 'e' with an
// unpadded exponent outside.
func (l *jsonLine) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		l.unsupported = true
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(l.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	l.b = b
}

// str appends s quoted as encoding/json does with HTML escaping (its
// appendString): ", \ and control characters escaped, <, > and & as
// \u003c, \u003e and \u0026, U+2028 and U+2029 as \u2028 and \u2029, and
// each byte of invalid UTF-8 as \ufffd.
func (l *jsonLine) str(s string) {
	const hex = "0123456789abcdef"
	b := append(l.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	l.b = append(b, '"')
}

// jsonSafe reports whether the ASCII byte c stands for itself in str.
func jsonSafe(c byte) bool {
	switch c {
	case '"', '\\', '<', '>', '&':
		return false
	}
	return c >= ' '
}
