package main

import (
	"context"
	"io"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
	"factbot/knowledge"
)

// BenchmarkServe measures updates answered per second end to end: the
// wired `factbot serve` (real index on the embedded base, real tgbotapi
// client) long-polls the fake Bot API on loopback, with rate limits lifted
// (--limits off). Each op is one private question from one of 2,000 users,
// taken from the base's evaluation questions in five languages, and counts
// once its answer reached the fake server. It also reports goroutines and
// live heap after the run minus before, which must not grow with b.N.
//
//	go test ./cmd/factbot -run '^$' -bench Serve -benchmem -benchtime 20000x -count 5
func BenchmarkServe(b *testing.B) {
	srv := telegramtest.New(b, telegramtest.WithCallLog(0), telegramtest.WithMessageLog(4))
	base, err := knowledge.Load(knowledge.Curated())
	if err != nil {
		b.Fatal(err)
	}
	var questions []string
	for _, c := range base.Eval {
		if !c.OutOfScope {
			questions = append(questions, c.Question)
		}
	}
	if len(questions) == 0 {
		questions = []string{"How many Chinese companies operate in Kazakhstan?"}
	}
	users := make([]tgbotapi.User, 2000)
	for i := range users {
		users[i] = telegramtest.User(int64(10_000+i), "u", "en")
	}

	b.Setenv("FACTBOT_TOKEN", srv.Token)
	b.Setenv("FACTBOT_API_URL", srv.URL)
	b.Setenv("FACTBOT_LIMITS", "off")
	b.Setenv("FACTBOT_LOG_LEVEL", "error")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Main(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, io.Discard) }()
	defer func() {
		cancel()
		if code := <-done; code != 0 {
			b.Errorf("serve exited %d", code)
		}
	}()

	wait := func(n int) {
		wctx, stop := context.WithTimeout(context.Background(), 10*time.Minute)
		defer stop()
		if err := srv.WaitCount(wctx, "sendMessage", n); err != nil {
			b.Fatalf("%d of %d answers: %v", srv.CountOK("sendMessage"), n, err)
		}
	}
	// Warm up: the index is built and every user has written once.
	for _, u := range users {
		srv.PrivateText(u, questions[0])
	}
	wait(len(users))
	g0, h0 := goroutines(), heap()

	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	sent := srv.CountOK("sendMessage")
	polls := srv.Count("getUpdates")
	// Keep at most 1,000 questions waiting at the server, like a busy but
	// not unbounded backlog.
	for i := 0; i < b.N; i++ {
		if i >= 1000 && i%100 == 0 {
			wait(sent + i - 1000)
		}
		// Plain questions: no entities for the fake to find.
		srv.Send(telegramtest.Msg{From: users[i%len(users)], Text: questions[i%len(questions)], Entities: noEntities})
	}
	wait(sent + b.N)
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()

	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "answers/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	b.ReportMetric(float64(srv.Count("getUpdates")-polls)/float64(b.N), "polls/op")
	b.ReportMetric(float64(goroutines()-g0), "goroutine-growth")
	b.ReportMetric(float64(heap()-h0)/(1<<20), "heap-growth-MB")
}

var noEntities = []tgbotapi.MessageEntity{}

// goroutines counts goroutines once the ones finishing have exited.
func goroutines() int {
	n := runtime.NumGoroutine()
	for i := 0; i < 50; i++ {
		time.Sleep(10 * time.Millisecond) // let finished handlers exit; a benchmark may wait on the clock
		if m := runtime.NumGoroutine(); m >= n {
			break
		} else {
			n = m
		}
	}
	return n
}

// heap returns the live heap after a collection.
func heap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// cpuTime is the CPU time the process used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
