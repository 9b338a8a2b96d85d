package main

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"factbot/index"
	"factbot/knowledge"
)

// BenchmarkReloadCurated reloads the curated base the way /reload does —
// validate the folder, build the new index in a fresh folder, swap it in,
// close the old one — with one fact changed each time, so that every
// reload builds. Two goroutines search the eval questions meanwhile; the
// benchmark reports the slowest search during the reloads and the 99th
// percentile, and the same for the searches between reloads. "child"
// builds as serve does, in a child process at the lowest priority;
// "in-process" builds in the serving process, as serve did before. The
// collector runs at serve's GOGC.
// Targets: a reload ≤ 2 s, every search within 10 ms of its latency with
// no reload running.
func BenchmarkReloadCurated(b *testing.B) {
	b.Run("child", func(b *testing.B) { benchmarkReload(b, true) })
	b.Run("in-process", func(b *testing.B) { benchmarkReload(b, false) })
}

func benchmarkReload(b *testing.B, child bool) {
	defer debug.SetGCPercent(debug.SetGCPercent(servingGCPercent)) // as serve runs
	kdir := exportCurated(b)
	ks, err := openStore(context.Background(), zap.NewNop(), b.TempDir(), kdir, index.Options{}, versionOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer ks.Close()
	if !child {
		ks.store.Builder = nil
	}
	base := ks.Live().Base()
	var questions []knowledge.Query
	for _, c := range base.Eval {
		questions = append(questions, knowledge.Query{Text: c.Question, Lang: c.Lang})
	}

	var (
		stop      atomic.Bool
		reloading atomic.Bool
		mu        sync.Mutex
		during    []time.Duration
		outside   []time.Duration // the same searches with no reload running
		failed    atomic.Int64
		wg        sync.WaitGroup
	)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; !stop.Load(); i++ {
				q := questions[i%len(questions)]
				q.Text = fmt.Sprintf("%s %d", q.Text, i) // past the answer cache
				start := time.Now()
				_, err := ks.Live().Search(context.Background(), q)
				d := time.Since(start)
				if err != nil {
					failed.Add(1)
				}
				mu.Lock()
				if reloading.Load() {
					during = append(during, d)
				} else {
					outside = append(outside, d)
				}
				mu.Unlock()
				time.Sleep(time.Millisecond)
			}
		}()
	}
	old := "forum: The Astana Times"
	var took []time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		time.Sleep(300 * time.Millisecond) // searches with no reload, for comparison
		next := fmt.Sprintf("forum (rev %d): The Astana Times", i)
		edit(b, kdir, "facts/01-ciftis-2024.yaml", old, next)
		old = next
		b.StartTimer()
		reloading.Store(true)
		start := time.Now()
		rep, err := ks.Reload(context.Background())
		took = append(took, time.Since(start))
		reloading.Store(false)
		if err != nil || len(rep.Diff.ChangedFacts) != 1 {
			b.Fatalf("reload %d: %+v, %v", i, rep.Diff, err)
		}
	}
	b.StopTimer()
	stop.Store(true)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d searches failed during reloads", n)
	}
	slices.Sort(during)
	slices.Sort(took)
	if len(during) > 0 {
		b.ReportMetric(float64(during[len(during)-1].Microseconds())/1000, "max-search-ms")
		b.ReportMetric(float64(during[len(during)*99/100].Microseconds())/1000, "p99-search-ms")
		b.ReportMetric(float64(len(during)), "searches")
	}
	slices.Sort(outside)
	if len(outside) > 0 {
		b.ReportMetric(float64(outside[len(outside)-1].Microseconds())/1000, "max-search-idle-ms")
		b.ReportMetric(float64(outside[len(outside)*99/100].Microseconds())/1000, "p99-search-idle-ms")
	}
	b.ReportMetric(float64(took[len(took)-1].Milliseconds()), "max-reload-ms")
}

// exportCurated exports the curated base for a benchmark.
func exportCurated(b *testing.B) string {
	b.Helper()
	dir := b.TempDir() + "/knowledge"
	if _, err := knowledge.Export(knowledge.Curated(), dir, false); err != nil {
		b.Fatal(err)
	}
	return dir
}
