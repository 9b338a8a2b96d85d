package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"factbot/bot/reply"
	"factbot/index"
	"factbot/knowledge"
)

// encodingJSON is what json.Encoder writes for a: the bytes jsonLine must
// reproduce.
func encodingJSON(t testing.TB, a jsonAnswer) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.NewEncoder(&b).Encode(a); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return b.String()
}

// jsonLineOf is what l writes for a. Tests pass the same l for many
// answers, so that they see its memo too.
func jsonLineOf(t testing.TB, l *jsonLine, a jsonAnswer) string {
	t.Helper()
	var b bytes.Buffer
	if err := l.write(&b, a); err != nil {
		t.Fatalf("jsonLine: %v", err)
	}
	return b.String()
}

// Every dev question's answer, as ask --json prints it.
func TestJSONLineDevReplies(t *testing.T) {
	ctx := context.Background()
	ix, err := embeddedIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		t.Fatal(err)
	}
	a := reply.Answerer{Searcher: index.NewLive(ix)}
	series := 0
	var l jsonLine
	for _, c := range base.Eval {
		r, err := a.Answer(ctx, c.Question, "", "")
		if err != nil {
			t.Fatal(err)
		}
		ja := jsonReply(r)
		if len(ja.Series) > 0 {
			series++
		}
		if got, want := jsonLineOf(t, &l, ja), encodingJSON(t, ja); got != want {
			t.Fatalf("%q:\n got %s\nwant %s", c.Question, got, want)
		}
	}
	if series == 0 {
		t.Error("no dev answer has series: the test misses that part")
	}
}

// Random answers with every field set (or not), from strings and numbers
// chosen to trip an encoder up. A field added to jsonAnswer or the types
// under it that jsonLine does not write fails here.
func TestJSONLineMatchesEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var l jsonLine
	for i := range 3000 {
		var a jsonAnswer
		fill(t, reflect.ValueOf(&a).Elem(), rng)
		if got, want := jsonLineOf(t, &l, a), encodingJSON(t, a); got != want {
			t.Fatalf("answer %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// fill sets v, a value of the JSON shapes, at random: half of the strings,
// numbers, booleans, slices and pointers are left zero, as the omitempty
// fields must be seen both ways.
func fill(t *testing.T, v reflect.Value, rng *rand.Rand) {
	t.Helper()
	if rng.IntN(2) == 0 && v.Kind() != reflect.Struct {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(trickyStrings[rng.IntN(len(trickyStrings))] + trickyStrings[rng.IntN(len(trickyStrings))])
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		x := trickyFloats[rng.IntN(len(trickyFloats))]
		if y := x * math.Pow(10, float64(rng.IntN(61)-30)); !math.IsInf(y, 0) {
			x = y
		}
		v.SetFloat(x)
	case reflect.Slice:
		n := rng.IntN(4)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fill(t, v.Index(i), rng)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), rng)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				fill(t, v.Field(i), rng)
			}
		}
	default:
		t.Fatalf("fill: a %s in the JSON shapes; teach fill and jsonLine about it", v.Type())
	}
}

var trickyStrings = []string{
	"", "plain", `"quoted"`, `back\slash`, "<b>&amp;</b>", "a\x00b\x01\x1f\x7f",
	"\b\f\n\r\t", "line\u2028sep\u2029para", "\xff", "cut \xe2\x80", "\xe2\x80\xa8", "\xe2\x82\xac€",
	"\xed\xa0\x80 surrogate", "\xc0\xaf overlong", "Сколько компаний?", "哈萨克斯坦有多少家中国企业？",
	"Қазақстанда", "😀 emoji", "\U0010ffff", "\ufffd", "\ufeffbom", "https://example.com/a?b=1&c=<2>",
}

var trickyFloats = []float64{
	0, 1, -1, 0.5, 1.0 / 3, 2.0 / 3, 123456789, 0.000001, 1e-7, 9.999999e20, 1e21, 41020000000,
	math.MaxFloat64, math.SmallestNonzeroFloat64, -0.0, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 0.835,
}

// Every string and float above alone, every byte, and NaN, which JSON
// cannot hold: encoding/json's error, and nothing written.
func TestJSONLineEdges(t *testing.T) {
	strs := append([]string{}, trickyStrings...)
	for c := range 256 {
		strs = append(strs, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	var l jsonLine
	for _, s := range strs {
		a := jsonAnswer{Question: s, Hits: []jsonHit{}}
		if got, want := jsonLineOf(t, &l, a), encodingJSON(t, a); got != want {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	}
	for _, f := range trickyFloats {
		for _, x := range []float64{f, -f, f * 1e-10, f * 1e10, math.Nextafter(f, 1), math.Nextafter(f, -1)} {
			if math.IsInf(x, 0) {
				continue
			}
			a := jsonAnswer{Confidence: x}
			if got, want := jsonLineOf(t, &l, a), encodingJSON(t, a); got != want {
				t.Errorf("%v:\n got %s\nwant %s", x, got, want)
			}
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		a := jsonAnswer{Hits: []jsonHit{{Score: f}}}
		var got, want bytes.Buffer
		gotErr, wantErr := l.write(&got, a), json.NewEncoder(&want).Encode(a)
		if gotErr == nil || wantErr == nil || gotErr.Error() != wantErr.Error() || got.Len() != 0 {
			t.Errorf("%v: error %v, wrote %q; want %v, nothing", f, gotErr, got.String(), wantErr)
		}
	}
}

func FuzzJSONLineString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l jsonLine
		a := jsonAnswer{Question: s, Tier: strings.ToUpper(s)}
		if got, want := jsonLineOf(t, &l, a), encodingJSON(t, a); got != want {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}

func FuzzJSONLineFloat(f *testing.F) {
	for _, x := range trickyFloats {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		var l jsonLine
		a := jsonAnswer{Confidence: x}
		if got, want := jsonLineOf(t, &l, a), encodingJSON(t, a); got != want {
			t.Errorf("%v:\n got %s\nwant %s", x, got, want)
		}
	})
}

// devAnswers are the dev questions' answers in the JSON shape.
func devAnswers(b *testing.B) []jsonAnswer {
	ctx := context.Background()
	ix, err := embeddedIndex(ctx)
	if err != nil {
		b.Fatal(err)
	}
	base, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		b.Fatal(err)
	}
	a := reply.Answerer{Searcher: index.NewLive(ix)}
	var out []jsonAnswer
	for _, c := range base.Eval {
		r, err := a.Answer(ctx, c.Question, "", "")
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, jsonReply(r))
	}
	return out
}

// The JSON lines of the dev answers, each op one answer: jsonLine and
// encoding/json.
func BenchmarkJSONLine(b *testing.B) {
	as := devAnswers(b)
	b.Run("jsonLine", func(b *testing.B) {
		var l jsonLine
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := l.write(io.Discard, as[i%len(as)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		enc := json.NewEncoder(io.Discard)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := enc.Encode(as[i%len(as)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
