package main

import (
	"context"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"factbot/knowledge"
)

// BenchmarkAskDev measures the batch path of `factbot ask --json`: one
// process reading the dev set's questions on stdin, one JSON line out
// per question. Each op is one question; the index of the embedded base is
// built before the timer starts. Keep -benchtime at the dev set's size (2,879
// questions): beyond it questions repeat, and a repeat may come from the
// cache. cpu-µs/op is the process's user+sys CPU
// per question, the figure README compares with SQLite FTS5
// (index/testdata/cpu_per_question.sh measures both from outside).
//
//	go test ./cmd/factbot -run '^$' -bench AskDev -benchmem -benchtime 2879x -count 5
func BenchmarkAskDev(b *testing.B) {
	base, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		b.Fatal(err)
	}
	if len(base.Eval) == 0 {
		b.Fatal("no dev questions")
	}
	var in strings.Builder
	for i := 0; i < b.N; i++ {
		in.WriteString(strings.ReplaceAll(base.Eval[i%len(base.Eval)].Question, "\n", " "))
		in.WriteByte('\n')
	}
	ctx := context.Background()
	// Warm up: the embedded base's index is built once per process.
	if code := Main(ctx, []string{"ask", "--json", base.Eval[0].Question}, nil, io.Discard, io.Discard); code != 0 {
		b.Fatalf("warm-up ask exited %d", code)
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // whatever ask sets, as a fresh process has it
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	var stderr strings.Builder
	if code := Main(ctx, []string{"ask", "--json"}, strings.NewReader(in.String()), io.Discard, &stderr); code != 0 {
		b.Fatalf("ask exited %d: %s", code, stderr.String())
	}
	cpu := cpuTime() - cpu0
	b.StopTimer()
	b.ReportMetric(float64(cpu)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}
