package bot

import (
	"context"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"factbot/bot/telegramtest"
)

// BenchmarkPoll measures the Telegram side alone: updates answered per
// second through long polling, the dispatcher and the fake Bot API, with
// the fake searcher (microseconds a question) instead of the index.
func BenchmarkPoll(b *testing.B) {
	srv := telegramtest.New(b, telegramtest.WithCallLog(0), telegramtest.WithMessageLog(4))
	h, err := newBotTB(b, srv, func(c *Config) { c.Flood = rate.Inf })
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.bot.Poll(ctx) }()
	defer func() { cancel(); <-done; h.bot.Close(context.Background()) }()
	users := make([]tgbotapi.User, 2000)
	for i := range users {
		users[i] = telegramtest.User(int64(10_000+i), "u", "en")
	}
	wait := func(n int) {
		wctx, stop := context.WithTimeout(context.Background(), 5*time.Minute)
		defer stop()
		if err := srv.WaitCount(wctx, "sendMessage", n); err != nil {
			b.Fatal(err)
		}
	}
	for _, u := range users {
		srv.PrivateText(u, "trade 2023")
	}
	wait(len(users))
	b.ResetTimer()
	start := time.Now()
	sent := srv.CountOK("sendMessage")
	for i := 0; i < b.N; i++ {
		if i >= 1000 && i%100 == 0 {
			wait(sent + i - 1000)
		}
		srv.PrivateText(users[i%len(users)], "trade 2023")
	}
	wait(sent + b.N)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "answers/s")
	b.ReportMetric(float64(srv.Count("getUpdates"))/float64(b.N), "polls/op")
}
