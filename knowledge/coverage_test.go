package knowledge

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// coverageCase is an eval case as the coverage check reads it: the curated
// eval set, or a folder of extra dev questions in the same format with the
// optional fields "asked", "kind: trend" and "series".
type coverageCase struct {
	Q          string   `yaml:"q"`
	Lang       Lang     `yaml:"lang"`
	Want       []string `yaml:"want"`
	OutOfScope bool     `yaml:"out_of_scope"`
	Asked      string   `yaml:"asked"`
	Kind       string   `yaml:"kind"`
	Series     struct {
		Measure  string `yaml:"measure"`
		From, To int
	} `yaml:"series"`
}

// coverageFloor is the share of the curated eval set's questions about a
// numeric measure for which Understand must find a measure of a wanted
// fact; it guards the thesaurus against regressions.
const coverageFloor = 0.9

// TestMeasureCoverage reports, per language, the share of in-scope questions
// for which Understand finds a measure of a fact the question wants: all
// questions, and those whose wanted fact has a numeric measure. It fails
// only below coverageFloor on the curated set. Run with -v for the table
// and the misses; set FACTBOT_DEVTG to a folder of extra dev questions
// (*.yaml, same format) to check them too:
//
//	FACTBOT_DEVTG=/work/devtg go test ./knowledge -run TestMeasureCoverage -v
func TestMeasureCoverage(t *testing.T) {
	b, err := Load(Curated())
	if err != nil {
		t.Fatal(err)
	}
	var curated []coverageCase
	for _, c := range b.Eval {
		curated = append(curated, coverageCase{Q: c.Question, Lang: c.Lang, Want: c.Want, OutOfScope: c.OutOfScope})
	}
	total, numeric := coverage(t, b, "eval set", curated)
	if numeric < coverageFloor {
		t.Errorf("eval set: measures found for %.3f of the questions about numeric measures, want at least %.2f (total %.3f)", numeric, coverageFloor, total)
	}
	dir := os.Getenv("FACTBOT_DEVTG")
	if dir == "" {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	var extra []coverageCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Cases []coverageCase }
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		extra = append(extra, doc.Cases...)
	}
	coverage(t, b, dir, extra)
}

// coverage logs the table for one set of cases and returns the overall
// shares: all in-scope questions, and those about numeric measures.
func coverage(t *testing.T, b *Base, name string, cases []coverageCase) (all, numeric float64) {
	t.Helper()
	type count struct{ n, ok, first, numN, numOK, trendN, trendKind, trendOrCompare, trendFirst int }
	per := map[Lang]*count{}
	var misses []string
	var sum count
	oos, oosFound := 0, 0
	for _, c := range cases {
		if c.OutOfScope {
			oos++
			if len(b.Understand(c.Q, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)).Measures) > 0 {
				oosFound++
			}
			continue
		}
		want := map[string]bool{}
		isNumeric := false
		for _, id := range c.Want {
			if f := b.Fact(id); f != nil {
				for _, m := range f.Measures {
					want[m] = true
					isNumeric = isNumeric || b.Numeric(m)
				}
			}
		}
		if c.Series.Measure != "" {
			want[c.Series.Measure] = true
			isNumeric = true
		}
		if len(want) == 0 {
			continue // only passages wanted
		}
		asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
		if c.Asked != "" {
			if d, err := time.Parse("2006-01-02", c.Asked); err == nil {
				asked = d
			}
		}
		in := b.Understand(c.Q, asked)
		found := false
		for _, m := range in.Measures {
			found = found || want[m]
		}
		p := per[c.Lang]
		if p == nil {
			p = &count{}
			per[c.Lang] = p
		}
		for _, x := range []*count{p, &sum} {
			x.n++
			if found {
				x.ok++
			}
			if len(in.Measures) > 0 && want[in.Measures[0]] {
				x.first++
			}
			if isNumeric {
				x.numN++
				if found {
					x.numOK++
				}
			}
			if c.Kind == "trend" {
				x.trendN++
				if in.Kind == AskTrend {
					x.trendKind++
				}
				if in.Kind == AskTrend || in.Kind == AskCompare {
					x.trendOrCompare++
				}
				if len(in.Measures) > 0 && in.Measures[0] == c.Series.Measure {
					x.trendFirst++
				}
			}
		}
		if !found {
			ids := make([]string, 0, len(want))
			for m := range want {
				ids = append(ids, m)
			}
			sort.Strings(ids)
			misses = append(misses, fmt.Sprintf("%s | %s | want %v, found %v", c.Lang, c.Q, ids, in.Measures))
		} else if c.Kind == "trend" && (in.Kind != AskTrend || in.Measures[0] != c.Series.Measure) {
			misses = append(misses, fmt.Sprintf("%s | %s | trend of %s: kind %s, measures %v, period %s", c.Lang, c.Q, c.Series.Measure, in.Kind, in.Measures, in.Period.Value))
		}
	}
	share := func(a, n int) string {
		if n == 0 {
			return "    -"
		}
		return fmt.Sprintf("%.3f", float64(a)/float64(n))
	}
	var out strings.Builder
	fmt.Fprintf(&out, "%s: a measure of a wanted fact among the measures found\n", name)
	fmt.Fprintf(&out, "(first: the best measure found is a wanted one; trend cases: kind trend, kind trend or compare, best measure = the series')\n")
	fmt.Fprintf(&out, "lang  questions  found  first  numeric  found   trend  trend  or-compare  first=series\n")
	row := func(label string, x *count) {
		fmt.Fprintf(&out, "%-4s  %9d  %s  %s  %7d  %s  %6d  %s  %s       %s\n", label, x.n, share(x.ok, x.n), share(x.first, x.n), x.numN, share(x.numOK, x.numN), x.trendN, share(x.trendKind, x.trendN), share(x.trendOrCompare, x.trendN), share(x.trendFirst, x.trendN))
	}
	for _, l := range Langs {
		if p := per[l]; p != nil {
			row(string(l), p)
		}
	}
	row("all", &sum)
	fmt.Fprintf(&out, "out of scope: %d questions, %s of them name a measure (the ranker must still abstain)\n", oos, share(oosFound, oos))
	t.Log("\n" + out.String())
	t.Logf("%s: %d misses:\n%s", name, len(misses), strings.Join(misses, "\n"))
	if sum.n == 0 || sum.numN == 0 {
		return 0, 0
	}
	return float64(sum.ok) / float64(sum.n), float64(sum.numOK) / float64(sum.numN)
}
