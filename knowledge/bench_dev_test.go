package knowledge

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkUnderstandDev reads the dev questions of the embedded base as
// index.(*Index).Search does: it detects the language, understands the
// question, finds its aliases and numbers, the spans of a part of a year,
// and asks IsPeriodWord of each word. One op is one question.
//
//	go test ./knowledge -run '^$' -bench UnderstandDev -benchmem -count 5
//	go test ./knowledge -run '^$' -bench UnderstandDev -cpuprofile /tmp/k.prof
//	go tool pprof -top -cum knowledge.test /tmp/k.prof
func BenchmarkUnderstandDev(b *testing.B) {
	base := mustCurated(b)
	if len(base.Eval) == 0 {
		b.Skip("no dev questions")
	}
	qs := make([]string, len(base.Eval))
	for i, c := range base.Eval {
		qs[i] = strings.Join(strings.Fields(c.Question), " ")
	}
	m := NewMatcher(base.Aliases)
	asked := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	base.Understand("warm up", asked)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		Detect(q, "")
		in := base.Understand(q, asked)
		m.Find(q)
		Numbers(q)
		if in.Period.Kind == PeriodPart {
			PartOfYearSpans(q)
		}
		for _, w := range strings.Fields(q) {
			IsPeriodWord(w)
		}
	}
}
