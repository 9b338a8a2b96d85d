package main

import (
	"fmt"
	"math"
	"os"

	"factbot/bot/chart"
	"factbot/bot/reply"
	"factbot/knowledge"
)

// jsonSeriesOf is the "series" field of ask --json (design.md): per
// series, the measure, the unit, who counted it (a counting body's id, or
// the by its figures share) and its points, each with its period, its
// amount in the unit (scale applied: 41020000000 for "$41.02 billion") and
// the figure as the source gives it. Added: the name of who counted it in
// the reply language, and the change from the first point to the last,
// computed within the series.
type jsonSeries struct {
	Measure string      `json:"measure"`
	Unit    string      `json:"unit"`
	By      string      `json:"by"`
	Points  []jsonPoint `json:"points"`
	Name    string      `json:"name"`
	Change  *jsonChange `json:"change,omitempty"`
}

type jsonPoint struct {
	Period string  `json:"period"`
	Value  float64 `json:"value"`
	Figure string  `json:"figure"`
}

type jsonChange struct {
	From    string  `json:"from"`
	To      string  `json:"to"`
	Ratio   float64 `json:"ratio"`
	Percent float64 `json:"percent"`
	Approx  bool    `json:"approx,omitempty"`
}

func jsonSeriesOf(ss []knowledge.Series, l knowledge.Lang) []jsonSeries {
	var out []jsonSeries
	for _, s := range ss {
		js := jsonSeries{Measure: s.Measure, Unit: s.Unit, By: s.By, Name: s.Name(l), Points: []jsonPoint{}}
		for _, p := range s.Points {
			js.Points = append(js.Points, jsonPoint{Period: p.Period, Value: p.Amount.Base(), Figure: p.Figure.Value})
		}
		if c, ok := s.Change(); ok {
			js.Change = &jsonChange{From: c.From.Period, To: c.To.Period, Ratio: round(c.Ratio, 4),
				Percent: round(c.Percent, 2), Approx: c.Approx}
		}
		out = append(out, js)
	}
	return out
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// writeChart writes the reply's chart to file, or says on stderr that the
// answer has no series.
func writeChart(e *env, r reply.Reply, file string) error {
	if len(r.Result.Series) == 0 {
		fmt.Fprintf(e.stderr, "factbot ask: %q has no series to chart; %s not written\n", r.Question, file)
		return nil
	}
	png, err := chart.Render(r.Result.Series, r.Lang)
	if err != nil {
		return fmt.Errorf("chart %q: %w", r.Question, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	fmt.Fprintf(e.stderr, "factbot ask: chart of %d series written to %s\n", min(len(r.Result.Series), chart.MaxSeries), file)
	return nil
}
