package reply

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"factbot/bot/chart"
	"factbot/bot/internal/testkb"
	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

// allSeries are the series of measure over every year (what the bot's
// "📈 Chart" button shows).
func allSeries(b *knowledge.Base, measure string) []knowledge.Series {
	return b.SeriesAnswer(knowledge.Intent{Kind: knowledge.AskTrend, Measures: []string{measure}}, knowledge.Period{})
}

// checkNoCrossSource asserts that every change ("×2.2") the text shows is
// the change of one series, and none is a ratio across two.
func checkNoCrossSource(t *testing.T, text string, series []knowledge.Series) {
	t.Helper()
	var within, across []float64
	for i, a := range series {
		if c, ok := a.Change(); ok {
			within = append(within, c.Ratio)
		}
		for j, b := range series {
			if i == j || len(a.Points) == 0 || len(b.Points) == 0 || a.Points[0].Amount.Base() <= 0 {
				continue
			}
			across = append(across, b.Points[len(b.Points)-1].Amount.Base()/a.Points[0].Amount.Base())
		}
	}
	near := func(x float64, ys []float64) bool {
		for _, y := range ys {
			if math.Abs(x-y) <= 0.01*y+0.005 {
				return true
			}
		}
		return false
	}
	ratios := regexp.MustCompile(`×([0-9]+(?:[.,][0-9]+)?)`).FindAllStringSubmatch(text, -1)
	if len(within) > 0 && len(ratios) == 0 {
		t.Errorf("no change shown in:\n%s", text)
	}
	for _, m := range ratios {
		x, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
		if err != nil {
			t.Fatalf("ratio %q: %v", m[0], err)
		}
		if !near(x, within) {
			t.Errorf("%s is no series' own change (within %v, across %v)", m[0], within, across)
		}
		if near(x, across) && !near(x, within) {
			t.Errorf("%s is computed across two series", m[0])
		}
	}
}

// No number is computed across two sources: for every numeric measure of
// the curated base with more than one series, in every language, each
// change shown is one series' own.
func TestSeriesNoCrossSourceChange(t *testing.T) {
	b := testkb.Curated(t)
	checked := 0
	for _, m := range b.Measures() {
		if !b.Numeric(m.ID) {
			continue
		}
		series := allSeries(b, m.ID)
		if len(series) < 2 {
			continue
		}
		checked++
		for _, l := range knowledge.Langs {
			r := Reply{Lang: l, Result: knowledge.Result{Series: series}}
			for _, text := range []string{joinPlain(RenderSeries(r)), chart.Caption(series, l)} {
				checkNoCrossSource(t, text, series)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no measure of the curated base has two series")
	}
}

func joinPlain(ms []Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Plain + "\n\n")
	}
	return b.String()
}

// The series answer in five languages, as HTML and as plain text; every
// message parses, fits and says the same in both.
func TestGoldenSeries(t *testing.T) {
	series := testkb.TradeSince2015(testkb.Curated(t))
	if len(series) != 2 {
		t.Fatalf("%d series of trade since 2015, want 2", len(series))
	}
	for _, l := range knowledge.Langs {
		t.Run(string(l), func(t *testing.T) {
			ms := RenderSeries(Reply{Lang: l, Result: knowledge.Result{Series: series}})
			checkMessages(t, ms)
			golden(t, "series."+string(l), ms)
			goldenPlain(t, "series."+string(l)+".plain", ms)
			checkNoCrossSource(t, joinPlain(ms), series)
			plain := joinPlain(ms)
			for _, s := range series {
				for _, p := range s.Points {
					// The figure as the reader's press writes it; in English, as given.
					want := p.Figure.Value
					if v, err := knowledge.FormatValue(p.Figure, l); l != knowledge.EN && err == nil {
						want = v
					}
					if !strings.Contains(plain, want) {
						t.Errorf("%s: the point %s (%s) is missing", l, p.Period, want)
					}
					for _, src := range p.Sources {
						if !strings.Contains(plain, src.Publisher) {
							t.Errorf("%s: the source %q of %s is missing", l, src.Publisher, p.Period)
						}
					}
				}
			}
		})
	}
}

// A series answer longer than one message is split cleanly: every part
// parses and fits, a source's line is never cut, and none is lost. The
// trade series, every year, list 27 sources; with 30 more per point (long
// titles and links) the answer needs several messages.
func TestSeriesSplit(t *testing.T) {
	b := testkb.Curated(t)
	var series []knowledge.Series
	for _, s := range allSeries(b, "trade-turnover") {
		s.Points = append([]knowledge.Point(nil), s.Points...)
		for i := range s.Points {
			p := &s.Points[i]
			p.Sources = append([]knowledge.Source(nil), p.Sources...)
			for j := 0; j < 30; j++ {
				p.Sources = append(p.Sources, knowledge.Source{Publisher: "Publisher " + strconv.Itoa(j) + " of " + p.Period,
					Title: strings.Repeat("A long title <with> & markup ", 3), Date: "2024-01-0" + strconv.Itoa(j%9+1),
					URL: "https://example.org/" + s.By + "/" + p.Period + "/" + strconv.Itoa(j) + "?q=a&b=c"})
			}
		}
		series = append(series, s)
	}
	for _, l := range knowledge.Langs {
		ms := RenderSeries(Reply{Lang: l, Result: knowledge.Result{Series: series}})
		checkMessages(t, ms)
		if len(ms) < 2 {
			t.Fatalf("%s: %d message(s); the test wants a split", l, len(ms))
		}
		a, _ := chart.Parts(series, l)
		for i, src := range a.Sources {
			line := strconv.Itoa(i+1) + ". " + src.Text
			n := 0
			for _, m := range ms {
				for _, got := range strings.Split(m.Plain, "\n") {
					if got == line {
						n++
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: source line %q appears whole in %d messages, want 1", l, line, n)
			}
		}
		checkNoCrossSource(t, joinPlain(ms), series)
	}
}

// goldenPlain is golden for the plain text of messages, the text sent
// when Telegram cannot parse the HTML.
func goldenPlain(t *testing.T, name string, ms []Message) {
	t.Helper()
	var b strings.Builder
	for i, m := range ms {
		fmt.Fprintf(&b, "=== message %d of %d (%d UTF-16 units) ===\n%s\n", i+1, len(ms), telegramtest.UTF16Len(m.Plain), m.Plain)
	}
	goldenText(t, name, b.String())
}
