// Package testkb loads the small knowledge base the tests of bot and
// bot/reply share (bot/testdata/kb). Only tests import it.
package testkb

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"factbot/knowledge"
)

var (
	once sync.Once
	base *knowledge.Base
	err  error
)

// Base loads bot/testdata/kb once and returns it; callers must not modify
// it.
func Base(tb testing.TB) *knowledge.Base {
	tb.Helper()
	once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		dir := filepath.Join(filepath.Dir(file), "..", "..", "testdata", "kb")
		base, err = knowledge.Load(os.DirFS(dir))
	})
	if err != nil {
		tb.Fatalf("load bot/testdata/kb: %v", err)
	}
	return base
}

var (
	curatedOnce sync.Once
	curated     *knowledge.Base
	curatedErr  error
)

// Curated loads the curated base (knowledge.Curated) once: the series
// tests need its counting bodies and its years of trade figures. Callers
// must not modify it.
func Curated(tb testing.TB) *knowledge.Base {
	tb.Helper()
	curatedOnce.Do(func() { curated, curatedErr = knowledge.Load(knowledge.Curated()) })
	if curatedErr != nil {
		tb.Fatalf("load the curated base: %v", curatedErr)
	}
	return curated
}

// TradeSince2015 are the series that answer "how did trade change since
// 2015?" in b, as the index finds them (Base.SeriesAnswer from 2015 on).
func TradeSince2015(b *knowledge.Base) []knowledge.Series {
	return b.SeriesAnswer(knowledge.Intent{Kind: knowledge.AskTrend, Measures: []string{"trade-turnover"}},
		knowledge.Period{Kind: knowledge.PeriodRange, From: 2015, To: 2026, Open: true})
}
