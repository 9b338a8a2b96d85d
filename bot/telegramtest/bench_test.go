package telegramtest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"factbot/bot/telegramtest"
)

// BenchmarkSendMessage measures the fake server alone: sendMessage calls a
// second from 50 concurrent tgbotapi clients. It shows the fake is not what
// limits the end-to-end benchmark (BenchmarkServe in cmd/factbot).
func BenchmarkSendMessage(b *testing.B) {
	s := telegramtest.New(b, telegramtest.WithCallLog(0), telegramtest.WithMessageLog(4))
	for i := 0; i < 100; i++ {
		s.PrivateText(telegramtest.User(int64(1+i), "u", "en"), "hi")
	}
	api, err := tgbotapi.NewBotAPIWithAPIEndpoint(s.Token, s.Endpoint())
	if err != nil {
		b.Fatal(err)
	}
	api.Client.(*http.Client).Transport = &http.Transport{MaxIdleConnsPerHost: 200}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	ch := make(chan int)
	for w := 0; w < 50; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				m := tgbotapi.NewMessage(int64(1+i%100), "<b>hello</b> world, a fairly ordinary answer of a few hundred characters would be typical here")
				m.ParseMode = "HTML"
				if _, err := api.Send(m); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	for i := 0; i < b.N; i++ {
		ch <- i
	}
	close(ch)
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "sends/s")
}
