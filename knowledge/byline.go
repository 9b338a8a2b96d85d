package knowledge

import (
	"regexp"
	"strings"
)

// Name is a person or a body that figures' By name and that is no counting
// body — President Tokayev, the China MFA, the Eurasian Development Bank —
// with its name in every language. Publishers are not listed: they keep
// the names they publish under.
type Name struct {
	ID string
	// Name is the display name, in all five languages.
	Name Text
	// By are the ways By writes the name, matched whole, ignoring case.
	By  []string
	Pos Pos
}

// named reads one entry of a names list; it shares the counters' id
// namespace, so a name and a body are never confused.
func (l *loader) named(n node) *Name {
	fs := n.fields("name", "id", "name", "by")
	id, label, ok := l.entryID(n, fs, "name")
	if !ok {
		return nil
	}
	return &Name{ID: id, Pos: n.pos(), Name: l.entryName(n, fs, label),
		By: l.entryBy(n, fs, label, "the ways a figure's by writes it")}
}

// byParts splits a By into the names it lists ("; ").
func byParts(by string) []string {
	var out []string
	for _, p := range strings.Split(by, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// viaRE is "A (B)": A as published by B.
var viaRE = regexp.MustCompile(`^([^()]+?) \(([^()]+)\)$`)

// knownName returns the name of a counting body or of Names that s writes,
// in lang; ok is false when s is neither.
func (b *Base) knownName(s string, lang Lang) (string, bool) {
	for _, c := range b.Counters {
		if slicesContainsFold(c.By, s) {
			n, _ := c.Name.In(lang)
			return n, true
		}
	}
	for _, c := range b.Names {
		if slicesContainsFold(c.By, s) {
			n, _ := c.Name.In(lang)
			return n, true
		}
	}
	return "", false
}

// ByText is who gives a figure, for a reader of lang: counting bodies and
// Names in lang, publishers as they publish, then the ByNote in lang in
// parentheses. "Kazakh statistics" is "Бюро национальной статистики РК" in
// ru; "Tokayev (Qazaq Times)" is "托卡耶夫总统 (Qazaq Times)" in zh.
func (b *Base) ByText(fg Figure, lang Lang) string {
	var parts []string
	for _, p := range byParts(fg.By) {
		parts = append(parts, b.byPart(p, lang))
	}
	sep := "; "
	if lang == ZH {
		sep = "；"
	}
	s := strings.Join(parts, sep)
	if note, _ := fg.ByNote.In(lang); note != "" {
		if lang == ZH {
			s += "（" + note + "）"
		} else {
			s += " (" + note + ")"
		}
	}
	return s
}

func (b *Base) byPart(p string, lang Lang) string {
	if n, ok := b.knownName(p, lang); ok {
		return n
	}
	if m := viaRE.FindStringSubmatch(p); m != nil {
		who, _ := b.knownName(m[1], lang)
		if who == "" {
			who = m[1]
		}
		via, _ := b.knownName(m[2], lang)
		if via == "" {
			via = m[2]
		}
		if who == via {
			return who
		}
		if lang == ZH {
			return who + "（" + via + "）"
		}
		return who + " (" + via + ")"
	}
	return p
}

// ByPublishers returns the parts of a figure's By that are publishers,
// shown as published in every language.
func (b *Base) ByPublishers(fg Figure) []string {
	var out []string
	for _, p := range byParts(fg.By) {
		if _, ok := b.knownName(p, EN); ok {
			continue
		}
		names := []string{p}
		if m := viaRE.FindStringSubmatch(p); m != nil {
			names = m[1:]
		}
		for _, n := range names {
			if _, ok := b.knownName(n, EN); !ok {
				out = append(out, n)
			}
		}
	}
	return out
}

// publishes reports whether name is how one of the sources' publishers is
// credited: the publisher itself or a name in its credit, as whole words
// ("Trend" in "Trend (trend.az)", "Xinhua" in "China Gate, citing Xinhua").
func publishes(srcs []Source, name string) bool {
	for _, s := range srcs {
		p := s.Publisher
		if containsPhrase(p, name) {
			return true
		}
	}
	return false
}

// checkBy reports figures whose By is not names only: each of its parts
// must be a counting body, a Name or a publisher of the fact's sources (or
// "A (B)" of two of them). What was said about how the figure was given
// goes in by_note, in five languages, so that no English reaches a reader
// of another language. A base that lists no names (a small test base, an
// old export) has opted out: its by is shown as written.
func (l *loader) checkBy() {
	if len(l.b.Names) == 0 {
		return
	}
	for _, f := range l.b.Facts {
		for _, fg := range f.Figures {
			for _, p := range byParts(fg.By) {
				if _, ok := l.b.knownName(p, EN); ok {
					continue
				}
				names := []string{p}
				if m := viaRE.FindStringSubmatch(p); m != nil {
					names = m[1:]
				}
				for _, n := range names {
					if _, ok := l.b.knownName(n, EN); ok || publishes(f.Sources, n) {
						continue
					}
					l.addf(fg.Pos, "fact %q: figure %q: by names %q, which is no counting body or name (counters/) and no publisher of the fact's sources; by lists who gives the figure, by_note how", f.ID, fg.Value, n)
				}
			}
		}
	}
}
