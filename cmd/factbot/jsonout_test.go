package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"factbot/knowledge"
)

// appendJSON writes what encoding/json's Encoder writes, byte for byte,
// for answers made of awkward strings and numbers.
func TestAppendJSONAsEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 7))
	pieces := []string{"", "a", "Қазақстан", "哈萨克斯坦", "énergie", `"`, `\`, "<b>", "&amp;", ">", "\n", "\r", "\t", "\b", "\f",
		"\x00", "\x01", "\x1f", "\x7f", " ", "\u2028", "\u2029", "\xff", "\xe2\x80", "\xc3", "\U0001F600", "\ufffd", "~2024-09", "$41 billion", "'"}
	str := func() string {
		var sb strings.Builder
		for range rng.IntN(6) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return sb.String()
	}
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 0.97, 1e-6, 9.99e-7, 1e-7, 1.5e-10, 1e20, 1e21, 1.2345e21, 41020000000,
		math.MaxFloat64, math.SmallestNonzeroFloat64, -1e-7, 123456789.125, 0.008721538386353141}
	num := func() float64 {
		switch rng.IntN(3) {
		case 0:
			return floats[rng.IntN(len(floats))]
		case 1:
			return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(50)-25))
		}
		for {
			if f := math.Float64frombits(rng.Uint64()); !math.IsNaN(f) && !math.IsInf(f, 0) {
				return f
			}
		}
	}
	sources := func() []knowledge.Source {
		if rng.IntN(5) == 0 {
			return nil
		}
		out := []knowledge.Source{}
		for range rng.IntN(3) {
			out = append(out, knowledge.Source{Title: str(), Publisher: str(), URL: str(), Date: str(), Note: knowledge.Text{knowledge.EN: str()}})
		}
		return out
	}
	for n := 0; n < 3000; n++ {
		a := jsonAnswer{Question: str(), Language: str(), Answered: rng.IntN(2) == 0, Confidence: num(), Tier: str()}
		if rng.IntN(3) == 0 {
			a.Newest = str()
		}
		if rng.IntN(6) > 0 {
			a.Hits = []jsonHit{}
		}
		for range rng.IntN(4) {
			a.Hits = append(a.Hits, jsonHit{ID: str(), Kind: str(), Text: str(), Lang: str(), Score: num(), Sources: sources()})
		}
		if k := rng.IntN(4); k > 0 {
			a.Series = []jsonSeries{}
			for range k - 1 {
				s := jsonSeries{Measure: str(), Unit: str(), By: str(), Name: str()}
				if rng.IntN(5) > 0 {
					s.Points = []jsonPoint{}
				}
				for range rng.IntN(4) {
					s.Points = append(s.Points, jsonPoint{Period: str(), Value: num(), Figure: str()})
				}
				if rng.IntN(2) == 0 {
					s.Change = &jsonChange{From: str(), To: str(), Ratio: num(), Percent: num(), Approx: rng.IntN(2) == 0}
				}
				a.Series = append(a.Series, s)
			}
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(a); err != nil {
			t.Fatal(err)
		}
		got, err := a.appendJSON([]byte("kept"))
		if err != nil {
			t.Fatalf("appendJSON: %v", err)
		}
		if !bytes.Equal(got, append([]byte("kept"), want.Bytes()...)) {
			t.Fatalf("appendJSON of %+v:\n got %s\nwant kept%s", a, got, want.Bytes())
		}
	}
}

// A number JSON cannot hold is refused, as encoding/json refuses it.
func TestAppendJSONNonFinite(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		for _, a := range []jsonAnswer{
			{Confidence: f},
			{Hits: []jsonHit{{Score: f}}},
			{Series: []jsonSeries{{Points: []jsonPoint{{Value: f}}}}},
			{Series: []jsonSeries{{Change: &jsonChange{Percent: f}}}},
		} {
			if _, err := a.appendJSON(nil); err != errNonFinite {
				t.Errorf("appendJSON(%+v) = %v, want errNonFinite", a, err)
			}
			if err := json.NewEncoder(&bytes.Buffer{}).Encode(a); err == nil {
				t.Errorf("encoding/json took %+v", a)
			}
		}
	}
}
