package reply

import (
	"fmt"
	"strings"

	"factbot/bot/chart"
	"factbot/knowledge"
)

// PlainText renders a reply for a terminal: the statement, its figures, the
// as-of date, sources with links, and the related facts.
func PlainText(r Reply) string {
	lb := LabelsFor(r.Lang)
	var b strings.Builder
	if r.Newest != "" && (r.Answered || r.Tier == knowledge.TierClosest) {
		fmt.Fprintf(&b, lb.Newest+"\n\n", FormatPeriod(r.Newest))
	}
	if r.Tier == knowledge.TierClosest && len(r.Closest) > 0 {
		b.WriteString(lb.NotSure + "\n")
		for i, h := range r.Closest {
			fmt.Fprintf(&b, "\n%d. ", i+1)
			writeHitPlain(&b, h, lb)
		}
		if r.Fallback {
			fmt.Fprintf(&b, "\n%s\n", lb.Fallback)
		}
		return b.String()
	}
	if !r.Answered {
		return lb.NoAnswer + "\n"
	}
	writeHitPlain(&b, r.Best, lb)
	if len(r.Related) > 0 {
		fmt.Fprintf(&b, "\n%s:\n", lb.Related)
		for _, h := range r.Related {
			fmt.Fprintf(&b, "  • %s [%s]\n", h.Text, h.ID)
		}
	}
	if r.Fallback {
		fmt.Fprintf(&b, "\n%s\n", lb.Fallback)
	}
	return b.String()
}

// PlainWithSeries is PlainText led by the series answer when the reply has
// series (chart.Text); the series answer stands alone when the search found
// no fact to show.
func PlainWithSeries(r Reply) string {
	text := chart.Text(r.Result.Series, r.Lang)
	if text == "" {
		return PlainText(r)
	}
	if r.Tier == knowledge.TierNone {
		return text
	}
	return text + "\n" + PlainText(r)
}

func writeHitPlain(b *strings.Builder, h knowledge.Hit, lb Labels) {
	if h.Passage != nil && h.Passage.Heading != "" {
		fmt.Fprintf(b, "%s — %s\n", h.Document.Title, h.Passage.Heading)
	}
	b.WriteString(h.Text + "\n")
	if f := h.Fact; f != nil {
		if len(f.Figures) > 0 {
			fmt.Fprintf(b, "\n%s:\n", lb.Figures)
			for _, fg := range f.Figures {
				fmt.Fprintf(b, "  • %s\n", FormatFigure(fg, lb.Lang))
			}
		}
		if d, _ := f.Disagreement.In(h.Lang); d != "" {
			fmt.Fprintf(b, "%s: %s\n", lb.Differ, d)
		}
		if f.Date != "" {
			fmt.Fprintf(b, "%s: %s\n", lb.AsOf, FormatPeriod(f.Date))
		}
	} else if h.Document != nil && h.Document.Date != "" {
		fmt.Fprintf(b, "%s: %s\n", lb.AsOf, FormatPeriod(h.Document.Date))
	}
	fmt.Fprintf(b, "%s:\n", lb.Sources)
	for i, s := range h.Sources() {
		text, url := FormatSource(s, lb)
		if url != "" {
			text += " — " + url
		}
		fmt.Fprintf(b, "  %d. %s\n", i+1, text)
	}
}
