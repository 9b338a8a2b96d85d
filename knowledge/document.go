package knowledge

import (
	"bytes"
	"fmt"
	"strings"
)

// documentFile reads a Markdown briefing: YAML front matter between "---"
// lines, then headings and paragraphs. Each paragraph becomes a passage.
func (l *loader) documentFile(name string, data []byte) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		l.addf(Pos{name, 1}, "document has no front matter (a first line \"---\")")
		return
	}
	end := -1
	for i := 1; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) == "---" {
			end = i
			break
		}
	}
	if end < 0 {
		l.addf(Pos{name, 1}, "document front matter is not closed by \"---\"")
		return
	}
	front := []byte(strings.Join(lines[1:end], "\n"))
	if len(bytes.TrimSpace(front)) == 0 {
		l.addf(Pos{name, 1}, "document has no title")
		return
	}
	root := l.parseYAML(name, front, 1)
	if root == nil {
		return
	}
	n := node{l, name, 1, root}
	fs := n.fields("front matter", "id", "title", "lang", "date", "topic", "facts", "sources")
	d := &Document{
		ID:    fs["id"].str("id"),
		Title: fs["title"].str("title"),
		Lang:  Lang(fs["lang"].str("lang")),
		Date:  fs["date"].str("date"),
		Topic: fs["topic"].str("topic"),
		Facts: fs["facts"].strs("facts"),
		Pos:   Pos{name, 1},
	}
	if !l.claimID(d.ID, d.Pos, "document") {
		d.ID = ""
	}
	label := fmt.Sprintf("document %q", d.ID)
	if d.Title == "" {
		l.addf(d.Pos, "document has no title")
	}
	if !d.Lang.Valid() {
		l.addf(d.Pos, "%s has unknown lang %q", label, d.Lang)
	}
	if d.Date != "" && !ValidPeriod(d.Date) {
		l.addf(fs["date"].pos(), "%s has malformed date %q", label, d.Date)
	}
	if d.Topic != "" {
		if _, ok := TopicByID(d.Topic); !ok {
			l.addf(fs["topic"].pos(), "%s has unknown topic %q", label, d.Topic)
		}
	}
	d.Sources = l.sources(fs["sources"], label)
	if len(d.Sources) == 0 {
		l.addf(d.Pos, "%s has no source", label)
	}
	d.Passages = splitPassages(d, lines[end+1:], end+2, MaxPassages-l.passages+1)
	if l.passages += len(d.Passages); l.passages > MaxPassages {
		l.addf(d.Pos, "the briefings have more than %d passages in all; this file and the ones after it were not read", MaxPassages)
		return
	}
	if len(d.Passages) == 0 {
		l.addf(d.Pos, "%s has no text", label)
	}
	for _, p := range d.Passages {
		if d.ID != "" {
			l.ids[p.ID] = Pos{name, p.Line}
		}
	}
	l.b.Documents = append(l.b.Documents, d)
}

// splitPassages cuts Markdown into passages: one per paragraph, each knowing
// the nearest heading above it. firstLine is the file line of body[0]. It
// stops after max passages.
func splitPassages(d *Document, body []string, firstLine, max int) []Passage {
	var (
		out     []Passage
		heading string
		para    []string
		start   int
	)
	flush := func() {
		if len(para) == 0 {
			return
		}
		text := strings.Join(para, " ")
		out = append(out, Passage{
			ID:      fmt.Sprintf("%s#%d", d.ID, len(out)+1),
			DocID:   d.ID,
			Heading: heading,
			Text:    text,
			Lang:    d.Lang,
			Line:    start,
		})
		para = nil
	}
	for i, raw := range body {
		if len(out) >= max {
			return out
		}
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "#"):
			flush()
			heading = strings.TrimSpace(strings.TrimLeft(line, "#"))
		default:
			if len(para) == 0 {
				start = firstLine + i
			}
			for _, marker := range []string{"- ", "* ", "> "} {
				line = strings.TrimPrefix(line, marker)
			}
			para = append(para, line)
		}
	}
	flush()
	return out
}
