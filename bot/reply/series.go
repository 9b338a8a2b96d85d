package reply

import (
	"strconv"
	"strings"

	"factbot/bot/chart"
)

// RenderSeries renders a series answer (Reply.Result.Series) as Telegram
// messages in the reply's language: the heading; per series, its change
// from the first point to the last — computed within that series alone and
// labelled as computed — over its points as a monospaced table (period,
// figure as given, whose figure, the numbers of its sources); the
// disagreement note when two series are shown; then every source of every
// point, numbered and linked. Long answers are split like any other
// (see doc.messages). Nil when the reply has no series.
func RenderSeries(r Reply) []Message {
	a, ok := chart.Parts(r.Result.Series, r.Lang)
	if !ok {
		return nil
	}
	d := &doc{}
	d.bold(a.Heading).para()
	for _, s := range a.Series {
		d.text(s.Change).line()
		d.pre(strings.TrimRight(s.Table, "\n")).para()
	}
	if a.Differ != "" {
		d.italic(a.DifferLabel + strings.TrimRight(a.Colon, " ")).text(" " + a.Differ).para()
	}
	d.bold(a.SourcesLabel + strings.TrimRight(a.Colon, " "))
	for i, src := range a.Sources {
		d.line().text(strconv.Itoa(i+1)+". ").link(src.Text, src.URL)
	}
	d.para()
	if r.Fallback {
		d.italic(LabelsFor(r.Lang).Fallback).para()
	}
	return d.messages(MaxMessageLen)
}

// pre appends a monospaced block.
func (d *doc) pre(s string) *doc { return d.add(span{text: s, pre: true}) }
