package main

import (
	"errors"
	"math"
	"strconv"
	"unicode/utf8"

	"factbot/knowledge"
)

// appendJSON appends a as encoding/json's Encoder writes it (HTML
// escaping on, a newline after), byte for byte, without reflection: a
// batch of ask --json spent a tenth of its time in the encoder. It fails
// with errNonFinite on a NaN or infinite number, which encoding/json
// refuses too (the caller lets it say so).
func (a *jsonAnswer) appendJSON(b []byte) ([]byte, error) {
	w := jsonWriter{b: b}
	w.raw(`{"question":`)
	w.str(a.Question)
	w.raw(`,"language":`)
	w.str(a.Language)
	w.raw(`,"answered":`)
	w.bool(a.Answered)
	w.raw(`,"hits":`)
	if a.Hits == nil {
		w.raw("null")
	} else {
		w.raw("[")
		for i := range a.Hits {
			if i > 0 {
				w.raw(",")
			}
			a.Hits[i].appendJSON(&w)
		}
		w.raw("]")
	}
	w.raw(`,"confidence":`)
	w.float(a.Confidence)
	w.raw(`,"tier":`)
	w.str(a.Tier)
	if a.Newest != "" {
		w.raw(`,"newest":`)
		w.str(a.Newest)
	}
	if len(a.Series) > 0 {
		w.raw(`,"series":[`)
		for i := range a.Series {
			if i > 0 {
				w.raw(",")
			}
			a.Series[i].appendJSON(&w)
		}
		w.raw("]")
	}
	w.raw("}\n")
	if w.bad {
		return b, errNonFinite
	}
	return w.b, nil
}

func (h *jsonHit) appendJSON(w *jsonWriter) {
	w.raw(`{"id":`)
	w.str(h.ID)
	w.raw(`,"kind":`)
	w.str(h.Kind)
	w.raw(`,"text":`)
	w.str(h.Text)
	w.raw(`,"lang":`)
	w.str(h.Lang)
	w.raw(`,"score":`)
	w.float(h.Score)
	w.raw(`,"sources":`)
	if h.Sources == nil {
		w.raw("null")
	} else {
		w.raw("[")
		for i, s := range h.Sources {
			if i > 0 {
				w.raw(",")
			}
			appendSource(w, s)
		}
		w.raw("]")
	}
	w.raw("}")
}

func appendSource(w *jsonWriter, s knowledge.Source) {
	w.raw(`{"title":`)
	w.str(s.Title)
	w.raw(`,"publisher":`)
	w.str(s.Publisher)
	w.raw(`,"url":`)
	w.str(s.URL)
	w.raw(`,"date":`)
	w.str(s.Date)
	w.raw("}")
}

func (s *jsonSeries) appendJSON(w *jsonWriter) {
	w.raw(`{"measure":`)
	w.str(s.Measure)
	w.raw(`,"unit":`)
	w.str(s.Unit)
	w.raw(`,"by":`)
	w.str(s.By)
	w.raw(`,"points":`)
	if s.Points == nil {
		w.raw("null")
	} else {
		w.raw("[")
		for i, p := range s.Points {
			if i > 0 {
				w.raw(",")
			}
			w.raw(`{"period":`)
			w.str(p.Period)
			w.raw(`,"value":`)
			w.float(p.Value)
			w.raw(`,"figure":`)
			w.str(p.Figure)
			w.raw("}")
		}
		w.raw("]")
	}
	w.raw(`,"name":`)
	w.str(s.Name)
	if c := s.Change; c != nil {
		w.raw(`,"change":{"from":`)
		w.str(c.From)
		w.raw(`,"to":`)
		w.str(c.To)
		w.raw(`,"ratio":`)
		w.float(c.Ratio)
		w.raw(`,"percent":`)
		w.float(c.Percent)
		if c.Approx {
			w.raw(`,"approx":true`)
		}
		w.raw("}")
	}
	w.raw("}")
}

var errNonFinite = errors.New("json: a NaN or infinite number")

// jsonWriter appends JSON values; bad is set by a number JSON cannot hold.
type jsonWriter struct {
	b   []byte
	bad bool
}

func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

func (w *jsonWriter) bool(v bool) {
	if v {
		w.raw("true")
	} else {
		w.raw("false")
	}
}

// float writes f as encoding/json does: like ES6, %f-style between 1e-6
// and 1e21, exponent form outside, with no leading zero in the exponent.
func (w *jsonWriter) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.bad = true
		return
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(w.b, f, format, -1, 64)
	if format == 'e' {
		// e-09 → e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	w.b = b
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string as encoding/json does with HTML escaping:
// <, > and & as \u003c…, other control bytes as \uXXXX but for the short
// escapes, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func (w *jsonWriter) str(s string) {
	b := append(w.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
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
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
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
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	w.b = append(b, '"')
}
