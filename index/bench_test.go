package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"factbot/bot/reply"
	"factbot/index"
	"factbot/knowledge"
)

// Benchmarks of the whole answer path (language detection, search, the
// no-answer decision, building the reply and rendering it) and of building
// the index, on the curated base and on a generated corpus of 100,000
// passages. Each reports the median and 99th percentile of one operation:
//
//	go test -run '^$' -bench . -benchmem -benchtime 2000x ./index
//	go test -run '^$' -bench 100k -benchmem -benchtime 1x ./index  # generated corpus
var questions = []string{
	"How many Chinese companies operate in Kazakhstan?",
	"Сколько китайских компаний работает в Казахстане?",
	"Қазақстанда қанша қытай компаниясы жұмыс істейді?",
	"哈萨克斯坦有多少家中国企业？",
	"Combien d'entreprises chinoises opèrent au Kazakhstan ?",
	"trade 2023 $41 billion",
	"товарооборот 2022",
	"Khorgos dry port",
	"What is the weather in Paris?",
	"visa free 30 days",
}

func curated(tb testing.TB) *knowledge.Base {
	tb.Helper()
	b, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// generated returns the curated base plus n passages made of words drawn
// from the base's own texts, in every language, so that term statistics
// look like the real thing.
func generated(tb testing.TB, n int) *knowledge.Base {
	tb.Helper()
	b := curated(tb)
	words := map[knowledge.Lang][]string{}
	for _, f := range b.Facts {
		for _, l := range knowledge.Langs {
			words[l] = append(words[l], strings.Fields(f.Text[l])...)
		}
	}
	// Chinese has no spaces: cut it into 2–4 character words.
	var zh []string
	for _, w := range words[knowledge.ZH] {
		r := []rune(w)
		for i := 0; i < len(r); i += 3 {
			zh = append(zh, string(r[i:min(i+3, len(r))]))
		}
	}
	words[knowledge.ZH] = zh
	rng := rand.New(rand.NewPCG(1, 2))
	perDoc := 100
	src := []knowledge.Source{{Publisher: "generated"}}
	for d := 0; d*perDoc < n; d++ {
		l := knowledge.Langs[d%len(knowledge.Langs)]
		doc := &knowledge.Document{ID: fmt.Sprintf("gen-%d", d), Title: fmt.Sprintf("Generated %d", d), Lang: l, Topic: "trade", Sources: src}
		for p := 0; p < perDoc && d*perDoc+p < n; p++ {
			var sb strings.Builder
			for range 40 {
				sb.WriteString(words[l][rng.IntN(len(words[l]))])
				if l != knowledge.ZH {
					sb.WriteByte(' ')
				}
			}
			doc.Passages = append(doc.Passages, knowledge.Passage{
				ID: fmt.Sprintf("gen-%d#%d", d, p+1), DocID: doc.ID, Heading: "Section", Text: sb.String(), Lang: l,
			})
		}
		b.Documents = append(b.Documents, doc)
	}
	b2, err := knowledge.Rebuild(b)
	if err != nil {
		tb.Fatal(err)
	}
	return b2
}

func build(tb testing.TB, b *knowledge.Base) *index.Index {
	tb.Helper()
	ix, err := index.Build(context.Background(), b, "", index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// benchAnswer runs the answer path b.N times over the sample questions and
// reports the median and 99th percentile latency.
func benchAnswer(b *testing.B, ix *index.Index) {
	a := &reply.Answerer{Searcher: ix}
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	runtime.GC() // the build's garbage is not the answer path's
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		r, err := a.Answer(ctx, questions[i%len(questions)], "", "")
		if err != nil {
			b.Fatal(err)
		}
		_ = reply.PlainText(r)
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// reportMemory reports the live heap and the resident set size.
func reportMemory(b *testing.B) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			var kb float64
			if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
				b.ReportMetric(kb/1024, "rss-MB")
			}
		}
	}
}

func BenchmarkAnswerCurated(b *testing.B) {
	ix := build(b, curated(b))
	defer ix.Close()
	benchAnswer(b, ix)
}

// BenchmarkAnswer100k serves from an on-disk index, as factbot serve does.
func BenchmarkAnswer100k(b *testing.B) {
	ix, err := index.Build(context.Background(), generated(b, 100_000), b.TempDir()+"/index", index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	benchAnswer(b, ix)
	reportMemory(b) // after: ResetTimer drops metrics reported before it
}

func BenchmarkBuildCurated(b *testing.B) {
	base := curated(b)
	b.ReportAllocs()
	for b.Loop() {
		build(b, base).Close()
	}
}

func BenchmarkBuild100k(b *testing.B) {
	base := generated(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		dir := b.TempDir() + "/index"
		ix, err := index.Build(context.Background(), base, dir, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkPreviewEvalCurated is the eval part of an upload's preview on
// the curated base: two in-memory indexes built, the dev set (and the
// blind set) run on each.
//
//	go test -run '^$' -bench PreviewEvalCurated -benchmem -benchtime 3x ./index
func BenchmarkPreviewEvalCurated(b *testing.B) {
	base := curated(b)
	for b.Loop() {
		if _, err := index.PreviewEval(context.Background(), base, base, index.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
